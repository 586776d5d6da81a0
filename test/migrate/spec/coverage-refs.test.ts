import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../../helpers/cli.js';

// juice-shop (docs/migrate-spec.md, "Trials, session 13"): `configureApp(app)` registers every route on the
// server's app and again on the app its tests build (`configureApp(testApp)`); coverage listed each route twice.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const files = {
  'package.json': JSON.stringify({ name: 'two-apps', dependencies: { express: '4' } }),
  'openapi.yaml': [
    'openapi: 3.0.3',
    'info: { title: t, version: "1" }',
    'paths:',
    '  /orders:',
    '    post:',
    '      responses: { "201": { description: created } }',
    '',
  ].join('\n'),
  'src/server.ts': [
    "import express, { type Express } from 'express';",
    '',
    'function configureApp(app: Express) {',
    "  app.post('/orders', (req, res) => {",
    "    if (!req.get('x-customer')) return res.status(403).json({ error: 'Forbidden' });",
    '    res.status(201).end();',
    '  });',
    "  app.get('/health', (req, res) => res.json({ ok: true }));",
    '}',
    '',
    'export const app = express();',
    'configureApp(app);',
    '',
    'export function createTestApp() {',
    '  const testApp = express();',
    '  configureApp(testApp);',
    '  return testApp;',
    '}',
    '',
  ].join('\n'),
};

interface RouteRef {
  method: string;
  path: string;
  file: string;
  line: number;
}

describe('migrate --spec coverage lists each registration once', () => {
  it('a helper that registers the routes on two apps', () => {
    const dir = tempProject(files);
    temps.push(dir);
    const result = runCli(['migrate', '--json', '--dry-run', '--spec', 'openapi.yaml', '--mtls-everywhere'], {
      cwd: dir,
    });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as {
      sites: { file: string; line: number; action: string }[];
      coverage: {
        handled: { operation: string; routes: RouteRef[] }[];
        unmatchedRoutes: RouteRef[];
      };
    };
    expect(report.coverage.handled).toHaveLength(1);
    expect(report.coverage.handled[0]?.routes).toEqual([
      { method: 'POST', path: '/orders', file: 'src/server.ts', line: 4, framework: 'express' },
    ]);
    expect(report.coverage.unmatchedRoutes).toEqual([
      { method: 'GET', path: '/health', file: 'src/server.ts', line: 8, framework: 'express' },
    ]);
    expect(report.sites.map((s) => [`${s.file}:${s.line}`, s.action])).toEqual([
      ['src/server.ts:5', 'would-rewrite'],
    ]);
  });
});
