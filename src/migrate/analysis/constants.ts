import { memberMayChange } from './changed-members.js';
import ts from '../../typescript.cjs';
import type { ImportBinding } from '../imports.js';
import { AXIOS_STATUS_NAMES, CONSTANT_NAMES, DENO_STATUS_NAMES } from '../status-names.js';
import { HTTP_STATUS_ENUM_NAMES, STATUS_CODE_ENUM_NAMES, statusEnumTable } from '../status-enum-packages.js';
import type { FileImports } from './file-imports.js';
import { classMemberValue } from './class-tables.js';
import { fieldsInScope } from './declared-tables.js';
import { isFixedBinding } from './fixed-bindings.js';
import { constantKey } from './constant-keys.js';
import { constantNumber, enumMemberValues } from './fold.js';
import { copiedEntries, entryNamed, isCopiedTable } from './spread-tables.js';
import { bindsName, objectLiteralOf, skipOuter, staticMember } from './syntax.js';
import type { ImportedConstant, ImportLink, LocalConstant, TableEntry } from './types.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/** stoker's status codes module (npm, and the JSR fork of it), `export const FORBIDDEN = 403` and so on. */
const STOKER_CODE_MODULES: readonly string[] = [
  'stoker/http-status-codes',
  '@vbhv11/stoker/http-status-codes',
  'jsr:@vbhv11/stoker/http-status-codes',
];

/** stoker's reason phrases (`export const FORBIDDEN = "Forbidden"`), the companion of its codes. */
export const STOKER_PHRASE_MODULES: readonly string[] = STOKER_CODE_MODULES.map((m) =>
  m.replace(/codes$/, 'phrases'),
);

/**
 * Whether an import binding is a table of reason phrases: `ReasonPhrases` of http-status-codes, or stoker's phrase
 * module imported whole (`import * as HttpStatusPhrases from 'stoker/http-status-phrases'`).
 */
export function isPhraseTable(binding: Pick<ImportBinding, 'module' | 'name'> | undefined): boolean {
  return (
    (binding?.module === 'http-status-codes' && binding.name === 'ReasonPhrases') ||
    (binding !== undefined && STOKER_PHRASE_MODULES.includes(binding.module) && binding.name === '*')
  );
}

/** Libraries whose named constants we rename (`StatusCodes.FORBIDDEN` -> `StatusCodes.UNAUTHORIZED`). */
const CONSTANT_LIBRARIES: Record<string, (binding: Pick<ImportBinding, 'name'>) => boolean> = {
  'http-status-codes': (b) => b.name === 'StatusCodes' || b.name === 'default' || b.name === '*',
  '@nestjs/common': (b) => b.name === 'HttpStatus',
  '@nestjs/common/enums': (b) => b.name === 'HttpStatus',
  '@nestjs/common/enums/http-status.enum': (b) => b.name === 'HttpStatus',
  'http-status': (b) =>
    b.name === 'default' || b.name === 'status' || b.name === '*' || b.name === 'httpStatus',
  '@marblejs/core': (b) => b.name === 'HttpStatus',
  // Midway's HttpStatus enum uses Nest's names (FORBIDDEN = 403, UNAUTHORIZED = 401).
  '@midwayjs/core': (b) => b.name === 'HttpStatus',
  '@marblejs/http': (b) => b.name === 'HttpStatus',
  // stoker (the Hono / @hono/zod-openapi utilities) exports each code as its own const, by http-status-codes'
  // names (`export const FORBIDDEN = 403`, `UNAUTHORIZED = 401`), read as `import * as HttpStatusCodes`.
  ...Object.fromEntries(
    STOKER_CODE_MODULES.map((m) => [m, (b: Pick<ImportBinding, 'name'>) => b.name === '*']) as [
      string,
      (binding: Pick<ImportBinding, 'name'>) => boolean,
    ][],
  ),
};

/**
 * Whether a module exports the status codes as named constants by http-status-codes' names, so that
 * `import { FORBIDDEN } from '…'` is a 403: http-status-codes' legacy exports and stoker's `http-status-codes`.
 */
export function namesStatusConstants(module: string): boolean {
  return module === 'http-status-codes' || STOKER_CODE_MODULES.includes(module);
}

/**
 * The status a package's table names by `member` (`FORBIDDEN` of http-status-codes' `StatusCodes`, Nest's
 * `HttpStatus`, axios' `HttpStatusCode.Forbidden`, a status enum package's member) when `name` of `module` is one
 * such table (the binding as imported, `*` / `default` for a whole module where the library exports it so).
 * Undefined for any other binding, or a member the table lacks. Read by links.ts for a project constant that holds
 * such a member (`export const DENIED = StatusCodes.FORBIDDEN`).
 */
export function packageTableValue(module: string, name: string, member: string): number | undefined {
  const names =
    module === 'axios' && name === 'HttpStatusCode'
      ? AXIOS_STATUS_NAMES
      : (statusEnumTable(module, name) ??
        (CONSTANT_LIBRARIES[module]?.({ name }) ? CONSTANT_NAMES : undefined));
  if (!names) return undefined;
  const value = valueOfName(names, member);
  return value >= 0 ? value : undefined;
}

