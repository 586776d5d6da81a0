import type { Verdict } from './test-verdicts.js';

// One assertion shared by several tests (a helper, test-follow-callers.ts) whose callers' servers end at different
// statuses: one manual site that names every caller (session 39, fix39c; breaker39 05).

/**
 * What one caller of a shared assertion makes of it: `follows` (the request it names, `GET /admin`) when every
 * site its request reaches is rewritten, so that test now receives the agreed status; else `manual`, the reason
 * (`in the assertion helper …, called at test/a.test.js:5, that is still emitted by csrf(…) (src/app.js:5)`) and,
 * when its request was read, that request.
 * `where` is the call's `file:line`; `own` is the reason's own part, without the helper's place and the call's
 * `file:line` (`that is still emitted by csrf(…) (src/app.js:5)`), for the list of callers.
 */
export type CallerOutcome =
  { where: string; follows: string } | { where: string; manual: string; own: string; request?: string };

/**
 * The verdict of a shared assertion from its callers' outcomes: every caller follows: `keep` (the assertion is
 * rewritten); none follows: the first caller's reason, as before session 39; some follow and some do not: one
 * manual verdict naming every caller, what each now receives, and what to do. Before, the first reason alone was
 * given, which named only a caller that still passes, while the rewritten caller's test failed unannounced.
 * @param at the assertion's place for the reason (`the assertion helper expectForbidden (test/helpers.js:2)`)
 * @param target the agreed status (undefined: "the agreed status")
 */
export function settleCallers(
  at: string,
  outcomes: readonly CallerOutcome[],
  target: number | undefined,
): Verdict | undefined {
  const following = outcomes.filter((o) => 'follows' in o);
  const manual = outcomes.filter((o) => 'manual' in o);
  const first = manual[0];
  if (!first) return following.length ? { keep: true } : undefined;
  if (!following.length) return { manual: first.manual };
  const status = target === undefined ? 'the agreed status' : String(target);
  const parts = [
    ...following.map(
      (o) => `${o.where} (${o.follows}, now ${status}: this test fails until it expects ${status})`,
    ),
    ...manual.map((o) => `${o.where} (${o.request ? `${o.request}, ` : ''}${o.own})`),
  ];
  return {
    manual: `in ${at}, shared by tests whose servers now answer differently: ${parts.join('; ')}. Give the rewritten caller${following.length > 1 ? 's' : ''} ${following.length > 1 ? 'their' : 'its'} own assertion of ${status} (or give the helper a status parameter), and keep this one for the others`,
  };
}
