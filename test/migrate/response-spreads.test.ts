import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// breaker30 #01: `responses: { ...authErrorResponses, 403: X }` where the spread, imported from another file (here
// through a barrel), holds a 401 became `{ ...authErrorResponses, 401: X }`, overwriting the user's 401. The key is
// now kept and reported as a `401:` beside it is; a spread of a package mtls-fix does not read is reported too.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-spreads-'));
  temps.push(cwd);
  writeFileSync(
    path.join(cwd, 'package.json'),
    JSON.stringify({ name: 'p', dependencies: { '@hono/zod-openapi': '*', hono: '*' } }),
  );
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return cwd;
}

const route = (spread: string, from: string): string =>
  [
    "import { createRoute } from '@hono/zod-openapi';",
    `import { ${spread} } from '${from}';`,
    'export const r = createRoute({',
    "  method: 'get',",
    "  path: '/x',",
    `  responses: { 200: { description: 'ok' }, ...${spread}, 403: { description: 'Forbidden' } },`,
    '});',
    '',
  ].join('\n');

describe('a response map spreading an imported 401 (breaker30 #01)', () => {
  it('keeps the 403 key and names where the 401 is', async () => {
    const cwd = project({
      'src/openapi/shared.ts':
        "export const authErrorResponses = { 401: { description: 'Not authenticated' } } as const;\n",
      'src/openapi/index.ts': "export * from './shared';\n",
      'src/routes.ts': route('authErrorResponses', './openapi'),
    });
    const { report, diff } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    const site = report.sites.find((s) => s.file === 'src/routes.ts');
    expect(site?.action).toBe('manual');
    expect(site?.reason).toContain('through the spread ...authErrorResponses (src/openapi/shared.ts:1)');
    expect(diff).toBe('');
  });

  it('reports a spread it cannot read (a package) instead of renaming blindly', async () => {
    const cwd = project({ 'src/routes.ts': route('commonResponses', '@acme/api-docs') });
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    const site = report.sites.find((s) => s.file === 'src/routes.ts');
    expect(site?.action).toBe('manual');
    expect(site?.reason).toContain('spreads ...commonResponses, which mtls-fix cannot read');
  });

  it('still renames the key when the imported spread holds no 401', async () => {
    const cwd = project({
      'src/shared.ts': "export const notFound = { 404: { description: 'Missing' } };\n",
      'src/routes.ts': route('notFound', './shared'),
    });
    const { report, diff } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    expect(report.sites.find((s) => s.file === 'src/routes.ts')?.action).toBe('would-rewrite');
    expect(diff).toContain(
      "+  responses: { 200: { description: 'ok' }, ...notFound, 401: { description: 'Unauthorized' } },",
    );
  });
});
