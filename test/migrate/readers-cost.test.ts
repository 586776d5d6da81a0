import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Readers from '../../src/migrate/readers.js';

// The route index parses every source file of the project (documenso: 1945 files, 6.6 s of a 9 s run), so
// readers.ts builds it only when a comparison's lead may give a request. A named function holding the
// comparison counts as a response handler only where some file uses it (calls or passes it) beside a client:
// a Remix `export function ErrorBoundary` that only the framework calls no longer triggers the parse.
const built = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/migrate/readers.js', async (importOriginal) => {
  const original = await importOriginal<typeof Readers>();
  return {
    ...original,
    routeIndexOf: (...args: Parameters<typeof original.routeIndexOf>) => {
      built.count++;
      return original.routeIndexOf(...args);
    },
  };
});
const { migrate } = await import('../../src/migrate/engine.js');

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  built.count = 0;
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-readers-cost-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

const SERVER = `import express from 'express';
const app = express();
app.get('/api/x', (req, res) => res.sendStatus(403));
app.listen(3000);
`;
const BOUNDARY = `export function ErrorBoundary({ error }: { error: { status: number } }) {
  if (error.status === 403) return 'denied';
  return null;
}
`;
// Another file that names ErrorBoundary (an import, JSX) and holds a client call: not a use as a handler.
const ROOT = `import { ErrorBoundary } from './boundary';
export const load = () => fetch('/api/other');
export const view = () => <ErrorBoundary error={{ status: 0 }} />;
`;
const USER = `import { ErrorBoundary } from './boundary';
export const load = () => fetch('/api/x').then(ErrorBoundary);
`;

describe('readers: the route index is built only for a lead that may give a request', () => {
  it('a handler only declared and imported (a Remix ErrorBoundary) does not build it', async () => {
    const cwd = project({ 'server.ts': SERVER, 'web/boundary.tsx': BOUNDARY, 'web/root.tsx': ROOT });
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', force: true });
    expect(report.summary.rewritten).toBe(1);
    expect(built.count).toBe(0);
    expect(report.statusChecks?.map((c) => c.check)).toEqual(['error.status === 403']);
  });

  // dokploy's vault clients: `vaultFetch(url)` imported from another file, the URL built from a configured host.
  // The callee is followed in its own file only; no request with a path, so no route index (13.8 s of 14.7 s of
  // CPU on dokploy, 869 files, before).
  it('an imported callee whose request has no path (a configured host) does not build it', async () => {
    const cwd = project({
      'server.ts': SERVER,
      'vault/types.ts':
        'export const vaultFetch = async (url: string, init: RequestInit = {}) => fetch(url, init);\n',
      'vault/scaleway.ts': `import { vaultFetch } from './types';
const baseUrl = (config: { apiUrl: string }) => \`\${config.apiUrl.replace(/\\/+$/, '')}/secret-manager/v1\`;
export async function read(config: { apiUrl: string }, path: string) {
  const url = \`\${baseUrl(config)}\${path}?\${new URLSearchParams({ revision: 'latest' }).toString()}\`;
  const response = await vaultFetch(url);
  if (response.status === 401 || response.status === 403) throw new Error('authentication failed');
  return response;
}
`,
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', force: true });
    expect(report.summary.rewritten).toBe(1);
    expect(built.count).toBe(0);
    expect(report.statusChecks?.map((c) => c.check)).toEqual(['response.status === 403']);
  });

  it('an imported callee whose caller gives a path builds it and becomes a reader', async () => {
    const cwd = project({
      'server.ts': SERVER,
      'web/api.ts': 'export const api = async (path: string) => fetch(`/api${path}`);\n',
      'web/page.ts': `import { api } from './api';
export async function load() {
  const response = await api('/x');
  if (response.status === 403) return 'denied';
  return 'ok';
}
`,
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', force: true });
    expect(built.count).toBe(1);
    expect(report.sites.filter((s) => s.framework === 'reader').map((s) => s.form)).toEqual([
      'response.status === 403',
    ]);
  });

  it('a handler passed to .then beside a request builds it and becomes a reader', async () => {
    const cwd = project({ 'server.ts': SERVER, 'web/boundary.tsx': BOUNDARY, 'web/user.ts': USER });
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', force: true });
    expect(built.count).toBe(1);
    expect(report.sites.filter((s) => s.framework === 'reader').map((s) => s.form)).toEqual([
      'error.status === 403',
    ]);
    expect(report.statusChecks).toBeUndefined();
  });
});
