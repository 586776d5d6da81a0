/**
 * `mtls-fix/runtime`: a safety net inside the server for 403s the codemod cannot reach (framework-implicit ones,
 * vendor code). On a request whose client presented a verified TLS client certificate, a 403 about to be sent
 * goes out as the agreed status (401 by default); requests without one are never touched. iOS reports a 403 on
 * such a connection as NSURLErrorDomain -1206 (see the README). This module imports no web framework.
 */
export { withMtlsGuard } from './node.js';
export { withMtlsStreamGuard } from './stream.js';
export { expressMtlsGuard } from './express.js';
export { koaMtlsGuard } from './koa.js';
export { fastifyMtlsGuard } from './fastify.js';
export { honoMtlsGuard } from './hono.js';
export { lambdaMtlsGuard, type LambdaHandler } from './lambda.js';
export { MtlsGuardFilter, MtlsGuardInterceptor } from './nest.js';
export type { MtlsGuardOptions } from './options.js';
