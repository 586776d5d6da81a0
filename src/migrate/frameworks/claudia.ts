import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { numericArgument } from './numeric-arguments.js';
import { propertyOf } from './shared.js';

const CLAUDIA = ['claudia-api-builder'];

/** The route methods of a Claudia API Builder instance: `api.get(path, handler, options)`. */
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'any']);

/**
 * Claudia API Builder (a Lambda web framework, github.com/claudiajs/claudia-api-builder):
 * `new ApiBuilder.ApiResponse(body, headers, 403)` (also the named `ApiResponse`): the third argument is the status.
 * Returns whether the expression was Claudia's.
 */
export function claudiaResponse(analysis: FileAnalysis, node: ts.NewExpression): boolean {
  if (!analysis.resolvesTo(node.expression, CLAUDIA, 'ApiResponse')) return false;
  analysis.statusSlot(node.arguments?.[2], node, 'serverless');
  return true;
}

/**
 * A Claudia route's options, `api.get('/x', handler, { success: 201, error: 403 })` or `{ error: { code: 403 } }`:
 * `success` and `error` set the status the route answers with (a handler that throws gets the `error` one).
 */
export function claudiaRouteOptions(analysis: FileAnalysis, object: ts.ObjectLiteralExpression): void {
  const call = object.parent;
  if (
    !ts.isCallExpression(call) ||
    call.arguments[2] !== object ||
    !ts.isPropertyAccessExpression(call.expression) ||
    !ROUTE_METHODS.has(call.expression.name.text) ||
    !analysis.importsModule(...CLAUDIA)
  )
    return;
  for (const key of ['success', 'error']) {
    const property = propertyOf(object, key);
    if (!property) continue;
    const value = property.initializer;
    if (ts.isObjectLiteralExpression(value)) {
      const code = propertyOf(value, 'code');
      if (code) analysis.statusSlot(code.initializer, code, 'serverless');
    } else if (numericArgument(analysis, value)) analysis.statusSlot(value, property, 'serverless');
  }
}
