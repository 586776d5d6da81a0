import { resolveGuard, type MtlsGuardOptions, type ResolvedGuard } from './options.js';
import { headerTrusted, isNonEmpty } from './signal.js';

/**
 * The parts of a Lambda event the guard reads. API Gateway passes the client certificate of a custom domain with
 * mutual TLS to the integration (AWS, API Gateway Developer Guide, "Configuring mutual TLS authentication for a
 * REST API" / "... for an HTTP API"): REST APIs (payload 1.0) in `requestContext.identity.clientCert`, HTTP APIs
 * (payload 2.0) in `requestContext.authentication.clientCert`. An Application Load Balancer with mutual
 * authentication adds `X-Amzn-Mtls-Clientcert` (passthrough mode) or `X-Amzn-Mtls-Clientcert-Leaf` and its
 * siblings (verify mode) to the request headers (Elastic Load Balancing, "Mutual authentication with TLS").
 */
interface LambdaEventLike {
  requestContext?: {
    identity?: { clientCert?: unknown } | null;
    authentication?: { clientCert?: unknown } | null;
  } | null;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
}

/** An API Gateway proxy or ALB result: `statusCode` (number; ALB also takes a string), headers, body. */
interface LambdaResultLike {
  statusCode?: number | string;
  statusDescription?: string;
  headers?: Record<string, unknown>;
  multiValueHeaders?: Record<string, unknown>;
}

type Callback<R> = (error?: unknown, result?: R) => void;

/** A Lambda handler in either style the Node.js runtime runs: returning a promise, or calling `callback`. */
export type LambdaHandler<E, C, R> = (event: E, context: C, callback: Callback<R>) => Promise<R> | void;

/**
 * Wraps an AWS Lambda handler behind API Gateway (REST or HTTP API, proxy integration) or an ALB:
 * `export const handler = lambdaMtlsGuard(serverless(app))` or `lambdaMtlsGuard(async (event) => ...)`. When the
 * event shows a client certificate (see `LambdaEventLike`; or the `trustHeader` named), a result with
 * `statusCode` 403 is returned with the agreed status instead, the same body and headers, an ALB
 * `statusDescription` of the new status, and `WWW-Authenticate` when the status is 401, `wwwAuthenticate` is
 * configured and the result has none. Other events and results are returned as they are. Promise and callback
 * handlers both work; the wrapper answers in the handler's own style.
 * @throws MtlsFixError at creation for invalid options or config.
 */
export function lambdaMtlsGuard<E, C, R>(
  handler: LambdaHandler<E, C, R>,
  options?: MtlsGuardOptions,
): LambdaHandler<E, C, R> {
  const guard = resolveGuard(options);
  return function mtlsGuard(event, context, callback) {
    if (!clientCertificatePresented(event as LambdaEventLike, guard))
      return handler(event, context, callback);
    const remapped: Callback<R> = (error, result) =>
      callback(error, error ? result : remapResult(result, guard));
    const returned = handler(event, context, remapped);
    return isPromise<R>(returned) ? returned.then((result) => remapResult(result, guard)) : returned;
  };
}

/** Whether the event carries a client certificate API Gateway or an ALB verified, or the trusted header. */
export function clientCertificatePresented(
  event: LambdaEventLike | null | undefined,
  guard: ResolvedGuard,
): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const context = event.requestContext;
  if (isNonEmpty(context?.identity?.clientCert) || isNonEmpty(context?.authentication?.clientCert))
    return true;
  const headers = lowerCased(event);
  if (isNonEmpty(headers['x-amzn-mtls-clientcert']) || isNonEmpty(headers['x-amzn-mtls-clientcert-leaf']))
    return true;
  return guard.trustHeader !== undefined && headerTrusted(headers, guard.trustHeader);
}

/** The event's headers by lower-case name (`headers`, then `multiValueHeaders`' first values). */
function lowerCased(event: LambdaEventLike): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {}))
    if (Array.isArray(values)) out[name.toLowerCase()] = values[0];
  for (const [name, value] of Object.entries(event.headers ?? {}))
    if (typeof value === 'string') out[name.toLowerCase()] = value;
  return out;
}

function isPromise<R>(value: unknown): value is Promise<R> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** The result with the agreed status instead of 403; anything else as it is. */
function remapResult<R>(result: R, guard: ResolvedGuard): R {
  if (typeof result !== 'object' || result === null) return result;
  const response = result as LambdaResultLike;
  if (response.statusCode !== 403 && response.statusCode !== '403') return result;
  const next: LambdaResultLike = {
    ...response,
    statusCode: typeof response.statusCode === 'string' ? String(guard.status) : guard.status,
  };
  if (response.statusDescription !== undefined)
    next.statusDescription = `${guard.status} ${guard.statusText}`;
  if (guard.wwwAuthenticate !== undefined && !hasChallenge(response)) {
    if (response.multiValueHeaders && !response.headers)
      next.multiValueHeaders = { ...response.multiValueHeaders, 'WWW-Authenticate': [guard.wwwAuthenticate] };
    else next.headers = { ...response.headers, 'WWW-Authenticate': guard.wwwAuthenticate };
  }
  return next as R;
}

function hasChallenge(response: LambdaResultLike): boolean {
  return [response.headers, response.multiValueHeaders].some(
    (headers) => !!headers && Object.keys(headers).some((name) => name.toLowerCase() === 'www-authenticate'),
  );
}
