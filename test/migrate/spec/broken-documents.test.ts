import { appendFileSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';

// Session 42 (docs42): an OpenAPI-first library's document that exists on disk but does not parse. Before, its
// registration was named "computed at run time" (or "missing"), with no pointer to the file; now the reason names
// the document and the line where the parser stopped, and says to fix it. The `--spec` document is a good copy of
// it, so that only the library's read fails.
const root = path.resolve(import.meta.dirname, '../../fixtures/spec-projects');
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Report {
  sites: { reason: string | null }[];
  coverage: { unresolved: { file: string; reason: string }[] };
}

/** [library, fixture, the document the code hands the library (relative to the fixture)]. */
const CASES: [string, string, string][] = [
  ['express-openapi-validator', 'spellings-operation-handlers', 'openapi.yaml'],
  ['swagger-tools', 'spellings-swagger-tools-router', 'api/swagger.yaml'],
  ['swagger-node', 'spellings-swagger-node-runner', 'api/swagger/swagger.yaml'],
  ['fastify-openapi-glue', 'spellings-openapi-glue', 'openapi.yaml'],
  ['exegesis', 'spellings-security-hooks-exegesis', 'openapi.yaml'],
  ['oas3-tools', 'spellings-oas3-tools', 'api/openapi.yaml'],
  // Review of session 42 (rvspec): the libraries whose document is read through document-choices.ts
  // `readDocumentOf` still said "computed at run time" for one that does not parse or whose $ref is broken.
  ['hapi-openapi', 'spellings-hapi-openapi', 'openapi.yaml'],
  ['swagger-routes-express', 'spellings-swagger-routes-express', 'api.yml'],
  ['openapi-backend', 'spellings-openapi-backend', 'openapi.yaml'],
];

describe('migrate --spec: a library document that does not parse is named, with its line', () => {
  it.each(CASES)('%s', async (library, fixture, document) => {
    const cwd = tempProject({}, path.join(root, fixture));
    temps.push(cwd);
    const file = path.join(cwd, document);
    const spec = path.join(path.dirname(document), 'mtls-spec.yaml');
    copyFileSync(file, path.join(cwd, spec));
    // An unclosed flow sequence: the parser stops at the line after it (the end of the file).
    const lines = readFileSync(file, 'utf8').replace(/\n?$/, '\n').split('\n').length;
    appendFileSync(file, '\nbroken: [unclosed, list\n');
    const result = await runCliAsync(['migrate', '--json', '--check', '--spec', spec], { cwd });
    const report = JSON.parse(result.stdout) as Report;
    const reasons = [
      ...report.coverage.unresolved.map((u) => u.reason),
      ...report.sites.map((s) => s.reason ?? ''),
    ];
    const named = reasons.filter((r) => r.includes(`the OpenAPI document ${document} (line `));
    expect(named.length, reasons.join('\n')).toBeGreaterThan(0);
    for (const reason of named) {
      expect(reason).toMatch(/does not parse: its operations' handlers are not read; fix the document/);
      expect(reason).toContain(library);
      const line = Number(/\(line (\d+)\)/.exec(reason)?.[1]);
      expect(line).toBeGreaterThanOrEqual(lines);
    }
    expect(reasons.some((r) => r.includes('computed at run time'))).toBe(false);
  });
});

// Session 42 (ref42): a path item `$ref`d to another file (`paths: { /x: { $ref: ./paths/x.yaml } }`) that does
// not parse, or does not exist. Before, the reference was skipped without a word (its operations' handlers lost,
// the rest read as if whole); the library cannot load such a document at all, so now the reason names the file,
// the line where the parser stopped, and the `$ref` text.
describe('migrate --spec: a $ref of a library document to a broken or missing file is named', () => {
  const broken = CASES.map(([library, fixture, document]): [string, string, string, string] => [
    library,
    fixture,
    document,
    'broken',
  ]);
  const missing = CASES.map(([library, fixture, document]): [string, string, string, string] => [
    library,
    fixture,
    document,
    'missing',
  ]);
  it.each([...broken, ...missing])('%s (%s, %s, %s file)', async (library, fixture, document, kind) => {
    const cwd = tempProject({}, path.join(root, fixture));
    temps.push(cwd);
    const file = path.join(cwd, document);
    const spec = path.join(path.dirname(document), 'mtls-spec.yaml');
    copyFileSync(file, path.join(cwd, spec));
    // The referenced file, beside the document: line 3 opens a flow sequence it never closes.
    const dir = path.dirname(file);
    const referenced = path.join(path.dirname(document), 'paths', 'x.yaml');
    if (kind === 'broken') {
      mkdirSync(path.join(dir, 'paths'), { recursive: true });
      writeFileSync(
        path.join(cwd, referenced),
        'get:\n  operationId: getX\n  tags: [unclosed, list\n  responses:\n    200: { description: ok }\n',
      );
    }
    const text = readFileSync(file, 'utf8').replace(
      /^paths:\n/m,
      'paths:\n  /x:\n    $ref: ./paths/x.yaml\n',
    );
    writeFileSync(file, text);
    const result = await runCliAsync(['migrate', '--json', '--check', '--spec', spec], { cwd });
    const report = JSON.parse(result.stdout) as Report;
    const reasons = [
      ...report.coverage.unresolved.map((u) => u.reason),
      ...report.sites.map((s) => s.reason ?? ''),
    ];
    const named = reasons.filter((r) => r.includes(`the OpenAPI document ${referenced}`));
    expect(named.length, reasons.join('\n')).toBeGreaterThan(0);
    for (const reason of named) {
      expect(reason).toContain(`($ref ./paths/x.yaml in ${document})`);
      expect(reason).toContain(library);
      if (kind === 'broken') {
        expect(reason).toMatch(/ \(line \d+\) does not parse /);
        expect(Number(/\(line (\d+)\)/.exec(reason)?.[1])).toBeGreaterThanOrEqual(3);
        expect(reason).toMatch(/its operations' handlers are not read; fix the document/);
      } else {
        expect(reason).toMatch(/ does not exist .*fix the \$ref or add the file/);
      }
    }
    expect(reasons.some((r) => r.includes('computed at run time'))).toBe(false);
  });
});
