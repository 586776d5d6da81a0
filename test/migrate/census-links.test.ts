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
      'src/responses.ts:3 would-rewrite',
    ]);
    const references = (report.notAnEmit ?? []).filter((e) => e.kind === 'reference');
    expect(references).toEqual([
      // A member of an imported object of helpers (`export const responses = { forbiddenResponse }`).
      {
        file: 'src/accounts.ts',
        line: 5,
        column: 55,
        text: 'forbiddenResponse',
        kind: 'reference',
        via: 'src/responses.ts:3 (res.status(403))',
      },
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

describe('census links through CommonJS modules', () => {
  it('links members of a required module and `exports.name = ...` definitions to the helper that answers 403', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-census-links-cjs-'));
    temps.push(cwd);
    cpSync(path.resolve(import.meta.dirname, '../fixtures/projects/census-links-cjs'), cwd, {
      recursive: true,
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check', explain: true });
    // The two literal 403s are rewritten; the helper taking the status is reported; the name from a library
    // (`vendor-lib`) stays an unknown shape: nothing links it to code the project holds.
    expect(report.sites.map((s) => `${s.file}:${s.line} ${s.framework} ${s.action}`)).toEqual([
      'lib/errorPage/index.js:5 express would-rewrite',
      'lib/response.js:7 express manual',
      'lib/response.js:11 express would-rewrite',
      'lib/user/index.js:13 unknown manual',
    ]);
    const kinds = (report.notAnEmit ?? []).map((e) => `${e.file}:${e.line} ${e.text} ${e.kind}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        // `exports.errorForbidden = errorForbidden`: the export of the function below it.
        'lib/response.js:3 errorForbidden reference',
        // `exports.errorForbidden = (req, res) => { ... }`: the definition, whose 403 is the site inside it.
        'lib/errorPage/index.js:4 errorForbidden reference',
        // `response.errorForbidden(req, res)` and `errorPage.errorForbidden` through require().
        'lib/user/index.js:8 errorForbidden reference',
        'lib/user/index.js:11 errorForbidden reference',
        // An environment variable's name.
        'lib/user/index.js:12 CMD_FORBIDDEN_NOTE_IDS string',
      ]),
    );
    expect(report.census.occurrences).toBe(
      report.census.rewritten +
        report.census.manual +
        Object.values(report.census.notAnEmit).reduce((a, b) => a + b, 0),
    );
  });
});
