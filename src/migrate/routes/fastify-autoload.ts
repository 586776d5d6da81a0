import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from '../../typescript.cjs';
import { builtPathOf } from './build-dirs.js';
import { isFunctionNode, requireOf, staticString, unwrap, type ProjectFile } from './project.js';
import { calleeName, externalImport, objectProperty, objectsOf, stringList } from './syntax.js';
import type { FunctionRef, Prefix, RouterGraphApi, RouterNode } from './wiring.js';
import { compareText } from '../../util/compare.js';

/**
 * `@fastify/autoload`: `register(autoload, { dir, options: { prefix }, dirNameRoutePrefix, routeParams,
 * autoHooks, cascadeHooks, overwriteHooks, ignorePattern, indexPattern, scriptPattern, maxDepth,
 * matchFilter, ignoreFilter, encapsulate })` loads every script under `dir` as a plugin, each under the
 * prefix its folder path spells. The rules here follow @fastify/autoload 6 (index.js and
 * lib/find-plugins.js of github.com/fastify/fastify-autoload, and its README):
 *
 * - a file directly in `dir` gets no folder prefix; one in `dir/users/admin/` gets `/users/admin`
 *   (`dirNameRoutePrefix: false`: none);
 * - a folder with an index file (`indexPattern`, default `index.{ts,js,cjs,mjs,cts,mts}`) loads only that
 *   file (and its subfolders);
 * - the plugin's own `autoPrefix` export (or property) replaces the folder prefix, `prefixOverride`
 *   replaces everything; `options.prefix` (else the plugin's `autoConfig.prefix`) comes before the rest;
 * - `routeParams: true`: a `_id` folder is `:id`, `__a-__b` is `:a-:b`;
 * - `autoHooks: true`: an `autohooks` file's hooks apply to the plugins of its folder (`cascadeHooks`: and of
 *   the folders below, `overwriteHooks`: restarting at each new one);
 * - a plugin wrapped with `fastify-plugin` (or every plugin under `encapsulate: false`) runs in the parent's
 *   context: Fastify ignores its prefix and its hooks apply to the parent's routes;
 * - a file exporting a route object (`{ method, url, handler }`) is that route.
 *
 * Only files in the scanned project are seen. A `dir` mtls-fix cannot compute leaves the plugins
 * unmounted (their routes unresolved, with the file for `--mount`); a prefix option it cannot compute
 * (`dirNameRoutePrefix` as a function, `options.prefix` from a variable) makes the prefix run-time.
 */
export function registerAutoload(
  graph: RouterGraphApi,
  parent: RouterNode,
  file: ProjectFile,
  call: ts.CallExpression,
  hookKeys: readonly string[],
): void {
  // Links run to a fixed point: read each registration once per graph.
  const seen = DONE.get(graph) ?? new Set<string>();
  DONE.set(graph, seen);
  const key = `${parent.key}@${file.relative}#${call.getStart(file.sourceFile)}`;
  if (seen.has(key)) return;
  seen.add(key);
  const options = optionsObject(graph, file, call.arguments[1]);
  const dirExpression = options && objectProperty(options, 'dir');
  const dir = dirExpression && new DirEvaluator(graph, file).path(dirExpression);
  if (!options || !dir) return;
  const settings = readSettings(graph, file, options);
  const inDir = graph.project.files.filter((f) => f.absolute.startsWith(dir + path.sep));
  const walker = new AutoloadWalk(graph, parent, file, call, dir, settings, inDir, hookKeys);
  walker.folder(dir, undefined, 0, []);
}

/** `@fastify/autoload` (or the old `fastify-autoload`), imported, required or `import()`ed. */
export function isAutoload(graph: RouterGraphApi, file: ProjectFile, expression: ts.Expression): boolean {
  return importsFrom(graph, file, expression, AUTOLOAD_MODULES);
}

/**
 * A plugin that runs in its parent's context: the value is `fp(fn)` with `fp` from `fastify-plugin`,
 * directly or through variables, imports and `export default`.
 */
