import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from '../../typescript.cjs';
import { skipOuter } from '../analysis/syntax.js';
import { writtenNames } from '../written-names.js';
import { isTooDeep, parseSource } from '../parse.js';
import { ModuleResolver } from '../resolve.js';
import { parameterString, type FunctionCall } from './parameter-values.js';
import {
  classFieldValues,
  inheritedClassValues,
  inheritedFieldValues,
  thisMemberValues,
  thisReadIn,
} from './this-fields.js';
import { sourceOfBuilt, WorkspacePackages } from './workspace-packages.js';
import {
  configGetter,
  dotenvDefault,
  dotenvFileValue,
  envKey,
  joinedParts,
  joinPathParts,
  nodeConfigDefault,
  packageFolderOf,
  settingRead,
} from './setting-reads.js';
import {
  configEnvFiles,
  configFactories,
  factoryValue,
  type ConfigEnvFile,
  type ConfigFactory,
} from './config-factories.js';
import type { RouteFact, RouteFacts } from './route-fact-model.js';
import { isFunctionLike as isFunctionNode, type FunctionLike as FunctionNode } from '../scope.js';
import { lineAndCharacterAt } from '../../util/lines.js';
import { loadedModule, moduleLoaderCall } from '../module-loaders.js';

/** One parsed source file of the project. */
export interface ProjectFile {
  absolute: string;
  /** Relative to the working folder, `/`-separated (the report's paths). */
  relative: string;
  sourceFile: ts.SourceFile;
  /**
   * Registrations read from the file's tokens and blanked from its tree (route-facts.ts): the route graph
   * registers them as plain data (graph.ts). Absent for a file read whole or as a plain skeleton.
   */
  readonly routeFacts?: readonly RouteFact[];
}

/** Stands for a file whose tree could not be made without overflowing the stack (see `Project.tooDeepFiles`). */
const tooDeep = parseSource('', '');

/**
 * A tree `parseOwn` made with route facts (route-facts.ts): the tree of the file's skeleton with the facts'
 * statements blanked, the facts, and how to make the plain skeleton instead. The project keeps the facts only
 * when no module a fact's parameter type comes from resolves to a project file (else the reach could follow that
 * type into the project: the plain skeleton is made, which keeps the parameters).
 */
export interface FactTree {
  sourceFile: ts.SourceFile;
  routeFacts: RouteFacts;
  whole(): ts.SourceFile;
}

/**
 * A setting read at run time taken at the default the code or the configuration writes: `setting` the read as
 * written (`process.env.API_PREFIX`), `value` the default, `file` / `line` where the read is, `from` the
 * configuration file the default comes from when it is not in the code.
 */
export interface SettingDefault {
  setting: string;
  value: string;
  file: string;
  line: number;
  from?: string;
}

/**
 * A document path the code names that two files answer: as written from the source's folder (`read`, the one
 * taken) and as its compiled code reads it from the tsconfig `outDir` (`other`, or the other way round when only
 * one reading is a file first), both on disk with different bytes (a stale copy in dist/). Paths relative to the
 * run's folder; `file:line` is the expression that names the document.
 */
export interface DocumentCopy {
  read: string;
  other: string;
  file: string;
  line: number;
}

/** A declaration a name resolves to, with the file it lives in. */
export interface Declaration {
  file: ProjectFile;
  node: ts.Node;
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** A TypeScript source file (not a declaration file). */
const TS_FILE = /(?<!\.d)\.[cm]?tsx?$/;

/**
 * The TypeScript sources a `.js` specifier of a TypeScript file names first, as TypeScript resolves it: `./x.js`
 * is `./x.ts` (or `.tsx`), `./x.mjs` is `./x.mts`, `./x.cjs` is `./x.cts`, before a compiled `x.js` committed
 * beside it. A JavaScript file's specifier names the file it spells.
 */
function sourcesOfOutput(from: string, target: string): string[] {
  if (!TS_FILE.test(from)) return [];
  const match = /\.([cm]?)jsx?$/.exec(target);
  if (!match) return [];
  const stem = target.slice(0, match.index);
  const kind = match[1] ?? '';
  return kind ? [`${stem}.${kind}ts`] : [`${stem}.ts`, `${stem}.tsx`];
}

/**
 * Every source file of the project, parsed once (syntax only, no Program), and a small module resolver:
 * names to declarations through lexical scope, relative imports, `require()` and re-exports. This is the
 * "cheap call graph by name and import" the route mapper needs; it never loads node_modules.
 */
export class Project {
  private readonly byAbsolute = new Map<string, ProjectFile>();
  /**
   * Files read as empty because they nest too deeply for the readers (parse.ts `isTooDeep`), by relative path,
   * in the order they were met: named in the `--spec` coverage (their routes are not read).
   */
  readonly tooDeepFiles: string[] = [];
  /**
   * Settings read at run time whose written default `stringOf` took as their value (`process.env.API_PREFIX ??
   * '/api'`, setting-reads.ts), by file and offset: named in the `--spec` coverage, never taken silently.
   */
  readonly settingDefaults = new Map<string, SettingDefault>();
  /**
   * Document paths two different files answer (as written, and from the tsconfig `outDir`), by file and offset:
   * the one read is named in the `--spec` coverage (document-copies.ts).
   */
  readonly documentCopies = new Map<string, DocumentCopy>();
  /** `configFactories()`, once read. */
  private loadedFactories?: readonly ConfigFactory<ProjectFile>[];
  /** `ConfigModule.forRoot({ envFilePath })` files, once read. */
  private loadedEnvFiles?: readonly ConfigEnvFile<ProjectFile>[];
  /** The files `files` and `identifiersNamed` walk, in the order given. */
  private readonly walkedFiles: ProjectFile[] = [];
  private readonly exportCache = new Map<string, Declaration[]>();
  /** The exportOf questions being answered, innermost last; `partial` once a cycle was cut beneath one. */
  private readonly exporting: { key: string; partial: boolean }[] = [];
  private readonly tests = new Map<string, ts.SourceFile>();
  private readonly resolver = new ModuleResolver();
  /** Workspace packages by name, for a clone whose `node_modules` does not link them (workspace-packages.ts). */
  private readonly workspaces = new WorkspacePackages();
  /**
   * Files outside the scanned paths that a workspace package import names (growthbook's `shared/validators`
   * from `packages/back-end`), parsed on first use: read for the values they hold, never for routes or sites.
   */
  private readonly outside = new Map<string, ProjectFile>();
  /** Names declared directly in each scope container, built once per container (lookups are --spec's hot path). */
  private readonly scopes = new Map<ts.Node, ReadonlyMap<string, ts.Node>>();
  /** Module specifiers resolved, by importing folder and specifier. */
  private readonly modules = new Map<string, ProjectFile | undefined>();
  /** Each file's call expressions in source order, collected by one walk on first use. */
  private readonly callLists = new Map<ProjectFile, readonly ts.CallExpression[]>();
  private readonly newLists = new Map<ProjectFile, readonly ts.NewExpression[]>();
  /** `lookup` answers for identifiers (by the identifier node). */
  private readonly lookups = new Map<ts.Node, Declaration[]>();
  /** Each function's calls by name, kept by `parameterString` (parameter-values.ts) once found. */
  readonly functionCalls = new Map<ts.Node, readonly FunctionCall<ProjectFile>[] | null>();
  /** The calls of each function exported with no name of its own, found once (`exportedParameterString`). */
  private readonly exportedCalls = new Map<ts.Node, readonly FunctionCall<ProjectFile>[]>();
  /** Member names some project file assigns (`Cls.key = …`), by name (`memberAssigned`). */
  private readonly assignedMembers = new Map<string, boolean>();
  /** The classes declared at the top level of the walked files, by lower-cased name (`namesakeClasses`). */
  private classesByName?: Map<string, { file: ProjectFile; node: ts.ClassDeclaration }[]>;
  /** Every identifier of the project by its text (built on first use, by one walk per file). */
  private identifierIndex?: ReadonlyMap<string, readonly { file: ProjectFile; node: ts.Identifier }[]>;

