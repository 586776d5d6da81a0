import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectCheck } from '../../src/detect/check.js';
import { detectMtls } from '../../src/detect/index.js';
import { routeHosts } from '../../src/detect/sources/certificate-reads.js';

// Application code that reads a client certificate, or the edge's verdict on one, is an mTLS signal (breaker30
// #07: before session 30, a Cloudflare Worker reading request.cf.tlsClientAuth and Express code reading
// x-amzn-mtls-clientcert / x-forwarded-client-cert / ssl-client-verify read "No mTLS termination found", and
// `detect --check` exited 0). Each scenario's findings, "Not read" lines and --check exit are compared whole, so
// a false positive (a comment, a test file, a header that is set, a client's socket) fails as well.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function detect(files: Record<string, string>) {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-cert-reads-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  const report = await detectMtls({ cwd });
  return {
    findings: report.findings.map((f) => `${f.file}:${f.line} ${f.source} ${f.hosts.join(',') || '*'}`),
    unread: report.skipped.filter((s) => s.line !== undefined).map((s) => `${s.file}:${s.line}`),
    notChecked: report.forbiddenNotChecked,
    everywhere: report.proposal.mtls.everywhere,
    exit: detectCheck(report).exitCode,
  };
}

const WORKER = `export default {
  async fetch(request: Request): Promise<Response> {
    // the edge verified the client certificate; the Worker reads the verdict
    const tls = request.cf?.tlsClientAuth;
    if (!tls || tls.certVerified !== 'SUCCESS') return new Response('no', { status: 403 });
    return new Response('ok');
  },
};
`;

interface Scenario {
  files: Record<string, string>;
  findings: string[];
  unread?: string[];
  exit: 0 | 1;
}

