import type { CodeRoute } from './routes/model.js';
import type { ProjectFile } from './routes/project.js';
import type { FollowContext } from './test-follow-context.js';
import { unitTargetPlaces } from './test-follow-units.js';
import { mayAlreadyAnswer, reachedCodeAnswers } from './test-target-places.js';
import type { Verdict } from './test-verdicts.js';
import type { Site } from './types.js';

// What the code a test's request reaches answers when the 403 the test asserts rests on nothing this run can
// prove: a status handed at run time, or a handler mtls-fix cannot read. Where that code already sends the agreed
// status (an earlier run wrote it without --include-tests), the reason says so, and a plain run after that write
// still lists the assertion (skipped-tests.ts).

/** Places that send the agreed status: no body text holding its phrase (test-target-places.ts `PlaceOptions`). */
const SENT = { strings: false };

/**
 * For an assertion whose request reaches `routes` and their sites `linked`, decided `verdict`: when that verdict is
 * "still emitted" only by unproven sites (TestVerdicts `unprovenOnly`: `res.status(parseInt(header))`) and the
 * routes send the agreed status `target` elsewhere, the manual verdict that says the server may already answer it
 * (test-target-places.ts `mayAlreadyAnswer`); undefined otherwise (the verdict stands).
 */
export function unprovenAnswer(
  ctx: FollowContext,
  routes: readonly CodeRoute[],
  linked: readonly Site[],
  verdict: Verdict,
  via: string,
  target: number,
): { manual: string } | undefined {
  if (!('unchanged' in verdict)) return undefined;
  const unproven = ctx.verdicts.unprovenOnly(linked);
  const first = unproven[0];
  if (!first) return undefined;
  const places = ctx.routes.targetPlaces(routes, target, SENT);
  if (!places.length) return undefined;
  const more = unproven.length > 1 ? ` and ${unproven.length - 1} more` : '';
  return { manual: mayAlreadyAnswer(places, target, via, `${ctx.verdicts.describe(first)}${more}`) };
}

/**
 * The reason for a request that a route whose code mtls-fix cannot read may serve (`route`, TestRoutes
 * `unreadHandlerMayServe`), made at `position` of `file` (`name`: the request, `GET /x`): with, when the code
 * that route or the test's unit under test reaches sends the agreed status `target`, where it does
 * (`reachedCodeAnswers`): an earlier run may have written it (AppQuality/unguess-core: openapi-backend's
 * `unauthorizedHandler`, rewritten to 401, answers the request without a key).
 */
export function unreadHandlerReason(
  ctx: FollowContext,
  file: ProjectFile,
  position: number,
  name: string,
  route: CodeRoute & { unresolved: string },
  target: number,
): string {
  const own = `on ${name}, which a route whose code mtls-fix cannot read may serve (${route.unresolved})`;
  const byRoute = ctx.routes.targetPlaces([route], target, SENT);
  const places = byRoute.length ? byRoute : unitTargetPlaces(ctx, file, position, target, SENT);
  return places.length ? `${own}${reachedCodeAnswers(places, target)}` : own;
}
