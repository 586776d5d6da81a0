import ts from '../typescript.cjs';
import { STATUS_KEYS } from './analysis/call-sites.js';
import { argumentIndex, skipOuter } from './analysis/syntax.js';
import { declaredFunction } from './analysis/class-factories.js';
import type { ImportLink } from './analysis/types.js';
import { collectImports, type ImportMap } from './imports.js';
import { isFunctionLike, type FunctionLike } from './scope.js';

/**
 * Helpers a code-map code is handed to (session 36, breaker36 #01): `assertNotSelf(a, b, 'CANNOT_SELF')` where
 * `assertNotSelf(…, code) { if (a === b) throw new AppError(code) }`, `fail(code)`, `throwError(c, code)` reading
 * `registry[code]`, `invariant(ok, 'FORBIDDEN')`, a Nest `guard(ErrorCode.X)` throwing `new AppException(code)`.
 * The call passing a code the table maps to 403 raises that 403; the helper's raise is where it happens.
 */

/** `registry[code].defaultMessage`, `registry[code]?.message`: a member of the row other than its status. */
function readsOther(read: ts.Expression): boolean {
  let at: ts.Node = read;
  while (ts.isParenthesizedExpression(at.parent) || ts.isNonNullExpression(at.parent)) at = at.parent;
  const parent = at.parent;
  return (
    ts.isPropertyAccessExpression(parent) && parent.expression === at && !STATUS_KEYS.has(parent.name.text)
  );
}

/** A file as the helper search reads it: its tree, its imports and the link that follows them. */
export interface CodeFile {
  sourceFile: ts.SourceFile;
  imports: ImportMap;
  link: ImportLink | undefined;
  /** Absolute path, when known (a declaration another file's link found). */
  absolute?: string;
}

/** Where a code handed to a helper's parameter is raised. */
export interface CodeHelper {
  /** The helper's name as the call spells it (`assertNotSelf`, `this.guard`). */
  callee: string;
  /** The parameter the code is handed to. */
  parameter: string;
  /**
   * The place the code reaches: the error made with it (`new AppError(code)`), the table read with it
   * (`registry[code]`), the call that hands it on to another helper, or, when only its type says so (a literal
   * union of the table's codes), the parameter itself.
   */
  raise: ts.Node;
  /** The file of `raise`. */
  file: CodeFile;
  /** How the raise was found: the code flows there, or the parameter's type lists the table's codes. */
  by: 'flow' | 'type';
}

/** What the search needs of the run's code maps. */
export interface CodeTables {
  /** The tables' names (`registry`): a parameter read as `registry[code]`, `.get(code)`, `(code)` is a code. */
  names: ReadonlySet<string>;
  /** Every code of every table: a parameter typed as a union of them (`code: 'A' | 'B'`) takes a code. */
  codes: ReadonlySet<string>;
}

/** Object keys that name the application code in an error's options (`new ApiError({ code })`). */
export const CODE_KEYS = new Set([
  'code',
  'errorCode',
  'error_code',
  'error',
  'type',
  'kind',
  'name',
  'reason',
  'status',
]);

/** Forwarding helpers followed at most this deep (`assertX` -> `fail` -> `new AppError`). */
const MAX_DEPTH = 4;

/** The file `analysis`-like inputs describe, with its imports read once. */
export function codeFile(
  sourceFile: ts.SourceFile,
  link: ImportLink | undefined,
  imports?: ImportMap,
): CodeFile {
  return { sourceFile, imports: imports ?? collectImports(sourceFile), link, absolute: link?.absolute };
}

/**
 * The helper `call` hands its argument at `index` to, when that argument becomes the code of an error or a
 * table lookup there (followed through forwarding helpers, across files through `link.declaration`); undefined
 * when the callee is no project function found here or its parameter goes elsewhere.
 */
