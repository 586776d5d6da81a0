import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../../helpers/cli.js';
import { siteOutcomes, specMarkers } from '../../helpers/spec-markers.js';

// Issue 9 §2, Fastify and wiring: @fastify/autoload folder prefixes, and routers handed to helpers inside
// objects (`f({ router })`, `f({ app: router })`) or through spreads (`g(...args)`, `f(...[router, x])`).
// Each project mixes mTLS and public operations; `// expect:` marks every 403 line. No --mount.
const root = path.resolve(import.meta.dirname, '../../fixtures/spec-projects');
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Report {
  sites: { file: string; line: number; action: string; operation: string | null; reason: string | null }[];
  coverage: {
    codeRoutes: number;
    handled: { operation: string; routes: { method: string; path: string; file: string }[] }[];
    noHandler: { operation: string }[];
    unmatchedRoutes: { method: string; path: string }[];
    ambiguous: unknown[];
    unresolved: {
      method: string;
      path: string;
      file: string;
      line: number;
      mountFile: string;
      reason: string;
      byHand?: boolean;
    }[];
  };
}

function run(dir: string, ...args: string[]): Report {
  const result = runCli(['migrate', '--json', '--check', '--spec', 'openapi.yaml', ...args], { cwd: dir });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Report;
}

function expectMarkers(dir: string, report: Report, kind: 'plain' | 'mounted'): void {
  const expected = specMarkers(dir, kind);
  const actual = siteOutcomes(report.sites);
  for (const [where, outcome] of expected)
    expect([where, actual.get(where) ?? 'none']).toEqual([where, outcome]);
  for (const where of actual.keys()) expect(expected.has(where), where).toBe(true);
}

describe('migrate --spec reads @fastify/autoload folders', () => {
  const project = path.join(root, 'fastify-autoload');

  it('gives each plugin the prefix its folder, autoPrefix, prefixOverride and options.prefix spell', () => {
    const dir = tempProject({}, project);
    temps.push(dir);
    const report = run(dir);
    expectMarkers(dir, report, 'plain');
    const coverage = report.coverage;
    // The paths @fastify/autoload 6 registers for this tree (checked against the real plugin by hand).
    const routes = coverage.handled.flatMap((h) => h.routes.map((r) => `${r.method} ${r.path}`)).sort();
    expect(routes).toEqual([
      'GET /api/accounts/:accountId/cards', // routes/accounts/_accountId/cards.ts, routeParams
      'GET /api/accounts/:id', // routes/accounts/index.ts
      'GET /flat/loans/:id', // dirNameRoutePrefix: false
      'GET /partners/:partnerId', // prefixOverride
    ]);
    expect(coverage.noHandler.map((n) => n.operation)).toEqual(['GET /ext/reports/{id}']);
    // Every other code route matches a public operation: /api, /api/status-page (autoPrefix), /health
    // (fastify-plugin ignores the folder prefix).
    expect(coverage.codeRoutes).toBe(8);
    expect(coverage.unmatchedRoutes).toEqual([]);
    expect(coverage.ambiguous).toEqual([]);
    // The run-time options.prefix is listed with the file to name in --mount.
    expect(coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.mountFile}`)).toEqual([
      'GET /reports/:id src/ext/reports.ts',
    ]);
    const manual = report.sites.find((s) => s.file === 'src/ext/reports.ts');
    expect(manual?.reason).toContain('process.env.EXT_PREFIX (autoload options.prefix)');
  });

  it('autohooks apply to their folder and, with cascadeHooks, the folders below', () => {
    const dir = tempProject({}, project);
    temps.push(dir);
    const hook = run(dir).sites.find((s) => s.file === 'src/routes/accounts/autohooks.ts');
    expect(hook?.operation?.split(', ').sort()).toEqual([
      'GET /api/accounts/{accountId}/cards',
      'GET /api/accounts/{id}',
    ]);
  });

  it('without cascadeHooks the hook stays in its own folder', () => {
    const dir = tempProject({}, project);
    temps.push(dir);
    const app = path.join(dir, 'src/app.ts');
    writeFileSync(app, readFileSync(app, 'utf8').replace('cascadeHooks: true', 'cascadeHooks: false'));
    const hook = run(dir).sites.find((s) => s.file === 'src/routes/accounts/autohooks.ts');
    expect(hook?.operation).toBe('GET /api/accounts/{id}');
  });

  it('resolves the run-time prefix with --mount', () => {
    const dir = tempProject({}, project);
    temps.push(dir);
    const report = run(dir, '--mount', 'src/ext/reports.ts=/ext');
    expectMarkers(dir, report, 'mounted');
    expect(report.coverage.unresolved).toEqual([]);
    expect(report.coverage.noHandler).toEqual([]);
  });
});

describe('migrate --spec reads a fastify-cli app', () => {
  it('takes the plugin `fastify start -x /api app.js` loads as the app, under its --prefix', () => {
    const dir = tempProject({}, path.join(root, 'fastify-cli'));
    temps.push(dir);
    const report = run(dir);
    expectMarkers(dir, report, 'plain');
    const coverage = report.coverage;
    const routes = coverage.handled.flatMap((h) => h.routes.map((r) => `${r.method} ${r.path}`)).sort();
    expect(routes).toEqual(['GET /api/accounts/:id', 'GET /api/payment-cards/:id']);
    expect(coverage.noHandler).toEqual([]);
    expect(coverage.unmatchedRoutes).toEqual([]);
    expect(coverage.unresolved).toEqual([]);
  });

  it('without a fastify start script the plugin stays unmounted, and says so', () => {
    const dir = tempProject({}, path.join(root, 'fastify-cli'));
    temps.push(dir);
    writeFileSync(path.join(dir, 'package.json'), '{ "name": "no-cli", "private": true }');
    const coverage = run(dir).coverage;
    expect(coverage.handled).toEqual([]);
    expect(coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.mountFile}`).sort()).toEqual([
      'GET / routes/root.js',
      'GET /accounts/:id routes/accounts/index.js',
      'GET /payment-cards/:id routes/cards/cards.js',
    ]);
    expect(coverage.unresolved[0]?.reason).toContain(
      'router is not mounted anywhere in the scanned code (app.js:7)',
    );
  });
});

