import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { escapeRegExp } from '../../util/regexp.js';
import type { FunctionLike } from '../scope.js';
import type { CandidateCall, HelperParam, ReceiverKind } from './types.js';
import { isLinkedCall } from './helper-notes.js';
import { argumentIndex, bindsName, skipOuter } from './syntax.js';

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
 * Installations read: `<receiver>.name = function / arrow` (a receiver as analysis/receivers.ts classifies it:
 * Express `res`, Koa `ctx`, Fastify `reply`, …, in a middleware or hook), Express's `app.response.name =` /
 * `express.response.name =` (the response prototype), Koa's `app.context.name =`, and Fastify's
 * `decorateReply('name', function)`, and hapi's `server.decorate('toolkit', 'name', function)` (session 35), and
 * functions a file installs as globals, `global.name = function` / `globalThis.name = …` (session 36), called in
 * other files as `name(…)` (a name the calling file does not declare or import) or `global.name(…)`. Sources:
 * Express 4 API `app.response` (expressjs.com/en/4x/api.html#res); Koa docs `app.context`; Fastify docs
 * Reference/Decorators.md (`decorateReply`); hapi API reference `server.decorate()`.
 */

/** Where a method is installed: on a kind of receiver, or as a global (Node's `global`, `globalThis`). */
type InstalledOn = ReceiverKind | 'global';

/** One place a method is installed under a name: the function (when it is one here) and where. */
interface Installation {
  kind: InstalledOn;
  name: string;
  fn: FunctionLike | undefined;
  analysis: FileAnalysis;
  node: ts.Node;
}

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

/** Reads the installed helpers of the analysed files (absolute path order does not matter: all are compared). */
export function installedHelpers(analyses: Iterable<FileAnalysis>): InstalledHelpers {
  const all = [...analyses];
  const byKey = new Map<string, Installation[]>();
  const key = (kind: InstalledOn, name: string): string => `${kind} ${name}`;
  // Names some helper is installed under, then every installation of those names (helpers or not).
  const names = new Set<string>();
  for (const analysis of all)
    for (const helper of analysis.helpers) {
      const installed = installationOf(analysis, helper.fn);
      if (installed) names.add(installed.name);
    }
  if (names.size) {
    const word = new RegExp(`\\b(?:${[...names].map(escapeRegExp).join('|')})\\b`);
    for (const analysis of all) {
      if (!word.test(analysis.text)) continue;
      const visit = (node: ts.Node): void => {
        const found = installationAt(analysis, node);
        if (found && names.has(found.name)) {
          const list = byKey.get(key(found.kind, found.name)) ?? [];
          if (!list.some((i) => i.node === found.node)) list.push(found);
          byKey.set(key(found.kind, found.name), list);
        }
        node.forEachChild(visit);
      };
      visit(analysis.sourceFile);
    }
  }
  const installationsOf = (analysis: FileAnalysis, candidate: CandidateCall): Installation[] => {
    const access = candidate.call.expression;
    if (!ts.isCallExpression(candidate.call)) return [];
    // Only a name some file installs as a global is looked up in the calling file's declarations (a walk).
    const global = globalCallee(analysis, access, (name) => byKey.has(key('global', name)));
    if (global) return byKey.get(key('global', global.text)) ?? [];
    if (!ts.isPropertyAccessExpression(access)) return [];
    const receiver = analysis.receiver(access.expression);
    if (!receiver || receiver.path.length) return [];
    return byKey.get(key(receiver.kind, access.name.text)) ?? [];
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
          if (candidate.code || isLinkedCall(candidate.call)) continue;
          const installed = installationsOf(analysis, candidate);
          const sending = installed.filter((i) => helperAt(i, candidate));
          const first = sending[0] && helperAt(sending[0], candidate);
          if (!first || sending.length === installed.length) continue;
          const call = candidate.call;
          const callee = call.expression;
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
            reason: `${callee.getText(analysis.sourceFile)}(…) runs the method the project installs under the name '${name}', which may be any of ${installed.length}: ${installed.map(describe).join('; ')}. mtls-fix cannot prove which one answers: if it answers an mTLS route with 403, pass ${analysis.target}; if not, mark it // mtls-fix-ignore: <why>.`,
          });
        }
    },
  };
}

function placeOf(installed: Installation): string {
  const { analysis, node } = installed;
  const line = analysis.sourceFile.getLineAndCharacterOfPosition(node.getStart(analysis.sourceFile)).line + 1;
  return `${analysis.file}:${line}`;
}

/** The installation a helper's function is the value of, if any (`res.renderError = function (…) {…}`). */
function installationOf(analysis: FileAnalysis, fn: FunctionLike): Installation | undefined {
  let value: ts.Node = fn;
  while (ts.isParenthesizedExpression(value.parent) || ts.isAsExpression(value.parent)) value = value.parent;
  const found = installationAt(analysis, value.parent);
  return found?.fn === fn ? found : undefined;
}

