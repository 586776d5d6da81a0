import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { skipCasts, skipOuter } from '../analysis/syntax.js';

/** Global functions whose result is a number whatever they are given. */
const NUMBER_CALLS = new Set(['Number', 'parseInt', 'parseFloat']);

/**
 * Members of the globals `Number` and `Math` whose result is a number whatever they are given (ECMA-262
 * §21.1.2 Number.parseFloat / parseInt, §21.3.2 the Math functions).
 */
const NUMBER_MEMBERS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['Number', new Set(['parseInt', 'parseFloat'])],
  [
    'Math',
    new Set([
      'abs',
      'ceil',
      'floor',
      'round',
      'trunc',
      'max',
      'min',
      'sign',
      'pow',
      'fround',
      'hypot',
      'random',
    ]),
  ],
]);

/** Binary operators whose result is a number (`+` may join strings, so it is left to the evaluation). */
const NUMBER_OPERATORS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.AsteriskToken,
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.PercentToken,
  ts.SyntaxKind.AsteriskAsteriskToken,
]);

/**
 * Whether an argument of an API that tells a status from a body by its run-time type (Express 4's
 * `res.send(status, body)` / `res.json(body, status)`, restify's `res.send(code, body)`, lambda-api's
 * `res.error(code, message)`, claudia-api-builder's `{ success: code }`) is a number, as far as its spelling
 * shows: a numeric literal or status constant (`FileAnalysis.isNumeric`); a conversion (`Number(x)`,
 * `parseInt(x, 10)`, `parseFloat(x)`, unary `+x` / `-x`); arithmetic other than `+`; a conditional or `??` / `||`
 * with a branch that is a number and none that is a string, object or array literal (`ok ? 200 : 403`,
 * `err.status ?? 403`); or an expression the status evaluation reads as 403 or as another known status
 * (`400 + 3`, a constant of the file or an import); since session 36 a status table read by a run-time key
 * (`StatusCodes[key]`) and a helper's parameter declared `number` (or numeric literal types); since session 37
 * the global `Number.parseInt` / `Number.parseFloat` / `Math` functions and a comma expression's last operand. A
 * string, template,
 * object or array literal is never one
 * (express and restify send it as the body). False when the spelling does not tell (a call, an `await`): the
 * argument is then the body, as those APIs treat a non-number.
 */
export function numericArgument(analysis: FileAnalysis, expression: ts.Expression): boolean {
  // Casts only: a conversion (`Number(x)`, `+x`, `parseInt(x, 10)`) is what makes a number of a value whose
  // spelling does not tell (`req.params.code`), so it must be seen, not looked through as skipOuter does.
  const node = skipCasts(expression);
  if (isBodyLiteral(node)) return false;
  // `res.send(httpStatus[403])`: the text a status table holds for 403, a body (session 49).
  if (analysis.isForbiddenNameRead(node)) return false;
  if (analysis.isNumeric(node)) return true;
  if (ts.isPrefixUnaryExpression(node))
    return node.operator === ts.SyntaxKind.PlusToken || node.operator === ts.SyntaxKind.MinusToken;
  if (ts.isCallExpression(node)) return isNumberCall(analysis, skipOuter(node.expression));
  // `(log(), 403)`: a comma expression is its last operand.
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.CommaToken)
    return numericArgument(analysis, node.right);
  const branches = alternatives(node);
  if (branches)
    return (
      branches.some((b) => numericArgument(analysis, b)) && !branches.some((b) => isBodyLiteral(skipOuter(b)))
    );
  if (ts.isBinaryExpression(node) && NUMBER_OPERATORS.has(node.operatorToken.kind)) return true;
  const evaluation = analysis.evaluate(node);
  if (evaluation.kind === 'forbidden' || evaluation.kind === 'static') return true;
  // `res.send(StatusCodes[key], body)`: a status table that answers 403 for some key, read by a run-time key.
  if (evaluation.kind === 'dynamic' && evaluation.why !== undefined && ts.isElementAccessExpression(node))
    return true;
  // `(code: number) => res.send(code, body)`: a helper's parameter declared a number (or numeric literals).
  return (
    evaluation.kind === 'param' &&
    evaluation.property === undefined &&
    isNumberType(evaluation.fn.parameters[evaluation.index]?.type, evaluation.fn)
  );
}

