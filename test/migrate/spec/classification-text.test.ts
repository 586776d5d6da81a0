import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { classificationText } from '../../../src/migrate/routes/classification-text.js';
import { loadOperations } from '../../../src/migrate/routes/operations.js';
import { CORPUS_DIR } from '../../helpers/paths.js';

/**
 * `--spec` loads a YAML document from its classification text: the values of request/response shapes blanked
 * (src/migrate/routes/classification-text.ts). What is kept must load to the same data as from the whole text,
 * and the operations `--spec` lists must be the same, on every real document of the corpus.
 */

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'query']);
const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The data without the fields the blanking may empty (written here from the OpenAPI fields, not from the code). */
function withoutShapes(data: unknown): unknown {
  if (!isMap(data)) return data;
  const copy = structuredClone(data);
  for (const key of ['definitions', 'responses', 'parameters']) delete copy[key];
  if (isMap(copy.components))
    for (const key of ['schemas', 'responses', 'parameters', 'examples', 'requestBodies', 'headers', 'links'])
      delete copy.components[key];
  if (isMap(copy.paths))
    for (const [key, item] of Object.entries(copy.paths)) {
      if (key.startsWith('x-') || !isMap(item)) continue;
      delete item.parameters;
      for (const [field, operation] of Object.entries(item))
        if (
          (METHODS.has(field.toLowerCase()) || field === 'x-amazon-apigateway-any-method') &&
          isMap(operation)
        )
          for (const shape of ['parameters', 'requestBody', 'responses']) delete operation[shape];
    }
  return copy;
}

const corpus = (): string[] => {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(ya?ml|json)$/.test(entry.name)) out.push(file);
    }
  };
  walk(CORPUS_DIR);
  return out.sort();
};

describe('classificationText on the corpus', () => {
  const files = corpus();
  it('finds the corpus', () => expect(files.length).toBeGreaterThan(15));

  it.each(files.filter((f) => !f.endsWith('.json')).map((f) => [path.relative(CORPUS_DIR, f), f]))(
    '%s: the kept fields load as from the whole text, line for line',
    (_name, file) => {
      const text = readFileSync(file, 'utf8');
      const blanked = classificationText(text);
      expect(blanked, 'every YAML document of the corpus is plain enough to blank').toBeDefined();
      const kept = blanked as string;
      expect(kept.length).toBeLessThan(text.length);
      expect(kept.split('\n').length).toBeGreaterThanOrEqual(text.split('\n').length);
      const lines = text.split('\n');
      // Every line is the same line or empty.
      kept.split('\n').forEach((line, i) => {
        if (line !== '' && line !== '\r') expect(line).toBe(lines[i]);
      });
      expect(withoutShapes(jsYaml.load(kept))).toEqual(withoutShapes(jsYaml.load(text)));
    },
  );

  it.each(files.map((f) => [path.relative(CORPUS_DIR, f), f]))(
    '%s: --spec lists the same operations, with the same verdicts',
    (_name, file) => {
      const options = { cwd: path.dirname(file), allowRemoteRefs: false };
      for (const mtls of [
        { schemes: [], servers: [], everywhere: false },
        { schemes: [], servers: [/./], everywhere: false },
      ]) {
        let whole: unknown;
        try {
          whole = loadOperations([file], { ...options, mtls, blank: false });
        } catch (error) {
          // Not a document of its own (a schema file the others $ref): the same error either way.
          expect(() => loadOperations([file], { ...options, mtls })).toThrow((error as Error).message);
          continue;
        }
        expect(loadOperations([file], { ...options, mtls })).toEqual(whole);
      }
    },
  );
});

const SPEC = (operation: string): string =>
  `openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n${operation}`;