/** `X.name = value` on a receiver or a response / context prototype, or `decorateReply('name', value)`. */
function installationAt(analysis: FileAnalysis, node: ts.Node): Installation | undefined {
  if (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isPropertyAccessExpression(node.left)
  ) {
    const target = node.left.expression;
    const kind = isGlobalObject(target)
      ? 'global'
      : (prototypeKind(target) ?? receiverKind(analysis, target));
    return kind && { kind, name: node.left.name.text, fn: functionOf(node.right), analysis, node };
  }
  const decorated = decoratedReply(node);
  if (decorated)
    return { kind: 'reply', name: decorated.name, fn: functionOf(decorated.value), analysis, node };
  const macro = adonisMacro(analysis, node);
  if (macro) return { kind: 'response', name: macro.name, fn: functionOf(macro.value), analysis, node };
  const toolkit = decoratedToolkit(node);
  if (toolkit) return { kind: 'hapi', name: toolkit.name, fn: functionOf(toolkit.value), analysis, node };
  return undefined;
}

/** Node's global object by its names: `global`, `globalThis` (`(global as any)` too). */
function isGlobalObject(target: ts.Expression): boolean {
  const inner = skipOuter(target);
  return ts.isIdentifier(inner) && (inner.text === 'global' || inner.text === 'globalThis');
}

/**
 * The name a call runs from the global object: `global.name(…)`, `globalThis.name(…)`, or a bare `name(…)` of a name
 * `installed` as a global somewhere that the calling file neither declares nor imports. Undefined otherwise.
 */
function globalCallee(
  analysis: FileAnalysis,
  callee: ts.Expression,
  installed: (name: string) => boolean,
): ts.Identifier | undefined {
  const inner = skipOuter(callee);
  if (ts.isPropertyAccessExpression(inner))
    return isGlobalObject(inner.expression) && ts.isIdentifier(inner.name) ? inner.name : undefined;
  if (!ts.isIdentifier(inner) || !installed(inner.text) || analysis.imports.has(inner.text)) return undefined;
  return declaresName(analysis.sourceFile, inner.text) ? undefined : inner;
}

/** Whether the file declares `name` anywhere (a variable, parameter, function, class or import of that name). */
function declaresName(sourceFile: ts.SourceFile, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ((ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node)) &&
        bindsName(node.name, name)) ||
      ((ts.isFunctionDeclaration(node) ||
        ts.isClassDeclaration(node) ||
        ts.isFunctionExpression(node) ||
        ts.isImportClause(node) ||
        ts.isImportSpecifier(node) ||
        ts.isNamespaceImport(node) ||
        ts.isImportEqualsDeclaration(node) ||
        ts.isEnumDeclaration(node)) &&
        node.name?.text === name)
    )
      found = true;
    else node.forEachChild(visit);
  };
  visit(sourceFile);
  return found;
}

/** An AdonisJS `Response.macro('name', value)` call: the method installed on every response (`response.name(…)`). */
function adonisMacro(
  analysis: FileAnalysis,
  node: ts.Node,
): { name: string; value: ts.Expression } | undefined {
  if (
    !ts.isCallExpression(node) ||
    !ts.isPropertyAccessExpression(node.expression) ||
    node.expression.name.text !== 'macro' ||
    !analysis.resolvesTo(node.expression.expression, ADONIS_HTTP_MODULES, 'Response')
  )
    return undefined;
  const [name, value] = node.arguments;
  return name && value && ts.isStringLiteralLike(name) ? { name: name.text, value } : undefined;
}

/** Modules AdonisJS's `Response` class comes from (v6 `@adonisjs/core/http`, v5 `@ioc:Adonis/Core/Response`). */
const ADONIS_HTTP_MODULES = ['@adonisjs/core/http', '@adonisjs/http-server', '@ioc:Adonis/Core/Response'];

/**
 * A hapi `server.decorate('toolkit', 'name', value)` call: the method installed on every response toolkit `h`
 * (hapi API reference, `server.decorate(type, property, method)`), called as `h.name(…)` in handlers.
 */
function decoratedToolkit(node: ts.Node): { name: string; value: ts.Expression } | undefined {
  if (
    !ts.isCallExpression(node) ||
    !ts.isPropertyAccessExpression(node.expression) ||
    node.expression.name.text !== 'decorate'
  )
    return undefined;
  const [type, name, value] = node.arguments;
  return type &&
    ts.isStringLiteralLike(type) &&
    type.text === 'toolkit' &&
    name &&
    ts.isStringLiteralLike(name) &&
    value
    ? { name: name.text, value }
    : undefined;
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

/** `app.response` / `express.response` (Express's response prototype), `app.context` (Koa's context prototype). */
function prototypeKind(target: ts.Expression): ReceiverKind | undefined {
  if (!ts.isPropertyAccessExpression(target) || !ts.isIdentifier(target.expression)) return undefined;
  return target.name.text === 'response' ? 'response' : target.name.text === 'context' ? 'koa' : undefined;
}

function receiverKind(analysis: FileAnalysis, target: ts.Expression): ReceiverKind | undefined {
  // `(res as any).fail = …`, `res!.fail = …`: TypeScript's casts leave the object as it is.
  const inner = skipOuter(target);
  if (!ts.isIdentifier(inner)) return undefined;
  const receiver = analysis.receiver(inner);
  return receiver && !receiver.path.length ? receiver.kind : undefined;
}

function functionOf(value: ts.Expression): FunctionLike | undefined {
  let inner = value;
  while (ts.isParenthesizedExpression(inner) || ts.isAsExpression(inner)) inner = inner.expression;
  return ts.isFunctionExpression(inner) || ts.isArrowFunction(inner) ? inner : undefined;
}