export function codeHelperOf(
  file: CodeFile,
  call: ts.CallExpression | ts.NewExpression,
  index: number,
  tables: CodeTables,
  depth = 0,
): CodeHelper | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const found = calleeFunction(file, call);
  if (!found) return undefined;
  const { fn, file: there } = found;
  const position = fn.parameters.findIndex((_, i) => argumentIndex(fn, i) === index);
  const parameter = fn.parameters[position];
  if (!parameter || parameter.dotDotDotToken || !ts.isIdentifier(parameter.name)) return undefined;
  const name = parameter.name.text;
  const callee = call.expression.getText(file.sourceFile);
  const raise = fn.body ? raiseOf(there, fn.body, name, tables, depth) : undefined;
  if (raise) return { callee, parameter: name, raise: raise.node, file: raise.file, by: 'flow' };
  if (parameter.type && codeUnion(parameter.type, tables.codes))
    return { callee, parameter: name, raise: parameter, file: there, by: 'type' };
  return undefined;
}

/** `'A' | 'B'`, `'A'`: a literal type (or union) all of whose members are codes of the run's tables. */
function codeUnion(type: ts.TypeNode, codes: ReadonlySet<string>): boolean {
  const members = ts.isUnionTypeNode(type) ? type.types : [type];
  return members.every(
    (t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) && codes.has(t.literal.text),
  );
}

/** A raise and its file (another file's, when a forwarding helper hands the code on across files). */
interface Raise {
  node: ts.Node;
  file: CodeFile;
}

/** The first place in `body` where the parameter `name` becomes an error's code or a table's key. */
function raiseOf(
  file: CodeFile,
  body: ts.Node,
  name: string,
  tables: CodeTables,
  depth: number,
): Raise | undefined {
  let raise: Raise | undefined;
  const visit = (node: ts.Node): void => {
    if (raise) return;
    if (ts.isIdentifier(node) && node.text === name && isRead(node)) {
      raise = useOf(file, node, tables, depth);
      if (raise) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return raise;
}

/** Whether an identifier reads a variable (not a property name, a declaration or a key). */
function isRead(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isPropertyAssignment(parent) && parent.name === node) return false;
  if ((ts.isParameter(parent) || ts.isVariableDeclaration(parent)) && parent.name === node) return false;
  return !ts.isTypeReferenceNode(parent) && !ts.isQualifiedName(parent);
}

/** What one read of the parameter does with it: the raise it makes, if any (the innermost one of a chain). */
function useOf(file: CodeFile, node: ts.Identifier, tables: CodeTables, depth: number): Raise | undefined {
  const own = ownUse(file, node, tables);
  if (own !== 'call') return own && { node: own, file };
  // `fail(code)`: handed on to another helper, whose raise it is.
  const call = outerCall(node);
  const inner = call && codeHelperOf(file, call.call, call.index, tables, depth + 1);
  return inner && { node: inner.raise, file: inner.file };
}

/** The call `node` (through parentheses and `as`) is a direct argument of, with its position. */
function outerCall(node: ts.Node): { call: ts.CallExpression; index: number } | undefined {
  let value: ts.Node = node;
  while (
    ts.isParenthesizedExpression(value.parent) ||
    ts.isAsExpression(value.parent) ||
    ts.isNonNullExpression(value.parent)
  )
    value = value.parent;
  const call = value.parent;
  if (!ts.isCallExpression(call)) return undefined;
  const index = call.arguments.indexOf(value as ts.Expression);
  return index < 0 ? undefined : { call, index };
}

/**
 * The raise one read of the parameter makes by itself (an error made or thrown with it, a table read with it),
 * `'call'` when it is a direct argument of another call (maybe a forwarding helper), undefined otherwise.
 */
function ownUse(file: CodeFile, node: ts.Identifier, tables: CodeTables): ts.Node | 'call' | undefined {
  let value: ts.Node = node;
  while (
    ts.isParenthesizedExpression(value.parent) ||
    ts.isAsExpression(value.parent) ||
    ts.isSatisfiesExpression(value.parent) ||
    ts.isNonNullExpression(value.parent)
  )
    value = value.parent;
  const parent = value.parent;
  // `registry[code]`, `registry.get(code)`, `statusOf(code)`: the table read with the code.
  // A read of another member (`registry[code].defaultMessage` for an OpenAPI example) is no raise.
  if (ts.isElementAccessExpression(parent) && parent.argumentExpression === value)
    return tables.names.has(skipOuter(parent.expression).getText(file.sourceFile)) && !readsOther(parent)
      ? parent
      : undefined;
  // `{ code }`, `{ code: code }`: under a code key of an error's options.
  let argument: ts.Node = value;
  if (ts.isShorthandPropertyAssignment(parent) || ts.isPropertyAssignment(parent)) {
    const key = ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name) ? parent.name.text : '';
    if (!CODE_KEYS.has(key) || !ts.isObjectLiteralExpression(parent.parent)) return undefined;
    argument = parent.parent;
  }
  const call = argument.parent;
  if (!ts.isCallExpression(call) && !ts.isNewExpression(call)) return undefined;
  const args = call.arguments ?? ts.factory.createNodeArray();
  const at = args.indexOf(argument as ts.Expression);
  if (at < 0) return undefined;
  const callee = skipOuter(call.expression).getText(file.sourceFile);
  if (ts.isCallExpression(call)) {
    if (tables.names.has(callee) && at === 0 && argument === value) return call;
    const member = ts.isPropertyAccessExpression(call.expression) ? call.expression : undefined;
    if (member?.name.text === 'get' && tables.names.has(member.expression.getText(file.sourceFile)))
      return call;
  }
  // `new AppError(code, …)`, `new AppError({ code })`: the error it makes carries the code.
  if (ts.isNewExpression(call) && (at === 0 || argument !== value)) return call;
  // `throw make({ code })`, `throw make(code)`: a thrown error made with it.
  if (ts.isCallExpression(call)) {
    let outer: ts.Node = call.parent;
    while (ts.isParenthesizedExpression(outer) || ts.isAwaitExpression(outer)) outer = outer.parent;
    if (ts.isThrowStatement(outer) || (argument !== value && ts.isReturnStatement(outer))) return call;
  }
  return argument === value && ts.isCallExpression(call) ? 'call' : undefined;
}

