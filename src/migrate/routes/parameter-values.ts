import ts from '../../typescript.cjs';
import { skipOuter as unwrap } from '../analysis/syntax.js';
import { isFunctionLike as isFunctionNode, type FunctionLike } from '../scope.js';

/** What this reader needs of the project (project.ts calls it: its own type would make an import circle). */
export interface NameIndex<F> {
  identifiersNamed(name: string): readonly { file: F; node: ts.Identifier }[];
  lookup(file: F, at: ts.Node, name: string): readonly { node: ts.Node }[];
  /**
   * Where {@link parameterString} keeps each function's calls once found (by the function node; null when the
   * function is also used as a value): a route graph asks for the same parameter once per route it builds
   * (NodeBB's ~400 `setupPageRoute(app, \`/${name}\`, …)` calls), and finding the calls walks every identifier
   * of the name. Without it the calls are found again on every question.
   */
  readonly functionCalls?: Map<ts.Node, readonly FunctionCall<F>[] | null>;
}

/** One call (or `new`) of a function the project makes, and the file it is in. */
export interface FunctionCall<F> {
  file: F;
  call: ts.CallExpression | ts.NewExpression;
}

/**
 * The one string a function's parameter holds at every call of the function the project makes
 * (`function register(app, base) { app.get(`${base}/x`, h) }` called as `register(app, '/api')`; a class
 * constructor's at every `new Routes(app, '/api')`), its default
 * value where a call leaves it out. Undefined when a call passes something else, calls disagree, the function
 * is never called by name, or is also passed around as a value (its callers cannot all be seen).
 *
 * @param stringOf how to read an argument as a string (the project's own `stringOf`, constants included)
 */
export function parameterString<F>(
  project: NameIndex<F>,
  file: F,
  parameter: ts.ParameterDeclaration,
  stringOf: (file: F, expression: ts.Expression) => string | undefined,
): string | undefined {
  const fn = parameter.parent;
  if (!isFunctionNode(fn) || parameter.dotDotDotToken || !ts.isIdentifier(parameter.name)) return undefined;
  const index = fn.parameters.indexOf(parameter);
  const calls = callsOfCached(project, fn);
  if (!calls?.length) return undefined;
  const values = new Set<string | undefined>();
  for (const { file: at, call } of calls) {
    const argument = call.arguments?.[index];
    if (argument && ts.isSpreadElement(argument)) return undefined;
    const value = argument
      ? stringOf(at, unwrap(argument))
      : parameter.initializer
        ? stringOf(file, parameter.initializer)
        : undefined;
    values.add(value);
    if (value === undefined || values.size > 1) return undefined;
  }
  return [...values][0];
}

/**
 * The strings a parameter holds across every call of its function the project makes (see {@link parameterString}):
 * a parameter (`function f(app, name)`) takes each call's argument at its place, a name destructured from an
 * object parameter (`function Collection({ app, colName })`) the member of each call's object literal (the
 * default where a call leaves it out). Undefined when a call passes anything else, no call is found by name, or
 * the function is also used as a value.
 */