/**
 * Where Deno std's PascalCase `Status` / `STATUS_CODE` come from: Oak (npm, JSR, deno.land/x), std (JSR,
 * deno.land/std), or the project's own `deps.ts` re-export, Deno's convention.
 */
const DENO_STATUS_MODULE =
  /^(?:jsr:|npm:)?@(?:oak\/oak|std\/http)(?:@[^/]*)?(?:\/|$)|^oak$|deno\.land\/(?:x\/oak|std)(?:@[^/]*)?\/|(?:^|\/)deps\.ts$/;

type Declaration = ts.VariableDeclaration | ts.EnumDeclaration;

/** A member read the constants know how to value: `X.NAME` or `X['NAME']`. */
export type MemberRead = ts.PropertyAccessExpression | ts.ElementAccessExpression;

/**
 * A name bound by destructuring a `const` (`const { HTTP_STATUS_FORBIDDEN } = http2.constants`,
 * `const { FORBIDDEN: DENIED } = StatusCodes`): the object it is read from and the key it reads.
 */
export interface DestructuredName {
  owner: ts.Expression;
  key: string;
}

/**
 * Declarations and constants of one file: what a name in a status slot is worth when it is a status
 * library's constant (`StatusCodes.FORBIDDEN`), a project constant or enum member of this file
 * (`const FORBIDDEN = 403`), or an imported one (through the cross-file `link`). Never edits a definition.
 */
export class Constants {
  private readonly declarationIndex = new Map<ts.Node, Map<string, Declaration>>();

  constructor(
    private readonly imports: FileImports,
    readonly link: ImportLink | undefined,
  ) {}

  /**
   * `StatusCodes.X`, `HttpStatus.X` (Nest, Marble.js), `status.X`, `http2.constants.HTTP_STATUS_X`, Deno/Oak
   * `Status.X`, axios `HttpStatusCode.X`: its value (-1 for a name the library lacks) and the library's names by value.
   */
  libraryConstant(node: MemberRead): { value: number; names: Record<number, string> } | undefined {
    const read = this.memberRead(node);
    return read ? this.libraryValue(read.owner, read.name) : undefined;
  }

  /**
   * What `owner.member` is worth when `owner` is a status library's table (see `libraryConstant`), also
   * `require('http2').constants`; undefined when `owner` is none.
   */
  libraryValue(
    table: ts.Expression,
    member: string,
  ): { value: number; names: Record<number, string> } | undefined {
    const library = this.libraryNames(table);
    if (!library || (library.prefix !== undefined && !member.startsWith(library.prefix))) return undefined;
    return { value: valueOfName(library.names, member), names: library.names };
  }

  /**
   * The names (by status) of the status library's table `table` names (see `libraryConstant`); `prefix`: the
   * one every member of it has (http2's `HTTP_STATUS_`; another member is no status). Undefined when `table` is
   * no such table.
   */
  private libraryNames(
    table: ts.Expression,
    depth = 0,
  ): { names: Record<number, string>; prefix?: string } | undefined {
    const owner = skipOuter(table);
    // `const Codes = HttpStatus` (or `= StatusCodes`, `= http2.constants`): the table under another name.
    const alias = ts.isIdentifier(owner) && depth < 4 ? this.constAlias(owner) : undefined;
    if (alias) return this.libraryNames(alias, depth + 1);
    let library: string | undefined;
    if (
      ts.isPropertyAccessExpression(owner) &&
      owner.name.text === 'constants' &&
      ts.isCallExpression(owner.expression) &&
      isRequireOf(owner.expression, 'http2')
    )
      library = 'http2';
    if (ts.isIdentifier(owner)) {
      // A table a project module only re-exports (`export { HttpStatus as Codes } from '@nestjs/common'`, `export
      // { default as status } from 'http-status'`) is the package's (ImportLink `origin`).
      const binding = this.imports.packageOf(owner.text);
      if (
        binding &&
        (binding.name === 'Status' || binding.name === 'STATUS_CODE') &&
        DENO_STATUS_MODULE.test(binding.module)
      ) {
        return { names: DENO_STATUS_NAMES };
      }
      if (binding?.module === 'axios' && binding.name === 'HttpStatusCode')
        return { names: AXIOS_STATUS_NAMES };
      const enumNames = binding && statusEnumTable(binding.module, binding.name);
      if (enumNames) return { names: enumNames };
      if (binding && CONSTANT_LIBRARIES[binding.module]?.(binding)) library = binding.module;
      if (binding?.module === 'http2' && binding.name === 'constants') library = 'http2';
    } else if (
      !library &&
      (ts.isPropertyAccessExpression(owner) || ts.isElementAccessExpression(owner)) &&
      ts.isIdentifier(owner.expression)
    ) {
      // `common.HttpStatus.FORBIDDEN`, `http2.constants.HTTP_STATUS_FORBIDDEN`; also written as an element
      // access with a literal key (`H['StatusCodes']['FORBIDDEN']`, session 48).
      const tableName = staticMember(owner)?.name;
      const binding = tableName === undefined ? undefined : this.imports.importOf(owner.expression.text);
      const whole = binding?.name === '*' || binding?.name === 'default';
      if (whole && binding.module === '@nestjs/common' && tableName === 'HttpStatus')
        library = binding.module;
      if (whole && binding.module === 'http-status-codes' && tableName === 'StatusCodes')
        library = binding.module;
      if (whole && binding.module === 'http2' && tableName === 'constants') library = 'http2';
      // `axios.HttpStatusCode.Forbidden`
      if (whole && binding.module === 'axios' && tableName === 'HttpStatusCode')
        return { names: AXIOS_STATUS_NAMES };
      const enumNames = binding && statusEnumTable(binding.module, binding.name, tableName);
      if (enumNames) return { names: enumNames };
    }
    if (!library) return undefined;
    if (library === 'http2')
      return { names: prefixed(CONSTANT_NAMES, 'HTTP_STATUS_'), prefix: 'HTTP_STATUS_' };
    return { names: CONSTANT_NAMES };
  }

