import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type ts from '../typescript.cjs';
import { STATUS_KEYS, type ImportedConstant, type ImportLink, type TableEntry } from './analysis.js';
import {
  moduleExports,
  SPREAD,
  type DeclaredMember,
  type Exported,
  type ImportedStatus,
  type ModuleExports,
  type SpreadSource,
} from './declarations.js';
import type { ImportBinding } from './imports.js';
import { escapeRegExp } from '../util/regexp.js';
import { parseSource } from './parse.js';
import { namesStatusConstants, packageTableValue } from './analysis/constants.js';
import { declaresPlainCall } from './plain-declarations.js';
import { declaredFunction, factoryStatusIndexes, madeByText } from './analysis/class-factories.js';
import { ROUTE_DECORATOR_TEXT, handlerReturningCall } from './analysis/returned-errors.js';
import type { ModuleResolver } from './resolve.js';

/** A resolved value export: a number or an object/enum, and the file that declares it. */
type Resolved =
  | { kind: 'number'; value: number; file: string; exports: ModuleExports }
  /** `value`: the member's own number when it was reached as one key of a table (`keyIn`). */
  | { kind: 'members'; members: DeclaredMember[]; file: string; value?: number }
  | { kind: 'namespace'; file: string }
  | { kind: 'class'; value: number; file: string; line: number; madeBy?: string };

/** How many re-export hops are followed before giving up (barrels of barrels are rarely deeper). */
const MAX_HOPS = 12;

/**
 * The project's modules as the cross-file phase sees them: exports read syntactically (declarations.ts), module
 * specifiers resolved by TypeScript (resolve.ts). Each module is parsed at most once; a file already parsed for
 * analysis is reused through `sourceOf`.
 */
export class ProjectLinks {
  private readonly exportsCache = new Map<string, ModuleExports | undefined>();
  /** What a reading thread found each file to declare plainly (`notePlainExports`), by absolute path. */
  private readonly plainExports = new Map<string, ReadonlySet<string>>();

  /**
   * @param textOf a file's text (the run's cache), read to skip a module `export *` leads to when its text cannot
   *   hand on the name looked for (`mayExport`); throws or gives undefined when the file cannot be read.
   * @param peekText as `textOf`, but a text the run does not hold yet is read and not kept (RunFiles `peekText`):
   *   read to skip parsing a module whose text shows a name plainly declared (`declaredPlainly`), for a file the
   *   run's reader may still be reading (a text kept here would be tested again on the main thread there).
   * @param filesWhere the run's files (absolute) whose text passes a test (RunFiles `filesWhere`): where
   *   `madeClass` looks for restify-errors classes a project module makes. None by default.
   */
  constructor(
    private readonly resolver: ModuleResolver,
    private readonly sourceOf: (absolute: string) => ts.SourceFile | undefined = readAndParse,
    private readonly textOf: (absolute: string) => string | undefined = readText,
    private readonly peekText: (absolute: string) => string | undefined = readText,
    private readonly filesWhere: (test: (text: string) => boolean) => string[] = () => [],
  ) {}

  /** The run's files whose text holds a route decorator: found on the first `handlerReturning` question. */
  private routeFiles: string[] | undefined;
  private readonly handlerAnswers = new Map<string, { handler: string; file: string; line: number } | null>();

  /**
   * The route handler (returned-errors.ts ROUTE_DECORATORS: Nest, routing-controllers) of the run that returns the
   * result of a call of `name` (`return this.users.deny()`, `return await denied()`), in a file whose text names
   * `owner` (the method's class, so an unrelated `deny` is not taken): its name, file and line. Lazy: the run's
   * texts are searched for a route decorator once, on the first question (asked only for an error object a
   * function returns); only files whose text calls `name` are parsed. Undefined when none does.
   */
  handlerReturning(
    name: string,
    owner?: string,
  ): { handler: string; file: string; line: number } | undefined {
    const key = `${owner ?? ''}.${name}`;
    const known = this.handlerAnswers.get(key);
    if (known !== undefined) return known ?? undefined;
    this.routeFiles ??= this.filesWhere((text) => ROUTE_DECORATOR_TEXT.test(text) && /\breturn\b/.test(text));
    // A call of `name` (returned, or held by a constant the handler returns: the parse decides which).
    const call = new RegExp(`(?<![\\w$])${escapeRegExp(name)}\\s*\\(`);
    let answer: { handler: string; file: string; line: number } | undefined;
    for (const file of this.routeFiles) {
      const text = this.peekText(file);
      if (text === undefined || !call.test(text) || (owner !== undefined && !text.includes(owner))) continue;
      const sourceFile = this.sourceOf(file);
      const found = sourceFile && handlerReturningCall(sourceFile, name);
      if (found) {
        answer = { ...found, file };
        break;
      }
    }
    this.handlerAnswers.set(key, answer ?? null);
    return answer;
  }

