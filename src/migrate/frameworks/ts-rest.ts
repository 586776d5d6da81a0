import { isOuter } from '../analysis/syntax.js';
import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { enclosingFunction } from '../scope.js';
import { isTsRestImplementation } from '../ts-rest-calls.js';
import type { Framework } from './framework.js';
import { responseKey, statusProperty } from './shared.js';

/** The ts-rest packages (https://ts-rest.com): the contract (`core`) and the server adapters. */
const TS_REST = [
  '@ts-rest/core',
  '@ts-rest/express',
  '@ts-rest/fastify',
  '@ts-rest/nest',
  '@ts-rest/next',
  '@ts-rest/serverless',
];

/** Types that say a function implements a contract route or returns its responses. */
const IMPLEMENTATION_TYPES =
  /\b(AppRouteImplementation|AppRouteQueryImplementation|AppRouteMutationImplementation|ServerInferResponses|RouterImplementation)\b/;

/**
 * ts-rest: the contract types what each route may answer, and a server implementation answers by returning
 * `{ status: 403, body }` (ts-rest docs, "Responses": the handler returns the status and body the contract
 * declares for it). Both change together, or the handler no longer type-checks against its contract:
 * - the `403` key of a contract route's `responses` (an object that also names its `method` and `path`, in a
 *   file using ts-rest) is renamed, with the phrases of its value (`responseKey`);
 * - `{ status: 403, body }` returned by a function that implements a route: a member of the implementation
 *   given to `s.router(contract, impl)` / `tsr.router(…)` (also inside `{ handler }` and nested routers), the
 *   function given to `tsRestHandler(route, fn)`, `createNextRoute(contract, impl)` and the like, or a function
 *   typed `AppRouteImplementation<…>`.
 * Runs before the generic result and declaration modules, which otherwise report these for review.
 */
export const tsRest: Framework = {
  id: 'ts-rest',
  title: 'ts-rest (contract responses, handler results)',
  enablers: TS_REST,
  kinds: [ts.SyntaxKind.PropertyAssignment, ts.SyntaxKind.ObjectLiteralExpression],
  visit(node, analysis) {
    if (!analysis.importsModule(...TS_REST)) return;
    if (ts.isPropertyAssignment(node)) {
      if (isContractResponse(node)) responseKey(analysis, node, 'ts-rest');
      return;
    }
    if (ts.isObjectLiteralExpression(node)) handlerResult(analysis, node);
  },
};

/** `responses: { 403: … }` of `{ method, path, responses }`. */
function isContractResponse(property: ts.PropertyAssignment): boolean {
  const responses = property.parent;
  const holder = responses.parent;
  if (!holder || !ts.isPropertyAssignment(holder) || keyOf(holder.name) !== 'responses') return false;
  const route = holder.parent;
  const keys = new Set(route.properties.map((p) => (p.name ? keyOf(p.name) : undefined)));
  return keys.has('method') && keys.has('path');
}

/** `return { status: 403, body }` (or an arrow's body) in a function that implements a contract route. */
function handlerResult(analysis: FileAnalysis, object: ts.ObjectLiteralExpression): void {
  const status = statusProperty(object, 'status');
  if (!status) return;
  let value: ts.Node = object;
  while (
    isOuter(value.parent) ||
    (ts.isConditionalExpression(value.parent) && value.parent.condition !== value)
  )
    value = value.parent;
  const parent = value.parent;
  const returned = ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === value);
  if (!returned) return;
  const fn = enclosingFunction(object);
  if (!fn || !implementsRoute(analysis, fn)) return;
  analysis.statusSlot(status.value, object, 'ts-rest');
}

/** Whether a function is a route implementation (see `tsRest`). */
function implementsRoute(analysis: FileAnalysis, fn: ts.Node): boolean {
  const typed = (node: ts.Node | undefined): boolean =>
    Boolean(
      node &&
      'type' in node &&
      node.type &&
      IMPLEMENTATION_TYPES.test((node.type as ts.Node).getText(analysis.sourceFile)),
    );
  if (typed(fn) || (ts.isVariableDeclaration(fn.parent) && typed(fn.parent))) return true;
  // Up through the implementation object: `name: fn`, `name() {}`, `{ handler: fn }`, nested routers.
  let at: ts.Node = fn;
  for (let depth = 0; depth < 6; depth++) {
    const parent = at.parent;
    if (!parent) return false;
    if (ts.isCallExpression(parent) && parent.arguments.indexOf(at as ts.Expression) >= 1) {
      return isTsRestImplementation(parent);
    }
    if (ts.isPropertyAssignment(parent) || ts.isObjectLiteralExpression(parent)) {
      at = parent;
      continue;
    }
    if (
      ts.isParenthesizedExpression(parent) ||
      ts.isAsExpression(parent) ||
      ts.isSatisfiesExpression(parent)
    ) {
      at = parent;
      continue;
    }
    return false;
  }
  return false;
}

function keyOf(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)
    ? name.text
    : undefined;
}
