import ts from '../../typescript.cjs';
import { literalNumber, MATH_ROUNDINGS, numericValue, skipCasts, skipOuter } from './syntax.js';

/**
 * Constant folding of a status slot's expression, as JavaScript evaluates it: `400 + 3`, `806 / 2`, `0x190 | 3`,
 * `Number('403')`, `parseInt('403', 10)`, `+'403'`, `` `${400 + 3}` ``, `'4' + '03'` (ECMA-262 §13.15.3
 * ApplyStringOrNumericBinaryOperator; §21.1.1.1 `Number`, §19.2.5 `parseInt`, §19.2.4 `parseFloat`). A name
 * (`CLIENT_ERROR + 3`, `Http.Unauthorized + 2`) folds only through `lookup`, and makes the result not `pure`: a
 * pure result depends on literals alone, so the whole expression may be replaced by a literal of the same value.
 */

/** A folded value: a number or a string, and whether only literals made it (no name was looked up). */
export interface Folded {
  value: number | string;
  pure: boolean;
}

/** The value of a name or member read (`CLIENT_ERROR`, `Http.Unauthorized`), or undefined when not known. */
export type FoldLookup = (
  node: ts.Identifier | ts.PropertyAccessExpression | ts.ElementAccessExpression,
) => number | string | undefined;

/** Global conversion functions read by value; a local or imported one of that name shadows them (`shadowed`). */
const CONVERSIONS = new Set(['Number', 'parseInt', 'parseFloat', 'String']);

/**
 * The value `expression` folds to, or undefined when some part is not a constant (a call other than the global
 * conversions, a name `lookup` does not know, an operator other than arithmetic, bitwise or `+`). `shadowed`
 * says whether a global name (`Number`, `parseInt`) is bound otherwise where it is read; by default none is.
 */
export function foldConstant(
  expression: ts.Expression,
  lookup?: FoldLookup,
  shadowed: (name: string, at: ts.Node) => boolean = () => false,
): Folded | undefined {
  let pure = true;
  const fold = (input: ts.Expression): number | string | undefined => {
    const node = skipCasts(input);
    if (ts.isNumericLiteral(node)) return numericValue(node);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isTemplateExpression(node)) {
      let text = node.head.text;
      for (const span of node.templateSpans) {
        const value = fold(span.expression);
        if (value === undefined) return undefined;
        text += String(value) + span.literal.text;
      }
      return text;
    }
    if (ts.isPrefixUnaryExpression(node)) {
      const value = fold(node.operand);
      if (value === undefined) return undefined;
      if (node.operator === ts.SyntaxKind.PlusToken) return Number(value);
      if (node.operator === ts.SyntaxKind.MinusToken) return -Number(value);
      if (node.operator === ts.SyntaxKind.TildeToken) return ~Number(value);
      return undefined;
    }
    if (ts.isBinaryExpression(node)) {
      const operator = node.operatorToken.kind;
      if (!BINARY.has(operator)) return undefined;
      const left = fold(node.left);
      if (left === undefined) return undefined;
      const right = fold(node.right);
      if (right === undefined) return undefined;
      return binary(operator, left, right);
    }
    if (ts.isCallExpression(node)) return conversion(node, fold, shadowed);
    if (
      lookup &&
      (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node))
    ) {
      const value = lookup(node);
      if (value !== undefined) pure = false;
      return value;
    }
    return undefined;
  };
  const value = fold(expression);
  return value === undefined ? undefined : { value, pure };
}

/** The operators folded: arithmetic, `+` on strings, bitwise and shifts. */
const BINARY = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.PlusToken,
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.AsteriskToken,
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.PercentToken,
  ts.SyntaxKind.AsteriskAsteriskToken,
  ts.SyntaxKind.BarToken,
  ts.SyntaxKind.AmpersandToken,
  ts.SyntaxKind.CaretToken,
  ts.SyntaxKind.LessThanLessThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken,
]);

function binary(operator: ts.SyntaxKind, left: number | string, right: number | string): number | string {
  if (operator === ts.SyntaxKind.PlusToken)
    return typeof left === 'string' || typeof right === 'string'
      ? String(left) + String(right)
      : left + right;
  const [a, b] = [Number(left), Number(right)];
  switch (operator) {
    case ts.SyntaxKind.MinusToken:
      return a - b;
    case ts.SyntaxKind.AsteriskToken:
      return a * b;
    case ts.SyntaxKind.SlashToken:
      return a / b;
    case ts.SyntaxKind.PercentToken:
      return a % b;
    case ts.SyntaxKind.AsteriskAsteriskToken:
      return a ** b;
    case ts.SyntaxKind.BarToken:
      return a | b;
    case ts.SyntaxKind.AmpersandToken:
      return a & b;
    case ts.SyntaxKind.CaretToken:
      return a ^ b;
    case ts.SyntaxKind.LessThanLessThanToken:
      return a << b;
    case ts.SyntaxKind.GreaterThanGreaterThanToken:
      return a >> b;
    default:
      return a >>> b;
  }
}

/**
 * `Number(x)`, `parseInt(x, radix)`, `parseFloat(x)`, `String(x)` (also `Number.parseInt`, `Number.parseFloat`),
 * and `Math.trunc(x)` and the other roundings (session 39).
 */