  /** The run's files whose text names `makeConstructor`: found on the first `madeClass` question. */
  private makers: string[] | undefined;

  /**
   * The restify-errors class the project makes under `name` with a 4xx / 5xx status
   * (`errors.makeConstructor('GoneError', { statusCode: 403 })` in any module, its status a literal, a constant
   * of that module or an imported one): restify-errors adds it to its own module (lib/makeConstructor.js), so
   * `new errors.GoneError()` of any file makes it. Lazy: the run's texts are searched for `makeConstructor`
   * once, on the first question, and only those files (naming `name`) are read for their exports.
   */
  madeClass(name: string): { value: number; file: string; line: number } | undefined {
    this.makers ??= this.filesWhere((text) => text.includes('makeConstructor'));
    for (const file of this.makers) {
      const text = this.exportsCache.has(file) ? undefined : this.peekText(file);
      if (text !== undefined && !text.includes(name)) continue;
      const exports = this.exportsOf(file);
      const found = exports?.made.get(name);
      const resolved = exports && found && this.follow(file, exports, found, 0);
      if (resolved?.kind === 'class') return { value: resolved.value, file, line: resolved.line };
    }
    return undefined;
  }

  /**
   * Whether a module reached through `export *` may export `name`: its text names it in an ES export statement
   * (`export const name`, `export { a, name }`, `export { x as name } from`: no `;` between `export` and the
   * name), or it is CommonJS (`exports`, `module.exports`: every form declarations.ts reads there), or it hands
   * on another module whole (`export *`, `__exportStar`). A barrel of a few hundred `export *` lines is then
   * searched by text, not by parsing every module it names (dokploy's `@dokploy/server` index, 145 of them).
   * Unknown text (unreadable) or a module already read: true, and `exportsOf` decides.
   */
  private mayExport(file: string, name: string): boolean {
    if (this.exportsCache.has(file)) return true;
    let text: string | undefined;
    try {
      text = this.textOf(file);
    } catch {
      return true;
    }
    if (text === undefined || HANDS_ON_WHOLE.test(text)) return true;
    if (!text.includes(name)) return false;
    return new RegExp(`\\bexport\\b[^;]*?(?<![\\w$])${escapeRegExp(name)}(?![\\w$])`).test(text);
  }

  /**
   * Whether looking `name` up in `file` can skip parsing it: the file is not read yet and its text shows `name`
   * declared by a plain call and nothing else (plain-declarations.ts `declaresPlainCall`): no value, no
   * re-export, declared there. An unreadable text answers false (the parse then decides).
   */
  private declaredPlainly(file: string, name: string): boolean {
    if (this.exportsCache.has(file) || !/\.[cm]?[jt]sx?$/.test(file)) return false;
    const noted = this.plainExports.get(file);
    if (noted) return noted.has(name);
    let text: string | undefined;
    try {
      text = this.peekText(file);
    } catch {
      return false;
    }
    return text !== undefined && declaresPlainCall(text, name);
  }

  /**
   * Records the names a reading thread found `absolute`'s text to declare plainly (read-ahead.ts
   * `ReadFile.plainExports`, plain-declarations.ts `plainlyDeclaredNames`), so that `declaredPlainly` answers
   * for that file without reading it again. For this run only: the text is the one the run read.
   *
   * @param absolute the file's absolute path.
   * @param names every name `declaresPlainCall` answers true for in its text.
   */
  notePlainExports(absolute: string, names: readonly string[]): void {
    this.plainExports.set(absolute, new Set(names));
  }

  /** The status-relevant exports of a file (absolute path), or undefined when it cannot be read. */
  exportsOf(absolute: string): ModuleExports | undefined {
    if (this.exportsCache.has(absolute)) return this.exportsCache.get(absolute);
    if (absolute.endsWith('.json')) {
      const exports = jsonExports(absolute);
      this.exportsCache.set(absolute, exports);
      return exports;
    }
    const sourceFile = this.sourceOf(absolute);
    const exports = sourceFile ? moduleExports(sourceFile) : undefined;
    this.exportsCache.set(absolute, exports);
    return exports;
  }

  /** Where `specifier` imported from `from` lands (absolute path), by TypeScript's resolution. */
  resolve(specifier: string, from: string): string | undefined {
    return this.resolver.resolve(specifier, from) ?? jsonModule(specifier, from);
  }

  /**
   * Follows `name` exported by `specifier` (imported from `from`) through re-exports, `export *` and
   * `export * as ns` to the declaration that holds its value; undefined for anything that is not a literal.
   */
  lookup(from: string, specifier: string, name: string, hops = 0): Resolved | undefined {
    if (hops > MAX_HOPS) return undefined;
    const file = this.resolve(specifier, from);
    if (!file) return undefined;
    if (name === '*') return { kind: 'namespace', file };
    return this.inFile(file, name, hops);
  }

