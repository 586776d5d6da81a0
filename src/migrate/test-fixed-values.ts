import ts from '../typescript.cjs';

// Values a test file holds in a variable that never changes (`--include-tests`): a `const`, or a `var` / `let`
// with an initializer that the file never writes again. Older Mocha and tap suites spell every constant with
// `var` (`var ADMIN = '/admin'`, `var STATUS_CODES = [{ code: 403 }]`); reading only `const` left their tables,
// request paths and expected objects unread. Syntax only, within the declaring file: a name written anywhere in
// the file (an assignment, `++`/`--`, a `for...in`/`for...of` target, a second `var`) is not fixed, whatever
// scope the write is in (a shadowing name can only make the answer more careful).

const writtenCache = new WeakMap<ts.SourceFile, ReadonlySet<string>>();

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

/** Every name the file writes after its declaration, or declares with `var` more than once. */
function writtenNames(sourceFile: ts.SourceFile): ReadonlySet<string> {
  const cached = writtenCache.get(sourceFile);
  if (cached) return cached;
  const written = new Set<string>();
  const declared = new Set<string>();
  const target = (node: ts.Node): void => {
    const inner = skipParentheses(node as ts.Expression);
    if (ts.isIdentifier(inner)) written.add(inner.text);
    else if (ts.isArrayLiteralExpression(inner)) inner.elements.forEach(target);
    else if (ts.isObjectLiteralExpression(inner))
      for (const p of inner.properties) {
        if (ts.isShorthandPropertyAssignment(p)) written.add(p.name.text);
        else if (ts.isPropertyAssignment(p)) target(p.initializer);
        else if (ts.isSpreadAssignment(p)) target(p.expression);
      }
    else if (ts.isSpreadElement(inner)) target(inner.expression);
    else if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.EqualsToken)
      target(inner.left);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && isAssignment(node.operatorToken.kind)) target(node.left);
    else if (
      (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
      (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)
    )
      target(node.operand);
    else if (
      (ts.isForInStatement(node) || ts.isForOfStatement(node)) &&
      !ts.isVariableDeclarationList(node.initializer)
    )
      target(node.initializer);
    else if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      !(node.parent.flags & ts.NodeFlags.Const)
    ) {
      if (declared.has(node.name.text)) written.add(node.name.text);
      declared.add(node.name.text);
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  writtenCache.set(sourceFile, written);
  return written;
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
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
    const declaration = scope.statements
      .filter(ts.isVariableStatement)
      .flatMap((statement) => [...statement.declarationList.declarations])
      .find((d) => ts.isIdentifier(d.name) && d.name.text === identifier.text);
    if (declaration) return { declaration, scope };
  }
  return undefined;
}
