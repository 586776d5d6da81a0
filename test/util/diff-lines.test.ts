import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editorLinesPatch } from '../../src/util/diff-lines.js';
import { runCliAsync, tempProject } from '../helpers/cli.js';

// Session 41 (lint41): the `diff` package splits lines at LF only, so the diff of a file whose lines end with a
// lone CR (classic Mac OS) was one removed and one added line holding the whole file, under `@@ -1,1 +1,1 @@`:
// `fix --dry-run`, `migrate --dry-run` and `detect --write` printed it. Their diffs now show the lines an editor
// shows, numbered as mtls-fix numbers them, and say once that a lone CR is shown as a line break.

const lines = ['a: 1', 'b: 2', 'c: 3', 'd: 4', 'e: 5', 'f: 6', 'g: 7', 'h: 8'];

describe('editorLinesPatch', () => {
  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['lone CR', '\r'],
  ])('%s: the one changed line, at its line number', (_, end) => {
    const before = lines.join(end) + end;
    const after = before.replace('e: 5', 'e: 50');
    const diff = editorLinesPatch('a/x.yaml', 'b/x.yaml', before, after, 'mtls-fix fix', 3);
    const shown = end === '\r\n' ? '\r\n' : '\n';
    const body = [' b: 2', ' c: 3', ' d: 4', '-e: 5', '+e: 50', ' f: 6', ' g: 7', ' h: 8'];
    expect(diff).toContain(`@@ -2,7 +2,7 @@\n${body.map((line) => line + shown).join('')}`);
    expect(diff.startsWith('mtls-fix: x.yaml ends lines with a lone CR')).toBe(end === '\r');
    expect(diff).not.toContain('No newline at end of file');
  });

  it('a line whose lone CR became a LF is shown removed and added, and the note says why', () => {
    const before = 'a: 1\nb: 2\rc: 3\n';
    const after = 'a: 1\nb: 2\nc: 3\n';
    const diff = editorLinesPatch('a/x.yaml', 'b/x.yaml', before, after, undefined);
    expect(diff).toContain('@@ -1,3 +1,3 @@\n a: 1\n-b: 2\n+b: 2\n c: 3\n');
    expect(diff).toMatch(/^mtls-fix: x\.yaml ends lines .*changed only its line end.*\n/);
    // No command to run: the change is already written (detect --write).
    expect(diff.split('\n')[0]).not.toContain('git apply');
  });

  it('a file without a final line end says so, as diff does', () => {
    const before = lines.join('\r');
    const diff = editorLinesPatch('a/x.yaml', 'b/x.yaml', before, before.replace('h: 8', 'h: 80'), 'x');
    expect(diff).toContain('-h: 8\n\\ No newline at end of file\n+h: 80\n\\ No newline at end of file\n');
  });
});

describe('migrate --dry-run and detect --write over a file of lone-CR line ends', () => {
  it('migrate: the changed line at its line number; the write keeps every CR', async () => {
    const source = [
      "import express from 'express';",
      'const app = express();',
      "app.get('/a', (req, res) => {",
      "  res.status(403).send('no');",
      '});',
      'app.listen(3000);',
      '',
    ].join('\r');
    const cwd = tempProject({
      'server.ts': source,
      'package.json': '{"name":"x","dependencies":{"express":"4"}}\n',
    });
    const dry = await runCliAsync(['migrate', '--dry-run', '.'], { cwd });
    expect(dry.stdout).toMatch(/^mtls-fix: server\.ts ends lines with a lone CR .*`mtls-fix migrate`/m);
    expect(dry.stdout).toContain(
      "@@ -1,6 +1,6 @@\n import express from 'express';\n const app = express();\n app.get('/a', (req, res) => {\n-  res.status(403).send('no');\n+  res.status(401).send('no');\n });\n app.listen(3000);\n",
    );
    expect(readFileSync(path.join(cwd, 'server.ts'), 'utf8')).toBe(source);
    const written = await runCliAsync(['migrate', '.'], { cwd });
    expect(written.code).toBe(0);
    expect(readFileSync(path.join(cwd, 'server.ts'), 'utf8')).toBe(source.replace('403', '401'));
  }, 60_000);

  it('detect --write: the added lines of the config file', async () => {
    const config = 'status: 401\r# agreed\rmtls:\r  schemes: [x]\r';
    const cwd = tempProject({
      'nginx.conf':
        'server {\n  listen 443 ssl;\n  server_name mtls.bank.example;\n  ssl_verify_client on;\n  location / { proxy_pass http://app; }\n}\n',
      'mtls-fix.config.yaml': config,
    });
    const run = await runCliAsync(['detect', '--write', '.'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^mtls-fix: mtls-fix\.config\.yaml ends lines with a lone CR .*show\.$/m);
    expect(run.stdout).toMatch(
      /@@ -1,4 \+1,\d+ @@\n status: 401\n # agreed\n mtls:\n {3}schemes: \[x\]\n\+ {2}servers:\n/,
    );
    const after = readFileSync(path.join(cwd, 'mtls-fix.config.yaml'), 'utf8');
    expect(after.startsWith(config)).toBe(true);
    expect(after).not.toContain('\n');
  }, 60_000);
});
