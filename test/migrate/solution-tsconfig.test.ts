import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Solution-style tsconfigs (`"files": []` + `references`, as Vite and Nuxt 4 write them) keep the path aliases
// in the referenced configs; Nuxt's referenced configs exist only after `nuxt prepare`. A call of a 403 helper
// through such an alias must link to the helper (census `reference`), not stay an unknown shape.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-solution-'));
  temps.push(cwd);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return cwd;
}

const HELPER = [
  "import { createError } from 'h3';",
  'export function error(statusCode: number, message?: string) {',
  '  return createError({ statusCode, statusMessage: message });',
  '}',
  'export const forbidden = (message?: string) => error(403, message);',
  '',
].join('\n');

describe('aliases of solution-style tsconfigs', () => {
  it('Nuxt 4 before nuxt prepare: ~~/ links to the helper', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { nuxt: '^4.0.0' } }),
      'nuxt.config.ts': 'export default defineNuxtConfig({});\n',
      'tsconfig.json': JSON.stringify({
        files: [],
        references: [{ path: './.nuxt/tsconfig.app.json' }, { path: './.nuxt/tsconfig.server.json' }],
      }),
      'app/app.vue': '<template><div /></template>\n',
      'server/utils/errors.ts': HELPER,
      'server/api/admin.get.ts': [
        "import { forbidden } from '~~/server/utils/errors';",
        'export default defineEventHandler((event) => {',
        '  if (!event.context.cert) throw forbidden();',
        '});',
        '',
      ].join('\n'),
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', force: true });
    expect(report.sites.filter((s) => s.framework === 'unknown')).toEqual([]);
    expect(report.census.notAnEmit.reference).toBe(1);
    expect(report.sites.find((s) => s.action === 'would-rewrite')?.replacement).toBe('error(401, message)');
  });

  it('Vite: @/ from the referenced tsconfig.app.json', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { h3: '^1.0.0' } }),
      'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './tsconfig.app.json' }] }),
      'tsconfig.app.json': JSON.stringify({
        compilerOptions: { baseUrl: '.', paths: { '@/*': ['./src/*'] } },
        include: ['src'],
      }),
      'src/errors.ts': HELPER,
      'src/routes.ts': [
        "import { forbidden } from '@/errors';",
        'export const admin = (cert?: string) => {',
        '  if (!cert) throw forbidden();',
        '};',
        '',
      ].join('\n'),
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', force: true });
    expect(report.sites.filter((s) => s.framework === 'unknown')).toEqual([]);
    expect(report.census.notAnEmit.reference).toBe(1);
  });
});