  /**
   * @param parsed the caller's parsed trees (the engine's cache: each file parsed once per run); files it
   *   cannot give are read and parsed here.
   * @param parseOwn how to parse a file `parsed` does not give (default: read and parse it whole); `--spec`
   *   trims those trees to what routes need (skeleton.ts).
   */
  constructor(
    readonly cwd: string,
    files: readonly { absolute: string; relative: string }[],
    private readonly parsed?: (absolute: string) => ts.SourceFile | undefined,
    parseOwn?: (file: { absolute: string; relative: string }) => ts.SourceFile | FactTree,
    options: {
      /**
       * Parse each file when its tree is first asked for instead of now (the test follower's project: following
       * a unit under test reads the few files it reaches; a route graph, when one is needed, still reads all).
       * A file that cannot be read then throws where its tree is asked for, as the constructor would have.
       */
      lazy?: boolean;
      /**
       * The files the route graph and the reference index walk (`files`, `identifiersNamed`); the others are
       * still found by path and import (`byRelative`, `resolveModule`, `lookup`). Default: every file.
       */
      walked?: (file: { absolute: string; relative: string }) => boolean;
    } = {},
  ) {
    const { lazy = false, walked } = options;
    const parse = (file: { absolute: string; relative: string }): Parsed => {
      let made: ts.SourceFile | FactTree;
      try {
        made =
          parsed?.(file.absolute) ??
          parseOwn?.(file) ??
          parseSource(file.relative, readFileSync(file.absolute, 'utf8'));
      } catch (error) {
        // A tree too deep even to trim (a walk overflowed the stack): named like the ones `isTooDeep` marks.
        if (!(error instanceof RangeError)) throw error;
        made = tooDeep;
      }
      // A generated or bundled file nested deeper than the readers can walk: read as empty, and named.
      const tree = 'routeFacts' in made ? made.sourceFile : made;
      if (tree === tooDeep || isTooDeep(tree)) {
        this.tooDeepFiles.push(file.relative);
        return { sourceFile: parseSource(file.relative, '') };
      }
      if (!('routeFacts' in made)) return { sourceFile: made };
      // Every file is listed before any is parsed, so a module resolves as it will for the rest of the run.
      const own = made.routeFacts.modules.every((module) => this.resolveModule(file, module) === undefined);
      return own
        ? { sourceFile: made.sourceFile, routeFacts: made.routeFacts.routes }
        : { sourceFile: made.whole() };
    };
    const entries: ProjectFile[] = [];
    for (const file of files) {
      const entry = lazy
        ? lazyFile(file, parse)
        : { ...file, sourceFile: undefined as unknown as ts.SourceFile };
      entries.push(entry);
      this.byAbsolute.set(file.absolute, entry);
      if (!walked || walked(file)) this.walkedFiles.push(entry);
    }
    if (!lazy)
      for (const [index, file] of files.entries()) {
        const made = parse(file);
        const entry = entries[index] as { sourceFile: ts.SourceFile; routeFacts?: readonly RouteFact[] };
        entry.sourceFile = made.sourceFile;
        if (made.routeFacts) entry.routeFacts = made.routeFacts;
      }
  }

  /** A test file (not part of the route graph), parsed on demand for `--include-tests`. */
  testFile(absolute: string): ts.SourceFile | undefined {
    const cached = this.tests.get(absolute);
    if (cached) return cached;
    try {
      const parsed = this.parsed?.(absolute) ?? parseSource(absolute, readFileSync(absolute, 'utf8'));
      this.tests.set(absolute, parsed);
      return parsed;
    } catch {
      return undefined;
    }
  }

  /** The files the route graph walks (every file unless the constructor's `walked` says otherwise). */
  get files(): ProjectFile[] {
    return [...this.walkedFiles];
  }

  /**
   * The call expressions of a file in the order a depth-first walk meets them (a call before the calls
   * inside it), walked once per file however many passes the route graph makes over them.
   */
  calls(file: ProjectFile): readonly ts.CallExpression[] {
    let calls = this.callLists.get(file);
    if (!calls) {
      const found: ts.CallExpression[] = [];
      const constructions: ts.NewExpression[] = [];
      const walk = (node: ts.Node): void => {
        if (ts.isCallExpression(node)) found.push(node);
        else if (ts.isNewExpression(node)) constructions.push(node);
        node.forEachChild(walk);
      };
      walk(file.sourceFile);
      this.callLists.set(file, (calls = found));
      this.newLists.set(file, constructions);
    }
    return calls;
  }

  /**
   * The classes declared at the top level of the walked files whose name is `receiver`'s but for case
   * (`oauthController` for `OAuthController`, `usersService` for `UsersService`): the convention of naming an
   * instance after its class, for a receiver whose value the code does not show. The first call reads every
   * file's top-level statements; later calls are map lookups.
   */
  namesakeClasses(receiver: string): readonly { file: ProjectFile; node: ts.ClassDeclaration }[] {
    if (!this.classesByName) {
      const byName = new Map<string, { file: ProjectFile; node: ts.ClassDeclaration }[]>();
      for (const file of this.walkedFiles)
        for (const statement of file.sourceFile.statements)
          if (ts.isClassDeclaration(statement) && statement.name) {
            const key = statement.name.text.toLowerCase();
            byName.set(key, [...(byName.get(key) ?? []), { file, node: statement }]);
          }
      this.classesByName = byName;
    }
    return this.classesByName.get(receiver.toLowerCase()) ?? [];
  }

  /** The `new X(...)` expressions of a file, in walk order (found by the same walk as `calls`). */
  constructions(file: ProjectFile): readonly ts.NewExpression[] {
    if (!this.newLists.has(file)) this.calls(file);
    return this.newLists.get(file) ?? [];
  }

  /**
   * Every identifier of the project spelled `name` (declaration names included), in file order. The first
   * call walks every file once; later calls are map lookups.
   */
  identifiersNamed(name: string): readonly { file: ProjectFile; node: ts.Identifier }[] {
    if (!this.identifierIndex) {
      const index = new Map<string, { file: ProjectFile; node: ts.Identifier }[]>();
      for (const file of this.walkedFiles) {
        const walk = (node: ts.Node): void => {
          if (ts.isIdentifier(node)) {
            const list = index.get(node.text);
            if (list) list.push({ file, node });
            else index.set(node.text, [{ file, node }]);
          }
          node.forEachChild(walk);
        };
        walk(file.sourceFile);
      }
      this.identifierIndex = index;
    }
    return this.identifierIndex.get(name) ?? [];
  }

  file(absolute: string): ProjectFile | undefined {
    return this.byAbsolute.get(absolute);
  }

  byRelative(relative: string): ProjectFile | undefined {
    return this.byAbsolute.get(path.resolve(this.cwd, relative));
  }

  /**
   * A static string, following `const PREFIX = '/v1'`, templates made of such constants, and a class's
   * `this.path` field holding one.
   */
  stringOf(
    file: ProjectFile,
    expression: ts.Expression,
    depth = 0,
    bindings?: ReadonlyMap<ts.ParameterDeclaration, { file: ProjectFile; node: ts.Expression }>,
  ): string | undefined {
    const node = unwrap(expression);
    const literal = staticString(node);
    if (literal !== undefined || depth > 4) return literal;
    const next = (f: ProjectFile, e: ts.Expression): string | undefined =>
      this.stringOf(f, e, depth + 1, bindings);
    if (ts.isIdentifier(node)) {
      for (const d of this.lookup(file, node, node.text)) {
        if (ts.isVariableDeclaration(d.node) && d.node.initializer && isConst(d.node))
          return next(d.file, d.node.initializer);
        // A base constructor's parameter read for one subclass: what that subclass hands `super(…)`.
        const bound = ts.isParameter(d.node) ? bindings?.get(d.node) : undefined;
        if (bound) return next(bound.file, bound.node);
        // `register(app, '/api')` into `function register(app, base)`: the one value every call passes
        if (ts.isParameter(d.node))
          return (
            parameterString(this, d.file, d.node, next) ?? this.exportedParameterString(d.file, d.node, next)
          );
      }
      return undefined;
    }
    if (ts.isTemplateExpression(node)) {
      let out = node.head.text;
      for (const part of node.templateSpans) {
        const value = next(file, part.expression);
        if (value === undefined) return undefined;
        out += value + part.literal.text;
      }
      return out;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const left = next(file, node.left);
      const right = next(file, node.right);
      return left !== undefined && right !== undefined ? left + right : undefined;
    }
    if (
      ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
        node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
    )
      return this.settingOrDefault(file, node, next);
    if (ts.isCallExpression(node)) return this.callString(file, node, next);
    // `${this.path}/:id` with `path = '/users'` (a field, or `constructor(public path: string)`): the one
    // string every value of the field gives; a field only a base class sets (`this.path = '/api' + path` in
    // `BaseRouter`'s constructor) is read with what this class hands `super(…)` (since session 28).
    if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const strings = new Set(thisMemberValues(node).map((value) => next(file, value)));
      for (const value of inheritedFieldValues(node, file, (at, e) => this.classesNamed(at, e)))
        strings.add(this.stringOf(value.file, value.node, depth + 1, value.bindings));
      return strings.size === 1 ? [...strings][0] : undefined;
    }
    // `process.env.API_PREFIX` with no default in the code: the value `.env` or `.env.example` gives it
    const variable = envKey(node);
    if (variable !== undefined) return this.dotenvString(file, node, variable);
    const held = this.instanceFieldString(file, node, depth, bindings);
    if (held !== undefined) return held;
    const member = this.memberOf(file, node, depth);
    return member ? next(member.file, member.node) : undefined;
  }