const SCENARIOS: Record<string, Scenario> = {
  'Worker, wrangler.toml route table': {
    files: {
      'wrangler.toml': `name = "a"\nmain = "src/worker.ts"\nroutes = [ { pattern = "mtls.example.com/*", zone_name = "example.com" } ]\n`,
      'src/worker.ts': WORKER,
    },
    findings: ['src/worker.ts:4 cloudflare mtls.example.com'],
    exit: 1,
  },
  'Worker, wrangler.toml route string and [env.*] routes, zone-wide pattern': {
    files: {
      'wrangler.toml': `name = "a"\nroute = "api.example.com/*"\n# route = "old.example.com/*"\n[env.production]\nroutes = ["*bank.example/*", "x.bank.example/v1/*"]\n`,
      'worker/index.js': `export default { fetch(req) { const { tlsClientAuth: auth } = req.cf; return new Response(auth.certFingerprintSHA256); } };\n`,
    },
    findings: ['worker/index.js:1 cloudflare api.example.com,bank.example,*.bank.example,x.bank.example'],
    exit: 1,
  },
  'Worker, wrangler.jsonc with comments, custom domain': {
    files: {
      'app/wrangler.jsonc': `{\n  // mTLS host\n  "name": "a",\n  "routes": [{ "pattern": "certs.example.net", "custom_domain": true }],\n  "env": { "staging": { "route": "staging.example.net/*" } }\n}\n`,
      'app/src/index.ts': `export default { async fetch(r: Request) { if (r.cf?.tlsClientAuth?.certPresented !== '1') return new Response('', { status: 403 }); return new Response(''); } };\n`,
    },
    findings: ['app/src/index.ts:1 cloudflare certs.example.net,staging.example.net'],
    exit: 1,
  },
  // maesoser/OSCP-MTLS: Cloudflare forwards the certificate itself in cf-client-cert-der-base64.
  'Worker reading the certificate Cloudflare forwards': {
    files: {
      'wrangler.toml': `routes = [\n  { pattern = "mtls-fw.\${DOMAIN}/ocsp", zone_name = "\${DOMAIN}" },\n]\n`,
      'index.js': `export default { async fetch(request) {\n  const der = request.headers.get('cf-client-cert-der-base64');\n  return fetch(request);\n} };\n`,
    },
    findings: ['index.js:2 cloudflare mtls-fw.${DOMAIN}'],
    exit: 1,
  },
  'Worker without a wrangler configuration: every host': {
    files: { 'src/worker.ts': WORKER },
    findings: ['src/worker.ts:4 cloudflare *'],
    exit: 1,
  },
  'forwarded certificate headers, every framework spelling': {
    files: {
      'express.js': `app.use((req, res, next) => {\n  if (!req.get('X-Amzn-Mtls-Clientcert')) return res.sendStatus(403);\n  next();\n});\n`,
      'express-header.js': `const v = (req) => req.header('ssl-client-verify') === 'SUCCESS';\n`,
      'express-headers.ts': `export const ok = (req: any) => Boolean(req.headers['x-forwarded-client-cert']);\n`,
      'fastify.ts': `fastify.addHook('onRequest', async (request, reply) => {\n  if (request.headers['x-ssl-client-verify'] !== 'SUCCESS') reply.code(403).send();\n});\n`,
      'koa.js': `app.use(async (ctx, next) => {\n  const cert = ctx.get('x-ssl-client-cert');\n  if (!cert) ctx.throw(403);\n  await next();\n});\n`,
      'koa-request.js': `module.exports = (ctx) => ctx.request.header['client-cert'];\n`,
      'hono.ts': `app.use(async (c, next) => {\n  if (!c.req.header('Client-Cert-Chain')) return c.text('no', 403);\n  await next();\n});\n`,
      'web.ts': `export async function GET(request: Request) {\n  return request.headers.get('x-arr-clientcert') ? new Response('ok') : new Response('no', { status: 403 });\n}\n`,
      'nest.ts': `@Controller()\nexport class C {\n  @Get()\n  get(@Headers('x-forwarded-client-cert') xfcc: string) { return xfcc; }\n}\n`,
      'constant.js': `const CERT_HEADER = 'x-amzn-mtls-clientcert-leaf';\nmodule.exports = (req) => req.headers[CERT_HEADER];\n`,
      'lambda.mjs': `export const handler = async (event) => {\n  if (!event.headers['x-amzn-mtls-clientcert-subject']) return { statusCode: 403 };\n};\n`,
    },
    findings: [
      'constant.js:2 node *',
      'express-header.js:1 node *',
      'express-headers.ts:1 node *',
      'express.js:2 node *',
      'fastify.ts:2 node *',
      'hono.ts:2 node *',
      'koa-request.js:1 node *',
      'koa.js:2 node *',
      'lambda.mjs:2 node *',
      'nest.ts:4 node *',
      'web.ts:2 node *',
    ],
    exit: 1,
  },
  "the request's TLS socket and API Gateway's Lambda event": {
    files: {
      'node.js': `app.get('/me', (req, res) => {\n  const cert = req.socket.getPeerCertificate();\n  res.json(cert.subject);\n});\n`,
      'authorized.js': `app.use((req, res, next) => (req.client.authorized ? next() : res.status(403).end()));\n`,
      'fastify-raw.ts': `fastify.get('/', async (request) => request.raw.socket.authorized);\n`,
      'koa-socket.js': `app.use(async (ctx) => { ctx.body = ctx.req.socket.getPeerCertificate(true); });\n`,
      'rest.ts': `export const handler = async (event: any) => ({ statusCode: event.requestContext.identity.clientCert ? 200 : 403 });\n`,
      'http-api.ts': `export const handler = async (event: any) => {\n  const cert = event.requestContext.authentication?.clientCert;\n  return { statusCode: cert ? 200 : 403 };\n};\n`,
    },
    findings: [
      'authorized.js:1 node *',
      'fastify-raw.ts:1 node *',
      'http-api.ts:2 node *',
      'koa-socket.js:1 node *',
      'node.js:2 node *',
      'rest.ts:1 node *',
    ],
    exit: 1,
  },
  'not reads: comments, test code, headers set or sent, a client socket, prose, other cf fields': {
    files: {
      'comment.js': `// the proxy sets x-forwarded-client-cert; request.cf.tlsClientAuth is not used here\nmodule.exports = () => 1;\n`,
      'test/auth.test.js': `it('x', async () => { await request(app).get('/').set('x-forwarded-client-cert', 'By=a').expect(403); req.headers['ssl-client-verify']; });\n`,
      '__tests__/worker.spec.ts': WORKER,
      'proxy.js': `headers.set('x-forwarded-client-cert', value);\nres.setHeader('x-ssl-client-verify', 'SUCCESS');\nreq.headers['client-cert'] = pem;\n`,
      'client.js': `await fetch(url, { headers: { 'client-cert': pem } });\nconst peer = res.socket.getPeerCertificate();\nconst ok = tlsSocket.authorized;\n`,
      'README.md': `Send the certificate in x-forwarded-client-cert; the Worker reads request.cf.tlsClientAuth.\n`,
      'geo.ts': `export default { fetch: (request: Request) => new Response(String(request.cf?.country)) };\n`,
      'tests/test_app.py': `def test_x(client):\n    client.get('/', headers={'x-forwarded-client-cert': 'By=a'})\n`,
      'app.py': `# reads x-forwarded-client-cert upstream\nprint('hi')\n`,
    },
    findings: [],
    exit: 0,
  },
  'other languages: named under Not read': {
    files: {
      'main.go': `func h(w http.ResponseWriter, r *http.Request) {\n\tif r.Header.Get("X-Forwarded-Client-Cert") == "" {\n\t\tw.WriteHeader(403)\n\t}\n}\n`,
      'tls.go': `func h(w http.ResponseWriter, r *http.Request) {\n\tcn := r.TLS.PeerCertificates[0].Subject.CommonName\n}\n`,
      'app.py': `@app.before_request\ndef check():\n    if request.headers.get('ssl-client-verify') != 'SUCCESS':\n        abort(403)\n`,
      'wsgi.py': `def app(environ, start):\n    cert = environ.get('HTTP_X_AMZN_MTLS_CLIENTCERT')\n`,
      'Filter.java': `class F {\n  void f(HttpServletRequest r) {\n    Object c = r.getAttribute("jakarta.servlet.request.X509Certificate");\n  }\n}\n`,
      'Cert.cs': `class C {\n  void M(HttpContext ctx) {\n    var cert = ctx.Connection.ClientCertificate;\n  }\n}\n`,
    },
    findings: [],
    unread: ['Cert.cs:3', 'Filter.java:3', 'app.py:3', 'main.go:2', 'tls.go:2', 'wsgi.py:2'],
    exit: 1,
  },
};