  /**
   * The initializer of a `const` of this file that holds another name for a table (`const Codes = HttpStatus`,
   * `const c = http2.constants`): a plain name or member read, no call or literal. Undefined for anything else.
   */
  private constAlias(name: ts.Identifier): ts.Expression | undefined {
    if (this.imports.importOf(name.text)) return undefined;
    const declaration = this.findDeclaration(name.text, name);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    const list = declaration.parent;
    if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
    const value = skipOuter(declaration.initializer);
    return ts.isIdentifier(value) || ts.isPropertyAccessExpression(value) ? value : undefined;
  }

  /** `STATUS_CODES` imported from http, or the http-status default export (`httpStatus[403]` is its message). */
  isStatusTable(name: string): boolean {
    const binding = this.imports.importOf(name);
    if (!binding) return false;
    if (binding.module === 'http') return binding.name === 'STATUS_CODES';
    return binding.module === 'http-status' && CONSTANT_LIBRARIES['http-status'](binding);
  }

  /**
   * The statuses a number key reads a name or message for in `owner`, when `owner` is a table TypeScript or its
   * package maps both ways: a numeric enum (http-status-codes `StatusCodes`, Nest/Marble.js/Midway `HttpStatus`,
   * axios `HttpStatusCode`, Deno `Status`, a project enum of this file or one a project file exports), the
   * http-status default export or http's `STATUS_CODES`. `StatusCodes[403]` is `'FORBIDDEN'`, `httpStatus[403]`
   * is `'Forbidden'`: text, never a status. Undefined for any other owner (`{ FORBIDDEN: 403 }` has no 403 key).
   */
  reverseStatuses(owner: ts.Expression, from: ts.Node): ReadonlySet<number> | undefined {
    const node = skipOuter(owner);
    if (ts.isIdentifier(node) && this.isStatusTable(node.text))
      return new Set(Object.keys(CONSTANT_NAMES).map(Number));
    // `http.STATUS_CODES` of `import * as http from 'node:http'` (or its default, or `require('http')`).
    const member = staticMember(node);
    const module = member && skipOuter(member.owner);
    if (member?.name === 'STATUS_CODES' && module && ts.isIdentifier(module)) {
      const binding = this.imports.importOf(module.text);
      if (
        binding &&
        ['*', 'default'].includes(binding.name) &&
        binding.module.replace(/^node:/, '') === 'http'
      )
        return new Set(Object.keys(CONSTANT_NAMES).map(Number));
    }
    const library = this.libraryNames(node);
    if (library && library.prefix === undefined && this.isLibraryEnum(node))
      return new Set(Object.keys(library.names).map(Number));
    if (!ts.isIdentifier(node)) return undefined;
    const own = this.findDeclaration(node.text, from);
    if (own) return ts.isEnumDeclaration(own) ? numericValues(own) : undefined;
    const binding = this.imports.map.get(node.text);
    const site = binding && this.link?.declaration?.(binding);
    const exported = site && topLevelDeclaration(site.sourceFile, site.name);
    return exported && ts.isEnumDeclaration(exported) ? numericValues(exported) : undefined;
  }

  /**
   * Whether a status library's table (see {@link libraryNames}) is one of its enums, which map numbers back to
   * names, rather than an object of constants (http-status-codes' legacy exports, stoker, http2's constants).
   */
  private isLibraryEnum(table: ts.Expression, depth = 0): boolean {
    const owner = skipOuter(table);
    const alias = ts.isIdentifier(owner) && depth < 4 ? this.constAlias(owner) : undefined;
    if (alias) return this.isLibraryEnum(alias, depth + 1);
    const member = staticMember(owner);
    const binding = ts.isIdentifier(owner)
      ? this.imports.packageOf(owner.text)
      : member && ts.isIdentifier(skipOuter(member.owner))
        ? this.imports.importOf((skipOuter(member.owner) as ts.Identifier).text)
        : undefined;
    const name = ts.isIdentifier(owner) ? binding?.name : member?.name;
    if (!binding || !name) return false;
    if (binding.module === 'http-status' || binding.module === 'http2') return false;
    return ENUM_TABLE_NAMES.has(name) || statusEnumTable(binding.module, name) !== undefined;
  }

