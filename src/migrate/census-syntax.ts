import ts from '../typescript.cjs';
import { isExpect, isObjectFreeze, outerParent, outermost } from './analysis/syntax.js';

/**
 * Shape predicates of the census (census-*.ts): where a 403 token stands (a comparison, a type, a log call, an
 * assertion, a declaration's name, a property name) and the small expressions around it. Pure syntax: no file
 * state, no framework knowledge.
 */

/** Operators that compare: a 403 beside one is read, never sent. */
const COMPARISON_OPERATORS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.InstanceOfKeyword,
  ts.SyntaxKind.InKeyword,
]);

/** Calls that read a collection (`[401, 403].includes(s)`), never send. */
const READ_METHODS = new Set(['includes', 'indexOf', 'lastIndexOf', 'has', 'some', 'every', 'find']);

/** Methods of loggers (console, pino, winston, bunyan, Nest's Logger, `request.log`). */
const LOG_METHODS = new Set([
  'trace',
  'debug',
  'info',
  'log',
  'warn',
  'warning',
  'error',
  'fatal',
  'verbose',
]);
/** The last name of a logger receiver: `log`, `logger`, `this.logger`, `request.log`, `console`, `auditLogger`. */
const LOGGER = /^(?:console|_?log|_?logger|\w*Logger|\w*Log)$/;

/**
 * Inside the arguments of a logging call (`log.warn({ statusCode: 403, clientId }, 'denied')`): the 403 is a
 * recorded field, never a response. Stops at the enclosing function: a callback passed to a logger is not a log.
 */
export function inLogCall(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) || ts.isStatement(current)) return false;
    if (!ts.isCallExpression(current) || !ts.isPropertyAccessExpression(current.expression)) continue;
    if (current.arguments.every((a) => a.end < node.getStart() || a.pos > node.getEnd())) continue;
    const { expression: receiver, name } = current.expression;
    const owner = ts.isPropertyAccessExpression(receiver) ? receiver.name : receiver;
    if (LOG_METHODS.has(name.text) && ts.isIdentifier(owner) && LOGGER.test(owner.text)) return true;
  }
  return false;
}

/** The statement holding `node` (not a block), undefined past a function or class. */
export function enclosingStatement(node: ts.Node): ts.Statement | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) || ts.isClassLike(current)) return undefined;
    if (ts.isStatement(current) && !ts.isBlock(current)) return current;
  }
  return undefined;
}

/** The statement right before `statement` in its block, source file or case clause. */
export function previousStatement(statement: ts.Statement): ts.Statement | undefined {
  const parent = statement.parent;
  if (!ts.isBlock(parent) && !ts.isSourceFile(parent) && !ts.isCaseClause(parent)) return undefined;
  const index = parent.statements.indexOf(statement);
  return index > 0 ? parent.statements[index - 1] : undefined;
}

/**
 * The small expression a value sits in, for a reason a person can read: `status = 403`, `code: '403'`,
 * `deny(403)`, not the whole object literal or module-level table around it.
 */
export function nearestShape(node: ts.Node): ts.Node {
  let current = node;
  for (let depth = 0; current.parent && depth < 4; depth++) {
    current = current.parent;
    if (
      ts.isCallExpression(current) ||
      ts.isNewExpression(current) ||
      ts.isPropertyAssignment(current) ||
      ts.isBinaryExpression(current) ||
      ts.isVariableDeclaration(current) ||
      ts.isReturnStatement(current) ||
      ts.isArrayLiteralExpression(current)
    )
      return current;
  }
  return node;
}

/** The text of a string, template part or JSX text; undefined for any other node. */
export function stringValue(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) return node.text;
  if (ts.isJsxText(node)) return node.text;
  return undefined;
}

/**
 * A ts-pattern pattern: an argument of `.with(…)` before its handler (`match(code).with(Codes.Forbidden, () =>
 * 403)`), also inside `P.union(…)` / `P.not(…)`: compared with the matched value, as a `case` label is.
 */
function isMatchPattern(call: ts.CallExpression, argument: ts.Node): boolean {
  const index = call.arguments.indexOf(argument as ts.Expression);
  if (index < 0) return false;
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'with')
    return index < call.arguments.length - 1;
  const outer = call.parent;
  return (
    /(?:^|\.)(?:union|not|optional)$/.test(callee.getText()) &&
    ts.isCallExpression(outer) &&
    isMatchPattern(outer, call)
  );
}