  /**
   * A parameter of a function exported with no name of its own (`module.exports = (server, routes, prefix =
   * '/api/v1/car') => …`, renpass-projeto-final; `export default function (…)`): the one string every call of it the
   * project makes gives (its default where a call leaves it out), the calls found by what their callee resolves to.
   * Undefined when there is no call, calls disagree, or one passes something else.
   */
  private exportedParameterString(
    file: ProjectFile,
    parameter: ts.ParameterDeclaration,
    next: (f: ProjectFile, e: ts.Expression) => string | undefined,
  ): string | undefined {
    const fn = parameter.parent;
    if (!isFunctionNode(fn) || parameter.dotDotDotToken) return undefined;
    const holder = fn.parent;
    const exported =
      (ts.isBinaryExpression(holder) &&
        holder.right === fn &&
        /^(?:module\.)?exports(?:\.\w+)?$/.test(holder.left.getText(file.sourceFile))) ||
      ts.isExportAssignment(holder) ||
      (ts.isFunctionDeclaration(fn) && !fn.name);
    if (!exported) return undefined;
    const index = fn.parameters.indexOf(parameter);
    let calls = this.exportedCalls.get(fn);
    if (!calls) {
      const found: FunctionCall<ProjectFile>[] = [];
      for (const at of this.files)
        for (const call of this.calls(at)) {
          const callee = unwrap(call.expression);
          if (!ts.isIdentifier(callee)) continue;
          const targets = this.lookup(at, callee, callee.text);
          if (targets.some((t) => t.node === fn || t.node === holder)) found.push({ file: at, call });
        }
      this.exportedCalls.set(fn, (calls = found));
    }
    const values = new Set<string | undefined>();
    for (const { file: at, call } of calls) {
      const argument = call.arguments?.[index];
      const value = argument
        ? next(at, argument)
        : parameter.initializer
          ? next(file, parameter.initializer)
          : undefined;
      values.add(value);
      if (value === undefined || values.size > 1) return undefined;
    }
    return values.size === 1 ? [...values][0] : undefined;
  }