  /** A member of a project-local object or enum: `HTTP_STATUS.FORBIDDEN` where `const HTTP_STATUS = { FORBIDDEN: 403 }`. */
  localMember(node: MemberRead): LocalConstant | undefined {
    const read = this.memberRead(node);
    return read ? this.localValue(read.owner, read.name, node) : undefined;
  }

  /**
   * `owner.member` where `owner` names a local object literal (also frozen) or enum: see `localMember`. Also
   * such a table reached through a class of this file (`this.STATUS_CODES.FORBIDDEN` with
   * `static get STATUS_CODES() { return STATUS_CODES; }`, `Http.CODES.FORBIDDEN` with `static CODES = CODES`,
   * `http.codes.FORBIDDEN` with an instance getter, a class's own `static CODES = { FORBIDDEN: 403 }`;
   * class-tables.ts), since session 34.
   */
  localValue(owner: ts.Expression, member: string, from: ts.Node): LocalConstant | undefined {
    const through = this.throughClass(owner);
    if (through) {
      const object = objectLiteralOf(through);
      if (object && !isCopiedTable(through)) return literalValue(object, member);
      return this.localValue(through, member, through);
    }
    if (!ts.isIdentifier(owner)) return this.copiedValue(owner, member, from);
    const declaration = this.findDeclaration(owner.text, from);
    if (!declaration) {
      const fields = fieldsInScope(owner.text, from);
      const field = fields?.find((m) => m.name === member);
      return fields && field?.value !== undefined
        ? { value: field.value, siblings: siblingsOf(fields) }
        : undefined;
    }
    let members: ReadonlyArray<{ name: string; value: number | undefined }> | undefined;
    if (
      ts.isVariableDeclaration(declaration) &&
      declaration.initializer &&
      isCopiedTable(declaration.initializer)
    ) {
      // `const more = { ...Codes }`, `Object.assign({}, Codes)`: the copied entries (spread-tables.ts).
      const entries = this.entriesOf(declaration);
      const found = entries && entryNamed(entries, member);
      return entries && found?.value !== undefined
        ? { value: found.value, siblings: siblingsOf(entries) }
        : undefined;
    }
    if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
      const init = objectLiteralOf(declaration.initializer);
      // `const context = { httpCode: 200 }` filled in later (`run(context)`, `context.httpCode = x`): no constant.
      if (init && memberMayChange(declaration, member)) return undefined;
      if (init) {
        members = init.properties.flatMap((p) =>
          ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))
            ? [{ name: p.name.text, value: constantNumber(p.initializer) }]
            : [],
        );
      }
    } else if (ts.isEnumDeclaration(declaration)) {
      // Auto-numbered members too (`Unauthorized = 401, PaymentRequired, Forbidden`: Forbidden is 403).
      members = enumMemberValues(declaration).filter((m) => ts.isIdentifier(m.member.name));
    }
    const found = members?.find((m) => m.name === member);
    if (!members || !found || found.value === undefined) return undefined;
    return { value: found.value, siblings: siblingsOf(members) };
  }

  /**
   * The name of the entry holding 403 in the table `owner` names (a status library's table, a local object
   * literal, frozen or not, or enum, or one a project file exports: `scriptFailureStatusCodes` imported from
   * `./constants`), or undefined when `owner` is no such table or holds no 403. For an imported table, `at` is
   * where the entry is written (`src/constants.ts:3`).
   */
  forbiddenEntry(owner: ts.Expression, from: ts.Node): { name: string; at?: string } | undefined {
    for (const names of [
      CONSTANT_NAMES,
      prefixed(CONSTANT_NAMES, 'HTTP_STATUS_'),
      DENO_STATUS_NAMES,
      AXIOS_STATUS_NAMES,
      STATUS_CODE_ENUM_NAMES,
      HTTP_STATUS_ENUM_NAMES,
    ]) {
      const name = names[403];
      if (name && this.libraryValue(owner, name)?.value === 403) return { name };
    }
    if (!ts.isIdentifier(owner)) return undefined;
    const declaration = this.findDeclaration(owner.text, from);
    if (
      declaration &&
      ts.isVariableDeclaration(declaration) &&
      declaration.initializer &&
      isCopiedTable(declaration.initializer)
    ) {
      const entry = this.entriesOf(declaration)?.find((e) => e.value === 403);
      return entry && { name: entry.name };
    }
    if (declaration) {
      const entry = forbiddenMember(declaration);
      return entry && { name: entry.name };
    }
    const binding = this.imports.map.get(owner.text);
    const site = binding && this.link?.declaration?.(binding);
    if (!site) return undefined;
    const exported = topLevelDeclaration(site.sourceFile, site.name);
    const entry = exported && forbiddenMember(exported);
    if (!entry) return undefined;
    const line = lineAndCharacterAt(site.sourceFile, entry.node.getStart(site.sourceFile)).line + 1;
    return { name: entry.name, at: `${this.link?.relative?.(site.file) ?? site.file}:${line}` };
  }

  /**
   * What a class member read stands for (class-tables.ts `classMemberValue`), guarded against a getter that
   * returns itself (`get CODES() { return this.CODES; }`); undefined when it is none.
   */
  private throughClass(owner: ts.Expression): ts.Expression | undefined {
    const node = skipOuter(owner);
    if (ts.isIdentifier(node) || this.following.has(node)) return undefined;
    this.following.add(node);
    try {
      const through = classMemberValue(node);
      return through && !this.following.has(skipOuter(through)) ? skipOuter(through) : undefined;
    } finally {
      this.following.delete(node);
    }
  }

  /** Owners being followed through a class (a getter returning itself reads as unknown). */
  private readonly following = new Set<ts.Node>();

  /**
   * Whether `Owner.NAME` is a numeric member of a local enum or object literal (also one reached through a class
   * of this file, class-tables.ts).
   */
  memberIsNumber(node: MemberRead): boolean {
    const read = this.memberRead(node);
    return read !== undefined && this.isNumberMember(read.owner, read.name, node);
  }

  private isNumberMember(owner: ts.Expression, name: string, from: ts.Node): boolean {
    const through = this.throughClass(owner);
    if (through) {
      const object = objectLiteralOf(through);
      if (object && !isCopiedTable(through)) {
        const entry = literalEntry(object, name);
        return Boolean(entry && ts.isNumericLiteral(skipOuter(entry.initializer)));
      }
      return this.isNumberMember(through, name, through);
    }
    if (!ts.isIdentifier(owner)) return false;
    const declaration = this.findDeclaration(owner.text, from);
    if (!declaration) return false;
    if (ts.isEnumDeclaration(declaration)) {
      const member = enumMemberValues(declaration).find(
        (m) => ts.isIdentifier(m.member.name) && m.name === name,
      );
      return Boolean(member?.numeric);
    }
    if (declaration.initializer && isCopiedTable(declaration.initializer))
      return this.localValue(owner, name, from) !== undefined;
    const init = declaration.initializer && objectLiteralOf(declaration.initializer);
    const property = init && literalEntry(init, name);
    return Boolean(property && ts.isNumericLiteral(skipOuter(property.initializer)));
  }

  /**
   * `FORBIDDEN` where `const FORBIDDEN = 403` in this file (an enclosing scope); also a `const` holding a status
   * library's constant (`const DENIED = StatusCodes.FORBIDDEN`, `= http2.constants.HTTP_STATUS_FORBIDDEN`): its
   * value is the library's (session 32: such a name was a "Dynamic status", and its definition was named as a
   * package's 403 helper held under a name).
   */
  localConstant(node: ts.Identifier): LocalConstant | undefined {
    const declaration = this.findDeclaration(node.text, node);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    const init = skipOuter(declaration.initializer);
    const value =
      constantNumber(declaration.initializer) ??
      (ts.isPropertyAccessExpression(init) || ts.isElementAccessExpression(init)
        ? this.libraryConstant(init)?.value
        : undefined);
    if (value === undefined) return undefined;
    const list = declaration.parent;
    if (!ts.isIdentifier(declaration.name) || !isFixedBinding(list, declaration.name.text)) return undefined;
    // Siblings: other numeric consts declared in the same block (`const UNAUTHORIZED = 401`).
    const block = list.parent.parent;
    const members: { name: string; value: number | undefined }[] = [];
    block.forEachChild((statement) => {
      if (!ts.isVariableStatement(statement)) return;
      for (const d of statement.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer)
          members.push({ name: d.name.text, value: constantNumber(d.initializer) });
      }
    });
    return { value, siblings: siblingsOf(members) };
  }

  /** `Codes.NO_ACCESS`, `codes.NO_ACCESS` where `Codes`/`codes` is imported (an object, enum or namespace). */
  importedMember(node: MemberRead): ImportedConstant | undefined {
    const read = this.memberRead(node);
    return read ? this.importedValue(read.owner, read.name, node) : undefined;
  }

  /**
   * `owner.member` where `owner` is an imported object, enum or namespace: see `importedMember`. Also one reached
   * through a class of this file (`static get CODES() { return Codes; }` with `Codes` imported; class-tables.ts).
   */
  importedValue(owner: ts.Expression, member: string, from: ts.Node): ImportedConstant | undefined {
    const link = this.link;
    if (!link) return undefined;
    const viaClass = this.throughClass(owner);
    if (viaClass) return this.importedValue(viaClass, member, viaClass);
    // `apiConst.HTTP.FORBIDDEN`: a member of an object the imported module holds (a JSON module's, a namespace's,
    // a nested object's: `Responses.ok.statusCode`, `codes.Codes.Deny` of `export * as codes`), keys in turn.
    const through: string[] = [];
    let root = skipOuter(owner);
    for (let inner = staticMember(root); inner; inner = staticMember(root)) {
      through.unshift(inner.name);
      root = skipOuter(inner.owner);
    }
    // `require('./codes').FORBIDDEN`, `require('./codes').http.FORBIDDEN`: the module read in place, as the whole
    // `const codes = require('./codes')` binding reads it (session 49: "Dynamic status").
    // Only a member read of the call itself: a destructuring of it (`const { FORBIDDEN } = require('./codes')`) is a
    // binding of the file's imports, read below with its specifier's place (a sibling import is added there).
    const required = ts.isCallExpression(root) && readInPlace(root) ? requireSpecifier(root) : undefined;
    if (required !== undefined)
      return link.member(
        { module: required, name: '*', specifierStart: 0, specifierEnd: 0 },
        member,
        through,
      );
    if (through.length) {
      if (!ts.isIdentifier(root)) return undefined;
      const binding = this.imports.map.get(root.text);
      if (!binding || this.shadowed(root.text, binding, from)) return undefined;
      return link.member(binding, member, through);
    }
    if (!ts.isIdentifier(owner)) return undefined;
    const binding = this.imports.map.get(owner.text);
    if (!binding || this.shadowed(owner.text, binding, from)) return undefined;
    return link.member(binding, member);
  }

  /**
   * `NAME` bound by `const { NAME } = owner` (or `{ KEY: NAME }`) in an enclosing block of `from`, before it:
   * the owner expression and the key. Also a `let` / `var` the file never assigns again (fixed-bindings.ts).
   * Undefined for a name assigned again, a rest element, a nested pattern or a computed key, and when a
   * parameter of that name shadows it.
   */
  destructured(node: ts.Identifier): DestructuredName | undefined {
    const name = node.text;
    for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
      if (ts.isFunctionLike(scope) && scope.parameters.some((p) => bindsName(p.name, name))) return undefined;
      if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
      const bound = destructuredNamesIn(scope).get(name);
      if (!bound) continue;
      const { statement, owner, element } = bound;
      if (!isFixedBinding(statement.declarationList, name)) return undefined;
      const key = element.propertyName ?? element.name;
      if (!ts.isIdentifier(key) && !ts.isStringLiteral(key)) return undefined;
      return { owner, key: key.text };
    }
    return undefined;
  }

  /**
   * Whether `importedConstant(node)` must read another project module to answer: `node` is a name this file
   * imports by name (not `* as`) from a module that is not a status table library, and no local declaration
   * takes the name. Reading the module means parsing it, so callers that may never need the answer
   * (call-sites.ts `candidateCall`) ask this first and defer the lookup.
   */
  readsImportedModule(node: ts.Identifier): boolean {
    if (!this.link) return false;
    const binding = this.imports.map.get(node.text);
    if (!binding || binding.name === '*') return false;
    if (namesStatusConstants(binding.module) || binding.module === 'http2') return false;
    return !this.findDeclaration(node.text, node);
  }

  /** `NO_ACCESS` imported from a module that declares `export const NO_ACCESS = 403` (through re-exports too). */
  importedConstant(node: ts.Identifier): ImportedConstant | undefined {
    const link = this.link;
    if (!link) return undefined;
    const binding = this.imports.map.get(node.text);
    if (!binding || binding.name === '*' || this.findDeclaration(node.text, node)) return undefined;
    return link.constant(binding);
  }

  /**
   * `more.Kinds.Deny` where `more` is a copied table of this file (`const more = { ...codes }`, spread-tables.ts)
   * and `Kinds` one of its entries: the entry's value, with the entries beside it as siblings. Undefined for a
   * root that is no such table (a plain nested table is `nestedLocalValue`'s; an import is `importedValue`'s).
   */
  private copiedValue(owner: ts.Expression, member: string, from: ts.Node): LocalConstant | undefined {
    let root = skipOuter(owner);
    for (let inner = staticMember(root); inner; inner = staticMember(root)) root = skipOuter(inner.owner);
    // `{ ...Codes }.DENY`, `Object.assign({}, Codes).DENY`: the copy written in place.
    if (!isCopiedTable(root)) {
      if (!ts.isIdentifier(root) || this.imports.map.has(root.text)) return undefined;
      const declaration = this.findDeclaration(root.text, from);
      if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer)
        return undefined;
      if (!isCopiedTable(declaration.initializer)) return undefined;
    }
    const entries = this.spreadEntries(owner, from);
    const found = entries && entryNamed(entries, member);
    return entries && found?.value !== undefined
      ? { value: found.value, siblings: siblingsOf(entries) }
      : undefined;
  }

  /** Declarations whose entries are being read (a table spreading itself, directly or not, reads as unknown). */
  private readonly reading = new Set<ts.Node>();

  /**
   * The entries of a table this file declares (a `const` object literal, frozen or not, its spreads followed; an
   * `Object.assign({}, …)`; an enum; a `const` naming another table), later keys winning; undefined when they are
   * not known whole.
   */
  private entriesOf(declaration: Declaration): readonly TableEntry[] | undefined {
    if (this.reading.has(declaration)) return undefined;
    this.reading.add(declaration);
    try {
      if (ts.isEnumDeclaration(declaration))
        return enumMemberValues(declaration).map(({ name, value }) => ({ name, value }));
      const init = declaration.initializer;
      if (!init || !ts.isVariableDeclarationList(declaration.parent)) return undefined;
      if (!(declaration.parent.flags & ts.NodeFlags.Const)) return undefined;
      return (
        copiedEntries(init, (operand) => this.spreadEntries(operand, init)) ?? this.spreadEntries(init, init)
      );
    } finally {
      this.reading.delete(declaration);
    }
  }

  /**
   * What a spread of `operand` copies (`...Codes`, `...codes.Codes`, `...require('./codes')`, `...StatusCodes`): a
   * table of this file, an imported one (through the link), a status library's; undefined when not known whole.
   */
  private spreadEntries(operand: ts.Expression, from: ts.Node): readonly TableEntry[] | undefined {
    const node = skipOuter(operand);
    const library = this.libraryNames(node);
    if (library)
      return Object.entries(library.names).map(([value, name]) => ({ name, value: Number(value) }));
    const keys: string[] = [];
    let root: ts.Expression = node;
    for (let member = staticMember(root); member; member = staticMember(root)) {
      keys.unshift(member.name);
      root = skipOuter(member.owner);
    }
    let entries: readonly TableEntry[] | undefined;
    const required = ts.isCallExpression(root) ? requireSpecifier(root) : undefined;
    if (required !== undefined) return this.link?.table?.({ module: required, name: '*' }, keys);
    if (isCopiedTable(root)) entries = copiedEntries(root, (inner) => this.spreadEntries(inner, from));
    else if (ts.isIdentifier(root)) {
      const binding = this.imports.map.get(root.text);
      if (binding && !this.shadowed(root.text, binding, from)) return this.link?.table?.(binding, keys);
      const declaration = this.findDeclaration(root.text, from);
      if (declaration) entries = this.entriesOf(declaration);
    }
    for (const key of keys) entries = entries && entryNamed(entries, key)?.entries;
    return entries;
  }

  /**
   * Whether a declaration of `name` around `from` hides its import: any but the `const x = require('m')` that
   * makes the binding itself (`const apiConst = require('./const.json')`, which `findDeclaration` also finds).
   */
  private shadowed(name: string, binding: ImportBinding, from: ts.Node): boolean {
    const found = this.findDeclaration(name, from);
    if (!found) return false;
    const init =
      ts.isVariableDeclaration(found) && found.initializer ? skipOuter(found.initializer) : undefined;
    return !(init && ts.isCallExpression(init) && isRequireOf(init, binding.module));
  }

  /**
   * The owner and key a member read names: `X.NAME`, `X['NAME']` (syntax.ts `staticMember`), or `X[K]` with a key
   * this file fixes (`const K = 'NAME'`, a string enum member, a const table's entry; constant-keys.ts, session 36).
   */
  memberRead(node: MemberRead): { owner: ts.Expression; name: string } | undefined {
    const read = staticMember(node);
    if (read) return read;
    const key = constantKey(node, (name, from) => this.findDeclaration(name, from));
    return key === undefined ? undefined : { owner: node.expression, name: key };
  }

  /** The const/enum declaration of `name` visible from `from`, searching enclosing blocks up to the file. */
  findDeclaration(name: string, from: ts.Node): Declaration | undefined {
    for (let scope: ts.Node | undefined = from.parent; scope; scope = scope.parent) {
      // A parameter of that name (`status`, `{ status = 400 }`) shadows any outer constant.
      if (ts.isFunctionLike(scope) && scope.parameters.some((p) => bindsName(p.name, name))) return undefined;
      if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
      const found = this.declarationsIn(scope).get(name);
      if (found) return found;
    }
    return undefined;
  }

  /** Declarations of one block, indexed once (a file with thousands of statements stays linear). */
  private declarationsIn(scope: ts.Block | ts.SourceFile | ts.ModuleBlock): Map<string, Declaration> {
    let index = this.declarationIndex.get(scope);
    if (index) return index;
    index = new Map();
    for (const statement of scope.statements) {
      if (ts.isVariableStatement(statement)) {
        for (const d of statement.declarationList.declarations) {
          if (ts.isIdentifier(d.name) && !index.has(d.name.text)) index.set(d.name.text, d);
        }
      } else if (ts.isEnumDeclaration(statement) && !index.has(statement.name.text)) {
        index.set(statement.name.text, statement);
      }
    }
    this.declarationIndex.set(scope, index);
    return index;
  }
}

