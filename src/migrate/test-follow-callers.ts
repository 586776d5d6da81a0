import ts from '../typescript.cjs';
import type { ProjectFile } from './routes/project.js';
import { nodeAt } from './routes/reach.js';
import { requestOf } from './routes/requests.js';
import {
  enclosingHelper,
  heldRequest,
  isReassigned,
  testBody,
  testDeclaringHelper,
} from './test-assertion-place.js';
import { builtWithin, isMockCallIn } from './test-built.js';
import { codeAround, denyingGuard } from './test-doubles.js';
import type { MatcherUse } from './test-file-links.js';
import type { FollowContext } from './test-follow-context.js';
import { settleCallers, type CallerOutcome } from './test-caller-split.js';
import { helperOwnRequest } from './test-helper-requests.js';
import { lineOf } from './test-nodes.js';
import { requestName, routesVia, unreadMethod } from './test-route-graph.js';
import type { PhraseRead, Verdict } from './test-verdicts.js';
import { unprovenAnswer, unreadHandlerReason } from './test-answered.js';
import { alreadyAnswers } from './test-target-places.js';

// An assertion inside a test helper decided by the requests of the tests that call it (test-follow.ts).

/**
 * An assertion inside a test helper (`export const expectForbidden = (res) => expect(res.status).toBe(403)`,
 * in the test file or another one): it checks the reply each caller hands it, so it follows only when every
 * call's request reaches rewritten sites alone; a call with no request it can read, or whose test builds a
 * 403 of its own, keeps it manual. Undefined when `position` is not in such a helper.
 */
export function decideByCallers(
  ctx: FollowContext,
  file: ProjectFile,
  position: number,
  phraseOnly: PhraseRead,
  target?: number,
): Verdict | undefined {
  const node = nodeAt(file.sourceFile, position);
  const enclosing = node ? enclosingHelper(node) : undefined;
  const helper: { declaration: ts.Node; name: string; matcher?: boolean } | undefined =
    enclosing ?? (node ? testDeclaringHelper(node) : undefined);
  if (!helper) return undefined;
  // A helper that makes the request itself (`expectForbidden(path)`): each call's arguments spell it out.
  const helperSkip = (c: ts.CallExpression): boolean => isMockCallIn(ctx.project, file, c);
  const makesOwn =
    enclosing !== undefined &&
    requestOf(file.sourceFile, position, helperSkip, false, () => '/{p}') !== undefined;
  const calls: { file: ProjectFile; node: MatcherUse; negated?: boolean }[] = [
    ...ctx.links.callsOf(file, helper.declaration, helper.name),
    // A custom matcher: `expect(res).toBeForbidden()` in any test file the runner loads it for.
    ...(helper.matcher ? ctx.links.matcherCallsOf(helper.name) : []),
  ];
  const kind = helper.matcher ? 'the custom matcher' : 'the assertion helper';
  const at = `${kind} ${helper.name} (${file.relative}:${lineOf(file.sourceFile, helper.declaration)})`;
  if (!calls.length) return { manual: `in ${at}, which no test calls` };
  const outcomes = calls.map((call) =>
    call.negated
      ? negatedCaller(at, call)
      : callerOutcome(ctx, file, position, phraseOnly, at, makesOwn, call, target),
  );
  return settleCallers(at, outcomes, target);
}

/**
 * A call of a custom matcher under `.not` (`expect(res).not.toBeForbidden()`): it asserts the reply is anything but
 * a 403, so the matcher's 403 cannot follow a server for it (rewritten, the call would fail on the agreed status).
 */
function negatedCaller(at: string, call: { file: ProjectFile; node: MatcherUse }): CallerOutcome {
  const where = `${call.file.relative}:${lineOf(call.file.sourceFile, call.node)}`;
  const own = 'with .not, which asserts the reply is anything but the 403 the matcher checks';
  return { where, manual: `in ${at}, called at ${where} ${own}`, own };
}

