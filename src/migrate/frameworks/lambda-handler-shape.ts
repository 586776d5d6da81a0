import ts from '../../typescript.cjs';
import { exportNamesOf } from '../analysis/call-sites.js';
import type { FunctionLike } from '../scope.js';

/** Keys only an API Gateway / function URL / ALB event carries (never an Express, Koa or Fastify request). */
const EVENT_KEYS = new Set([
  'requestContext',
  'pathParameters',
  'queryStringParameters',
  'multiValueQueryStringParameters',
  'multiValueHeaders',
  'stageVariables',
  'httpMethod',
  'rawPath',
  'rawQueryString',
  'routeKey',
  'isBase64Encoded',
]);

/**
 * Whether an exported function has the shape of a Lambda handler, whatever it is exported as: its first parameter
 * is named `event` / `evt`, its name (or any name it is exported under) ends in `handler`, its second parameter is
 * `context` (`(event, context)`, `(e, context, callback)`), or it reads a key only an API Gateway event carries off
 * its first parameter (`req.requestContext`, `e.pathParameters`, `const { queryStringParameters } = x`). Before
 * session 50 every CommonJS `exports.X = (…) => …` was taken for a handler (`exports.util = (x) => ({ statusCode:
 * 403, body: x })` was rewritten), while its ES twin was reported.
 *
 * @param fn the function returning the result.
 * @param name its own name or its variable's ('' when none).
 */
export function lambdaHandlerShaped(fn: FunctionLike, name: string): boolean {
  const [first, second] = fn.parameters;
  const named = (p: ts.ParameterDeclaration | undefined, pattern: RegExp): boolean =>
    Boolean(p && ts.isIdentifier(p.name) && pattern.test(p.name.text));
  if (named(first, /^(event|evt)$/) || named(second, /^context$/)) return true;
  if ([name, ...exportNamesOf(fn), ...assignedNames(fn)].some((n) => /handler$/i.test(n))) return true;
  return Boolean(first && readsEventKeys(fn, first));
}

/** `exports.handler = fn`, `module.exports.main = fn`: the name the assignment gives (not covered by exportNamesOf). */
function assignedNames(fn: FunctionLike): string[] {
  let at: ts.Node = fn;
  while (ts.isParenthesizedExpression(at.parent)) at = at.parent;
  const parent = at.parent;
  return ts.isBinaryExpression(parent) && parent.right === at && ts.isPropertyAccessExpression(parent.left)
    ? [parent.left.name.text]
    : [];
}

/** Whether `fn` reads an API Gateway event key off its first parameter (a member read or a destructuring). */
function readsEventKeys(fn: FunctionLike, first: ts.ParameterDeclaration): boolean {
  if (ts.isObjectBindingPattern(first.name))
    return first.name.elements.some((e) => EVENT_KEYS.has((e.propertyName ?? e.name).getText()));
  if (!ts.isIdentifier(first.name) || !fn.body) return false;
  const param = first.name.text;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === param &&
      EVENT_KEYS.has(node.name.text)
    )
      found = true;
    else if (
      ts.isVariableDeclaration(node) &&
      ts.isObjectBindingPattern(node.name) &&
      node.initializer &&
      ts.isIdentifier(node.initializer) &&
      node.initializer.text === param &&
      node.name.elements.some((e) => EVENT_KEYS.has((e.propertyName ?? e.name).getText()))
    )
      found = true;
    else ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return found;
}
