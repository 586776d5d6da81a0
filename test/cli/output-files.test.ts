import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

// breaker31 #08: an output option (fix --overlay, lint --output, proxy --output) replaced whatever file it named,
// exit 0: a hand-written, uncommitted Overlay, another OpenAPI document of the repo. Now a file that is not an
// output of the same kind mtls-fix wrote is refused (one line, exit 2) unless --force; mtls-fix's own output is
// replaced as before.

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const SPEC = `openapi: 3.1.0
info: {title: t, version: "1"}
components: {securitySchemes: {mtls: {type: mutualTLS}}}
security: [{mtls: []}]
paths:
  /accounts:
    get:
      responses:
        "200": {description: ok}
        "403": {description: no consent}
`;

const HAND_OVERLAY = `# payments team overlay: DO NOT LOSE (not committed yet)
overlay: 1.0.0
info: {title: payments, version: "3"}
actions:
  - target: $.info
    update: {x-team: payments, x-owner: alice}
`;

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.email=a@b', '-c', 'user.name=b', ...args], { cwd, encoding: 'utf8' });

/** A git repo with openapi.yaml and partner-openapi.yaml committed, and the given files uncommitted. */
function repo(extra: Record<string, string> = {}): string {
  const dir = tempProject({ 'openapi.yaml': SPEC, 'partner-openapi.yaml': SPEC });
  temps.push(dir);
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'base');
  for (const [name, text] of Object.entries(extra)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const read = (dir: string, name: string): string => readFileSync(path.join(dir, name), 'utf8');

describe('fix --overlay never replaces a file mtls-fix did not write', () => {
  it('refuses a hand-written Overlay (exit 2, one line), keeps it, and --force replaces it', async () => {
    const dir = repo({ 'overlay.yaml': HAND_OVERLAY });
    const run = await runCliAsync(['fix', 'openapi.yaml', '--overlay', 'overlay.yaml'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'mtls-fix: overlay.yaml: exists and is not an Overlay of openapi.yaml that mtls-fix wrote; nothing was written. Name another file for --overlay, or pass --force to replace it.',
    ]);
    expect(read(dir, 'overlay.yaml')).toBe(HAND_OVERLAY);
    const forced = await runCliAsync(['fix', 'openapi.yaml', '--overlay', 'overlay.yaml', '--force'], {
      cwd: dir,
    });
    expect(forced.code).toBe(0);
    expect(read(dir, 'overlay.yaml')).toContain('extends: openapi.yaml');
  });

  it('refuses another OpenAPI document of the repo; it stays as committed', async () => {
    const dir = repo();
    const run = await runCliAsync(['fix', 'openapi.yaml', '--overlay', 'partner-openapi.yaml'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^mtls-fix: partner-openapi\.yaml: exists and is not an Overlay/);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('replaces its own Overlay of the same document, but not one it wrote for another document', async () => {
    const dir = repo();
    expect((await runCliAsync(['fix', 'openapi.yaml', '--overlay', 'o.yaml'], { cwd: dir })).code).toBe(0);
    const first = read(dir, 'o.yaml');
    expect((await runCliAsync(['fix', 'openapi.yaml', '--overlay', 'o.yaml'], { cwd: dir })).code).toBe(0);
    expect(read(dir, 'o.yaml')).toBe(first);
    const other = await runCliAsync(['fix', 'partner-openapi.yaml', '--overlay', 'o.yaml'], { cwd: dir });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('is not an Overlay of partner-openapi.yaml');
    expect(read(dir, 'o.yaml')).toBe(first);
  });
});

describe('lint --output never replaces a file that is not a report mtls-fix wrote', () => {
  it('refuses an OpenAPI document named as the report (every file checked before any is written)', async () => {
    const dir = repo();
    const run = await runCliAsync(
      ['lint', 'openapi.yaml', '-f', 'sarif', '-o', 'new.sarif', '-f', 'json', '-o', 'partner-openapi.yaml'],
      { cwd: dir },
    );
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'mtls-fix: partner-openapi.yaml: exists and is not a lint report that mtls-fix wrote; nothing was written. Name another file for --output, or pass --force to replace it.',
    );
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('replaces its own report in every format, and anything with --force', async () => {
    const dir = repo();
    for (const format of ['sarif', 'json', 'junit', 'stylish', 'text', 'github-actions']) {
      const file = `r.${format}`;
      for (let round = 0; round < 2; round++) {
        const run = await runCliAsync(['lint', 'openapi.yaml', '-f', format, '-o', file], { cwd: dir });
        expect(run.code, `${format} round ${round}: ${run.stderr}`).toBe(1);
      }
    }
    writeFileSync(path.join(dir, 'notes.txt'), 'my notes\n');
    const refused = await runCliAsync(['lint', 'openapi.yaml', '-o', 'notes.txt'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(read(dir, 'notes.txt')).toBe('my notes\n');
    const forced = await runCliAsync(['lint', 'openapi.yaml', '-o', 'notes.txt', '--force'], { cwd: dir });
    expect(forced.code).toBe(1);
    expect(read(dir, 'notes.txt')).toContain('mtls-no-403');
  });
});

describe('proxy --output never replaces a file that is not a config mtls-fix proxy wrote', () => {
  const proxy = [
    'proxy',
    '--spec',
    'openapi.yaml',
    '--target',
    'nginx',
    '--upstream',
    'http://127.0.0.1:8080',
  ];
  it('refuses a hand-written nginx config, replaces its own, and --force replaces anything', async () => {
    const mine = 'server { listen 443 ssl; }\n';
    const dir = repo({ 'nginx.conf': mine });
    const refused = await runCliAsync([...proxy, '-o', 'nginx.conf'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'mtls-fix: nginx.conf: exists and is not a proxy config that mtls-fix wrote; nothing was written.',
    );
    expect(read(dir, 'nginx.conf')).toBe(mine);
    expect((await runCliAsync([...proxy, '-o', 'snippet.conf'], { cwd: dir })).code).toBe(0);
    expect((await runCliAsync([...proxy, '-o', 'snippet.conf'], { cwd: dir })).code).toBe(0);
    expect((await runCliAsync([...proxy, '-o', 'nginx.conf', '--force'], { cwd: dir })).code).toBe(0);
    expect(read(dir, 'nginx.conf')).toMatch(/^# mtls-fix proxy \(nginx\)/);
  });
});