export function isSkipOverride(graph: RouterGraphApi, file: ProjectFile, expression: ts.Expression): boolean {
  return graph
    .valuesOf(file, expression)
    .some(
      (value) =>
        ts.isCallExpression(value.node) &&
        importsFrom(graph, value.file, value.node.expression, FASTIFY_PLUGIN_MODULES),
    );
}

const DONE = new WeakMap<RouterGraphApi, Set<string>>();
const AUTOLOAD_MODULES = new Set(['@fastify/autoload', 'fastify-autoload']);
const FASTIFY_PLUGIN_MODULES = new Set(['fastify-plugin']);

/** Whether `expression` is (an import, a require or an `import()` of) one of `modules`. */
export function importsFrom(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  modules: ReadonlySet<string>,
): boolean {
  let node = unwrap(expression);
  if (ts.isAwaitExpression(node)) node = unwrap(node.expression);
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
    return modules.has(staticString(node.arguments[0]) ?? '');
  if (ts.isCallExpression(node)) {
    const required = requireOf(node);
    return required !== undefined && modules.has(required.module);
  }
  const root = ts.isPropertyAccessExpression(node) ? unwrap(node.expression) : node;
  if (!ts.isIdentifier(root)) return false;
  return graph.project.lookup(file, root, root.text).some((d) => {
    const imported = externalImport(d.node);
    return imported !== undefined && modules.has(imported.module);
  });
}

function optionsObject(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression | undefined,
): ts.ObjectLiteralExpression | undefined {
  if (!expression) return undefined;
  const direct = objectsOf(expression)[0];
  if (direct) return direct;
  for (const value of graph.valuesOf(file, expression))
    if (ts.isObjectLiteralExpression(value.node)) return value.node;
  return undefined;
}

/** A prefix-bearing setting mtls-fix cannot compute: the source text to report. */
interface Unknown {
  dynamic: string;
}

interface Settings {
  /** `options.prefix`: the user's global prefix, before every plugin's own. */
  prefix: string | undefined | Unknown;
  dirNameRoutePrefix: boolean | Unknown;
  routeParams: boolean | Unknown;
  autoHooks: boolean;
  cascadeHooks: boolean;
  overwriteHooks: boolean;
  encapsulate: boolean;
  indexPattern: RegExp;
  scriptPattern: RegExp;
  autoHooksPattern: RegExp;
  ignorePattern?: RegExp;
  matchFilter?: RegExp | string;
  ignoreFilter?: RegExp | string;
  maxDepth?: number;
}

// @fastify/autoload 6 defaults (index.js `defaults`).
const SCRIPT_PATTERN = /(?:(?:^.?|\.[^d]|[^.]d|[^.][^d])\.ts|\.js|\.cjs|\.mjs|\.cts|\.mts)$/iu;
const INDEX_PATTERN = /^index(?:\.ts|\.js|\.cjs|\.mjs|\.cts|\.mts)$/iu;
const AUTOHOOKS_PATTERN = /^[_.]?auto_?hooks(?:\.ts|\.js|\.cjs|\.mjs|\.cts|\.mts)$/iu;