  private inFile(file: string, name: string, hops: number): Resolved | undefined {
    if (this.declaredPlainly(file, name)) return undefined;
    const exports = this.exportsOf(file);
    if (!exports) return undefined;
    const found: Exported | undefined = exports.names.get(name);
    if (found) return this.follow(file, exports, found, hops);
    // `export *` hands on neither the default export nor the module object (`import * as ns`, name '*').
    if (name === 'default' || name === '*') return undefined;
    for (const star of exports.stars) {
      const target = this.resolve(star, file);
      const resolved =
        target && this.mayExport(target, name) ? this.inFile(target, name, hops + 1) : undefined;
      if (resolved) return resolved;
    }
    return this.spreadExport(file, exports, name, hops);
  }

  /**
   * `name` of a module whose whole export is an object with spreads (`module.exports = { ...Codes, TEAPOT: 418 }`):
   * what the spreads copy under that name (the object's own keys are exported one by one already).
   */
  private spreadExport(
    file: string,
    exports: ModuleExports,
    name: string,
    hops: number,
  ): Resolved | undefined {
    const whole = exports.names.get('*');
    if (whole?.kind !== 'members' || !whole.members.some((m) => m.spread !== undefined)) return undefined;
    const found = lastNamed(this.flatten(whole.members, file, hops + 1), name);
    if (found?.value !== undefined) return { kind: 'number', value: found.value, file, exports };
    return found?.members ? { kind: 'members', members: found.members, file } : undefined;
  }

  private follow(file: string, exports: ModuleExports, found: Exported, hops: number): Resolved | undefined {
    switch (found.kind) {
      case 'number':
        return { kind: 'number', value: found.value, file, exports };
      case 'members':
        return { kind: 'members', members: found.members, file };
      case 'reexport':
        return this.lookup(file, found.module, found.name, hops + 1);
      case 'namespace': {
        const target = this.resolve(found.module, file);
        return target ? { kind: 'namespace', file: target } : undefined;
      }
      case 'class':
        return {
          kind: 'class',
          value: found.value,
          file,
          line: found.line,
          ...(found.madeBy === undefined ? {} : { madeBy: found.madeBy }),
        };
      case 'classOfFactory': {
        // `const Forbidden = generate(403, 'x')` with `generate` imported: a class when the argument is the status
        // of the class the function makes (analysis/class-factories.ts).
        const defined = this.definition(file, found.module, found.name, hops + 1);
        const sourceFile = defined && this.sourceOf(defined.file);
        const fn = sourceFile && declaredFunction(sourceFile, defined.name);
        return fn && factoryStatusIndexes(fn).includes(found.index)
          ? { kind: 'class', value: found.value, file, line: found.line, madeBy: found.madeBy }
          : undefined;
      }
      case 'classOfImportedStatus':
        return this.madeOfImportedStatus(file, found, hops);
      case 'classOfBase': {
        // `class Forbidden extends Base {}` with `Base` imported: the class `Base` is, where it was made.
        const base = this.lookup(file, found.module, found.name, hops + 1);
        return base?.kind === 'class' && base.madeBy !== undefined ? base : undefined;
      }
      case 'classOfMember': {
        // `super(ResponseType.Forbidden, m)` with `ResponseType` another module's (a workspace package's) enum.
        const owner = this.lookup(file, found.module, found.name, hops + 1);
        const picked = owner && this.keyIn(owner, found.member, hops + 1);
        const value = picked?.kind === 'members' || picked?.kind === 'number' ? picked.value : undefined;
        return value !== undefined && value >= 400 && value <= 599
          ? { kind: 'class', value, file, line: found.line }
          : undefined;
      }
      case 'classOfConstant': {
        // `status = DENIED` with `DENIED` another module's constant (`export const DENIED = 403`).
        const owner = this.lookup(file, found.module, found.name, hops + 1);
        const value = owner?.kind === 'number' ? owner.value : undefined;
        return value !== undefined && value >= 400 && value <= 599
          ? { kind: 'class', value, file, line: found.line }
          : undefined;
      }
      case 'picked': {
        // `export const { DENY: DENIED } = codes`: the key of the table (or namespace) `codes` names.
        const owner = this.lookup(file, found.module, found.name, hops + 1);
        if (!owner) return this.packageEntry(file, exports, found);
        const picked = this.keyIn(owner, found.member, hops + 1);
        if (picked?.kind !== 'members' || picked.value === undefined) return picked;
        const home = this.exportsOf(picked.file);
        return home && { kind: 'number', value: picked.value, file: picked.file, exports: home };
      }
    }
  }

