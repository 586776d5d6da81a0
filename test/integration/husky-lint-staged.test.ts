import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { git } from '../helpers/hook-source.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { spawnAsync } from '../helpers/spawn.js';

/**
 * README's husky + lint-staged recipe, run as written in a temporary git repository: its shell steps
 * (but the `npm install`, replaced by links to this checkout and to our own husky and lint-staged
 * devDependencies, so nothing is fetched), its `lint-staged` block, then real commits through the hook
 * husky installed. Offline: npx finds every program in the project's node_modules/.bin.
 */
const README = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

function recipe(): { steps: string[]; lintStaged: Record<string, string> } {
  const start = README.indexOf('### husky + lint-staged');
  if (start < 0) throw new Error('README has no "### husky + lint-staged" section');
  const section = README.slice(start, README.indexOf('\n## ', start));
  const sh = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  const json = /```json\n([\s\S]*?)```/.exec(section)?.[1];
  if (!sh || !json) throw new Error('the husky + lint-staged section needs a ```sh and a ```json block');
  const steps = sh.split('\n').filter((line) => line.trim() !== '');
  const lintStaged = (JSON.parse(`{${json}}`) as { 'lint-staged': Record<string, string> })['lint-staged'];
  return { steps, lintStaged };
}

const MTLS_SPEC = (status: string) => `openapi: 3.1.0
info: {title: accounts, version: '1'}
components:
  securitySchemes:
    clientCert: {type: mutualTLS}
security: [{clientCert: []}]
paths:
  /accounts/{id}:
    get:
      responses:
        '200': {description: ok}
        '${status}': {description: no access}
`;

const EXPRESS_APP = `import express from 'express';
const app = express();
app.get('/accounts/:id', (req, res) => {
  res.status(403).send('no');
});
`;

describe('README recipe: husky + lint-staged in a temporary repository', () => {
  let repo = '';
  let env: NodeJS.ProcessEnv = {};

  const commit = (message: string) =>
    spawnAsync(
      'git',
      ['-c', 'user.email=test@example.com', '-c', 'user.name=test', 'commit', '-m', message],
      {
        cwd: repo,
        env,
        timeout: 300_000,
      },
    );

  beforeAll(async () => {
    const { steps, lintStaged } = recipe();
    expect(steps[0]).toMatch(/^npm install --save-dev mtls-fix husky lint-staged/);
    repo = mkdtempSync(path.join(tmpdir(), 'mtls-fix-husky-'));
    git(repo, 'init', '-q', '-b', 'main');
    // What `npm install --save-dev mtls-fix husky lint-staged@16` leaves: the packages and their bins.
    const modules = path.join(repo, 'node_modules');
    mkdirSync(path.join(modules, '.bin'), { recursive: true });
    symlinkSync(REPO_ROOT, path.join(modules, 'mtls-fix'), 'dir');
    for (const name of ['husky', 'lint-staged']) {
      symlinkSync(path.join(REPO_ROOT, 'node_modules', name), path.join(modules, name), 'dir');
    }
    symlinkSync('../mtls-fix/bin/run.js', path.join(modules, '.bin/mtls-fix'));
    symlinkSync('../husky/bin.js', path.join(modules, '.bin/husky'));
    symlinkSync('../lint-staged/bin/lint-staged.js', path.join(modules, '.bin/lint-staged'));
    writeFileSync(
      path.join(repo, 'package.json'),
      `${JSON.stringify({ name: 'svc', private: true, dependencies: { express: '^4' }, 'lint-staged': lintStaged }, null, 2)}\n`,
    );
    writeFileSync(path.join(repo, '.gitignore'), 'node_modules/\n');
    env = {
      ...process.env,
      npm_config_offline: 'true',
      npm_config_update_notifier: 'false',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      // lint-staged prints its task list only without CI; the failing command's output shows either way.
      CI: 'true',
    };
    for (const step of steps.slice(1)) {
      const run = await spawnAsync('sh', ['-c', step], { cwd: repo, env, timeout: 120_000 });
      if (run.code !== 0) throw new Error(`recipe step \`${step}\` failed: ${run.output}`);
    }
    expect(readFileSync(path.join(repo, '.husky/pre-commit'), 'utf8').trim()).toBe('npx lint-staged');
    expect(git(repo, 'config', 'core.hooksPath').trim()).toBe('.husky/_');
  }, 300_000);

  it('refuses a commit adding a 403 on an mTLS operation, with the finding; other YAML/JSON passes silently', async () => {
    mkdirSync(path.join(repo, 'specs'));
    writeFileSync(path.join(repo, 'specs/accounts.yaml'), MTLS_SPEC('403'));
    writeFileSync(path.join(repo, 'docker-compose.yaml'), 'services:\n  api: {image: nginx}\n');
    writeFileSync(path.join(repo, 'tsconfig.json'), '{"compilerOptions": {"strict": true}}\n');
    git(repo, 'add', '-A');
    const run = await commit('add accounts spec');
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('mtls-fix lint --quiet --skip-non-openapi');
    expect(run.output).toContain('mtls-no-403');
    expect(run.output).toMatch(/GET \/accounts\/\{id\}/);
    expect(run.output).not.toMatch(/docker-compose|tsconfig/);
    // Refused: nothing was committed.
    expect(git(repo, 'rev-list', '--all').trim()).toBe('');
  }, 300_000);

  it('passes a clean commit (the spec answers 401)', async () => {
    writeFileSync(path.join(repo, 'specs/accounts.yaml'), MTLS_SPEC('401'));
    git(repo, 'add', '-A');
    const run = await commit('accounts spec answers 401');
    expect(run.output).not.toContain('mtls-no-403');
    expect(run.code).toBe(0);
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD')).toContain('specs/accounts.yaml');
  }, 300_000);

  // Session 20: a document that declares no mTLS passed the hook with no output (exit 0 of `lint --quiet`), so the
  // commit read as checked when none of its 403s was.
  it('refuses a document that declares no mTLS (mtls-unchecked), and passes it once it says x-mtls: false', async () => {
    const unchecked = MTLS_SPEC('403')
      .replace(/^components:\n(?: {2}.*\n)+/m, '')
      .replace(/^security:.*\n/m, '');
    writeFileSync(path.join(repo, 'specs/public.yaml'), unchecked);
    git(repo, 'add', '-A');
    const run = await commit('add public spec');
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('specs/public.yaml');
    expect(run.output).toContain('error  mtls-unchecked  No operation is mTLS-secured');
    writeFileSync(path.join(repo, 'specs/public.yaml'), unchecked.replace(/^info:/m, 'x-mtls: false\ninfo:'));
    git(repo, 'add', '-A');
    const declared = await commit('public spec: no mTLS endpoints');
    expect(declared.output).not.toContain('mtls-unchecked');
    expect(declared.code).toBe(0);
  }, 300_000);

  it('refuses server code still answering 403 and names the site (migrate --check)', async () => {
    mkdirSync(path.join(repo, 'src'));
    writeFileSync(path.join(repo, 'src/app.ts'), EXPRESS_APP);
    git(repo, 'add', '-A');
    const run = await commit('add app');
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('src/app.ts:4:3  res.status(403) -> res.status(401)');
    writeFileSync(path.join(repo, 'src/app.ts'), EXPRESS_APP.replace('403', '401'));
    git(repo, 'add', '-A');
    const clean = await commit('app answers 401');
    expect(clean.code, clean.output).toBe(0);
  }, 300_000);
});
