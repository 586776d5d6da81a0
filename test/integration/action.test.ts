import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { tempProject } from '../helpers/cli.js';
import { BIN, REPO_ROOT } from '../helpers/paths.js';

/**
 * action.yml's composite steps, run as the runner runs them: each `run` with bash, its `env` evaluated
 * from the inputs. Only the expressions the action uses are understood; any other fails the test.
 * The install step is covered by MTLS_FIX_BIN (set here to this checkout): tests do not reach npm.
 */
interface Step {
  name: string;
  if?: string;
  shell: string;
  env?: Record<string, string>;
  run: string;
}
interface Action {
  inputs: Record<string, { default: string }>;
  runs: { using: string; steps: Step[] };
}

const ACTION = jsYaml.load(readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as Action;

function evaluate(text: string, inputs: Record<string, string>, runnerTemp: string): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expression);
    if (input?.[1] !== undefined) return inputs[input[1]] ?? '';
    if (expression === 'runner.temp') return runnerTemp;
    if (expression === '!cancelled()') return 'true';
    const notEmpty = /^inputs\.([\w-]+) != ''$/.exec(expression);
    if (notEmpty?.[1] !== undefined) return String((inputs[notEmpty[1]] ?? '') !== '');
    throw new Error(`expression not understood by this test: ${expression}`);
  });
}

/**
 * `install`: run the install step for real, with a fake `npm` first on PATH that records its arguments in
 * `.npm-args` (tests never reach npm), and no MTLS_FIX_BIN; the runner's GITHUB_ACTION_PATH is this checkout.
 */
function runAction(cwd: string, given: Record<string, string>, install = false) {
  const inputs = Object.fromEntries(
    Object.entries(ACTION.inputs).map(([name, input]) => [name, given[name] ?? input.default]),
  );
  const bin = path.join(cwd, '.bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, 'mtls-fix'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(path.join(bin, 'mtls-fix'), 0o755);
  const githubEnv = path.join(cwd, '.github-env');
  writeFileSync(githubEnv, '');
  const fakeNpm = path.join(cwd, '.fake-npm');
  if (install) {
    mkdirSync(fakeNpm, { recursive: true });
    writeFileSync(
      path.join(fakeNpm, 'npm'),
      `#!/bin/sh\nprintf '%s\\n' "$@" > "${path.join(cwd, '.npm-args')}"\n`,
    );
    chmodSync(path.join(fakeNpm, 'npm'), 0o755);
  }
  const steps: { name: string; code: number | null; stdout: string; skipped: boolean }[] = [];
  let failed = false;
  for (const step of ACTION.runs.steps) {
    // The runner's default `if` is success(): after a failed step only `!cancelled()` steps run.
    const runsAfterFailure = step.if?.includes('!cancelled()') ?? false;
    if (
      (failed && !runsAfterFailure) ||
      (step.if !== undefined && evaluate(step.if, inputs, cwd) !== 'true')
    ) {
      steps.push({ name: step.name, code: 0, stdout: '', skipped: true });
      continue;
    }
    const env = Object.fromEntries(
      Object.entries(step.env ?? {}).map(([key, value]) => [key, evaluate(value, inputs, cwd)]),
    );
    const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
      cwd,
      encoding: 'utf8',
      env: {
        ...process.env,
        ...env,
        ...(install
          ? {
              MTLS_FIX_BIN: '',
              PATH: `${fakeNpm}${path.delimiter}${process.env.PATH ?? ''}`,
              GITHUB_ACTION_PATH: REPO_ROOT,
            }
          : { MTLS_FIX_BIN: path.join(bin, 'mtls-fix') }),
        GITHUB_ENV: githubEnv,
        CI: 'true',
      },
      timeout: 120_000,
    });
    steps.push({ name: step.name, code: run.status, stdout: run.stdout, skipped: false });
    if (run.status !== 0) failed = true;
  }
  return steps;
}

const SPEC = `openapi: 3.1.0
info: {title: t, version: '1'}
components: {securitySchemes: {clientCert: {type: mutualTLS}}}
security: [{clientCert: []}]
paths:
  /a:
    get:
      responses: {'403': {description: no}}
`;

