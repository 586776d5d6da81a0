import ts from '../typescript.cjs';
import { literalNumber, skipOuter } from './analysis.js';
import { enumMemberValues } from './analysis/fold.js';
import { classStaticFields, namespaceFields } from './analysis/declared-tables.js';
import { objectAssignSources, objectLiteralOf } from './analysis/syntax.js';
import { isExportsObject } from './analysis/export-names.js';
import { lineAndCharacterAt } from '../util/lines.js';
import { declaredFunction, factoryStatusIndexes, madeByText } from './analysis/class-factories.js';

export { isExportsObject };
import { statusOfName } from './status-names.js';
import { visibleValue } from './local-values.js';

/** An object spread of an imported table (`...Codes`, `...require('./codes')`, `...ns.Codes`): what it copies. */
export interface SpreadSource {
  module: string;
  /** The exported name (`*` for the whole module). */
  name: string;
  /** A key read off that export first (`Codes` of `...ns.Codes` where `ns` is `import { ns }`). */
  member?: string;
}

/**
 * A class a project function made, held under a key (`module.exports = { Forbidden }` of `const Forbidden =
 * generate(403, 'x')`): as the module's own binding reads it, resolved by the link.
 */
export type MadeClassRef =
  /**
   * A class made by a function imported from another module (`const Forbidden = generate(403, 'Forbidden')`, `generate`
   * imported): the link reads `name` of `module` and, when argument `index` is the status of the class it makes
   * (class-factories.ts `factoryStatusIndexes`), answers as for `class` with `value`.
   */
  | {
      kind: 'classOfFactory';
      module: string;
      name: string;
      index: number;
      value: number;
      line: number;
      madeBy: string;
    }
  /**
   * A class a project function makes from a status another module exports (`generate(FORBIDDEN, 'x')` with
   * `FORBIDDEN` imported, `make(codes.FORBIDDEN)` of `import * as codes` or `const codes = require('./codes')`,
   * `make(require('./codes').FORBIDDEN)`): the link reads each candidate argument's value and, for the first that is
   * a status parameter of the function (`factory` when imported; a function of this module was checked already) and
   * a 4xx / 5xx, answers as for `class`. Session 50.
   */
  | {
      kind: 'classOfImportedStatus';
      factory?: { module: string; name: string };
      callee: string;
      count: number;
      statuses: ImportedStatus[];
      line: number;
    }
  /** `class Forbidden extends Base {}` with `Base` imported: the class `name` of `module` is, if any. */
  | { kind: 'classOfBase'; module: string; name: string };

/**
 * A status-like member of an exported object or enum (`FORBIDDEN: 403`). `value` is undefined when not a literal.
 * An object spread is a member too, named {@link SPREAD}, in its place among the keys (a later key wins).
 */
export interface DeclaredMember {
  name: string;
  value: number | undefined;
  /**
   * What a member that names something else holds (`export default { NoPermissionError }`): an imported name
   * (followed by the link) or a class of this module that fixes a status.
   */
  ref?:
    | { kind: 'import'; module: string; name: string }
    | { kind: 'class'; value: number; line: number }
    | { kind: 'classOfConstant'; module: string; name: string; line: number }
    | MadeClassRef;
  /** A nested object's own members (`Responses.ok.statusCode` of `{ ok: { statusCode: 200 } }`). */
  members?: DeclaredMember[];
  /**
   * An object spread (name {@link SPREAD}): the imported table it copies (the link follows it), or `unknown`
   * (a call's result, a parameter): keys written before it may be overwritten by it.
   */
  spread?: SpreadSource | 'unknown';
}

/** The name of a spread's member: no key can be written so. */
export const SPREAD = '...';

/** How deep nested objects are read (`Http.ReturnCodes.FORBIDDEN.CODE` is three keys deep). */
const MAX_NESTING = 4;

/**
 * What a module exports under one name, as far as statuses go:
 * - `number`: `export const NO_ACCESS = 403` (any numeric literal, so siblings such as `UNAUTHORIZED = 401` are known);
 * - `members`: an object literal or enum (`export const Codes = { FORBIDDEN: 403 }`, `export default { … }`,
 *   `module.exports = { … }`, `export enum Status { Forbidden = 403 }`);
 * - `reexport`: the name comes from another module (`export { X as Y } from './x'`, `import { X } …; export { X }`,
 *   `export const DENIED = FORBIDDEN` with `FORBIDDEN` imported);
 * - `namespace`: `export * as codes from './codes'`.
 */
export type Exported =
  | { kind: 'number'; value: number; line: number }
  | { kind: 'members'; members: DeclaredMember[]; line: number }
  | { kind: 'reexport'; module: string; name: string }
  | { kind: 'namespace'; module: string }
  /**
   * A key of another module's export, bound by destructuring it (`export const { DENY: DENIED } = codes` with
   * `codes` an import): the key `member` of `name` exported by `module`.
   */
  | { kind: 'picked'; module: string; name: string; member: string }
  /** A class whose every instance carries one status (`class Forbidden extends KoaError { … super(403, m) }`). */
  | {
      kind: 'class';
      value: number;
      line: number;
      name?: string;
      /** The project function's call that made it (`generate(403, …)`, at `line`): analysis/class-factories.ts. */
      madeBy?: string;
    }
  /** A class a project function made, or one whose base is imported: {@link MadeClassRef}. */
  | MadeClassRef
  /**
   * A class that fixes its status by a member of an imported table or enum (`super(ResponseType.Forbidden, m)`
   * with `ResponseType` imported from another module or workspace package): the link reads `member` of `name`
   * exported by `module` and, when it is a 4xx / 5xx, answers as for `class`.
   */
  | { kind: 'classOfMember'; module: string; name: string; member: string; line: number }
  /**
   * A class that fixes its status by a constant imported from another module (`import { DENIED } from './codes'`;
   * `status = DENIED`, `super(m, DENIED)`, `const { DENIED } = require('./codes')`): the link reads `name`
   * exported by `module` and, when it is a 4xx / 5xx, answers as for `class`.
   */
  | { kind: 'classOfConstant'; module: string; name: string; line: number };

