import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { escapeRegExp } from '../../util/regexp.js';
import type { CandidateCall, HelperParam } from './types.js';
import { isLinkedCall } from './helper-notes.js';
import { settledForbidden } from './deferred-candidates.js';
import {
  installationsAt,
  isRequestName,
  parameterOf,
  type InstallationFile,
  type InstalledOn,
  type InstalledValue,
} from './installations.js';
import { namesDeclaredWithin } from './block-declarations.js';
import { argumentIndex, skipOuter } from './syntax.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/**
 * Shared helpers a project installs on a framework's response, reply or context under a name, then calls by that
 * name on the receiver of another handler (session 34; nodeclub's `res.renderError = function (error, statusCode)
 * { … res.status(statusCode) … }` in a middleware, called as `res.renderError('…', 403)` in its controllers). No
 * import links such a call to the function: it runs whatever function sits under that name on the object when it
 * is called. The call is provable when every installation of the name on that kind of object (in the run's parsed
 * files) is a helper taking the status at the call's argument: then its 403 is rewritten at the call as any
 * helper call's is. When some installation of the name does not take the status there, the call is named with
 * the installations it may run.
 *
 * Installations read (analysis/installations.ts): `<receiver>.name = function / arrow` (a receiver as
 * analysis/receivers.ts classifies it: Express `res`, Koa `ctx`, Fastify `reply`, …, in a middleware or hook),
 * Express's `app.response.name =` / `express.response.name =` (the response prototype), Koa's `app.context.name =`,
 * Fastify's `decorateReply('name', function)`, hapi's `server.decorate('toolkit', 'name', function)` (session 35),
 * functions a file installs as globals, `global.name = function` / `globalThis.name = …` (session 36), called in
 * other files as `name(…)` (a name the calling file does not declare or import) or `global.name(…)`; and (session
 * 37) `Object.assign(<any of those>, { name(…) {…} })`, casts (`(app.response as any).name =`), Node's
 * `http.ServerResponse.prototype.name =`, Koa's `app.response.name =` (called `ctx.response.name(…)`), requests
 * (`decorateRequest`, hapi `decorate('request')`, `app.request.name =`, called `req.name(…)` / `request.name(…)`),
 * Fastify's `decorate` and hapi's `decorate('server')` (called `app.name(…)`, `fastify.name(…)`,
 * `request.server.name(…)`), Elysia's `decorate` / `derive` / `resolve` (called `({ name }) => name(…)` or
 * `ctx.name(…)` in a handler), AdonisJS's `HttpContext.macro` / `Request.macro` (called `ctx.name(…)` of a
 * `ctx: HttpContext`), Hono's `c.set('name', fn)` (called `c.get('name')(…)`, `c.var.name(…)`), and a sloppy-mode
 * `name = function …` with no declaration of `name` in its file (a global).
 */

/**
 * What the run knows of installed methods, rebuilt per round of helper matching (files analysed on demand add
 * installations): `helpers` gives the helpers a call reaches when it is provable, `unproved` the reason a call
 * on an installed name is not.
 */
export interface InstalledHelpers {
  /** The helpers the call runs, one per installation, when every installation takes the status at its argument. */
  helpers(analysis: FileAnalysis, candidate: CandidateCall): HelperParam[];
  /** Names the candidate calls of installed helpers that were not linked (call it once the rounds are over). */
  nameUnproved(analyses: Iterable<FileAnalysis>): void;
}

/** One place a method is installed under a name, in a file of the run. */
interface Installation extends InstalledValue {
  analysis: FileAnalysis;
}

/** Reads the installed helpers of the analysed files (absolute path order does not matter: all are compared). */
export function installedHelpers(analyses: Iterable<FileAnalysis>): InstalledHelpers {
  const all = [...analyses];
  const byKey = new Map<string, Installation[]>();
  const key = (on: InstalledOn, name: string): string => `${on} ${name}`;
  // Names some helper is installed under (a walk of each file that has helpers), then every installation of those
  // names (helpers or not) in the files that mention one.
  const names = new Set<string>();
  for (const analysis of all) {
    if (!analysis.helpers.length) continue;
    const fns = new Set<ts.Node>(analysis.helpers.map((h) => h.fn));
    for (const found of installationsIn(analysis)) if (found.fn && fns.has(found.fn)) names.add(found.name);
  }
  if (names.size) {
    const word = new RegExp(`\\b(?:${[...names].map(escapeRegExp).join('|')})\\b`);
    for (const analysis of all) {
      if (!word.test(analysis.text)) continue;
      for (const found of installationsIn(analysis)) {
        if (!names.has(found.name)) continue;
        const list = byKey.get(key(found.on, found.name)) ?? [];
        if (!list.some((i) => i.node === found.node && i.fn === found.fn)) list.push(found);
        byKey.set(key(found.on, found.name), list);
      }
    }
  }
  const installationsOf = (analysis: FileAnalysis, candidate: CandidateCall): Installation[] => {
    if (!ts.isCallExpression(candidate.call) || !byKey.size) return [];
    const called = calledOn(analysis, candidate.call, (name) => byKey.has(key('global', name)));
    if (!called) return [];
    return called.on.flatMap((on) => byKey.get(key(on, called.name)) ?? []);
  };
  const helperAt = (installed: Installation, candidate: CandidateCall): HelperParam | undefined =>
    installed.analysis.helpers.find(
      (h) =>
        h.fn === installed.fn &&
        argumentIndex(h.fn, h.index) === candidate.index &&
        h.property === candidate.property,
    );
  return {
    helpers(analysis, candidate) {
      const installed = installationsOf(analysis, candidate);
      const found = installed.map((i) => helperAt(i, candidate));
      return installed.length && found.every((h) => h !== undefined) ? found : [];
    },
    nameUnproved(files) {
      for (const analysis of files)
        for (const candidate of analysis.candidateCalls) {
          if (candidate.code || isLinkedCall(candidate.call) || !settledForbidden(analysis, candidate))
            continue;
          const installed = installationsOf(analysis, candidate);
          const sending = installed.filter((i) => helperAt(i, candidate));
          const first = sending[0] && helperAt(sending[0], candidate);
          if (!first || sending.length === installed.length) continue;
          const call = candidate.call;
          const callee = skipOuter(call.expression);
          const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : callee.getText();
          const describe = (i: Installation): string => {
            const helper = helperAt(i, candidate);
            return helper
              ? `${placeOf(i)} sends its parameter '${helper.name}' as the status`
              : `${placeOf(i)} does not take the status there`;
          };
          analysis.addSite({
            node: call,
            at: candidate.value,
            framework: first.framework,
            manual: true,
            reason: `${call.expression.getText(analysis.sourceFile)}(…) runs the method the project installs under the name '${name}', which may be any of ${installed.length}: ${installed.map(describe).join('; ')}. mtls-fix cannot prove which one answers: if it answers an mTLS route with 403, pass ${analysis.target}; if not, mark it // mtls-fix-ignore: <why>.`,
          });
        }
    },
  };
}

