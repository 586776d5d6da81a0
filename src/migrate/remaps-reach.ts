import path from 'node:path';
import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { loadedModule, propertyValue, shorten, skipOuter } from './analysis/syntax.js';
import { handlerFunction } from './remaps-handlers.js';
import { writtenValue } from './local-values.js';
import { ROUTE_METHODS } from './scope.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * Whether a central code remap (remaps-covered.ts) reaches an implicit 403, by where each is registered (session 36;
 * before, a remap in the same file, or in the run's one app, covered every site of its framework, whatever the
 * order). The rules, each the framework's own:
 * - Express: an error middleware handles the errors of what is registered BEFORE it on the same app or router, or
 *   on a router mounted on it before it (Express guide "Error handling": "define error-handling middleware last,
 *   after other app.use() and routes calls");
 * - Koa: a middleware sees what the middleware registered AFTER it (downstream) throws or sets (koa-compose);
 * - Fastify: a hook or error handler applies to the instance it is set on and the plugins registered in it, never
 *   to a parent or sibling (Fastify "Encapsulation"; a plugin wrapped in fastify-plugin shares its parent's
 *   instance);
 * - hapi: a request extension applies to every route of the server, unless added with `sandbox: 'plugin'` (then
 *   to the routes of that plugin only: its file here);
 * - Hono: `app.onError` answers every route of the app.
 * A remap of another file reaches a site only when the run creates one app of the framework; then the site's
 * mount (a registration of the remap's file that loads the site's file, else any project module mounted on the
 * remap's receiver) must be on the remap's side of the order.
 */
export interface ReachInput {
  family: 'hapi' | 'express' | 'koa' | 'fastify' | 'hono';
  /** The remap's registration call (`app.use(fn)`, `fastify.setErrorHandler(fn)`, `server.ext(…)`). */
  remapCall: ts.CallExpression;
  remapAnalysis: FileAnalysis;
  /** The site's node and file; undefined when its file has no analysis (nothing to order: not reached). */
  siteNode: ts.Node | undefined;
  siteAnalysis: FileAnalysis | undefined;
  /** How many apps of the family the run creates (one ties its files together). */
  apps: number;
  /**
   * The remap is an mtls-fix runtime guard (remaps-runtime.ts): an Express one wraps the answers of what is
   * registered AFTER it (mounted first, as README says), not before as error middleware.
   */
  runtimeGuard?: boolean;
}

/** Reached, or not with why (one clause, for the site's reason). */
export type Reach = { reaches: true } | { reaches: false; why: string };

const REACHED: Reach = { reaches: true };

/**
 * Methods that register middleware or routes on an Express / Koa app or router (scope.ts `ROUTE_METHODS`), or a
 * Fastify plugin (`register`).
 */
const REGISTERS: ReadonlySet<string> = new Set([...ROUTE_METHODS, 'register']);

/** See {@link ReachInput}. */
export function reaches(input: ReachInput): Reach {
  const { family, remapAnalysis, siteAnalysis, siteNode } = input;
  const oneApp = input.apps === 1;
  const sameFile = siteAnalysis !== undefined && siteAnalysis === remapAnalysis;
  if (family === 'hapi') return hapiReach(input, sameFile);
  if (family === 'fastify') return fastifyReach(input, sameFile);
  if (!sameFile && !oneApp) return { reaches: false, why: otherFile(family, input.apps) };
  if (family === 'hono' || !siteNode || !siteAnalysis) return sameFile || oneApp ? REACHED : notRead();
  return orderReach(input, siteNode, siteAnalysis, sameFile);
}

/** Why a remap of another file is not taken to reach: the run's apps cannot tie the files together. */
function otherFile(family: string, apps: number): string {
  return apps
    ? `it is in another file and the run creates ${apps} ${family} apps, so mtls-fix cannot tell which one each file serves`
    : `it is in another file and mtls-fix finds no ${family} app created in the run to tie the two files together`;
}

function notRead(): Reach {
  return { reaches: false, why: 'mtls-fix cannot read where this 403 is registered' };
}

function lineOf(analysis: FileAnalysis, node: ts.Node): number {
  return lineAndCharacterAt(analysis.sourceFile, node.getStart(analysis.sourceFile)).line + 1;
}

function hapiReach(input: ReachInput, sameFile: boolean): Reach {
  if (sameFile) return REACHED;
  const sandbox = hapiSandbox(input.remapCall, input.remapAnalysis.sourceFile);
  if (typeof sandbox === 'object')
    return {
      reaches: false,
      why: `mtls-fix cannot read its ${sandbox.unread}, so cannot tell whether sandbox: 'plugin' keeps it to the routes of its own plugin`,
    };
  if (sandbox === 'plugin')
    return {
      reaches: false,
      why: "it is added with sandbox: 'plugin', for the routes of its own plugin only",
    };
  if (input.apps === 1) return REACHED;
  return { reaches: false, why: otherFile('hapi', input.apps) };
}

/**
 * The `sandbox` a hapi request extension is added with: of its options (`server.ext('onPreResponse', fn, options)`,
 * `server.ext({ type, method, options })`), each written in place or held by a local (`const options = { … }`,
 * local-values.ts `writtenValue`). undefined when none is written; `unread` names what is written but not read
 * (options a parameter or a call gives, a sandbox read from a variable), so the remap is never taken to reach.
 */
function hapiSandbox(
  call: ts.CallExpression,
  sourceFile: ts.SourceFile,
): string | undefined | { unread: string } {
  const [first, , third] = call.arguments;
  const options = writtenValue(
    first && ts.isObjectLiteralExpression(first) ? propertyValue(first, 'options') : third,
    sourceFile,
  );
  if (!options) return undefined;
  if (!ts.isObjectLiteralExpression(options))
    return { unread: `options (${shorten(options.getText(sourceFile))})` };
  const sandbox = writtenValue(propertyValue(options, 'sandbox'), sourceFile);
  if (!sandbox) return undefined;
  return ts.isStringLiteralLike(sandbox)
    ? sandbox.text
    : { unread: `sandbox (${shorten(sandbox.getText(sourceFile))})` };
}

// ---------------------------------------------------------------------------------------------------------------
// Express and Koa: order on the app / router chain.

/** A registration of the site on a receiver: `app.use(csurf())`, `router.post('/x', csrfProtection, h)`. */
interface Mount {
  receiver: string;
  call: ts.CallExpression;
}

function orderReach(
  input: ReachInput,
  siteNode: ts.Node,
  siteAnalysis: FileAnalysis,
  sameFile: boolean,
): Reach {
  const { remapCall, remapAnalysis, family } = input;
  const remapReceiver = receiverOf(remapCall);
  if (!remapReceiver) return notRead();
  const after = family === 'express' && !input.runtimeGuard;
  const where = `${remapAnalysis.file}:${lineOf(remapAnalysis, remapCall)}`;
  // The site's own mounts in its file, carried to the remap's receiver through the routers mounted on it.
  let mounts: ts.CallExpression[] = [];
  if (sameFile) {
    for (const mount of mountsOf(siteNode, siteAnalysis)) {
      // The remap itself may name the site's import (`err instanceof IpDeniedError`): no mount of the 403.
      if (contains(mount.call, remapCall) || contains(remapCall, mount.call)) continue;
      const onRemap = carried(mount, remapReceiver, siteAnalysis);
      if (!onRemap)
        return {
          reaches: false,
          why: `the 403 is registered on ${mount.receiver} (line ${lineOf(siteAnalysis, mount.call)}), which mtls-fix does not find mounted on ${remapReceiver}`,
        };
      mounts.push(onRemap);
    }
  }
  // Another file (or a site the file does not mount): the remap's file's registrations that load the site's file,
  // else every registration on the receiver that mounts project code (a relative import).
  if (!mounts.length) {
    mounts = registrations(remapAnalysis, remapReceiver).filter((call) =>
      loadsFile(call, remapAnalysis, siteAnalysis.file),
    );
    if (!mounts.length) {
      const project = registrations(remapAnalysis, remapReceiver).filter(
        (call) =>
          call !== remapCall &&
          !isErrorMiddleware(call, remapAnalysis) &&
          loadsProjectCode(call, remapAnalysis),
      );
      const wrong = project.find((call) => (after ? call.pos > remapCall.pos : call.pos < remapCall.pos));
      if (wrong)
        return {
          reaches: false,
          why: `project routes are mounted on ${remapReceiver} ${after ? 'after' : 'before'} it (line ${lineOf(remapAnalysis, wrong)}), and mtls-fix cannot tell whether this 403 is among them`,
        };
      return REACHED;
    }
  }
  for (const mount of mounts) {
    const ok = after ? mount.pos < remapCall.pos : mount.pos > remapCall.pos;
    if (!ok)
      return {
        reaches: false,
        why:
          family === 'express' && after
            ? `it is registered before this 403's middleware or route (line ${lineOf(remapAnalysis, mount)}) on ${remapReceiver}, and Express error middleware handles only what is registered before it (${where})`
            : family === 'express'
              ? `it is registered after this 403's middleware or route (line ${lineOf(remapAnalysis, mount)}) on ${remapReceiver}, and it wraps only the answers of what is registered after it (${where}): mount it first`
              : `it is registered after this 403's middleware (line ${lineOf(remapAnalysis, mount)}) on ${remapReceiver}, and a Koa middleware sees only what runs downstream of it (${where})${input.runtimeGuard ? ': mount it first' : ''}`,
      };
  }
  return REACHED;
}

/** `app` for `app.use(…)`, `this.app` for `this.app.use(…)`, `router` for `router.route('/x').post(…)`. */
export function receiverOf(call: ts.CallExpression): string | undefined {
  let object: ts.Expression = call.expression;
  if (!ts.isPropertyAccessExpression(object)) return undefined;
  object = object.expression;
  for (;;) {
    const inner = skipOuter(object);
    if (ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression))
      object = inner.expression.expression;
    else if (ts.isPropertyAccessExpression(inner) && inner.expression.kind !== ts.SyntaxKind.ThisKeyword)
      object = inner.expression;
    else break;
  }
  const inner = skipOuter(object);
  if (ts.isIdentifier(inner)) return inner.text;
  if (ts.isPropertyAccessExpression(inner) && inner.expression.kind === ts.SyntaxKind.ThisKeyword)
    return `this.${inner.name.text}`;
  return undefined;
}

function registrationMethod(call: ts.CallExpression): string | undefined {
  return ts.isPropertyAccessExpression(call.expression) && REGISTERS.has(call.expression.name.text)
    ? call.expression.name.text
    : undefined;
}

const registrationCache = new WeakMap<ts.SourceFile, ts.CallExpression[]>();

/** The registration calls of a file (`x.use(…)`, `x.get(…)`, …), in order. */
function allRegistrations(analysis: FileAnalysis): ts.CallExpression[] {
  const known = registrationCache.get(analysis.sourceFile);
  if (known) return known;
  const out: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && registrationMethod(node)) out.push(node);
    node.forEachChild(visit);
  };
  visit(analysis.sourceFile);
  registrationCache.set(analysis.sourceFile, out);
  return out;
}

