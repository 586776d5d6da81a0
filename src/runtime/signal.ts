import type { ResolvedGuard } from './options.js';

/** The parts of a TLS socket the guard reads (`tls.TLSSocket`, or HTTP/2's proxy of one). */
interface SocketLike {
  authorized?: boolean;
  getPeerCertificate?: (detailed?: boolean) => object | null;
}

/** The parts of a Node request the guard reads (`http.IncomingMessage` or `http2.Http2ServerRequest`). */
export interface RequestLike {
  socket?: unknown;
  headers: Record<string, string | string[] | undefined>;
  stream?: { session?: { socket?: unknown } };
}

/** One verdict per TLS connection: its handshake, and so its client certificate, does not change. */
const verdicts = new WeakMap<object, boolean>();

/**
 * Whether the client presented a certificate the server verified, in the order of the signal:
 * 1. the TLS socket: `socket.authorized` and a non-empty `getPeerCertificate()`;
 * 2. only when the guard names one (`trustHeader`), the header a TLS-terminating proxy sets.
 * A request without either is never touched.
 */
export function hasVerifiedClientCertificate(
  request: RequestLike | undefined,
  guard: ResolvedGuard,
): boolean {
  if (!request) return false;
  // HTTP/2 compat requests give one proxy per stream; the session's socket is one per connection.
  const socket = request.stream?.session?.socket ?? request.socket;
  if (typeof socket === 'object' && socket !== null && socketVerified(socket)) return true;
  return guard.trustHeader !== undefined && headerTrusted(request.headers, guard.trustHeader);
}

function socketVerified(socket: object): boolean {
  let verdict = verdicts.get(socket);
  if (verdict === undefined) {
    const tls = socket as SocketLike;
    verdict =
      tls.authorized === true &&
      typeof tls.getPeerCertificate === 'function' &&
      isNonEmpty(tls.getPeerCertificate(false));
    verdicts.set(socket, verdict);
  }
  return verdict;
}

/** A non-empty string, or an object with at least one own enumerable key (a peer certificate, a `clientCert`). */
export function isNonEmpty(value: unknown): boolean {
  if (typeof value === 'string') return value !== '';
  if (typeof value !== 'object' || value === null) return false;
  for (const _key in value) return true;
  return false;
}

/** `name` is lower-case (Node lower-cases incoming header names). */
export function headerTrusted(
  headers: Record<string, string | string[] | undefined> | undefined,
  trust: { name: string; value?: string },
): boolean {
  const raw = headers?.[trust.name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === '') return false;
  return trust.value === undefined || value === trust.value;
}
