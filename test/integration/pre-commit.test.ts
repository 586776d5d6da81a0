import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import jsYaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { cloneOfThisRepository, git } from '../helpers/hook-source.js';
import { BIN, REPO_ROOT } from '../helpers/paths.js';
import { spawnAsync } from '../helpers/spawn.js';

/**
 * The hooks of .pre-commit-hooks.yaml under the real `pre-commit` (Debian's, installed by .ci/run), in a
 * temp repository, offline. pre-commit's `language: node` install runs, in the hook source, `npm install`
 * (from the lockfile: works offline from the cache `npm ci` filled), `npm pack`, then `npm install -g` of
 * the tarball, which resolves every dependency range with full registry documents that `npm ci` never
 * caches: offline it ends in ENOTCACHED (measured with pre-commit 3.0.4, npm 11.19). So: (1) the step that
 * broke it, `npm pack` printing the prepare banner where pre-commit reads the tarball name, runs for real
 * in a clone of this repository; (2) the `-system` twins of the hooks (the same entry, run by the project's own
 * `mtls-fix` in node_modules/.bin) install from a clone of this repository as the hook source and run, offline.
 */
interface HookDefinition {
  id: string;
  name: string;
  entry: string;
  language: string;
  types_or?: string[];
  files?: string;
  require_serial?: boolean;
}

const HOOKS = jsYaml.load(
  readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8'),
) as HookDefinition[];

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

describe('npm pack in a clone of this repository (what pre-commit runs to install a node hook)', () => {
  it('prints only the tarball name on stdout, though `prepare` builds', async () => {
    const { folder } = cloneOfThisRepository();
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
    // Asynchronous: the build takes minutes on a loaded machine, and vitest's worker must stay responsive.
    const { stdout } = await promisify(execFile)('npm', ['pack'], {
      cwd: folder,
      encoding: 'utf8',
      timeout: 600_000,
      env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
    });
    // pre-commit: `_, pkg, _ = cmd_output('npm', 'pack'); pkg = prefix.path(pkg.strip())`
    expect(stdout.trim()).toBe('mtls-fix-0.1.0.tgz');
  }, 600_000);
});

describe('.pre-commit-hooks.yaml', () => {
  it('gives every node hook a -system twin with the same name, files and arguments', () => {
    const node = HOOKS.filter((hook) => hook.language === 'node');
    expect(node.map((hook) => hook.id)).toEqual(['mtls-fix-lint', 'mtls-fix-migrate-check']);
    for (const hook of node) {
      const twin = HOOKS.find((other) => other.id === `${hook.id}-system`);
      expect(twin?.language).toBe('system');
      expect(twin?.name).toBe(hook.name);
      expect(twin?.types_or).toEqual(hook.types_or);
      expect(twin?.entry).toBe(`npx --no -- ${hook.entry}`);
    }
  });
});

describe.skipIf(!preCommitAvailable() && process.env.CI !== 'true')(
  'the hooks under the real pre-commit',
  () => {
    let repo = '';
    let env: NodeJS.ProcessEnv = {};

    // Awaited, not spawnSync: a hook run takes minutes on a loaded machine and must not starve vitest's worker.
    const commit = (message: string) =>
      spawnAsync(
        'git',
        ['-c', 'user.email=test@example.com', '-c', 'user.name=test', 'commit', '-q', '-m', message],
        { cwd: repo, env, timeout: 300_000 },
      );

    beforeAll(async () => {
      if (!preCommitAvailable())
        throw new Error('pre-commit is not installed (.ci/run installs it with apt-get)');
      repo = mkdtempSync(path.join(tmpdir(), 'mtls-fix-pre-commit-'));
      // The project's own mtls-fix, as `npm install --save-dev mtls-fix` leaves it (the -system hooks run it).
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
      const config = {
        repos: [
          {
            repo: source.folder,
            rev: source.rev,
            hooks: HOOKS.filter((hook) => hook.language === 'system').map((hook) => ({ id: hook.id })),
          },
        ],
      };
      git(repo, 'init', '-q', '-b', 'main');
      writeFileSync(path.join(repo, '.pre-commit-config.yaml'), jsYaml.dump(config));
      writeFileSync(path.join(repo, '.gitignore'), 'node_modules/\n.pre-commit-home/\n');
      writeFileSync(
        path.join(repo, 'package.json'),
        '{"name":"svc","private":true,"dependencies":{"express":"^4"}}\n',
      );
      git(repo, 'add', '-A');
      git(repo, 'commit', '-q', '-m', 'init');
      const install = await spawnAsync('pre-commit', ['install'], { cwd: repo, env, timeout: 120_000 });
      if (install.code !== 0) throw new Error(`pre-commit install failed: ${install.output}`);
    }, 300_000);

    it('refuses a commit adding a 403 on an mTLS operation in specs/accounts.yaml, with the finding; other YAML is skipped silently', async () => {
      mkdirSync(path.join(repo, 'specs'), { recursive: true });
      writeFileSync(path.join(repo, 'specs/accounts.yaml'), MTLS_SPEC('403'));
      writeFileSync(path.join(repo, 'docker-compose.yaml'), 'services:\n  api: {image: nginx}\n');
      writeFileSync(
        path.join(repo, 'api.oas.json'),
        JSON.stringify({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {} }),
      );
      git(repo, 'add', '-A');
      const run = await commit('add accounts spec');
      expect(run.code).not.toBe(0);
      expect(run.output).toMatch(/mtls-fix lint.*Failed/);
      expect(run.output).toContain('specs/accounts.yaml');
      expect(run.output).toContain('mtls-no-403');
      expect(run.output).not.toContain('docker-compose');
    }, 300_000);

    it('passes a clean commit (the spec answers 401)', async () => {
      writeFileSync(path.join(repo, 'specs/accounts.yaml'), MTLS_SPEC('401'));
      git(repo, 'add', '-A');
      const run = await commit('accounts spec answers 401');
      expect(run.output).toMatch(/mtls-fix lint.*Passed/);
      expect(run.code).toBe(0);
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
      writeFileSync(
        path.join(repo, 'specs/public.yaml'),
        unchecked.replace(/^info:/m, 'x-mtls: false\ninfo:'),
      );
      git(repo, 'add', '-A');
      const declared = await commit('public spec: no mTLS endpoints');
      expect(declared.output).not.toContain('mtls-unchecked');
      expect(declared.code).toBe(0);
    }, 300_000);

    it('mtls-fix-migrate-check refuses server code still answering 403 and names the site', async () => {
      mkdirSync(path.join(repo, 'src'), { recursive: true });
      writeFileSync(path.join(repo, 'src/app.ts'), EXPRESS_APP);
      git(repo, 'add', '-A');
      const run = await commit('add app');
      expect(run.code).not.toBe(0);
      expect(run.output).toContain('src/app.ts:4:3  res.status(403) -> res.status(401)');
      writeFileSync(path.join(repo, 'src/app.ts'), EXPRESS_APP.replace('403', '401'));
      git(repo, 'add', '-A');
      expect((await commit('app answers 401')).code).toBe(0);
    }, 300_000);
  },
);
