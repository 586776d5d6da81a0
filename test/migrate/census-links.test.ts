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

describe('census links to default exports', () => {
  it('links a call of a default-imported or wholly required helper to the 403 its definition holds', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-census-links-default-'));
    temps.push(cwd);
    cpSync(path.resolve(import.meta.dirname, '../fixtures/projects/census-links-default'), cwd, {
      recursive: true,
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check', explain: true });
    // Every helper's own 403 is rewritten where it is written; the only manual item is the default import of
    // a library (`vendor-lib`), whose 403 the project does not hold.
    // Calls of a `forbidden` the project installs itself (`reply.forbidden()`, `ctx.forbidden()`) are not
    // renamed to an `unauthorized` it does not have: they run the installed function, rewritten in place.
    expect(report.sites.map((s) => `${s.file}:${s.line} ${s.framework} ${s.action}`)).toEqual([
      'lib/app.cjs:6 express would-rewrite',
      'lib/forbidden.cjs:2 express would-rewrite',
      'lib/notAllowed.cjs:1 express would-rewrite',
      'src/api/users.js:12 unknown manual',
      'src/decorators/forbidden.ts:5 fastify would-rewrite',
      'src/koa-app.ts:10 koa would-rewrite',
      'src/security/deny.js:2 serverless would-rewrite',
      'src/security/forbidden.js:3 serverless would-rewrite',
      'src/security/refuse.js:1 serverless would-rewrite',
      'src/security/reject.js:1 serverless would-rewrite',
    ]);
    const references = (report.notAnEmit ?? [])
      .filter((e) => e.kind === 'reference')
      .map((e) => `${e.file}:${e.line} ${e.text} -> ${e.via?.replace(/ \(.*/, '')}`);
    expect(references).toEqual(
      expect.arrayContaining([
        // `const sendForbidden = require('./forbidden.cjs')` of `module.exports = function sendForbidden`.
        'lib/routes.cjs:6 sendForbidden -> lib/forbidden.cjs:1',
        // `module.exports = notAllowedForbidden` of a local arrow function.
        'lib/routes.cjs:7 notAllowedForbidden -> lib/notAllowed.cjs:1',
        // `export default forbidden`, `export default (cb) => …`, `export { x as default }`.
        'src/api/users.js:8 forbidden -> src/security/forbidden.js:2',
        'src/api/users.js:10 refuseForbidden -> src/security/refuse.js:1',
        'src/api/users.js:11 rejectForbidden -> src/security/reject.js:1',
        // A default import re-exported by a barrel (`import forbidden from './forbidden.js'; export { forbidden }`).
        'src/server.ts:5 forbidden -> src/decorators/forbidden.ts:4',
        // Methods installed on Express's response, Koa's context and Fastify's reply, called elsewhere.
        'lib/users.cjs:4 forbidden -> lib/app.cjs:5',
        'src/koa-app.ts:15 forbidden -> src/koa-app.ts:9',
        'src/routes.ts:7 forbidden -> src/decorators/forbidden.ts:4',
      ]),
    );
    // The decorator's name is what callers use (`reply.forbidden()`): a declaration, not a phrase to change;
    // so is the name of a method installed by assignment (`app.context.forbidden = function …`).
    const kindOf = (file: string, text: string) =>
      (report.notAnEmit ?? []).find((e) => e.file === file && e.text === text)?.kind;
    expect(kindOf('src/server.ts', "'forbidden'")).toBe('declaration');
    expect(kindOf('src/koa-app.ts', 'forbidden')).toBe('declaration');
    expect(kindOf('lib/app.cjs', 'forbidden')).toBe('declaration');
    const { diff } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    expect(diff).not.toMatch(/^\+.*\.unauthorized\(/m);
  });
});