function registrations(analysis: FileAnalysis, receiver: string): ts.CallExpression[] {
  return allRegistrations(analysis).filter((call) => receiverOf(call) === receiver);
}

/** `app.use(fn)` of a four-parameter function, written in place or passed by name (remaps-handlers.ts). */
function isErrorMiddleware(call: ts.CallExpression, analysis: FileAnalysis): boolean {
  const first = call.arguments[0];
  return (
    !!first && call.arguments.length === 1 && handlerFunction(first, analysis)?.fn.parameters.length === 4
  );
}

/** The names that hold the site: an import's or require's bindings, a variable its call is assigned to, and one hop on. */
function namesOf(siteNode: ts.Node, analysis: FileAnalysis): Set<string> {
  const names = new Set<string>();
  // `const x = require('m');` reported at its statement.
  if (ts.isVariableStatement(siteNode))
    for (const declaration of siteNode.declarationList.declarations) addBound(declaration.name, names);
  for (let node: ts.Node | undefined = siteNode; node && !ts.isSourceFile(node); node = node.parent) {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) names.add(e.name.text);
      break;
    }
    if (ts.isVariableDeclaration(node)) {
      addBound(node.name, names);
      break;
    }
    if (ts.isStatement(node) || ts.isFunctionLike(node)) break;
  }
  // One hop: `const protect = lusca.csrf()`, `const csrfProtection = csurf({ cookie: true })`.
  for (let round = 0; round < 3 && names.size; round++) {
    const before = names.size;
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && node.initializer && mentions(node.initializer, names))
        addBound(node.name, names);
      node.forEachChild(visit);
    };
    visit(analysis.sourceFile);
    if (names.size === before) break;
  }
  return names;
}

