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
    for (const args of [
      ['specs'],
      ['nope.yaml'],
      ['specs/empty.yaml'],
      ['specs', 'nope.yaml'],
      ['--json', 'specs'],
    ]) {
      const run = await runCliAsync(['explain', ...args], { cwd });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(args.filter((arg) => !arg.startsWith('--')).length);
      for (const line of lines) expect(line).toMatch(/^mtls-fix: (specs|nope\.yaml|specs\/empty\.yaml): /);
    }
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
