import ts from '../../typescript.cjs';
import { callArguments, calledFunction, forwardedCall } from '../analysis/syntax.js';
import type { FileAnalysis } from '../analysis.js';
import { camelErrorName } from '../status-names.js';
import type { Edit } from '../types.js';
import type { Framework } from './framework.js';
import { challengeHeaders, type ChallengePlan } from './challenge-headers.js';
import { messageEdits } from './class-rename.js';
import { isMessageOrProps, passesKnownError } from './error-status.js';
import {
  assignment,
  challenge,
  challengeNote,
  isSelfAssignment,
  methodCall,
  quoted,
  renameMember,
  setsChallenge,
} from './shared.js';

const ASSERT_BINARY = new Set([
  'equal',
  'notEqual',
  'strictEqual',
  'notStrictEqual',
  'deepEqual',
  'notDeepEqual',
]);

/** Koa (+ @koa/router, Strapi controllers, koa-respond): `ctx.status = 403`, `ctx.throw(403)`, `ctx.assert(v, 403)`, `ctx.send(403, b)`. */
export const koa: Framework = {
  id: 'koa',
  title: 'Koa (ctx.status, ctx.throw, ctx.assert; Strapi ctx helpers)',
  enablers: [
    'koa',
    // routing-controllers' Koa driver hands a middleware decorator's function `(ctx, next)`.
    'routing-controllers',
    '@koa/router',
    'koa-router',
    'koa-joi-router',
    '@strapi/strapi',
    '@midwayjs/koa',
    '@midwayjs/web',
    'egg',
  ],
  kinds: [ts.SyntaxKind.BinaryExpression, ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    const assign = assignment(node);
    if (assign?.property === 'status') {
      if (isSelfAssignment(assign)) return;
      const receiver = analysis.receiver(assign.object);
      const koaResponse =
        receiver?.kind === 'koa'
          ? !receiver.path.length || receiver.path.join('.') === 'response'
          : destructuredResponse(assign.object);
      if (!koaResponse) return;
      analysis.statusSlot(assign.right, node, 'koa', () => ({ edits: statementHeader(analysis, node) }));
      return;
    }
    const call = methodCall(node);
    if (!call) return;
    const receiver = analysis.receiver(call.object);
    if (receiver?.kind !== 'koa') return;
    const path = receiver.path.join('.');
    if (path === '' && call.method === 'throw') throwSite(analysis, call.call);
    else if (path === '' && call.method === 'assert')
      analysis.statusSlot(call.args[1], call.call, 'koa', () => assertHeaders(analysis, call.call));
    else if (path === 'assert' && ASSERT_BINARY.has(call.method))
      analysis.statusSlot(call.args[2], call.call, 'koa');
    else if (path === 'assert' && call.method === 'ok') analysis.statusSlot(call.args[1], call.call, 'koa');
    else if (path === 'assert' && call.method === 'fail') analysis.statusSlot(call.args[0], call.call, 'koa');
    else if (path === '' && call.method === 'forbidden') strapiHelper(analysis, call.call);
    else if (path === '' && call.method === 'send') respondSend(analysis, call.call);
  },
};

/**
 * `response` in `async ({ response }) => { response.status = 403 }`: Koa's response taken out of the context
 * in the parameter list (`{ response }` or `{ response: r }`). Express's `res.status` is a method, never assigned.
 */
function destructuredResponse(object: ts.Expression): boolean {
  if (!ts.isIdentifier(object)) return false;
  for (let current = object.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    for (const parameter of current.parameters) {
      if (!ts.isObjectBindingPattern(parameter.name)) continue;
      for (const element of parameter.name.elements) {
        if (!ts.isIdentifier(element.name) || element.name.text !== object.text) continue;
        const property = element.propertyName ?? element.name;
        return ts.isIdentifier(property) && property.text === 'response';
      }
    }
  }
  return false;
}

/**
 * `ctx.throw(403, msg, props)` (a `'Forbidden'` message follows); the old `ctx.throw('msg', 403)` order throws a
 * TypeError today: report it.
 */
export function throwSite(analysis: FileAnalysis, call: ts.CallExpression, framework = 'koa'): void {
  const [first, ...rest] = callArguments(call);
  if (!first) return;
  if (ts.isStringLiteral(first) || ts.isTemplateExpression(first)) {
    if (rest.some((a) => analysis.forbiddenEdits(a))) {
      analysis.addSite({
        node: call,
        framework,
        manual: true,
        reason: `ctx.throw(message, 403) has the arguments in the old order (http-errors 2 answers 500 for it): write ctx.throw(${analysis.target}, message).`,
      });
    }
    return;
  }
  // An error object (`ctx.throw(err)`) carries its own status: not a status slot.
  if (ts.isIdentifier(first) && /err/i.test(first.text)) return;
  // `ctx.throw(Boom.badRequest(m))`, `ctx.throw(new NotFoundError())`: the error's status, when it is known and no
  // later argument sets one (http-errors reads `ctx.throw(new Error(), 403)` as 403).
  if (rest.every(isMessageOrProps) && passesKnownError(analysis, first, call, framework)) return;
  analysis.statusSlot(first, call, framework, () => {
    const plan = throwHeaders(analysis, call);
    return plan.manual ? plan : { edits: [...(plan.edits ?? []), ...messageEdits(analysis, rest[0])] };
  });
}