function addBound(name: ts.BindingName, names: Set<string>): void {
  if (ts.isIdentifier(name)) names.add(name.text);
  else
    for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBound(element.name, names);
}

function mentions(node: ts.Node, names: ReadonlySet<string>): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && names.has(n.text)) {
      const parent = n.parent;
      // `x.lusca` is no use of `lusca`.
      if (!(ts.isPropertyAccessExpression(parent) && parent.name === n)) found = true;
    }
    n.forEachChild(visit);
  };
  visit(node);
  return found;
}

/** Where the site is registered in its file: the registration holding it, or holding a name bound to it. */
function mountsOf(siteNode: ts.Node, analysis: FileAnalysis): Mount[] {
  const out: Mount[] = [];
  for (let node: ts.Node | undefined = siteNode; node && !ts.isSourceFile(node); node = node.parent)
    if (ts.isCallExpression(node) && registrationMethod(node)) {
      const receiver = receiverOf(node);
      if (receiver) return [{ receiver, call: node }];
    }
  const names = namesOf(siteNode, analysis);
  if (!names.size) return out;
  for (const call of allRegistrations(analysis)) {
    const receiver = receiverOf(call);
    if (receiver && !names.has(receiver) && call.arguments.some((a) => mentions(a, names)))
      out.push({ receiver, call });
  }
  return out;
}