/**
 * A factory call's argument read from another module: export `name` of `module`, or its key `member`
 * (`Codes.FORBIDDEN` of `import { Codes }`). `index` is the argument's place in the call.
 */
export interface ImportedStatus {
  index: number;
  module: string;
  name: string;
  member?: string;
}

/** The status-relevant exports of one module, plus its `export * from` modules (searched in order). */
export interface ModuleExports {
  names: Map<string, Exported>;
  stars: string[];
  /** Every name the module exports from a declaration of its own (functions and classes included). */
  declared: Set<string>;
  /**
   * The restify-errors classes the module makes with a 4xx / 5xx status, by the name given to `makeConstructor`
   * (restify-errors adds each to its own module under that name, lib/makeConstructor.js): every call of the
   * module's, exported or not, bound or not. Only read when the text names `makeConstructor`.
   */
  made: Map<string, Exported>;
  /**
   * The module's own classes made by a project function, exported or not (`const Forbidden = generate(403, 'x')`,
   * `class Sub extends Forbidden {}`): what a throw in the module itself reads (links.ts `localClass`).
   */
  classes: Map<string, Exported>;
}

type Local =
  | Exported
  | undefined
  /** A local name bound by an import: what it re-exports when exported (`member`: a key read off it). */
  | { kind: 'import'; module: string; name: string; member?: string };

/**
 * Reads the exports of one parsed module (ES and CommonJS forms). Syntactic: values are literals, object
 * literals and enums; anything computed is left out (its uses stay "dynamic" and are reported where used).
 */
