import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// `migrate()` is the package's API: a long-lived process (an editor integration, a watch script, a test suite)
// may run it again after files changed. What a run read of the file system must not answer the next run: before
// session 46, module-level caches keyed by path (a module's re-exports, a folder's serverless.yml handlers) gave
// the second run the first run's answer.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-run-caches-'));
  temps.push(cwd);
  write(cwd, files);
  return cwd;
}

function write(cwd: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
}

const actions = async (cwd: string): Promise<string[]> =>
  (await migrate({ cwd, status: 401, mode: 'dry-run' })).report.sites.map(
    (s) => `${s.file}:${s.line} ${s.action}`,
  );

describe('a second migrate() in one process reads the files as they are now', () => {
  it("a local module's re-exports (Deno's deps.ts) edited between runs", async () => {
    const cwd = project({
      'package.json': JSON.stringify({ name: 'p', dependencies: { express: '*' } }),
      'src/deps.ts': 'export const version = 1;\n',
      'src/server.ts':
        'import { Router } from "./deps.ts";\nconst router = new Router();\nrouter.get("/a", (ctx) => { ctx.response.status = 403; });\n',
    });
    const first = await actions(cwd);
    expect(first).not.toContain('src/server.ts:3 would-rewrite');
    write(cwd, { 'src/deps.ts': 'export { Router } from "https://deno.land/x/oak@v12.6.1/mod.ts";\n' });
    expect(await actions(cwd)).toEqual(['src/server.ts:3 would-rewrite']);
  });

  it("a folder's serverless.yml handlers edited between runs", async () => {
    const handler =
      'export const main = async () => ({ statusCode: 403, body: JSON.stringify({ message: "no" }) });\n';
    const cwd = project({
      'package.json': JSON.stringify({ name: 'p' }),
      'serverless.yml': 'service: s\nprovider: { name: aws }\nfunctions: {}\n',
      'src/deny.ts': handler,
    });
    const first = await actions(cwd);
    write(cwd, {
      'serverless.yml':
        'service: s\nprovider: { name: aws }\nfunctions:\n  deny:\n    handler: src/deny.main\n    events: [{ http: { path: deny, method: get } }]\n',
    });
    const second = await actions(cwd);
    // What a fresh process answers for the files as they are now.
    const fresh = await import('node:child_process').then(
      ({ execFileSync }) =>
        JSON.parse(
          execFileSync(
            process.execPath,
            [
              path.resolve(import.meta.dirname, '../../bin/run.js'),
              'migrate',
              '--dry-run',
              '--json',
              '--force',
            ],
            { cwd, encoding: 'utf8' },
          ),
        ) as { sites: { file: string; line: number; action: string }[] },
    );
    expect(second).toEqual(fresh.sites.map((s) => `${s.file}:${s.line} ${s.action}`));
    expect(second).not.toEqual(first);
  });
});