/**
 * The registration on `target` that carries `mount`: the mount itself when it is on `target`, else the
 * `target.use(…, router)` that mounts its router (Koa: `target.use(router.routes())`), one or two levels up.
 */
function carried(mount: Mount, target: string, analysis: FileAnalysis): ts.CallExpression | undefined {
  let receiver = mount.receiver;
  let call = mount.call;
  for (let depth = 0; depth < 3; depth++) {
    if (receiver === target) return call;
    const router = receiver;
    const up = allRegistrations(analysis).find(
      (c) => receiverOf(c) !== router && c.arguments.some((a) => mentions(a, new Set([router]))),
    );
    const next = up && receiverOf(up);
    if (!up || !next) return undefined;
    receiver = next;
    call = up;
  }
  return undefined;
}

/** Whether a registration loads `file`: `app.use(require('./routes'))`, or a name imported from it. */
function loadsFile(call: ts.CallExpression, analysis: FileAnalysis, file: string): boolean {
  return [...modulesNamed(call.arguments, analysis)].some((s) => resolvesTo(analysis.file, s, file));
}

function loadsProjectCode(call: ts.CallExpression, analysis: FileAnalysis): boolean {
  return [...modulesNamed(call.arguments, analysis)].some((s) => s.startsWith('.'));
}

/**
 * The modules `nodes` name: the import of each identifier in them (`csurf` of `csurf()`), each module loaded in
 * place (`require('./routes')`, analysis/syntax.ts `loadedModule`), and, `follow` variables deep, the modules of the
 * initializer of a local an identifier names (`csrfProtection` of `const csrfProtection = csurf()`).
 */
export function modulesNamed(nodes: readonly ts.Node[], analysis: FileAnalysis, follow = 0): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = (node: ts.Node, depth: number): void => {
    if (ts.isIdentifier(node)) {
      if (seen.has(node.text)) return;
      seen.add(node.text);
      const module = analysis.importOf(node.text)?.module;
      if (module) out.add(module);
      else if (depth < follow)
        for (const declaration of analysis.variableDeclarations)
          if (
            ts.isIdentifier(declaration.name) &&
            declaration.name.text === node.text &&
            declaration.initializer
          )
            visit(declaration.initializer, depth + 1);
      return;
    }
    const loaded = ts.isCallExpression(node) ? loadedModule(node) : undefined;
    if (loaded) out.add(loaded);
    node.forEachChild((child) => visit(child, depth));
  };
  for (const node of nodes) visit(node, 0);
  return out;
}