export function moduleExports(sourceFile: ts.SourceFile): ModuleExports {
  const names = new Map<string, Exported>();
  const stars: string[] = [];
  const declared = new Set<string>();
  const locals = new Map<string, Local>();
  const line = (node: ts.Node): number => lineAndCharacterAt(sourceFile, node.getStart(sourceFile)).line + 1;

  const valueOf = (expression: ts.Expression | undefined): Local => {
    if (!expression) return undefined;
    const node = skipOuter(expression);
    const number = literalNumber(node);
    if (number !== undefined) return { kind: 'number', value: number, line: line(node) };
    // `Object.freeze({ FORBIDDEN: 403 })` is the same table, read-only.
    const object = objectLiteralOf(node);
    if (object) return { kind: 'members', members: membersOf(object, locals), line: line(object) };
    // `Object.assign({}, Codes, { TEAPOT: 418 })`: a new object with each argument's keys, later ones winning.
    const assigned = objectAssignSources(node);
    if (assigned)
      return {
        kind: 'members',
        members: assigned.flatMap((a) => {
          const literal = objectLiteralOf(a);
          return literal ? membersOf(literal, locals) : spreadOf(a, locals);
        }),
        line: line(node),
      };
    if (ts.isIdentifier(node)) return locals.get(node.text);
    // `export const DENIED = StatusCodes.FORBIDDEN` (an imported table: links.ts reads the package's or the
    // module's entry), `= Codes.FORBIDDEN` (a table of this module): the entry a status name selects.
    const entry = statusEntryRead(node);
    if (entry) return keyOf(entry.owner, entry.key, locals);
    // The only call result read as a value besides the tables above: plain-declarations.ts, which answers for a
    // module without parsing it when a name is declared by any other call, must learn of every call read here.
    return madeClassOf(node, locals, line(node)) ?? factoryCallOf(node, locals, line(node), sourceFile);
  };
  const asExport = (local: Local): Exported | undefined =>
    local?.kind === 'import'
      ? local.member !== undefined
        ? { kind: 'picked', module: local.module, name: local.name, member: local.member }
        : { kind: 'reexport', module: local.module, name: local.name }
      : local;
  const exportAs = (name: string, local: Local): void => {
    const value = asExport(local);
    if (local?.kind !== 'import' && local?.kind !== 'reexport') declared.add(name);
    if (value && !names.has(name)) names.set(name, value);
  };
  const exportMembers = (value: Local, whole: boolean): void => {
    // `module.exports = ForbiddenError`: `const ForbiddenError = require('./errors')` is the class.
    if (whole && (value?.kind === 'class' || value?.kind === 'classOfConstant' || isMadeClassRef(value))) {
      exportAs('default', value);
      exportAs('*', value);
      return;
    }
    if (value?.kind !== 'members') return;
    if (whole) {
      exportAs('default', value);
      exportAs('*', value);
    }
    // `const { FORBIDDEN } = require('./codes')` reads a member as a named export, and so does
    // `const { ForbiddenError } = require('./errors')` of `module.exports = { ForbiddenError }`.
    for (const member of value.members) {
      if (member.value !== undefined)
        exportAs(member.name, { kind: 'number', value: member.value, line: value.line });
      else if (member.ref?.kind === 'class') exportAs(member.name, { ...member.ref, name: member.name });
      else if (member.ref?.kind === 'import') exportAs(member.name, member.ref);
      else if (member.ref?.kind === 'classOfConstant' || isMadeClassRef(member.ref))
        exportAs(member.name, member.ref);
      // `module.exports = { Codes }` of a table: `require('./codes').Codes` is that table.
      else if (member.members && member.name !== SPREAD)
        exportAs(member.name, { kind: 'members', members: member.members, line: value.line });
    }
  };

  // `const helpers = module.exports` (NodeBB): `helpers.deny = …` exports `deny` as `exports.deny = …` does.
  const exportsAliases = new Set<string>();
  for (const statement of sourceFile.statements)
    if (ts.isVariableStatement(statement) && statement.declarationList.flags & ts.NodeFlags.Const)
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.initializer && isExportsObject(skipOuter(d.initializer)))
          exportsAliases.add(d.name.text);
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const module = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause?.name) locals.set(clause.name.text, { kind: 'import', module, name: 'default' });
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings))
        for (const element of bindings.elements)
          locals.set(element.name.text, {
            kind: 'import',
            module,
            name: (element.propertyName ?? element.name).text,
          });
      if (bindings && ts.isNamespaceImport(bindings))
        locals.set(bindings.name.text, { kind: 'import', module, name: '*' });
    } else if (ts.isVariableStatement(statement)) {
      const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
      for (const declaration of statement.declarationList.declarations) {
        const required = requireOf(declaration.initializer);
        if (required && ts.isIdentifier(declaration.name)) {
          locals.set(declaration.name.text, { kind: 'import', module: required, name: '*' });
          continue;
        }
        if (required && ts.isObjectBindingPattern(declaration.name)) {
          for (const element of declaration.name.elements) {
            if (!ts.isIdentifier(element.name)) continue;
            const imported =
              element.propertyName && ts.isIdentifier(element.propertyName)
                ? element.propertyName.text
                : element.name.text;
            locals.set(element.name.text, { kind: 'import', module: required, name: imported });
          }
          continue;
        }
        // `export const { DENY: DENIED } = codes`: each bound name is that key of the table.
        if (ts.isObjectBindingPattern(declaration.name)) {
          if (!(statement.declarationList.flags & ts.NodeFlags.Const) || !declaration.initializer) continue;
          for (const [local, key] of boundKeys(declaration.name)) {
            const value = keyOf(declaration.initializer, key, locals);
            locals.set(local, value);
            if (exported) exportAs(local, value);
          }
          continue;
        }
        if (!ts.isIdentifier(declaration.name)) continue;
        // Only `const`: a `let` may be reassigned before it is read.
        const value =
          statement.declarationList.flags & ts.NodeFlags.Const ? valueOf(declaration.initializer) : undefined;
        locals.set(declaration.name.text, value);
        if (exported) exportAs(declaration.name.text, value);
      }
    } else if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) {
      const status = ts.isClassDeclaration(statement) ? fixedStatus(statement) : undefined;
      // `export class Http { static Forbidden = 403 }`: its static fields are a table (`Http.Forbidden`).
      const fields = ts.isClassDeclaration(statement) ? classStaticFields(statement) : [];
      const byMember =
        status === undefined && ts.isClassDeclaration(statement)
          ? classStatusByMember(statement, locals, line(statement))
          : undefined;
      const value: Local =
        status !== undefined
          ? { kind: 'class', value: status, line: line(statement), name: statement.name?.text }
          : byMember
            ? byMember
            : fields.some((f) => f.value !== undefined)
              ? { kind: 'members', members: fields, line: line(statement) }
              : ts.isClassDeclaration(statement)
                ? madeBase(statement, locals)
                : undefined;
      if (statement.name && value) locals.set(statement.name.text, value);
      if (!hasModifier(statement, ts.SyntaxKind.ExportKeyword)) continue;
      if (hasModifier(statement, ts.SyntaxKind.DefaultKeyword)) exportAs('default', value);
      else if (statement.name) exportAs(statement.name.text, value);
    } else if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      // A type holds no value; declared, so that an importer can find where it is written (response types).
      if (hasModifier(statement, ts.SyntaxKind.ExportKeyword)) declared.add(statement.name.text);
    } else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) {
      // `export namespace Codes { export const FORBIDDEN = 403 }`: its exported constants are a table.
      const fields = namespaceFields(statement);
      const value: Local = fields && { kind: 'members', members: fields, line: line(statement) };
      locals.set(statement.name.text, value);
      if (hasModifier(statement, ts.SyntaxKind.ExportKeyword)) exportAs(statement.name.text, value);
    } else if (ts.isEnumDeclaration(statement)) {
      const value: Local = {
        kind: 'members',
        // Auto-numbered members too (`Unauthorized = 401, PaymentRequired, Forbidden`: Forbidden is 403).
        members: enumMemberValues(statement).map(({ name, value }) => ({ name, value })),
        line: line(statement),
      };
      locals.set(statement.name.text, value);
      if (hasModifier(statement, ts.SyntaxKind.ExportKeyword)) exportAs(statement.name.text, value);
    } else if (ts.isExportDeclaration(statement)) {
      const module =
        statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
          ? statement.moduleSpecifier.text
          : undefined;
      const clause = statement.exportClause;
      if (module && !clause) stars.push(module);
      else if (module && clause && ts.isNamespaceExport(clause))
        names.set(clause.name.text, { kind: 'namespace', module });
      else if (clause && ts.isNamedExports(clause)) {
        for (const element of clause.elements) {
          const from = (element.propertyName ?? element.name).text;
          if (module) names.set(element.name.text, { kind: 'reexport', module, name: from });
          else exportAs(element.name.text, locals.get(from));
        }
      }
    } else if (ts.isExportAssignment(statement)) {
      const value = valueOf(statement.expression);
      exportAs('default', value);
      if (statement.isExportEquals) {
        exportAs('*', value);
        exportMembers(value, false);
      }
    } else if (ts.isExpressionStatement(statement)) {
      commonJs(
        statement.expression,
        valueOf,
        exportAs,
        exportMembers,
        declared,
        exportsAliases,
        (expression) => wholeModules(expression, locals, stars),
      );
    }
  }
  const classes = new Map<string, Exported>();
  for (const [name, local] of locals)
    if ((local?.kind === 'class' && local.madeBy !== undefined) || isMadeClassRef(local))
      classes.set(name, local);
  return { names, stars, declared, made: madeClasses(sourceFile, locals, line), classes };
}

