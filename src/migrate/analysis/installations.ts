import ts from '../../typescript.cjs';
import type { FunctionLike } from '../scope.js';
import { namesDeclaredWithin } from './block-declarations.js';
import { bindsName, skipOuter } from './syntax.js';

/**
 * Where a project installs a method under a name on a framework's objects (session 34-37), read from the syntax
 * and the file's imports. Both ends use it: analysis/installed-helpers.ts links the calls `O.name(…)` to the
 * functions installed under that name, and receivers.ts reads `this` inside an installed function as the object
 * it is installed on. Sources: Express 4 API `app.response` / `app.request`; Node's `http.ServerResponse`; Koa
 * docs `app.context` / `app.response`; Fastify docs Reference/Decorators.md (`decorate`, `decorateReply`,
 * `decorateRequest`); hapi API reference `server.decorate(type, property, method)`; Elysia docs "Extends Context"
 * (`decorate`, `derive`, `resolve`); AdonisJS docs "Extending the framework" (`macro` on `HttpContext`,
 * `Request`, `Response`); Hono docs `c.set()` / `c.get()` / `c.var`.
 */

/**
 * The kind of object a method is installed on:
 * - `response`: Express's / Node's / restify's response, AdonisJS's `Response`;
 * - `reply`: Fastify's reply; `koa`: Koa's context; `koa-response`: Koa's `ctx.response`; `hapi`: hapi's toolkit;
 * - `request`: Express's, Fastify's, hapi's or AdonisJS's request;
 * - `instance`: a Fastify instance (`fastify.decorate`) or a hapi server (`server.decorate('server', …)`);
 * - `context`: Elysia's handler context (`decorate`, `derive`, `resolve`) or AdonisJS's `HttpContext`;
 * - `hono-var`: a Hono context variable (`c.set(name, value)`, read `c.get(name)` / `c.var.name`);
 * - `global`: Node's global object (`global.name =`, `globalThis.name =`, a sloppy-mode `name = …`).
 */
export type InstalledOn =
  | 'response'
  | 'reply'
  | 'koa'
  | 'koa-response'
  | 'hapi'
  | 'request'
  | 'instance'
  | 'context'
  | 'hono-var'
  | 'global';

/** What installations ask of the file: its imports, and what a receiver expression is (receivers.ts). */
export interface InstallationFile {
  importsModule(...modules: string[]): boolean;
  resolvesTo(expression: ts.Expression, modules: readonly string[], name: string): boolean;
  /** The receiver kind of a bare identifier (`res`, `ctx`, `c`), as receivers.ts classifies it. */
  receiverKind(expression: ts.Expression): string | undefined;
}

/** One method installed under a name: its value as written and the function it is (when it is one here). */
export interface InstalledValue {
  on: InstalledOn;
  name: string;
  value: ts.Expression | ts.MethodDeclaration;
  fn: FunctionLike | undefined;
  /** The installing statement or call (where the installation is reported). */
  node: ts.Node;
}

/** Modules AdonisJS's HTTP classes come from (v6 `@adonisjs/core/http`, v5 `@ioc:Adonis/Core/…`). */
const ADONIS_HTTP = [
  '@adonisjs/core/http',
  '@adonisjs/http-server',
  '@ioc:Adonis/Core/Response',
  '@ioc:Adonis/Core/Request',
  '@ioc:Adonis/Core/HttpContext',
];

