import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { cloneOfThisRepository, git } from '../helpers/hook-source.js';
import { BIN, REPO_ROOT } from '../helpers/paths.js';
import { spawnAsync } from '../helpers/spawn.js';

/**
 * Session 27 (breaker27 #12), under the real `pre-commit`: a commit of a split (Redocly-style) document that
 * stages only the path file with a new 403 passed mtls-fix-lint (the fragment was skipped as "not OpenAPI", the
 * root that `$ref`s it was never linted). Now the hook lints the root and refuses the commit. Under CI a missing
 * pre-commit fails the run (beforeAll throws); elsewhere the block is skipped.
 */
const HOOK = (
  jsYaml.load(readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string }[]
)
  .map((hook) => hook.id)
  .filter((id) => id === 'mtls-fix-lint-system');

function preCommitAvailable(): boolean {
  return spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
}

describe.skipIf(!preCommitAvailable() && process.env.CI !== 'true')(
  'mtls-fix-lint under the real pre-commit, split document',
  () => {
    let repo = '';
    let env: NodeJS.ProcessEnv = {};
    const commit = (message: string) =>
      spawnAsync(
        'git',
        ['-c', 'user.email=test@example.com', '-c', 'user.name=test', 'commit', '-q', '-m', message],
        { cwd: repo, env, timeout: 300_000 },
      );

    beforeAll(async () => {
      if (!preCommitAvailable())
        throw new Error('pre-commit is not installed (.ci/run installs it with apt-get)');
      expect(HOOK).toEqual(['mtls-fix-lint-system']);
      repo = mkdtempSync(path.join(tmpdir(), 'mtls-fix-pre-commit-split-'));
      const bin = path.join(repo, 'node_modules', '.bin');
      mkdirSync(bin, { recursive: true });
      writeFileSync(path.join(bin, 'mtls-fix'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
      chmodSync(path.join(bin, 'mtls-fix'), 0o755);
      env = {
        ...process.env,
        PRE_COMMIT_HOME: path.join(repo, '.pre-commit-home'),
        CI: 'true',
        NO_COLOR: '1',
        npm_config_offline: 'true',
        npm_config_update_notifier: 'false',
      };
      const source = cloneOfThisRepository();
      const config = { repos: [{ repo: source.folder, rev: source.rev, hooks: HOOK.map((id) => ({ id })) }] };
      git(repo, 'init', '-q', '-b', 'main');
      writeFileSync(path.join(repo, '.pre-commit-config.yaml'), jsYaml.dump(config));
      writeFileSync(path.join(repo, '.gitignore'), 'node_modules/\n.pre-commit-home/\n');
      mkdirSync(path.join(repo, 'openapi/paths'), { recursive: true });
      writeFileSync(
        path.join(repo, 'openapi/openapi.yaml'),
        "openapi: 3.1.0\ninfo: {title: Accounts, version: '1'}\nservers: [{url: 'https://mtls.bank.example'}]\n" +
          'paths:\n  /accounts/{id}:\n    $ref: paths/accounts.yaml\n',
      );
      writeFileSync(
        path.join(repo, 'openapi/paths/accounts.yaml'),
        "get:\n  operationId: getAccount\n  responses:\n    '200': {description: ok}\n",
      );
      git(repo, 'add', '-A');
      git(repo, 'commit', '-q', '--no-verify', '-m', 'init');
      const install = await spawnAsync('pre-commit', ['install'], { cwd: repo, env, timeout: 120_000 });
      if (install.code !== 0) throw new Error(`pre-commit install failed: ${install.output}`);
    }, 300_000);

    it('refuses a commit staging only the path file with a new 403, naming it; passes it with 401', async () => {
      appendFileSync(path.join(repo, 'openapi/paths/accounts.yaml'), "    '403': {description: Forbidden}\n");
      git(repo, 'add', 'openapi/paths/accounts.yaml');
      const run = await commit('accounts: 403');
      expect(run.output).toMatch(/mtls-fix lint.*Failed/);
      expect(run.output).toContain('openapi/paths/accounts.yaml');
      expect(run.output).toContain('mtls-no-403');
      expect(run.code).not.toBe(0);
      const text = readFileSync(path.join(repo, 'openapi/paths/accounts.yaml'), 'utf8');
      writeFileSync(path.join(repo, 'openapi/paths/accounts.yaml'), text.replace("'403'", "'401'"));
      git(repo, 'add', 'openapi/paths/accounts.yaml');
      const clean = await commit('accounts: 401');
      expect(clean.output).toMatch(/mtls-fix lint.*Passed/);
      expect(clean.code).toBe(0);
    }, 300_000);
  },
);
