import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// §7 same-repo readers on a project with a front end and a back end (Express server, React/axios/ky/fetch
// client): the server's 403s become 401, and each client comparison with 403 that requests one of those routes
// is reported, whatever the client library and the spelling of 403 (`=== 403`, `== 403`,
// `[401, 403].includes`, `case StatusCodes.FORBIDDEN:`, an axios interceptor, a fetch wrapper's callers). A
// comparison next to a request to a route that did not change (`/api/health`) stays a comparison.
const fixtures = path.resolve(import.meta.dirname, '../fixtures/projects');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copy(name: string): string {
  const cwd = mkdtempSync(path.join(tmpdir(), `mtls-fix-${name}-`));
  temps.push(cwd);
  cpSync(path.join(fixtures, name), cwd, { recursive: true });
  return cwd;
}

const readers = (report: MigrateReport): string[] =>
  report.sites.filter((s) => s.framework === 'reader').map((s) => `${s.file}:${s.line} ${s.form}`);

const ACCOUNT = 'GET /api/accounts/:id (server/app.ts:6)';

describe('same-repo readers', () => {
  it('reports each comparison that reads 403 from a rewritten route, then nothing once rewritten', async () => {
    const cwd = copy('readers');
    const { report } = await migrate({ cwd, status: 401, mode: 'check', explain: true });
    expect(readers(report)).toEqual([
      'web/src/Account.tsx:7 res.status === 403',
      'web/src/CloseButton.tsx:6 e.response?.status === 403',
      'web/src/Data.ts:9 response.status === 403',
      'web/src/api.ts:8 error.response?.status === 403',
      'web/src/handle-response.ts:2 response.status === 403',
      'web/src/ky-client.ts:5 response.status == 403',
      'web/src/ky-client.ts:5 [401, 403].includes(response.status)',
      'web/src/request.ts:8 StatusCodes.FORBIDDEN',
    ]);
    const reasons = report.sites.filter((s) => s.framework === 'reader').map((s) => s.reason);
    expect(reasons[0]).toBe(
      `Reads 403 from ${ACCOUNT}, which now answers 401: handle 401 here too (or instead), or mark it // mtls-fix-ignore: <why>.`,
    );
    // Through a data-layer function the component calls, and through a class's own fetch wrapper.
    expect(reasons[1]).toContain(
      'Reads 403 from DELETE /api/accounts/:id (server/app.ts:10) (called through deleteAccount() at web/src/account-data.ts:3)',
    );
    expect(reasons[2]).toContain(
      'Reads 403 from DELETE /api/accounts/:id (server/app.ts:10) (called through this.api() at web/src/Data.ts:2)',
    );
    expect(reasons[3]).toContain(
      'Reads 403 from POST /api/payments (server/routes/payments.ts:5) (called through api at web/src/pay.ts:4)',
    );
    expect(reasons[4]).toContain(
      `Reads 403 from ${ACCOUNT} (called through handleResponse at web/src/accounts-service.ts:4)`,
    );
    expect(reasons[7]).toContain(
      `Reads 403 from ${ACCOUNT} (called through request() at web/src/receipts.ts:4)`,
    );
    // The health check's comparison reads a route that never changed; GitHub's 403 is another service's.
    expect(
      report.notAnEmit?.filter((e) => e.kind === 'comparison').map((e) => `${e.file}:${e.line}`),
    ).toEqual(['web/src/github.ts:4', 'web/src/health.ts:4']);
    expect(report.census).toMatchObject({ occurrences: 15, rewritten: 3, manual: 8 });
    expect(report.summary).toMatchObject({ rewritten: 3, manual: 8 });

    // Written, the server answers 401: a second run has nothing to rewrite, so nothing reads a changed route.
    await migrate({ cwd, status: 401, mode: 'write', force: true });
    const second = await migrate({ cwd, status: 401, mode: 'check', explain: true });
    expect(second.report.summary).toMatchObject({ rewritten: 0, manual: 0, filesChanged: 0 });
    expect(second.report.census.notAnEmit.comparison).toBe(10);
  });

  it('under --spec, reads only from routes of mTLS operations, and names the operation', async () => {
    const cwd = copy('readers');
    const { report } = await migrate({
      cwd,
      status: 401,
      mode: 'check',
      spec: { files: ['openapi.yaml'], mtls: { schemes: [], servers: [], everywhere: false } },
    });
    // POST /payments is not mTLS-secured: its 403 stays, and so does the interceptor's comparison.
    expect(report.sites.filter((s) => s.action === 'would-rewrite').map((s) => s.file)).toEqual([
      'server/app.ts',
    ]);
    expect(readers(report)).toEqual([
      'web/src/Account.tsx:7 res.status === 403',
      'web/src/handle-response.ts:2 response.status === 403',
      'web/src/ky-client.ts:5 response.status == 403',
      'web/src/ky-client.ts:5 [401, 403].includes(response.status)',
      'web/src/request.ts:8 StatusCodes.FORBIDDEN',
    ]);
    expect(new Set(report.sites.filter((s) => s.framework === 'reader').map((s) => s.operation))).toEqual(
      new Set(['GET /accounts/{id}']),
    );
  });

  it('an ignore comment acknowledges a reader', async () => {
    const cwd = copy('readers');
    const { writeFileSync, readFileSync } = await import('node:fs');
    const file = path.join(cwd, 'web/src/Account.tsx');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '      if (res.status === 403)',
        '      // mtls-fix-ignore: the page explains both statuses\n      if (res.status === 403)',
      ),
    );
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(report.sites.find((s) => s.file === 'web/src/Account.tsx')).toMatchObject({
      action: 'ignored',
      reason: 'mtls-fix-ignore: the page explains both statuses',
    });
  });
});

describe('comparisons that read another service or an error code', () => {
  it('ties no reader to a route through another host or a compared error code', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-readers-external-'));
    temps.push(cwd);
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'p', dependencies: { hono: '*' } }),
      'server/app.ts': `import { Hono } from 'hono';
const app = new Hono();
app.all('/projects/*', (c) => c.json({ error: 'no' }, 403));
export default app;
`,
      // openstatus's Vercel client: the wrapper names api.vercel.com, and its error codes are words.
      'web/vercel.ts': `export async function vercelFetch(path: string) {
  return fetch(\`https://api.vercel.com\${path}\`);
}
export async function addDomain() {
  const response = await vercelFetch('/v9/projects/p/domains');
  if (!response.ok) {
    const error = await response.json();
    switch (error?.error?.code) {
      case 'forbidden':
        throw new Error('belongs to another team');
    }
    if (response.statusText === 'Forbidden') throw new Error('denied');
    if (response.status === 403) throw new Error('denied');
  }
  return response.json();
}
`,
      // The same path through this repository's dev-server proxy (\`/api\` stripped) is still read.
      'web/local.ts': `export async function load() {
  const res = await fetch('/api/projects/1');
  if (res.status === 403) return undefined;
  return res.json();
}
`,
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
      writeFileSync(path.join(cwd, file), text);
    }
    const { report } = await migrate({ cwd, status: 401, mode: 'check', explain: true });
    expect(readers(report)).toEqual(['web/local.ts:3 res.status === 403']);
    const kinds = (report.notAnEmit ?? [])
      .filter((e) => e.file === 'web/vercel.ts')
      .map((e) => `${e.line} ${e.text} ${e.kind}`);
    expect(kinds).toEqual(["9 'forbidden' string", "12 'Forbidden' comparison", '13 403 comparison']);
  });
});
