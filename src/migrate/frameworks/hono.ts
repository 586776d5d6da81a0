import ts from '../../typescript.cjs';
import { forwardedCall } from '../analysis/syntax.js';
import type { FileAnalysis } from '../analysis.js';
import type { Edit } from '../types.js';
import { challengeHeaders, type ChallengePlan } from './challenge-headers.js';
import type { Framework } from './framework.js';
import {
  challenge,
  challengeNote,
  implicit,
  initObject,
  methodCall,
  quoted,
  responseKey,
  statusProperty,
} from './shared.js';

const BODY_METHODS = new Set(['json', 'text', 'html', 'body', 'newResponse']);

/** Hono: `c.json(x, 403)`, `c.status(403)`, `new HTTPException(403)`, zod-openapi response keys, csrf/ip-restriction. */
export const hono: Framework = {
  id: 'hono',
  title: 'Hono (+ HTTPException, @hono/zod-openapi)',
  enablers: ['hono', '@hono/zod-openapi'],
  kinds: [ts.SyntaxKind.NewExpression, ts.SyntaxKind.PropertyAssignment, ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    if (
      ts.isNewExpression(node) &&
      analysis.resolvesTo(node.expression, ['hono/http-exception', 'hono'], 'HTTPException')
    ) {
      analysis.statusSlot(node.arguments?.[0], node, 'hono', () => ({ reason: challengeNote(analysis) }));
      return;
    }
    if (ts.isPropertyAssignment(node)) {
      if (isCreateRouteResponses(node.parent)) responseKey(analysis, node, 'hono');
      return;
    }
    if (!ts.isCallExpression(node)) return;
    if (ts.isIdentifier(node.expression)) {
      const module = analysis.importOf(node.expression.text)?.module;
      if (module === 'hono/csrf') implicit(analysis, node, 'hono', 'csrf');
      if (module === 'hono/ip-restriction') implicit(analysis, node, 'hono', 'ip-restriction');
      return;
    }
    const call = methodCall(node);
    if (!call) return;
    const receiver = analysis.receiver(call.object);
    if (receiver?.kind !== 'hono' || receiver.path.length) return;
    if (call.method === 'status') {
      analysis.statusSlot(call.args[0], call.call, 'hono', () => ({ reason: challengeNote(analysis) }));
    } else if (BODY_METHODS.has(call.method)) {
      const init = call.args[1];
      if (!init) return;
      const object = initObject(init);
      if (object) {
        const status = statusProperty(object, 'status');
        if (status)
          analysis.statusSlot(status.value, object === init ? call.call : object, 'hono', () =>
            initHeaders(analysis, object),
          );
      } else {
        analysis.statusSlot(init, call.call, 'hono', () => ({ edits: argumentHeaders(analysis, call.call) }));
      }
    }
  },
};

/** `c.json(x, 401)` -> `c.json(x, 401, { 'WWW-Authenticate': scheme })` when there is no headers argument. */
function argumentHeaders(analysis: FileAnalysis, call: ts.CallExpression): Edit[] {
  const scheme = challenge(analysis);
  if (!scheme || forwardedCall(call) || call.arguments.length !== 2 || analysis.setsChallenge(call))
    return [];
  const end = call.arguments[1].getEnd();
  return [
    { start: end, end, text: `, { ${quoted(analysis, 'WWW-Authenticate')}: ${quoted(analysis, scheme)} }` },
  ];
}

/**
 * `{ status: 401 }` -> `{ status: 401, headers: { 'WWW-Authenticate': scheme } }`, or into its headers where
 * that is provably safe (challenge-headers.ts); otherwise a manual site that says why.
 */
export function initHeaders(analysis: FileAnalysis, init: ts.ObjectLiteralExpression): ChallengePlan {
  const scheme = challenge(analysis);
  return scheme ? challengeHeaders(analysis, init, scheme, 'web') : {};
}

/** `createRoute({ responses: { 403: … } })` */
function isCreateRouteResponses(object: ts.Node): boolean {
  const holder = object.parent;
  if (!ts.isObjectLiteralExpression(object) || !holder || !ts.isPropertyAssignment(holder)) return false;
  if (!ts.isIdentifier(holder.name) || holder.name.text !== 'responses') return false;
  const call = holder.parent.parent;
  return Boolean(call && ts.isCallExpression(call) && /createRoute$/.test(call.expression.getText()));
}