  /**
   * `a || b`, `a ?? b`: `a` when it is a string the code fixes (`||` skips an empty one), else, when `a` is a
   * setting read at run time (`process.env.API_PREFIX`, `nconf.get('server:api_path')`, setting-reads.ts), the
   * default `b` writes, recorded in `settingDefaults`. Undefined for anything else (`opts.prefix ?? '/v1'`).
   */
  private settingOrDefault(
    file: ProjectFile,
    node: ts.BinaryExpression,
    next: (f: ProjectFile, e: ts.Expression) => string | undefined,
  ): string | undefined {
    // A setting with a default the code writes takes that default (an environment file's value only when the
    // code writes none: `.env.example` is no deployment's, and a code default is what runs without one).
    const setting = settingRead(node.left, (name) => this.constInitializer(file, name));
    if (setting !== undefined) {
      const value = next(file, node.right);
      if (value !== undefined) {
        this.noteDefault(file, node.left, setting, value);
        return value;
      }
      return next(file, node.left);
    }
    const left = next(file, node.left);
    if (
      left !== undefined &&
      (left !== '' || node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
    )
      return left;
    if (left !== undefined) return next(file, node.right);
    return undefined;
  }

  /**
   * The value an environment file gives a variable the code reads with no default (`.env`, else `.env.example`
   * and the other templates, setting-reads.ts `dotenvDefault`), recorded in `settingDefaults` with the file.
   */
  private dotenvString(file: ProjectFile, read: ts.Node, variable: string): string | undefined {
    const found = dotenvDefault(file.absolute, this.cwd, variable);
    if (!found) return undefined;
    this.noteDefault(file, read, read.getText(file.sourceFile), found.value, found.file);
    return found.value;
  }

  /**
   * A call whose string the code fixes: `configService.get('API_PREFIX', 'api')` (the default argument) or
   * node-config's `config.get('server.prefix')` (the project's `config/default.*`), and path joins
   * (`path.posix.join(API, '/auth')`, url-join, a project's `join` helper) of strings the code fixes.
   */
  private callString(
    file: ProjectFile,
    call: ts.CallExpression,
    next: (f: ProjectFile, e: ts.Expression) => string | undefined,
  ): string | undefined {
    const getter = configGetter(call, (key) => next(file, key));
    if (getter) {
      const configured = nodeConfigDefault(file.absolute, this.cwd, getter.key);
      if (configured && this.isNodeConfig(file, call)) {
        this.noteDefault(file, call, call.getText(file.sourceFile), configured.value, configured.file);
        return configured.value;
      }
      // NestJS `ConfigModule.forRoot({ load: [factory] })`: what the factory writes for the key
      const loaded = factoryValue(this.configFactories(), getter.key);
      const fromFactory = loaded ? next(loaded.file, loaded.node) : undefined;
      if (loaded && fromFactory !== undefined) {
        this.noteDefault(file, call, call.getText(file.sourceFile), fromFactory, loaded.file.absolute);
        return fromFactory;
      }
      const value = getter.fallback ? next(file, getter.fallback) : undefined;
      if (value !== undefined) this.noteDefault(file, call, call.getText(file.sourceFile), value);
      // `configService.get('API_PREFIX')` with no default: the environment (ConfigModule reads the files its
      // `envFilePath` names, else `.env`)
      if (value === undefined && !getter.fallback && /^[A-Z][A-Z0-9_]*$/.test(getter.key))
        return this.envFileString(file, call, getter.key) ?? this.dotenvString(file, call, getter.key);
      return value;
    }
    const parts = joinedParts(call, (name) => this.importedFrom(file, name));
    if (!parts?.length) return undefined;
    const strings: string[] = [];
    for (const part of parts) {
      const value = next(file, part);
      if (value === undefined) return undefined;
      strings.push(value);
    }
    return joinPathParts(strings);
  }

  /**
   * The value the environment files a `ConfigModule.forRoot({ envFilePath })` names give a variable (the first
   * that sets it, each read relative to the folder of the nearest package.json above the call, where Nest starts,
   * then the working folder), recorded in `settingDefaults` with the file. Undefined when none is found.
   */
  private envFileString(file: ProjectFile, read: ts.Node, variable: string): string | undefined {
    for (const named of this.envFiles()) {
      if (named.path === undefined) continue;
      for (const folder of [packageFolderOf(named.file.absolute, this.cwd), this.cwd]) {
        const found = dotenvFileValue(path.resolve(folder, named.path), variable);
        if (found === undefined) continue;
        this.noteDefault(file, read, read.getText(file.sourceFile), found, path.resolve(folder, named.path));
        return found;
      }
    }
    return undefined;
  }

  /**
   * The `envFilePath` files of the project's `ConfigModule.forRoot` calls that are not in its tree (or whose path
   * the code computes), named for a prefix read from the environment with no value found: `.env.local
   * (src/app.module.ts:9)`. Empty when every named file is there, or none is named.
   */
  missingEnvFiles(): string[] {
    return this.envFiles().flatMap((named) => {
      const there =
        named.path !== undefined &&
        [packageFolderOf(named.file.absolute, this.cwd), this.cwd].some((folder) =>
          existsSync(path.resolve(folder, named.path ?? '')),
        );
      return there ? [] : [`${named.written} (${named.file.relative}:${named.line})`];
    });
  }

  private envFiles(): readonly ConfigEnvFile<ProjectFile>[] {
    return (this.loadedEnvFiles ??= configEnvFiles(
      this.walkedFiles.map((f) => ({ file: f, sourceFile: f.sourceFile })),
    ));
  }

  /** The NestJS configuration factories the project loads (config-factories.ts), read on first use. */
  private configFactories(): readonly ConfigFactory<ProjectFile>[] {
    return (this.loadedFactories ??= configFactories(
      this.walkedFiles.map((f) => ({ file: f, sourceFile: f.sourceFile })),
      (at, name) => this.lookup(at, name, name.text),
      (f) => f.sourceFile,
    ));
  }

  /** Whether `config.get(…)` reads node-config: its receiver imported or required from the `config` package. */
  private isNodeConfig(file: ProjectFile, call: ts.CallExpression): boolean {
    const callee = unwrap(call.expression);
    const receiver = ts.isPropertyAccessExpression(callee) ? unwrap(callee.expression) : undefined;
    return (
      receiver !== undefined && ts.isIdentifier(receiver) && this.importedFrom(file, receiver) === 'config'
    );
  }

  /**
   * The module a name is imported or required from (`'project'` for a project module, or a function the project
   * declares), else undefined.
   */
  private importedFrom(file: ProjectFile, name: ts.Identifier): string | undefined {
    for (const d of this.lookup(file, name, name.text)) {
      const imported = externalImportOf(d.node);
      if (imported)
        return imported.startsWith('.') || this.resolveModule(d.file, imported) ? 'project' : imported;
      // What a project import leads to: the module (`import * as url`), a function declared there or here.
      if (ts.isSourceFile(d.node) || ts.isFunctionDeclaration(d.node) || d.file !== file) return 'project';
    }
    return undefined;
  }

  /** What a `const` name (or a member of a `const` object) holds, for `settingRead`. */
  private constInitializer(
    file: ProjectFile,
    name: ts.Identifier | ts.PropertyAccessExpression,
  ): ts.Expression | undefined {
    if (ts.isIdentifier(name)) {
      for (const d of this.lookup(file, name, name.text))
        if (ts.isVariableDeclaration(d.node) && d.node.initializer && isConst(d.node))
          return d.node.initializer;
      return undefined;
    }
    return this.memberOf(file, name, 0)?.node;
  }

  private noteDefault(file: ProjectFile, read: ts.Node, setting: string, value: string, from?: string): void {
    const key = `${file.relative}:${read.getStart(file.sourceFile)}`;
    if (this.settingDefaults.has(key)) return;
    this.settingDefaults.set(key, {
      setting: setting.replace(/\s+/g, ' '),
      value,
      file: file.relative,
      line: lineOf(file, read),
      ...(from ? { from: path.relative(this.cwd, from).split(path.sep).join('/') } : {}),
    });
  }

  /**
   * `payments.path` with `const payments = new PaymentsController()`: the one string the class's field gives, its
   * own or, when only a base class sets it, as the class reads it (`this.path`, with what it hands `super(…)`).
   * Undefined when the holder is no such instance or the field gives no one string.
   */
  private instanceFieldString(
    file: ProjectFile,
    node: ts.Expression,
    depth: number,
    bindings?: ReadonlyMap<ts.ParameterDeclaration, { file: ProjectFile; node: ts.Expression }>,
  ): string | undefined {
    if (!ts.isPropertyAccessExpression(node) || !ts.isIdentifier(node.expression)) return undefined;
    const name = node.name.text;
    const strings = new Set<string | undefined>();
    for (const d of this.lookup(file, node.expression, node.expression.text)) {
      if (!ts.isVariableDeclaration(d.node) || !d.node.initializer || !isConst(d.node)) continue;
      const made = unwrap(d.node.initializer);
      if (!ts.isNewExpression(made)) continue;
      for (const c of this.classesNamed(d.file, made.expression)) {
        const own = classFieldValues(c.node).get(name);
        const read = own ? undefined : thisReadIn(c.node, name);
        if (own) for (const value of own) strings.add(this.stringOf(c.file, value, depth + 1, bindings));
        else if (read) strings.add(this.stringOf(c.file, read, depth + 1, bindings));
        else
          for (const value of inheritedClassValues(c.node, c.file, name, (at, e) => this.classesNamed(at, e)))
            strings.add(this.stringOf(value.file, value.node, depth + 1, value.bindings));
      }
    }
    return strings.size === 1 ? [...strings][0] : undefined;
  }

  /**
   * The project classes an expression names (an `extends` clause's `BaseRouter`, imported or declared in the
   * file): their declarations, each with its file. Empty for anything else (a package's class).
   */
  classesNamed(
    file: ProjectFile,
    expression: ts.Expression,
  ): { file: ProjectFile; node: ts.ClassLikeDeclaration }[] {
    const name = unwrap(expression);
    if (!ts.isIdentifier(name)) return [];
    return this.lookup(file, name, name.text).flatMap((d) =>
      ts.isClassDeclaration(d.node) || ts.isClassExpression(d.node) ? [{ file: d.file, node: d.node }] : [],
    );
  }

  /**
   * The initializer of class `cls`'s static property `key` (`static LOGIN_URI = '/login'`, `static readonly …`), as
   * `Cls.key` reads it. Undefined when the class has no such property with an initializer, or when it is not
   * `readonly` and some project file assigns a member of that name (`Cls.key = …`, `Alias.key = …`, matched by
   * the name alone): then the path served is not the one written.
   */
  private staticFieldOf(
    file: ProjectFile,
    cls: ts.ClassDeclaration,
    key: string,
  ): { file: ProjectFile; node: ts.Expression } | undefined {
    const member = cls.members.find(
      (m): m is ts.PropertyDeclaration =>
        ts.isPropertyDeclaration(m) &&
        propertyName(m.name) === key &&
        (ts.getModifiers(m) ?? []).some((x) => x.kind === ts.SyntaxKind.StaticKeyword),
    );
    if (!member?.initializer) return undefined;
    const readonly = (ts.getModifiers(member) ?? []).some((x) => x.kind === ts.SyntaxKind.ReadonlyKeyword);
    if (!readonly && this.memberAssigned(key)) return undefined;
    return { file, node: member.initializer };
  }

  /** Whether any project file assigns a member named `key` (`x.key = …`, not `==`), asked once per name. */
  private memberAssigned(key: string): boolean {
    let found = this.assignedMembers.get(key);
    if (found === undefined) {
      const pattern = new RegExp(`\\.\\s*${key.replace(/[$]/g, '\\$')}\\s*=(?![=>])`);
      found = this.files.some((f) => pattern.test(f.sourceFile.text));
      this.assignedMembers.set(key, found);
    }
    return found;
  }

  /**
   * `ROUTES.users.path`, `ROUTES['users']` on a `const` object literal (also imported, `as const` too), and a
   * string enum member `Paths.Users`: the expression the member holds. Undefined for anything else.
   */
  private memberOf(
    file: ProjectFile,
    node: ts.Expression,
    depth: number,
  ): { file: ProjectFile; node: ts.Expression } | undefined {
    const key = ts.isPropertyAccessExpression(node)
      ? node.name.text
      : ts.isElementAccessExpression(node)
        ? staticString(node.argumentExpression)
        : undefined;
    if (key === undefined || depth > 4) return undefined;
    const owner = unwrap((node as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression);
    if (ts.isIdentifier(owner)) {
      for (const d of this.lookup(file, owner, owner.text)) {
        if (ts.isEnumDeclaration(d.node)) {
          const found = d.node.members.find((m) => propertyName(m.name) === key);
          return found?.initializer ? { file: d.file, node: found.initializer } : undefined;
        }
        if (ts.isVariableDeclaration(d.node) && d.node.initializer && isConst(d.node))
          return propertyOf(d.file, d.node.initializer, key);
        // An imported module object: `export default { path: '/items', router }`, `module.exports = { … }`
        if (ts.isExportAssignment(d.node)) return propertyOf(d.file, d.node.expression, key);
        if (ts.isBinaryExpression(d.node) && d.node.operatorToken.kind === ts.SyntaxKind.EqualsToken)
          return propertyOf(d.file, d.node.right, key);
        // `Auth0SSO.LOGIN_URI` with `static LOGIN_URI = '/api/v1/auth0/login'` (Flowise; since session 34)
        if (ts.isClassDeclaration(d.node)) return this.staticFieldOf(d.file, d.node, key);
      }
      return undefined;
    }
    const parent = this.memberOf(file, owner, depth + 1);
    return parent ? propertyOf(parent.file, parent.node, key) : undefined;
  }

  /**
   * A module specifier to a project file: relative ones (`./routes/users`, `../x.js`) directly, others
   * (tsconfig `paths` aliases such as `@/routes/items`, package `imports` such as `#routes/items`, workspace
   * packages) through TypeScript's own resolution with the nearest tsconfig (src/migrate/resolve.ts).
   */
  resolveModule(from: { absolute: string }, specifier: string): ProjectFile | undefined {
    // The answer depends on the importing folder only: asked once per folder and specifier.
    const key = `${path.dirname(from.absolute)}\0${TS_FILE.test(from.absolute) ? 'ts' : 'js'}\0${specifier}`;
    if (this.modules.has(key)) return this.modules.get(key);
    const found = this.resolveModuleUncached(from, specifier);
    this.modules.set(key, found);
    return found;
  }

  private resolveModuleUncached(from: { absolute: string }, specifier: string): ProjectFile | undefined {
    if (specifier.startsWith(FROM_WORKING_FOLDER)) {
      const root = packageFolderOf(from.absolute, this.cwd);
      const rest = specifier.slice(FROM_WORKING_FOLDER.length);
      return this.resolveModuleUncached({ absolute: path.join(root, 'index.js') }, `./${rest}`);
    }
    if (!specifier.startsWith('.')) {
      if (!/^[@#~$\w/]/.test(specifier) || isBuiltin(specifier)) return undefined;
      const resolved = this.resolver.resolve(specifier, from.absolute);
      if (!resolved) return undefined;
      const own = this.byAbsolute.get(resolved);
      return own ?? (this.resolver.fromWorkspace(resolved) ? this.outsideFile(resolved) : undefined);
    }
    const base = path.resolve(path.dirname(from.absolute), specifier);
    const stem = base.replace(/\.[cm]?[jt]sx?$/, '');
    // The first candidates by hand (`./x` is `x.ts` most often): the whole list only when they miss.
    for (const candidate of [...sourcesOfOutput(from.absolute, base), base, stem + EXTENSIONS[0]]) {
      const found = this.byAbsolute.get(candidate);
      if (found) return found;
    }
    const candidates = [
      ...sourcesOfOutput(from.absolute, base),
      base,
      ...EXTENSIONS.flatMap((e) => [stem + e, path.join(base, `index${e}`)]),
    ];
    for (const candidate of candidates) {
      const found = this.byAbsolute.get(candidate);
      if (found) return found;
    }
    // A file outside the scanned paths imports its own neighbours (`export * from './src/validators'`).
    if (this.outside.has(from.absolute)) {
      const found = candidates.find((c) => existsSync(c) && /\.[cm]?[jt]sx?$/.test(c));
      return found ? (this.byAbsolute.get(found) ?? this.outsideFile(found)) : undefined;
    }
    // `require('..')` from a package's own tests: the folder's package.json `main`.
    const main = packageMain(base);
    if (main) {
      const mainStem = main.replace(/\.[cm]?[jt]sx?$/, '');
      for (const candidate of [
        main,
        ...EXTENSIONS.flatMap((e) => [mainStem + e, path.join(main, `index${e}`)]),
      ]) {
        const found = this.byAbsolute.get(candidate);
        if (found) return found;
      }
    }
    // A build folder the clone does not have (`require('../lib/guard')`, a `main` of `lib/index.js`, lib/ built
    // from src/): its source, by the package's tsconfig `outDir` / `rootDir` or the usual folders.
    const built = sourceOfBuilt(main ?? base, this.cwd);
    return built ? this.byAbsolute.get(built) : undefined;
  }

  /**
   * The absolute path of a data module (`import spec from '@acme/contracts/openapi.v1.json'`) in a workspace
   * package, whether or not it exists (it may be a build output); undefined when no workspace package holds it.
   */
  dataModule(from: ProjectFile, specifier: string): string | undefined {
    return this.workspaces.resolveData(specifier, from.absolute);
  }

  /** A file outside the scanned paths, parsed whole on first use (kept apart from `files`). */
  private outsideFile(absolute: string): ProjectFile | undefined {
    const known = this.outside.get(absolute);
    if (known) return known;
    let text: string;
    try {
      text = readFileSync(absolute, 'utf8');
    } catch {
      return undefined;
    }
    const relative = path.relative(this.cwd, absolute).split(path.sep).join('/');
    const file = { absolute, relative, sourceFile: parseSource(relative, text) };
    this.outside.set(absolute, file);
    return file;
  }

  /**
   * Where `name`, used at `at`, is declared: local scope first, then imports (followed into project files).
   * The answer for an identifier looked up by its own text is kept (the project does not change during a
   * run, and the route graph asks about the same identifiers on each of its passes); it is frozen, as it is
   * shared.
   */
  lookup(file: ProjectFile, at: ts.Node, name: string): Declaration[] {
    if (!ts.isIdentifier(at) || at.text !== name) return this.lookupUncached(file, at, name);
    let found = this.lookups.get(at);
    if (!found) {
      found = Object.freeze(this.lookupUncached(file, at, name)) as Declaration[];
      this.lookups.set(at, found);
    }
    return found;
  }

  private lookupUncached(file: ProjectFile, at: ts.Node, name: string): Declaration[] {
    for (let node: ts.Node | undefined = at; node; node = node.parent) {
      if (!canDeclare(node)) continue;
      let table = this.scopes.get(node);
      if (!table) {
        table = scopeTable(node);
        this.scopes.set(node, table);
      }
      const found = table.get(name);
      if (found) return this.followImport(file, found);
    }
    return [];
  }

  /** An import specifier or `require()` binding becomes the export it names; anything else stays. */
  private followImport(file: ProjectFile, node: ts.Node): Declaration[] {
    const imported = importedFrom(node);
    if (!imported) return [{ file, node }];
    const target = this.resolveModule(file, imported.module);
    if (!target) return [{ file, node }];
    if (imported.name === '*') return [{ file: target, node: target.sourceFile }];
    const found = this.exportOf(target, imported.name);
    // `require('./x')`, `import x = require('./x')`, a default import of CommonJS: with no default export the
    // binding is the module's exports object (`exports.show = ...`, an ES module's named exports).
    if (!found.length && imported.name === 'default') return [{ file: target, node: target.sourceFile }];
    return found;
  }

  /** The declarations a module exports under `name` (`default` for default / `module.exports`). */
  exportOf(file: ProjectFile, name: string, seen = new Set<string>()): Declaration[] {
    const key = `${file.absolute}#${name}`;
    const cached = this.exportCache.get(key);
    if (cached) return cached;
    if (seen.has(key)) return [];
    // A cycle through an import binding (`import type { T } from 'pkg'; export type { T }` in a module that
    // 'pkg', the package importing itself by name, re-exports with `export *`): each import starts a fresh
    // `seen`, so the cycle is cut here; what was answered inside it without the cut-off key is not kept.
    const open = this.exporting.findIndex((frame) => frame.key === key);
    if (open >= 0) {
      for (const frame of this.exporting.slice(open + 1)) frame.partial = true;
      return [];
    }
    const frame = { key, partial: false };
    this.exporting.push(frame);
    try {
      return this.exportOfUncached(file, name, seen, key, frame);
    } finally {
      this.exporting.pop();
    }
  }

  private exportOfUncached(
    file: ProjectFile,
    name: string,
    seen: Set<string>,
    key: string,
    frame: { partial: boolean },
  ): Declaration[] {
    seen.add(key);
    const found: Declaration[] = [];
    const local = (node: ts.Node, local: string): void => {
      found.push(...this.lookup(file, node, local));
    };
    for (const statement of file.sourceFile.statements) {
      if (
        (ts.isFunctionDeclaration(statement) ||
          ts.isClassDeclaration(statement) ||
          ts.isEnumDeclaration(statement)) &&
        hasModifier(statement, ts.SyntaxKind.ExportKeyword)
      ) {
        const isDefault = hasModifier(statement, ts.SyntaxKind.DefaultKeyword);
        if ((isDefault && name === 'default') || (!isDefault && statement.name?.text === name))
          found.push({ file, node: statement });
      } else if (ts.isVariableStatement(statement) && hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
        for (const d of statement.declarationList.declarations)
          if (ts.isIdentifier(d.name) && d.name.text === name) found.push({ file, node: d });
      } else if (ts.isExportAssignment(statement) && name === 'default') {
        if (ts.isIdentifier(statement.expression)) local(statement.expression, statement.expression.text);
        else found.push({ file, node: statement });
      } else if (ts.isExportDeclaration(statement)) {
        found.push(...this.reExport(file, statement, name, seen));
      } else if (ts.isExpressionStatement(statement)) {
        for (const link of assignmentLinks(statement.expression))
          found.push(...this.commonJsExport(file, link, name));
        // `Object.assign(module.exports, { isAdmin: isAdmin })`: the last object that spells the name wins.
        const assigned = assignedToExports(statement.expression);
        for (const object of [...assigned].reverse()) {
          const property = [...object.properties]
            .reverse()
            .find((p) => p.name !== undefined && propertyName(p.name) === name);
          if (!property) continue;
          found.push(
            ...(ts.isShorthandPropertyAssignment(property)
              ? this.lookup(file, property.name, name)
              : ts.isPropertyAssignment(property)
                ? propertyValue(this, file, property)
                : [{ file, node: property }]),
          );
          break;
        }
      } else if (ts.isVariableStatement(statement)) {
        // `var lusca = module.exports = function (options) {...}` (krakenjs/lusca): a chained CommonJS export.
        for (const d of statement.declarationList.declarations)
          if (d.initializer)
            for (const link of assignmentLinks(d.initializer))
              found.push(...this.commonJsExport(file, link, name));
      }
    }
    // An interface (a DI binding's type) only when no value has the name: values keep their place in front.
    if (!found.length)
      for (const statement of file.sourceFile.statements)
        if (
          ts.isInterfaceDeclaration(statement) &&
          statement.name.text === name &&
          hasModifier(statement, ts.SyntaxKind.ExportKeyword)
        )
          found.push({ file, node: statement });
    if (!frame.partial) this.exportCache.set(key, found);
    return found;
  }

  /**
   * The names a module exports, `default` aside: exported declarations and variables, `export { a as b }`,
   * `export * from` (followed), `exports.a = …`, `module.exports.a = …` and the keys of `module.exports = { … }`.
   */
  exportNames(file: ProjectFile, seen = new Set<string>()): string[] {
    if (seen.has(file.absolute)) return [];
    seen.add(file.absolute);
    const names = new Set<string>();
    for (const statement of file.sourceFile.statements) {
      const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
      const isDefault = hasModifier(statement, ts.SyntaxKind.DefaultKeyword);
      if (
        (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) &&
        exported &&
        !isDefault &&
        statement.name
      )
        names.add(statement.name.text);
      else if (ts.isVariableStatement(statement) && exported) {
        for (const d of statement.declarationList.declarations)
          if (ts.isIdentifier(d.name)) names.add(d.name.text);
      } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
        const clause = statement.exportClause;
        if (clause && ts.isNamedExports(clause)) {
          for (const element of clause.elements) if (!element.isTypeOnly) names.add(element.name.text);
        } else if (!clause && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
          const target = this.resolveModule(file, statement.moduleSpecifier.text);
          if (target) for (const name of this.exportNames(target, seen)) names.add(name);
        }
      } else {
        // `exports.a = …`, `exports = module.exports = { … }`, `var x = module.exports = { … }`
        const links = ts.isExpressionStatement(statement)
          ? assignmentLinks(statement.expression)
          : ts.isVariableStatement(statement)
            ? statement.declarationList.declarations.flatMap((d) =>
                d.initializer ? assignmentLinks(d.initializer) : [],
              )
            : [];
        for (const link of links) {
          const target = link.left.getText(file.sourceFile);
          const named = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(target)?.[1];
          const value = link.right;
          if (named) names.add(named);
          else if (target === 'module.exports' && ts.isObjectLiteralExpression(value))
            for (const property of value.properties) {
              const key = property.name ? propertyName(property.name) : undefined;
              if (key !== undefined) names.add(key);
            }
        }
      }
    }
    names.delete('default');
    return [...names];
  }

  private reExport(
    file: ProjectFile,
    statement: ts.ExportDeclaration,
    name: string,
    seen: Set<string>,
  ): Declaration[] {
    const module =
      statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
        ? statement.moduleSpecifier.text
        : undefined;
    const target = module ? this.resolveModule(file, module) : undefined;
    const clause = statement.exportClause;
    if (!clause) return target && name !== 'default' ? this.exportOf(target, name, seen) : [];
    // `export * as routes from './routes'`: the module itself, whose exports its members read.
    if (ts.isNamespaceExport(clause))
      return clause.name.text === name && target ? [{ file: target, node: target.sourceFile }] : [];
    if (!ts.isNamedExports(clause)) return [];
    for (const element of clause.elements) {
      if (element.name.text !== name) continue;
      const original = (element.propertyName ?? element.name).text;
      if (target) return this.exportOf(target, original, seen);
      return this.lookup(file, statement, original);
    }
    return [];
  }

  /** `module.exports = x`, `module.exports = { a, b: c }`, `exports.a = x`, `module.exports.a = x`. */
  private commonJsExport(file: ProjectFile, expression: ts.Expression, name: string): Declaration[] {
    if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken)
      return [];
    const target = expression.left.getText(file.sourceFile);
    const value = expression.right;
    if (target === 'module.exports') {
      if (name === 'default') {
        return ts.isIdentifier(value) ? this.lookup(file, value, value.text) : [{ file, node: expression }];
      }
      if (ts.isObjectLiteralExpression(value)) {
        for (const property of value.properties) {
          if (ts.isShorthandPropertyAssignment(property) && property.name.text === name)
            return this.lookup(file, property, name);
          if (ts.isPropertyAssignment(property) && propertyName(property.name) === name)
            return propertyValue(this, file, property);
          if (ts.isMethodDeclaration(property) && propertyName(property.name) === name)
            return [{ file, node: property }];
        }
      }
      return [];
    }
    if (target === `exports.${name}` || target === `module.exports.${name}`) {
      return ts.isIdentifier(value) ? this.lookup(file, value, value.text) : [{ file, node: expression }];
    }
    // `const helpers = module.exports; helpers.setupApiRoute = function () {}` (NodeBB): an alias of the exports.
    const left = expression.left;
    if (
      ts.isPropertyAccessExpression(left) &&
      left.name.text === name &&
      ts.isIdentifier(left.expression) &&
      this.lookup(file, left.expression, left.expression.text).some((d) => isExportsAlias(d.node))
    )
      return ts.isIdentifier(value) ? this.lookup(file, value, value.text) : [{ file, node: expression }];
    return [];
  }
}

/**
 * What a property of an object literal holds, as a declaration: `{ isAdmin: isAdmin }`, `{ 'isAdmin': check }`
 * and `{ ['isAdmin']: check }` name the declaration of the name they hold, as the shorthand `{ isAdmin }` does
 * (so that a member read reaches the function itself); any other value is the property.
 */
export function propertyValue(
  project: Pick<Project, 'lookup'>,
  file: ProjectFile,
  property: ts.PropertyAssignment,
): Declaration[] {
  const value = unwrap(property.initializer);
  if (!ts.isIdentifier(value)) return [{ file, node: property }];
  const found = project.lookup(file, value, value.text);
  return found.length ? found : [{ file, node: property }];
}

/** The initializer of property `key` in an object literal (`{ key: 'x' }`, `{ 'key': 'x' }`). */
function propertyOf(
  file: ProjectFile,
  expression: ts.Expression,
  key: string,
): { file: ProjectFile; node: ts.Expression } | undefined {
  const object = unwrap(expression);
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  for (const p of object.properties)
    if (ts.isPropertyAssignment(p) && propertyName(p.name) === key) return { file, node: p.initializer };
  return undefined;
}

/**
 * The assignments of a chain, outermost first: `exports = module.exports = createApplication` gives
 * `exports = …` and `module.exports = createApplication`; a single `a = b` gives itself; anything else none.
 */
export function assignmentLinks(expression: ts.Expression): ts.BinaryExpression[] {
  const out: ts.BinaryExpression[] = [];
  let current = unwrap(expression);
  while (ts.isBinaryExpression(current) && current.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    out.push(current);
    current = unwrap(current.right);
  }
  return out;
}

/**
 * The object literals `Object.assign(module.exports, { … }, { … })` (or `exports`) copies onto the exports, in
 * order; empty for any other expression.
 */
function assignedToExports(expression: ts.Expression): ts.ObjectLiteralExpression[] {
  const call = unwrap(expression);
  if (!ts.isCallExpression(call)) return [];
  const callee = call.expression;
  const [first, ...rest] = call.arguments;
  if (
    !ts.isPropertyAccessExpression(callee) ||
    !ts.isIdentifier(callee.expression) ||
    callee.expression.text !== 'Object' ||
    callee.name.text !== 'assign' ||
    !first
  )
    return [];
  const target = unwrap(first);
  const exportsObject =
    (ts.isIdentifier(target) && target.text === 'exports') ||
    (ts.isPropertyAccessExpression(target) &&
      ts.isIdentifier(target.expression) &&
      target.expression.text === 'module' &&
      target.name.text === 'exports');
  return exportsObject
    ? rest
        .map((a) => unwrap(a))
        .filter((a): a is ts.ObjectLiteralExpression => ts.isObjectLiteralExpression(a))
    : [];
}

/** `const helpers = module.exports` (or `= exports`): a name for the module's exports object. */
function isExportsAlias(node: ts.Node): boolean {
  if (!ts.isVariableDeclaration(node) || !node.initializer) return false;
  const init = unwrap(node.initializer);
  return (
    (ts.isIdentifier(init) && init.text === 'exports') ||
    (ts.isPropertyAccessExpression(init) &&
      ts.isIdentifier(init.expression) &&
      init.expression.text === 'module' &&
      init.name.text === 'exports')
  );
}

/** `node:fs`, `fs`, `path`, …: never a project file, and not worth a resolver call. */
function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier);
}

