import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** PEM files made with openssl in a temp folder: a CA, a server certificate and client certificates. */
export interface TestPki {
  dir: string;
  /** File paths, for proxies' config files. */
  files: {
    ca: string;
    serverCert: string;
    serverKey: string;
    /** Server certificate followed by its key (HAProxy's `crt`). */
    serverPem: string;
    clientCert: string;
    clientKey: string;
  };
  ca: string;
  serverCert: string;
  serverKey: string;
  client: { cert: string; key: string };
  /** A client certificate from another CA: presented, but not verified by the server. */
  stranger: { cert: string; key: string };
  cleanup(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string): void {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

function makeLeaf(dir: string, name: string, ca: string, extensions: string): void {
  openssl(dir, [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${name}`,
  ]);
  writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
  ]);
}

/** Makes the PKI (about 0.1 s); `cleanup()` removes the folder. */
export function makePki(): TestPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'mtls-fix-pki-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  makeLeaf(dir, 'server', 'ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  makeLeaf(dir, 'client', 'ca', 'extendedKeyUsage=clientAuth\n');
  makeLeaf(dir, 'stranger', 'other-ca', 'extendedKeyUsage=clientAuth\n');
  const read = (name: string): string => readFileSync(path.join(dir, name), 'utf8');
  writeFileSync(path.join(dir, 'server.pem'), read('server.crt') + read('server.key'));
  return {
    dir,
    files: {
      ca: path.join(dir, 'ca.crt'),
      serverCert: path.join(dir, 'server.crt'),
      serverKey: path.join(dir, 'server.key'),
      serverPem: path.join(dir, 'server.pem'),
      clientCert: path.join(dir, 'client.crt'),
      clientKey: path.join(dir, 'client.key'),
    },
    ca: read('ca.crt'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    client: { cert: read('client.crt'), key: read('client.key') },
    stranger: { cert: read('stranger.crt'), key: read('stranger.key') },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Server TLS options: ask for a client certificate, verify it against the CA, let clients without one in. */
export function serverTlsOptions(pki: TestPki): https.ServerOptions {
  return {
    key: pki.serverKey,
    cert: pki.serverCert,
    ca: pki.ca,
    requestCert: true,
    rejectUnauthorized: false,
  };
}

export interface TestResponse {
  status: number;
  statusText: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request on a fresh connection (no agent), presenting `identity` when given. */
export function request(
  pki: TestPki,
  port: number,
  options: { path?: string; method?: string; identity?: { cert: string; key: string }; body?: string } = {},
): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        path: options.path ?? '/',
        method: options.method ?? 'GET',
        ca: pki.ca,
        // A name, as real clients send: Caddy answers 421 when Host and TLS server name disagree.
        servername: 'localhost',
        headers: { host: `localhost:${port}` },
        cert: options.identity?.cert,
        key: options.identity?.key,
        agent: false,
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`request to 127.0.0.1:${port} timed out`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A port that was free a moment ago (for programs that need a port number in their config file). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
