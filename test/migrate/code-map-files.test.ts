import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// An application error code mapped to 403 only in a code -> status table of another file (documenso's
// `[AppErrorCode.CSC_UNLICENSED]: { code: 'FORBIDDEN', status: 403 }`), read by an error handler with no 403 of
// its own: before, only the table entries were named; the handler was never parsed and the throws of a code with
// no 403-like word (`AppErrorCode.UNLICENSED`) were not either.
const project = path.resolve(import.meta.dirname, '../fixtures/projects/code-map-files');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('code maps across files', () => {
  it('names or rewrites every throw of a code the table maps to 403, and the reader of the table', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-code-map-files-'));
    temps.push(cwd);
    cpSync(project, cwd, { recursive: true });
    const { report } = await migrate({ cwd, status: 401, mode: 'check', explain: true });
    const sites = report.sites.filter((s) => s.file.startsWith('src/routes/') || s.file === 'src/server.ts');
    expect(sites.map((s) => `${s.file}:${s.line} ${s.action}`)).toEqual([
      'src/routes/documents.ts:7 would-rewrite',
      'src/routes/documents.ts:8 manual',
      'src/routes/documents.ts:9 manual',
      'src/server.ts:8 manual',
    ]);
    expect(sites[0].replacement).toContain('AppErrorCode.UNAUTHORIZED');
    expect(sites[1].reason).toMatch(
      /'UNLICENSED' answers 403 through codeToStatus \(src\/errors\/app-error\.ts:9\)/,
    );
    expect(sites[2].reason).toMatch(/Passes the code 'UNLICENSED' to assertLicensed/);
    // The table entries stay named.
    expect(
      report.sites.filter((s) => s.file === 'src/errors/app-error.ts' && s.action === 'manual'),
    ).toHaveLength(3);
    expect(report.census.occurrences).toBe(
      report.census.rewritten +
        report.census.manual +
        Object.values(report.census.notAnEmit).reduce((a, b) => a + b, 0),
    );
  });
});
