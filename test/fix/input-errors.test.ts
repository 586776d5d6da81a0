import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

const DOC = `openapi: 3.1.0
info: { title: t, version: '1' }
security: [ { clientCert: [] } ]
paths:
  /a: { get: { responses: { '403': { description: no } } } }
components: { securitySchemes: { clientCert: { type: mutualTLS } } }
`;

const FILES = {
  'specs/empty.yaml': '',
  'specs/bad.json': '{bad',
  'specs/bad.yaml': 'a: [\n',
  'specs/notes.yaml': 'hello\n',
  'specs/two.yaml': `---\n${DOC}---\nfoo: 1\n`,
  'specs/latin1.yaml': Buffer.from(DOC.replace('title: t', 'title: café'), 'latin1'),
};

// Session 28: on af2ddfa3 `fix` given only inputs it could not read printed a summary line on stdout ("No document
// could be read, so no 403 was checked: ...") above the errors; now the one-line errors alone, exit 2, in every
// mode but --json (one JSON document with its `errors`).
describe('mtls-fix fix: only bad inputs', () => {
  const kinds: [string, string[]][] = [
    ['a folder', ['specs']],
    ['a missing file', ['nope.yaml']],
    ['an empty file', ['specs/empty.yaml']],
    ['invalid JSON', ['specs/bad.json']],
    ['invalid YAML', ['specs/bad.yaml']],
    ['not OpenAPI', ['specs/notes.yaml']],
    ['two YAML documents in one file', ['specs/two.yaml']],
    ['not UTF-8', ['specs/latin1.yaml']],
    ['several at once', ['specs', 'nope.yaml', 'specs/bad.json', 'specs/notes.yaml']],
  ];
  for (const mode of [[], ['--check']])
    it.each(kinds)(
      `${mode.join(' ') || 'write'}, %s: one line each on stderr, nothing on stdout, exit 2`,
      async (_name, args) => {
        const cwd = tempProject(FILES);
        const run = await runCliAsync(['fix', ...mode, ...args], { cwd });
        expect(run.code).toBe(2);
        expect(run.stdout).toBe('');
        const lines = run.stderr.trim().split('\n');
        expect(lines).toHaveLength(args.length);
        for (const [index, line] of lines.entries())
          expect(line.startsWith(`mtls-fix: ${args[index]}`)).toBe(true);
      },
    );

  it('--json: one JSON document with every error, exit 2', async () => {
    const cwd = tempProject(FILES);
    const run = await runCliAsync(['fix', '--json', 'specs/bad.json', 'nope.yaml'], { cwd });
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as { documents: unknown[]; errors: { file: string }[] };
    expect(report.documents).toEqual([]);
    expect(report.errors.map((error) => error.file)).toEqual(['specs/bad.json', 'nope.yaml']);
  });

  it('a good document beside a bad one: the summary of the good one, then the error', async () => {
    const cwd = tempProject({ ...FILES, 'openapi.yaml': DOC });
    const run = await runCliAsync(['fix', '--dry-run', 'openapi.yaml', 'specs/bad.json'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/1 403 key: 1 renamed/);
    expect(run.stdout).toMatch(/could not be fixed/);
    expect(run.stderr.trim()).toMatch(/^mtls-fix: specs\/bad\.json:1:2: invalid JSON/);
  });
});