describe('action.yml (composite)', () => {
  it('is a composite action whose steps use bash', () => {
    expect(ACTION.runs.using).toBe('composite');
    expect(ACTION.runs.steps.every((step) => step.shell === 'bash')).toBe(true);
  });

  it('lint writes SARIF for upload-sarif and annotations, and fails the job on a finding', () => {
    const cwd = tempProject({ 'specs/accounts.yaml': SPEC });
    const steps = runAction(cwd, { files: 'specs/accounts.yaml', 'sarif-file': 'out/mtls.sarif' });
    const lint = steps.find((step) => step.name === 'mtls-fix lint');
    expect(lint?.code).toBe(1);
    expect(lint?.stdout).toMatch(/^::error file=specs\/accounts\.yaml,line=8,/m);
    const sarif = JSON.parse(readFileSync(path.join(cwd, 'out/mtls.sarif'), 'utf8')) as {
      runs: { results: { ruleId: string }[] }[];
    };
    expect(sarif.runs[0]?.results.map((result) => result.ruleId)).toEqual(['mtls-no-403']);
  });

  // Session 20: a document that declares no mTLS passed the job (a notice only): none of its 403s was checked.
  it('fails the job on a document that declares no mTLS, unless fail-unchecked is false or it says x-mtls: false', () => {
    const undeclared = SPEC.replace(/^components:.*\n/m, '').replace(/^security:.*\n/m, '');
    const cwd = tempProject({ 'openapi.yaml': undeclared });
    const lint = runAction(cwd, {}).find((step) => step.name === 'mtls-fix lint');
    expect(lint?.code).toBe(1);
    expect(lint?.stdout).toMatch(/^::error file=openapi\.yaml,line=1,.*title=mtls-unchecked/m);
    const optedOut = runAction(cwd, { 'fail-unchecked': 'false' }).find(
      (step) => step.name === 'mtls-fix lint',
    );
    expect(optedOut?.code).toBe(0);
    expect(optedOut?.stdout).toMatch(/^::notice file=openapi\.yaml,line=1,/m);
    const declared = tempProject({ 'openapi.yaml': undeclared.replace(/^info:/m, 'x-mtls: false\ninfo:') });
    const passed = runAction(declared, {}).find((step) => step.name === 'mtls-fix lint');
    expect(passed?.code).toBe(0);
    expect(passed?.stdout).not.toContain('mtls-unchecked');
  });

  it('a clean spec passes; migrate --check runs when asked and names the site', () => {
    const cwd = tempProject({
      'openapi.yaml': SPEC.replace("'403'", "'401'"),
      'src/app.ts':
        "import express from 'express';\nconst app = express();\napp.get('/a', (req, res) => res.status(403).end());\n",
      'package.json': '{"dependencies":{"express":"^4"}}',
    });
    mkdirSync(path.join(cwd, 'out'));
    const withoutMigrate = runAction(cwd, {});
    expect(withoutMigrate.map((step) => [step.name, step.code, step.skipped])).toEqual([
      ['Install mtls-fix', 0, false],
      ['mtls-fix lint', 0, false],
      ['mtls-fix detect --check', 0, false],
      ['mtls-fix migrate --check', 0, false],
    ]);
    expect(withoutMigrate[3]?.stdout).toMatch(
      /^::notice title=mtls-fix::migrate --check skipped \(input migrate-check is empty\): server code was not checked/m,
    );
    expect(existsSync(path.join(cwd, 'mtls-fix.sarif'))).toBe(true);
    const withMigrate = runAction(cwd, { 'migrate-check': 'src' });
    const migrate = withMigrate.find((step) => step.name === 'mtls-fix migrate --check');
    expect(migrate?.code).toBe(1);
    expect(migrate?.stdout).toMatch(
      /^::error file=src\/app\.ts,line=3,col=\d+,title=mtls-fix migrate%3A rewrite::/m,
    );
  });

  // Session 21: the files input went through bash unquoted, so bash expanded its globs first, without globstar:
  // specs/**/*.yaml read as specs/*/*.yaml, and the documents at other depths were never linted; the job passed.
  // And fail-unchecked: yes (or any value but "true") turned the gate off in silence.
  it('globs in files reach mtls-fix unexpanded; fail-unchecked takes true / false in any case and names other values', () => {
    const cwd = tempProject({
      'specs/top.yaml': SPEC,
      'specs/a/mid.yaml': SPEC,
      'specs/a/b/deep.yaml': SPEC,
    });
    const lint = runAction(cwd, { files: 'specs/**/*.yaml' }).find((step) => step.name === 'mtls-fix lint');
    expect(lint?.code).toBe(1);
    const annotated = [...(lint?.stdout ?? '').matchAll(/^::error file=([^,]+),/gm)].map((m) => m[1]).sort();
    expect(annotated).toEqual(['specs/a/b/deep.yaml', 'specs/a/mid.yaml', 'specs/top.yaml']);

    const undeclared = tempProject({
      'openapi.yaml': SPEC.replace(/^components:.*\n/m, '').replace(/^security:.*\n/m, ''),
    });
    const upper = runAction(undeclared, { 'fail-unchecked': 'True' }).find(
      (step) => step.name === 'mtls-fix lint',
    );
    expect(upper?.code).toBe(1);
    const bad = runAction(undeclared, { 'fail-unchecked': 'yes' }).find(
      (step) => step.name === 'mtls-fix lint',
    );
    expect(bad?.code).toBe(2);
    expect(bad?.stdout).toContain(
      "::error title=mtls-fix::input fail-unchecked must be true or false, not 'yes'",
    );
  });

  // Session 22: the install step ran `npm install mtls-fix@latest` whatever `uses: mtls-fix/mtls-fix@v0.1.0`
  // pinned, so a workflow pinned to a tag got whatever npm published last (a new rule could fail it overnight).
  it('installs the version of the action itself unless the version input names another', () => {
    const own = (
      JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
    ).version;
    const cwd = tempProject({ 'openapi.yaml': SPEC });
    const steps = runAction(cwd, {}, true);
    expect(steps[0]).toMatchObject({ name: 'Install mtls-fix', code: 0 });
    const args = readFileSync(path.join(cwd, '.npm-args'), 'utf8').split('\n');
    expect(args).toContain(`mtls-fix@${own}`);
    expect(readFileSync(path.join(cwd, '.github-env'), 'utf8')).toContain('MTLS_FIX_BIN=');
    runAction(cwd, { version: 'latest' }, true);
    expect(readFileSync(path.join(cwd, '.npm-args'), 'utf8').split('\n')).toContain('mtls-fix@latest');
  });

  // Session 29: the action ran lint only. A repository whose nginx answers 403 on its mTLS server, or whose
  // documents declare their mTLS while the proxy config is never read, passed the job as clean.
  it('runs detect --check on the repository by default, after a failed lint too, with annotations and a notice', () => {
    const cwd = tempProject({
      'openapi.yaml': SPEC,
      'deploy/nginx.conf':
        'server {\n  listen 443 ssl;\n  server_name mtls.bank.example;\n  ssl_verify_client on;\n  location /admin { return 403; }\n}\n',
    });
    const steps = runAction(cwd, {});
    expect(steps.map((step) => [step.name, step.code])).toEqual([
      ['Install mtls-fix', 0],
      ['mtls-fix lint', 1],
      ['mtls-fix detect --check', 1],
      ['mtls-fix migrate --check', 0],
    ]);
    const detect = steps[2]?.stdout ?? '';
    expect(detect).toMatch(
      /^::error file=deploy\/nginx\.conf,line=5,title=mtls-fix detect%3A 403 on an mTLS server::nginx answers 403 here/m,
    );
    expect(detect).toMatch(
      /^::notice title=mtls-fix detect::1 mTLS termination in \d+ files, 1 403 answered by the proxy itself\./m,
    );
    const clean = tempProject({ 'openapi.yaml': SPEC.replace("'403'", "'401'") });
    const passed = runAction(clean, {})[2];
    expect(passed?.code).toBe(0);
    expect(passed?.stdout).toMatch(
      /^::notice title=mtls-fix detect::No mTLS termination found in \d+ files? of proxy, gateway, cloud or server config: only what the OpenAPI documents declare was checked/m,
    );
    const skipped = runAction(clean, { 'detect-check': '' })[2];
    expect(skipped?.code).toBe(0);
    expect(skipped?.stdout).toContain(
      '::notice title=mtls-fix::detect --check skipped (input detect-check is empty): the proxy, gateway and cloud config',
    );
  });

  // Session 30: a workflow written when the action ran lint only runs detect --check after an update (input
  // detect-check, default '.'); a failure showed the proxy's annotations and "exit 1", never why the check runs
  // or how to review or skip it, and a path that does not exist failed with no annotation at all.
  it('a failing detect --check says why it runs and how to review or skip it', () => {
    const cwd = tempProject({
      'openapi.yaml': SPEC.replace("'403'", "'401'"),
      'deploy/nginx.conf':
        'server {\n  listen 443 ssl;\n  server_name mtls.bank.example;\n  ssl_verify_client on;\n  location /admin { deny all; }\n}\n',
    });
    const failed = runAction(cwd, {})[2];
    expect(failed?.code).toBe(1);
    const explained = /^::error title=mtls-fix detect --check::(.*)$/m.exec(failed?.stdout ?? '')?.[1] ?? '';
    expect(explained).toContain('answers 403 on an mTLS server');
    expect(explained).toContain('npx mtls-fix detect --check .');
    expect(explained).toContain("input detect-check, default '.'");
    expect(explained).toContain('detect.reviewed');
    expect(explained).toContain("detect-check: ''");
    const missing = runAction(cwd, { 'detect-check': 'infra' })[2];
    expect(missing?.code).toBe(2);
    expect(missing?.stdout).toMatch(
      /^::error title=mtls-fix detect --check::detect --check could not run \(exit 2; .*'infra'.*detect-check: ''/m,
    );
  });
});
