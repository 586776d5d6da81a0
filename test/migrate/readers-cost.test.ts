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
    buildRouteIndex: (...args: Parameters<typeof original.buildRouteIndex>) => {
      built.count++;
      return original.buildRouteIndex(...args);
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