function placeOf(installed: Installation): string {
  const { analysis, node } = installed;
  const line = lineAndCharacterAt(analysis.sourceFile, node.getStart(analysis.sourceFile)).line + 1;
  return `${analysis.file}:${line}`;
}

/** Every installation a file makes (one walk; asked only of files that have helpers or mention their names). */
function installationsIn(analysis: FileAnalysis): Installation[] {
  const cached = INSTALLATIONS.get(analysis);
  if (cached) return cached;
  const file = installationFile(analysis);
  const out: Installation[] = [];
  const visit = (node: ts.Node): void => {
    for (const found of installationsAt(file, node)) out.push({ ...found, analysis });
    node.forEachChild(visit);
  };
  visit(analysis.sourceFile);
  INSTALLATIONS.set(analysis, out);
  return out;
}

const INSTALLATIONS = new WeakMap<FileAnalysis, Installation[]>();

/** What analysis/installations.ts asks of a file, answered by its analysis. */
export function installationFile(analysis: FileAnalysis): InstallationFile {
  return {
    importsModule: (...modules) => analysis.importsModule(...modules),
    resolvesTo: (expression, modules, name) => analysis.resolvesTo(expression, modules, name),
    receiverKind: (expression) => {
      const receiver = analysis.receiver(expression);
      return receiver && !receiver.path.length ? receiver.kind : undefined;
    },
  };
}

