import ts from '../../typescript.cjs';
import type { Framework } from './framework.js';

/**
 * routing-controllers `@Authorized(roles)` on an action or a controller: when the app's `authorizationChecker`
 * returns false for an action that requires roles, the driver throws `AccessDeniedError`, a `ForbiddenError`
 * (403); with no roles (`@Authorized()`, `@Authorized([])`) it throws `AuthorizationRequiredError` (401)
 * (routing-controllers src/driver/express/ExpressDriver.ts, koa/KoaDriver.ts `registerAction`). No 403 is
 * written in the project: each decorator with roles is an `Implicit 403` site. An error the checker throws is
 * answered with its own status, which the remap uses. Part of the `error-libraries` module (its id).
 */
export const routingControllersAuthorized: Framework = {
  id: 'error-libraries',
  title: 'routing-controllers @Authorized(roles) (implicit 403)',
  enablers: ['routing-controllers'],
  kinds: [ts.SyntaxKind.Decorator],
  visit(node, analysis) {
    if (analysis.options.testFile || !ts.isDecorator(node)) return;
    const call = node.expression;
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) return;
    const binding = analysis.importOf(call.expression.text);
    if (binding?.module !== 'routing-controllers' || binding.name !== 'Authorized') return;
    const roles = call.arguments[0];
    if (!roles || (ts.isArrayLiteralExpression(roles) && roles.elements.length === 0)) return;
    if (
      roles.kind === ts.SyntaxKind.UndefinedKeyword ||
      (ts.isIdentifier(roles) && roles.text === 'undefined')
    )
      return;
    const n = analysis.target;
    const error = n === 401 ? 'new UnauthorizedError()' : `new HttpError(${n})`;
    analysis.addSite({
      node,
      framework: 'error-libraries',
      manual: true,
      reason: `Implicit 403: routing-controllers answers 403 (AccessDeniedError, a ForbiddenError) when the authorizationChecker returns false for an action that requires roles (${node.getText(analysis.sourceFile)}). On mTLS routes throw ${error} from the authorizationChecker instead of returning false (an error it throws is answered with its own status), or map AccessDeniedError to ${n} in an error handler (defaultErrorHandler: false).`,
    });
  },
};
