import { mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../../helpers/cli.js';
import { siteOutcomes, specMarkers } from '../../helpers/spec-markers.js';
import { runSpecProject, SPEC_PROJECTS } from '../../helpers/spec-run.js';

// End-to-end on one small project per framework (test/fixtures/spec-projects/*). Every line holding a 403
// form carries its expected outcome: `// expect: rewrite | manual | none`, `mounted=<outcome>` for the
// run with --mount, `tests=<outcome>` for test assertions under --include-tests.
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Report {
  summary: Record<string, number>;
  sites: { file: string; line: number; action: string; operation: string | null; reason: string | null }[];
  coverage: {
    operations: number;
    mtlsOperations: number;
    handled: {
      operation: string;
      rewritten: number;
      manual: number;
      basePath: string;
      routes: { method: string; path: string; file: string; line: number }[];
    }[];
    noHandler: { operation: string }[];
    unmatchedRoutes: { method: string; path: string }[];
    ambiguous: unknown[];
    unresolved: {
      method: string;
      path: string;
      file: string;
      line: number;
      mountFile: string;
      byHand?: boolean;
    }[];
    notReached: number;
  };
}

const PROJECTS: {
  name: string;
  spec?: string;
  mount: string;
  handled: string[];
  noHandler: string[];
  unmatched: string[];
}[] = [
  {
    name: 'express',
    spec: 'openapi.yaml',
    mount: 'src/routes/partners.ts=/api/v1/partners',
    handled: ['GET /v1/accounts/{accountId}', 'POST /v1/accounts/{accountId}/transfer'],
    noHandler: ['DELETE /v1/accounts/{accountId}', 'GET /v1/partners/{partnerId}'],
    unmatched: ['GET /api/v1/health'],
  },
  {
    name: 'fastify', // spec and mTLS scheme names come from mtls-fix.config.yaml
    mount: 'src/plugins/partners.ts=/api/partners',
    handled: [
      'GET /accounts/{accountId}',
      'POST /accounts/{accountId}/close',
      'GET /accounts/{accountId}/cards',
    ],
    noHandler: ['GET /partners/{partnerId}'],
    unmatched: ['GET /api/internal/metrics'],
  },
  {
    name: 'nestjs',
    spec: 'openapi.yaml',
    mount: 'src/main.ts=/',
    handled: ['GET /v1/accounts/{accountId}', 'POST /v1/accounts/{accountId}/lock'],
    noHandler: ['POST /v1/accounts/{accountId}/close'],
    unmatched: ['GET /api/v1/accounts/health'],
  },
  {
    name: 'nextjs',
    spec: 'openapi.yaml',
    mount: 'lib/deny.ts=/',
    handled: ['GET /api/accounts/{accountId}', 'POST /api/legacy/{id}'],
    noHandler: ['DELETE /api/accounts/{accountId}'],
    unmatched: ['GET /api/health'],
  },
  {
    name: 'koa',
    spec: 'openapi.yaml',
    mount: 'src/partners.ts=/api/partners',
    handled: ['GET /api/accounts/{accountId}'],
    noHandler: ['GET /api/partners/{partnerId}'],
    unmatched: [],
  },
  {
    name: 'hono',
    spec: 'openapi.yaml',
    mount: 'src/partners.ts=/api/partners',
    handled: ['GET /api/accounts/{accountId}'],
    noHandler: ['GET /api/partners/{partnerId}'],
    unmatched: ['GET /api/health'],
  },
  {
    name: 'hapi',
    spec: 'openapi.yaml',
    mount: 'src/partners.ts=/api/partners',
    handled: ['GET /api/accounts/{accountId}'],
    noHandler: ['GET /api/partners/{partnerId}'],
    unmatched: ['GET /api/health'],
  },
];

function run(dir: string, ...args: string[]): Report {
  const result = runCli(['migrate', '--json', '--check', ...args], { cwd: dir });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Report;
}

describe.each(PROJECTS)('migrate --spec on the $name project', (project) => {
  const specArgs = project.spec ? ['--spec', project.spec] : [];

  it('rewrites exactly the sites of mTLS operations and reports the rest', async () => {
    // runSpecProject: every marked site has its marked outcome, and nothing unexpected: every reported site is marked.
    const { report } = await runSpecProject<Report>(project.name, { spec: project.spec ?? [] });
    // Zero rewrites outside mTLS operations: every rewrite names an mTLS operation it answers.
    for (const site of report.sites.filter((s) => s.action !== 'manual'))
      expect(project.handled, `${site.file}:${site.line}`).toEqual(
        expect.arrayContaining(site.operation?.split(', ') ?? ['none']),
      );
    const coverage = report.coverage;
    expect(coverage.handled.map((h) => h.operation).sort()).toEqual([...project.handled].sort());
    expect(coverage.noHandler.map((n) => n.operation).sort()).toEqual([...project.noHandler].sort());
    expect(coverage.unmatchedRoutes.map((r) => `${r.method} ${r.path}`)).toEqual(project.unmatched);
    expect(coverage.ambiguous).toEqual([]);
  });

  it('resolves the run-time mount with --mount', () => {
    const dir = tempProject({}, path.join(SPEC_PROJECTS, project.name));
    temps.push(dir);
    const report = run(dir, ...specArgs, '--mount', project.mount);
    const expected = specMarkers(dir, 'mounted');
    const actual = siteOutcomes(report.sites);
    for (const [where, outcome] of expected)
      expect([where, actual.get(where) ?? 'none']).toEqual([where, outcome]);
    expect(report.coverage.unresolved).toEqual([]);
  });
});

describe('migrate --spec, command behaviour', () => {
  const express = path.join(SPEC_PROJECTS, 'express');

  it('--include-tests rewrites only assertions whose request matches an mTLS operation', () => {
    const dir = tempProject({}, express);
    temps.push(dir);
    const report = run(dir, '--spec', 'openapi.yaml', '--include-tests');
    const tests = report.sites.filter((s) => s.file.startsWith('test/'));
    const expected = [...specMarkers(dir, 'tests')].filter(([, outcome]) => outcome !== 'none');
    expect(tests.map((s) => `${s.file}:${s.line}`).sort()).toEqual(expected.map(([where]) => where).sort());
    expect(tests.map((s) => s.operation)).toEqual([
      'GET /v1/accounts/{accountId}',
      'POST /v1/accounts/{accountId}/transfer',
    ]);
  });

  it('writes only mTLS sites, and a second run changes nothing', () => {
    const dir = tempProject({}, express);
    temps.push(dir);
    const publicBefore = readFileSync(path.join(dir, 'src/routes/public.ts'), 'utf8');
    const first = runCli(['migrate', '--spec', 'openapi.yaml', '--force', '--json'], { cwd: dir });
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as Report;
    expect(report.summary.rewritten).toBe(4);
    expect(readFileSync(path.join(dir, 'src/routes/public.ts'), 'utf8')).toBe(publicBefore);
    const accounts = readFileSync(path.join(dir, 'src/routes/accounts.ts'), 'utf8');
    expect(accounts).toContain("res.status(401).send('not yours')");
    expect(accounts).toContain("sendError(res, 'locked', 401)");
    expect(accounts).toContain("sendError(res, 'hidden', 403)");
    expect(accounts).toContain('res.status(403).end()');
    const second = JSON.parse(
      runCli(['migrate', '--spec', 'openapi.yaml', '--force', '--json'], { cwd: dir }).stdout,
    ) as Report;
    expect(second.summary.filesChanged).toBe(0);
  });

  it('prints the coverage under the human summary', () => {
    const dir = tempProject({}, express);
    temps.push(dir);
    const result = runCli(['migrate', '--spec', 'openapi.yaml', '--check'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Coverage (openapi.yaml): 4 of 6 operations mTLS-secured, 6 code routes');
    expect(result.stdout).toContain('GET /v1/accounts/{accountId}  3 rewritten, 2 manual');
    expect(result.stdout).toContain('mTLS operations with no handler found (2):');
    expect(result.stdout).toContain('pass --mount src/routes/partners.ts=PREFIX');
    expect(result.stdout).toContain('Code routes in no operation of the spec (1):');
  });

  it('exits 2 with one line for a missing document or a malformed --mount', () => {
    const dir = tempProject({}, express);
    temps.push(dir);
    const missing = runCli(['migrate', '--spec', 'nope.yaml', '--check'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('nope.yaml');
    const bad = runCli(['migrate', '--spec', 'openapi.yaml', '--mount', 'nothing', '--check'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--mount 'nothing' is not FILE=PREFIX");
  });

  it('reads migrate.mounts from the config file', () => {
    const dir = tempProject(
      {
        'mtls-fix.config.json': JSON.stringify({
          migrate: { mounts: { 'src/routes/partners.ts': '/api/v1/partners' } },
        }),
      },
      express,
    );
    temps.push(dir);
    const report = run(dir, '--spec', 'openapi.yaml');
    expect(report.coverage.unresolved).toEqual([]);
    expect(report.coverage.handled.map((h) => h.operation)).toContain('GET /v1/partners/{partnerId}');
  });
});

// Issue 9 §2: the wiring real code uses. Each project mixes mTLS and public operations; `// expect:` marks
// every 403 line. No --mount: what cannot be read (a regex route, an untraced receiver) is listed for review.
describe.each([
  {
    name: 'idioms', // tsconfig paths, package imports, default-export object, namespace, rest params, Koa helper
    handled: [
      'GET /api/items/{id}',
      'GET /api/cards/{id}',
      'GET /api/tenants/{tenant}/accounts',
      'GET /koa/loans/{id}',
    ],
    noHandler: ['GET /api/legacy/{id}'],
    byHand: ['GET /api/* src/app.ts:12', 'GET /items/:id src/lib/jobs.ts:3'],
  },
  {
    name: 'hono-openapi', // @hono/zod-openapi createRoute, inline and imported; OpenAPIHono sub-app via route()
    handled: ['GET /api/accounts/{id}', 'DELETE /api/cards/{id}'],
    noHandler: [],
    byHand: [],
  },
  {
    name: 'route-tables', // hapi / Fastify route tables: required modules, factories, spreads, concat, forEach, for...of; `exports.plugin`; hapi < 17
    handled: [
      'GET /accounts/{id}',
      'GET /accounts/{id}/balances',
      'GET /cards/{id}',
      'PUT /cards/{id}/limits',
      'GET /loans/{id}',
      'GET /consents/{id}',
      'GET /payments/{id}',
      'GET /fx/{id}',
      'POST /fx/{id}/quotes',
      'GET /statements/{id}',
    ],
    noHandler: [],
    // Session 50: `fastify.route(require('./routes/options').compute())` now reads the object compute() returns
    // (method GET, url from the environment), as `const o = require(…); o.compute()` would, not `ALL /*`.
    byHand: ['ALL /* lib/server.js:14', 'GET /* lib/routes/options.js:2'],
  },
  {
    name: 'commonjs', // require('express')(), require('express').Router(), require('./x').member, new (require('koa-router'))(), import x = require()
    handled: [
      'GET /accounts/{id}',
      'GET /accounts/{id}/balances',
      'GET /payments/{id}',
      'GET /cards/{id}',
      'GET /koa/loans/{id}',
    ],
    noHandler: [],
    byHand: [],
  },
])('migrate --spec reads the $name project', (project) => {
  it('matches every operation the code serves, without --mount', async () => {
    const { report } = await runSpecProject<Report>(project.name);
    const coverage = report.coverage;
    expect(coverage.handled.map((h) => h.operation).sort()).toEqual([...project.handled].sort());
    expect(coverage.noHandler.map((n) => n.operation)).toEqual(project.noHandler);
    expect(coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line}`).sort()).toEqual(
      project.byHand,
    );
    expect(coverage.unresolved.every((u) => u.byHand)).toBe(true);
    // Manual sites say "review by hand", never a --mount that cannot help.
    for (const site of report.sites.filter((s) => s.action === 'manual'))
      expect(site.reason).toContain('review by hand');
  });
});

// Issue 9 "Done when": wiring found on real code bases (docs/real-world-trials.md, "Issue 9: `--spec` on real
// code bases"). `links` are the workspace packages a package manager links into node_modules.
describe.each<{
  name: string;
  links: Record<string, string>;
  handled: string[];
  noHandler: string[];
  byHand: string[];
  routes: string[];
}>([
  {
    name: 'monorepo', // workspace package, Next.js route handing requests to Hono, Hono `.use()` in a chain
    links: { 'node_modules/@acme/api': '../../packages/api' },
    handled: ['GET /bookmarks/{bookmarkId}', 'PUT /admin/users/{userId}', 'POST /admin/jobs'],
    noHandler: ['GET /lists'],
    byHand: [],
    routes: [
      'GET /api/v1/bookmarks/:bookmarkId packages/api/routes/bookmarks.ts:4',
      'PUT /api/v1/admin/users/:userId packages/api/routes/admin.ts:7',
      'POST /api/v1/admin/jobs packages/api/routes/admin.ts:8',
    ],
  },
  {
    name: 'class-app', // Express app in a class field, passed to a helper; controllers in an exported object
    links: {},
    // The helper registering with a computed method (`router[verb](path, h)`) is read at its call (route-helpers.ts).
    handled: [
      'GET /accounts/{accountId}',
      'GET /accounts/{accountId}/limits',
      'POST /auth/login',
      'GET /admin/keys',
    ],
    noHandler: [],
    byHand: [],
    routes: [
      'GET /api/v1/accounts/:accountId src/routes/accounts.ts:6',
      'GET /api/v1/accounts/:accountId/limits src/routes/accounts.ts:7',
      'POST /api/v1/auth/login src/auth.ts:4',
      'GET /api/v1/admin/keys src/index.ts:17',
    ],
  },
])('migrate --spec reads the $name project', (project) => {
  it('matches each operation to its own handler, without --mount', () => {
    const dir = tempProject({}, path.join(SPEC_PROJECTS, project.name));
    temps.push(dir);
    for (const [link, target] of Object.entries(project.links)) {
      mkdirSync(path.dirname(path.join(dir, link)), { recursive: true });
      symlinkSync(target, path.join(dir, link));
    }
    const report = run(dir, '--spec', 'openapi.yaml');
    const expected = specMarkers(dir, 'plain');
    const actual = siteOutcomes(report.sites);
    for (const [where, outcome] of expected)
      expect([where, actual.get(where) ?? 'none']).toEqual([where, outcome]);
    for (const where of actual.keys()) expect(expected.has(where), where).toBe(true);
    const coverage = report.coverage;
    expect(coverage.handled.map((h) => h.operation).sort()).toEqual([...project.handled].sort());
    expect(coverage.noHandler.map((n) => n.operation)).toEqual(project.noHandler);
    // Each operation reaches the route that serves it (not an adapter or catch-all), at its own line.
    expect(
      coverage.handled
        .flatMap((h) => h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`))
        .sort(),
    ).toEqual([...project.routes].sort());
    expect(coverage.unmatchedRoutes).toEqual([]);
    expect(coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line}`)).toEqual(
      project.byHand,
    );
    expect(coverage.unresolved.every((u) => u.byHand)).toBe(true);
  });
});