function conversion(
  call: ts.CallExpression,
  fold: (node: ts.Expression) => number | string | undefined,
  shadowed: (name: string, at: ts.Node) => boolean,
): number | string | undefined {
  const callee = skipOuter(call.expression);
  let name: string | undefined;
  if (ts.isIdentifier(callee) && CONVERSIONS.has(callee.text)) name = callee.text;
  else if (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'Math' &&
    MATH_ROUNDINGS.has(callee.name.text)
  )
    name = callee.name.text;
  else if (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'Number' &&
    (callee.name.text === 'parseInt' || callee.name.text === 'parseFloat')
  )
    name = callee.name.text;
  const root = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
  if (!name || !ts.isIdentifier(root) || shadowed(root.text, call) || call.arguments.length < 1)
    return undefined;
  if (call.arguments.some((a) => ts.isSpreadElement(a))) return undefined;
  // `Number(403n)`, `String(403n)`, `parseInt(403n)`: a bigint converted reads as its digits (§21.1.1.1 ToNumeric
  // then §21.2.1.1.1 NumberToBigInt's inverse). A bare `403n` is no status (Node's writeHead throws mixing a
  // BigInt), so it folds only as a conversion's argument.
  const first = skipCasts(call.arguments[0]);
  const value = ts.isBigIntLiteral(first) && !MATH_ROUNDINGS.has(name) ? bigintValue(first) : fold(first);
  if (value === undefined) return undefined;
  if (MATH_ROUNDINGS.has(name)) return call.arguments.length === 1 ? rounded(name, Number(value)) : undefined;
  switch (name) {
    case 'Number':
      return call.arguments.length === 1 ? Number(value) : undefined;
    case 'String':
      return call.arguments.length === 1 ? String(value) : undefined;
    case 'parseFloat':
      return parseFloat(String(value));
    default: {
      const radix = call.arguments.length > 1 ? fold(call.arguments[1]) : undefined;
      if (call.arguments.length > 1 && radix === undefined) return undefined;
      return parseInt(String(value), radix === undefined ? undefined : Number(radix));
    }
  }
}

/** `Math.trunc`, `Math.floor`, `Math.ceil`, `Math.round`, `Math.abs` (syntax.ts `MATH_ROUNDINGS`), by value. */
function rounded(name: string, value: number): number {
  if (name === 'trunc') return Math.trunc(value);
  if (name === 'floor') return Math.floor(value);
  if (name === 'ceil') return Math.ceil(value);
  return name === 'round' ? Math.round(value) : Math.abs(value);
}

/** A bigint literal's value as a number (`403n`, `0x193n`, `4_03n`), or undefined past the safe integers. */
function bigintValue(node: ts.BigIntLiteral): number | undefined {
  const value = Number(BigInt(node.text.replace(/_/g, '').replace(/n$/, '')));
  return Number.isSafeInteger(value) ? value : undefined;
}

/** An enum member's name and status value (see {@link enumMemberValues}). */
export interface EnumMemberValue {
  name: string;
  /** The member's number; a string member's when it spells a status (`'403'`); undefined when not known. */
  value: number | undefined;
  /** Whether the member's value is a number (not a string). */
  numeric: boolean;
  member: ts.EnumMember;
}

/**
 * The values of an enum's members as TypeScript numbers them (TypeScript handbook, Enums: a member without an
 * initializer is the previous member plus one, the first 0; an initializer may read earlier members, by name or
 * as `Enum.Member`, and literals: `Unauthorized = 401, PaymentRequired, Forbidden` makes `Forbidden` 403;
 * `Forbidden = Unauthorized + 2` too). A string member, or one whose initializer is not constant, has no number,
 * and neither has a member after it without an initializer. Names are the members' own (identifier or string).
 */
export function enumMemberValues(declaration: ts.EnumDeclaration): EnumMemberValue[] {
  const values = new Map<string, number | string>();
  const out: EnumMemberValue[] = [];
  const enumName = declaration.name.text;
  const lookup: FoldLookup = (node) => {
    if (ts.isIdentifier(node)) return values.get(node.text);
    const owner = skipOuter(node.expression);
    if (!ts.isIdentifier(owner) || owner.text !== enumName) return undefined;
    const key = ts.isPropertyAccessExpression(node)
      ? node.name.text
      : ts.isStringLiteralLike(node.argumentExpression)
        ? node.argumentExpression.text
        : undefined;
    return key === undefined ? undefined : values.get(key);
  };
  let next: number | undefined = 0;
  for (const member of declaration.members) {
    const name =
      ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) ? member.name.text : undefined;
    let value: number | string | undefined;
    if (member.initializer) value = foldConstant(member.initializer, lookup)?.value;
    else value = next;
    next = typeof value === 'number' ? value + 1 : undefined;
    if (name === undefined) continue;
    if (value !== undefined) values.set(name, value);
    // A string member spelling a status (`Forbidden = '403'`) is read as that status, as literals are (syntax.ts).
    const number =
      typeof value === 'number'
        ? value
        : value !== undefined && /^\d{3}$/.test(value)
          ? Number(value)
          : undefined;
    out.push({ name, value: number, numeric: typeof value === 'number', member });
  }
  return out;
}

/**
 * The status number a constant's initializer spells, literals alone: `403`, `0x193`, `'403'` (syntax.ts
 * `literalNumber`), and a pure fold (`400 + 3`, `Number('403')`); a string counts when it is three digits, as
 * `literalNumber` reads one. Undefined for anything else.
 */
export function constantNumber(expression: ts.Expression): number | undefined {
  const direct = literalNumber(expression);
  if (direct !== undefined) return direct;
  const node = skipOuter(expression);
  if (ts.isNumericLiteral(node) || ts.isStringLiteralLike(node)) return undefined;
  const folded = foldConstant(node);
  if (!folded?.pure) return undefined;
  if (typeof folded.value === 'number') return folded.value;
  return /^\d{3}$/.test(folded.value) ? Number(folded.value) : undefined;
}
