import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { askGitAhead, gitAnswer, gitOutput, GIT_STATUS } from '../../src/migrate/git-early.js';
import { assertCleanWorkTree } from '../../src/migrate/git.js';
import { tempProject } from '../helpers/cli.js';

// A sources thread asks git its questions before it loads its modules (src/migrate/git-early.ts): the answers
// asked ahead are the ones a run would have got, each handed out once; other questions go to git as before.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function repository(): string {
  const dir = tempProject({ 'src/app.ts': 'export const a = 1;\n' });
  temps.push(dir);
  const git = (...args: string[]) =>
    spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], { cwd: dir });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'init');
  return dir;
}

describe('git asked ahead', () => {
  it('hands out the status once, the same as asking then', async () => {
    const cwd = repository();
    askGitAhead(cwd, true);
    const ahead = gitAnswer(cwd, GIT_STATUS);
    // Taken: asked again, it is a new process with the same answer.
    const again = gitAnswer(cwd, GIT_STATUS);
    expect(ahead).not.toBe(again);
    expect(await ahead).toBe('');
    expect(await again).toBe('');
    writeFileSync(path.join(cwd, 'src/app.ts'), 'export const a = 2;\n');
    expect(await gitAnswer(cwd, GIT_STATUS)).toBe(' M src/app.ts\n');
    expect(await gitOutput(path.join(cwd, 'missing'), GIT_STATUS)).toBeUndefined();
  });

  it('the work-tree check gives what it gives without it', async () => {
    const cwd = repository();
    askGitAhead(cwd, true);
    await expect(assertCleanWorkTree(cwd)).resolves.toBeUndefined();
    askGitAhead(cwd, true);
    writeFileSync(path.join(cwd, 'src/app.ts'), 'export const a = 2;\n');
    // Asked before the change: git's answer is what it saw when it looked (either way here). The next check
    // asks git again.
    await assertCleanWorkTree(cwd).catch(() => undefined);
    await expect(assertCleanWorkTree(cwd)).rejects.toThrow(/1 uncommitted change/);
  });

  it('nothing is asked ahead without a clean check, nor for another folder', async () => {
    const cwd = repository();
    const other = repository();
    askGitAhead(cwd, false);
    writeFileSync(path.join(cwd, 'src/app.ts'), 'export const a = 3;\n');
    await expect(assertCleanWorkTree(cwd)).rejects.toThrow(/uncommitted/);
    askGitAhead(other, true);
    writeFileSync(path.join(cwd, 'src/app.ts'), 'export const a = 4;\n');
    await expect(assertCleanWorkTree(cwd)).rejects.toThrow(/uncommitted/);
    await expect(assertCleanWorkTree(other)).resolves.toBeUndefined();
  });
});
