/**
 * The error codes, names and classes middleware packages give the 403 they pass on, as data (session 37): an error
 * handler that tests one of them (`err.code === 'EBADCSRFTOKEN'`, `err instanceof IpDeniedError`) instead of the
 * status remaps that package's 403 only, never another implicit 403 of the app (remaps-hooks.ts). Sources, each
 * package's README or code at its current major:
 * - csurf: `err.code === 'EBADCSRFTOKEN'` (README "Custom error handling"); csrf-csrf and csrf-sync: their
 *   `errorConfig.code` defaults to `'EBADCSRFTOKEN'`;
 * - @fastify/csrf-protection: `FST_CSRF_INVALID_TOKEN` (its `@fastify/error` definition, status 403);
 * - express-ipfilter: `IpDeniedError` (lib/deniedError.js: `this.status = this.statusCode = 403`; its README
 *   handles it with `if (err instanceof IpDeniedError) res.status(401)`);
 * - express-jwt-permissions: `permission_denied` (its `UnauthorizedError('permission_denied', …)`, status 403);
 * - express-oauth2-jwt-bearer: `InsufficientScopeError`, code `insufficient_scope` (status 403).
 * http-errors' `ForbiddenError` is left out: every package built on http-errors raises it (csurf, send's static
 * 403, fastify-guard), so it is no one package's mark; a test of it is read as no test of a 403.
 */
export interface PackageErrorCode {
  /** The code, `name` or class name a handler compares (`err.code === id`, `err.name === id`, `instanceof id`). */
  id: string;
  /** The packages whose 403 carries it. */
  modules: readonly string[];
}

export const PACKAGE_ERROR_CODES: readonly PackageErrorCode[] = [
  { id: 'EBADCSRFTOKEN', modules: ['csurf', 'csrf-csrf', 'csrf-sync'] },
  { id: 'FST_CSRF_INVALID_TOKEN', modules: ['@fastify/csrf-protection', 'fastify-csrf'] },
  { id: 'IpDeniedError', modules: ['express-ipfilter'] },
  { id: 'permission_denied', modules: ['express-jwt-permissions'] },
  { id: 'InsufficientScopeError', modules: ['express-oauth2-jwt-bearer'] },
  { id: 'insufficient_scope', modules: ['express-oauth2-jwt-bearer'] },
];

/** The table entry for a compared code or class name; undefined for any other. */
export function packageErrorCode(id: string): PackageErrorCode | undefined {
  return PACKAGE_ERROR_CODES.find((c) => c.id === id);
}
