import { resolveGuard, type MtlsGuardOptions } from './options.js';
import { remapResponse, type ResponseLike } from './response.js';
import { hasVerifiedClientCertificate, type RequestLike } from './signal.js';

/**
 * Wraps a Node request listener (`http`, `https`, `http2` compat): on a request that carries a verified client
 * certificate, a 403 about to be sent goes out as the agreed status. Other requests reach `listener` untouched.
 *
 * ```js
 * https.createServer({ key, cert, ca, requestCert: true }, withMtlsGuard(app)).listen(8443);
 * ```
 * @throws MtlsFixError at creation for invalid options or config (see {@link MtlsGuardOptions}).
 */
export function withMtlsGuard<
  Request extends RequestLike,
  Response extends ResponseLike,
  Rest extends unknown[],
>(
  listener: (request: Request, response: Response, ...rest: Rest) => unknown,
  options?: MtlsGuardOptions,
): (request: Request, response: Response, ...rest: Rest) => unknown {
  if (typeof listener !== 'function') {
    throw new TypeError('withMtlsGuard(listener, options?): listener must be a request listener function.');
  }
  const guard = resolveGuard(options);
  return function mtlsGuardedListener(this: unknown, request: Request, response: Response, ...rest: Rest) {
    if (hasVerifiedClientCertificate(request, guard)) remapResponse(response, guard);
    return listener.call(this, request, response, ...rest);
  };
}
