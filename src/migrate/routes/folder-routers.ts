import path from 'node:path';
import ts from '../../typescript.cjs';
import { isFunctionNode, unwrap, type ProjectFile } from './project.js';
import { DirEvaluator, importsFrom } from './fastify-autoload.js';
import { functionCallsOf } from './parameter-values.js';
import { enclosingClass } from './this-fields.js';
import type { CallHandler, Creation, RouterGraphApi, RouterNode } from './wiring.js';

/**
 * Express routers a loader package mounts one per file of a folder, at the path the file's name spells:
 * lambert-server (github.com/SamuelScheit/Lambert-server `Server.registerRoute`, the loader of Spacebar, formerly
 * Fosscord), in both of its spellings:
 *
 * - `traverseDirectory({ dirname: root, … }, (file) => server.registerRoute(root, file, dest))`, `traverseDirectory`
 *   imported from `lambert-server` (the package, or a copy the project keeps under that name through a
 *   tsconfig `paths` alias, as Spacebar does), `dest` the router each file is mounted on (else the server's
 *   `app`);
 * - `this.registerRoutes(dir)` in a class extending lambert-server's `Server`: every file mounted on `this.app`.
 *
 * A file's path is its name below the folder without its extension, `#` read as `:` (a path parameter), `!` as
 * `?`, `%XX` decoded, a last `/index` dropped (`routes/guilds/#guild_id/index.ts` serves `/guilds/:guild_id`);
 * its router is the module's `router` export, else its default export. `.d.ts` files and names starting with `.`
 * are skipped, as the loader's filters do. The folder and `dest` may be parameters of the project function holding
 * the loader (`function registerRoutes(server, root, dest) { … }`): each call of that function the project makes
 * mounts its own folder on its own router. A folder mtls-fix cannot compute leaves the files' routers unmounted
 * (their routes named "not mounted anywhere", with the file for `--mount`).
 */
export const lambertRegisterRoute: CallHandler = (graph, file, call, callee) => {
  const loader = enclosingTraversal(graph, file, call);
  if (!loader) return false;
  const [root, , dest] = call.arguments;
  if (!root) return false;
  for (const site of callSites(graph, file, loader.holder, [root, dest, callee.expression]))
    mountFolder(graph, site.file, call, site.values[0], site.values[1], site.values[2]);
  return true;
};

/** lambert-server's own `this.registerRoutes(dir)` in a class extending its `Server`: each file on `this.app`. */
export const lambertRegisterRoutes: CallHandler = (graph, file, call, callee) => {
  if (callee.expression.kind !== ts.SyntaxKind.ThisKeyword || call.arguments.length !== 1) return false;
  const cls = enclosingClass(call);
  if (!cls || !extendsLambertServer(graph, file, cls)) return false;
  mountFolder(graph, file, call, call.arguments[0], undefined, callee.expression);
  return true;
};

const LAMBERT_MODULES = new Set(['lambert-server']);
const APP: Creation = { framework: 'express', kind: 'app', syntax: 'colon' };
const DONE = new WeakMap<RouterGraphApi, Set<string>>();

/** The `traverseDirectory(…)` call whose callback holds `call`, and the project function holding that call. */
function enclosingTraversal(
  graph: RouterGraphApi,
  file: ProjectFile,
  call: ts.CallExpression,
): { holder: ts.Node | undefined } | undefined {
  let callback: ts.Node | undefined;
  for (let at: ts.Node | undefined = call.parent; at; at = at.parent) {
    if (isFunctionNode(at) && !callback) {
      callback = at;
      continue;
    }
    if (callback && ts.isCallExpression(at) && at.arguments.includes(callback as ts.Expression)) {
      if (!importsFrom(graph, file, at.expression, LAMBERT_MODULES) && !namedFrom(graph, file, at.expression))
        return undefined;
      let holder: ts.Node | undefined = at.parent;
      while (holder && !isFunctionNode(holder)) holder = holder.parent;
      return { holder };
    }
    if (callback) return undefined;
  }
  return undefined;
}

/**
 * `traverseDirectory` imported by name from `lambert-server` or one of its modules (`lambert-server/Utils`), also
 * when the specifier resolves to a copy the project keeps (Spacebar's tsconfig `paths` alias of `lambert-server`).
 */
