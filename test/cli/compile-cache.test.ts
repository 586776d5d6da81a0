import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

// The TypeScript compiler's V8 code cache (src/util/compile-cache.cts): written once by the first run, read by
// the next ones, replaced when V8 rejects it, off with NODE_DISABLE_COMPILE_CACHE; a cache that cannot be read
// or written changes nothing a user sees.
const SERVER = [
  "import express from 'express';",
  'const app = express();',
  "app.get('/a', (req, res) => res.status(403).json({ error: 'forbidden' }));",
  '',
].join('\n');

const project = (): string =>
  tempProject({ 'package.json': JSON.stringify({ dependencies: { express: '^4' } }), 'src/app.ts': SERVER });

async function migrate(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = await runCliAsync(['migrate', '--dry-run', '--json'], {
    cwd: project(),
    env: { CI: '1', ...env },
  });
  return { code: run.code, stdout: run.stdout, stderr: run.stderr };
}

const cacheFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.v8cache'));
const freshDir = (): string => mkdtempSync(path.join(tmpdir(), 'mtls-fix-cc-'));

describe('the compiler code cache', () => {
  it('is written by the first run, read unchanged by the next, with the same output', async () => {
    const dir = freshDir();
    const first = await migrate({ NODE_COMPILE_CACHE: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('"status": 401');
    const files = cacheFiles(dir);
    expect(files).toHaveLength(1);
    const written = statSync(path.join(dir, files[0]));
    expect(written.size).toBeGreaterThan(100_000);
    const second = await migrate({ NODE_COMPILE_CACHE: dir });
    expect(second).toEqual(first);
    // Accepted: not written again (no temporary file left either).
    expect(readdirSync(dir)).toEqual(files);
    expect(statSync(path.join(dir, files[0])).mtimeMs).toBe(written.mtimeMs);
  });

  it('is replaced when V8 rejects it, and the run is unaffected', async () => {
    const dir = freshDir();
    const reference = await migrate({ NODE_DISABLE_COMPILE_CACHE: '1' });
    await migrate({ NODE_COMPILE_CACHE: dir });
    const [file] = cacheFiles(dir);
    writeFileSync(path.join(dir, file), Buffer.from('not a V8 code cache'));
    expect(await migrate({ NODE_COMPILE_CACHE: dir })).toEqual(reference);
    expect(readFileSync(path.join(dir, file)).length).toBeGreaterThan(100_000);
  });

  it('is not written with NODE_DISABLE_COMPILE_CACHE', async () => {
    const dir = freshDir();
    const run = await migrate({ NODE_COMPILE_CACHE: dir, NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(run.code).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes other caches unused for 30 days when it writes its own, and keeps the one in use recent', async () => {
    const dir = freshDir();
    const day = 24 * 60 * 60;
    const now = Date.now() / 1000;
    const stale = path.join(dir, 'typescript-0000000000000000dead.v8cache');
    const recent = path.join(dir, 'typescript-00000000000000000new.v8cache');
    const other = path.join(dir, 'notes.txt');
    for (const file of [stale, recent, other]) writeFileSync(file, 'x');
    utimesSync(stale, now - 31 * day, now - 31 * day);
    utimesSync(recent, now - 29 * day, now - 29 * day);
    utimesSync(other, now - 90 * day, now - 90 * day);
    expect((await migrate({ NODE_COMPILE_CACHE: dir })).code).toBe(0);
    const own = cacheFiles(dir).find((f) => f !== path.basename(recent)) ?? '';
    expect(readdirSync(dir).sort()).toEqual([own, path.basename(recent), 'notes.txt'].sort());
    // A run that uses a cache last marked two days ago marks it used now (the pruning reads that mark).
    const ownFile = path.join(dir, own);
    utimesSync(ownFile, now - 2 * day, now - 2 * day);
    expect((await migrate({ NODE_COMPILE_CACHE: dir })).code).toBe(0);
    expect(statSync(ownFile).mtimeMs / 1000).toBeGreaterThan(now - 60);
  });

  it('changes nothing when its folder cannot be made', async () => {
    const blocker = path.join(freshDir(), 'a-file');
    writeFileSync(blocker, 'in the way');
    const reference = await migrate({ NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(await migrate({ NODE_COMPILE_CACHE: path.join(blocker, 'cache') })).toEqual(reference);
  });
});

// The minified copy of the compiler (scripts/bundle-typescript.mjs writes dist/vendor/typescript-<version>.js):
// compiled in place of the package's file when it is there for the installed version, as the package's module.
describe('a minified copy of the package', () => {
  const compileCache = path.resolve('dist/src/util/compile-cache.cjs');
  /** A package `fake` at version 1.2.3 whose module reports which file's code ran and as what. */
  const setUp = (): { modules: string; copies: string } => {
    const root = freshDir();
    const modules = path.join(root, 'node_modules');
    const reportFrom = (which: string): string =>
      `module.exports = { which: ${JSON.stringify(which)}, filename: __filename, dirname: __dirname };\n`;
    const files: Record<string, string> = {
      'node_modules/fake/package.json': JSON.stringify({
        name: 'fake',
        version: '1.2.3',
        main: 'lib/fake.js',
      }),
      'node_modules/fake/lib/fake.js': reportFrom('package'),
      'copies/fake-1.2.3.js': reportFrom('copy'),
      'copies/fake-9.9.9.js': reportFrom('other version'),
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      writeFileSync(path.join(root, name), text);
    }
    return { modules, copies: path.join(root, 'copies') };
  };
  const load = (modules: string, copies: string | undefined, cache: string): Record<string, string> => {
    const script = [
      `require(${JSON.stringify(compileCache)}).preloadWithCodeCache('fake', ${JSON.stringify(copies)});`,
      "process.stdout.write(JSON.stringify(require('fake')));",
    ].join('\n');
    const run = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { ...process.env, NODE_PATH: modules, NODE_COMPILE_CACHE: cache },
    });
    expect(run.stderr).toBe('');
    return JSON.parse(run.stdout) as Record<string, string>;
  };

  it('is compiled when there is one for the installed version, as the package file (its __filename)', () => {
    const { modules, copies } = setUp();
    const cache = freshDir();
    const own = path.join(modules, 'fake', 'lib', 'fake.js');
    const expected = { which: 'copy', filename: own, dirname: path.dirname(own) };
    expect(load(modules, copies, cache)).toEqual(expected);
    expect(cacheFiles(cache)).toHaveLength(1);
    // The next run compiles it from the cache the first one wrote, with the same result.
    expect(load(modules, copies, cache)).toEqual(expected);
    expect(cacheFiles(cache)).toHaveLength(1);
  });

  it('is passed over for another version, and when no folder is given', () => {
    const { modules, copies } = setUp();
    rmSync(path.join(copies, 'fake-1.2.3.js'));
    expect(load(modules, copies, freshDir()).which).toBe('package');
    expect(load(modules, undefined, freshDir()).which).toBe('package');
  });
});