/** The entry `name` of an object literal (`{ FORBIDDEN: 403 }`, `{ 'FORBIDDEN': 403 }`), or undefined. */
function literalEntry(object: ts.ObjectLiteralExpression, name: string): ts.PropertyAssignment | undefined {
  return object.properties.find(
    (p): p is ts.PropertyAssignment =>
      ts.isPropertyAssignment(p) &&
      (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
      p.name.text === name,
  );
}

/** `{ …, FORBIDDEN: 403, … }.FORBIDDEN`: the entry's number, with the literal's other numeric entries as siblings. */
function literalValue(object: ts.ObjectLiteralExpression, name: string): LocalConstant | undefined {
  const entry = literalEntry(object, name);
  const value = entry && constantNumber(entry.initializer);
  if (value === undefined) return undefined;
  const members = object.properties.flatMap((p) =>
    ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))
      ? [{ name: p.name.text, value: constantNumber(p.initializer) }]
      : [],
  );
  return { value, siblings: siblingsOf(members) };
}

/** The enum member or object-literal entry of a table declaration that holds 403: its name and node. */
function forbiddenMember(declaration: Declaration): { name: string; node: ts.Node } | undefined {
  if (ts.isEnumDeclaration(declaration)) {
    const member = enumMemberValues(declaration).find((m) => m.value === 403)?.member;
    return member && { name: member.name.getText(), node: member };
  }
  const object = declaration.initializer && objectLiteralOf(declaration.initializer);
  const entry = object?.properties.find(
    (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && constantNumber(p.initializer) === 403,
  );
  return entry && { name: entry.name.getText().replace(/^['"]|['"]$/g, ''), node: entry };
}

/** Table names status packages declare as TypeScript enums (a number key reads the member's name). */
const ENUM_TABLE_NAMES = new Set(['StatusCodes', 'HttpStatus', 'HttpStatusCode', 'Status']);

/** The numbers an enum's members hold. */
function numericValues(declaration: ts.EnumDeclaration): ReadonlySet<number> {
  return new Set(
    enumMemberValues(declaration).flatMap((m) => (m.numeric && m.value !== undefined ? [m.value] : [])),
  );
}

/** The top-level `const` or enum named `name` in a file (an exported table another file reads). */
function topLevelDeclaration(sourceFile: ts.SourceFile, name: string): Declaration | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isEnumDeclaration(statement) && statement.name.text === name) return statement;
    if (!ts.isVariableStatement(statement)) continue;
    const found = statement.declarationList.declarations.find(
      (d) => ts.isIdentifier(d.name) && d.name.text === name,
    );
    if (found) return found;
  }
  return undefined;
}

/** Whether a call is the object of a member read (`require('./codes').FORBIDDEN`, `(require('./codes'))['X']`). */
function readInPlace(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) &&
    parent.expression === node
  );
}

