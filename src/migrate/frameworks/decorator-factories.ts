import ts from '../../typescript.cjs';

/**
 * The form a call of a decorator factory (`HttpCode(403)`, `Returns(403).Description('x')`) is reported and
 * rewritten as: the `@` decorator it is written in, else the call itself. A factory called anywhere makes the
 * decorator it names, wherever it is applied: composed (`applyDecorators(Returns(403), Status(403))` of
 * @nestjs/common or @tsed/core, `useDecorators(…)`), returned by a project decorator (`export const Guarded = () =>
 * HttpCode(403)`), or applied by hand (`HttpCode(403)(target, key)`). Undefined for a call that is a link of a
 * longer chain (`Returns(403)` of `Returns(403).Description('x')`: the chain's outermost call is the form).
 */
export function decoratorForm(call: ts.CallExpression): ts.Decorator | ts.CallExpression | undefined {
  const up = call.parent;
  if (ts.isPropertyAccessExpression(up) && up.expression === call && ts.isCallExpression(up.parent))
    return undefined;
  return ts.isDecorator(up) ? up : call;
}
