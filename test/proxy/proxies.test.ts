import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { freePort, makePki, request, type TestPki } from '../helpers/tls.js';
import { requireTool, toolUnavailable } from '../helpers/tools.js';

/**
 * Each proxy, started for real with client-certificate verification and the generated config, in front of an
 * upstream that answers 403 on every route. Under CI=true a proxy that cannot start fails the test; elsewhere
 * the test is skipped with the reason.
 */
const SPEC = `openapi: 3.1.0
info: { title: remap test, version: '1' }
servers:
  - url: https://api.example.com/v1
components:
  securitySchemes:
    clientCert: { type: mutualTLS }
paths:
  /accounts/{id}:
    get:
      security: [{ clientCert: [] }]
      responses: { '200': { description: ok } }
    delete:
      responses: { '200': { description: ok } }
  /accounts/me:
    get:
      responses: { '200': { description: ok } }
  /payments:
    post:
      security: [{ clientCert: [] }]
      responses: { '201': { description: ok } }
  /status:
    get:
      responses: { '200': { description: ok } }
`;

interface Upstream {
  port: number;
  /** `METHOD /path body` of every request the upstream received. */
  seen: string[];
  close(): Promise<void>;
}

function startUpstream(): Promise<Upstream> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${body}`.trim());
      res.writeHead(403, { 'content-type': 'text/plain', 'x-upstream': 'yes' });
      res.end(`upstream 403 for ${req.method} ${req.url}`);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        seen,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}

interface Target {
  binary: string;
  versionArgs: string[];
  /** Writes the surrounding config around the generated file; returns [check command, run command]. */
  setup(dir: string, pki: TestPki, port: number, generated: string): { check: string[]; run: string[] };
  /** Whether the remapped response keeps the upstream body. */
  keepsBody: boolean;
}

const targets: Record<string, Target> = {
  nginx: {
    binary: 'nginx',
    versionArgs: ['-v'],
    keepsBody: false,
    setup(dir, pki, port, generated) {
      writeFileSync(path.join(dir, 'mtls-fix.conf'), generated);
      for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(path.join(dir, temp));
      writeFileSync(
        path.join(dir, 'nginx.conf'),
        `worker_processes 1;
pid ${dir}/nginx.pid;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path ${dir}/body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    server {
        listen 127.0.0.1:${port} ssl;
        ssl_certificate ${pki.files.serverCert};
        ssl_certificate_key ${pki.files.serverKey};
        ssl_client_certificate ${pki.files.ca};
        ssl_verify_client optional;
        include ${dir}/mtls-fix.conf;
    }
}
`,
      );
      const base = ['-p', `${dir}/`, '-c', `${dir}/nginx.conf`, '-e', `${dir}/error.log`];
      return {
        check: ['nginx', '-t', ...base],
        run: ['nginx', ...base, '-g', 'daemon off; master_process off;'],
      };
    },
  },
  haproxy: {
    binary: 'haproxy',
    versionArgs: ['-v'],
    keepsBody: true,
    setup(dir, pki, port, generated) {
      writeFileSync(
        path.join(dir, 'haproxy.cfg'),
        `global
    maxconn 64
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend https_in
    bind 127.0.0.1:${port} ssl crt ${pki.files.serverPem} ca-file ${pki.files.ca} verify optional
    use_backend mtls_fix
${generated}`,
      );
      return {
        check: ['haproxy', '-c', '-f', `${dir}/haproxy.cfg`],
        run: ['haproxy', '-db', '-f', `${dir}/haproxy.cfg`],
      };
    },
  },
  caddy: {
    binary: 'caddy',
    versionArgs: ['version'],
    keepsBody: true,
    setup(dir, pki, port, generated) {
      writeFileSync(
        path.join(dir, 'Caddyfile'),
        `{
	admin off
	auto_https off
	storage file_system ${dir}/caddy-data
}
${generated}
https://localhost:${port} {
	bind 127.0.0.1
	tls ${pki.files.serverCert} ${pki.files.serverKey} {
		client_auth {
			mode verify_if_given
			trusted_ca_cert_file ${pki.files.ca}
		}
	}
	import mtls_fix
}
`,
      );
      const config = ['--config', `${dir}/Caddyfile`, '--adapter', 'caddyfile'];
      return { check: ['caddy', 'validate', ...config], run: ['caddy', 'run', ...config] };
    },
  },
};

/** The environment the proxies run with: their data and config folders inside the test folder. */
function proxyEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir };
}

function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null) {
        reject(new Error(`exited with ${child.exitCode} before listening:\n${output()}`));
        return;
      }
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`not listening on ${port} after 15 s:\n${output()}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

let pki: TestPki;
beforeAll(() => {
  pki = makePki();
});
afterAll(() => pki?.cleanup());

