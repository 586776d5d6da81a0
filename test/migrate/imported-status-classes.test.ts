import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// A project class whose 403 is a constant imported from another module (`import { DENIED } from './codes'`;
// `status = DENIED`, `super(m, DENIED)`, CommonJS `const { DENIED } = require('./codes')`, a renamed import)
// fixes 403 like one that writes the number: its subclasses (here and in other files), the `new`s of it and
// of them, and `instanceof` checks on them are named, as for `status = 403` (session 45, classes45).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-imported-status-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

const FILES = {
  'package.json': JSON.stringify({ dependencies: { express: '^4' } }),
  'src/codes.ts': 'export const DENIED = 403;\nexport const GONE = 410;\n',
  'src/codes-barrel.ts': "export * from './codes';\n",
  'src/cjs-codes.js': 'module.exports = { NOPE: 403 };\n',
  'src/errors.ts': [
    "import { DENIED, GONE } from './codes';",
    "import { DENIED as NO } from './codes-barrel';",
    'export class Base extends Error { status = DENIED; }',
    'export class Sub extends Base {}',
    'export class Viaargs extends Error { constructor(public m: string, public status: number) { super(m); } }',
    "export class Passed extends Viaargs { constructor() { super('x', NO); } }",
    'export class PassedSub extends Passed {}',
    'export class Other extends Error { status = GONE; }',
    'export class OtherSub extends Other {}',
    '',
  ].join('\n'),
  'src/cjs-errors.js': [
    "const { NOPE } = require('./cjs-codes');",
    'class CjsBase extends Error { constructor(m) { super(m); this.statusCode = NOPE; } }',
    'class CjsSub extends CjsBase {}',
    'module.exports = { CjsBase, CjsSub };',
    '',
  ].join('\n'),
  'src/cjs-whole.js': [
    "const { NOPE } = require('./cjs-codes');",
    'class Whole extends Error { constructor(m) { super(m); this.statusCode = NOPE; } }',
    'module.exports = Whole;',
    '',
  ].join('\n'),
  'src/use.js': [
    "const Whole = require('./cjs-whole');",
    "const { CjsBase } = require('./cjs-errors');",
    "function f() { throw new Whole('x'); }",
    "function g() { throw new CjsBase('y'); }",
    'module.exports = { f, g };',
    '',
  ].join('\n'),
  'src/far.ts': [
    "import { Sub, PassedSub, Base, OtherSub } from './errors';",
    'export class FarSub extends Sub {}',
    'export function a() { throw new Base(); }',
    'export function b() { throw new PassedSub(); }',
    'export function c() { throw new OtherSub(); }',
    'export function d(err: unknown) { return err instanceof Sub; }',
    '',
  ].join('\n'),
};

describe('error classes whose 403 is an imported constant', () => {
  it('start a chain: subclasses, their news and instanceof checks are named, in every spelling', async () => {
    const cwd = project(FILES);
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    const rows = report.sites
      .filter((s) => s.framework === 'error-classes')
      .map((s) => `${s.action} ${s.file}:${s.line} ${s.form}`);
    expect(rows).toEqual(
      expect.arrayContaining([
        'manual src/errors.ts:4 extends Base',
        'manual src/errors.ts:7 extends Passed',
        'manual src/cjs-errors.js:3 extends CjsBase',
        'manual src/far.ts:2 extends Sub',
        'manual src/far.ts:3 new Base()',
        'manual src/far.ts:6 err instanceof Sub',
        "manual src/use.js:3 new Whole('x')",
        "manual src/use.js:4 new CjsBase('y')",
      ]),
    );
    // A class fixing another imported status (410) starts no chain.
    expect(rows.filter((r) => /OtherSub|Other\b/.test(r))).toEqual([]);
    expect(report.census.occurrences).toBe(
      report.census.rewritten +
        report.census.manual +
        Object.values(report.census.notAnEmit).reduce((a, b) => a + b, 0),
    );
  });
});