/** The specifier of `require('./codes')` (one string argument); undefined for any other call. */
function requireSpecifier(call: ts.CallExpression): string | undefined {
  const [argument] = call.arguments;
  return ts.isIdentifier(call.expression) &&
    call.expression.text === 'require' &&
    call.arguments.length === 1 &&
    ts.isStringLiteral(argument)
    ? argument.text
    : undefined;
}

/** `require('module')` (also `node:module`) with one string argument. */
function isRequireOf(call: ts.CallExpression, module: string): boolean {
  const argument = call.arguments[0];
  return (
    ts.isIdentifier(call.expression) &&
    call.expression.text === 'require' &&
    call.arguments.length === 1 &&
    ts.isStringLiteral(argument) &&
    argument.text.replace(/^node:/, '') === module
  );
}

/** value -> the first member name holding it. */
function siblingsOf(
  members: ReadonlyArray<{ name: string; value: number | undefined }>,
): Map<number, string> {
  const map = new Map<number, string>();
  for (const m of members) if (m.value !== undefined && !map.has(m.value)) map.set(m.value, m.name);
  return map;
}

function valueOfName(names: Record<number, string>, member: string): number {
  let values = VALUES_BY_NAME.get(names);
  if (!values) {
    values = new Map();
    // The first status in key order that has the name, as a scan of the table would find.
    for (const [value, name] of Object.entries(names)) if (!values.has(name)) values.set(name, Number(value));
    VALUES_BY_NAME.set(names, values);
  }
  return values.get(member) ?? -1;
}