describe.each(Object.entries(targets))(
  'mtls-fix proxy --target %s in front of a 403 upstream',
  (name, target) => {
    let upstream: Upstream | undefined;
    let child: ChildProcess | undefined;
    let port = 0;
    let generated = '';
    let unavailable: string | undefined;
    let checkOutput = '';

    beforeAll(async () => {
      unavailable = toolUnavailable(target.binary, target.versionArgs);
      if (unavailable) return;
      upstream = await startUpstream();
      const dir = path.join(pki.dir, name);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'openapi.yaml'), SPEC);
      const cli = runCli(
        [
          'proxy',
          '--spec',
          'openapi.yaml',
          '--target',
          name,
          '--upstream',
          `http://127.0.0.1:${upstream.port}`,
          '--www-authenticate',
          'Bearer',
          '--output',
          'generated.conf',
        ],
        { cwd: dir },
      );
      if (cli.code !== 0) throw new Error(`mtls-fix proxy failed (${cli.code}): ${cli.stderr}`);
      generated = readFileSync(path.join(dir, 'generated.conf'), 'utf8');
      port = await freePort();
      const { check, run } = target.setup(dir, pki, port, generated);
      const checked = spawnSync(check[0], check.slice(1), {
        encoding: 'utf8',
        env: proxyEnv(dir),
        timeout: 30_000,
      });
      checkOutput = `${checked.stdout}${checked.stderr}`;
      if (checked.status !== 0) throw new Error(`${check.join(' ')} failed:\n${checkOutput}`);
      let output = '';
      child = spawn(run[0], run.slice(1), { env: proxyEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      try {
        await waitForPort(port, child, () => `${output}\n${readLog(dir)}`);
      } catch (error) {
        unavailable = `${target.binary} did not start: ${(error as Error).message}`;
      }
    });

    afterAll(async () => {
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child!.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await upstream?.close();
    });

    /** Fails under CI, skips with the reason elsewhere. */
    const requireProxy = (skip: (note?: string) => void): void =>
      requireTool(unavailable && `${name}: ${unavailable}`, skip);

    it('the generated config passes the proxy own check with a minimal surrounding config', ({ skip }) => {
      requireProxy(skip);
      expect(generated).toMatch(/^# mtls-fix proxy/);
      expect(checkOutput).not.toMatch(/\[emerg\]|\[ALERT\]|error:/i);
    });

    it('a client with a certificate gets 401 on mTLS operations and 403 on the others; without one, 403', async ({
      skip,
    }) => {
      requireProxy(skip);
      const before = upstream!.seen.length;
      const send = (method: string, urlPath: string, withCert: boolean, body?: string) =>
        request(pki, port, { method, path: urlPath, identity: withCert ? pki.client : undefined, body });

      const mtlsGet = await send('GET', '/v1/accounts/42', true);
      const mtlsPost = await send('POST', '/v1/payments', true, 'amount=10');
      const publicShadow = await send('GET', '/v1/accounts/me', true);
      const publicMethod = await send('DELETE', '/v1/accounts/42', true);
      const publicPath = await send('GET', '/v1/status', true);
      const noCert = await send('GET', '/v1/accounts/42', false);
      const noCertPost = await send('POST', '/v1/payments', false, 'amount=11');

      expect(mtlsGet.status).toBe(401);
      expect(mtlsGet.headers['www-authenticate']).toBe('Bearer');
      expect(mtlsPost.status).toBe(401);
      const passed = { publicShadow, publicMethod, publicPath, noCert, noCertPost };
      for (const [label, response] of Object.entries(passed)) {
        expect(response.status, label).toBe(403);
        expect(response.headers['x-upstream'], label).toBe('yes');
        expect(response.body, label).toMatch(/^upstream 403 for /);
        expect(response.headers['www-authenticate']).toBeUndefined();
      }
      if (target.keepsBody) {
        expect(mtlsGet.body).toBe('upstream 403 for GET /v1/accounts/42');
        expect(mtlsGet.headers['x-upstream']).toBe('yes');
        expect(mtlsPost.body).toBe('upstream 403 for POST /v1/payments');
      } else {
        expect(mtlsGet.body).not.toContain('upstream 403');
      }
      // Every request reached the upstream exactly once, the POST bodies included: nothing was replayed.
      expect(upstream!.seen.slice(before)).toEqual([
        'GET /v1/accounts/42',
        'POST /v1/payments amount=10',
        'GET /v1/accounts/me',
        'DELETE /v1/accounts/42',
        'GET /v1/status',
        'GET /v1/accounts/42',
        'POST /v1/payments amount=11',
      ]);
    });

    it('a certificate from another CA is not a verified one', async ({ skip }) => {
      requireProxy(skip);
      // nginx (optional) and Caddy (verify_if_given) reject the handshake; HAProxy (verify optional) too.
      const outcome = await request(pki, port, { path: '/v1/accounts/42', identity: pki.stranger }).then(
        (response) => response.status,
        () => 'rejected',
      );
      expect([403, 400, 'rejected']).toContain(outcome);
    });
  },
);

function readLog(dir: string): string {
  try {
    return readFileSync(path.join(dir, 'error.log'), 'utf8');
  } catch {
    return '';
  }
}
