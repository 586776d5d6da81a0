import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Census links across files: a name imported from a project file whose declaration is a site is a reference
// to that site (not a new unknown shape); a name from a library stays an unknown shape.
const project = path.resolve(import.meta.dirname, '../fixtures/projects/census-links');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('census links across files', () => {
  it('links `throw forbiddenError` to the shared definition it imports', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-census-links-'));
    temps.push(cwd);
    cpSync(project, cwd, { recursive: true });
    const { report } = await migrate({ cwd, status: 401, mode: 'check', explain: true });
    expect(report.sites.map((s) => `${s.file}:${s.line} ${s.action}`)).toEqual([
      'src/errors.ts:3 would-rewrite',
      'src/other.ts:4 manual',
    ]);
    const references = (report.notAnEmit ?? []).filter((e) => e.kind === 'reference');
    expect(references).toEqual([
      {
        file: 'src/orders.ts',
        line: 4,
        column: 18,
        text: 'forbiddenError',
        kind: 'reference',
        via: "src/errors.ts:3 (new HttpException('no certificate', 403))",
      },
    ]);
    expect(report.census.occurrences).toBe(
      report.census.rewritten +
        report.census.manual +
        Object.values(report.census.notAnEmit).reduce((a, b) => a + b, 0),
    );
  });
});