function readSettings(
  graph: RouterGraphApi,
  file: ProjectFile,
  options: ts.ObjectLiteralExpression,
): Settings {
  const flag = (name: string, fallback: boolean): boolean | Unknown => {
    const value = objectProperty(options, name);
    if (!value) return fallback;
    const node = unwrap(value);
    if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
    return { dynamic: `${clip(value.getText(file.sourceFile))} (autoload ${name})` };
  };
  const known = (value: boolean | Unknown, assumed: boolean): boolean =>
    typeof value === 'boolean' ? value : assumed;
  const pattern = (name: string): RegExp | undefined => regexOf(objectProperty(options, name));
  const filter = (name: string): RegExp | string | undefined => {
    const value = objectProperty(options, name);
    return value ? (regexOf(value) ?? staticString(value)) : undefined;
  };
  const depth = objectProperty(options, 'maxDepth');
  const depthNode = depth && unwrap(depth);
  return {
    prefix: globalPrefix(graph, file, objectProperty(options, 'options')),
    dirNameRoutePrefix: flag('dirNameRoutePrefix', true),
    routeParams: flag('routeParams', false),
    // Hooks only widen what reaches a route: when unsure, apply them.
    autoHooks: known(flag('autoHooks', false), true),
    cascadeHooks: known(flag('cascadeHooks', false), true),
    overwriteHooks: known(flag('overwriteHooks', false), false),
    encapsulate: known(flag('encapsulate', true), true),
    indexPattern: pattern('indexPattern') ?? INDEX_PATTERN,
    scriptPattern: pattern('scriptPattern') ?? SCRIPT_PATTERN,
    autoHooksPattern: pattern('autoHooksPattern') ?? AUTOHOOKS_PATTERN,
    ignorePattern: pattern('ignorePattern'),
    matchFilter: filter('matchFilter'),
    ignoreFilter: filter('ignoreFilter'),
    maxDepth: depthNode && ts.isNumericLiteral(depthNode) ? Number(depthNode.text) : undefined,
  };
}

/**
 * `options: { prefix: '/api' }`, `Object.assign({ prefix: '/api' }, opts)`, `{ ...opts, prefix: '/api' }`.
 * Options passed through from elsewhere (`options: opts`) are taken to hold no prefix.
 */
function globalPrefix(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression | undefined,
): string | undefined | Unknown {
  if (!expression) return undefined;
  const node = unwrap(expression);
  const objects: ts.ObjectLiteralExpression[] = [];
  if (ts.isObjectLiteralExpression(node)) objects.push(node);
  else if (ts.isCallExpression(node) && node.expression.getText(file.sourceFile) === 'Object.assign')
    for (const argument of node.arguments) objects.push(...objectsOf(argument));
  else objects.push(...graph.valuesOf(file, node).flatMap((v) => objectsOf(v.node as ts.Expression)));
  let prefix: string | undefined | Unknown;
  for (const object of objects) {
    const value = objectProperty(object, 'prefix');
    if (!value) continue;
    const text = graph.project.stringOf(file, value);
    prefix = text ?? { dynamic: `${clip(value.getText(file.sourceFile))} (autoload options.prefix)` };
  }
  return prefix;
}

