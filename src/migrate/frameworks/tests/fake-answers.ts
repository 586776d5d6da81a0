import { isOuter } from '../../analysis/syntax.js';
import ts from '../../../typescript.cjs';
import { isFunctionLike, type FunctionLike } from '../../scope.js';

// What a fake a test hands over answers: the objects the functions among a call's arguments return (Session 47,
// tests47). `upstream.check.mockImplementationOnce(async () => ({ status: 403 }))`, `sinon.stub(x, 'check')
// .callsFake(async () => ({ status: 403 }))`, `rewiremock('./upstream').with({ check: async () => ({ status: 403 }) })`,
// `jest.mock('./upstream', () => ({ check: () => ({ status: 403 }) }))`: each `{ status: 403 }` is the fake's own
// answer, as the object `mockResolvedValueOnce({ status: 403 })` hands over is, never a response of the server.

/** How deep {@link fakeAnswers} looks through functions and object literals nested in an argument. */
const MAX_DEPTH = 4;

/**
 * The object literals a call's argument makes its fakes answer: the expressions returned by a function it is
 * (an arrow's body, each `return` of a block body, not those of functions nested inside), looked through
 * parentheses, `as`, `await` and `async`; and, for an object literal (a module's stand-in), what its members'
 * functions return (`{ check: async () => ({ status: 403 }) }`, `{ check() { return { status: 403 }; } }`),
 * nested up to {@link MAX_DEPTH} levels. A call among them (`Promise.resolve({ status: 403 })`, `jest.fn(fn)`) is
 * left to the reading of that call's own arguments.
 *
 * @param argument an argument of a call that asserts nothing.
 * @returns the object literals, outermost first; empty when the argument holds no function.
 */
export function fakeAnswers(argument: ts.Expression): ts.ObjectLiteralExpression[] {
  const out: ts.ObjectLiteralExpression[] = [];
  const fromValue = (value: ts.Node, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    const node = unwrap(value);
    if (isFunctionLike(node)) {
      for (const returned of returnedValues(node)) {
        const answer = unwrap(returned);
        if (ts.isObjectLiteralExpression(answer)) out.push(answer);
        fromValue(answer, depth + 1);
      }
    } else if (ts.isObjectLiteralExpression(node)) {
      for (const member of node.properties) {
        if (ts.isPropertyAssignment(member)) fromValue(member.initializer, depth + 1);
        else if (ts.isMethodDeclaration(member)) fromValue(member, depth + 1);
      }
    }
  };
  fromValue(argument, 0);
  return out;
}

/** The expression inside parentheses, `as` / `satisfies` / `!` / `<T>` (syntax.ts `isOuter`) and `await`. */
function unwrap(node: ts.Node): ts.Node {
  let at = node;
  while (isOuter(at) || ts.isAwaitExpression(at)) at = at.expression;
  return at;
}

/** What a function returns: its concise body, or the value of each `return` of its own block body. */
function returnedValues(fn: FunctionLike): ts.Expression[] {
  const body = fn.body;
  if (!body) return [];
  if (!ts.isBlock(body)) return [body];
  const out: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) out.push(node.expression);
    node.forEachChild(visit);
  };
  body.forEachChild(visit);
  return out;
}
