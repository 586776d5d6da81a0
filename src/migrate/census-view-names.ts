import ts from '../typescript.cjs';

/** Methods whose first argument names a template (Express, Sails, Koa views, hapi vision, Fastify point-of-view). */
const RENDER_METHODS = new Set(['render', 'view', 'renderView', 'renderFile']);

/**
 * Whether a `'403'` string is the template a render call names (census kind `view-name`): `res.render('403')`
 * (Express), `res.view('403', { data }, cb)` (Sails), `ctx.render('403')` (koa-views), `h.view('403')` (hapi
 * vision), `reply.view('403')` (@fastify/view), Nest's `@Render('403')`. The page shown for a refusal, not the
 * status: the status of `res.status(403).render('403')` is its own site. Breaker50: Sails' generated
 * api/responses/forbidden.js (`res.view('403', …)`) and `res.status(403).view('403')` made one "a 403 in a shape
 * mtls-fix does not know" each, the second "a 403 inside a form this run rewrites … still answers 403".
 */
export function isViewName(node: ts.Node): boolean {
  let argument: ts.Node = node;
  while (ts.isParenthesizedExpression(argument.parent)) argument = argument.parent;
  const call = argument.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== argument) return false;
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee)) return RENDER_METHODS.has(callee.name.text);
  if (ts.isElementAccessExpression(callee))
    return (
      ts.isStringLiteralLike(callee.argumentExpression) && RENDER_METHODS.has(callee.argumentExpression.text)
    );
  return ts.isIdentifier(callee) && callee.text === 'Render' && ts.isDecorator(call.parent);
}