  /**
   * `const Forbidden = generate(FORBIDDEN, 'x')` with the status another module's export (declarations.ts
   * `classOfImportedStatus`): a class of the first candidate argument that is a status parameter of the function
   * (factoryStatusIndexes, read here when the function is imported) and whose value is a 4xx / 5xx. Session 50.
   */
  private madeOfImportedStatus(
    file: string,
    found: Extract<Exported, { kind: 'classOfImportedStatus' }>,
    hops: number,
  ): Resolved | undefined {
    let indexes: number[] | undefined;
    if (found.factory) {
      const defined = this.definition(file, found.factory.module, found.factory.name, hops + 1);
      const sourceFile = defined && this.sourceOf(defined.file);
      const fn = sourceFile && declaredFunction(sourceFile, defined.name);
      if (!fn) return undefined;
      indexes = factoryStatusIndexes(fn);
    }
    for (const status of found.statuses) {
      if (indexes && !indexes.includes(status.index)) continue;
      const owner = this.lookup(file, status.module, status.name, hops + 1);
      const picked =
        owner && status.member !== undefined ? this.keyIn(owner, status.member, hops + 1) : owner;
      const value =
        picked?.kind === 'number' || picked?.kind === 'members'
          ? picked.value
          : this.packageStatus(file, status);
      if (value === undefined || value < 400 || value > 599) continue;
      const madeBy = madeByText(found.callee, status.index, found.count, value);
      return { kind: 'class', value, file, line: found.line, madeBy };
    }
    return undefined;
  }

  /**
   * A factory argument a status package names (`FORBIDDEN` of http-status-codes' legacy exports or stoker,
   * `StatusCodes.FORBIDDEN` destructured, a package's constant handed on by a project module): its number.
   * Undefined for any other.
   */
  private packageStatus(file: string, status: ImportedStatus): number | undefined {
    const from = isBare(status.module)
      ? { module: status.module, name: status.name }
      : this.origin(file, status.module, status.name);
    if (!from) return undefined;
    if (status.member !== undefined) return packageTableValue(from.module, from.name, status.member);
    return namesStatusConstants(from.module) ? packageTableValue(from.module, '*', from.name) : undefined;
  }

  /**
   * `export const DENIED = StatusCodes.FORBIDDEN` (also `HttpStatus.FORBIDDEN`, through a project module that only
   * hands the package's table on): the status the package's table names by the key, as this module's number.
   * Undefined when the table is no status library's (analysis/constants.ts `packageTableValue`).
   */
  private packageEntry(
    file: string,
    exports: ModuleExports,
    found: { module: string; name: string; member: string },
  ): Resolved | undefined {
    const from = isBare(found.module)
      ? { module: found.module, name: found.name }
      : this.origin(file, found.module, found.name);
    const value = from && packageTableValue(from.module, from.name, found.member);
    return value === undefined ? undefined : { kind: 'number', value, file, exports };
  }

  /**
   * The key `key` of a resolved table: a namespace's export, or an object's member (its spreads followed). A
   * member comes back as `members` (its own members, `value` its number when it is one).
   */
  private keyIn(owner: Resolved, key: string, hops: number): Resolved | undefined {
    if (hops > MAX_HOPS) return undefined;
    if (owner.kind === 'namespace') return this.inFile(owner.file, key, hops);
    if (owner.kind !== 'members') return undefined;
    const found = lastNamed(this.flatten(owner.members, owner.file, hops), key);
    if (!found) return undefined;
    if (found.ref?.kind === 'import')
      return this.lookup(owner.file, found.ref.module, found.ref.name, hops + 1);
    return { kind: 'members', members: found.members ?? [], file: owner.file, value: found.value };
  }

  /**
   * An object's members with its spreads in place of them (`{ ...Codes, TEAPOT: 418 }`: the members of the
   * imported `Codes`, then `TEAPOT`), a later key winning over an earlier one of the same name. A spread this
   * link cannot read (a call's result) drops what came before it: those keys may be overwritten.
   */
  private flatten(members: readonly DeclaredMember[], file: string, hops = 0): DeclaredMember[] {
    if (!members.some((m) => m.spread !== undefined)) return [...members];
    let out: DeclaredMember[] = [];
    for (const member of members) {
      if (member.spread === undefined) {
        out.push(member);
        continue;
      }
      const copied =
        member.spread === 'unknown' ? undefined : this.spreadMembers(member.spread, file, hops + 1);
      out = copied ? [...out, ...copied] : [];
    }
    const byName = new Map<string, DeclaredMember>();
    for (const member of out) {
      byName.delete(member.name);
      byName.set(member.name, member);
    }
    return [...byName.values()];
  }

