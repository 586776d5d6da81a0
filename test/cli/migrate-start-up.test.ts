import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';

// `migrate` starts its git check, discovery and reading on a worker thread before it loads the TypeScript
// compiler (src/cli/migrate-run.ts, src/migrate/sources.ts): that only pays when nothing those modules import
// statically loads the compiler. Checked on the built modules (npm test builds first), in a fresh process.
/** Runs an ES module script in a fresh Node; async, so a loaded machine does not starve vitest's worker RPC. */
async function node(script: string): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
}

const MODULES = [
  'dist/src/cli/migrate-run.js',
  'dist/src/cli/lean-migrate.js',
  'dist/src/migrate/sources.js',
  'dist/src/migrate/sources-worker.js',
  'dist/src/cli/migrate-bundle/lean-migrate.js',
];

describe('migrate start-up', () => {
  it.each(MODULES)('%s loads without the TypeScript compiler', async (module) => {
    const url = pathToFileURL(path.join(REPO_ROOT, module)).href;
    // The worker module runs its program on import: give it an empty request outside a worker (no parentPort).
    const script = `
      import { createRequire } from 'node:module';
      await import(${JSON.stringify(url)}).catch((error) => {
        if (!/workerData|Cannot read properties of (null|undefined)/.test(String(error))) throw error;
      });
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((f) => /[\\\\/]typescript[\\\\/]lib[\\\\/]/.test(f));
      console.log(JSON.stringify(loaded));
    `;
    const run = await node(script);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([]);
  });

  it('the engine does load it (the check above can see it)', async () => {
    const url = pathToFileURL(path.join(REPO_ROOT, 'dist/src/migrate/index.js')).href;
    const script = `
      import { createRequire } from 'node:module';
      await import(${JSON.stringify(url)});
      console.log(Object.keys(createRequire(import.meta.url).cache).some((f) => /[\\\\/]typescript[\\\\/]lib[\\\\/]/.test(f)));
    `;
    const run = await node(script);
    expect(run.stdout.trim()).toBe('true');
  });
});

// The lean path starts the sources thread before it loads the command (src/migrate/sources-prestart.ts): the
// thread waits for its request, then answers as a thread started with it does; one that is gone by then (here:
// its module ends at once) is passed over for a new one.
describe('a sources thread started ahead of its request', () => {
  /** Runs a script from a file (worker threads take the process's flags: not `--input-type`). */
  const nodeFile = async (text: string): Promise<{ stdout: string; stderr: string }> => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'mtls-fix-prestart-script-')), 'run.mjs');
    writeFileSync(file, text);
    return promisify(execFile)(process.execPath, [file], { cwd: REPO_ROOT, encoding: 'utf8' });
  };
  const script = (workerFile: string): string => `
    import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
    import { tmpdir } from 'node:os';
    import path from 'node:path';
    const { prestartSources } = await import(${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'dist/src/migrate/sources-prestart.js')).href)});
    const { startSources, sourcesRequest } = await import(${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'dist/src/migrate/sources.js')).href)});
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-prestart-'));
    // A module that ends at once: the thread is gone before the request comes.
    const ends = path.join(mkdtempSync(path.join(tmpdir(), 'mtls-fix-prestart-ends-')), 'ends.mjs');
    writeFileSync(ends, '');
    const prestarted = prestartSources(${JSON.stringify(workerFile)} || ends);
    for (const [name, text] of Object.entries({
      'src/app.ts': "import { r } from './test/routes';\\napp.get('/a', (req, res) => res.status(403).end());",
      'src/test/routes.ts': 'export const r = 1;',
      'src/plain.ts': 'export const x = 1;',
      'src/router.ts': "export const router = Router();\\nrouter.get('/b', h);",
    })) {
      mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
      writeFileSync(path.join(cwd, name), text);
    }
    // Later than the thread's start, as the lean path asks once the configuration is read.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const request = sourcesRequest({ paths: ['.'], mode: 'dry-run' }, cwd);
    const threaded = startSources(request, prestarted);
    const answers = async (found) => {
      const provisional = await found.discovery();
      const read = found.reader(new Map(), (file) => readFileSync(file, 'utf8'));
      const candidates = [];
      const plain = {};
      for (const f of provisional.files.filter((f) => !f.test)) {
        const source = await read(f.absolute);
        if (source.candidate) candidates.push(f.relative);
        else plain[f.relative] = source.plainExports;
      }
      const final = await found.classified();
      return { files: final.files.map((f) => [f.relative, f.test]), candidates, plain };
    };
    console.log(JSON.stringify({ threaded: threaded?.threaded, prestartedUsed: !prestarted.gone, answers: await answers(threaded) }));
  `;
  const expected = {
    files: [
      ['src/app.ts', false],
      ['src/plain.ts', false],
      ['src/router.ts', false],
      ['src/test/routes.ts', false],
    ],
    candidates: ['src/app.ts'],
    // What each file declares plainly (plain-declarations.ts), taken as it is read: links.ts asks no more.
    plain: { 'src/plain.ts': [], 'src/router.ts': ['router'] },
  };

  it('is given the request and answers as a thread started with it', async () => {
    const run = await nodeFile(script(path.join(REPO_ROOT, 'dist/src/migrate/sources-worker.js')));
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ threaded: true, prestartedUsed: true, answers: expected });
  });

  it('is passed over when it is gone, for a thread started with the request', async () => {
    const run = await nodeFile(script(''));
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ threaded: true, prestartedUsed: false, answers: expected });
  });
});