/** The module specifier a declaration imports or requires (`import x from 'm'`, `const x = require('m')`), else undefined. */
function externalImportOf(node: ts.Node): string | undefined {
  const specifier = ts.isImportClause(node)
    ? node.parent.moduleSpecifier
    : ts.isNamespaceImport(node)
      ? node.parent.parent.moduleSpecifier
      : ts.isImportSpecifier(node)
        ? node.parent.parent.parent.moduleSpecifier
        : ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)
          ? node.moduleReference.expression
          : undefined;
  if (specifier) return ts.isStringLiteral(specifier) ? specifier.text : undefined;
  if (ts.isVariableDeclaration(node) && node.initializer) return requireOf(unwrap(node.initializer))?.module;
  return undefined;
}

/**
 * A declaration whose value is the initializer for good: `const`, or a `var` / `let` that its file never assigns
 * again (`var PREFIX = '/api'` in older servers; no `PREFIX = …`, `PREFIX += …`, `PREFIX++` or destructuring
 * assignment of that name anywhere in the file, in any scope: a name assigned somewhere is never read as fixed).
 * A loop variable (`for (let p of …)`) is never fixed.
 */
function isConst(declaration: ts.VariableDeclaration): boolean {
  const list = declaration.parent;
  if ((list.flags & ts.NodeFlags.Const) !== 0) return true;
  if (!ts.isVariableDeclarationList(list) || !ts.isVariableStatement(list.parent)) return false;
  if (!ts.isIdentifier(declaration.name)) return false;
  return !writtenNames(declaration.getSourceFile()).has(declaration.name.text);
}

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return (
    (ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined)?.some((m) => m.kind === kind) ?? false
  );
}