/** The installations a node makes (an assignment, `Object.assign`, a decorate / macro / set call). */
export function installationsAt(file: InstallationFile, node: ts.Node): InstalledValue[] {
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = skipOuter(node.left);
    if (ts.isPropertyAccessExpression(left)) {
      const on = targetOn(file, left.expression);
      return on ? [installed(on, left.name.text, node.right, node)] : [];
    }
    // Sloppy mode: `forbid = (res) => …` with no declaration of `forbid` in the file makes a global.
    if (
      ts.isIdentifier(left) &&
      !NOT_GLOBALS.has(left.text) &&
      functionOf(node.right) &&
      !namesDeclaredWithin(left.getSourceFile()).has(left.text)
    )
      return [installed('global', left.text, node.right, node)];
    return [];
  }
  if (!ts.isCallExpression(node)) return [];
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee)) return [];
  const method = callee.name.text;
  const args = node.arguments;
  // `Object.assign(app.context, { fail(code) {…} })`: each member installed on the target.
  if (method === 'assign' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object') {
    const on = args[0] && targetOn(file, args[0]);
    return on ? args.slice(1).flatMap((source) => members(on, source, node)) : [];
  }
  const name = args[0] && ts.isStringLiteralLike(args[0]) ? args[0].text : undefined;
  if (method === 'decorateReply' && name && args[1]) return [installed('reply', name, args[1], node)];
  if (method === 'decorateRequest' && name && args[1]) return [installed('request', name, args[1], node)];
  if (method === 'decorate') {
    // hapi: `server.decorate('toolkit' | 'request' | 'server', name, method)`.
    const hapi = name ? HAPI_DECORATIONS[name] : undefined;
    const property = args[1] && ts.isStringLiteralLike(args[1]) ? args[1].text : undefined;
    if (hapi && property && args[2]) return [installed(hapi, property, args[2], node)];
    const elysia = file.importsModule('elysia');
    // Elysia: `.decorate('name', value)` or `.decorate({ name: value })`; Fastify: `fastify.decorate('name', fn)`.
    if (name && args[1]) return [installed(elysia ? 'context' : 'instance', name, args[1], node)];
    if (elysia && args[0]) return members('context', args[0], node);
    return [];
  }
  // Elysia: `.derive(({ set }) => ({ fail: (code) => … }))`, `.resolve(…)`: members of the object it returns.
  if ((method === 'derive' || method === 'resolve') && file.importsModule('elysia')) {
    const fn = args.find((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
    return fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))
      ? returnedObjects(fn).flatMap((object) => members('context', object, node))
      : [];
  }
  // AdonisJS: `HttpContext.macro('name', fn)`, `Response.macro(…)`, `Request.macro(…)`.
  if (method === 'macro' && name && args[1]) {
    const owner = callee.expression;
    const on: InstalledOn | undefined = file.resolvesTo(owner, ADONIS_HTTP, 'HttpContext')
      ? 'context'
      : file.resolvesTo(owner, ADONIS_HTTP, 'Response')
        ? 'response'
        : file.resolvesTo(owner, ADONIS_HTTP, 'Request')
          ? 'request'
          : undefined;
    return on ? [installed(on, name, args[1], node)] : [];
  }
  // Hono: `c.set('fail', (code) => c.json(…, code))`.
  if (method === 'set' && name && args[1] && file.receiverKind(callee.expression) === 'hono')
    return [installed('hono-var', name, args[1], node)];
  return [];
}

/** Names a CommonJS module or a page assigns without declaring them that are not new globals. */
const NOT_GLOBALS = new Set(['exports', 'module', 'window', 'self', 'document', 'location']);

const HAPI_DECORATIONS: Record<string, InstalledOn> = {
  toolkit: 'hapi',
  request: 'request',
  server: 'instance',
};

/**
 * The object an assignment or `Object.assign` installs on: the global object; Express's `app.response` /
 * `express.response` / `app.request` (Koa's `app.response` in a Koa file), Koa's `app.context`; Node's
 * `http.ServerResponse.prototype` / `IncomingMessage.prototype`; a receiver of a middleware (`res`, `ctx`, a
 * `req` parameter). Casts are seen through (`(app.response as any).fail = …`).
 */
export function targetOn(file: InstallationFile, expression: ts.Expression): InstalledOn | undefined {
  const target = skipOuter(expression);
  if (ts.isIdentifier(target) && (target.text === 'global' || target.text === 'globalThis')) return 'global';
  if (ts.isPropertyAccessExpression(target)) {
    const owner = skipOuter(target.expression);
    const member = target.name.text;
    if (member === 'prototype') {
      const cls = ts.isPropertyAccessExpression(owner)
        ? owner.name.text
        : ts.isIdentifier(owner)
          ? owner.text
          : '';
      return cls === 'ServerResponse' ? 'response' : cls === 'IncomingMessage' ? 'request' : undefined;
    }
    if (!ts.isIdentifier(owner)) return undefined;
    const koa = file.importsModule('koa');
    if (member === 'context') return 'koa';
    if (member === 'response') return koa ? 'koa-response' : 'response';
    if (member === 'request') return 'request';
    return undefined;
  }
  if (!ts.isIdentifier(target)) return undefined;
  const kind = file.receiverKind(target);
  if (kind === 'response' || kind === 'reply' || kind === 'koa' || kind === 'hapi') return kind;
  return isRequestName(target) ? 'request' : undefined;
}

