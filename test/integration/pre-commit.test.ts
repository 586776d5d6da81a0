import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cloneOfThisRepository, git } from '../helpers/hook-source.js';

/**
 * Both hooks of .pre-commit-hooks.yaml, installed by the real `pre-commit` (Debian's, from .ci/run) from
 * a clone of this repository, in a temp repository, offline (npm reads its cache only). Installing
 * runs npm install, npm pack and npm install -g as pre-commit does: minutes on a loaded machine.
 */
const ENV = {
  ...process.env,
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  CI: 'true',
  NO_COLOR: '1',
};

function preCommitAvailable(): boolean {
  return spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
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

function commit(repo: string, message: string) {
  const run = spawnSync(
    'git',
    ['-c', 'user.email=test@example.com', '-c', 'user.name=test', 'commit', '-q', '-m', message],
    { cwd: repo, encoding: 'utf8', env: ENV, timeout: 600_000 },
  );
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

describe.skipIf(!preCommitAvailable() && process.env.CI !== 'true')(
  'pre-commit hooks (real pre-commit)',
  () => {
    let repo = '';

    beforeAll(() => {
      if (!preCommitAvailable())
        throw new Error('pre-commit is not installed (.ci/run installs it with apt-get)');
      const source = cloneOfThisRepository();
      repo = mkdtempSync(path.join(tmpdir(), 'mtls-fix-pre-commit-'));
      git(repo, 'init', '-q', '-b', 'main');
      writeFileSync(
        path.join(repo, '.pre-commit-config.yaml'),
        [
          'repos:',
          `  - repo: ${source.folder}`,
          `    rev: ${source.rev}`,
          '    hooks:',
          '      - id: mtls-fix-lint',
          '      - id: mtls-fix-migrate-check',
          '',
        ].join('\n'),
      );
      writeFileSync(
        path.join(repo, 'package.json'),
        '{"name":"svc","private":true,"dependencies":{"express":"^4"}}\n',
      );
      git(repo, 'add', '-A');
      git(repo, 'commit', '-q', '-m', 'init');
      const env = { ...ENV, PRE_COMMIT_HOME: path.join(repo, '.pre-commit-home') };
      Object.assign(ENV, env);
      for (const args of [['install'], ['install-hooks']]) {
        const run = spawnSync('pre-commit', args, { cwd: repo, encoding: 'utf8', env, timeout: 1_500_000 });
        if (run.status !== 0)
          throw new Error(`pre-commit ${args.join(' ')} failed:\n${run.stdout}${run.stderr}`);
      }
    }, 1_600_000);

    it('refuses a commit adding a 403 on an mTLS operation in a spec not named openapi*, and shows the finding', () => {
      mkdirSync(path.join(repo, 'specs'), { recursive: true });
      writeFileSync(path.join(repo, 'specs/accounts.yaml'), MTLS_SPEC('403'));
      // Not OpenAPI: skipped without a word.
      writeFileSync(path.join(repo, 'docker-compose.yaml'), 'services:\n  api: {image: nginx}\n');
      git(repo, 'add', '-A');
      const run = commit(repo, 'add accounts spec');
      expect(run.code).not.toBe(0);
      expect(run.output).toMatch(/mtls-fix lint.*Failed/);
      expect(run.output).toContain('specs/accounts.yaml');
      expect(run.output).toContain('mtls-no-403');
      expect(run.output).not.toContain('docker-compose');
    }, 600_000);

    it('passes a clean commit (the spec answers 401)', () => {
      writeFileSync(path.join(repo, 'specs/accounts.yaml'), MTLS_SPEC('401'));
      git(repo, 'add', '-A');
      const run = commit(repo, 'accounts spec answers 401');
      expect(run.output).toMatch(/mtls-fix lint.*Passed/);
      expect(run.code).toBe(0);
    }, 600_000);

    it('mtls-fix-migrate-check refuses server code still answering 403 and names the site', () => {
      mkdirSync(path.join(repo, 'src'), { recursive: true });
      writeFileSync(path.join(repo, 'src/app.ts'), EXPRESS_APP);
      git(repo, 'add', '-A');
      const run = commit(repo, 'add app');
      expect(run.code).not.toBe(0);
      expect(run.output).toContain('src/app.ts:4:3  res.status(403) -> res.status(401)');
      writeFileSync(path.join(repo, 'src/app.ts'), EXPRESS_APP.replace('403', '401'));
      git(repo, 'add', '-A');
      expect(commit(repo, 'app answers 401').code).toBe(0);
    }, 600_000);
  },
);
