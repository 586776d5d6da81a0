import { calleeName } from '../census-syntax.js';
import ts from '../../typescript.cjs';
import type { FileImports } from './file-imports.js';
import { skipOuter } from './syntax.js';

/** tRPC's modules that export its code -> HTTP status mapping. */
const TRPC_MODULE = /^@trpc\/server(?:\/|$)/;

/** The functions of @trpc/server that map a TRPCError (or its code) to an HTTP status. */
const MAPPERS = new Set(['getHTTPStatusCodeFromError', 'getHTTPStatusCode', 'getStatusCodeFromKey']);

/**
 * Why a status slot's value answers 403 on some run: it is computed by tRPC's code-to-status mapping
 * (`getHTTPStatusCodeFromError(e)` from `@trpc/server/http`, directly or through a `const` of the enclosing
 * scope), whose table answers 403 for a TRPCError with code 'FORBIDDEN' (@trpc/server, JSONRPC2 / HTTP code
 * table `TRPC_ERROR_CODES_BY_KEY` -> `getHTTPStatusCodeFromError`; trpc.io docs "Error Handling", "HTTP status
 * codes"). The text is the `why` of a "Computed status" review item; undefined for any other expression.
 */
export function trpcStatusWhy(
  expression: ts.Expression,
  imports: FileImports,
  declarationOf: (name: string, from: ts.Node) => ts.Node | undefined,
): string | undefined {
  let node = skipOuter(expression);
  if (ts.isIdentifier(node)) {
    const declaration = declarationOf(node.text, node);
    if (
      !declaration ||
      !ts.isVariableDeclaration(declaration) ||
      !declaration.initializer ||
      !(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)
    )
      return undefined;
    node = skipOuter(declaration.initializer);
  }
  if (!ts.isCallExpression(node)) return undefined;
  const callee = skipOuter(node.expression);
  const name = calleeName(callee);
  if (!name || !MAPPERS.has(name)) return undefined;
  const root = ts.isIdentifier(callee)
    ? callee
    : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)
      ? callee.expression
      : undefined;
  const module = root ? imports.importOf(root.text)?.module : undefined;
  if (!module || !TRPC_MODULE.test(module)) return undefined;
  return `computed by tRPC's ${name}(…) (${module}), whose table answers 403 for a TRPCError with code 'FORBIDDEN'`;
}
