import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 46 (classes46). A class extending a class mtls-fix cannot read whose name says 403 (`class PlanLimit
// extends PermissionDenied`, PermissionDenied from a module that does not resolve) was named at its `extends` only:
// a further subclass (`class SeatLimit extends PlanLimit`, `class TeamLimit extends SeatLimit`), in the same file or
// another (ESM, CommonJS, renamed), and each `new` or `instanceof` of any class of that chain, were silent.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function sitesOf(files: Record<string, string>): Promise<string[]> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-unread-subclasses-'));
  temps.push(cwd);
  const all = { 'package.json': JSON.stringify({ dependencies: { express: '^4' } }), ...files };
  for (const [name, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
  return report.sites
    .filter((s) => s.framework === 'error-classes')
    .map((s) => `${s.action} ${s.file}:${s.line} ${s.form}`);
}

describe('subclasses of a class mtls-fix cannot read whose name says 403', () => {
  it('names each further subclass and each new and instanceof of the chain, in this file and others', async () => {
    const sites = await sitesOf({
      'src/limits.ts': [
        "import { PermissionDenied } from './gone/errors';",
        'export class PlanLimit extends PermissionDenied {}',
        'export class SeatLimit extends PlanLimit {}',
        'export class Quiet extends Error {}',
        '',
      ].join('\n'),
      'src/team.js': [
        "const { SeatLimit: Seat } = require('./limits');",
        'class TeamLimit extends Seat {}',
        'module.exports = { TeamLimit };',
        '',
      ].join('\n'),
      'src/app.ts': [
        "import { PlanLimit, Quiet } from './limits';",
        "import * as limits from './limits';",
        "import { TeamLimit } from './team';",
        'class OrgLimit extends TeamLimit {}',
        'export function a(req: any) {',
        '  if (!req.plan) throw new PlanLimit();',
        '  if (!req.seat) throw new limits.SeatLimit();',
        '  if (!req.team) throw new TeamLimit();',
        '  if (!req.org) throw new OrgLimit();',
        '  if (!req.quiet) throw new Quiet();',
        '}',
        'export function h(err: any, req: any, res: any, next: any) {',
        '  if (err instanceof TeamLimit) return res.status(err.status).json({});',
        '  if (err instanceof Quiet) return res.status(500).json({});',
        '  next(err);',
        '}',
        '',
      ].join('\n'),
    });
    expect(sites).toEqual([
      'manual src/app.ts:4 extends TeamLimit',
      'manual src/app.ts:6 new PlanLimit()',
      'manual src/app.ts:7 new limits.SeatLimit()',
      'manual src/app.ts:8 new TeamLimit()',
      'manual src/app.ts:9 new OrgLimit()',
      'manual src/app.ts:13 err instanceof TeamLimit',
      'manual src/limits.ts:2 extends PermissionDenied',
      'manual src/limits.ts:3 extends PlanLimit',
      'manual src/team.js:2 extends Seat',
    ]);
  });
});