  /** What a spread of an imported table copies, as members; undefined when it cannot be read whole. */
  private spreadMembers(source: SpreadSource, file: string, hops: number): DeclaredMember[] | undefined {
    if (hops > MAX_HOPS) return undefined;
    let resolved: Resolved | undefined = this.lookup(file, source.module, source.name, hops);
    if (resolved && source.member !== undefined) resolved = this.keyIn(resolved, source.member, hops);
    if (resolved?.kind === 'namespace') return this.namespaceMembers(resolved.file, hops + 1);
    if (resolved?.kind === 'members') return this.flatten(resolved.members, resolved.file, hops + 1);
    return undefined;
  }

  /**
   * A module's exports as the members of its namespace object (`{ ...codes }` of `import * as codes`): each
   * number, each table (with its members), `export *` modules' names under the module's own. Undefined when the
   * module cannot be read.
   */
  private namespaceMembers(file: string, hops: number): DeclaredMember[] | undefined {
    const exports = hops > MAX_HOPS ? undefined : this.exportsOf(file);
    if (!exports) return undefined;
    const out = new Map<string, DeclaredMember>();
    for (const star of exports.stars) {
      const target = this.resolve(star, file);
      for (const member of (target ? this.namespaceMembers(target, hops + 1) : undefined) ?? [])
        if (member.name !== 'default' && !out.has(member.name)) out.set(member.name, member);
    }
    for (const [name, value] of exports.names) {
      if (name === '*') continue;
      const resolved = this.follow(file, exports, value, hops + 1);
      out.set(
        name,
        resolved?.kind === 'number'
          ? { name, value: resolved.value }
          : resolved?.kind === 'members'
            ? { name, value: undefined, members: this.flatten(resolved.members, resolved.file, hops + 1) }
            : { name, value: undefined },
      );
    }
    return [...out.values()];
  }

  /** The entries of the table `name` exported by `specifier` (through `through`), as `ImportLink.table` gives them. */
  private tableOf(
    from: string,
    specifier: string,
    name: string,
    through: readonly string[],
  ): TableEntry[] | undefined {
    let resolved: Resolved | undefined = this.lookup(from, specifier, name);
    for (const key of through) resolved = resolved && this.keyIn(resolved, key, 0);
    const members =
      resolved?.kind === 'namespace'
        ? this.namespaceMembers(resolved.file, 0)
        : resolved?.kind === 'members'
          ? this.flatten(resolved.members, resolved.file)
          : undefined;
    return members && entriesOf(members);
  }

  /**
   * The file and exported name that declare `name` imported from `specifier` (functions and classes too),
   * following re-exports and `export *`: where a helper imported through a barrel is defined.
   */
  definition(
    from: string,
    specifier: string,
    name: string,
    hops = 0,
  ): { file: string; name: string } | undefined {
    if (hops > MAX_HOPS) return undefined;
    const file = this.resolve(specifier, from);
    return file ? this.definedIn(file, name, hops) : undefined;
  }

  private definedIn(file: string, name: string, hops: number): { file: string; name: string } | undefined {
    if (this.declaredPlainly(file, name)) return { file, name };
    const exports = this.exportsOf(file);
    if (!exports) return undefined;
    const found = exports.names.get(name);
    if (found?.kind === 'reexport') return this.definition(file, found.module, found.name, hops + 1);
    if (exports.declared.has(name)) return { file, name };
    // `export *` hands on neither the default export nor the module object (`import * as ns`, name '*').
    if (name === 'default' || name === '*') return undefined;
    for (const star of exports.stars) {
      const target = this.resolve(star, file);
      const defined =
        target && this.mayExport(target, name) ? this.definedIn(target, name, hops + 1) : undefined;
      if (defined) return defined;
    }
    return undefined;
  }

  /**
   * The package an imported name comes from when the project's own modules only hand it on (`export {
   * TRPCError } from '@trpc/server'` in `src/trpc.ts`, a barrel's `export *` of it, `import { X } from 'pkg';
   * export { X }`): the package specifier and the name it exports there. Undefined for a name a project file
   * declares, a specifier that is already a package's, or a chain longer than MAX_HOPS. A bare specifier that
   * resolves to a project file (a `paths` alias) is followed like a relative one; one that resolves into
   * node_modules, or not at all, is the package.
   */
  origin(
    from: string,
    specifier: string,
    name: string,
    hops = 0,
  ): { module: string; name: string } | undefined {
    if (hops > MAX_HOPS) return undefined;
    const file = this.resolve(specifier, from);
    if (!file || isPackageFile(file))
      return hops && isBare(specifier) ? { module: specifier, name } : undefined;
    if (this.declaredPlainly(file, name)) return undefined;
    const exports = this.exportsOf(file);
    if (!exports) return undefined;
    // The whole module of a file that is only a package handed on (`module.exports = require('http-errors')`, a
    // lone `export * from 'http-errors'`): `require('./errors')`, `import * as errors` are that package.
    if (name === '*') {
      const [only] = exports.stars;
      const handedOn = [...exports.names.values()].every((e) => e.kind === 'reexport' && e.module === only);
      return exports.stars.length === 1 && isBare(only) && handedOn ? { module: only, name } : undefined;
    }
    const found = exports.names.get(name);
    if (found?.kind === 'reexport') return this.origin(file, found.module, found.name, hops + 1);
    if (found || exports.declared.has(name) || name === 'default') return undefined;
    // The project's own `export *` modules first: a name one of them declares is not the package's.
    const stars = [...exports.stars].sort((a, b) => Number(isBare(a)) - Number(isBare(b)));
    for (const star of stars) {
      const target = this.resolve(star, file);
      if (target && !isPackageFile(target)) {
        const inner = this.origin(file, star, name, hops + 1);
        if (inner) return inner;
        if (this.definedIn(target, name, hops + 1)) return undefined;
      } else if (isBare(star)) return { module: star, name };
    }
    return undefined;
  }