function resolvesTo(from: string, specifier: string, file: string): boolean {
  if (!specifier.startsWith('.')) return false;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const bare = file.replace(/\.[cm]?[jt]sx?$/, '');
  return bare === target.replace(/\.[cm]?[jt]sx?$/, '') || bare === `${target}/index`;
}

// ---------------------------------------------------------------------------------------------------------------
// Fastify: encapsulation.

/**
 * The encapsulated plugin function a node sits in: a function registered with `x.register(fn)` or exported as the
 * file's plugin, unless wrapped in fastify-plugin (`fp(fn)`, which shares its parent's instance). Undefined: the
 * file's top level (the root instance where the file creates the app).
 */
function pluginOf(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let up: ts.Node | undefined = node.parent; up && !ts.isSourceFile(up); up = up.parent) {
    if (!(ts.isFunctionExpression(up) || ts.isArrowFunction(up) || ts.isFunctionDeclaration(up))) continue;
    if (encapsulates(up)) return up;
  }
  return undefined;
}

function encapsulates(fn: ts.FunctionLikeDeclaration): boolean {
  const parent = fn.parent;
  if (ts.isCallExpression(parent)) {
    const callee = skipOuter(parent.expression);
    if (ts.isIdentifier(callee) && /^(?:fp|fastifyPlugin|plugin)$/.test(callee.text)) return false;
    return (
      ts.isPropertyAccessExpression(callee) && callee.name.text === 'register' && parent.arguments[0] === fn
    );
  }
  // `export default async function (fastify) {…}`, `module.exports = async (fastify) => {…}`: the file's plugin.
  if (ts.isFunctionDeclaration(fn)) return hasExportDefault(fn);
  if (ts.isExportAssignment(parent)) return true;
  return (
    ts.isBinaryExpression(parent) &&
    parent.right === fn &&
    /^(?:module\.exports|exports\.default)$/.test(parent.left.getText())
  );
}

function hasExportDefault(fn: ts.FunctionDeclaration): boolean {
  const modifiers = ts.getModifiers(fn) ?? [];
  return (
    modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) &&
    modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)
  );
}

function fastifyReach(input: ReachInput, sameFile: boolean): Reach {
  const { remapCall, remapAnalysis, siteNode, siteAnalysis } = input;
  const plugin = pluginOf(remapCall);
  const where = `${remapAnalysis.file}:${lineOf(remapAnalysis, remapCall)}`;
  if (sameFile && siteNode && siteAnalysis) {
    // Where the site is registered (`fastify.register(guard)` for an imported plugin), else the site itself.
    const mounts = mountsOf(siteNode, siteAnalysis).map((m) => m.call);
    const places = mounts.length ? mounts : [siteNode];
    if (!plugin || places.every((place) => contains(plugin, place))) return REACHED;
    return {
      reaches: false,
      why: `it is set inside an encapsulated plugin (${where}) that does not register this 403's route or plugin, and a Fastify hook applies only to its own instance and the plugins registered in it`,
    };
  }
  if (plugin)
    return {
      reaches: false,
      why: `it is set inside an encapsulated plugin (${where}), and a Fastify hook applies only to its own instance and the plugins registered in it`,
    };
  if (input.apps !== 1) return { reaches: false, why: otherFile('Fastify', input.apps) };
  return REACHED;
}

function contains(outer: ts.Node, inner: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end;
}

/** The smallest node of `sourceFile` that covers `[start, end)`. */
export function nodeAt(sourceFile: ts.SourceFile, start: number, end: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getStart(sourceFile) <= start && node.getEnd() >= end) {
      found = node;
      node.forEachChild(visit);
    }
  };
  sourceFile.forEachChild(visit);
  return found;
}
