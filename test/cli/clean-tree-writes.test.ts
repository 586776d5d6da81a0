import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

// breaker31 #04's kind: migrate refused a dirty work tree, but `fix` (documents rewritten in place) and
// `detect --write` (the config merged into) wrote into uncommitted work with no check at all. Now each applies
// the clean-tree check per file's work tree, with --force to write anyway.

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

const NGINX = `server {
  listen 443 ssl;
  server_name api.example.com;
  ssl_verify_client on;
  location / { proxy_pass http://app; }
}
`;

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.email=a@b', '-c', 'user.name=b', ...args], { cwd, encoding: 'utf8' });

function repo(files: Record<string, string>): string {
  const dir = tempProject(files);
  temps.push(dir);
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'base');
  return dir;
}

describe('writing commands check the work tree of the files they rewrite', () => {
  it('fix refuses a document with uncommitted work (exit 2, one line); --force writes; a clean tree writes', async () => {
    const dir = repo({ 'openapi.yaml': SPEC });
    appendFileSync(path.join(dir, 'openapi.yaml'), '# WIP\n');
    const run = await runCliAsync(['fix', 'openapi.yaml'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'mtls-fix: the git work tree has 1 uncommitted change (e.g. openapi.yaml). Commit or stash them first so the rewrite is one reviewable diff, or pass --force.',
    );
    expect(readFileSync(path.join(dir, 'openapi.yaml'), 'utf8')).toBe(`${SPEC}# WIP\n`);
    expect((await runCliAsync(['fix', 'openapi.yaml', '--dry-run'], { cwd: dir })).code).toBe(0);
    expect((await runCliAsync(['fix', 'openapi.yaml', '--force'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(path.join(dir, 'openapi.yaml'), 'utf8')).toContain('"401"');
  });

  it('fix refuses a document of another repository with uncommitted work, run from a clean one', async () => {
    const other = repo({ 'openapi.yaml': SPEC });
    appendFileSync(path.join(other, 'openapi.yaml'), '# WIP\n');
    const here = repo({ README: 'x\n' });
    const run = await runCliAsync(['fix', path.join(other, 'openapi.yaml')], { cwd: here });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('openapi.yaml has 1 uncommitted change');
    expect(readFileSync(path.join(other, 'openapi.yaml'), 'utf8')).toBe(`${SPEC}# WIP\n`);
  });

  it('detect --write refuses a config file with uncommitted work; --force merges', async () => {
    const dir = repo({ 'nginx.conf': NGINX, 'mtls-fix.config.yaml': 'status: 401\n' });
    appendFileSync(path.join(dir, 'mtls-fix.config.yaml'), '# my note\n');
    const run = await runCliAsync(['detect', '--write'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('uncommitted change (e.g. mtls-fix.config.yaml)');
    expect(readFileSync(path.join(dir, 'mtls-fix.config.yaml'), 'utf8')).toBe('status: 401\n# my note\n');
    expect((await runCliAsync(['detect', '--write', '--force'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(path.join(dir, 'mtls-fix.config.yaml'), 'utf8')).toMatch(/# my note\n[\s\S]*mtls:/);
  });
});
