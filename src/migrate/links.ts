import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type ts from '../typescript.cjs';
import { STATUS_KEYS, type ImportedConstant, type ImportLink } from './analysis.js';
import { moduleExports, type DeclaredMember, type Exported, type ModuleExports } from './declarations.js';
import type { ImportBinding } from './imports.js';
import { parseSource } from './parse.js';
import type { ModuleResolver } from './resolve.js';

/** A resolved value export: a number or an object/enum, and the file that declares it. */
type Resolved =
  | { kind: 'number'; value: number; file: string; exports: ModuleExports }
  | { kind: 'members'; members: DeclaredMember[]; file: string }
  | { kind: 'namespace'; file: string }
  | { kind: 'class'; value: number; file: string; line: number };

/** How many re-export hops are followed before giving up (barrels of barrels are rarely deeper). */
const MAX_HOPS = 12;

/**
 * The project's modules as the cross-file phase sees them: exports read syntactically (declarations.ts), module
 * specifiers resolved by TypeScript (resolve.ts). Each module is parsed at most once; a file already parsed for
 * analysis is reused through `sourceOf`.
 */
export class ProjectLinks {
  private readonly exportsCache = new Map<string, ModuleExports | undefined>();

  /**
   * @param textOf a file's text (the run's cache), read to skip a module `export *` leads to when its text cannot
   *   hand on the name looked for (`mayExport`); throws or gives undefined when the file cannot be read.
   */
  constructor(
    private readonly resolver: ModuleResolver,
    private readonly sourceOf: (absolute: string) => ts.SourceFile | undefined = readAndParse,
    private readonly textOf: (absolute: string) => string | undefined = readText,
  ) {}

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
    const word = name.replace(/[$]/g, '\\$&');
    return new RegExp(`\\bexport\\b[^;]*?(?<![\\w$])${word}(?![\\w$])`).test(text);
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
    const exports = this.exportsOf(file);
    if (!exports) return undefined;
    const found: Exported | undefined = exports.names.get(name);
    if (found) return this.follow(file, exports, found, hops);
    if (name === 'default') return undefined;
    for (const star of exports.stars) {
      const target = this.resolve(star, file);
      const resolved =
        target && this.mayExport(target, name) ? this.inFile(target, name, hops + 1) : undefined;
      if (resolved) return resolved;
    }
    return undefined;
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
        return { kind: 'class', value: found.value, file, line: found.line };
    }
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
    const exports = this.exportsOf(file);
    if (!exports) return undefined;
    const found = exports.names.get(name);
    if (found?.kind === 'reexport') return this.definition(file, found.module, found.name, hops + 1);
    if (exports.declared.has(name)) return { file, name };
    if (name === 'default') return undefined;
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
    if (hops > MAX_HOPS || name === '*') return undefined;
    const file = this.resolve(specifier, from);
    if (!file || isPackageFile(file))
      return hops && isBare(specifier) ? { module: specifier, name } : undefined;
    const exports = this.exportsOf(file);
    if (!exports) return undefined;
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
      const resolved = value.kind === 'reexport' ? this.inFile(file, name, 0) : value;
      if ((resolved?.kind === 'number' || resolved?.kind === 'class') && resolved.value === 403)
        out.add(name);
      // `export default class NoPermissionError`: importers use its own name.
      if (value.kind === 'class' && value.value === 403 && value.name) out.add(value.name);
      // `Codes.NO_ACCESS` is found by its member name; a result `{ statusCode: 403 }` by its own name
      // (`statusCode` itself is in too many files to be a useful filter).
      if (resolved?.kind === 'members')
        for (const member of resolved.members)
          if (member.value === 403) out.add(STATUS_KEYS.has(member.name) ? name : member.name);
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
      classStatus: (binding, member) => {
        const resolved =
          member !== undefined
            ? this.memberOf(absolute, binding, member)
            : binding.name === '*'
              ? this.wholeClass(absolute, binding.module)
              : this.lookup(absolute, binding.module, binding.name);
        return resolved?.kind === 'class'
          ? { value: resolved.value, file: resolved.file, line: resolved.line }
          : undefined;
      },
      origin: (binding) => this.origin(absolute, binding.module, binding.name),
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
    return file && exports && found?.kind === 'class' ? this.follow(file, exports, found, 0) : undefined;
  }

  /** `errors.NoPermissionError`: a member of an imported object (`export default { NoPermissionError }`) or namespace. */
  private memberOf(from: string, binding: ImportBinding, member: string): Resolved | undefined {
    const resolved = this.lookup(from, binding.module, binding.name);
    if (resolved?.kind === 'namespace') return this.inFile(resolved.file, member, 0);
    if (resolved?.kind !== 'members') return undefined;
    const ref = resolved.members.find((m) => m.name === member)?.ref;
    if (ref?.kind === 'class') return { ...ref, file: resolved.file };
    if (ref?.kind === 'import') return this.lookup(resolved.file, ref.module, ref.name, 1);
    return undefined;
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
    if (through.length) return this.nestedMember(from, binding, member, through);
    const resolved = this.lookup(from, binding.module, binding.name);
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
    return memberConstant(resolved.members, member, resolved.file);
  }

  /**
   * `apiConst.HTTP.FORBIDDEN` of `const apiConst = require('./const.json')` (or a namespace import's
   * `codes.HTTP.FORBIDDEN`): a member of an object the module exports under the first key. One level: the
   * JSON module's objects, a namespace's exported objects; a TypeScript module's default object is flat.
   */
  private nestedMember(
    from: string,
    binding: ImportBinding,
    member: string,
    through: readonly string[],
  ): ImportedConstant | undefined {
    const [key] = through;
    if (through.length !== 1 || key === undefined) return undefined;
    const file = this.resolve(binding.module, from);
    if (!file) return undefined;
    const whole = binding.name === '*' || (binding.name === 'default' && file.endsWith('.json'));
    const inner = whole ? this.inFile(file, key, 0) : undefined;
    return inner?.kind === 'members' ? memberConstant(inner.members, member, inner.file) : undefined;
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
  const found = members.find((m) => m.name === member);
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
  const numbersOf = (value: Record<string, unknown>): DeclaredMember[] =>
    Object.entries(value).map(([name, entry]) => ({
      name,
      value: typeof entry === 'number' ? entry : undefined,
    }));
  const names = new Map<string, Exported>();
  for (const [name, value] of Object.entries(data)) {
    if (typeof value === 'number') names.set(name, { kind: 'number', value, line: 1 });
    else if (isRecord(value)) names.set(name, { kind: 'members', members: numbersOf(value), line: 1 });
  }
  names.set('default', { kind: 'members', members: numbersOf(data), line: 1 });
  return { names, stars: [], declared: new Set(names.keys()) };
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
