import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.js';

// breaker31 #04: migrate's clean-tree check asked git about the working folder only. `migrate ../service/src
// ../loose` run from a clean repository rewrote a file of another repository into its uncommitted work, and a
// file in no repository, exit 0, no word. Now each file's own work tree is checked, on the sources thread and in
// place (MTLS_FIX_SOURCES_WORKER=never).

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const APP = `import express from 'express';
const app = express();
app.get('/accounts', (req, res) => res.status(403).end());
export default app;
`;
const WIP = '// WIP: my uncommitted edit\n';

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.email=a@b', '-c', 'user.name=b', ...args], { cwd, encoding: 'utf8' });

/** tools/ (a clean repo, the working folder), service/ (a repo, committed), loose/ (no repo). */
function layout(): { root: string; tools: string; service: string; loose: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'mtls-fix-trees-'));
  temps.push(root);
  const tools = path.join(root, 'tools');
  const service = path.join(root, 'service');
  const loose = path.join(root, 'loose');
  for (const dir of [tools, path.join(service, 'src'), loose]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(tools, 'README'), 'x\n');
  writeFileSync(path.join(service, 'src/app.ts'), APP);
  writeFileSync(path.join(loose, 'x.ts'), APP);
  for (const repo of [tools, service]) {
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'base');
  }
  return { root, tools, service, loose };
}

const MODES = [
  ['on the sources thread', {}],
  ['in place', { MTLS_FIX_SOURCES_WORKER: 'never' }],
] as const;

describe.each(MODES)('migrate checks the work tree of every file it may write (%s)', (_, env) => {
  it('refuses a path in another repository with uncommitted work, from a clean repository', async () => {
    const { tools, service, loose } = layout();
    writeFileSync(path.join(service, 'src/app.ts'), APP + WIP);
    const run = await runCliAsync(['migrate', '../service/src', '../loose'], { cwd: tools, env });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'mtls-fix: the git work tree holding ../service/src/app.ts has 1 uncommitted change (e.g. src/app.ts). Commit or stash them first so the rewrite is one reviewable diff, or pass --force.',
    );
    expect(readFileSync(path.join(service, 'src/app.ts'), 'utf8')).toBe(APP + WIP);
    expect(readFileSync(path.join(loose, 'x.ts'), 'utf8')).toBe(APP);
  });

  it('refuses a path in no repository when run from one; --force writes; a clean other repository is written', async () => {
    const { tools, service, loose } = layout();
    const run = await runCliAsync(['migrate', '../service/src', '../loose'], { cwd: tools, env });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'mtls-fix: ../loose/x.ts is in no git work tree, so a rewrite there would have no diff to review or undo. Commit it to a git repository first (git init, git add, git commit), or pass --force.',
    );
    expect(readFileSync(path.join(loose, 'x.ts'), 'utf8')).toBe(APP);
    expect(git(service, 'status', '--porcelain')).toBe('');
    const clean = await runCliAsync(['migrate', '../service/src'], { cwd: tools, env });
    expect(clean.code).toBe(0);
    expect(readFileSync(path.join(service, 'src/app.ts'), 'utf8')).toContain('status(401)');
    const forced = await runCliAsync(['migrate', '../loose', '--force'], { cwd: tools, env });
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(loose, 'x.ts'), 'utf8')).toContain('status(401)');
  });

  it('checks a file a named link leads into another repository, and a submodule in its own work tree', async () => {
    const { tools, service } = layout();
    writeFileSync(path.join(service, 'src/app.ts'), APP + WIP);
    symlinkSync(path.join(service, 'src/app.ts'), path.join(tools, 'app.ts'));
    git(tools, 'add', 'app.ts');
    git(tools, 'commit', '-qm', 'link');
    const linked = await runCliAsync(['migrate', 'app.ts'], { cwd: tools, env });
    expect(linked.code).toBe(2);
    expect(linked.stderr).toContain('the git work tree holding');
    expect(readFileSync(path.join(service, 'src/app.ts'), 'utf8')).toBe(APP + WIP);
    // A submodule whose changes the superproject's status hides (`ignore = dirty`): its own work tree counts.
    git(tools, 'rm', '-q', 'app.ts');
    git(tools, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', service, 'svc');
    git(tools, 'config', '-f', '.gitmodules', 'submodule.svc.ignore', 'dirty');
    git(tools, 'add', '-A');
    git(tools, 'commit', '-qm', 'submodule');
    const inner = path.join(tools, 'svc/src/app.ts');
    writeFileSync(inner, APP + WIP);
    expect(git(tools, 'status', '--porcelain')).toBe('');
    const sub = await runCliAsync(['migrate', 'svc/src'], { cwd: tools, env });
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('the git work tree holding svc/src/app.ts has 1 uncommitted change');
    expect(readFileSync(inner, 'utf8')).toBe(APP + WIP);
  });

  it('from a folder outside git, writes with the warning, as before; --dry-run asks nothing', async () => {
    const { loose } = layout();
    const dry = await runCliAsync(['migrate', '.', '--dry-run'], { cwd: loose, env });
    expect(dry.code).toBe(0);
    const run = await runCliAsync(['migrate', '.'], { cwd: loose, env });
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).toContain('not in a git work tree');
    expect(readFileSync(path.join(loose, 'x.ts'), 'utf8')).toContain('status(401)');
  });
});
