import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';

// End-to-end: what `fix` and `migrate` keep and refuse (README "Safety"); each failed before the writer change.
const SPEC = `openapi: 3.1.0
info: { title: café, version: '1' }
security: [ { clientCert: [] } ]
paths:
  /a: { get: { responses: { '403': { description: no } } } }
components: { securitySchemes: { clientCert: { type: mutualTLS } } }
`;

describe('fix never corrupts or loses a file', () => {
  it('a Latin-1 document is an exit-2 error naming the first bad byte, and stays byte for byte', () => {
    const latin1 = Buffer.from(SPEC, 'latin1');
    const cwd = tempProject({ 'spec.yaml': latin1 });
    const run = runCli(['fix', 'spec.yaml'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^mtls-fix: spec\.yaml:2:19: not UTF-8 text: byte 0xe9/m);
    expect(readFileSync(path.join(cwd, 'spec.yaml'))).toEqual(latin1);
  });

  // Session 18 (newuser18): with no document read, the summary said "No 403 response on an mTLS-secured operation
  // in the documents read.", which reads as clean; session 28: no summary at all, the error alone
  // (test/fix/input-errors.test.ts has every kind of bad input).
  it('no document read: the error alone, no summary', () => {
    const cwd = tempProject({ 'spec.yaml': Buffer.from(SPEC, 'latin1') });
    const run = runCli(['fix', 'spec.yaml'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('UTF-16 says so, not "binary file"', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SPEC, 'utf16le')]);
    const cwd = tempProject({ 'spec.yaml': utf16 });
    const run = runCli(['fix', 'spec.yaml'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/spec\.yaml: UTF-16 is not supported .*Save the file as UTF-8/);
    expect(readFileSync(path.join(cwd, 'spec.yaml'))).toEqual(utf16);
  });

  it('a symbolic link is written through: it stays a link and its target is fixed', () => {
    const cwd = tempProject({ 'real/spec.yaml': SPEC });
    symlinkSync('real/spec.yaml', path.join(cwd, 'link.yaml'));
    const run = runCli(['fix', 'link.yaml'], { cwd });
    expect(run.code).toBe(0);
    expect(lstatSync(path.join(cwd, 'link.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(cwd, 'real/spec.yaml'), 'utf8')).toContain("'401'");
  });

  it('a read-only document is refused (exit 2, named), the others are fixed', () => {
    const cwd = tempProject({ 'ro.yaml': SPEC, 'rw.yaml': SPEC });
    chmodSync(path.join(cwd, 'ro.yaml'), 0o444);
    const run = runCli(['fix', 'ro.yaml', 'rw.yaml'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^mtls-fix: ro\.yaml: is read-only; nothing was written/m);
    expect(readFileSync(path.join(cwd, 'ro.yaml'), 'utf8')).toBe(SPEC);
    expect(readFileSync(path.join(cwd, 'rw.yaml'), 'utf8')).toContain("'401'");
    expect(run.stdout).toMatch(
      /1 file written\. 1 new 401 carries no WWW-Authenticate header .*\. 1 document could not be fixed/,
    );
  });

  it('migrate writes through a linked source file', () => {
    const cwd = tempProject({
      'package.json': JSON.stringify({ dependencies: { express: '4' } }),
      'shared/routes.ts':
        "import express from 'express';\nconst app = express();\napp.get('/a', (req, res) => res.status(403).send());\n",
    });
    mkdirSync(path.join(cwd, 'src'));
    symlinkSync('../shared/routes.ts', path.join(cwd, 'src/routes.ts'));
    const run = runCli(['migrate', 'src', '--force'], { cwd });
    expect(run.stderr).toBe('');
    expect(lstatSync(path.join(cwd, 'src/routes.ts')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(cwd, 'shared/routes.ts'), 'utf8')).toContain('res.status(401)');
  });

  it('--overlay with nothing to do writes no (invalid, empty) Overlay; 403s only in other files are exit 2', () => {
    const clean = SPEC.replace("'403'", "'401'");
    const cwd = tempProject({
      'clean.yaml': clean,
      'split.yaml': SPEC.replace("{ '403': { description: no } }", "{ $ref: 'common.yaml#/Responses' }"),
      'common.yaml': "Responses:\n  '403': { description: no }\n",
    });
    const nothing = runCli(['fix', 'clean.yaml', '--overlay', 'clean.overlay.yaml'], { cwd });
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toMatch(/nothing to do/);
    expect(existsSync(path.join(cwd, 'clean.overlay.yaml'))).toBe(false);
    const split = runCli(['fix', 'split.yaml', '--overlay', 'split.overlay.yaml'], { cwd });
    expect(split.code).toBe(2);
    expect(split.stderr).toMatch(
      /^mtls-fix: an Overlay cannot express the 1 403 key outside the root document \(common\.yaml\)/,
    );
    expect(existsSync(path.join(cwd, 'split.overlay.yaml'))).toBe(false);
  });
});