/** What one call of the assertion helper `at` makes of its assertion (test-caller-split.ts `CallerOutcome`). */
function callerOutcome(
  ctx: FollowContext,
  file: ProjectFile,
  position: number,
  phraseOnly: PhraseRead,
  at: string,
  makesOwn: boolean,
  call: { file: ProjectFile; node: MatcherUse },
  target?: number,
): CallerOutcome {
  const where = `${call.file.relative}:${lineOf(call.file.sourceFile, call.node)}`;
  // `own`: what is wrong with this call, after `called at <where>` (joined by `sep`)
  const manual = (own: string, sep = ' ', request?: string): CallerOutcome => ({
    where,
    manual: `in ${at}, called at ${where}${sep}${own}`,
    own,
    ...(request === undefined ? {} : { request }),
  });
  const start = call.node.getStart(call.file.sourceFile);
  const helperSkip = (c: ts.CallExpression): boolean => isMockCallIn(ctx.project, file, c);
  const skip = (c: ts.CallExpression): boolean => isMockCallIn(ctx.project, call.file, c);
  const resolve = (expression: ts.Expression): string | undefined => ctx.stringOf(call.file, expression);
  const request =
    makesOwn && ts.isCallExpression(call.node)
      ? helperOwnRequest(
          file.sourceFile,
          position,
          call.node,
          helperSkip,
          (e) => ctx.stringOf(file, e),
          resolve,
        )
      : (requestOf(call.file.sourceFile, start, skip, true, resolve) ??
        heldRequest(ctx.project, call.file, start, skip, resolve) ??
        requestOf(call.file.sourceFile, start, skip, false, resolve));
  if (isReassigned(request))
    return manual(
      `with the reply held in ${request.reassigned}, whose request could not be told (more than one of its writes may reach the call: lines ${request.lines.join(', ')})`,
    );
  if (!request) {
    const own = 'makes no request mtls-fix can read';
    return { where, manual: `in ${at}, whose call at ${where} ${own}`, own };
  }
  const routes = ctx.routes.bestRoutes(request, call.file, start);
  const name = requestName(request);
  const unreadHandler = ctx.routes.unreadHandlerMayServe(request, call.file, routes);
  if (unreadHandler)
    return manual(
      target === undefined
        ? `on ${name}, which a route whose code mtls-fix cannot read may serve (${unreadHandler.unresolved})`
        : unreadHandlerReason(ctx, call.file, start, name, unreadHandler, target),
    );
  if (!routes.length)
    return manual(
      `on ${name} whose server could not be found (no route of the code matches it${ctx.ownFramework ? `: ${ctx.ownFramework}` : ''})`,
    );
  const apps = ctx.routes.severalApps(routes, call.file);
  if (apps.length)
    return manual(
      `on ${name} whose server could not be found (its app could not be resolved, and routes of several apps match it: ${routesVia(routes)} in ${apps.join(', ')})`,
    );
  const unread = unreadMethod(request, routes);
  if (unread) return manual(unread, ', ');
  const replaced = ctx.links.replacedBy(call.file);
  const linked = ctx.routes.sitesOf(routes).filter((s) => !replaced.has(s.file));
  const via = routesVia(routes);
  const verdict = ctx.verdicts.verdict(linked, phraseOnly, via);
  // As for a request in the test itself (test-follow.ts): what the routes answer when no proven 403 is reached.
  const places = !linked.length && target !== undefined ? ctx.routes.targetPlaces(routes, target) : [];
  if (target !== undefined && places.length) return manual(alreadyAnswers(places, target, via), ', ', name);
  const answered =
    target === undefined ? undefined : unprovenAnswer(ctx, routes, linked, verdict, via, target);
  if (answered) return manual(answered.manual, ', ', name);
  if ('manual' in verdict) return manual(verdict.manual, ', ', name);
  const body = testBody(call.node);
  const nodes = body ? [body, ...codeAround(ctx.project, call.file, body)] : [];
  const marks = ctx.marksOf(call.file.relative);
  const own = nodes.some(
    (n) =>
      builtWithin(marks, n.getStart(call.file.sourceFile), n.getEnd()) !== undefined ||
      denyingGuard(n) !== undefined,
  );
  if (own)
    return manual(
      'by a test that may build a 403 itself while its request reaches sites this run rewrote; check which of the two it asserts',
    );
  return { where, follows: name };
}