/**
 * Every restify-errors `makeConstructor('GoneError', { statusCode: … })` call of a module with a 4xx / 5xx status
 * ({@link madeClassOf}), by the name given. Walks the tree only when the text names `makeConstructor`.
 */
function madeClasses(
  sourceFile: ts.SourceFile,
  locals: ReadonlyMap<string, Local>,
  line: (node: ts.Node) => number,
): Map<string, Exported> {
  const made = new Map<string, Exported>();
  if (!sourceFile.text.includes('makeConstructor')) return made;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const value = madeClassOf(node, locals, line(node));
      const named = node.arguments[0] && skipOuter(node.arguments[0]);
      if (value && value.kind !== 'import' && named && ts.isStringLiteralLike(named) && !made.has(named.text))
        made.set(named.text, value);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return made;
}

/**
 * The modules whose every export an expression hands on whole, added to `stars` (searched as `export *` is):
 * `require('./codes')`, a local bound to one (`const codes = require('./codes')`, `import * as codes`), and the
 * spreads of an object literal (`{ ...require('./codes'), TEAPOT: 418 }`). True when the expression is one whole
 * module (not an object literal that spreads some).
 */
function wholeModules(expression: ts.Expression, locals: Map<string, Local>, stars: string[]): boolean {
  const node = skipOuter(expression);
  const module = requireOf(node) ?? (ts.isIdentifier(node) ? namespaceOf(locals.get(node.text)) : undefined);
  if (module !== undefined) {
    if (!stars.includes(module)) stars.push(module);
    return true;
  }
  if (ts.isObjectLiteralExpression(node))
    for (const property of node.properties)
      if (ts.isSpreadAssignment(property)) wholeModules(property.expression, locals, stars);
  return false;
}

function namespaceOf(local: Local): string | undefined {
  return local?.kind === 'import' && local.name === '*' ? local.module : undefined;
}

/**
 * `module.exports = { … }`, `module.exports.X = 403`, `exports.X = 403`; a module re-exported whole
 * (`module.exports = require('./codes')`, `Object.assign(module.exports, require('./codes'), { … })`, spreads of
 * one): its names are searched as `export *`'s are (`whole`), and its default is the other's.
 */
function commonJs(
  expression: ts.Expression,
  valueOf: (e: ts.Expression) => Local,
  exportAs: (name: string, local: Local) => void,
  exportMembers: (value: Local, whole: boolean) => void,
  declared: Set<string>,
  exportsAliases: ReadonlySet<string>,
  whole: (e: ts.Expression) => boolean,
): void {
  if (ts.isCallExpression(expression)) {
    // `Object.assign(module.exports, require('./codes'), { TEAPOT: 418 })` (also on `exports`).
    const callee = expression.expression;
    const [first, ...rest] = expression.arguments;
    const assigns =
      ts.isPropertyAccessExpression(callee) &&
      ts.isIdentifier(callee.expression) &&
      callee.expression.text === 'Object' &&
      callee.name.text === 'assign' &&
      first !== undefined &&
      isExportsObject(skipOuter(first));
    if (!assigns) return;
    for (const argument of rest) if (!whole(argument)) exportMembers(valueOf(argument), false);
    return;
  }
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken)
    return;
  const target = expression.left;
  // `exports['DENIED'] = 403`: the key as written, as `exports.DENIED = 403`.
  if (
    ts.isElementAccessExpression(target) &&
    ts.isStringLiteralLike(target.argumentExpression) &&
    isExportsObject(target.expression)
  ) {
    declared.add(target.argumentExpression.text);
    exportAs(target.argumentExpression.text, valueOf(expression.right));
    return;
  }
  if (!ts.isPropertyAccessExpression(target)) return;
  const value = valueOf(expression.right);
  const owner = target.expression;
  if (ts.isIdentifier(owner) && owner.text === 'module' && target.name.text === 'exports') {
    declared.add('default').add('*');
    const module = requireOf(skipOuter(expression.right)) ?? namespaceOf(value);
    if (whole(expression.right) && module !== undefined) {
      exportAs('default', { kind: 'import', module, name: 'default' });
      return;
    }
    // `module.exports = { sendJSONStatus, deny: denyHelper }`: each key is a name importers use
    // (`const { sendJSONStatus } = require(...)`, `opTools.sendJSONStatus(...)`), defined here.
    const right = skipOuter(expression.right);
    if (ts.isObjectLiteralExpression(right))
      for (const property of right.properties) {
        const key = property.name;
        const named = ts.isShorthandPropertyAssignment(property) || ts.isPropertyAssignment(property);
        if (
          (named || ts.isMethodDeclaration(property)) &&
          key &&
          (ts.isIdentifier(key) || ts.isStringLiteral(key))
        )
          declared.add(key.text);
      }
    exportMembers(value, true);
    return;
  }
  if (isExportsObject(owner) || (ts.isIdentifier(owner) && exportsAliases.has(owner.text))) {
    declared.add(target.name.text);
    exportAs(target.name.text, value);
  }
}

