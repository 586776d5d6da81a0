import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 31 (breaker31 #03): every JavaScript / TypeScript server start that can ask for a client certificate is
 * either a finding or named under "Not read" with its line. Before, Bun (`Bun.serve({ tls: { requestCert } })`,
 * Hono's default-export server, Elysia's `.listen({ tls })`), `new https.Server(...)`, `@hono/node-server`
 * `serverOptions` and uWebSockets.js `SSLApp({ ca_file_name })` read as "No mTLS termination found", and a
 * `requestCert` detect could not tie to a server was passed over. Each row: the file, then the finding expected
 * (`line mode`) or the "Not read" line expected, counted by reading the text.
 */
const SCENARIOS: Record<string, { code: string; finding?: string; notRead?: number }> = {
  'Bun.serve tls requestCert': {
    code: "Bun.serve({\n  port: 8443,\n  tls: { key, cert, ca, requestCert: true, rejectUnauthorized: true },\n  fetch: () => new Response('x'),\n});\n",
    finding: '3 required',
  },
  'Bun.serve tls requestCert, rejectUnauthorized: false': {
    code: 'Bun.serve({ fetch, tls: { key, cert, requestCert: true, rejectUnauthorized: false } });\n',
    finding: '1 optional',
  },
  "serve imported from 'bun'": {
    code: "import { serve } from 'bun';\nserve({ fetch, tls: { key, cert, requestCert: true } });\n",
    finding: '2 required',
  },
  'Bun.serve with its tls options in a variable': {
    code: 'const mtls = { key, cert, requestCert: true };\nBun.serve({ fetch, tls: mtls });\n',
    finding: '1 required',
  },
  'Hono on Bun: export default { fetch, tls }': {
    code: "import { Hono } from 'hono';\nconst app = new Hono();\nexport default {\n  fetch: app.fetch,\n  tls: { key, cert, ca, requestCert: true },\n};\n",
    finding: '5 required',
  },
  'Elysia on Bun: .listen({ tls })': {
    code: "import { Elysia } from 'elysia';\nnew Elysia()\n  .get('/x', () => 'x')\n  .listen({ port: 8445, tls: { cert, key, ca, requestCert: true } });\n",
    finding: '4 required',
  },
  'new https.Server(options, app)': {
    code: "import https from 'node:https';\nnew https.Server({ key, cert, requestCert: true }, app).listen(443);\n",
    finding: '2 required',
  },
  '@hono/node-server serverOptions': {
    code: "import { serve } from '@hono/node-server';\nimport { createServer } from 'node:https';\nserve({ fetch: app.fetch, createServer, serverOptions: { key, cert, requestCert: true } });\n",
    finding: '3 required',
  },
  'uWebSockets.js SSLApp with ca_file_name': {
    code: "import uWS from 'uWebSockets.js';\nuWS\n  .SSLApp({ key_file_name: 'k.pem', cert_file_name: 'c.pem', ca_file_name: 'ca.pem' })\n  .listen(9001, () => {});\n",
    finding: '3 optional',
  },
  'a server TLSSocket: requestCert not tied to a server start detect reads': {
    code: "import tls from 'node:tls';\nnet.createServer((socket) => {\n  new tls.TLSSocket(socket, { isServer: true, requestCert: true });\n});\n",
    notRead: 3,
  },
  'Deno.serve with requestCert: named, not dropped': {
    code: 'Deno.serve({ cert, key, requestCert: true }, handler);\n',
    notRead: 1,
  },
};

describe('detect: JS/TS server starts that ask for a client certificate', () => {
  for (const [name, { code, finding, notRead }] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      const report = await detectMtls({ cwd: tempProject({ 'src/server.ts': code }) });
      expect(report.findings.map((entry) => `${entry.line} ${entry.mode}`)).toEqual(finding ? [finding] : []);
      expect(
        report.skipped.filter((skip) => skip.line !== undefined).map((skip) => `${skip.file}:${skip.line}`),
      ).toEqual(notRead ? [`src/server.ts:${notRead}`] : []);
    });
  }

  it('client options (an Agent, request options built for later) are not named', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'src/a.ts':
          "import { Agent } from 'node:https';\nexport const agent = new Agent({ requestCert: true });\n",
        'src/b.js':
          "this.options = { hostname: h, port: p, auth: 'u:p', rejectUnauthorized: false, requestCert: true, agent: false };\n",
      }),
    });
    expect(report.findings).toEqual([]);
    expect(report.skipped).toEqual([]);
  });

  it('requestCert: false and a Bun server without requestCert are neither', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'src/a.ts': 'Bun.serve({ fetch, tls: { key, cert, requestCert: false } });\n',
        'src/b.ts': 'export default { fetch, tls: { key, cert } };\n',
      }),
    });
    expect(report.findings).toEqual([]);
    expect(report.skipped).toEqual([]);
  });
});
