import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';

/**
 * Error classes named for "forbidden" that libraries throw with no HTTP status of their own: a server answers them
 * with whatever its error handler maps them to (a 500 where nothing does), so the name is not an emit; the 403, if
 * any, is written where the error is handled (`if (err instanceof ForbiddenError) res.status(403)`, `throw new
 * ForbiddenException(…)`), and that is a site of its own.
 *
 * - @casl/ability `ForbiddenError` (`ForbiddenError.from(ability).throwUnlessCan(…)`): extends its own `NativeError`
 *   with `action`, `subject`, `field`, `subjectType` and no status (casl.js.org/v6/en/api/casl-ability#forbidden-error).
 * - oso's `ForbiddenError` (`await oso.authorize(actor, action, resource)`): `AuthorizationError` -> `OsoError` ->
 *   `Error`, a message and no status; oso's docs tell the app to answer it with a 403 of its own (the `oso`
 *   package's `errors.d.ts`; osohq/oso, languages/js/src/errors.ts).
 *
 * accesscontrol (`ac.can(role).readAny(…)` answers a `Permission` whose `granted` is a boolean) and casbin
 * (`await enforcer.enforce(sub, obj, act)` answers a boolean) have no error object for a denial: nothing of theirs
 * is named Forbidden.
 */
const STATUSLESS: readonly { module: string; name: string }[] = [
  { module: '@casl/ability', name: 'ForbiddenError' },
  { module: 'oso', name: 'ForbiddenError' },
];

/**
 * Whether `node` (an identifier the census found holding Forbidden, not its import specifier) refers to such a
 * class, through its import (under any local name), or as `casl.ForbiddenError` of a namespace import.
 */
export function namesStatuslessError(analysis: FileAnalysis, node: ts.Identifier): boolean {
  const binding = analysis.importOf(node.text);
  if (binding) return STATUSLESS.some((s) => s.module === binding.module && s.name === binding.name);
  const access = node.parent;
  if (!ts.isPropertyAccessExpression(access) || access.name !== node || !ts.isIdentifier(access.expression))
    return false;
  const namespace = analysis.importOf(access.expression.text);
  return (
    namespace?.name === '*' && STATUSLESS.some((s) => s.module === namespace.module && s.name === node.text)
  );
}

/** Whether `name` of `module` (as the module exports it) is such a class: `ForbiddenError` of `@casl/ability`. */
export function isStatuslessError(module: string, name: string): boolean {
  return STATUSLESS.some((s) => s.module === module && s.name === name);
}
