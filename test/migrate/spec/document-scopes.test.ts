import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';

/**
 * Session 14: `migrate --spec` with a document per service (a monorepo, `--spec a.yaml --spec b.yaml`). Each
 * document's operations match only the routes of the service it describes, found from the code: the service
 * that reads the document, the service beside it, or the one that alone serves its servers' base path. Before,
 * every route was pooled: a public service's route answered another service's mTLS operation and was rewritten.
 */
const doc = (title: string, paths: string[], extra = ''): string =>
  `openapi: 3.1.0\ninfo: {title: ${title}, version: '1'}\n${extra}paths:\n` +
  paths.map((p) => `  ${p}: {get: {responses: {'200': {description: ok}}}}\n`).join('');

const app = (routes: string, head = ''): string =>
  `import express from 'express';\n${head}const app = express();\n${routes}export default app;\n`;

const deny = (path: string): string =>
  `app.get('${path}', (req, res) => {\n  res.status(403).send('no');\n});\n`;

const service = (name: string): Record<string, string> => ({
  [`services/${name}/package.json`]: `{"name":"${name}","dependencies":{"express":"4"}}`,
});

interface Report {
  sites: { file: string; line: number; action: string; operation: string | null; reason: string | null }[];
  coverage: {
    handled: { operation: string }[];
    noHandler: { operation: string }[];
    documents?: { document: string; folders?: string[]; how: string }[];
  };
}

async function run(files: Record<string, string>, specs: string[], extra: string[] = []): Promise<Report> {
  const folder = tempProject({
    'package.json': '{"name":"mono","private":true,"workspaces":["services/*"]}',
    ...files,
  });
  const args = [
    'migrate',
    ...specs.flatMap((s) => ['--spec', s]),
    ...extra,
    '--json',
    '--dry-run',
    '--force',
    '.',
  ];
  const result = await runCliAsync(args, { cwd: folder });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Report;
}

const actions = (report: Report): string[][] =>
  report.sites.map((s) => [s.file, String(s.line), s.action, s.operation ?? '']);

