import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { generateProxyConfig, parseUpstream } from '../../src/proxy/index.js';
import { runCli } from '../helpers/cli.js';

const folder = mkdtempSync(path.join(tmpdir(), 'mtls-fix-proxy-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let count = 0;
function routesOf(spec: string, overrides: Parameters<typeof resolveConfig>[1] = {}) {
  const file = `spec-${count++}.yaml`;
  writeFileSync(path.join(folder, file), spec);
  return generateProxyConfig({
    spec: file,
    target: 'nginx',
    upstream: 'http://127.0.0.1:8080',
    config: resolveConfig({}, overrides),
    cwd: folder,
  });
}

const HEAD = `openapi: 3.1.0
info: { title: t, version: '1' }
components: { securitySchemes: { cert: { type: mutualTLS }, oauth: { type: http, scheme: bearer } } }
`;

describe('proxy routes from the OpenAPI model', () => {
  it('remaps exactly the mTLS operations, with HEAD beside GET, base path applied and parameters as segments', () => {
    const result = routesOf(`${HEAD}servers: [{ url: 'https://api.example.com/open-banking/v3.1/' }]
paths:
  /accounts/{AccountId}/balances.json:
    get: { security: [{ cert: [] }], responses: { '200': { description: ok } } }
    post: { security: [{ oauth: [] }], responses: { '200': { description: ok } } }
  /public:
    get: { responses: { '200': { description: ok } } }
`);
    expect(result.mtlsOperationCount).toBe(1);
    expect(result.operationCount).toBe(3);
    expect(result.routes).toEqual([
      {
        template: '/open-banking/v3.1/accounts/{AccountId}/balances.json',
        pattern: '^/open-banking/v3[.]1/accounts/[^/]+/balances[.]json/?$',
        remapMethods: ['GET', 'HEAD'],
        passThrough: false,
        operations: ["GET /accounts/{AccountId}/balances.json (scheme 'cert')"],
      },
    ]);
  });

  it('keeps a more specific public path out of a templated mTLS one (OpenAPI: concrete paths first)', () => {
    const result = routesOf(`${HEAD}paths:
  /accounts/{id}:
    get: { security: [{ cert: [] }], responses: { '200': { description: ok } } }
  /accounts/me:
    get: { responses: { '200': { description: ok } } }
  /accounts/me/settings:
    get: { responses: { '200': { description: ok } } }
`);
    expect(result.routes.map((route) => [route.template, route.passThrough])).toEqual([
      ['/accounts/me', true],
      ['/accounts/{id}', false],
    ]);
    expect(result.text.indexOf('"^/accounts/me/?$"')).toBeLessThan(
      result.text.indexOf('"^/accounts/[^/]+/?$"'),
    );
  });

  it('an explicit HEAD operation decides for itself; operation servers give their own base paths', () => {
    const result = routesOf(`${HEAD}servers: [{ url: https://api.example.com/v1 }]
paths:
  /items:
    get:
      security: [{ cert: [] }]
      servers: [{ url: https://mtls.example.com/v1 }, { url: /v2 }]
      responses: { '200': { description: ok } }
    head: { responses: { '200': { description: ok } } }
`);
    expect(result.routes.map((route) => [route.template, route.remapMethods])).toEqual([
      ['/v1/items', ['GET']],
      // The HEAD operation is served under the root server (/v1) only: under /v2 a HEAD reaches the GET handler.
      ['/v2/items', ['GET', 'HEAD']],
    ]);
  });

  it('Swagger 2.0 basePath and config mtls.schemes', () => {
    const result = routesOf(
      `swagger: '2.0'
info: { title: t, version: '1' }
host: api.example.com
basePath: /open-banking/v3.1/aisp
securityDefinitions: { PSUOAuth2Security: { type: oauth2, flow: application, tokenUrl: 'https://x/token' } }
paths:
  /accounts:
    get: { security: [{ PSUOAuth2Security: [] }], responses: { '200': { description: ok } } }
`,
      { mtlsSchemes: ['PSUOAuth2Security'] },
    );
    expect(result.routes[0]?.pattern).toBe('^/open-banking/v3[.]1/aisp/accounts/?$');
  });

  it('no mTLS operation: a config that proxies everything and says so', () => {
    const result = routesOf(`${HEAD}paths:
  /a:
    get: { responses: { '200': { description: ok } } }
`);
    expect(result.mtlsOperationCount).toBe(0);
    expect(result.routes).toEqual([]);
    expect(result.text).toContain('(none: this config proxies every request and remaps nothing)');
  });

  it('the status and challenge come from the config; 404 carries no challenge', () => {
    const spec = `${HEAD}paths:
  /a:
    get: { security: [{ cert: [] }], responses: { '200': { description: ok } } }
`;
    const notFound = routesOf(spec, { status: 404 });
    expect(notFound.text).toContain('error_page 403 =404 @mtls_fix_status;');
    expect(notFound.text).not.toContain('add_header WWW-Authenticate');
  });
});

describe('parseUpstream', () => {
  it.each([
    ['http://127.0.0.1:8080', { protocol: 'http', host: '127.0.0.1', port: 8080 }],
    ['https://app.internal', { protocol: 'https', host: 'app.internal', port: 443 }],
    ['http://[::1]:3000/', { protocol: 'http', host: '::1', port: 3000 }],
  ])('%s', (value, expected) => {
    expect(parseUpstream(value)).toMatchObject(expected);
  });

  it.each(['127.0.0.1:8080', 'ftp://x', 'http://x/api', 'http://u:p@x', 'http://x/?a=1'])(
    'rejects %s',
    (value) => {
      expect(() => parseUpstream(value)).toThrow(/--upstream/);
    },
  );
});

describe('mtls-fix proxy command', () => {
  it('a bad --upstream is one line on stderr and exit 2', () => {
    writeFileSync(path.join(folder, 'cli.yaml'), `${HEAD}paths: {}\n`);
    const run = runCli(['proxy', '--spec', 'cli.yaml', '--target', 'haproxy', '--upstream', 'http://x/api'], {
      cwd: folder,
    });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain("--upstream 'http://x/api' must have no path");
  });

  it('prints the config on stdout and the summary on stderr', () => {
    writeFileSync(
      path.join(folder, 'cli2.yaml'),
      `${HEAD}paths:\n  /a:\n    get: { security: [{ cert: [] }], responses: { '200': { description: ok } } }\n`,
    );
    const run = runCli(
      ['proxy', '--spec', 'cli2.yaml', '--target', 'caddy', '--upstream', 'http://127.0.0.1:1'],
      {
        cwd: folder,
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# mtls-fix proxy \(Caddy\)/);
    expect(run.stdout).toContain('(mtls_fix) {');
    expect(run.stderr).toBe(
      'mtls-fix proxy (caddy): cli2.yaml: remapping 403 to 401 on 1 of 1 operations (mTLS-secured).\n',
    );
  });
});
