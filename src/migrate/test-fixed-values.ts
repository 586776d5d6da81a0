import ts from '../typescript.cjs';
import { writtenNames } from './written-names.js';

// Values a test file holds in a variable that never changes (`--include-tests`): a `const`, or a `var` / `let`
// with an initializer that the file never writes again. Older Mocha and tap suites spell every constant with
// `var` (`var ADMIN = '/admin'`, `var STATUS_CODES = [{ code: 403 }]`); reading only `const` left their tables,
// request paths and expected objects unread. Syntax only, within the declaring file: a name written anywhere in
// the file (an assignment, `++`/`--`, a `for...in`/`for...of` target, a second `var`) is not fixed, whatever
// scope the write is in (a shadowing name can only make the answer more careful).

/**
 * Whether a variable's value is the one its declaration gives: `const`, or `var` / `let` with an initializer
 * whose name the file never writes again (nor declares twice). A destructuring declaration is never fixed here.
 */
export function isFixedDeclaration(declaration: ts.VariableDeclaration): boolean {
  const list = declaration.parent;
  if (!ts.isVariableDeclarationList(list)) return false;
  if (list.flags & ts.NodeFlags.Const) return true;
  if (!declaration.initializer || !ts.isIdentifier(declaration.name)) return false;
  // `for (let i = 0; ...)`, `for (var x in o)`: a loop's variable changes.
  if (ts.isForStatement(list.parent) || ts.isForInStatement(list.parent) || ts.isForOfStatement(list.parent))
    return false;
  return !writtenNames(declaration.getSourceFile()).has(declaration.name.text);
}

/** The initializer of a fixed variable (isFixedDeclaration); undefined for any other declaration. */
export function fixedInitializer(declaration: ts.VariableDeclaration): ts.Expression | undefined {
  return isFixedDeclaration(declaration) ? declaration.initializer : undefined;
}

/**
 * The static string of a test file's expression, its own fixed `var` / `let` names read through their
 * initializers (`var ADMIN = '/admin'`, `` `${BASE}/users` `` with `var BASE = '/api'`, `BASE + '/x'`); every
 * other expression is asked of `fallback` (the project's reading of constants, imports and members).
 */
export function fixedString(
  expression: ts.Expression,
  fallback: (expression: ts.Expression) => string | undefined,
  depth = 0,
): string | undefined {
  if (depth > 8) return undefined;
  const node = skipParentheses(expression);
  if (ts.isIdentifier(node)) {
    const declaration = fixedVarOf(node);
    if (declaration?.initializer) return fixedString(declaration.initializer, fallback, depth + 1);
    return fallback(node);
  }
  if (ts.isTemplateExpression(node) && node.templateSpans.some((s) => fixedVarOf(s.expression))) {
    let out = node.head.text;
    for (const span of node.templateSpans) {
      const value = fixedString(span.expression, fallback, depth + 1);
      if (value === undefined) return fallback(node);
      out += value + span.literal.text;
    }
    return out;
  }
  if (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.PlusToken &&
    (fixedVarOf(node.left) || fixedVarOf(node.right) || isConcatenation(node.left))
  ) {
    const left = fixedString(node.left, fallback, depth + 1);
    const right = left === undefined ? undefined : fixedString(node.right, fallback, depth + 1);
    return left !== undefined && right !== undefined ? left + right : fallback(node);
  }
  return fallback(node);
}

/** A `var` / `let` (not `const`: the project reads those) the identifier names in its file, when fixed. */
function fixedVarOf(expression: ts.Expression): ts.VariableDeclaration | undefined {
  const node = skipParentheses(expression);
  if (!ts.isIdentifier(node)) return undefined;
  const declaration = declarationOf(node);
  if (!declaration || declaration.parent.flags & ts.NodeFlags.Const) return undefined;
  return isFixedDeclaration(declaration) ? declaration : undefined;
}

function isConcatenation(expression: ts.Expression): boolean {
  const node = skipParentheses(expression);
  return (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.PlusToken &&
    (fixedVarOf(node.left) !== undefined ||
      fixedVarOf(node.right) !== undefined ||
      isConcatenation(node.left))
  );
}

/** The variable declaration of the nearest enclosing block, function or file that declares the name. */
function declarationOf(identifier: ts.Identifier): ts.VariableDeclaration | undefined {
  for (let scope: ts.Node | undefined = identifier.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.name.text === identifier.text) return d;
    }
  }
  return undefined;
}

function skipParentheses(expression: ts.Expression): ts.Expression {
  let node = expression;
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return node;
}

/**
 * The variable an identifier names, declared in the nearest block or file around it that declares one of that
 * name (a `var`/`let`/`const` statement there), and that block or file; undefined when none does.
 */
export function nearestVariable(
  identifier: ts.Identifier,
): { declaration: ts.VariableDeclaration; scope: ts.Block | ts.SourceFile } | undefined {
  for (let scope: ts.Node | undefined = identifier.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    const declaration = variablesOf(scope).get(identifier.text);
    if (declaration) return { declaration, scope };
  }
  return undefined;
}

/**
 * The first declaration of each plain name among a block's (or file's) own variable statements, made once per
 * block: `nearestVariable` is asked for names read in every test, and a `describe(() => { … })` body of thousands
 * of statements made scanning it per question quadratic.
 */
const variablesByScope = new WeakMap<ts.Block | ts.SourceFile, ReadonlyMap<string, ts.VariableDeclaration>>();
function variablesOf(scope: ts.Block | ts.SourceFile): ReadonlyMap<string, ts.VariableDeclaration> {
  let variables = variablesByScope.get(scope);
  if (variables) return variables;
  const found = new Map<string, ts.VariableDeclaration>();
  for (const statement of scope.statements)
    if (ts.isVariableStatement(statement))
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name) && !found.has(declaration.name.text))
          found.set(declaration.name.text, declaration);
  variables = found;
  variablesByScope.set(scope, variables);
  return variables;
}
