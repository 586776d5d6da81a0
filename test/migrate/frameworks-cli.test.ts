import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { migrateSource } from '../../src/migrate/transform.js';

// End-to-end for issue 16's file kinds: `.astro` frontmatter, Nitro's auto-imported `server/` helpers, Flow files.
const bin = path.resolve(import.meta.dirname, '../../bin/run.js');
let dir = '';

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ dependencies: { nuxt: '^3.0.0', astro: '^4.0.0' } }),
  'server/api/admin.get.ts':
    "export default (event) => {\n  throw createError({ statusCode: 403, statusMessage: 'Forbidden' });\n};\n",
  'src/pages/admin.astro':
    '---\nif (!Astro.locals.user) Astro.response.status = 403;\n---\n<p>Status 403 page text</p>\n',
  'src/flow.js': '// @flow\nexport type Role = {| name: string |};\nres.status(403);\n',
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'mtls-fix-i16-'));
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migrate on Nuxt server files, Astro pages and Flow files', () => {
  it('rewrites the auto-imported createError and the frontmatter, and names Flow for the file that does not parse', () => {
    const result = spawnSync(process.execPath, [bin, 'migrate', '.', '--json', '--force'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CI: '1' },
    });
    const report = JSON.parse(result.stdout) as {
      sites: { file: string; line: number; framework: string; action: string }[];
      errors: { file: string; message: string }[];
    };
    expect(result.status).toBe(2);
    const rewritten = report.sites.filter((s) => s.action === 'rewritten');
    expect(rewritten.map((s) => `${s.file}:${s.line} ${s.framework}`).sort()).toEqual([
      'server/api/admin.get.ts:2 h3',
      'src/pages/admin.astro:2 astro',
    ]);
    expect(readFileSync(path.join(dir, 'src/pages/admin.astro'), 'utf8')).toBe(
      FILES['src/pages/admin.astro'].replace('= 403', '= 401'),
    );
    expect(readFileSync(path.join(dir, 'server/api/admin.get.ts'), 'utf8')).toContain(
      "createError({ statusCode: 401, statusMessage: 'Unauthorized' })",
    );
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0].file).toBe('src/flow.js');
    expect(report.errors[0].message).toMatch(/Flow-only syntax is not supported/);
  });
});

describe("Nitro's auto-imports count only in server files", () => {
  const text = 'export function deny() {\n  throw createError({ statusCode: 403 });\n}\n';
  const run = (file: string) =>
    migrateSource(file, text, { target: 401, frameworks: FRAMEWORKS, testFile: false });

  it('rewrites under server/', () => {
    expect(run('server/utils/deny.ts').text).toContain('statusCode: 401');
  });

  it('leaves app code alone', () => {
    expect(run('app/composables/deny.ts').text).toBe(text);
  });
});

describe('a Sails custom response file is shared by every caller', () => {
  const text = 'module.exports = function forbidden(data) {\n  return this.res.status(403).json(data);\n};\n';

  it('is reported, not rewritten', () => {
    const result = migrateSource('api/responses/forbidden.js', text, {
      target: 401,
      frameworks: FRAMEWORKS,
      testFile: false,
    });
    expect(result.text).toBe(text);
    const sites = result.sites.filter((s) => s.framework === 'sails');
    expect(sites).toHaveLength(1);
    expect(sites[0].kind).toBe('manual');
    expect(sites[0].reason).toMatch(/every res\.forbidden\(\)/);
  });
});
