import { resolveGuard, type MtlsGuardOptions } from './options.js';
import { hasVerifiedClientCertificate, headerTrusted, type RequestLike } from './signal.js';

/** The parts of a Hono context the middleware uses; `env.incoming` is the Node request under @hono/node-server. */
interface HonoContextLike {
  env?: unknown;
  req: { header(name: string): string | undefined };
  res: Response;
}

/**
 * Hono middleware: `app.use(honoMtlsGuard())`, registered first. After the handlers (and Hono's error handler,
 * for a thrown `HTTPException(403)`) have produced the response, a 403 to a client with a verified certificate is
 * replaced by the same body and headers with the agreed status. The TLS socket is read through the
 * @hono/node-server adapter (`c.env.incoming`); on other runtimes only `trustHeader` can signal a certificate.
 * @throws MtlsFixError at creation for invalid options or config.
 */
export function honoMtlsGuard(
  options?: MtlsGuardOptions,
): (context: HonoContextLike, next: () => Promise<void>) => Promise<void> {
  const guard = resolveGuard(options);
  return async function mtlsGuard(context, next) {
    await next();
    const response = context.res;
    if (response.status !== 403) return;
    const incoming = nodeRequest(context.env);
    const verified = incoming
      ? hasVerifiedClientCertificate(incoming, guard)
      : guard.trustHeader !== undefined &&
        headerTrusted(
          { [guard.trustHeader.name]: context.req.header(guard.trustHeader.name) },
          guard.trustHeader,
        );
    if (!verified) return;
    const headers = new Headers(response.headers);
    if (guard.wwwAuthenticate !== undefined && !headers.has('www-authenticate')) {
      headers.set('WWW-Authenticate', guard.wwwAuthenticate);
    }
    context.res = new Response(response.body, {
      status: guard.status,
      statusText: guard.statusText,
      headers,
    });
  };
}

function nodeRequest(env: unknown): RequestLike | undefined {
  if (typeof env !== 'object' || env === null) return undefined;
  const incoming = (env as { incoming?: unknown }).incoming;
  return typeof incoming === 'object' && incoming !== null && 'headers' in incoming
    ? (incoming as RequestLike)
    : undefined;
}