function membersOf(
  object: ts.ObjectLiteralExpression,
  locals: Map<string, Local>,
  depth = 0,
): DeclaredMember[] {
  const refOf = (expression: ts.Expression): DeclaredMember['ref'] => {
    if (!ts.isIdentifier(expression)) return undefined;
    const local = locals.get(expression.text);
    if (local?.kind === 'import' && local.member === undefined)
      return { kind: 'import', module: local.module, name: local.name };
    if (local?.kind === 'class') return { kind: 'class', value: local.value, line: local.line };
    if (local?.kind === 'classOfConstant' || isMadeClassRef(local)) return local;
    return undefined;
  };
  return object.properties.flatMap((p): DeclaredMember[] => {
    if (ts.isSpreadAssignment(p)) return spreadOf(p.expression, locals);
    if (ts.isShorthandPropertyAssignment(p)) {
      // `{ Codes }` of `const Codes = { DENY: 403 }`: a nested table under that key.
      const local = locals.get(p.name.text);
      return [
        {
          name: p.name.text,
          value: local?.kind === 'number' ? local.value : undefined,
          ref: refOf(p.name),
          ...(local?.kind === 'members' ? { members: local.members } : {}),
        },
      ];
    }
    if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
      // A computed key (`[key]: 403`) may be any name: what was written before it is not known any more.
      return p.name && ts.isComputedPropertyName(p.name)
        ? [{ name: SPREAD, value: undefined, spread: 'unknown' }]
        : [];
    }
    const nested = depth < MAX_NESTING ? objectLiteralOf(p.initializer) : undefined;
    const named = ts.isIdentifier(p.initializer) ? locals.get(p.initializer.text) : undefined;
    const members = nested
      ? membersOf(nested, locals, depth + 1)
      : named?.kind === 'members'
        ? named.members
        : undefined;
    return [
      {
        name: p.name.text,
        value: literalNumber(p.initializer) ?? (named?.kind === 'number' ? named.value : undefined),
        ref: refOf(p.initializer),
        ...(members ? { members } : {}),
      },
    ];
  });
}

/**
 * What an object spread copies (`...Codes`), as members: a local table's own members, an imported table or
 * module (`...codes` of `import * as codes`, `...require('./codes')`, `...ns.Codes`) for the link to follow,
 * else one `unknown` spread.
 */
function spreadOf(expression: ts.Expression, locals: Map<string, Local>): DeclaredMember[] {
  const node = skipOuter(expression);
  const unknown: DeclaredMember[] = [{ name: SPREAD, value: undefined, spread: 'unknown' }];
  const required = requireOf(node);
  if (required !== undefined)
    return [{ name: SPREAD, value: undefined, spread: { module: required, name: '*' } }];
  const literal = objectLiteralOf(node);
  if (literal) return membersOf(literal, locals);
  let local: Local;
  let key: string | undefined;
  if (ts.isIdentifier(node)) local = locals.get(node.text);
  else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
    local = locals.get(node.expression.text);
    key = node.name.text;
  } else return unknown;
  if (local?.kind === 'members' && key === undefined) return local.members;
  if (local?.kind === 'members' && key !== undefined)
    return local.members.find((m) => m.name === key)?.members ?? unknown;
  if (local?.kind !== 'import' || (local.member !== undefined && key !== undefined)) return unknown;
  const source: SpreadSource =
    key === undefined
      ? {
          module: local.module,
          name: local.name,
          ...(local.member !== undefined ? { member: local.member } : {}),
        }
      : local.name === '*'
        ? { module: local.module, name: key }
        : { module: local.module, name: local.name, member: key };
  return [{ name: SPREAD, value: undefined, spread: source }];
}

/** `{ DENY: DENIED, OK }`: each bound local name with the key it reads (rest elements, nested patterns left out). */
function boundKeys(pattern: ts.ObjectBindingPattern): [string, string][] {
  return pattern.elements.flatMap((element): [string, string][] => {
    if (element.dotDotDotToken || !ts.isIdentifier(element.name)) return [];
    const key = element.propertyName ?? element.name;
    return ts.isIdentifier(key) || ts.isStringLiteral(key) ? [[element.name.text, key.text]] : [];
  });
}

/** `Owner.NAME` / `Owner['NAME']` with a plain owner and a key that names a status (`FORBIDDEN`, `Forbidden`). */
function statusEntryRead(node: ts.Expression): { owner: ts.Identifier; key: string } | undefined {
  const key = ts.isPropertyAccessExpression(node)
    ? node.name.text
    : ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)
      ? node.argumentExpression.text
      : undefined;
  const owner = key !== undefined ? skipOuter((node as ts.AccessExpression).expression) : undefined;
  return owner && ts.isIdentifier(owner) && key !== undefined && statusOfName(key) !== undefined
    ? { owner, key }
    : undefined;
}

/** What key `key` of `owner` is, as a local (`const { DENY } = codes` with `codes` a table or an import). */
function keyOf(owner: ts.Expression, key: string, locals: Map<string, Local>): Local {
  const node = skipOuter(owner);
  const table = ts.isIdentifier(node) ? locals.get(node.text) : undefined;
  if (table?.kind === 'members') {
    const found = [...table.members].reverse().find((m) => m.name === key || m.spread !== undefined);
    if (!found || found.spread !== undefined) return undefined;
    return found.value !== undefined
      ? { kind: 'number', value: found.value, line: table.line }
      : found.ref?.kind === 'import'
        ? found.ref
        : undefined;
  }
  if (table?.kind !== 'import' || table.member !== undefined) return undefined;
  return table.name === '*'
    ? { kind: 'import', module: table.module, name: key }
    : { kind: 'import', module: table.module, name: table.name, member: key };
}

