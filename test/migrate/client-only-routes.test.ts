import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Breaker50b: a SvelteKit universal load with `export const ssr = false` (own or inherited from a layout) runs only
// in the browser, as does a Remix `clientLoader` / `clientAction`: their `error(403)` / 403 Response never reaches
// the wire. They were rewritten as server code (sinnwerkstatt/landmatrix's +page.ts loads); now census `client`.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-cor-'));
  temps.push(cwd);
  const dependencies = { '@sveltejs/kit': '*', '@remix-run/node': '*', '@remix-run/react': '*' };
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'p', dependencies }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), `${text}\n`);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run', force: true, explain: true })).report;
}

const load = (extra: string): string =>
  [
    "import { error } from '@sveltejs/kit';",
    extra,
    'export async function load() {',
    "  throw error(403, 'Forbidden');",
    '}',
  ].join('\n');

function sitesIn(report: MigrateReport): string[] {
  return report.sites.map((s) => s.file).sort();
}

function clientFiles(report: MigrateReport): string[] {
  return [...new Set((report.notAnEmit ?? []).filter((o) => o.kind === 'client').map((o) => o.file))].sort();
}

describe('browser-only route code sends no status', () => {
  it('SvelteKit: ssr = false of the file, of its +page.server, or inherited from a layout makes its load client', async () => {
    const report = await run({
      'src/routes/own/+page.ts': load('export const ssr = false;'),
      'src/routes/own-on/+page.ts': load('export const ssr = true;'),
      'src/routes/server-set/+page.server.ts': 'export const ssr = false;',
      'src/routes/server-set/+page.js': load(''),
      'src/routes/app/+layout.ts': 'export const ssr = false;',
      'src/routes/app/deep/x/+page.ts': load(''),
      'src/routes/app/deep/x/+page.server.ts': load(''),
      'src/routes/plain/+page.ts': load(''),
      'src/hooks.client.ts': load(''),
    });
    expect(sitesIn(report)).toEqual([
      'src/routes/app/deep/x/+page.server.ts',
      'src/routes/own-on/+page.ts',
      'src/routes/plain/+page.ts',
    ]);
    expect(clientFiles(report)).toEqual([
      'src/hooks.client.ts',
      'src/routes/app/deep/x/+page.ts',
      'src/routes/own/+page.ts',
      'src/routes/server-set/+page.js',
    ]);
  });

  it('SvelteKit: a layout with ssr = false stays server code when a page below turns ssr back on', async () => {
    const report = await run({
      'src/routes/a/+layout.ts': load('export const ssr = false;'),
      'src/routes/a/b/+page.ts': 'export const ssr = true;',
      'src/routes/c/+layout.ts': load('export const ssr = false;'),
      'src/routes/c/d/+page.ts': load(''),
    });
    expect(sitesIn(report)).toEqual(['src/routes/a/+layout.ts']);
    expect(clientFiles(report)).toEqual(['src/routes/c/+layout.ts', 'src/routes/c/d/+page.ts']);
  });

  it('Remix: a clientLoader / clientAction 403 is client, the loader beside it is rewritten', async () => {
    const report = await run({
      'app/routes/c.tsx': [
        "import { json } from '@remix-run/node';",
        'export async function clientLoader() {',
        "  throw json({ message: 'no' }, { status: 403 });",
        '}',
        'export const clientAction = async () => {',
        "  throw new Response('no', { status: 403 });",
        '};',
        'export async function loader() {',
        "  throw json({ message: 'no' }, { status: 403 });",
        '}',
      ].join('\n'),
    });
    expect(report.sites.map((s) => [s.file, s.line])).toEqual([['app/routes/c.tsx', 9]]);
    expect((report.notAnEmit ?? []).filter((o) => o.kind === 'client').map((o) => o.line)).toEqual([3, 6]);
  });
});
