import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import type { Framework } from './framework.js';
import { calledFunction, skipOuter } from '../analysis/syntax.js';
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
        // `handle(error: this, ctx) { ctx.response.status(error.status) }` of an exception whose class says
        // its own status: that status, not a caller's choice (session 49: "Shared helper", once per class).
        if (call.args[0] && ownStatus(analysis, call.args[0])) return;
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

/**
 * Whether `status` is `error.status` (the method's first parameter) read in the `handle` / `report` method of an AdonisJS
 * exception class (extends `Exception` of {@link EXCEPTION_MODULES}) whose `static status` is a known status (a 403
 * is reported at the class by error-classes.ts): AdonisJS calls `handle(error, ctx)` with the exception itself, so the value is the class's own.
 */
function ownStatus(analysis: FileAnalysis, status: ts.Expression): boolean {
  const read = skipOuter(status);
  if (!ts.isPropertyAccessExpression(read) || read.name.text !== 'status') return false;
  const method = enclosingMethod(read);
  if (!method || !ts.isIdentifier(method.name) || !['handle', 'report'].includes(method.name.text))
    return false;
  const owner = read.expression;
  const first = method.parameters[0];
  const self =
    ts.isIdentifier(owner) &&
    first !== undefined &&
    ts.isIdentifier(first.name) &&
    first.name.text === owner.text;
  const holder = method.parent;
  if (!self || !ts.isClassDeclaration(holder) || !extendsException(analysis, holder)) return false;
  const declared = holder.members.find(
    (m): m is ts.PropertyDeclaration =>
      ts.isPropertyDeclaration(m) &&
      (ts.getModifiers(m) ?? []).some((x) => x.kind === ts.SyntaxKind.StaticKeyword) &&
      ts.isIdentifier(m.name) &&
      m.name.text === 'status',
  );
  // A 403 too (session 49, left49b): the class is reported where it says it (error-classes.ts), which is the place
  // to act; a "Shared helper" note beside it pointed at callers there are none of.
  const value = declared?.initializer && analysis.statusValue(declared.initializer);
  return value !== undefined;
}

function enclosingMethod(node: ts.Node): ts.MethodDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isMethodDeclaration(current)) return current;
    if (ts.isFunctionLike(current) && !ts.isArrowFunction(current)) return undefined;
  }
  return undefined;
}

function extendsException(analysis: FileAnalysis, declaration: ts.ClassDeclaration): boolean {
  const heritage = declaration.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
  const base = heritage?.types[0]?.expression;
  return base !== undefined && analysis.resolvesTo(base, EXCEPTION_MODULES, 'Exception');
}