function namedFrom(graph: RouterGraphApi, file: ProjectFile, callee: ts.Expression): boolean {
  const node = unwrap(callee);
  return ts.isIdentifier(node) && node.text === 'traverseDirectory' && importedFromLambert(file, node.text);
}

/** Whether `file` imports `name` from a module spelled `lambert-server` or `lambert-server/…`. */
function importedFromLambert(file: ProjectFile, name: string): boolean {
  return file.sourceFile.statements.some(
    (s) =>
      ts.isImportDeclaration(s) &&
      ts.isStringLiteral(s.moduleSpecifier) &&
      LAMBERT_SPECIFIER.test(s.moduleSpecifier.text) &&
      s.importClause?.namedBindings !== undefined &&
      ts.isNamedImports(s.importClause.namedBindings) &&
      s.importClause.namedBindings.elements.some((e) => e.name.text === name),
  );
}

const LAMBERT_SPECIFIER = /^lambert-server(\/|$)/;

/** Whether a class extends lambert-server's `Server` (directly, or through project classes up to 4 up). */
function extendsLambertServer(
  graph: RouterGraphApi,
  file: ProjectFile,
  cls: ts.ClassLikeDeclaration,
): boolean {
  let at = { file, node: cls };
  for (let depth = 0; depth < 4; depth++) {
    const extended = at.node.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]
      ?.expression;
    if (!extended || !ts.isIdentifier(extended)) return false;
    if (importedFromLambert(at.file, extended.text)) return true;
    const bases = graph.project.classesNamed(at.file, extended);
    if (bases.length !== 1) return false;
    at = bases[0];
  }
  return false;
}

/**
 * The expressions a loader's arguments stand for at each call of the function holding it: a parameter of
 * `holder` becomes each call's argument (its default, else nothing, where the call leaves it out); with no
 * parameter among them, or no holder, the expressions themselves. Empty when the holder's calls cannot all be seen.
 */
function callSites(
  graph: RouterGraphApi,
  file: ProjectFile,
  holder: ts.Node | undefined,
  expressions: (ts.Expression | undefined)[],
): { file: ProjectFile; values: (ts.Expression | undefined)[] }[] {
  const indexes = expressions.map((e) => parameterIndex(graph, file, holder, e));
  if (!holder || !isFunctionNode(holder) || indexes.every((i) => i === undefined))
    return [{ file, values: expressions }];
  const calls = functionCallsOf(graph.project, holder);
  if (!calls) return [];
  const parameters = holder.parameters;
  return calls.map(({ file: at, call }) => ({
    file: at,
    values: expressions.map((e, n) => {
      const index = indexes[n];
      if (index === undefined) return e;
      return call.arguments?.[index] ?? parameters[index]?.initializer;
    }),
  }));
}

/** The index of the parameter of `holder` an expression names, if it is one. */
function parameterIndex(
  graph: RouterGraphApi,
  file: ProjectFile,
  holder: ts.Node | undefined,
  expression: ts.Expression | undefined,
): number | undefined {
  const node = expression && unwrap(expression);
  if (!holder || !isFunctionNode(holder) || !node || !ts.isIdentifier(node)) return undefined;
  for (const d of graph.project.lookup(file, node, node.text))
    if (ts.isParameter(d.node) && d.node.parent === holder) return holder.parameters.indexOf(d.node);
  return undefined;
}

/** Mounts each router file under the folder `root` names on `dest`, else on the app of `server`. */
function mountFolder(
  graph: RouterGraphApi,
  file: ProjectFile,
  call: ts.CallExpression,
  root: ts.Expression | undefined,
  dest: ts.Expression | undefined,
  server: ts.Expression | undefined,
): void {
  const folder = root && new DirEvaluator(graph, file).path(root);
  if (!folder) return;
  const parent = destination(graph, file, dest) ?? serverApp(graph, file, server);
  if (!parent) return;
  const seen = DONE.get(graph) ?? new Set<string>();
  DONE.set(graph, seen);
  const key = `${parent.key}\0${folder}`;
  if (seen.has(key)) return;
  seen.add(key);
  const files = graph.project.files
    .filter((f) => f.absolute.startsWith(folder + path.sep) && LOADED.test(path.basename(f.absolute)))
    .sort((a, b) => (a.absolute < b.absolute ? -1 : a.absolute > b.absolute ? 1 : 0));
  for (const f of files) {
    const router = exportedRouter(graph, f);
    if (router) graph.mountAt(parent, file, call, routePath(folder, f.absolute), router);
  }
}

