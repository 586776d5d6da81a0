import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withMtlsStreamGuard } from '../../src/runtime/index.js';
import { makePki, serverTlsOptions, type TestPki } from '../helpers/tls.js';

/**
 * A Node http2 core-API server (`server.on('stream')`) over real mutual TLS on 127.0.0.1: `/respond` answers 403 with
 * `stream.respond`, `/file` with `respondWithFile`, `/fd` with `respondWithFD`, `/ok` 200. A client with a
 * certificate the server verified gets the agreed status; one without gets the 403 as it was.
 */
let pki: TestPki;
let server: http2.Http2SecureServer;
let port: number;

beforeAll(async () => {
  pki = makePki();
  const { mkdtempSync, writeFileSync, openSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const folder = mkdtempSync(path.join(tmpdir(), 'mtls-fix-stream-'));
  const page = path.join(folder, 'denied.txt');
  writeFileSync(page, 'denied-file');
  server = http2.createSecureServer({ ...serverTlsOptions(pki), allowHTTP1: false });
  server.on(
    'stream',
    withMtlsStreamGuard(
      (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => {
        const where = headers[':path'];
        if (where === '/respond') {
          stream.respond({ ':status': 403, 'x-kept': 'yes' });
          stream.end('denied');
        } else if (where === '/file') stream.respondWithFile(page, { ':status': '403' });
        else if (where === '/fd') stream.respondWithFD(openSync(page, 'r'), { ':status': 403 });
        else {
          stream.respond({ ':status': 200 });
          stream.end('ok');
        }
      },
      { status: 401, wwwAuthenticate: 'Bearer' },
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function get(
  where: string,
  identity?: { cert: string; key: string },
): Promise<{ status: number; challenge: unknown; kept: unknown; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`https://127.0.0.1:${port}`, { ca: pki.ca, ...identity });
    session.on('error', reject);
    const stream = session.request({ ':path': where });
    let head: http2.IncomingHttpHeaders = {};
    let body = '';
    stream.on('response', (headers) => (head = headers));
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (body += chunk));
    stream.on('end', () => {
      session.close();
      resolve({
        status: Number(head[':status']),
        challenge: head['www-authenticate'],
        kept: head['x-kept'],
        body,
      });
    });
    stream.on('error', reject);
  });
}

describe('withMtlsStreamGuard: http2 core streams over real mutual TLS', () => {
  it.each([
    ['/respond', 'denied', 'yes'],
    ['/file', 'denied-file', undefined],
    ['/fd', 'denied-file', undefined],
  ])(
    '%s: 401 with the challenge for a client certificate, the 403 as it was without one',
    async (where, body, kept) => {
      expect(await get(where, pki.client)).toEqual({ status: 401, challenge: 'Bearer', kept, body });
      expect(await get(where)).toEqual({ status: 403, challenge: undefined, kept, body });
    },
  );

  it('other statuses pass through', async () => {
    expect(await get('/ok', pki.client)).toMatchObject({ status: 200, body: 'ok' });
  });
});