/**
 * The kinds of object a call's method may be installed on and the method's name, or undefined when the call
 * does not run a method by name from a framework object: `res.fail(…)`, `(ctx.response as any).fail(…)`,
 * `request.fail(…)`, `app.fail(…)`, `c.get('fail')(…)`, `c.var.fail(…)`, `fail(…)` destructured from an Elysia
 * handler's context, `global.fail(…)` or a bare `fail(…)` of a name `isGlobal` (installed as a global) that the
 * calling file neither declares nor imports.
 */
function calledOn(
  analysis: FileAnalysis,
  call: ts.CallExpression,
  isGlobal: (name: string) => boolean,
): { on: InstalledOn[]; name: string } | undefined {
  const callee = skipOuter(call.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    const on = objectKinds(analysis, callee.expression);
    return on.length ? { on, name: callee.name.text } : undefined;
  }
  // Hono: `c.get('fail')(403)`.
  if (ts.isCallExpression(callee)) {
    const getter = skipOuter(callee.expression);
    const [name] = callee.arguments;
    return ts.isPropertyAccessExpression(getter) &&
      getter.name.text === 'get' &&
      name &&
      ts.isStringLiteralLike(name) &&
      analysis.receiver(getter.expression)?.kind === 'hono'
      ? { on: ['hono-var'], name: name.text }
      : undefined;
  }
  if (!ts.isIdentifier(callee)) return undefined;
  const destructured = destructuredFrom(analysis, callee);
  if (destructured) return destructured;
  if (!isGlobal(callee.text) || analysis.imports.has(callee.text)) return undefined;
  return namesDeclaredWithin(analysis.sourceFile).has(callee.text)
    ? undefined
    : { on: ['global'], name: callee.text };
}

/** Names a Fastify instance or a hapi server conventionally has in a file that imports the framework. */
const INSTANCE_NAMES = new Set(['app', 'fastify', 'server', 'instance']);

/**
 * The kinds of installed object an expression may be (empty when none): a receiver (`res`, `reply`, `ctx`, `h`,
 * `ctx.response` in Koa, `c.var` in Hono), a request (`req`, `request`, a parameter typed `…Request`), a Fastify
 * instance or hapi server (a conventional name in a file importing fastify or hapi, a `FastifyInstance` parameter,
 * `request.server`), Elysia's handler context (a parameter of a handler in a file importing elysia) or
 * AdonisJS's (a parameter typed `HttpContext`), or the global object.
 */
function objectKinds(analysis: FileAnalysis, expression: ts.Expression): InstalledOn[] {
  const object = skipOuter(expression);
  const out = new Set<InstalledOn>();
  if (ts.isIdentifier(object) && (object.text === 'global' || object.text === 'globalThis'))
    return ['global'];
  const receiver = analysis.receiver(object);
  if (receiver && !receiver.path.length && RECEIVER_KINDS.has(receiver.kind))
    out.add(receiver.kind as InstalledOn);
  if (receiver?.kind === 'koa' && receiver.path.join('.') === 'response') out.add('koa-response');
  if (receiver?.kind === 'hono' && receiver.path.join('.') === 'var') out.add('hono-var');
  if (ts.isPropertyAccessExpression(object) && object.name.text === 'server') {
    const owner = skipOuter(object.expression);
    if (ts.isIdentifier(owner) && (isRequestName(owner) || analysis.receiver(owner)?.kind === 'reply'))
      out.add('instance');
  }
  if (!ts.isIdentifier(object)) return [...out];
  if (isRequestName(object)) out.add('request');
  const parameter = parameterOf(object);
  if (
    (INSTANCE_NAMES.has(object.text) &&
      analysis.importsModule('fastify', 'fastify-plugin', '@hapi/hapi', 'hapi')) ||
    (parameter && typeNamed(parameter, /^(?:FastifyInstance|Server)$/))
  )
    out.add('instance');
  if (parameter && parameterContext(analysis, parameter)) out.add('context');
  return [...out];
}

