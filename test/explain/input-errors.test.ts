import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

const DOC = `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /a:
    get:
      responses:
        '200': { description: ok }
`;

// Session 27: on 87e166c `explain DIR` (a folder, a missing file, an empty file) printed the background text
// (why a 403 breaks iOS, the agreed status, the safety nets) and only then the error.
describe('mtls-fix explain: input errors', () => {
  it('a folder, a missing file, an empty file: one line each on stderr, exit 2, nothing on stdout', async () => {
    const cwd = tempProject({ 'specs/empty.yaml': '', 'specs/x.txt': 'x' });
    for (const args of [['specs'], ['nope.yaml'], ['specs/empty.yaml'], ['specs', 'nope.yaml']]) {
      const run = await runCliAsync(['explain', ...args], { cwd });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(args.filter((arg) => !arg.startsWith('--')).length);
      for (const line of lines) expect(line).toMatch(/^mtls-fix: (specs|nope\.yaml|specs\/empty\.yaml): /);
    }
  });

  // Session 28: on af2ddfa3 `explain --json` printed nothing at all when no input could be read (`| jq` read an
  // empty stream); now the one JSON document, each input with its `error`, and the same lines on stderr.
  it.each([
    ['a folder', ['specs'], ['specs']],
    ['a missing file', ['nope.yaml'], ['nope.yaml']],
    ['an empty file', ['specs/empty.yaml'], ['specs/empty.yaml']],
    ['invalid JSON', ['specs/bad.json'], ['specs/bad.json']],
    ['invalid YAML', ['specs/bad.yaml'], ['specs/bad.yaml']],
    ['not OpenAPI', ['specs/notes.yaml'], ['specs/notes.yaml']],
    ['two YAML documents in one file', ['specs/two.yaml'], ['specs/two.yaml']],
    ['a remote $ref', ['specs/remote.yaml'], ['specs/remote.yaml']],
    ['several at once', ['specs', 'nope.yaml', 'specs/bad.json'], ['specs', 'nope.yaml', 'specs/bad.json']],
  ])('--json, %s: one JSON document naming each error, exit 2', async (_name, args, files) => {
    const cwd = tempProject({
      'specs/empty.yaml': '',
      'specs/bad.json': '{bad',
      'specs/bad.yaml': 'a: [\n',
      'specs/notes.yaml': 'hello\n',
      'specs/two.yaml': `---\n${DOC}---\nfoo: 1\n`,
      'specs/remote.yaml': `${DOC}        '403': { $ref: 'https://example.com/r.yaml#/r' }\n`,
    });
    const run = await runCliAsync(['explain', '--json', ...args], { cwd });
    expect(run.code).toBe(2);
    const parsed = JSON.parse(run.stdout) as { documents: { file: string; error?: string }[] };
    expect(parsed.documents.map((document) => document.file)).toEqual(files);
    for (const document of parsed.documents) expect(document.error).toMatch(/\S/);
    expect(run.stderr.trim().split('\n')).toHaveLength(files.length);
  });

  it('one good document beside a bad one: the good one is explained, the bad one named, exit 2', async () => {
    const cwd = tempProject({ 'openapi.yaml': DOC });
    const run = await runCliAsync(['explain', 'openapi.yaml', 'nope.yaml'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('openapi.yaml: 1 operation, 0 mTLS-secured');
    expect(run.stderr.trim()).toMatch(/^mtls-fix: nope\.yaml: file not found/);
  });
});

// Session 27: the working folder itself given as a path was named '' ("mtls-fix: :  is a directory") by fix, lint
// and explain on 87e166c.
describe('the working folder given as a path', () => {
  it('is named "." in the one-line error of fix, explain and lint', async () => {
    const cwd = tempProject({ 'notes.txt': 'x' });
    for (const command of [['fix', '--dry-run'], ['explain']]) {
      const run = await runCliAsync([...command, cwd], { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr.trim()).toBe(
        'mtls-fix: .: . is a directory, not an OpenAPI file. Pass a file or a glob.',
      );
    }
    const lint = await runCliAsync(['lint', cwd], { cwd });
    expect(lint.code).toBe(2);
    expect(lint.stdout).toContain('. is a directory, not an OpenAPI file.');
    expect(lint.stdout).not.toContain(' error  mtls-fix-input   is a directory');
  });
});