function requireOf(expression: ts.Expression | undefined): string | undefined {
  if (
    expression &&
    ts.isCallExpression(expression) &&
    ts.isIdentifier(expression.expression) &&
    expression.expression.text === 'require' &&
    expression.arguments.length === 1 &&
    ts.isStringLiteral(expression.arguments[0])
  )
    return expression.arguments[0].text;
  return undefined;
}

const STATUS_NAMES = new Set(['status', 'statusCode', 'httpStatus', 'httpStatusCode', 'httpCode']);
/** Fields that hold a status only when they hold an HTTP error number (`this.code = 403`), else an app code. */
const CODE_NAMES = new Set(['code', 'errorCode']);

/** The owners status libraries name their tables by: Nest's `HttpStatus`, http-status-codes, http-status, axios. */
const STATUS_TABLES = new Set(['HttpStatus', 'StatusCodes', 'HttpStatusCode', 'httpStatus', 'status']);

/**
 * A status written as a number or as a member of a status library's table (`HttpStatus.FORBIDDEN`,
 * `StatusCodes.PAYMENT_REQUIRED`, `httpStatus.FORBIDDEN`), read by its name (status-names.ts `statusOfName`).
 */
function statusNumber(expression: ts.Expression, depth = 0): number | undefined {
  const literal = literalNumber(expression);
  if (literal !== undefined) return literal;
  const node = skipOuter(expression);
  if (ts.isIdentifier(node) && depth < 4) {
    const initializer = constantOf(node);
    return initializer && statusNumber(initializer, depth + 1);
  }
  return ts.isPropertyAccessExpression(node) &&
    ts.isIdentifier(node.expression) &&
    STATUS_TABLES.has(node.expression.text)
    ? statusOfName(node.name.text)
    : undefined;
}

/**
 * The initializer of the module-level `const` that `name` reads (`const DENIED = 403`, exported or not), found
 * by the scopes around `name` (local-values.ts `visibleValue`): undefined when a parameter
 * (`constructor(DENIED = 500)`, `constructor({ status = 400 })`) or a declaration of a block around it takes the
 * name first, and for any other name (an import, a `let`, a destructured `const { DENIED } = codes`).
 */
function constantOf(name: ts.Identifier): ts.Expression | undefined {
  const value = visibleValue(name, name.text);
  const declaration = value?.parent;
  if (!value || !declaration || !ts.isVariableDeclaration(declaration) || declaration.initializer !== value)
    return undefined;
  const list = declaration.parent;
  const constant = ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
  return constant && ts.isSourceFile(list.parent.parent) ? (value as ts.Expression) : undefined;
}

/**
 * restify-errors `makeConstructor('TenantLockedError', { statusCode: 403 })` (lib/makeConstructor.js: the defaults'
 * `statusCode` is every instance's status): a class of that status, written as a number, a constant of this module
 * or an imported one (a `classOfConstant` the link resolves). Read by the callee's name only (`makeConstructor`,
 * `errors.makeConstructor`): what an importer of the bound name sees. Undefined for any other expression.
 */
function madeClassOf(node: ts.Expression, locals: ReadonlyMap<string, Local>, at: number): Local {
  if (!ts.isCallExpression(node)) return undefined;
  const callee = skipOuter(node.expression);
  // `import { makeConstructor as make } from 'restify-errors'`: the name it is imported under.
  const imported = ts.isIdentifier(callee) ? locals.get(callee.text) : undefined;
  const called =
    imported?.kind === 'import' && imported.module === 'restify-errors'
      ? imported.name
      : ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : undefined;
  const defaults = node.arguments[1] && skipOuter(node.arguments[1]);
  if (called !== 'makeConstructor' || !defaults || !ts.isObjectLiteralExpression(defaults)) return undefined;
  const slot = defaults.properties.find(
    (p): p is ts.PropertyAssignment =>
      ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'statusCode',
  );
  const value = slot && skipOuter(slot.initializer);
  if (!value) return undefined;
  const named =
    node.arguments[0] && ts.isStringLiteralLike(node.arguments[0]) ? node.arguments[0].text : undefined;
  const local = ts.isIdentifier(value) ? locals.get(value.text) : undefined;
  if (local?.kind === 'import' && local.member === undefined && local.name !== '*')
    return { kind: 'classOfConstant', module: local.module, name: local.name, line: at };
  const status = local?.kind === 'number' ? local.value : literalNumber(value);
  return status !== undefined && status >= 400 && status <= 599
    ? { kind: 'class', value: status, line: at, name: named }
    : undefined;
}

/** The status a field assignment fixes: any number for a status name, a 4xx/5xx for `code`. */
function statusOfField(name: string, initializer: ts.Expression): number | undefined {
  const value = statusNumber(initializer);
  if (value === undefined) return undefined;
  if (STATUS_NAMES.has(name)) return value;
  return CODE_NAMES.has(name) && value >= 400 && value <= 599 ? value : undefined;
}

/**
 * A class whose status is a member of a table or enum (`super(ResponseType.Forbidden, m)`, `status =
 * Codes.FORBIDDEN`): for a table of this module, a `class` of the member's number (a 4xx / 5xx); for an imported
 * one, a `classOfMember` the link resolves. Undefined for any other class.
 */