describe('detect: code that reads a client certificate', () => {
  it.each(Object.entries(SCENARIOS))('%s', async (_, scenario) => {
    const result = await detect(scenario.files);
    expect(result.findings.sort()).toEqual([...scenario.findings].sort());
    expect(result.unread.sort()).toEqual([...(scenario.unread ?? [])].sort());
    expect(result.exit).toBe(scenario.exit);
    // Its 403s are the application's own: not checked here, with the reason (review, or migrate).
    for (const finding of scenario.findings)
      expect(result.notChecked).toContain(
        `${finding.split(' ')[0]} ${finding.split(' ')[1]} (application code that reads a client certificate: its own 403s are for mtls-fix migrate)`,
      );
  });

  it('the breaker30 repro: a Worker routed on mtls.example.com and Express reading forwarded headers', async () => {
    const result = await detect({
      'wrangler.toml': `name = "accounts-api"\nmain = "src/worker.ts"\nroutes = [ { pattern = "mtls.example.com/*", zone_name = "example.com" } ]\n`,
      'src/worker.ts': WORKER,
      'src/express-forwarded-cert.js': `const express = require('express');\nconst app = express();\napp.use((req, res, next) => {\n  const cert = req.get('x-amzn-mtls-clientcert') || req.headers['x-forwarded-client-cert'] || req.headers['ssl-client-verify'];\n  if (!cert) return res.status(403).send('certificate required');\n  next();\n});\napp.listen(3000);\n`,
    });
    expect(result.findings).toEqual([
      'src/express-forwarded-cert.js:4 node *',
      'src/worker.ts:4 cloudflare mtls.example.com',
    ]);
    expect(result.everywhere).toBe(true);
    expect(result.exit).toBe(1);
  });
});

describe('routeHosts (Wrangler routes)', () => {
  it.each([
    ['route = "a.example.com/*"', ['a.example.com']],
    [
      'routes = [\n  "a.example.com/v1/*",\n  { pattern = "b.example.com", custom_domain = true },\n]',
      ['b.example.com', 'a.example.com'],
    ],
    ['"routes": ["https://c.example.com/*"]', ['c.example.com']],
    ['route = "*example.com/*"', ['example.com', '*.example.com']],
    ['# route = "gone.example.com/*"\nworkers_dev = true', []],
    // maesoser/OSCP-MTLS: a placeholder host in a route object, `${DOMAIN}` braces and all.
    [
      'routes = [\n  { pattern = "mtls-fw.${DOMAIN}/ocsp", zone_name = "${DOMAIN}" },\n]',
      ['mtls-fw.${DOMAIN}'],
    ],
    [
      '"routes": [{ "pattern": "a.example.com/*", "zone_name": "example.com" }, "b.example.com/*"]',
      ['a.example.com', 'b.example.com'],
    ],
  ])('%s', (text, hosts) => {
    expect(routeHosts(text)).toEqual(hosts);
  });
});