/** `/x/i` or `new RegExp('x', 'i')`, as a RegExp. */
function regexOf(expression: ts.Expression | undefined): RegExp | undefined {
  if (!expression) return undefined;
  const node = unwrap(expression);
  try {
    if (ts.isRegularExpressionLiteral(node)) {
      const text = node.text;
      const end = text.lastIndexOf('/');
      return new RegExp(text.slice(1, end), text.slice(end + 1));
    }
    if (ts.isNewExpression(node) && node.expression.getText() === 'RegExp') {
      const source = staticString(node.arguments?.[0]);
      const flags = staticString(node.arguments?.[1]) ?? '';
      return source === undefined ? undefined : new RegExp(source, flags);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function clip(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 40)}…` : one;
}

/**
 * The folder a `dir` expression names, as an absolute path: `path.join(__dirname, 'routes')`,
 * `resolve(__dirname, '../routes')`, `` `${__dirname}/routes` ``, `join(dirname(fileURLToPath(import.meta.url)),
 * 'routes')`, `fileURLToPath(new URL('./routes', import.meta.url))`, `import.meta.dirname`, desm's
 * `join(import.meta.url, 'routes')`, constants holding any of these. Node's own `path` and `URL` compute
 * them; a relative path (and `process.cwd()`) is taken from the working folder.
 *
 * Each such path is read twice (`candidates`): as written from the source file's folder (and `process.cwd()` the
 * run's folder), and as the compiled code reads it at run time: from the file's place under its tsconfig
 * `outDir` (`src/app.ts` runs as `dist/app.js`, so `join(__dirname, '../openapi.yaml')` is
 * `dist/../openapi.yaml`; build-dirs.ts), with `process.cwd()` the package folder (the nearest holding a
 * package.json, where `npm start` runs). `path` answers the first candidate that exists, else the first.
 */
export class DirEvaluator {
  /** Whether `__dirname`, `import.meta.*` and `process.cwd()` are read as the compiled code reads them. */
  private built = false;

  constructor(
    private readonly graph: RouterGraphApi,
    private readonly file: ProjectFile,
  ) {}

  /** The first of {@link candidates} that exists on disk, else the first; undefined when not read. */
  path(expression: ts.Expression): string | undefined {
    const all = this.candidates(expression);
    return all.find((c) => existsSync(c)) ?? all[0];
  }

  /**
   * The absolute paths `expression` may name (no trailing separator): as written from the source's folder,
   * then as compiled (see the class), without repeats; empty when the expression is not read.
   */
  candidates(expression: ts.Expression): string[] {
    const out: string[] = [];
    for (const built of [false, true]) {
      this.built = built;
      const value = this.value(this.file, expression, 0);
      if (value === undefined) continue;
      const absolute = (
        value.startsWith('file:') ? fileURLToPath(value) : path.resolve(this.cwd(), value)
      ).replace(/[\\/]+$/, '');
      if (!out.includes(absolute)) out.push(absolute);
    }
    this.built = false;
    return out;
  }

  /** The working folder a relative path is read from: the run's folder, or (compiled) the package's. */
  private cwd(): string {
    return this.built ? packageFolder(this.file.absolute, this.graph.project.cwd) : this.graph.project.cwd;
  }

  /** The file whose code runs for `file`: itself, or (compiled) its output under its tsconfig `outDir`. */
  private running(file: ProjectFile): string {
    return (this.built && builtPathOf(file.absolute, this.graph.project.cwd)) || file.absolute;
  }

  private value(file: ProjectFile, expression: ts.Expression, depth: number): string | undefined {
    if (depth > 8) return undefined;
    const node = unwrap(expression);
    const literal = staticString(node);
    if (literal !== undefined) return literal;
    const next = (e: ts.Expression): string | undefined => this.value(file, e, depth + 1);
    if (ts.isIdentifier(node)) return this.identifier(file, node, depth);
    if (ts.isPropertyAccessExpression(node) && ts.isMetaProperty(node.expression)) {
      if (node.name.text === 'url') return pathToFileURL(this.running(file)).href;
      if (node.name.text === 'dirname') return path.dirname(this.running(file));
      if (node.name.text === 'filename') return this.running(file);
      return undefined;
    }
    if (ts.isTemplateExpression(node)) {
      let out = node.head.text;
      for (const span of node.templateSpans) {
        const part = next(span.expression);
        if (part === undefined) return undefined;
        out += part + span.literal.text;
      }
      return out;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const left = next(node.left);
      const right = next(node.right);
      return left !== undefined && right !== undefined ? left + right : undefined;
    }
    if (ts.isNewExpression(node) && node.expression.getText(file.sourceFile) === 'URL') {
      const [relative, base] = (node.arguments ?? []).map(next);
      try {
        return relative !== undefined && base !== undefined ? new URL(relative, base).href : undefined;
      } catch {
        return undefined;
      }
    }
    if (ts.isCallExpression(node)) return this.call(file, node, depth);
    return undefined;
  }

  private identifier(file: ProjectFile, node: ts.Identifier, depth: number): string | undefined {
    const declarations = this.graph.project.lookup(file, node, node.text);
    if (!declarations.length) {
      if (node.text === '__dirname') return path.dirname(this.running(file));
      if (node.text === '__filename') return this.running(file);
      return undefined;
    }
    for (const d of declarations)
      if (ts.isVariableDeclaration(d.node) && d.node.initializer)
        return this.value(d.file, d.node.initializer, depth + 1);
    return undefined;
  }

  private call(file: ProjectFile, node: ts.CallExpression, depth: number): string | undefined {
    const callee = unwrap(node.expression);
    const name = calleeName(node);
    if (callee.getText(file.sourceFile) === 'process.cwd') return this.cwd();
    const args = node.arguments.map((a) => this.value(file, a, depth + 1));
    if (args.some((a) => a === undefined)) return undefined;
    const values = args as string[];
    const asPath = (v: string): string => (v.startsWith('file:') ? fileURLToPath(v) : v);
    const fromDesm = ts.isIdentifier(callee) && importsFrom(this.graph, file, callee, new Set(['desm']));
    switch (name) {
      case 'join':
        // desm: join(import.meta.url, 'routes') is relative to the module's folder.
        return fromDesm && values[0]
          ? path.join(path.dirname(asPath(values[0])), ...values.slice(1))
          : path.join(...values.map(asPath));
      case 'resolve':
        return path.resolve(this.cwd(), ...values.map(asPath));
      case 'dirname':
        return values[0] === undefined ? undefined : path.dirname(asPath(values[0]));
      case 'fileURLToPath':
        return values[0]?.startsWith('file:') ? fileURLToPath(values[0]) : undefined;
      default:
        return undefined;
    }
  }
}

/** The nearest folder at or above `file`'s holding a package.json, up to `stop` (then `stop`). */
function packageFolder(file: string, stop: string): string {
  for (let folder = path.dirname(file); ; folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, 'package.json'))) return folder;
    if (folder === stop || !folder.startsWith(stop) || path.dirname(folder) === folder) return stop;
  }
}

/** One autoload registration's walk over its folder tree (lib/find-plugins.js `buildTree`). */
class AutoloadWalk {
  private readonly folders = new Map<string, { files: ProjectFile[]; folders: Set<string> }>();

  constructor(
    private readonly graph: RouterGraphApi,
    private readonly parent: RouterNode,
    private readonly file: ProjectFile,
    private readonly call: ts.CallExpression,
    private readonly dir: string,
    private readonly settings: Settings,
    files: readonly ProjectFile[],
    private readonly hookKeys: readonly string[],
  ) {
    for (const f of files) {
      let folder = path.dirname(f.absolute);
      this.entry(folder).files.push(f);
      while (folder !== dir && folder.startsWith(dir)) {
        const up = path.dirname(folder);
        this.entry(up).folders.add(folder);
        folder = up;
      }
    }
  }

  private entry(folder: string): { files: ProjectFile[]; folders: Set<string> } {
    let found = this.folders.get(folder);
    if (!found) {
      found = { files: [], folders: new Set() };
      this.folders.set(folder, found);
    }
    return found;
  }

  folder(folder: string, prefix: string | undefined, depth: number, inherited: ProjectFile[]): void {
    const s = this.settings;
    const entry = this.folders.get(folder);
    if (!entry) return;
    const files = [...entry.files].sort((a, b) => compareText(a.absolute, b.absolute));
    const hookFile = s.autoHooks
      ? files.find((f) => s.autoHooksPattern.test(path.basename(f.absolute)))
      : undefined;
    let hooks = [...inherited];
    if (hookFile) hooks = s.overwriteHooks ? [hookFile] : [...hooks, hookFile];
    const plugins: ProjectFile[] = [];
    const index = files.find((f) => s.indexPattern.test(path.basename(f.absolute)));
    if (index && this.accepted(index)) plugins.push(index);
    if (!index)
      for (const f of files) {
        const name = path.basename(f.absolute);
        if (this.ignored(f.absolute) || !s.scriptPattern.test(name) || s.autoHooksPattern.test(name))
          continue;
        if (this.accepted(f)) plugins.push(f);
      }
    this.register(folder, prefix, plugins, hookFile || inherited.length ? hooks : []);
    const atMaxDepth = s.maxDepth !== undefined && s.maxDepth <= depth;
    if (atMaxDepth) return;
    for (const sub of [...entry.folders].sort()) {
      if (this.ignored(sub)) continue;
      const name = path.basename(sub);
      // `dirNameRoutePrefix` as a function makes every prefix run-time (see prefixOf).
      const crumb = (prefix ? `${prefix}/` : '/') + (s.dirNameRoutePrefix === false ? '' : name);
      this.folder(sub, crumb, depth + 1, s.cascadeHooks ? hooks : []);
    }
  }

  /** `ignorePattern` is tested on the path relative to `dir` (folders too). */
  private ignored(absolute: string): boolean {
    const pattern = this.settings.ignorePattern;
    return pattern !== undefined && pattern.test(path.relative(this.dir, absolute).split(path.sep).join('/'));
  }

  /** `matchFilter` / `ignoreFilter` are tested on `/` + the path relative to `dir`. */
  private accepted(f: ProjectFile): boolean {
    const relative = '/' + path.relative(this.dir, f.absolute).split(path.sep).join('/');
    const test = (filter: RegExp | string): boolean =>
      typeof filter === 'string' ? relative.includes(filter) : filter.test(relative);
    if (this.settings.matchFilter !== undefined && !test(this.settings.matchFilter)) return false;
    return !(this.settings.ignoreFilter !== undefined && test(this.settings.ignoreFilter));
  }

  private register(
    folder: string,
    prefix: string | undefined,
    plugins: ProjectFile[],
    hooks: ProjectFile[],
  ): void {
    if (!plugins.length) return;
    let target = this.parent;
    if (hooks.length) {
      // The folder's plugins and its hooks share one encapsulated context (index.js `registerNode`).
      const relative = path.relative(this.dir, folder).split(path.sep).join('/');
      target = this.graph.node(
        this.file,
        this.call,
        { framework: this.parent.framework, kind: 'router', syntax: this.parent.syntax },
        `#autoload:${relative}`,
      );
      this.graph.mountAt(this.parent, this.file, this.call, '', target);
      for (const hook of hooks)
        for (const fn of this.moduleOf(hook).functions)
          this.graph.linkParameter(target, fn, '', this.call, this.file, 0, true);
    }
    for (const plugin of plugins) this.plugin(target, plugin, prefix);
  }

  private plugin(target: RouterNode, file: ProjectFile, folderPrefix: string | undefined): void {
    const module = this.moduleOf(file);
    if (module.exports.get('autoload') === 'false') return;
    const shared = module.skipOverride || !this.settings.encapsulate;
    const prefix: Prefix = shared ? '' : this.prefixOf(module, folderPrefix);
    for (const fn of module.functions)
      this.graph.linkParameter(target, fn, prefix, this.call, this.file, 0, shared);
    for (const route of module.routes) {
      const router = this.graph.node(file, route, {
        framework: this.parent.framework,
        kind: 'router',
        syntax: this.parent.syntax,
      });
      this.graph.mountAt(target, this.file, this.call, prefix, router);
      const methods = stringList(objectProperty(route, 'method')) ?? [];
      const url = objectProperty(route, 'url') ?? objectProperty(route, 'path');
      const handlers = this.hookKeys.flatMap((k) => objectProperty(route, k) ?? []);
      for (const m of methods)
        this.graph.addRoute(
          router,
          file,
          route,
          m === '*' ? 'all' : m,
          this.graph.paths(file, url),
          handlers,
        );
    }
  }

  /** index.js `loadPluginOptions` + `handlePrefixConfig` + `replaceRouteParamPattern`. */
  private prefixOf(module: PluginModule, folderPrefix: string | undefined): Prefix {
    const s = this.settings;
    const unknown = [s.prefix, s.dirNameRoutePrefix, s.routeParams].find(
      (v): v is Unknown => typeof v === 'object',
    );
    if (unknown) return { dynamic: unknown.dynamic };
    const override = module.exports.get('prefixOverride');
    let prefix: string;
    if (override !== undefined) prefix = override;
    else {
      let base = (typeof s.prefix === 'string' ? s.prefix : undefined) ?? module.autoConfigPrefix ?? '';
      if (base.endsWith('/')) base = base.slice(0, -1);
      const own = module.exports.get('autoPrefix') ?? folderPrefix;
      prefix = own ? base + own.replace(/\/+/g, '/') : base;
    }
    if (s.routeParams === true && prefix)
      prefix = /__/.test(prefix) ? prefix.replace(/__/g, ':') : prefix.replace(/\/_/g, '/:');
    return prefix;
  }

  private readonly modules = new Map<ProjectFile, PluginModule>();

  private moduleOf(file: ProjectFile): PluginModule {
    let found = this.modules.get(file);
    if (!found) {
      found = readPluginModule(this.graph, file);
      this.modules.set(file, found);
    }
    return found;
  }
}