  /**
   * Names other files may use for a 403 this file exports (directly or re-exported): what the phase-2 text
   * prefilter looks for in files that hold no 403 form themselves.
   */
  bearingNames(file: string): string[] {
    const exports = this.exportsOf(file);
    if (!exports) return [];
    const out = new Set<string>();
    for (const [name, value] of exports.names) {
      const resolved =
        value.kind === 'reexport' || value.kind === 'picked'
          ? this.inFile(file, name, 0)
          : // A class a function imported from another module made (`export const Denied = generate(403, 'x')`).
            value.kind === 'classOfFactory' ||
              value.kind === 'classOfImportedStatus' ||
              value.kind === 'classOfBase'
            ? this.follow(file, exports, value, 0)
            : value;
      if ((resolved?.kind === 'number' || resolved?.kind === 'class') && resolved.value === 403)
        out.add(name);
      // `export default class NoPermissionError`: importers use its own name.
      if (value.kind === 'class' && value.value === 403 && value.name) out.add(value.name);
      // `Codes.NO_ACCESS` is found by its member name; a result `{ statusCode: 403 }` by its own name
      // (`statusCode` itself is in too many files to be a useful filter).
      if (resolved?.kind === 'members')
        forbiddenNames(this.flatten(resolved.members, 'file' in resolved ? resolved.file : file), name, out);
    }
    out.delete('default');
    out.delete('*');
    return [...out];
  }

  /**
   * How importers name this file in a specifier when its default or whole export is a 403 (`export default
   * class DeniedError`, `module.exports = DeniedError`, `export default 403`): importers bind such an export
   * under any local name (`import D from './denied'`), so phase 2 of the prefilter looks for the specifier's
   * last segment instead: the base name, and the folder's name for an `index` file.
   */
  bearingSpecifiers(file: string): string[] {
    const exports = this.exportsOf(file);
    if (!exports) return [];
    const whole = ['default', '*'].some((name) => {
      const value = exports.names.get(name);
      const resolved = value && this.follow(file, exports, value, 0);
      return (resolved?.kind === 'number' || resolved?.kind === 'class') && resolved.value === 403;
    });
    if (!whole) return [];
    const base = path.basename(file).replace(/\.[cm]?[jt]sx?$/, '');
    return base === 'index' ? [base, path.basename(path.dirname(file))] : [base];
  }

  /** The link one file's analysis uses to read the values of its imports. */
  forFile(absolute: string, relative?: string): ImportLink {
    // The working folder, when the caller says where the file is relative to it: paths in reasons are relative.
    const cwd =
      relative !== undefined && absolute.endsWith(relative)
        ? absolute.slice(0, absolute.length - relative.length)
        : undefined;
    return {
      relative: (file) =>
        cwd === undefined ? undefined : path.relative(cwd, file).split(path.sep).join('/'),
      constant: (binding) => this.constant(absolute, binding),
      member: (binding, member, through) => this.member(absolute, binding, member, through),
      table: (binding, through = []) => this.tableOf(absolute, binding.module, binding.name, through),
      classStatus: (binding, member) => {
        const resolved =
          member !== undefined
            ? this.memberOf(absolute, binding, member)
            : binding.name === '*'
              ? this.wholeClass(absolute, binding.module)
              : this.lookup(absolute, binding.module, binding.name);
        return resolved?.kind === 'class' ? classAnswer(resolved) : undefined;
      },
      localClass: (name) => {
        const exports = this.exportsOf(absolute);
        const found = exports?.classes.get(name);
        const resolved = exports && found && this.follow(absolute, exports, found, 0);
        return resolved?.kind === 'class' ? classAnswer(resolved) : undefined;
      },
      origin: (binding) => this.origin(absolute, binding.module, binding.name),
      madeClass: (name) => this.madeClass(name),
      handlerReturning: (name, owner) => this.handlerReturning(name, owner),
      // A file reached through another's link reads its own imports as an analysed file does (unread-classes.ts).
      absolute,
      resolve: (specifier) => this.resolve(specifier, absolute),
      declaration: (binding) => {
        if (binding.name === '*') return undefined;
        const defined = this.definition(absolute, binding.module, binding.name);
        const sourceFile = defined && this.sourceOf(defined.file);
        return defined && sourceFile
          ? { ...defined, sourceFile, link: this.forFile(defined.file) }
          : undefined;
      },
    };
  }