/** `ctx.throw(401, msg)` -> `ctx.throw(401, msg, { headers: { 'WWW-Authenticate': scheme } })`: Koa honours err.headers. */
function throwHeaders(analysis: FileAnalysis, call: ts.CallExpression): ChallengePlan {
  const scheme = challenge(analysis);
  if (!scheme || /www-authenticate/i.test(call.getText(analysis.sourceFile))) return {};
  if (forwardedCall(call)) return { reason: challengeNote(analysis) };
  const props = call.arguments.find((a) => ts.isObjectLiteralExpression(a));
  if (props && ts.isObjectLiteralExpression(props))
    return challengeHeaders(analysis, props, scheme, 'record');
  if (call.arguments.length > 2) return {};
  const end = call.arguments[call.arguments.length - 1].getEnd();
  const header = `{ headers: { ${quoted(analysis, 'WWW-Authenticate')}: ${quoted(analysis, scheme)} } }`;
  return { edits: [{ start: end, end, text: `, ${header}` }] };
}

/** `ctx.assert(v, 401, msg)` -> `ctx.assert(v, 401, msg, { headers: { 'WWW-Authenticate': scheme } })` (http-assert props). */
function assertHeaders(analysis: FileAnalysis, call: ts.CallExpression): ChallengePlan {
  const scheme = challenge(analysis);
  const args = call.arguments;
  if (!scheme || /www-authenticate/i.test(call.getText(analysis.sourceFile))) return {};
  if (forwardedCall(call)) return { reason: challengeNote(analysis) };
  const props = args[3];
  if (props)
    return ts.isObjectLiteralExpression(props) ? challengeHeaders(analysis, props, scheme, 'record') : {};
  const header = `{ headers: { ${quoted(analysis, 'WWW-Authenticate')}: ${quoted(analysis, scheme)} } }`;
  const end = args[args.length - 1].getEnd();
  return { edits: [{ start: end, end, text: args.length === 2 ? `, undefined, ${header}` : `, ${header}` }] };
}

/** `ctx.status = 401;` gets a `ctx.set('WWW-Authenticate', …);` statement before it, in the line's indentation. */
export function statementHeader(analysis: FileAnalysis, node: ts.Node): Edit[] {
  const scheme = challenge(analysis);
  const statement = node.parent;
  if (!scheme || !ts.isExpressionStatement(statement) || setsChallenge(analysis, node)) return [];
  const assign = assignment(node)!;
  const start = statement.getStart(analysis.sourceFile);
  const lineStart = analysis.text.lastIndexOf('\n', start - 1) + 1;
  const indent = analysis.text.slice(lineStart, start);
  if (/\S/.test(indent)) return [];
  const eol = analysis.text.includes('\r\n') ? '\r\n' : '\n';
  const semicolon = statement.getText(analysis.sourceFile).endsWith(';') ? ';' : '';
  const target = assign.object.getText(analysis.sourceFile).replace(/\.response$/, '');
  const text = `${target}.set(${quoted(analysis, 'WWW-Authenticate')}, ${quoted(analysis, scheme)})${semicolon}${eol}${indent}`;
  return [{ start, end: start, text }];
}

/** Strapi's `ctx.forbidden(msg)` -> `ctx.unauthorized(msg)`. */
function strapiHelper(analysis: FileAnalysis, call: ts.CallExpression): void {
  const name = camelErrorName(analysis.target);
  const callee = calledFunction(call);
  if (!name) {
    analysis.addSite({
      node: call,
      framework: 'koa',
      manual: true,
      reason: `No ctx helper for ${analysis.target}: use ctx.throw(${analysis.target}, message).`,
    });
    return;
  }
  analysis.addSite({ node: call, framework: 'koa', edits: [renameMember(analysis, callee, name)] });
}

/**
 * koa-respond's `ctx.send(status, body)` (every helper of koa-respond calls it: `ctx.forbidden(b)` is
 * `ctx.send(403, b)`; npmjs.com/package/koa-respond). Koa itself has no `ctx.send`, and a project may install one
 * taking other arguments, so only a first argument that is a 403 (`403`, `HttpStatus.FORBIDDEN`) is read as the
 * status: a run-time one is left (no "Dynamic status" for `ctx.send(data)` of some other helper). Before session 49
 * it was a 403 in a shape mtls-fix does not know.
 */
function respondSend(analysis: FileAnalysis, call: ts.CallExpression): void {
  const status = callArguments(call)[0];
  if (!status || call.arguments.length > 2 || analysis.evaluate(status).kind !== 'forbidden') return;
  analysis.statusSlot(status, call, 'koa');
}
