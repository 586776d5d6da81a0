import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Handlers that return what a function of another file returns: the upstream's Response of its fetch (`return
// forward(req)`), or the Response it is handed back (`return withCors(upstream)`), also through a barrel and a
// default export (test/fixtures/projects/fetch-pass-through-files). Before session 22 each read clean.
const cwd = path.resolve(import.meta.dirname, '../fixtures/projects/fetch-pass-through-files');

describe('fetch pass-through across files', () => {
  it('reports each handler that returns an upstream Response from a wrapper of another file', async () => {
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    const sites = report.sites.map((s) => `${s.action} ${s.file}:${s.line}`).sort();
    expect(sites).toEqual([
      'manual app/api/cors/route.ts:10',
      'manual app/api/cors/route.ts:6',
      'manual app/api/proxy/route.ts:4',
      'manual src/app.ts:5',
      'manual src/relay-routes.ts:6',
    ]);
    const proxy = report.sites.find((s) => s.file === 'app/api/proxy/route.ts');
    expect(proxy?.reason).toContain('forward(…) → fetch(`${base}${url.pathname}`');
    expect(proxy?.reason).toContain('in lib/forward.ts');
  });
});