const RECEIVER_KINDS = new Set<string>(['response', 'reply', 'koa', 'hapi']);

/** A parameter handing over a framework's handler context: typed `HttpContext` (AdonisJS), or in an Elysia file. */
function parameterContext(analysis: FileAnalysis, parameter: ts.ParameterDeclaration): boolean {
  if (parameter.type && ts.isTypeReferenceNode(parameter.type)) {
    const typeName = parameter.type.typeName;
    const root = ts.isIdentifier(typeName) ? typeName : undefined;
    if (root && analysis.resolvesTo(root, ADONIS_CONTEXT_MODULES, 'HttpContext')) return true;
  }
  const fn = parameter.parent;
  return (
    analysis.importsModule('elysia') &&
    fn.parameters[0] === parameter &&
    (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
    ts.isCallExpression(fn.parent) &&
    fn.parent.arguments.includes(fn)
  );
}

const ADONIS_CONTEXT_MODULES = [
  '@adonisjs/core/http',
  '@adonisjs/http-server',
  '@ioc:Adonis/Core/HttpContext',
];

function typeNamed(parameter: ts.ParameterDeclaration, pattern: RegExp): boolean {
  const type = parameter.type;
  if (!type || !ts.isTypeReferenceNode(type)) return false;
  return pattern.test(ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text);
}

/**
 * A name destructured from an installed object: `({ fail }) => fail(403)` of an Elysia handler (or a parameter
 * typed `HttpContext`), `const { fail } = ctx` / `const { fail } = c.var`.
 */
function destructuredFrom(
  analysis: FileAnalysis,
  identifier: ts.Identifier,
): { on: InstalledOn[]; name: string } | undefined {
  for (let at: ts.Node | undefined = identifier.parent; at; at = at.parent) {
    if (ts.isFunctionLike(at)) {
      for (const parameter of at.parameters) {
        const name = boundProperty(parameter.name, identifier.text);
        if (name === undefined) continue;
        return parameterContext(analysis, parameter) ? { on: ['context'], name } : undefined;
      }
    }
    if (ts.isBlock(at) || ts.isSourceFile(at))
      for (const statement of at.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        for (const d of statement.declarationList.declarations) {
          const name = d.initializer && boundProperty(d.name, identifier.text);
          if (name === undefined || !d.initializer) continue;
          const on = objectKinds(analysis, d.initializer);
          return on.length ? { on, name } : undefined;
        }
      }
  }
  return undefined;
}

/** The property an object pattern binds `local` from (`fail` in `{ fail }`, `{ fail: deny }`), top level only. */
function boundProperty(name: ts.BindingName, local: string): string | undefined {
  if (!ts.isObjectBindingPattern(name)) return undefined;
  for (const element of name.elements) {
    if (!ts.isIdentifier(element.name) || element.name.text !== local || element.dotDotDotToken) continue;
    const property = element.propertyName;
    if (!property) return local;
    return ts.isIdentifier(property) || ts.isStringLiteral(property) ? property.text : undefined;
  }
  return undefined;
}

/**
 * A Fastify `X.decorateReply('name', value)` call: the name installed on every reply and its value (also read by
 * installed-methods.ts, which links the calls of such methods across files).
 */
export function decoratedReply(node: ts.Node): { name: string; value: ts.Expression } | undefined {
  if (
    !ts.isCallExpression(node) ||
    !ts.isPropertyAccessExpression(node.expression) ||
    node.expression.name.text !== 'decorateReply'
  )
    return undefined;
  const [name, value] = node.arguments;
  return name && value && ts.isStringLiteralLike(name) ? { name: name.text, value } : undefined;
}
