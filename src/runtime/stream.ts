import { resolveGuard, type MtlsGuardOptions, type ResolvedGuard } from './options.js';
import { hasVerifiedClientCertificate } from './signal.js';

/**
 * A respond method of an http2 stream, as the guard sees it: any parameters (Node's own are narrower, and a
 * handler typed with `ServerHttp2Stream` must still fit).
 */
type RespondLike = (...args: never[]) => void;

/** The parts of an http2 `ServerHttp2Stream` the guard wraps: its session's socket and the three ways to respond. */
export interface StreamLike {
  session?: { socket?: unknown } | null;
  respond: RespondLike;
  respondWithFile?: RespondLike;
  respondWithFD?: RespondLike;
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

/** Where each respond method takes its headers (Node.js http2 `ServerHttp2Stream`). */
const HEADERS_AT = { respond: 0, respondWithFile: 1, respondWithFD: 1 } as const;

function remapStream(stream: StreamLike, guard: ResolvedGuard): void {
  for (const [method, at] of Object.entries(HEADERS_AT) as [keyof typeof HEADERS_AT, number][]) {
    const original = stream[method] as ((...args: unknown[]) => void) | undefined;
    if (typeof original !== 'function') continue;
    const wrapped = function (this: unknown, ...args: unknown[]): void {
      args[at] = remapped(args[at] as Record<string, unknown> | undefined, guard);
      original.apply(this, args);
    };
    stream[method] = wrapped;
  }
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