  /** `const DeniedError = require('./denied')` of `module.exports = DeniedError`: the module is the class. */
  private wholeClass(from: string, specifier: string): Resolved | undefined {
    const file = this.resolve(specifier, from);
    const exports = file ? this.exportsOf(file) : undefined;
    const found = exports?.names.get('*');
    return file &&
      exports &&
      (found?.kind === 'class' ||
        found?.kind === 'classOfConstant' ||
        found?.kind === 'classOfFactory' ||
        found?.kind === 'classOfImportedStatus' ||
        found?.kind === 'classOfBase')
      ? this.follow(file, exports, found, 0)
      : undefined;
  }

  /** `errors.NoPermissionError`: a member of an imported object (`export default { NoPermissionError }`) or namespace. */
  private memberOf(from: string, binding: ImportBinding, member: string): Resolved | undefined {
    const resolved = this.lookup(from, binding.module, binding.name);
    if (resolved?.kind === 'namespace') return this.inFile(resolved.file, member, 0);
    if (resolved?.kind !== 'members') return undefined;
    const ref = lastNamed(this.flatten(resolved.members, resolved.file), member)?.ref;
    if (ref?.kind === 'class') return { ...ref, file: resolved.file };
    if (ref?.kind === 'classOfConstant') {
      // `module.exports = { Forbidden }` of a class whose status is an imported constant.
      const owner = this.lookup(resolved.file, ref.module, ref.name, 1);
      const value = owner?.kind === 'number' ? owner.value : undefined;
      return value !== undefined && value >= 400 && value <= 599
        ? { kind: 'class', value, file: resolved.file, line: ref.line }
        : undefined;
    }
    if (ref?.kind === 'import') return this.lookup(resolved.file, ref.module, ref.name, 1);
    // `module.exports = { Forbidden }` of a class a project function made (`generate(FORBIDDEN, 'x')`).
    const home = ref && this.exportsOf(resolved.file);
    return ref && home ? this.follow(resolved.file, home, ref, 1) : undefined;
  }

  private constant(from: string, binding: ImportBinding): ImportedConstant | undefined {
    const resolved = this.lookup(from, binding.module, binding.name);
    if (resolved?.kind !== 'number') return undefined;
    // Siblings: other numbers the same module exports that the importer can import under that name too.
    const siblings = new Map<number, string>();
    for (const [name, value] of resolved.exports.names) {
      if (value.kind !== 'number' || siblings.has(value.value) || name === 'default') continue;
      const again = this.lookup(from, binding.module, name);
      if (again?.kind === 'number' && again.value === value.value) siblings.set(value.value, name);
    }
    return { value: resolved.value, siblings, file: resolved.file };
  }

  private member(
    from: string,
    binding: ImportBinding,
    member: string,
    through: readonly string[] = [],
  ): ImportedConstant | undefined {
    let resolved = this.lookup(from, binding.module, binding.name);
    // `apiConst.HTTP.FORBIDDEN` (a JSON module's object, a namespace's table), `codes.Codes.Deny` of `export *
    // as codes`, `Responses.ok.statusCode` of a nested object: each key in turn.
    for (const key of through) resolved = resolved && this.keyIn(resolved, key, 0);
    if (resolved?.kind === 'namespace') {
      const inner = this.inFile(resolved.file, member, 0);
      if (inner?.kind !== 'number') return undefined;
      const siblings = new Map<number, string>();
      for (const [name, value] of inner.exports.names)
        if (value.kind === 'number' && !siblings.has(value.value) && name !== 'default' && name !== '*') {
          const again = this.inFile(resolved.file, name, 0);
          if (again?.kind === 'number' && again.value === value.value) siblings.set(value.value, name);
        }
      return { value: inner.value, siblings, file: inner.file };
    }
    if (resolved?.kind !== 'members') return undefined;
    return memberConstant(this.flatten(resolved.members, resolved.file), member, resolved.file);
  }
}

/** The last member named `name` (a later key overwrites an earlier one). */
function lastNamed(members: readonly DeclaredMember[], name: string): DeclaredMember | undefined {
  for (let index = members.length - 1; index >= 0; index--)
    if (members[index].name === name) return members[index];
  return undefined;
}