function classStatusByMember(
  cls: ts.ClassDeclaration,
  locals: ReadonlyMap<string, Local>,
  at: number,
): Local {
  const named = statusNameRead(cls);
  const imported = named !== undefined ? locals.get(named) : undefined;
  if (imported?.kind === 'import' && imported.member === undefined && imported.name !== '*')
    return { kind: 'classOfConstant', module: imported.module, name: imported.name, line: at };
  const read = statusMemberRead(cls);
  const owner = read && locals.get(read.owner);
  if (!read || !owner) return undefined;
  if (owner.kind === 'import' && owner.member === undefined)
    return { kind: 'classOfMember', module: owner.module, name: owner.name, member: read.member, line: at };
  if (owner.kind !== 'members') return undefined;
  const value = owner.members.find((m) => m.name === read.member)?.value;
  return value !== undefined && value >= 400 && value <= 599
    ? { kind: 'class', value, line: at, name: cls.name?.text }
    : undefined;
}

/**
 * Where {@link fixedStatus} looks (a `super(…)` argument, a status field), the first `Owner.Member` (or
 * `Owner['Member']`) read whose owner is a plain name: the table or enum a class may take its status from.
 */
function statusMemberRead(cls: ts.ClassLikeDeclaration): { owner: string; member: string } | undefined {
  const memberRead = (expression: ts.Expression): { owner: string; member: string } | undefined => {
    const node = skipOuter(expression);
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression))
      return { owner: node.expression.text, member: node.name.text };
    if (
      ts.isElementAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      ts.isStringLiteralLike(node.argumentExpression)
    )
      return { owner: node.expression.text, member: node.argumentExpression.text };
    return undefined;
  };
  for (const place of statusPlaces(cls)) {
    if (place.field !== undefined && !STATUS_NAMES.has(place.field)) continue;
    const read = memberRead(place.value);
    if (read) return read;
  }
  return undefined;
}

/**
 * Where {@link fixedStatus} looks (a status field, a `super(…)` argument), the first plain name read that is no
 * parameter of the constructor (`DENIED` of `status = DENIED` or `super(m, DENIED)`): a constant the class may
 * take its status from when it is imported from another module. Undefined when there is none.
 */
export function statusNameRead(cls: ts.ClassLikeDeclaration): string | undefined {
  const constructor = cls.members.find(ts.isConstructorDeclaration);
  const parameters = new Set(
    (constructor?.parameters ?? []).flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])),
  );
  for (const place of statusPlaces(cls)) {
    if (place.field !== undefined && !STATUS_NAMES.has(place.field)) continue;
    const node = skipOuter(place.value);
    if (ts.isIdentifier(node) && !parameters.has(node.text) && node.text !== 'undefined') return node.text;
  }
  return undefined;
}

/**
 * Where a class may fix its status, in source order: a field's initializer (`status = …`), a `super(…)` argument
 * and a `this.field = …` of its constructor; `field` names the field (none for a `super` argument).
 */
function* statusPlaces(cls: ts.ClassLikeDeclaration): Generator<{ field?: string; value: ts.Expression }> {
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && member.initializer)
      yield { field: member.name.text, value: member.initializer };
    if (!ts.isConstructorDeclaration(member) || !member.body) continue;
    for (const statement of member.body.statements) {
      if (!ts.isExpressionStatement(statement)) continue;
      const expression = statement.expression;
      if (ts.isCallExpression(expression) && expression.expression.kind === ts.SyntaxKind.SuperKeyword)
        for (const argument of expression.arguments) yield { value: argument };
      if (
        ts.isBinaryExpression(expression) &&
        expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(expression.left) &&
        expression.left.expression.kind === ts.SyntaxKind.ThisKeyword
      )
        yield { field: expression.left.name.text, value: expression.right };
    }
  }
}

/**
 * The status every instance of a class carries, when the class fixes it: `status = 403`, `this.status = 403`
 * (or `this.code = 403`, a 4xx/5xx in a `code` field) in the constructor, or a literal 4xx/5xx passed to `super(…)`;
 * a status library's constant counts as its number (`super(m, HttpStatus.FORBIDDEN)`), and so does a module-level
 * constant of the class's file (`const DENIED = 403; … status = DENIED`, `super(m, DENIED)`). Undefined when it
 * comes from a parameter.
 */
