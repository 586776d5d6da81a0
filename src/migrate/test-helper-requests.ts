import ts from '../typescript.cjs';
import { nodeAt } from './routes/reach.js';
import { plusOperands, requestOf, type Resolve, type TestRequest } from './routes/requests.js';
import { isFunctionLike } from './scope.js';
import type { BindParameter } from './test-request-options.js';

// The request an assertion helper makes itself (`--include-tests`): `async function expectForbidden(path) {
// const res = await request(app).get(path); expect(res.status).toBe(403); }` called as
// `expectForbidden(`/api/users/${id}`)`. The call makes no request; the helper's own request, read with its
// parameters bound to that call's arguments, is the one its assertion checks. Syntax only.

/**
 * The request made before the assertion at `position` inside the helper function around it, each of the
 * helper's parameters read as the call's argument at its index: a static string, or a path whose parts known
 * only at run time are parameters (`` `/api/users/${id}` `` -> `/api/users/{p}`). Undefined when the helper
 * makes no request there, or a path argument starts with a part mtls-fix cannot read (an unknown prefix).
 *
 * @param sourceFile the helper's file
 * @param call one call of the helper (its arguments)
 * @param skip calls of the helper's file that are no request to the code (mocks of another service)
 * @param inHelper the static string of an expression of the helper's file
 * @param atCall the static string of an expression of the call's file
 */
export function helperOwnRequest(
  sourceFile: ts.SourceFile,
  position: number,
  call: ts.CallExpression,
  skip: (call: ts.CallExpression) => boolean,
  inHelper: Resolve,
  atCall: Resolve,
): TestRequest | undefined {
  const node = nodeAt(sourceFile, position);
  let fn: ts.Node | undefined = node?.parent;
  while (fn && !isFunctionLike(fn)) fn = fn.parent;
  if (!fn || !('parameters' in fn)) return undefined;
  const parameters = (fn as ts.SignatureDeclaration).parameters;
  const resolve: Resolve = (expression) => {
    // A value of the caller's own file (its options object, read through a parameter: `bind` below).
    if (expression.getSourceFile() !== sourceFile) return atCall(expression);
    const inner = unwrapped(expression);
    if (ts.isIdentifier(inner)) {
      const index = parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === inner.text);
      if (index >= 0) {
        const argument = call.arguments[index];
        return argument && !ts.isSpreadElement(argument) ? argumentText(argument, atCall) : undefined;
      }
    }
    return inHelper(expression);
  };
  // Request options handed in (`renderResponse(server, options)` with `server.inject(options)` inside): the
  // caller's argument, read where the call is made (test-request-options.ts).
  const bind: BindParameter = (parameter) => {
    const index = parameters.indexOf(parameter);
    const argument = index >= 0 ? call.arguments[index] : undefined;
    return argument && !ts.isSpreadElement(argument) ? { argument, at: call } : undefined;
  };
  const request = requestOf(sourceFile, position, skip, false, resolve, undefined, bind);
  // The app a helper of another file is handed is its caller's: the module scope of the test stands.
  return request && call.getSourceFile() !== sourceFile ? { ...request, call: undefined } : request;
}

/**
 * A call argument's text: a string, or a template / `+` chain whose parts read at run time are `{p}` (the
 * request reader's parameter). The leading part must be static (a literal or a resolved constant).
 */
function argumentText(argument: ts.Expression, resolve: Resolve): string | undefined {
  const node = unwrapped(argument);
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    let text = node.head.text;
    for (const [i, span] of node.templateSpans.entries()) {
      const value = resolve(span.expression);
      if (i === 0 && text === '' && value === undefined) return undefined;
      text += (value !== undefined && !/[?#]/.test(value) ? value : '{p}') + span.literal.text;
    }
    return text;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const parts = plusOperands(node, unwrapped);
    let text = '';
    for (const [i, part] of parts.entries()) {
      const value = ts.isStringLiteralLike(part) ? part.text : resolve(part);
      if (i === 0 && value === undefined) return undefined;
      text += value !== undefined && !/[?#]/.test(value) ? value : '{p}';
    }
    return text;
  }
  return resolve(node);
}

function unwrapped(expression: ts.Expression): ts.Expression {
  let node = expression;
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node))
    node = node.expression;
  return node;
}