/** Members as table entries (spreads already in place), nested objects too. */
function entriesOf(members: readonly DeclaredMember[]): TableEntry[] {
  return members
    .filter((m) => m.name !== SPREAD)
    .map((m) => ({ name: m.name, value: m.value, ...(m.members ? { entries: entriesOf(m.members) } : {}) }));
}

/**
 * The names other files may read a 403 of a table by: a member holding 403 (`Codes.NO_ACCESS`), or for a
 * result's status key the key above it (`{ statusCode: 403 }` under `denied`: `denied`; `statusCode` itself is in
 * too many files to be a useful filter); nested objects too.
 */
function forbiddenNames(
  members: readonly DeclaredMember[],
  owner: string,
  out: Set<string>,
  depth = 0,
): void {
  for (const member of members) {
    if (member.value === 403) out.add(STATUS_KEYS.has(member.name) ? owner : member.name);
    if (member.members && depth < 4) forbiddenNames(member.members, member.name, out, depth + 1);
  }
}

/** A specifier naming a package (`@trpc/server`, `hono/http-exception`), not a path. */
function isBare(specifier: string): boolean {
  return !specifier.startsWith('.') && !specifier.startsWith('/');
}

/** A file a package installs (its declarations or code under node_modules), not one of the project's. */
function isPackageFile(absolute: string): boolean {
  return absolute.split(path.sep).includes('node_modules');
}

/** A member of an object's numeric entries, with the object's other numbers as its siblings. */
function memberConstant(
  members: DeclaredMember[],
  member: string,
  file: string,
): ImportedConstant | undefined {
  const found = lastNamed(members, member);
  if (found?.value === undefined) return undefined;
  const siblings = new Map<number, string>();
  for (const m of members) if (m.value !== undefined && !siblings.has(m.value)) siblings.set(m.value, m.name);
  return { value: found.value, siblings, file };
}

/**
 * `require('./const.json')`, and `require('../constants')` where only `constants.json` is there (Node's
 * CommonJS resolution tries `.json` after `.js`; TypeScript resolves neither without resolveJsonModule):
 * the JSON file, for its values. Relative specifiers only.
 */
function jsonModule(specifier: string, from: string): string | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const target = path.resolve(path.dirname(from), specifier);
  const candidate = target.endsWith('.json') ? target : `${target}.json`;
  return existsSync(candidate) ? candidate : undefined;
}

/**
 * A JSON module's values as exports (Node's `require` and an ES default import both give the object): each
 * top-level number, each top-level object's numeric entries, and the whole object's numbers as `default`.
 * Undefined when the file cannot be read or parsed, or is not an object.
 */
function jsonExports(absolute: string): ModuleExports | undefined {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(absolute, 'utf8').replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
  if (!isRecord(data)) return undefined;
  const numbersOf = (value: Record<string, unknown>, depth = 0): DeclaredMember[] =>
    Object.entries(value).map(([name, entry]) => ({
      name,
      value: typeof entry === 'number' ? entry : undefined,
      ...(isRecord(entry) && depth < 4 ? { members: numbersOf(entry, depth + 1) } : {}),
    }));
  const names = new Map<string, Exported>();
  for (const [name, value] of Object.entries(data)) {
    if (typeof value === 'number') names.set(name, { kind: 'number', value, line: 1 });
    else if (isRecord(value)) names.set(name, { kind: 'members', members: numbersOf(value), line: 1 });
  }
  names.set('default', { kind: 'members', members: numbersOf(data), line: 1 });
  return { names, stars: [], declared: new Set(names.keys()), made: new Map(), classes: new Map() };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What hands another module's exports on whole (declarations.ts reads each as a star: `export *`, a compiled
 * `__exportStar`, `module.exports = require(…)`, `Object.assign(exports, …)`), or exports CommonJS-style, where
 * `mayExport` does not look for the name: its test.
 */
const HANDS_ON_WHOLE = /\bexport\s*\*|__exportStar|\bexports\b/;

function readText(absolute: string): string | undefined {
  try {
    return readFileSync(absolute, 'utf8');
  } catch {
    return undefined;
  }
}

function readAndParse(absolute: string): ts.SourceFile | undefined {
  try {
    return parseSource(absolute, readFileSync(absolute, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A resolved class as the link answers it: its status, where it is declared (or made), and by which call. */
function classAnswer(resolved: Extract<Resolved, { kind: 'class' }>): {
  value: number;
  file: string;
  line: number;
  madeBy?: string;
} {
  return {
    value: resolved.value,
    file: resolved.file,
    line: resolved.line,
    ...(resolved.madeBy === undefined ? {} : { madeBy: resolved.madeBy }),
  };
}