/** Each name table's status by name, made on first use. */
const VALUES_BY_NAME = new WeakMap<Record<number, string>, Map<string, number>>();

function prefixed(names: Record<number, string>, prefix: string): Record<number, string> {
  const key = `${prefix}\0${Object.keys(names).length}`;
  let table = PREFIXED.get(names)?.get(key);
  if (!table) {
    table = Object.fromEntries(Object.entries(names).map(([k, v]) => [k, `${prefix}${v}`]));
    const tables = PREFIXED.get(names) ?? new Map<string, Record<number, string>>();
    tables.set(key, table);
    PREFIXED.set(names, tables);
  }
  return table;
}

/** Prefixed name tables, made once per table and prefix (read only). */
const PREFIXED = new WeakMap<Record<number, string>, Map<string, Record<number, string>>>();

/** The statement, initializer and pattern element that first binds a name by destructuring (`const { A: B } = x`). */
interface DestructuringBinding {
  statement: ts.VariableStatement;
  /** The declaration's initializer (the object destructured). */
  owner: ts.Expression;
  element: ts.BindingElement;
}

/**
 * The names a block's (or file's) own variable statements bind by destructuring an initialised object pattern
 * (not a rest element), each with the first statement that does, made once per block: `destructured` asks for
 * every name it reads in each enclosing block, and a test file's `describe(() => { … })` body of thousands of
 * statements made that quadratic.
 */
const destructuredNames = new WeakMap<ts.Node, ReadonlyMap<string, DestructuringBinding>>();
function destructuredNamesIn(
  scope: ts.Block | ts.SourceFile | ts.ModuleBlock,
): ReadonlyMap<string, DestructuringBinding> {
  let names = destructuredNames.get(scope);
  if (names) return names;
  const found = new Map<string, DestructuringBinding>();
  for (const statement of scope.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const owner = declaration.initializer;
      if (!ts.isObjectBindingPattern(declaration.name) || !owner) continue;
      for (const element of declaration.name.elements)
        if (!element.dotDotDotToken && ts.isIdentifier(element.name) && !found.has(element.name.text))
          found.set(element.name.text, { statement, owner, element });
    }
  }
  names = found;
  destructuredNames.set(scope, names);
  return names;
}