describe('migrate --spec follows routers through destructured parameters and spreads', () => {
  it('reads Express, Koa and Fastify helpers, and lists the spread it cannot read', () => {
    const dir = tempProject({}, path.join(root, 'wiring'));
    temps.push(dir);
    const report = run(dir);
    expectMarkers(dir, report, 'plain');
    const coverage = report.coverage;
    expect(coverage.handled.map((h) => h.operation).sort()).toEqual([
      'GET /api/accounts/{id}', // accountRoutes({ router, tenant }) into ({ router: target, tenant })
      'GET /api/cards/{id}', // forward(router, 'cards') -> cardRoutes(...args)
      'GET /api/loans/{id}', // loanRoutes({ app: router }) -> options.app.get
      'GET /fastify/payments/{id}', // payments({ server: instance })
      'GET /fastify/refunds/{id}', // relay(instance) -> refunds(...args) -> const [instance] = args
      'GET /koa/loans/{id}', // const deps = { router }; registerLoans(deps) -> const { router: target } = deps
      'GET /koa/statements/{id}', // statements(...[target, 'monthly'])
    ]);
    expect(coverage.noHandler.map((n) => n.operation)).toEqual(['GET /api/audit']);
    expect(coverage.unmatchedRoutes).toEqual([]);
    expect(coverage.ambiguous).toEqual([]);
    // audit(...Object.values({ router })): never dropped, listed for review by hand.
    expect(coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line} ${u.byHand}`)).toEqual([
      'GET /audit src/express/forward.ts:15 true',
    ]);
    const manual = report.sites.filter((s) => s.action === 'manual');
    expect(manual.map((s) => `${s.file}:${s.line}`)).toEqual(['src/express/forward.ts:16']);
    expect(manual[0]?.reason).toContain('review by hand');
  });
});
