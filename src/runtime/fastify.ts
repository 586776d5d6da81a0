import { resolveGuard, type MtlsGuardOptions } from './options.js';
import { hasVerifiedClientCertificate, type RequestLike } from './signal.js';

/** The parts of Fastify the plugin uses. */
interface FastifyReplyLike {
  statusCode: number;
  code(statusCode: number): unknown;
  hasHeader(name: string): boolean;
  header(name: string, value: string): unknown;
}
interface FastifyInstanceLike {
  addHook(
    name: 'onSend',
    hook: (
      request: { raw: RequestLike },
      reply: FastifyReplyLike,
      payload: unknown,
      done: (error: Error | null, payload?: unknown) => void,
    ) => void,
  ): unknown;
}

type FastifyMtlsGuard = ((
  instance: FastifyInstanceLike,
  options: MtlsGuardOptions | undefined,
  done: (error?: Error) => void,
) => void) & { [key: symbol]: unknown };

/**
 * Fastify plugin: `await app.register(fastifyMtlsGuard, { status: 401 })`. It adds an `onSend` hook to the whole
 * application (it is not encapsulated: `skip-override`, as fastify-plugin marks it), which also sees replies from
 * the error handler and from `onRequest`/`preHandler` hooks. Replies sent with `reply.hijack()` are not seen.
 * @throws MtlsFixError at registration for invalid options or config.
 */
export const fastifyMtlsGuard: FastifyMtlsGuard = Object.assign(
  function mtlsFixGuard(
    instance: FastifyInstanceLike,
    options: MtlsGuardOptions | undefined,
    done: (error?: Error) => void,
  ): void {
    // Fastify passes register()'s options object, which may also carry its own keys (prefix, logLevel).
    const guard = resolveGuard({
      status: options?.status,
      wwwAuthenticate: options?.wwwAuthenticate,
      trustHeader: options?.trustHeader,
    });
    instance.addHook('onSend', function mtlsGuardOnSend(request, reply, payload, next) {
      if (reply.statusCode === 403 && hasVerifiedClientCertificate(request.raw, guard)) {
        reply.code(guard.status);
        if (guard.wwwAuthenticate !== undefined && !reply.hasHeader('www-authenticate')) {
          reply.header('WWW-Authenticate', guard.wwwAuthenticate);
        }
      }
      next(null, payload);
    });
    done();
  },
  {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'mtls-fix',
  },
);
