import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 46 (classes46). oRPC typed errors. (1) `.errors({ FORBIDDEN: { status: 403 } })` whose status is rewritten
// answers the agreed status: its key FORBIDDEN was still named as "'FORBIDDEN' names a 403 and stays" (wrong after
// the rewrite); it is the definition's key, counted with the rewritten site. (2) `errors.FORBIDDEN()` linked to the
// FIRST `FORBIDDEN` definition of its file, not the one on its own builder chain: it links to the `.errors({…})` of
// its handler's builder (`pub.handler(…)` of `const pub = os.errors({…})`, a chain `os.errors({…}).handler(…)`).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>) {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-orpc-typed-'));
  temps.push(cwd);
  const all = { 'package.json': JSON.stringify({ dependencies: { '@orpc/server': '^1' } }), ...files };
  for (const [name, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  const { report } = await migrate({ cwd, status: 401, mode: 'write', explain: true });
  return { report, read: (name: string) => readFileSync(path.join(cwd, name), 'utf8') };
}

describe('oRPC typed errors', () => {
  it('counts a rewritten FORBIDDEN definition key with its site, not as a 403 name that stays', async () => {
    const { report, read } = await run({
      'src/router.ts': [
        "import { os } from '@orpc/server';",
        'const base = os.errors({',
        "  FORBIDDEN: { status: 403, message: 'no' },",
        '});',
        'export const a = base.handler(({ errors }) => { throw errors.FORBIDDEN(); });',
        '',
      ].join('\n'),
    });
    expect(read('src/router.ts')).toContain("FORBIDDEN: { status: 401, message: 'no' }");
    const rows = report.sites.map((s) => `${s.action} ${s.file}:${s.line} ${s.form}`);
    expect(rows).toEqual(["rewritten src/router.ts:3 FORBIDDEN: { status: 403, message: 'no' }"]);
    const { census } = report;
    const notAnEmit = Object.values(census.notAnEmit).reduce((a, b) => a + b, 0);
    expect(census.occurrences).toBe(census.rewritten + census.manual + notAnEmit);
  });
  it('links errors.FORBIDDEN() to the definition on its own builder chain', async () => {
    const { report } = await run({
      'src/router.ts': [
        "import { os } from '@orpc/server';",
        'const pub = os.errors({',
        '  FORBIDDEN: { status: 403 },',
        '});',
        'const priv = os.errors({',
        "  FORBIDDEN: { message: 'members only' },",
        '});',
        'export const a = pub.handler(({ errors }) => { throw errors.FORBIDDEN(); });',
        'export const b = priv.use(({ next }) => next()).handler(({ errors: e }) => { throw e.FORBIDDEN(); });',
        'export const c = os.errors({ FORBIDDEN: {} }).handler(({ errors }) => { throw errors.FORBIDDEN(); });',
        '',
      ].join('\n'),
    });
    const links = (report.notAnEmit ?? [])
      .filter((i) => i.kind === 'reference')
      .map((i) => `${i.file}:${i.line} ${i.via ?? ''}`);
    expect(links).toEqual([
      'src/router.ts:8 src/router.ts:3 (FORBIDDEN: { status: 403 })',
      "src/router.ts:9 src/router.ts:6 (FORBIDDEN: { message: 'members only' })",
      'src/router.ts:10 src/router.ts:10 (FORBIDDEN: {})',
    ]);
  });
});
