import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import type { Framework } from './framework.js';
import { calledFunction } from '../analysis/syntax.js';
import { methodCall, renameMember } from './shared.js';

/** AdonisJS `response` helpers by status (https://docs.adonisjs.com/guides/basics/response). */
const HELPERS: Readonly<Record<number, string>> = {
  400: 'badRequest',
  401: 'unauthorized',
  402: 'paymentRequired',
  403: 'forbidden',
  404: 'notFound',
  405: 'methodNotAllowed',
  406: 'notAcceptable',
  407: 'proxyAuthenticationRequired',
  408: 'requestTimeout',
  409: 'conflict',
  410: 'gone',
  411: 'lengthRequired',
  412: 'preconditionFailed',
  413: 'requestEntityTooLarge',
  414: 'requestUriTooLong',
  415: 'unsupportedMediaType',
  416: 'requestedRangeNotSatisfiable',
  417: 'expectationFailed',
  422: 'unprocessableEntity',
  429: 'tooManyRequests',
};

/**
 * AdonisJS: `response.forbidden(body)` -> `response.unauthorized(body)`, `response.status(403)`,
 * `response.abort(body, 403)` / `abortIf(cond, body, 403)` / `abortUnless(…)`, on the `response` of the HTTP
 * context (`({ response }: HttpContext)`, `ctx.response`, `this.ctx.response`); and the framework's own
 * `new Exception(message, { status: 403 })` (AdonisJS 6) / `new Exception(message, 403)` (AdonisJS 5).
 */
export const adonis: Framework = {
  id: 'adonis',
  title: 'AdonisJS (response helpers)',
  enablers: ['@adonisjs/core', '@adonisjs/http-server'],
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression],
  visit(node, analysis) {
    if (ts.isNewExpression(node)) {
      exception(analysis, node);
      return;
    }
    const call = methodCall(node);
    if (!call || !(isResponse(call.object) || isMacroThis(analysis, call.object))) return;
    switch (call.method) {
      case 'forbidden':
        helper(analysis, call.call);
        return;
      case 'status':
        analysis.statusSlot(call.args[0], call.call, 'adonis');
        return;
      case 'abort':
        analysis.statusSlot(call.args[1], call.call, 'adonis');
        return;
      case 'abortIf':
      case 'abortUnless':
        analysis.statusSlot(call.args[2], call.call, 'adonis');
        return;
    }
  },
};

/** `this` in `Response.macro('deny', function (…) { this.status(code) })`, the response (analysis/receivers.ts). */
function isMacroThis(analysis: FileAnalysis, object: ts.Expression): boolean {
  return object.kind === ts.SyntaxKind.ThisKeyword && analysis.receiver(object)?.kind === 'response';
}

/** `response` (destructured from the context) or `<anything>.response`; never `h.response(x)` (a call). */
function isResponse(object: ts.Expression): boolean {
  if (ts.isIdentifier(object)) return object.text === 'response';
  return ts.isPropertyAccessExpression(object) && object.name.text === 'response';
}

/**
 * Modules whose `Exception` the AdonisJS exception handler answers with its status: `new Exception(message, {
 * status, code })` (AdonisJS 6, `@adonisjs/core/exceptions`, from `@poppinss/utils`; docs "Exception handling",
 * "Custom exceptions") and `new Exception(message, status, code)` (AdonisJS 5, `@adonisjs/core/build/standalone`).
 */
const EXCEPTION_MODULES = [
  '@adonisjs/core/exceptions',
  '@poppinss/utils',
  '@poppinss/utils/exception',
  '@adonisjs/core/build/standalone',
];

/** `new Exception('Forbidden', { status: 403 })` / `new Exception(m, 403, code)`: the status slot and its phrase. */
function exception(analysis: FileAnalysis, node: ts.NewExpression): void {
  if (!analysis.resolvesTo(node.expression, EXCEPTION_MODULES, 'Exception')) return;
  const [, second] = node.arguments ?? [];
  if (!second) return;
  if (ts.isObjectLiteralExpression(second)) {
    for (const property of second.properties)
      if (
        ts.isPropertyAssignment(property) &&
        (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) &&
        property.name.text === 'status'
      )
        analysis.statusSlot(property.initializer, node, 'adonis');
    return;
  }
  analysis.statusSlot(second, node, 'adonis');
}

function helper(analysis: FileAnalysis, call: ts.CallExpression): void {
  const name = HELPERS[analysis.target];
  const callee = calledFunction(call);
  if (!name) {
    analysis.addSite({
      node: call,
      framework: 'adonis',
      manual: true,
      reason: `AdonisJS has no response helper for ${analysis.target}: write response.status(${analysis.target}).send(body).`,
    });
    return;
  }
  analysis.addSite({
    node: call,
    framework: 'adonis',
    edits: [renameMember(analysis, callee, name), ...analysis.companionEdits(call)],
  });
}
