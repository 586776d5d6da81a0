import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// breaker36 #01 (hono-openapi-starter's `assertNotSelf(actor.id, userId, 'USER_CANNOT_DISABLE_SELF')`): a code the
// error registry maps to 403, handed to a helper of another file whose parameter becomes `new AppError(code)`.
// Before, neither the call nor the helper was named; `--spec` listed the registry's 403 row as reached by no mTLS
// operation; error-classes said "No call passing 403 was linked" to AppError while code-maps linked a call to it.
const project = path.resolve(import.meta.dirname, '../fixtures/projects/code-map-helpers');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copy(): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-code-map-helpers-'));
  temps.push(cwd);
  cpSync(project, cwd, { recursive: true });
  return cwd;
}

describe('a table code handed to a helper parameter', () => {
  it('names the call, the helper raise and the row, and no contradicting error-classes note', async () => {
    const { report } = await migrate({ cwd: copy(), status: 401, mode: 'check' });
    const named = report.sites
      .filter((s) => s.framework === 'code-maps')
      .map((s) => `${s.file}:${s.line} ${s.action}`);
    expect(named).toEqual([
      'src/app.ts:7 manual',
      'src/app.ts:11 manual',
      'src/errors.ts:3 manual',
      'src/helpers.ts:3 manual',
    ]);
    const [call, , row, raise] = report.sites.filter((s) => s.framework === 'code-maps');
    expect(call.reason).toMatch(
      /Passes the code 'CANNOT_SELF' to assertNotSelf\(…\), which raises it \(new AppError\(code\) at src\/helpers\.ts:3\)/,
    );
    expect(raise.reason).toMatch(/parameter 'code': 'CANNOT_SELF' at src\/app\.ts:7/);
    expect(row.reason).toMatch(/thrown at src\/app\.ts:7, src\/app\.ts:11/);
    expect(report.sites.some((s) => /No call passing 403 was linked/.test(s.reason ?? ''))).toBe(false);
    expect(report.census.manual).toBe(report.census.occurrences);
  });

  it('under --spec, the 403 row is reached by the operations that throw its code', async () => {
    const { report } = await migrate({
      cwd: copy(),
      status: 401,
      mode: 'check',
      spec: { files: ['openapi.yaml'], mtls: { schemes: [], servers: [], everywhere: false } },
    });
    const row = report.sites.find((s) => s.file === 'src/errors.ts' && s.line === 3);
    expect(row?.action).toBe('manual');
    expect(row?.operation).toBeTruthy();
    expect(report.census.outOfScope).toBe(0);
    expect(report.coverage?.notReached).toBe(0);
    const disable = report.sites.filter((s) => s.operation === 'POST /users/{id}/disable');
    expect(disable.map((s) => `${s.file}:${s.line}`)).toEqual(
      expect.arrayContaining(['src/app.ts:7', 'src/helpers.ts:3']),
    );
  });
});