/** A parameter named as a request conventionally is (`req`, `request`), or typed as one (`FastifyRequest`). */
export function isRequestName(identifier: ts.Identifier): boolean {
  const parameter = parameterOf(identifier);
  if (!parameter) return false;
  const type = parameter.type;
  if (type && ts.isTypeReferenceNode(type)) {
    const name = ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
    if (/Request$|^IncomingMessage$/.test(name)) return true;
  }
  return identifier.text === 'req' || identifier.text === 'request';
}

/** The parameter of an enclosing function that binds this identifier's name, if any. */
export function parameterOf(identifier: ts.Identifier): ts.ParameterDeclaration | undefined {
  for (let at: ts.Node | undefined = identifier.parent; at; at = at.parent) {
    if (!ts.isFunctionLike(at)) continue;
    const found = at.parameters.find((p) => bindsName(p.name, identifier.text));
    if (found) return found;
  }
  return undefined;
}

function installed(
  on: InstalledOn,
  name: string,
  value: ts.Expression | ts.MethodDeclaration,
  node: ts.Node,
): InstalledValue {
  return { on, name, value, fn: functionOf(value), node };
}

/** The members of an object literal (`{ fail(code) {…}, deny: (m) => … }`), each an installation. */
function members(on: InstalledOn, source: ts.Expression, node: ts.Node): InstalledValue[] {
  const object = skipOuter(source);
  if (!ts.isObjectLiteralExpression(object)) return [];
  const out: InstalledValue[] = [];
  for (const property of object.properties) {
    if (ts.isMethodDeclaration(property) && ts.isIdentifier(property.name))
      out.push(installed(on, property.name.text, property, node));
    else if (
      ts.isPropertyAssignment(property) &&
      (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
    )
      out.push(installed(on, property.name.text, property.initializer, node));
    else if (ts.isShorthandPropertyAssignment(property))
      out.push(installed(on, property.name.text, property.name, node));
  }
  return out;
}

/** The object literals a function returns (an expression body, or `return { … }` statements). */
function returnedObjects(fn: ts.ArrowFunction | ts.FunctionExpression): ts.Expression[] {
  if (!ts.isBlock(fn.body)) return [fn.body];
  const out: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) out.push(node.expression);
    node.forEachChild(visit);
  };
  fn.body.forEachChild(visit);
  return out;
}

/**
 * The function a value is: a function expression, an arrow, an object method, or a name the file declares as a
 * function at its top level (`fastify.decorateRequest('verify', verify)` of `function verify(…) {…}`).
 */
function functionOf(value: ts.Expression | ts.MethodDeclaration): FunctionLike | undefined {
  if (ts.isMethodDeclaration(value)) return value;
  const inner = skipOuter(value);
  if (ts.isFunctionExpression(inner) || ts.isArrowFunction(inner)) return inner;
  if (!ts.isIdentifier(inner)) return undefined;
  for (const statement of inner.getSourceFile().statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === inner.text && statement.body)
      return statement;
    if (ts.isVariableStatement(statement))
      for (const d of statement.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || d.name.text !== inner.text || !d.initializer) continue;
        const init = skipOuter(d.initializer);
        if (ts.isFunctionExpression(init) || ts.isArrowFunction(init)) return init;
      }
  }
  return undefined;
}

/**
 * The installation a function is the value of (`res.fail = function …`, a member of `Object.assign(app.context,
 * { fail() {} })`, `server.decorate('toolkit', 'fail', function …)`), if any: found by walking up from it.
 */
export function installationOfFunction(file: InstallationFile, fn: ts.Node): InstalledValue | undefined {
  let value: ts.Node = fn;
  while (ts.isParenthesizedExpression(value.parent) || ts.isAsExpression(value.parent)) value = value.parent;
  let at: ts.Node = value.parent;
  // A member of an object literal: the call or assignment that holds the object.
  if (ts.isPropertyAssignment(at) || ts.isObjectLiteralExpression(at)) {
    let object: ts.Node = ts.isObjectLiteralExpression(at) ? at : at.parent;
    while (ts.isParenthesizedExpression(object.parent) || ts.isAsExpression(object.parent))
      object = object.parent;
    at = object.parent;
    // `.derive(() => ({ … }))`, `.derive(() => { return { … } })`.
    if (ts.isArrowFunction(at) || ts.isReturnStatement(at)) {
      let holder: ts.Node | undefined = at;
      while (holder && !ts.isArrowFunction(holder) && !ts.isFunctionExpression(holder))
        holder = holder.parent;
      if (holder) at = holder.parent;
    }
  }
  if (!at) return undefined;
  return installationsAt(file, at).find((i) => i.fn === fn);
}
