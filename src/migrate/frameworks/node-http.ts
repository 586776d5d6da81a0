import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { reasonPhrase } from '../status-names.js';
import type { Edit } from '../types.js';
import type { Framework } from './framework.js';
import { assignment, challengeNote, initObject, isSelfAssignment, methodCall, propertyOf } from './shared.js';

/** The argument that holds the response headers, per http2 stream method (Node.js http2 `ServerHttp2Stream`). */
const RESPOND_HEADERS: Readonly<Record<string, number>> = {
  respond: 0,
  respondWithFile: 1,
  respondWithFD: 1,
};

/**
 * Node core http/https/http2: `res.writeHead(403, 'Forbidden', h)`, `res.statusCode = 403`,
 * `res.statusMessage = 'Forbidden'`, http2 `stream.respond({ ':status': 403 })` (also `respondWithFile(path,
 * headers)` and `respondWithFD(fd, headers)`). Also Express/Fastify
 * code that reaches the raw response (`reply.raw.writeHead`).
 */
export const nodeHttp: Framework = {
  id: 'node-http',
  title: 'Node http / https / http2',
  enablers: [],
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.BinaryExpression],
  visit(node, analysis) {
    const call = methodCall(node);
    if (call?.method === 'writeHead') {
      if (!isRawResponse(analysis, call.object)) return;
      analysis.statusSlot(call.args[0], call.call, 'node-http', () => ({
        edits: phraseArgument(analysis, call.args[1]),
        reason: challengeNote(analysis),
      }));
      return;
    }
    // http2 core: the headers are respond's first argument, respondWithFD's and respondWithFile's second.
    const headersAt = call ? RESPOND_HEADERS[call.method] : undefined;
    if (call && headersAt !== undefined && analysis.receiver(call.object)?.kind === 'stream') {
      // The headers written in the call, or held by a `const` of an enclosing scope (`const headers = { ':status':
      // 403 }; stream.respond(headers)`; breaker44: that was named as a 403 no file reads).
      const headers = call.args[headersAt] && initObject(call.args[headersAt]);
      if (headers) {
        const status = propertyOf(headers, ':status') ?? computedStatus(analysis, headers);
        if (status) analysis.statusSlot(status.initializer, call.call, 'node-http');
      }
      return;
    }
    const assign = assignment(node);
    if (!assign || !isRawResponse(analysis, assign.object)) return;
    if (assign.property === 'statusCode') {
      if (isSelfAssignment(assign)) return;
      analysis.statusSlot(assign.right, node, 'node-http', () => ({ reason: challengeNote(analysis) }));
    } else if (assign.property === 'statusMessage') {
      const value = assign.right;
      if (ts.isStringLiteral(value) && value.text === 'Forbidden') {
        analysis.addSite({
          node,
          framework: 'node-http',
          edits: [analysis.phraseEdit(value, reasonPhrase(analysis.target))],
        });
      }
    }
  },
};

/**
 * `res`, `response`, the `.raw` of a Fastify reply, Koa's `ctx.res` (also Next.js `context.res` in
 * getServerSideProps), or h3's `event.node.res`: each is Node's `ServerResponse`.
 */
function isRawResponse(analysis: FileAnalysis, object: ts.Expression): boolean {
  if (
    ts.isPropertyAccessExpression(object) &&
    object.name.text === 'res' &&
    ts.isPropertyAccessExpression(object.expression) &&
    object.expression.name.text === 'node'
  )
    return true;
  const receiver = analysis.receiver(object);
  if (!receiver) return false;
  if (receiver.kind === 'response') return receiver.path.length === 0;
  if (receiver.kind === 'koa') return receiver.path.join('.') === 'res';
  return receiver.kind === 'reply' && receiver.path.join('.') === 'raw';
}

/** `writeHead(403, 'Forbidden')`: the reason phrase follows the status. */
function phraseArgument(analysis: FileAnalysis, argument: ts.Expression | undefined): Edit[] {
  if (argument && ts.isStringLiteral(argument) && argument.text === 'Forbidden') {
    return [analysis.phraseEdit(argument, reasonPhrase(analysis.target))];
  }
  return [];
}

/** `{ [HTTP2_HEADER_STATUS]: 403 }` */
function computedStatus(
  analysis: FileAnalysis,
  headers: ts.ObjectLiteralExpression,
): ts.PropertyAssignment | undefined {
  return headers.properties.find(
    (p): p is ts.PropertyAssignment =>
      ts.isPropertyAssignment(p) &&
      ts.isComputedPropertyName(p.name) &&
      /HTTP2_HEADER_STATUS$/.test(p.name.expression.getText(analysis.sourceFile)),
  );
}
