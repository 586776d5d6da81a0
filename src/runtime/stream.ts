import { resolveGuard, type MtlsGuardOptions, type ResolvedGuard } from './options.js';
import { hasVerifiedClientCertificate } from './signal.js';

/** The parts of an http2 `ServerHttp2Stream` the guard wraps: its session's socket and the three ways to respond. */
export interface StreamLike {
  session?: { socket?: unknown } | null;
  respond: (headers?: Record<string, unknown>, options?: unknown) => void;
  respondWithFile?: (path: string, headers?: Record<string, unknown>, options?: unknown) => void;
  respondWithFD?: (fd: unknown, headers?: Record<string, unknown>, options?: unknown) => void;
}

/** Node's http2 `stream` event arguments after the stream: the request headers, flags, raw headers. */
type StreamRest = unknown[];

/**
 * Wraps a Node http2 core-API stream handler (`server.on('stream', withMtlsStreamGuard(handler))`): on a stream
 * whose connection presented a client certificate the server verified (or carries the `trustHeader` named), a
 * `:status` of 403 given to `stream.respond(headers)`, `respondWithFile(path, headers)` or `respondWithFD(fd,
 * headers)` goes out as the agreed status, with `www-authenticate` added for 401 when configured and absent. The
 * headers object is copied, never changed. Other streams reach `handler` untouched.
 * @throws MtlsFixError at creation for invalid options or config.
 */
export function withMtlsStreamGuard<Stream extends StreamLike, Rest extends StreamRest>(
  handler: (stream: Stream, ...rest: Rest) => unknown,
  options?: MtlsGuardOptions,
): (stream: Stream, ...rest: Rest) => unknown {
  if (typeof handler !== 'function') {
    throw new TypeError('withMtlsStreamGuard(handler, options?): handler must be a stream handler function.');
  }
  const guard = resolveGuard(options);
  return function mtlsGuardedStream(this: unknown, stream: Stream, ...rest: Rest) {
    const requestHeaders = (rest[0] ?? {}) as Record<string, string | string[] | undefined>;
    if (hasVerifiedClientCertificate({ socket: stream.session?.socket, headers: requestHeaders }, guard))
      remapStream(stream, guard);
    return handler.call(this, stream, ...rest);
  };
}

function remapStream(stream: StreamLike, guard: ResolvedGuard): void {
  const respond = stream.respond;
  stream.respond = function (headers, ...more) {
    return respond.call(this, remapped(headers, guard), ...more);
  };
  const withFile = stream.respondWithFile;
  if (withFile)
    stream.respondWithFile = function (path, headers, ...more) {
      return withFile.call(this, path, remapped(headers, guard), ...more);
    };
  const withFd = stream.respondWithFD;
  if (withFd)
    stream.respondWithFD = function (fd, headers, ...more) {
      return withFd.call(this, fd, remapped(headers, guard), ...more);
    };
}

/** A copy of `headers` with the agreed status when `:status` is 403 (number or string); else `headers` itself. */
function remapped(
  headers: Record<string, unknown> | undefined,
  guard: ResolvedGuard,
): Record<string, unknown> | undefined {
  const status = headers?.[':status'];
  if (status !== 403 && status !== '403') return headers;
  const next: Record<string, unknown> = { ...headers, ':status': guard.status };
  if (
    guard.wwwAuthenticate !== undefined &&
    !Object.keys(next).some((name) => name.toLowerCase() === 'www-authenticate')
  )
    next['www-authenticate'] = guard.wwwAuthenticate;
  return next;
}