export function parameterStrings<F>(
  project: NameIndex<F>,
  file: F,
  binding: ts.Node,
  stringOf: (file: F, expression: ts.Expression) => string | undefined,
): string[] | undefined {
  let parameter = binding;
  let key: string | undefined;
  if (ts.isBindingElement(binding) && ts.isObjectBindingPattern(binding.parent)) {
    const name = binding.propertyName ?? binding.name;
    key = ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
    parameter = binding.parent.parent;
    if (key === undefined || binding.dotDotDotToken) return undefined;
  }
  if (!ts.isParameter(parameter) || parameter.dotDotDotToken) return undefined;
  if (key === undefined && !ts.isIdentifier(parameter.name)) return undefined;
  const fn = parameter.parent;
  if (!isFunctionNode(fn)) return undefined;
  const index = fn.parameters.indexOf(parameter);
  const calls = callsOfCached(project, fn);
  if (!calls?.length) return undefined;
  const values = new Set<string>();
  for (const { file: at, call } of calls) {
    const argument = call.arguments?.[index];
    if (argument && ts.isSpreadElement(argument)) return undefined;
    let value: string | undefined;
    if (key === undefined)
      value = argument
        ? stringOf(at, unwrap(argument))
        : parameter.initializer
          ? stringOf(file, parameter.initializer)
          : undefined;
    else {
      const object = argument && unwrap(argument);
      if (!object || !ts.isObjectLiteralExpression(object)) return undefined;
      const member = object.properties.find(
        (p) =>
          (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) &&
          (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
          p.name.text === key,
      );
      value =
        member && ts.isPropertyAssignment(member)
          ? stringOf(at, unwrap(member.initializer))
          : member && ts.isShorthandPropertyAssignment(member)
            ? stringOf(at, member.name)
            : ts.isBindingElement(binding) && binding.initializer
              ? stringOf(file, binding.initializer)
              : undefined;
    }
    if (value === undefined) return undefined;
    values.add(value);
  }
  return [...values];
}

/**
 * Every call of `fn` by its name the project makes (see {@link callsOf}); null when not all of them can be seen
 * (the function has no name, or is used as a value).
 */
export function functionCallsOf<F>(
  project: NameIndex<F>,
  fn: FunctionLike,
): readonly FunctionCall<F>[] | null {
  return callsOfCached(project, fn);
}

/** `callsOf`, kept per function in the project's `functionCalls` (when it has one). */
function callsOfCached<F>(project: NameIndex<F>, fn: FunctionLike): readonly FunctionCall<F>[] | null {
  let calls = project.functionCalls?.get(fn);
  if (calls === undefined) {
    calls = callsOf(project, fn);
    project.functionCalls?.set(fn, calls);
  }
  return calls;
}

/**
 * Every call of `fn` by its name the project makes, in file order; null when the function has no name to be
 * called by, or is named anywhere but as a callee (`app.use(register)`: not all its calls can be seen). Exports,
 * imports and `require` bindings of the same name are not uses.
 */
function callsOf<F>(project: NameIndex<F>, fn: FunctionLike): FunctionCall<F>[] | null {
  const declaration = declarationOf(fn);
  const name = declaration?.name;
  if (!declaration || !name || !ts.isIdentifier(name)) return null;
  const calls: FunctionCall<F>[] = [];
  for (const { file: at, node } of project.identifiersNamed(name.text)) {
    if (node === name) continue;
    // `this.registerRoutes(dir)`, `{ registerRoutes: … }`: a member of that name, not the function
    const parent = node.parent;
    if (
      (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
      (ts.isPropertyAssignment(parent) && parent.name === node) ||
      (ts.isMethodDeclaration(parent) && parent.name === node) ||
      (ts.isPropertyDeclaration(parent) && parent.name === node)
    )
      continue;
    const resolved = project.lookup(at, node, node.text);
    if (!resolved.some((d) => d.node === declaration)) continue;
    const call = node.parent;
    // Named anywhere but as the callee (`app.use(register)`, `export { register }` aside): not all calls seen.
    // A constructor's calls are `new Routes(app, 'items')`; a function's may be `new` too (a constructor function).
    const called =
      ts.isNewExpression(call) || (ts.isCallExpression(call) && !ts.isConstructorDeclaration(fn));
    if (!called || call.expression !== node) {
      if (ts.isExportSpecifier(call) || ts.isImportSpecifier(call) || ts.isImportClause(call)) continue;
      if (isCommonJsExport(node)) continue;
      // `const Routes = require('./routes')`, `const { Routes } = require(...)`: a binding of the same name
      if ((ts.isVariableDeclaration(call) || ts.isBindingElement(call)) && call.name === node) continue;
      return null;
    }
    calls.push({ file: at, call });
  }
  return calls;
}

/** The declaration a function is named by: itself, or the variable / export holding it. */
function declarationOf(fn: ts.Node): (ts.Node & { name?: ts.Node }) | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn;
  // A class's constructor is named by the class (`class Routes {}`, `const Routes = class {}`).
  if (ts.isConstructorDeclaration(fn))
    return ts.isClassDeclaration(fn.parent) ? fn.parent : declarationOf(fn.parent);
  const holder = fn.parent;
  if (ts.isVariableDeclaration(holder) && holder.initializer === fn) return holder;
  return undefined;
}

/** `module.exports = Routes`, `exports.Routes = Routes`, `module.exports = { Routes }`: an export, not a use. */
function isCommonJsExport(node: ts.Identifier): boolean {
  let value: ts.Node = node;
  if (ts.isShorthandPropertyAssignment(node.parent)) value = node.parent.parent;
  const assignment = value.parent;
  if (!assignment || !ts.isBinaryExpression(assignment) || assignment.right !== value) return false;
  if (assignment.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const target = assignment.left.getText();
  return /^(?:module\.)?exports\b/.test(target);
}
