import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../../helpers/cli.js';
import type { SpecCoverage } from '../../../src/migrate/types.js';

// End-to-end (spawns bin/run.js; `npm test` builds first): route wiring under --spec that used to be listed
// once per call or not named at all (nt). Never silent: what is not followed is named in the coverage.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const DOCUMENT = [
  'openapi: 3.0.3',
  "info: { title: t, version: '1' }",
  'components: { securitySchemes: { mtls: { type: mutualTLS } } }',
  'security: [ { mtls: [] } ]',
  'paths:',
  ...['/v1/accounts', '/v2/accounts', '/v2/payments'].map(
    (p) => `  ${p}: { get: { responses: { '200': { description: ok } } } }`,
  ),
  '',
].join('\n');

function coverageOf(
  files: Record<string, string>,
  dependencies: string[],
): { coverage: SpecCoverage; human: string } {
  const dir = tempProject({
    'package.json': JSON.stringify({ dependencies: Object.fromEntries(dependencies.map((d) => [d, '*'])) }),
    'openapi.yaml': DOCUMENT,
    ...files,
  });
  temps.push(dir);
  const args = ['migrate', 'src', '--spec', 'openapi.yaml', '--dry-run'];
  const json = runCli([...args, '--json'], { cwd: dir });
  const human = runCli(args, { cwd: dir });
  return { coverage: (JSON.parse(json.stdout) as { coverage: SpecCoverage }).coverage, human: human.stdout };
}

describe('--spec coverage: wiring not followed is named once', () => {
  it('a registration whose path is computed, on a router two apps mount, is one unresolved entry with its count', () => {
    const { coverage, human } = coverageOf(
      {
        'src/app.ts': [
          "import express, { Router, type Request, type Response } from 'express';",
          'const publicApp = express(), partnerApp = express();',
          'const deny = (req: Request, res: Response) => { res.status(403).end(); };',
          'const accounts = Router();',
          'accounts.get(process.env.ACCOUNTS_PATH as string, deny);',
          "publicApp.use('/', accounts);",
          "partnerApp.use('/', accounts);",
          '',
        ].join('\n'),
      },
      ['express'],
    );
    const entries = coverage.unresolved.filter((u) => u.file === 'src/app.ts' && u.line === 5);
    expect(entries).toHaveLength(1);
    expect(entries[0].count).toBe(2);
    expect(human).toContain('src/app.ts:5 (2 registrations)');
  }, 120_000);

  // Before session 31 this helper was the case above: `${prefix}/accounts` read no path, one unresolved entry at
  // the helper counted twice. Each call of the helper is now a route where the call is written.
  it('a route helper called with two prefixes is a route per call', () => {
    const { coverage } = coverageOf(
      {
        'src/app.ts': [
          "import express, { type Express, type Request, type Response } from 'express';",
          'const app = express();',
          'const deny = (req: Request, res: Response) => { res.status(403).end(); };',
          'export function addAccounts(target: Express, prefix: string) {',
          '  target.get(`${prefix}/accounts`, deny);',
          '}',
          "addAccounts(app, '/v1');",
          "addAccounts(app, '/v2');",
          '',
        ].join('\n'),
      },
      ['express'],
    );
    expect(coverage.unresolved).toEqual([]);
    const routes = coverage.handled.flatMap((h) => h.routes.map((r) => `${r.method} ${r.path} ${r.line}`));
    expect(routes.sort()).toEqual(['GET /v1/accounts 7', 'GET /v2/accounts 8']);
  }, 120_000);

  it.each([
    ['forEach over a call', 'loadRouters().forEach((r) => app.use(r));', 'ALL /*', 'app.use(r)'],
    [
      'map over an awaited call, a prefix',
      "(await loadRouters()).map((r) => app.use('/v1', r));",
      'ALL /v1',
      "app.use('/v1', r)",
    ],
    [
      'for...of over a call, the element router',
      'for (const m of loadRouters()) app.use(m.router);',
      'ALL /*',
      'app.use(m.router)',
    ],
  ])(
    'routers a call returns (%s) are named, not only "not mounted"',
    (_name, wiring, route, form) => {
      const { coverage, human } = coverageOf(
        {
          'src/routers.ts': [
            "import { Router } from 'express';",
            'const accounts = Router();',
            "accounts.get('/accounts', (req, res) => { res.status(403).end(); });",
            'export function loadRouters() { return [accounts]; }',
            'export async function loadRoutersAsync() { return [{ router: accounts }]; }',
            '',
          ].join('\n'),
          'src/app.ts': [
            "import express from 'express';",
            "import { loadRouters } from './routers';",
            'const app = express();',
            'export async function start() {',
            `  ${wiring}`,
            '}',
            '',
          ].join('\n'),
        },
        ['express'],
      );
      const named = coverage.unresolved.find((u) => u.file === 'src/app.ts');
      expect(named).toMatchObject({ line: 5, byHand: true });
      expect(named?.reason).toContain(
        `routers mounted from the result of loadRouters() (${form} at src/app.ts:5)`,
      );
      expect(human).toContain(`${route}  src/app.ts:5  routers mounted from the result of loadRouters()`);
    },
    120_000,
  );

  it.each([
    ['other.fetch', 'app.mount("/v2", other.fetch);'],
    ['the app itself', 'app.mount("/v2", other);'],
  ])(
    'a Hono app mounted with .mount (%s) is followed under its prefix',
    (_name, wiring) => {
      const { coverage } = coverageOf(
        {
          'src/app.ts': [
            "import { Hono } from 'hono';",
            'const other = new Hono();',
            "other.get('/payments', (c) => c.text('no', 403));",
            'const app = new Hono();',
            wiring,
            'export default app;',
            '',
          ].join('\n'),
        },
        ['hono'],
      );
      expect(coverage.handled.map((h) => [h.operation, h.rewritten])).toEqual([['GET /v2/payments', 1]]);
      expect(coverage.unmatchedRoutes).toEqual([]);
    },
    120_000,
  );
});
