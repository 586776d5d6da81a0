import { resolveGuard, type MtlsGuardOptions } from './options.js';
import { remapResponse, type ResponseLike } from './response.js';
import { hasVerifiedClientCertificate, type RequestLike } from './signal.js';

/**
 * Koa middleware. Mount it first (`app.use(koaMtlsGuard())`): it wraps the Node response, so it also covers
 * `ctx.throw(403)` answered by Koa's own error handler, which runs after every middleware has unwound.
 * @throws MtlsFixError at creation for invalid options or config.
 */
export function koaMtlsGuard(
  options?: MtlsGuardOptions,
): (context: { req: RequestLike; res: ResponseLike }, next: () => Promise<unknown>) => Promise<unknown> {
  const guard = resolveGuard(options);
  return function mtlsGuard(context, next) {
    if (hasVerifiedClientCertificate(context.req, guard)) remapResponse(context.res, guard);
    return next();
  };
}