/**
 * `Number(x)`, `parseInt(x)`, `parseFloat(x)`, `Number.parseInt(x)`, `Math.max(…)` and the other `Math`
 * functions, each the global (not a name the file imports or declares).
 */
function isNumberCall(analysis: FileAnalysis, callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) return NUMBER_CALLS.has(callee.text) && !analysis.importOf(callee.text);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const owner = skipOuter(callee.expression);
  return (
    ts.isIdentifier(owner) &&
    NUMBER_MEMBERS.get(owner.text)?.has(callee.name.text) === true &&
    !analysis.importOf(owner.text)
  );
}

/**
 * Whether `candidate`, an argument whose spelling does not tell a number (a helper's call, an `await`, a member
 * read), is still the status of a two-argument legacy call because of what stands beside it: `other` is a body
 * literal (a string, template, object or array: a body, never a status nor restify's headers when it is a string
 * or array) and `candidate` is not, and a 403 is written inside `candidate` (`res.send(pick({ status: 403 }),
 * { error })`, `res.error(codeOf([403, m]), 'no')`) or `candidate` is a helper's parameter. Such a call was
 * counted as two bodies, the 403 silent (or, at a helper's caller, an unknown shape); as the status, the
 * evaluation rewrites it, links it to the callers, or names it as dynamic.
 */
export function statusBesideBody(
  analysis: FileAnalysis,
  candidate: ts.Expression,
  other: ts.Expression,
): boolean {
  const node = skipOuter(candidate);
  if (!isBodyLiteral(skipOuter(other)) || isBodyLiteral(node)) return false;
  if (writes403(node)) return true;
  // A helper's parameter (`function deny(res, code) { res.send(code, { error }) }`, `opts.status` of an
  // options parameter): the status its callers pass, linked to their 403 as a shared helper's is. Not a
  // parameter of a function handed to a call (a route handler's `req.params`: what the client sent).
  const evaluation = analysis.evaluate(node);
  if (evaluation.kind !== 'param') return false;
  const holder = evaluation.fn.parent;
  return !(ts.isCallExpression(holder) && holder.arguments.some((a) => a === evaluation.fn));
}

/** A `403` (or `403n`) literal anywhere in `node`, functions written inside it excepted. */
function writes403(node: ts.Node): boolean {
  if (ts.isNumericLiteral(node)) return Number(node.text) === 403;
  if (ts.isBigIntLiteral(node)) return node.text === '403n';
  if (ts.isFunctionLike(node)) return false;
  return ts.forEachChild(node, (child) => (writes403(child) ? true : undefined)) ?? false;
}

/**
 * `number`, a numeric literal type (`403`) or a union of those (`403 | 404`, `number | undefined`), or a type
 * parameter of `fn` constrained to one (`<T extends number>(code: T)`).
 */
function isNumberType(type: ts.TypeNode | undefined, fn?: ts.SignatureDeclarationBase): boolean {
  if (!type) return false;
  if (type.kind === ts.SyntaxKind.NumberKeyword) return true;
  if (ts.isLiteralTypeNode(type)) return ts.isNumericLiteral(type.literal);
  if (ts.isParenthesizedTypeNode(type)) return isNumberType(type.type, fn);
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && !type.typeArguments) {
    const name = type.typeName.text;
    const parameter = fn?.typeParameters?.find((p) => p.name.text === name);
    return isNumberType(parameter?.constraint);
  }
  if (!ts.isUnionTypeNode(type)) return false;
  const kinds = type.types.filter(
    (t) =>
      t.kind !== ts.SyntaxKind.UndefinedKeyword &&
      !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword),
  );
  return kinds.length > 0 && kinds.every((t) => isNumberType(t, fn));
}

/** The two values a conditional or a `??` / `||` may give, or undefined for any other expression. */
function alternatives(node: ts.Expression): ts.Expression[] | undefined {
  if (ts.isConditionalExpression(node)) return [node.whenTrue, node.whenFalse];
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  )
    return [node.left, node.right];
  return undefined;
}

/** A literal that is sent as a body: a string, a template, an object or an array. */
function isBodyLiteral(node: ts.Expression): boolean {
  return (
    ts.isStringLiteral(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    ts.isTemplateExpression(node) ||
    ts.isObjectLiteralExpression(node) ||
    ts.isArrayLiteralExpression(node)
  );
}