/**
 * The name a property is written with: an identifier, a string or number, or a computed key that is one
 * (`{ ['isAdmin']: check }`, `` { [`isAdmin`]: check } ``); undefined for a key computed at run time.
 */
export function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const key = unwrap(name.expression);
    if (ts.isStringLiteral(key) || ts.isNoSubstitutionTemplateLiteral(key) || ts.isNumericLiteral(key))
      return key.text;
  }
  return undefined;
}

/**
 * The kinds `canDeclare` answers true for: files, blocks, module blocks, case clauses, loops, and isFunctionNode's
 * kinds (scope.ts), read once (each `ts.SyntaxKind.X` is a getter call; this is asked of every node walked).
 */
const DECLARING_KINDS = kindTable([
  ts.SyntaxKind.SourceFile,
  ts.SyntaxKind.Block,
  ts.SyntaxKind.ModuleBlock,
  ts.SyntaxKind.CaseClause,
  ts.SyntaxKind.DefaultClause,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.Constructor,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
]);

/** A table by syntax kind: 1 for each kind listed (a typed array: the lookup is one load). */
function kindTable(kinds: readonly ts.SyntaxKind[]): Uint8Array {
  const table = new Uint8Array(Math.max(...kinds) + 1);
  for (const kind of kinds) table[kind] = 1;
  return table;
}

