import { readFileSync } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

const EXAMPLE = readFileSync(path.join(REPO_ROOT, 'examples/openapi.yaml'), 'utf8');

const CONFLICT = `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /a:
    get:
      responses:
        '401':
          description: no certificate
        '403':
          description: certificate not allowed
          headers:
            RateLimit: { schema: { type: string } }
components:
  securitySchemes:
    clientCert: { type: mutualTLS }
`;

describe('mtls-fix fix (command)', () => {
  it('renames in place, exit 0; lint is clean afterwards; a second run has nothing to do', () => {
    const cwd = tempProject({ 'openapi.yaml': EXAMPLE });
    const run = runCli(['fix'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('openapi.yaml:18  403 -> 401  renamed');
    expect(run.stdout).toContain('1 renamed, 0 removed, 0 conflicts, 0 skipped; 1 file(s) changed.');
    expect(readFileSync(path.join(cwd, 'openapi.yaml'), 'utf8')).toBe(
      EXAMPLE.replace("        '403':\n          $ref", "        '401':\n          $ref"),
    );
    expect(runCli(['lint', '--fail-severity', 'error'], { cwd }).code).toBe(0);
    expect(runCli(['fix'], { cwd }).stdout).toContain('nothing to do');
  });

  it('--dry-run prints a unified diff and writes nothing', () => {
    const cwd = tempProject({ 'openapi.yaml': EXAMPLE });
    const run = runCli(['fix', '--dry-run', '--status', '404'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("-        '403':\n+        '404':");
    expect(readFileSync(path.join(cwd, 'openapi.yaml'), 'utf8')).toBe(EXAMPLE);
  });

  it('a conflict keeps the documented 401, removes the 403 and lists what it held', () => {
    const cwd = tempProject({ 'openapi.yaml': CONFLICT });
    const run = runCli(['fix'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('removed (the agreed status is already documented)');
    expect(run.stdout).toContain(
      'the removed 403 held what the kept 401 lacks: description "certificate not allowed"; headers RateLimit',
    );
    expect(readFileSync(path.join(cwd, 'openapi.yaml'), 'utf8')).not.toContain("'403'");
  });

  it('--on-conflict report leaves both and exits 1', () => {
    const cwd = tempProject({ 'openapi.yaml': CONFLICT });
    const run = runCli(['fix', '--on-conflict', 'report'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('left as is');
    expect(readFileSync(path.join(cwd, 'openapi.yaml'), 'utf8')).toBe(CONFLICT);
  });

  it('--overlay writes an Overlay 1.0 document and leaves the spec alone', () => {
    const cwd = tempProject({ 'openapi.yaml': EXAMPLE });
    const run = runCli(['fix', '--overlay', 'mtls.overlay.yaml'], { cwd });
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(cwd, 'openapi.yaml'), 'utf8')).toBe(EXAMPLE);
    const overlay = jsYaml.load(readFileSync(path.join(cwd, 'mtls.overlay.yaml'), 'utf8')) as {
      overlay: string;
      actions: { target: string; update?: unknown; remove?: boolean }[];
    };
    expect(overlay.overlay).toBe('1.0.0');
    expect(overlay.actions).toEqual([
      expect.objectContaining({
        target: "$['paths']['/accounts/{id}']['get']['responses']",
        update: { '401': { $ref: '#/components/responses/Forbidden' } },
      }),
      { target: "$['paths']['/accounts/{id}']['get']['responses']['403']", remove: true },
    ]);
  });

  it('bad input exits 2 with one line and writes nothing', () => {
    const cwd = tempProject({ 'openapi.yaml': 'openapi: 3.1.0\npaths: [\n' });
    const run = runCli(['fix'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^mtls-fix: openapi\.yaml:\d+:\d+: invalid YAML/);
    expect(readFileSync(path.join(cwd, 'openapi.yaml'), 'utf8')).toBe('openapi: 3.1.0\npaths: [\n');
  });
});