/** Script files lambert-server requires: not declarations, not hidden. */
const LOADED = /^[^.].*(?<!\.d)\.(ts|js|mts|cts|mjs|cjs)$/;

/** The path lambert-server's `registerRoute` gives a file below `folder`. */
export function routePath(folder: string, absolute: string): string {
  let out = path.relative(folder, absolute).split(path.sep).join('/');
  out = out.slice(0, out.lastIndexOf('.'));
  out = out.replaceAll('#', ':').replaceAll('!', '?');
  out = out.replace(/%[A-Za-z0-9]{2}/g, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m;
    }
  });
  out = `/${out}`;
  if (out.endsWith('/index')) out = out.slice(0, -'/index'.length);
  return out || '/';
}

/** The `dest` router, when the code passes one (`undefined` written out is none). */
function destination(
  graph: RouterGraphApi,
  file: ProjectFile,
  dest: ts.Expression | undefined,
): RouterNode | undefined {
  const node = dest && unwrap(dest);
  if (!node || (ts.isIdentifier(node) && node.text === 'undefined')) return undefined;
  return graph.routerOf(file, node);
}

/**
 * The app of the server a loader registers on: `this.app` of the class the call is written in (its own access to
 * `this.app` when it has one, so each subclass keeps its own app, as the graph reads it), else the class's app.
 */
function serverApp(
  graph: RouterGraphApi,
  file: ProjectFile,
  server: ts.Expression | undefined,
): RouterNode | undefined {
  const node = server && unwrap(server);
  if (!node) return undefined;
  if (node.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = enclosingClass(node);
    if (!cls) return undefined;
    const access = thisApp(cls);
    return (access && graph.routerOf(file, access)) ?? graph.node(file, cls, APP, '@app');
  }
  if (ts.isIdentifier(node)) {
    // `const server = new ApiServer(); registerRoutes(server, dir)`: the app of that class.
    for (const value of graph.valuesOf(file, node)) {
      if (!ts.isNewExpression(value.node) || !ts.isIdentifier(value.node.expression)) continue;
      const classes = graph.project.classesNamed(value.file, value.node.expression);
      if (classes.length !== 1) continue;
      const access = thisApp(classes[0].node);
      const found = access && graph.routerOf(classes[0].file, access);
      if (found) return found;
    }
  }
  return undefined;
}

/** The first `this.app` a class's members read. */
function thisApp(cls: ts.ClassLikeDeclaration): ts.PropertyAccessExpression | undefined {
  let found: ts.PropertyAccessExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isPropertyAccessExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ThisKeyword &&
      node.name.text === 'app'
    ) {
      found = node;
      return;
    }
    if (ts.isClassLike(node) && node !== cls) return;
    node.forEachChild(visit);
  };
  visit(cls);
  return found;
}

/** A route file's router: its `router` export (`export const router`, `exports.router`), else its default export. */
function exportedRouter(graph: RouterGraphApi, file: ProjectFile): RouterNode | undefined {
  for (const statement of file.sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    if (!statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const d of statement.declarationList.declarations)
      if (ts.isIdentifier(d.name) && d.name.text === 'router') {
        const found = graph.routerOf(file, d.name);
        if (found) return found;
      }
  }
  for (const statement of file.sourceFile.statements) {
    // `export default router`, `module.exports = router`
    if (ts.isExportAssignment(statement) && !statement.isExportEquals)
      return graph.routerOf(file, statement.expression);
    if (!ts.isExpressionStatement(statement)) continue;
    const assignment = unwrap(statement.expression);
    if (
      ts.isBinaryExpression(assignment) &&
      assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      assignment.left.getText(file.sourceFile) === 'module.exports'
    )
      return graph.routerOf(file, assignment.right);
  }
  return undefined;
}