/** Containers that may declare names: functions, blocks, files, loops, case clauses (`lookup` reads their `scopeTable`). */
export function canDeclare(node: ts.Node): boolean {
  return DECLARING_KINDS[node.kind] === 1;
}

const NO_NAMES: ReadonlyMap<string, ts.Node> = new Map();

/** Every name a container declares directly; the first declaration of a name wins. */
export function scopeTable(container: ts.Node): ReadonlyMap<string, ts.Node> {
  const table = new Map<string, ts.Node>();
  const add = (name: string | undefined, node: ts.Node): void => {
    if (name !== undefined && !table.has(name)) table.set(name, node);
  };
  if (isFunctionNode(container)) {
    for (const parameter of container.parameters)
      if (ts.isIdentifier(parameter.name)) add(parameter.name.text, parameter);
      else addBindings(parameter.name, add);
    if (ts.isFunctionExpression(container)) add(container.name?.text, container);
  }
  if (ts.isCatchClause(container)) return table.size ? table : NO_NAMES;
  if (ts.isForOfStatement(container) || ts.isForInStatement(container) || ts.isForStatement(container)) {
    const init = container.initializer;
    if (init && ts.isVariableDeclarationList(init)) addVariables(init.declarations, add);
    return table;
  }
  const statements =
    ts.isSourceFile(container) ||
    ts.isBlock(container) ||
    ts.isModuleBlock(container) ||
    ts.isCaseClause(container) ||
    ts.isDefaultClause(container)
      ? container.statements
      : undefined;
  if (!statements) return table.size ? table : NO_NAMES;
  for (const statement of statements) {
    if (
      ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isEnumDeclaration(statement)
    )
      add(statement.name?.text, statement);
    else if (ts.isVariableStatement(statement)) addVariables(statement.declarationList.declarations, add);
    else if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) add(clause.name.text, clause);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) add(bindings.name.text, bindings);
      if (bindings && ts.isNamedImports(bindings))
        for (const element of bindings.elements) add(element.name.text, element);
    } else if (ts.isImportEqualsDeclaration(statement)) add(statement.name.text, statement);
  }
  // Interfaces last: a value of the same name (declaration merging) keeps the name.
  for (const statement of statements)
    if (ts.isInterfaceDeclaration(statement)) add(statement.name.text, statement);
  if (ts.isSourceFile(container)) for (const [name, node] of implicitGlobals(container)) add(name, node);
  return table;
}

/** Names a script's top level can never make global by assigning them: CommonJS's own bindings. */
const MODULE_BINDINGS = new Set(['exports', 'module', 'require', '__dirname', '__filename']);

/**
 * The names a script (CommonJS, no `import` / `export`: sloppy mode) makes global by assigning them at its top
 * level without declaring them: `isAdmin = (req, res, next) => {…}` (bezkoder/node-js-jwt-auth), each with the
 * first such assignment (in chains too: `a = b = fn`). Node runs the assignment when the module loads, so the
 * name holds that value from then on. Empty for an ES module (strict: such an assignment throws) and for a name
 * the file declares (`scopeTable` adds these last). Source: ECMAScript, abstract operation PutValue (an
 * unresolvable reference in non-strict code is set on the global object).
 */
function implicitGlobals(sourceFile: ts.SourceFile): [string, ts.BinaryExpression][] {
  if (ts.isExternalModule(sourceFile)) return [];
  const out: [string, ts.BinaryExpression][] = [];
  for (const statement of sourceFile.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    for (const link of assignmentLinks(statement.expression))
      if (ts.isIdentifier(link.left) && !MODULE_BINDINGS.has(link.left.text))
        out.push([link.left.text, link]);
  }
  return out;
}

function addVariables(
  declarations: ts.NodeArray<ts.VariableDeclaration>,
  add: (name: string, node: ts.Node) => void,
): void {
  for (const d of declarations) {
    if (ts.isIdentifier(d.name)) add(d.name.text, d);
    else addBindings(d.name, add);
  }
}

/** The names a destructuring pattern binds, nested patterns too (`{ a, b: { c }, ...rest }`, `[x, , y]`). */
function addBindings(pattern: ts.BindingPattern, add: (name: string, node: ts.Node) => void): void {
  for (const element of pattern.elements) {
    if (!ts.isBindingElement(element)) continue;
    if (ts.isIdentifier(element.name)) add(element.name.text, element);
    else addBindings(element.name, add);
  }
}

