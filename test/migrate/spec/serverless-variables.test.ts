import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 32 (issue 9 part 2): serverless.yml paths holding `${…}` variables, no --mount. What the file itself
// answers (`${self:custom.apiPrefix}` read in turn, a fallback `${self:custom.x, 'keys'}`) is read; a variable
// from outside (`${opt:stage}`) stays named, and the 403 of the handler it names is reported as reached from it.

describe('migrate --spec: serverless variables in Lambda paths', () => {
  it('reads variables the serverless.yml answers and names the rest with their handler', async () => {
    // 96c826f1: 0 of 3 mTLS operations handled; the four events "hold a variable" (the string form split inside
    // `${…, 'keys'}`: path `${self:custom.keysPath,`), and no 403 of their handlers was reported.
    const { report } = await runSpecProject('spellings-serverless-variables');
    expect(
      report.coverage.handled
        .flatMap((h) => h.routes.map((r) => `${h.operation} <- ${r.method} ${r.path} ${r.file}:${r.line}`))
        .sort(),
    ).toEqual([
      'GET /api/v1/accounts/{id} <- GET /api/v1/accounts/:id src/handlers/accounts.ts:1',
      'POST /keys/rotate <- POST /keys/rotate src/handlers/accounts.ts:5',
    ]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /cards/{id}']);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(
      report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line} ${u.reason}`),
    ).toEqual([
      'GET /cards/:id serverless.yml:22 Lambda route of serverless.yml:22 not read: its path or method holds a variable (get ${opt:stage}/cards/{id})',
    ]);
  });

  it('takes a default written for a variable read from outside the file, and names it', async () => {
    // main 6784a697: `${sls:stage}/keys/rotate` "holds a variable" (its 403 manual), and the defaults of
    // `${env:API_VERSION, 'v2'}` / `${opt:stage, 'dev'}` were taken without a word.
    const { report } = await runSpecProject('spellings-serverless-defaults');
    expect(
      report.coverage.handled
        .flatMap((h) => h.routes.map((r) => `${h.operation} <- ${r.method} ${r.path} ${r.file}:${r.line}`))
        .sort(),
    ).toEqual([
      'GET /v2/accounts/{id} <- GET /v2/accounts/:id src/handlers/accounts.ts:1',
      'POST /dev/keys/rotate <- POST /dev/keys/rotate src/handlers/accounts.ts:5', // provider.stage, else 'dev'
    ]);
    expect(
      report.coverage.settingDefaults?.map((d) => `${d.setting} = ${d.value} ${d.file}:${d.line}`),
    ).toEqual([
      "${env:API_VERSION, 'v2'} = v2 serverless.yml:12",
      "${opt:stage, 'dev'} = dev serverless.yml:18",
      '${sls:stage} = dev serverless.yml:18',
    ]);
    // No default written: named with the variable, its handler's 403 manual.
    expect(
      report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line} ${u.reason}`),
    ).toEqual([
      'GET /cards/:id serverless.yml:22 Lambda route of serverless.yml:22 not read: its path or method holds a variable (get ${env:CARDS_BASE}/cards/{id})',
      'GET /health serverless.yml:28 Lambda route of serverless.yml:28 not read: its path or method holds a variable (GET /${opt:region}/health)',
    ]);
  });
});
