import { resolveGuard, type MtlsGuardOptions } from './options.js';
import { remapResponse, type ResponseLike } from './response.js';
import { hasVerifiedClientCertificate, type RequestLike } from './signal.js';

/**
 * Express (4 and 5) and Connect middleware. Mount it first (`app.use(expressMtlsGuard())`) so it also covers
 * 403s from later middleware, routers and the final error handler (`next(createError(403))`).
 * @throws MtlsFixError at creation for invalid options or config.
 */
export function expressMtlsGuard(
  options?: MtlsGuardOptions,
): (request: RequestLike, response: ResponseLike, next: (error?: unknown) => void) => void {
  const guard = resolveGuard(options);
  return function mtlsGuard(request, response, next) {
    if (hasVerifiedClientCertificate(request, guard)) remapResponse(response, guard);
    next();
  };
}