describe('migrate --spec: each document matches the routes of its own service', () => {
  it('a document beside a service package matches only that service (a public twin is left alone)', async () => {
    const report = await run(
      {
        ...service('partner'),
        ...service('public'),
        'services/partner/openapi.yaml': doc('partner', ['/status', '/partner/only'], 'x-mtls: true\n'),
        'services/partner/src/app.ts': app(deny('/status')),
        'services/public/openapi.yaml': doc('public', ['/status', '/health']),
        'services/public/src/app.ts': app(deny('/status') + deny('/partner/only')),
      },
      ['services/partner/openapi.yaml', 'services/public/openapi.yaml'],
    );
    expect(actions(report)).toEqual([
      ['services/partner/src/app.ts', '4', 'would-rewrite', 'GET /status of services/partner/openapi.yaml'],
    ]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /partner/only']);
    expect(report.coverage.documents).toEqual([
      {
        document: 'services/partner/openapi.yaml',
        folders: ['services/partner'],
        how: 'beside services/partner/package.json',
      },
      {
        document: 'services/public/openapi.yaml',
        folders: ['services/public'],
        how: 'beside services/public/package.json',
      },
    ]);
  }, 180_000);

  it('one document of a monorepo: routes of other services answer none of its operations', async () => {
    const report = await run(
      {
        ...service('partner'),
        ...service('public'),
        'services/partner/openapi.yaml': doc('partner', ['/status', '/partner/only'], 'x-mtls: true\n'),
        'services/partner/src/app.ts': app(deny('/status')),
        'services/public/src/app.ts': app(deny('/partner/only')),
      },
      ['services/partner/openapi.yaml'],
    );
    expect(actions(report)).toEqual([['services/partner/src/app.ts', '4', 'would-rewrite', 'GET /status']]);
  }, 180_000);

  it('documents kept apart from the code (specs/) belong to the services that read them', async () => {
    const reads = (name: string): string =>
      `import { readFileSync } from 'node:fs';\nimport path from 'node:path';\n` +
      `export const spec = readFileSync(path.join(__dirname, '../../../specs/${name}.yaml'), 'utf8');\n`;
    const report = await run(
      {
        ...service('orders'),
        ...service('billing'),
        'specs/orders.yaml': doc('orders', ['/items'], 'x-mtls: true\n'),
        'specs/billing.yaml': doc('billing', ['/items', '/invoices']),
        'services/orders/src/spec.ts': reads('orders'),
        'services/orders/src/app.ts': app(deny('/items')),
        'services/billing/src/docs.ts': reads('billing'),
        'services/billing/src/app.ts': app(deny('/items') + deny('/invoices')),
      },
      ['specs/orders.yaml', 'specs/billing.yaml'],
    );
    expect(actions(report)).toEqual([
      ['services/orders/src/app.ts', '4', 'would-rewrite', 'GET /items of specs/orders.yaml'],
    ]);
    expect(report.coverage.documents?.map((d) => [d.document, d.folders, d.how])).toEqual([
      ['specs/orders.yaml', ['services/orders'], 'read by services/orders/src/spec.ts:3'],
      ['specs/billing.yaml', ['services/billing'], 'read by services/billing/src/docs.ts:3'],
    ]);
  }, 180_000);

  it('a document whose servers name a base path one service alone serves belongs to it', async () => {
    const report = await run(
      {
        ...service('orders'),
        ...service('billing'),
        'specs/orders.yaml': doc(
          'orders',
          ['/items', '/refunds'],
          "x-mtls: true\nservers: [{url: '/orders'}]\n",
        ),
        'specs/billing.yaml': doc('billing', ['/refunds']),
        'services/orders/src/app.ts': app(
          "app.use('/orders', router);\n",
          "const router = express.Router();\nrouter.get('/items', (req, res) => {\n  res.status(403).end();\n});\n",
        ),
        'services/billing/src/app.ts': app(deny('/refunds')),
      },
      ['specs/orders.yaml', 'specs/billing.yaml'],
    );
    expect(actions(report)).toEqual([
      ['services/orders/src/app.ts', '4', 'would-rewrite', 'GET /items of specs/orders.yaml'],
    ]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /refunds']);
    expect(report.coverage.documents?.map((d) => [d.document, d.folders, d.how])).toEqual([
      ['specs/orders.yaml', ['services/orders'], "its servers' base path /orders is served there alone"],
      [
        'specs/billing.yaml',
        undefined,
        expect.stringContaining('cannot tell which service it describes') as unknown,
      ],
    ]);
  }, 180_000);

  it("a document kept in a source folder describes the server registered there, not the package's other servers", async () => {
    // mojaloop/sdk-scheme-adapter: src/InboundServer/api.yaml beside the inbound server; src/OutboundServer is
    // another server of the same package. Before (931d2f3) the outbound /quotes answered the inbound mTLS
    // operation and was rewritten.
    const report = await run(
      {
        ...service('adapter'),
        'services/adapter/src/inbound/api.yaml': doc('inbound', ['/quotes', '/parties'], 'x-mtls: true\n'),
        'services/adapter/src/inbound/app.ts': app(deny('/quotes')),
        'services/adapter/src/outbound/app.ts': app(deny('/quotes')),
      },
      ['services/adapter/src/inbound/api.yaml'],
    );
    expect(actions(report)).toEqual([
      ['services/adapter/src/inbound/app.ts', '4', 'would-rewrite', 'GET /quotes'],
    ]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /parties']);
    expect(report.coverage.documents?.map((d) => d.how)).toEqual([
      "kept in services/adapter/src/inbound/ beside routes of its service: it describes the routes registered there, not the service's others",
    ]);
  }, 180_000);

  it('two documents of one service stay pooled (a partner API and a public API of one app)', async () => {
    const report = await run(
      {
        ...service('api'),
        'services/api/partner.yaml': doc('partner', ['/status'], 'x-mtls: true\n'),
        'services/api/public.yaml': doc('public', ['/status']),
        'services/api/src/app.ts': app(deny('/status')),
      },
      ['services/api/partner.yaml', 'services/api/public.yaml'],
    );
    expect(report.sites.map((s) => [s.action, s.reason?.slice(0, 30)])).toEqual([
      ['manual', 'Shared by mTLS GET /status of '],
    ]);
  }, 180_000);
  it("a document beside the root service: a service of its own below it (a mock server's package.json) answers none of its operations", async () => {
    // Session 23 (mojaloop/account-lookup-service): docker/mock-proxy, an Express catch-all with its own
    // package.json, was taken as part of the root service the document beside the root package.json claims, and
    // its `app.all('*')` answered all 21 operations. Before (66c28b1): GET /unserved matched the mock's catch-all
    // and the mock's 403 was rewritten.
    const report = await run(
      {
        'src/openapi.yaml': doc('root', ['/status', '/unserved'], 'x-mtls: true\n'),
        'src/app.ts': app(deny('/status')),
        'docker/mock/package.json': '{"name":"mock","dependencies":{"express":"4"}}',
        'docker/mock/src/server.ts': app(
          `app.all('*', (req, res) => {\n  res.status(403).send('no');\n});\n`,
        ),
      },
      ['src/openapi.yaml'],
    );
    expect(actions(report)).toEqual([['src/app.ts', '4', 'would-rewrite', 'GET /status']]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /unserved']);
    expect(report.coverage.documents).toEqual([
      { document: 'src/openapi.yaml', folders: [''], how: 'beside package.json' },
    ]);
  }, 180_000);
});
