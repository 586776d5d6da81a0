import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 45 (classes45). A class imported from a project module mtls-fix cannot resolve or read (a relative file
// that is not there, a path alias no tsconfig maps) may answer 403 through its chain, unseen. Where its name says
// 403 (Forbidden, PermissionDenied, AccessDenied, NoPermission…) and the code extends it, builds it or checks it, the
// use is named (manual) with the module it could not read; it was silent. A name saying nothing of 403, or a
// package's class, stays unnamed.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-unread-classes-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

describe('error classes imported from a module mtls-fix cannot read', () => {
  it('names each use of a class whose name says 403', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^4', 'some-errors': '^1' } }),
      'src/app.ts': [
        "import { PermissionDenied, NotFound } from './gone/errors';",
        "import * as E from '@app/errors';",
        "const { AccessDeniedError } = require('../lib/missing');",
        "import { ForbiddenThing } from 'some-errors';",
        'export class PlanLimit extends PermissionDenied {}',
        'export function a(req: any) {',
        '  if (!req.user) throw new E.NoPermissionError();',
        '  if (!req.seat) throw new AccessDeniedError();',
        '  if (!req.x) throw new NotFound();',
        '  if (!req.y) throw new ForbiddenThing();',
        '}',
        'export function h(err: any, req: any, res: any, next: any) {',
        '  if (err instanceof PermissionDenied) return res.status(err.status).json({});',
        '  next(err);',
        '}',
        '',
      ].join('\n'),
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    const named = report.sites.filter((s) => s.framework === 'error-classes');
    const rows = named.map((s) => `${s.action} ${s.file}:${s.line} ${s.form}`);
    expect(rows).toEqual([
      'manual src/app.ts:5 extends PermissionDenied',
      'manual src/app.ts:7 new E.NoPermissionError()',
      'manual src/app.ts:8 new AccessDeniedError()',
      'manual src/app.ts:13 err instanceof PermissionDenied',
    ]);
    expect(named[0]?.reason).toContain(
      "PermissionDenied comes from './gone/errors', which mtls-fix cannot read",
    );
    expect(report.census.occurrences).toBe(
      report.census.rewritten +
        report.census.manual +
        Object.values(report.census.notAnEmit).reduce((a, b) => a + b, 0),
    );
  });
});
