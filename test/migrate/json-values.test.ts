import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// breaker31 #06: `res.status(errors.noCert.status)` reading a 403 from an imported errors.json became a bare 401,
// while the JSON kept `"status": 403` (also sent as the body, and read by other code): nothing named the JSON and
// the census said "0 occurrences of 403". As for a TypeScript enum member, each 403 of such a JSON file is now a
// manual site there (file:line, with the reads this run replaced), counted in the census; the JSON is never written.
const fixture = path.resolve(import.meta.dirname, '../fixtures/projects/json-status');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copy(): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-json-status-'));
  temps.push(cwd);
  cpSync(fixture, cwd, { recursive: true });
  return cwd;
}

describe('a 403 read from a JSON module', () => {
  it('is named in the JSON, counted in the census, and the JSON stays as it is', async () => {
    const cwd = copy();
    const result = await migrate({ cwd, status: 401, mode: 'write', force: true });
    const json = result.report.sites.filter((s) => s.file === 'src/errors.json');
    expect(json.map((s) => [s.line, s.column, s.action, s.form])).toEqual([
      [2, 25, 'manual', '"noCert.status": 403'],
      [3, 26, 'manual', '"revoked.status": 403'],
    ]);
    // The read one names both reads this run replaced (ES import and require), the other says none reads it.
    expect(json[0]?.reason).toContain(
      "'noCert.status' of src/errors.json:2 still holds 403: this run writes 401 in place of its reads as a status (src/app.ts:5 res.status(errors.noCert.status), src/legacy.js:4 res.status(errors.noCert.status))",
    );
    expect(json[1]?.reason).toContain('no status slot of this run reads it by name');
    // A JSON whose 403 no status slot reads (a limit) is not named.
    expect(result.report.sites.some((s) => s.file === 'src/limits.json')).toBe(false);
    expect(result.report.census).toMatchObject({ occurrences: 2, manual: 2, rewritten: 0 });
    expect(result.report.summary).toMatchObject({ rewritten: 2, manual: 2 });
    expect(readFileSync(path.join(cwd, 'src/errors.json'), 'utf8')).toBe(
      readFileSync(path.join(fixture, 'src/errors.json'), 'utf8'),
    );
    expect(readFileSync(path.join(cwd, 'src/app.ts'), 'utf8')).toContain(
      'res.status(401).json(errors.noCert)',
    );
  });
});