/** The function a call names: in its own file (a function, a `const` holding one, a method of `this`) or imported. */
function calleeFunction(
  file: CodeFile,
  call: ts.CallExpression | ts.NewExpression,
): { fn: FunctionLike; file: CodeFile } | undefined {
  if (!ts.isCallExpression(call)) return undefined;
  const callee = skipOuter(call.expression);
  if (ts.isIdentifier(callee)) {
    const local = declaredFunction(file.sourceFile, callee.text);
    if (local) return { fn: local, file };
    const binding = file.imports.get(callee.text);
    return binding && binding.name !== '*' ? declared(file, binding, binding.name) : undefined;
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const member = callee.name.text;
  // `this.guard(code)`: a method (or a property holding a function) of the enclosing class.
  if (callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
    let cls: ts.Node | undefined = call.parent;
    while (cls && !ts.isClassLike(cls)) cls = cls.parent;
    const fn = cls && ts.isClassLike(cls) ? classMember(cls, member) : undefined;
    return fn ? { fn, file } : undefined;
  }
  // `helpers.fail(code)` of `import * as helpers`.
  if (ts.isIdentifier(callee.expression)) {
    const binding = file.imports.get(callee.expression.text);
    if (binding?.name === '*') return declared(file, binding, member);
  }
  return undefined;
}

function declared(
  file: CodeFile,
  binding: NonNullable<ReturnType<ImportMap['get']>>,
  name: string,
): { fn: FunctionLike; file: CodeFile } | undefined {
  const site = file.link?.declaration?.({ ...binding, name });
  if (!site) return undefined;
  const fn = declaredFunction(site.sourceFile, site.name);
  return fn ? { fn, file: { ...codeFile(site.sourceFile, site.link), absolute: site.file } } : undefined;
}

function classMember(cls: ts.ClassLikeDeclaration, name: string): FunctionLike | undefined {
  for (const member of cls.members) {
    if (!member.name || !ts.isIdentifier(member.name) || member.name.text !== name) continue;
    if (ts.isMethodDeclaration(member) && member.body) return member;
    const value = ts.isPropertyDeclaration(member) && member.initializer && skipOuter(member.initializer);
    if (value && isFunctionLike(value)) return value;
  }
  return undefined;
}
