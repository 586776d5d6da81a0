import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';

// bknd (trials18): `this.ctx.server.route(this.config.basepath, hono)` mounts a Hono app on a receiver the route
// graph cannot trace. The app was taken for a root app serving at `/`, so its `hono.all('*', …)` catch-all
// answered every documented operation: `--spec` matched all 22 of bknd's operations to it, "handled", and its
// 403 was rewritten as theirs. The same with an Express sub-app handed to an untraced `host.use('/admin', admin)`:
// `GET /users` matched the sub-app's `/users`, which serves `/admin/users`.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'svc', dependencies: { hono: '^4', express: '^5' } }),
  'src/flows.ts': [
    "import { Hono } from 'hono';",
    'export class Flows {',
    '  constructor(',
    '    private ctx: { server: { route(path: string, app: Hono): void } },',
    '    private config: { basepath: string },',
    '  ) {}',
    '  build() {',
    '    const hono = new Hono();',
    "    hono.all('*', (c) => c.json({ error: 'no such flow' }, 403));",
    '    this.ctx.server.route(this.config.basepath, hono);',
    '  }',
    '}',
    '',
  ].join('\n'),
  'src/admin.js': [
    "const express = require('express');",
    'const admin = express();',
    "admin.get('/users', (req, res) => res.status(403).end());",
    "module.exports = function install(host) { host.use('/admin', admin); };",
    '',
  ].join('\n'),
  // A mount at the root of an untraced receiver (`this.ctx.server.route('/', app)`) leaves the app a root app.
  'src/root.ts': [
    "import { Hono } from 'hono';",
    'const app = new Hono();',
    "app.get('/api/items', (c) => c.json({ error: 'no' }, 403));",
    'export class Host {',
    '  constructor(private ctx: { server: { route(p: string, a: Hono): void } }) {}',
    "  start() { this.ctx.server.route('/', app); }",
    '}',
    '',
  ].join('\n'),
  'openapi.yaml': [
    'openapi: 3.0.0',
    'info: { title: t, version: "1" }',
    'paths:',
    "  /api/items: { get: { responses: { '200': { description: ok } } } }",
    "  /users: { get: { responses: { '200': { description: ok } } } }",
    "  /api/other: { get: { responses: { '200': { description: ok } } } }",
    '',
  ].join('\n'),
};

interface Report {
  sites: { file: string; action: string; reason: string | null }[];
  coverage: {
    handled: { operation: string; routes: { file: string; path: string }[] }[];
    noHandler: { operation: string }[];
    unresolved: { file: string; path: string; reason: string }[];
  };
}

describe('apps mounted on a receiver mtls-fix cannot trace', () => {
  it('are no root apps: their routes are listed under a prefix known only at run time, never matched as served at /', () => {
    const cwd = tempProject(FILES);
    temps.push(cwd);
    const result = runCli(
      ['migrate', 'src', '--spec', 'openapi.yaml', '--mtls-everywhere', '--json', '--dry-run'],
      {
        cwd,
      },
    );
    const report = JSON.parse(result.stdout) as Report;
    expect(
      report.coverage.handled.map((h) => [h.operation, h.routes.map((r) => `${r.file} ${r.path}`)]),
    ).toEqual([['GET /api/items', ['src/root.ts /api/items']]]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /users', 'GET /api/other']);
    expect(report.coverage.unresolved.map((u) => [u.file, u.path, u.reason])).toEqual([
      [
        'src/admin.js',
        '/admin/users',
        'mounted on host, which mtls-fix could not trace to an app or router (src/admin.js:4)',
      ],
      [
        'src/flows.ts',
        '/*',
        'mounted at this.config.basepath on this.ctx.server, which mtls-fix could not trace to an app or router (src/flows.ts:10)',
      ],
    ]);
    expect(report.sites.map((s) => [s.file, s.action])).toEqual([
      ['src/flows.ts', 'manual'],
      ['src/root.ts', 'would-rewrite'],
    ]);
    expect(report.sites[0]?.reason).toMatch(/^Reached from a route whose prefix is known only at run time/);
    // The left-alone site (admin.js, below /admin) is not proven while two operations have no handler.
    const check = runCli(['migrate', 'src', '--spec', 'openapi.yaml', '--mtls-everywhere', '--check'], {
      cwd,
    });
    expect(check.code).toBe(1);
  });
});
