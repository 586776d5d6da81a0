import ts from '../../typescript.cjs';
import { staticString, unwrap } from './project.js';

/** A `.filter(cb)` callback: its parameter's name and the expression it returns. */
export interface Filter {
  name: string;
  body: ts.Expression;
}

/**
 * The callback of `list.filter(cb)` when it is an arrow or function expression of one named parameter whose body
 * is one expression (or one `return`); undefined otherwise (a function reference, a destructured parameter).
 */
export function filterOf(argument: ts.Expression | undefined): Filter | undefined {
  const fn = argument ? unwrap(argument) : undefined;
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  const parameter = fn.parameters[0];
  if (!parameter || !ts.isIdentifier(parameter.name)) return undefined;
  let body: ts.Node | undefined = fn.body;
  if (ts.isBlock(body)) {
    const only = body.statements.length === 1 ? body.statements[0] : undefined;
    body = only && ts.isReturnStatement(only) ? only.expression : undefined;
  }
  return body && ts.isExpression(body) ? { name: parameter.name.text, body } : undefined;
}

/**
 * Whether a filter keeps one element, run on the code's text: `===` / `!==` (`==` / `!=`) of strings, `!`, `&&`,
 * `||`, `s.endsWith('x')` / `startsWith` / `includes`, `/re/.test(s)`, each string read by `valueOf` (the element
 * or a field of it, a literal). Undefined when a part of the test is none of these (the caller names the list).
 */
export function filterKeeps(
  filter: Filter,
  valueOf: (expression: ts.Expression) => string | undefined,
): boolean | undefined {
  return test(filter.body, valueOf);
}

function test(
  expression: ts.Expression,
  valueOf: (expression: ts.Expression) => string | undefined,
): boolean | undefined {
  const node = unwrap(expression);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = test(node.operand, valueOf);
    return inner === undefined ? undefined : !inner;
  }
  if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
      const left = test(node.left, valueOf);
      const right = test(node.right, valueOf);
      if (left === undefined || right === undefined) return undefined;
      return op === ts.SyntaxKind.AmpersandAmpersandToken ? left && right : left || right;
    }
    const equal = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
    const different =
      op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    if (!equal && !different) return undefined;
    const left = valueOf(node.left) ?? staticString(node.left);
    const right = valueOf(node.right) ?? staticString(node.right);
    if (left === undefined || right === undefined) return undefined;
    return equal ? left === right : left !== right;
  }
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const method = node.expression.name.text;
    const receiver = unwrap(node.expression.expression);
    const argument = node.arguments[0] ? unwrap(node.arguments[0]) : undefined;
    if (ts.isRegularExpressionLiteral(receiver) && method === 'test' && argument) {
      const subject = valueOf(argument);
      return subject === undefined ? undefined : regexOf(receiver)?.test(subject);
    }
    const subject = valueOf(receiver);
    const given = argument ? staticString(argument) : undefined;
    if (subject === undefined || given === undefined) return undefined;
    if (method === 'endsWith') return subject.endsWith(given);
    if (method === 'startsWith') return subject.startsWith(given);
    if (method === 'includes') return subject.includes(given);
  }
  return undefined;
}

function regexOf(literal: ts.RegularExpressionLiteral): RegExp | undefined {
  const match = /^\/(.*)\/([a-z]*)$/s.exec(literal.text);
  if (!match) return undefined;
  try {
    return new RegExp(match[1] ?? '', match[2] ?? '');
  } catch {
    return undefined;
  }
}