describe('classificationText: what it blanks and where it gives up', () => {
  it.each([
    [
      'block responses, compact parameters, request body',
      SPEC(
        "      security:\n      - clientCert: []\n      parameters:\n      - name: id\n        in: path\n      requestBody:\n        content: {}\n      responses:\n        '403':\n          description: no\n",
      ),
      ['security', 'parameters', 'requestBody', 'responses'],
      { security: [{ clientCert: [] }], parameters: null, requestBody: null, responses: null },
    ],
    [
      'an inline flow value is kept (nothing of it is cut)',
      SPEC(
        "      responses: {'403': {description: no}}\n      parameters:\n        - {name: id, in: path}\n",
      ),
      ['responses', 'parameters'],
      { responses: { '403': { description: 'no' } }, parameters: null },
    ],
    [
      'a block scalar that reads like fields is kept whole',
      SPEC('      description: |\n        responses:\n          x: y\n      responses:\n        x: 1\n'),
      ['description', 'responses'],
      { description: 'responses:\n  x: y\n', responses: null },
    ],
    [
      'quoted keys, comments and an upper-case method',
      `openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  '/a':\n    "GET":\n      # the answers\n      'responses': # shapes\n        '200': {description: ok}\n      x-mtls: true\n`,
      null,
      null,
    ],
  ])('%s', (_name, text, fields, expected) => {
    const blanked = classificationText(text);
    expect(blanked).toBeDefined();
    const data = jsYaml.load(blanked as string) as { paths: Record<string, Record<string, unknown>> };
    if (fields && expected) {
      const operation = data.paths['/a']?.get as Record<string, unknown>;
      expect(Object.keys(operation)).toEqual(fields);
      expect(operation).toEqual(expected);
    } else {
      expect(data.paths['/a']?.GET).toEqual({ responses: null, 'x-mtls': true });
    }
  });

  it('reads a key holding # (AWS-style paths) and passes entities inside a block scalar', () => {
    const text =
      "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /#AddTags:\n    post:\n      x-mtls: true\n" +
      '      responses:\n        default:\n          description: >-\n            Example: &lt;name&gt;\n';
    const blanked = classificationText(text) as string;
    expect(blanked).toBeDefined();
    expect(jsYaml.load(blanked)).toMatchObject({
      paths: { '/#AddTags': { post: { 'x-mtls': true, responses: null } } },
    });
  });

  it('keeps CRLF lines and a byte order mark', () => {
    const text =
      '\uFEFF' + SPEC("      responses:\n        '403': {description: no}\n").replace(/\n/g, '\r\n');
    const blanked = classificationText(text) as string;
    expect(jsYaml.load(blanked)).toEqual(
      jsYaml.load(text.replace("        '403': {description: no}\r\n", '')),
    );
  });

  it.each([
    ['JSON', '{"openapi": "3.1.0", "paths": {"/a": {"get": {"responses": {}}}}}'],
    [
      'an anchor in a blanked value',
      SPEC("      responses: \n        '403': &no {description: no}\n      x-a: *no\n"),
    ],
    ['a tab in an indentation', SPEC("      responses:\n\t'403': {description: no}\n")],
    ['a second document', SPEC("      responses:\n        '403': {}\n---\nopenapi: 3.1.0\n")],
    ['a sequence where paths are', 'openapi: 3.1.0\npaths:\n- /a\n'],
    ['a complex key', 'openapi: 3.1.0\npaths:\n  ? /a\n  : get: {}\n'],
    ['nothing to blank', SPEC("      responses: {'403': {description: no}}\n")],
  ])('gives up on %s', (_name, text) => {
    expect(classificationText(text)).toBeUndefined();
  });

  it('a text it gives up on is loaded whole, to the same operations', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mtls-fix-ct-'));
    // The flow sequence's second line sits at the items' indentation: the blanking cannot place `b]`.
    const text = SPEC(
      '      x-mtls: true\n      parameters:\n      - [a,\n      b]\n      responses:\n        x: 1\n',
    );
    writeFileSync(path.join(dir, 'openapi.yaml'), text);
    expect(classificationText(text)).toBeUndefined();
    const options = {
      cwd: dir,
      allowRemoteRefs: false,
      mtls: { schemes: [], servers: [], everywhere: false },
    };
    const operations = loadOperations(['openapi.yaml'], options);
    expect(operations.map((o) => [o.name, o.mtls])).toEqual([['GET /a', true]]);
    expect(operations).toEqual(loadOperations(['openapi.yaml'], { ...options, blank: false }));
  });
});
