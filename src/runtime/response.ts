import { STATUS_CODES } from 'node:http';
import type { ResolvedGuard } from './options.js';

/** The parts of a Node response the guard wraps (`http.ServerResponse` or `http2.Http2ServerResponse`). */
export interface ResponseLike {
  writeHead: (statusCode: number, ...rest: never[]) => unknown;
  statusMessage?: string;
  hasHeader(name: string): boolean;
  setHeader(name: string, value: string): unknown;
}

const FORBIDDEN_TEXT = STATUS_CODES[403];

/**
 * Makes this one response send the agreed status instead of 403. Every way Node sends a status line goes
 * through `writeHead`: an explicit call, or the implicit one `end()`/`write()`/`flushHeaders()` make from
 * `res.statusCode` (HTTP/1 `_implicitHeader`, HTTP/2 compat `end`). Body and other headers are left alone; a
 * `Forbidden` reason phrase becomes the new status's; `WWW-Authenticate` is added for 401 when configured and
 * the response has none.
 */
export function remapResponse(response: ResponseLike, guard: ResolvedGuard): void {
  const writeHead = response.writeHead;
  response.writeHead = function remappedWriteHead(
    this: ResponseLike,
    statusCode: number,
    ...rest: unknown[]
  ) {
    if (statusCode === 403) {
      statusCode = guard.status;
      // HTTP/2 has no reason phrase (its compat response warns when one is read): only HTTP/1 has one to fix.
      if (rest[0] === FORBIDDEN_TEXT) rest[0] = guard.statusText;
      else if (!('stream' in this) && this.statusMessage === FORBIDDEN_TEXT)
        this.statusMessage = guard.statusText;
      if (guard.wwwAuthenticate !== undefined && !hasChallenge(this, rest)) {
        this.setHeader('WWW-Authenticate', guard.wwwAuthenticate);
      }
    }
    return writeHead.call(this, statusCode, ...(rest as never[]));
  };
}

/** A challenge set before, or passed to writeHead as an object or a flat `[name, value, ...]` array. */
function hasChallenge(response: ResponseLike, rest: unknown[]): boolean {
  if (response.hasHeader('www-authenticate')) return true;
  const headers = typeof rest[0] === 'string' ? rest[1] : rest[0];
  if (Array.isArray(headers)) {
    for (let index = 0; index < headers.length; index += 2) {
      if (String(headers[index]).toLowerCase() === 'www-authenticate') return true;
    }
    return false;
  }
  if (typeof headers !== 'object' || headers === null) return false;
  return Object.keys(headers).some((name) => name.toLowerCase() === 'www-authenticate');
}