/** What an autoloaded file offers: its plugin functions or route objects, and its autoload settings. */
interface PluginModule {
  functions: FunctionRef[];
  routes: ts.ObjectLiteralExpression[];
  skipOverride: boolean;
  /** `autoPrefix`, `prefixOverride`, `autoload` as exports or as properties set on the plugin. */
  exports: Map<string, string>;
  autoConfigPrefix?: string;
}

const SETTING_NAMES = ['autoPrefix', 'prefixOverride', 'autoload'];

function readPluginModule(graph: RouterGraphApi, file: ProjectFile): PluginModule {
  const module: PluginModule = { functions: [], routes: [], skipOverride: false, exports: new Map() };
  for (const declaration of graph.project.exportOf(file, 'default')) {
    const value = declarationValue(declaration.node);
    if (!value) continue;
    if (isFunctionNode(value)) {
      module.functions.push({ file, node: value });
      continue;
    }
    const node = unwrap(value as ts.Expression);
    if (ts.isObjectLiteralExpression(node) && objectProperty(node, 'method')) {
      module.routes.push(node);
      continue;
    }
    if (isSkipOverride(graph, file, node)) module.skipOverride = true;
    module.functions.push(...graph.functionsOf(file, node));
  }
  for (const name of SETTING_NAMES) {
    for (const declaration of graph.project.exportOf(file, name)) {
      const value = declarationValue(declaration.node);
      const text = value && settingText(graph, file, value as ts.Expression);
      if (text !== undefined) module.exports.set(name, text);
    }
  }
  // `plugin.autoPrefix = '/x'`, `autoConfig.prefix = '/x'`, `module.exports.autoPrefix = '/x'`
  for (const statement of file.sourceFile.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    const e = statement.expression;
    if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    if (!ts.isPropertyAccessExpression(e.left)) continue;
    const name = e.left.name.text;
    const text = settingText(graph, file, e.right);
    if (text === undefined) continue;
    if (SETTING_NAMES.includes(name)) module.exports.set(name, text);
    if (name === 'prefix' && e.left.expression.getText(file.sourceFile).endsWith('autoConfig'))
      module.autoConfigPrefix = text;
  }
  for (const declaration of graph.project.exportOf(file, 'autoConfig')) {
    const value = declarationValue(declaration.node);
    const object = value && objectsOf(value as ts.Expression)[0];
    const prefix = object && objectProperty(object, 'prefix');
    const text = prefix && graph.project.stringOf(file, prefix);
    if (text !== undefined) module.autoConfigPrefix = text;
  }
  return module;
}

/** The value a declaration gives its name (initializer, `export default x`, `module.exports = x`, a function). */
function declarationValue(node: ts.Node): ts.Node | undefined {
  if (isFunctionNode(node)) return node;
  if (ts.isVariableDeclaration(node)) return node.initializer;
  if (ts.isExportAssignment(node)) return node.expression;
  if (ts.isBinaryExpression(node)) return node.right;
  if (ts.isPropertyAssignment(node)) return node.initializer;
  return undefined;
}

/** A string setting, or `false` as the text `'false'` (`autoload = false`). */
function settingText(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
): string | undefined {
  const node = unwrap(expression);
  if (node.kind === ts.SyntaxKind.FalseKeyword) return 'false';
  if (node.kind === ts.SyntaxKind.TrueKeyword) return 'true';
  return graph.project.stringOf(file, node);
}