/** Reads, not writes: `x === 403`, `case 403:`, `[401, 403].includes(s)`, `if (e instanceof ForbiddenError)`. */
export function inComparison(node: ts.Node): boolean {
  let current: ts.Node = outermost(node);
  for (let depth = 0; current.parent && depth < 6; depth++, current = outermost(current)) {
    const parent: ts.Node = current.parent;
    if (ts.isBinaryExpression(parent) && COMPARISON_OPERATORS.has(parent.operatorToken.kind)) return true;
    if (ts.isCaseClause(parent) && parent.expression === current) return true;
    if (ts.isCallExpression(parent) && isMatchPattern(parent, current)) return true;
    if (
      ts.isArrayLiteralExpression(current) &&
      ts.isPropertyAccessExpression(parent) &&
      READ_METHODS.has(parent.name.text)
    )
      return true;
    if (
      (ts.isCallExpression(parent) &&
        ts.isPropertyAccessExpression(parent.expression) &&
        READ_METHODS.has(parent.expression.name.text) &&
        parent.arguments.includes(current as ts.Expression)) ||
      ((ts.isIfStatement(parent) || ts.isWhileStatement(parent)) && parent.expression === current) ||
      (ts.isConditionalExpression(parent) && parent.condition === current) ||
      (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken)
    )
      return true;
    if (
      !ts.isPropertyAccessExpression(parent) &&
      !ts.isParenthesizedExpression(parent) &&
      !ts.isArrayLiteralExpression(parent) &&
      !ts.isAsExpression(parent) &&
      !ts.isBinaryExpression(parent)
    )
      return false;
    current = parent;
  }
  return false;
}

/** Whether `node` is inside a type (an annotation, alias, interface or property signature). */
export function isInType(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isTypeNode(current) && !ts.isExpressionWithTypeArguments(current)) return true;
    if (
      ts.isTypeAliasDeclaration(current) ||
      ts.isInterfaceDeclaration(current) ||
      ts.isPropertySignature(current)
    )
      return true;
    if (ts.isExpression(current) || ts.isStatement(current)) return false;
  }
  return false;
}

/** Whether `node` is the name of a property, method or enum member. */
export function isPropertyName(node: ts.Node): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isEnumMember(parent)) &&
    parent.name === node
  );
}

/** Whether `node` is the name a declaration binds (class, function, variable, member, parameter…). */
export function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isClassDeclaration(parent) ||
      ts.isClassExpression(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isFunctionExpression(parent) ||
      ts.isVariableDeclaration(parent) ||
      ts.isEnumDeclaration(parent) ||
      ts.isEnumMember(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isShorthandPropertyAssignment(parent) ||
      ts.isParameter(parent) ||
      ts.isBindingElement(parent) ||
      ts.isGetAccessorDeclaration(parent) ||
      ts.isSetAccessorDeclaration(parent)) &&
    (parent as ts.NamedDeclaration).name === node
  );
}

/** Assertion methods of node:assert, chai's assert and tap/ava's `t` that take an expected text or pattern. */
const TEXT_ASSERTIONS = new Set([
  'match',
  'doesNotMatch',
  'notMatch',
  'regex',
  'notRegex',
  'include',
  'includes',
  'notInclude',
  'equal',
  'equals',
  'strictEqual',
  'deepEqual',
  'deepStrictEqual',
  'notEqual',
  'is',
  'not',
  'same',
  'ok',
]);

/**
 * Whether `node` is (inside) an argument of an assertion: a matcher of an `expect(...)` chain (jest, vitest,
 * chai's `expect`, `expect.soft`, `Code.expect`) or a method of `assert` / tap's and ava's `t`.
 */
export function inAssertion(node: ts.Node): boolean {
  let current: ts.Node = node;
  for (let depth = 0; current.parent && depth < 8; depth++) {
    const parent: ts.Node = current.parent;
    if (ts.isCallExpression(parent) && parent.arguments.some((a) => a === current))
      return isAssertionCall(parent);
    if (ts.isStatement(parent) || ts.isFunctionLike(parent)) return false;
    current = parent;
  }
  return false;
}

function isAssertionCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  // The subject itself: `expect('403 ...')`.
  if (isExpect(callee)) return true;
  if (ts.isIdentifier(callee)) return callee.text === 'assert';
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const owner = callee.expression;
  if (ts.isIdentifier(owner) && (owner.text === 'assert' || owner.text === 't'))
    return owner.text === 'assert' || TEXT_ASSERTIONS.has(callee.name.text);
  // A matcher: somewhere down the chain is a call of `expect` (`expect(x).not.toMatch`, `chai.expect(x).to.match`).
  let link: ts.Expression = owner;
  while (ts.isPropertyAccessExpression(link) || ts.isCallExpression(link)) {
    if (ts.isCallExpression(link) && isExpect(link.expression)) return true;
    link = link.expression;
  }
  return false;
}

/** `===`, `==`, `!==`, `!=`. */
export const EQUALITY_OPERATORS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** The last name an expression reads: `code` in `error?.error?.code`, `statusText` in `res.statusText`. */
export function lastName(expression: ts.Expression): string | undefined {
  let node: ts.Expression = expression;
  while (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node))
    node = node.expression;
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression))
    return node.argumentExpression.text;
  if (ts.isCallExpression(node)) return lastName(node.expression);
  return undefined;
}

/** The name a call's callee ends in: `f` of `f(…)`, `m` of `a.b.m(…)`. */
export function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return undefined;
}

/**
 * The name of the `const` holding an object literal as a table (`codes` of `const codes = { … }`, also frozen
 * with `Object.freeze`, in parentheses or cast), or undefined when no `const` holds it so.
 */
export function tableOf(object: ts.Node): string | undefined {
  const frozen = outerParent(object, true);
  const holder = isObjectFreeze(frozen) ? outerParent(frozen, true) : frozen;
  return ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) ? holder.name.text : undefined;
}