/** The module and export an import binding names; `*` for namespaces and whole `require()`s. */
export function importedFrom(node: ts.Node): { module: string; name: string } | undefined {
  if (ts.isImportClause(node)) return { module: moduleOf(node.parent), name: 'default' };
  if (ts.isNamespaceImport(node)) return { module: moduleOf(node.parent.parent), name: '*' };
  if (ts.isImportSpecifier(node))
    return { module: moduleOf(node.parent.parent.parent), name: (node.propertyName ?? node.name).text };
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
    const expression = node.moduleReference.expression;
    return ts.isStringLiteral(expression) ? { module: expression.text, name: 'default' } : undefined;
  }
  if (ts.isVariableDeclaration(node) && node.initializer) {
    const required = requireOf(node.initializer);
    if (required) return { module: required.module, name: required.property ?? 'default' };
    // `const helpers = await import('./helpers.js')`: the module namespace; `(await import('./x.js')).check`.
    const loaded = dynamicImportOf(node.initializer);
    if (loaded) return { module: loaded.module, name: loaded.property ?? '*' };
  }
  if (
    ts.isBindingElement(node) &&
    ts.isVariableDeclaration(node.parent.parent) &&
    node.parent.parent.initializer
  ) {
    const initializer = node.parent.parent.initializer;
    const required = requireOf(initializer);
    const loaded = required ? undefined : dynamicImportOf(initializer);
    const imported =
      node.propertyName && ts.isIdentifier(node.propertyName) ? node.propertyName.text : node.name.getText();
    if (required) return { module: required.module, name: imported };
    // `const { checkSignature, default: handler } = await import('../src/helpers.js')` (ESM tests under vitest
    // or jest's unstable_mockModule, top-level await code): named exports, `default` the default export.
    if (loaded && !loaded.property) return { module: loaded.module, name: imported };
  }
  return undefined;
}

/**
 * `await import('./x')` (a dynamic import of a literal specifier, awaited), also in parentheses and with one
 * member read off it (`(await import('./x')).check`, `.default`). Undefined for anything else, an import not
 * awaited included (its value is a promise).
 */
export function dynamicImportOf(
  expression: ts.Expression,
): { module: string; property?: string } | undefined {
  let node = unwrap(expression);
  let property: string | undefined;
  if (ts.isPropertyAccessExpression(node)) {
    property = node.name.text;
    node = unwrap(node.expression);
  }
  if (!ts.isAwaitExpression(node)) return undefined;
  const module = importCallOf(node.expression);
  return module === undefined ? undefined : { module, property };
}

/**
 * The module a dynamic `import('./x')` of a literal specifier loads, awaited or not (in parentheses too): its
 * value is the module namespace (or a promise of it, which `fastify.register(import('./routes.js'))` and
 * hapi's `register` accept and await). Undefined for anything else (`require` is `requireOf`'s).
 */
export function importCallOf(expression: ts.Expression): string | undefined {
  let node = unwrap(expression);
  if (ts.isAwaitExpression(node)) node = unwrap(node.expression);
  if (!ts.isCallExpression(node)) return undefined;
  if (node.expression.kind === ts.SyntaxKind.ImportKeyword)
    return node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])
      ? node.arguments[0].text
      : undefined;
  // A test's loader answering a promise of the module namespace as `import()` does (`esmock('../app.js', mocks)`,
  // `vi.importActual('../app.js')`: module-loaders.ts).
  const loaded = loadedModule(node);
  return loaded?.async ? loaded.module : undefined;
}

function moduleOf(declaration: ts.ImportDeclaration | ts.JSDocImportTag): string {
  return ts.isStringLiteral(declaration.moduleSpecifier) ? declaration.moduleSpecifier.text : '';
}

/** The absolute `main` of the package.json in `folder` (undefined without one, or without `main`). */
function packageMain(folder: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as {
      main?: unknown;
    };
    return typeof manifest.main === 'string' ? path.resolve(folder, manifest.main) : undefined;
  } catch {
    return undefined;
  }
}

/** `require('./x')`, `require('./x').y`, `require('./x').default`. */
export function requireOf(expression: ts.Expression): { module: string; property?: string } | undefined {
  let node = expression;
  let property: string | undefined;
  if (ts.isPropertyAccessExpression(node)) {
    property = node.name.text === 'default' ? undefined : node.name.text;
    node = node.expression;
  }
  if (
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'require' &&
    node.arguments[0]
  ) {
    const argument = node.arguments[0];
    if (ts.isStringLiteralLike(argument)) return { module: argument.text, property };
    const built = builtModulePath(argument);
    if (built !== undefined) return { module: built, property };
  }
  // A test's loader that hands back the module as `require` does (`proxyquire('../app', stubs)`, `rewire(…)`,
  // `jest.requireActual(…)`: module-loaders.ts): the same module, whatever it stubs (trial41 01).
  const loaded = ts.isCallExpression(node) ? moduleLoaderCall(node) : undefined;
  if (loaded && !loaded.async) {
    if (ts.isStringLiteralLike(loaded.specifier)) return { module: loaded.specifier.text, property };
    const built = builtModulePath(loaded.specifier);
    if (built !== undefined) return { module: built, property };
  }
  return undefined;
}

/**
 * The prefix of a module specifier `requireOf` gives for a path built from the working folder
 * (`require(path.resolve('app/bootstrap'))`): `resolveModule` reads the rest from the folder of the nearest
 * package.json above the requiring file, where `npm start` runs the app.
 */
export const FROM_WORKING_FOLDER = '\0cwd/';

/**
 * A module path built with `path.resolve(…)` / `path.join(…)` of written strings (rapharw/template-fastify-api's
 * `fastify.register(require(path.resolve('app/bootstrap')))`; since session 34, before: "loads a plugin mtls-fix
 * cannot read"): from `__dirname` a relative specifier (`./routes/x`); from the working folder (`path.resolve('app/x')`,
 * `path.join(process.cwd(), 'app/x')`) FROM_WORKING_FOLDER and the joined path. Undefined for anything else (a part
 * computed at run time, an absolute path, a receiver not named `path`).
 */
function builtModulePath(argument: ts.Expression): string | undefined {
  const call = unwrap(argument);
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return undefined;
  const receiver = unwrap(call.expression.expression);
  const method = call.expression.name.text;
  if (!ts.isIdentifier(receiver) || receiver.text !== 'path' || (method !== 'resolve' && method !== 'join'))
    return undefined;
  const parts = [...call.arguments];
  const first = parts[0] ? unwrap(parts[0]) : undefined;
  let from: 'file' | 'working' = 'working';
  if (first && ts.isIdentifier(first) && first.text === '__dirname') {
    from = 'file';
    parts.shift();
  } else if (first && ts.isCallExpression(first) && first.getText() === 'process.cwd()') parts.shift();
  else if (method === 'join') return undefined;
  const strings = parts.map((p) => staticString(p));
  if (!strings.length || strings.some((p) => p === undefined || p.startsWith('/'))) return undefined;
  const joined = path.posix.normalize(path.posix.join(...(strings as string[])));
  if (joined.startsWith('..')) return from === 'file' ? joined : undefined;
  return from === 'file' ? `./${joined}` : FROM_WORKING_FOLDER + joined;
}

// One definition of "a function" for the codemod: the site scope's.
export { isFunctionNode, type FunctionNode };

/** Unwraps `(x)`, `x as T`, `x!`, `<T>x`, `x satisfies T`: the analysis's own skipOuter. */
export const unwrap = skipOuter;

/** A string the code spells out statically: literals, no-substitution templates, `'a' + 'b'`. */
export function staticString(expression: ts.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  const node = unwrap(expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = staticString(node.left);
    const right = staticString(node.right);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  return undefined;
}

export function lineOf(file: ProjectFile, node: ts.Node): number {
  return lineAndCharacterAt(file.sourceFile, node.getStart(file.sourceFile)).line + 1;
}

/** A file's tree, and the route facts read from its tokens when the tree was made with them. */
interface Parsed {
  sourceFile: ts.SourceFile;
  routeFacts?: readonly RouteFact[];
}

/** A project file whose tree (and route facts) are made by `parse` on first use, once. */
function lazyFile(
  file: { absolute: string; relative: string },
  parse: (file: { absolute: string; relative: string }) => Parsed,
): ProjectFile {
  let made: Parsed | undefined;
  return {
    absolute: file.absolute,
    relative: file.relative,
    get sourceFile(): ts.SourceFile {
      return (made ??= parse(file)).sourceFile;
    },
    get routeFacts(): readonly RouteFact[] | undefined {
      return (made ??= parse(file)).routeFacts;
    },
  };
}