export function fixedStatus(cls: ts.ClassLikeDeclaration): number | undefined {
  for (const { field, value: expression } of statusPlaces(cls)) {
    if (field !== undefined) {
      const value = statusOfField(field, expression);
      if (value !== undefined) return value;
      continue;
    }
    const value = statusNumber(expression);
    if (value !== undefined && value >= 400 && value <= 599) return value;
    // `super(m, { code: 'FORBIDDEN', status: 403 })`
    const object = skipOuter(expression);
    if (!ts.isObjectLiteralExpression(object)) continue;
    for (const property of object.properties) {
      if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
      const status = STATUS_NAMES.has(property.name.text) ? statusNumber(property.initializer) : undefined;
      if (status !== undefined) return status;
    }
  }
  return undefined;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

/**
 * `generate(403, 'Forbidden')` where `generate` is a function of this module making an error class whose status is
 * that argument (analysis/class-factories.ts): a class of that status (`madeBy` names the call); with `generate`
 * imported (`import { generate }`, `const { generate } = require(…)`, `factory.generate(…)` of a whole module), a
 * `classOfFactory` the link resolves. The status is a number literal, a constant of this module or a status table's
 * entry, a 4xx / 5xx; or another module's export (`generate(FORBIDDEN, …)`, `generate(codes.FORBIDDEN, …)`), a
 * `classOfImportedStatus` the link resolves (session 50). Undefined for any other call.
 */
function factoryCallOf(
  node: ts.Expression,
  locals: ReadonlyMap<string, Local>,
  at: number,
  sourceFile: ts.SourceFile,
): Local {
  if (!ts.isCallExpression(node)) return undefined;
  const called = factoryCallee(node.expression, locals);
  if (!called) return undefined;
  const { callee, factory } = called;
  const index = node.arguments.findIndex((a) => {
    const value = statusArgument(a, locals);
    return value !== undefined && value >= 400 && value <= 599;
  });
  const value = index === -1 ? undefined : statusArgument(node.arguments[index], locals);
  const fn = factory ? undefined : declaredFunction(sourceFile, callee);
  if (!factory && !fn) return undefined;
  if (value !== undefined) {
    const madeBy = madeByText(callee, index, node.arguments.length, value);
    if (factory) return { kind: 'classOfFactory', ...factory, index, value, line: at, madeBy };
    return fn && factoryStatusIndexes(fn).includes(index)
      ? { kind: 'class', value, line: at, madeBy }
      : undefined;
  }
  const indexes = fn ? factoryStatusIndexes(fn) : undefined;
  const statuses = node.arguments.flatMap((argument, i): ImportedStatus[] => {
    if (indexes && !indexes.includes(i)) return [];
    const read = importedStatusOf(argument, locals);
    return read ? [{ index: i, ...read }] : [];
  });
  if (!statuses.length) return undefined;
  return {
    kind: 'classOfImportedStatus',
    ...(factory ? { factory } : {}),
    callee,
    count: node.arguments.length,
    statuses,
    line: at,
  };
}

/**
 * Who a call calls, as a factory: a name of this module (`generate`), an imported function (`import { generate }`,
 * `const { generate } = require(…)`: `factory`), or a function of a whole imported module (`errors.generate` of
 * `import * as errors` / `const errors = require(…)`, `require('./errors').generate`). Undefined for any other
 * callee.
 */
function factoryCallee(
  expression: ts.Expression,
  locals: ReadonlyMap<string, Local>,
): { callee: string; factory?: { module: string; name: string } } | undefined {
  const node = skipOuter(expression);
  if (ts.isIdentifier(node)) {
    const local = locals.get(node.text);
    if (local?.kind !== 'import') return { callee: node.text };
    return local.member === undefined && local.name !== '*'
      ? { callee: node.text, factory: { module: local.module, name: local.name } }
      : undefined;
  }
  if (!ts.isPropertyAccessExpression(node)) return undefined;
  const owner = skipOuter(node.expression);
  const module =
    requireOf(owner) ?? (ts.isIdentifier(owner) ? namespaceOf(locals.get(owner.text)) : undefined);
  return module === undefined
    ? undefined
    : { callee: node.getText(), factory: { module, name: node.name.text } };
}

/**
 * A call argument read from another module (ESM or CommonJS): an imported name (`FORBIDDEN`, `DENY` of `import {
 * FORBIDDEN as DENY }`, `const { FORBIDDEN } = require(…)`), a name of a whole imported module (`codes.FORBIDDEN`,
 * `require('./codes').FORBIDDEN`), or a key of an imported table (`Codes.FORBIDDEN` of `import { Codes }`).
 * Undefined for any other argument.
 */
function importedStatusOf(
  argument: ts.Expression,
  locals: ReadonlyMap<string, Local>,
): Omit<ImportedStatus, 'index'> | undefined {
  const node = skipOuter(argument);
  if (ts.isIdentifier(node)) {
    const local = locals.get(node.text);
    if (local?.kind !== 'import' || local.name === '*') return undefined;
    return {
      module: local.module,
      name: local.name,
      ...(local.member === undefined ? {} : { member: local.member }),
    };
  }
  if (!ts.isPropertyAccessExpression(node)) return undefined;
  const owner = skipOuter(node.expression);
  const required = requireOf(owner);
  if (required !== undefined) return { module: required, name: node.name.text };
  const local = ts.isIdentifier(owner) ? locals.get(owner.text) : undefined;
  if (local?.kind !== 'import' || local.member !== undefined) return undefined;
  return local.name === '*'
    ? { module: local.module, name: node.name.text }
    : { module: local.module, name: local.name, member: node.name.text };
}

/** Whether a module binding is a class a project function made that the link resolves (ModuleExports `classes`). */
function isMadeClassRef(local: Local | DeclaredMember['ref']): local is MadeClassRef {
  return (
    local?.kind === 'classOfFactory' ||
    local?.kind === 'classOfImportedStatus' ||
    local?.kind === 'classOfBase'
  );
}

/**
 * A call argument's number: a literal, a number constant of this module, or a status table's entry
 * (`StatusCodes.FORBIDDEN`, `HttpStatus.FORBIDDEN`).
 */
function statusArgument(argument: ts.Expression, locals: ReadonlyMap<string, Local>): number | undefined {
  const node = skipOuter(argument);
  if (ts.isIdentifier(node)) {
    const local = locals.get(node.text);
    return local?.kind === 'number' ? local.value : undefined;
  }
  return statusNumber(node);
}

/**
 * `class ForbiddenHttpError extends BaseHttpError {}` with `BaseHttpError` a class a project function made
 * (`const BaseHttpError = generate(403, 'Forbidden')`) here, or imported: the class it extends, as is (its status and
 * where it was made). Undefined for any other class.
 */
function madeBase(cls: ts.ClassDeclaration, locals: ReadonlyMap<string, Local>): Local {
  const heritage = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
  const base = heritage?.types[0]?.expression;
  if (!base || !ts.isIdentifier(base)) return undefined;
  const local = locals.get(base.text);
  if (
    (local?.kind === 'class' && local.madeBy !== undefined) ||
    local?.kind === 'classOfFactory' ||
    local?.kind === 'classOfImportedStatus'
  )
    return local;
  if (local?.kind === 'import' && local.member === undefined && local.name !== '*')
    return { kind: 'classOfBase', module: local.module, name: local.name };
  return undefined;
}
