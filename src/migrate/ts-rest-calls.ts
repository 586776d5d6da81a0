import ts from '../typescript.cjs';

/** Members whose call implements the routes of the contract in its first argument: `s.router(contract, impl)`. */
const IMPLEMENTING_MEMBERS = new Set(['router', 'routerWithMiddleware']);
/** Functions of the ts-rest adapters that take a contract (or one route) and its implementation. */
const IMPLEMENTING_CALLS = new Set([
  'createNextRoute',
  'createNextRouter',
  'createNextHandler',
  'tsRestHandler',
  'createLambdaHandler',
  'fetchRequestHandler',
]);

/**
 * Whether a call implements ts-rest contract routes (https://ts-rest.com): `s.router(contract, impl)` and
 * `tsr.router(…)` of the server adapters, Nest's `tsRestHandler(route, fn)`, Next.js' `createNextRoute(contract,
 * impl)` and the like; its arguments after the first implement the routes. Not `c.router({ … }, { pathPrefix })`,
 * which makes a contract (its routes written in place).
 */
export function isTsRestImplementation(call: ts.CallExpression): boolean {
  if (call.arguments[0] && ts.isObjectLiteralExpression(call.arguments[0])) return false;
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee)) return IMPLEMENTING_MEMBERS.has(callee.name.text);
  return ts.isIdentifier(callee) && IMPLEMENTING_CALLS.has(callee.text);
}
