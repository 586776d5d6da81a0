import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { compactSparseMap, loadYamlSharingText } from '../../src/openapi/yaml-load.js';
import { loadSimpleYaml, type ImplicitType } from '../../src/openapi/yaml-simple.js';
import { CORPUS_DIR, REPO_ROOT } from '../helpers/paths.js';

// V8's own answer to "are this object's elements a dictionary?" (a natives call, compiled after the flag is set).
setFlagsFromString('--allow-natives-syntax');
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const hasDictionaryElements = new Function('o', 'return %HasDictionaryElements(o)') as (o: object) => boolean;

// The model's schema (source.ts): YAML 1.2 core types and merge keys.
const { merge } = (jsYaml as unknown as { types: { merge: jsYaml.Type } }).types;
const schema = jsYaml.CORE_SCHEMA.extend({ implicit: [merge] });
const implicit = (schema as unknown as { compiledImplicit: ImplicitType[] }).compiledImplicit;
const simple = (text: string): unknown => loadSimpleYaml(text, implicit, compactSparseMap);

/** js-yaml's answer: the data, or the error it throws. */
function jsYamlLoad(text: string): { data: unknown } | { error: string } {
  try {
    return { data: jsYaml.load(text, { schema }) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Undefined (left to js-yaml), or js-yaml's data: equal values and types, keys in the same order at every level. */
function expectSameOrLeft(text: string, where: string): boolean {
  const got = simple(text);
  if (got === undefined) return false;
  const expected = jsYamlLoad(text);
  expect(expected, `${where}: read, but js-yaml rejects it`).toHaveProperty('data');
  const data = 'data' in expected ? expected.data : undefined;
  expect(isDeepStrictEqual(got, data), where).toBe(true);
  expect(JSON.stringify(got), where).toBe(JSON.stringify(data));
  return true;
}

/** Every YAML file of the repository's fixtures and examples, and of the shared corpus. */
function yamlFiles(): string[] {
  const under = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.ya?ml$/.test(name) && !name.includes('node_modules'))
      .map((name) => path.join(dir, name));
  return [
    ...under(path.join(REPO_ROOT, 'test')),
    ...under(path.join(REPO_ROOT, 'examples')),
    ...under(CORPUS_DIR),
  ];
}

describe('loadSimpleYaml (plain YAML read as js-yaml reads it)', () => {
  it('gives js-yaml data or leaves the file to js-yaml, for every fixture, example and corpus file', () => {
    const files = yamlFiles();
    let read = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      if (expectSameOrLeft(text, file)) read++;
    }
    expect(files.length).toBeGreaterThanOrEqual(100);
    // Most are in the subset (109 of 145 in the repository when written).
    expect(read).toBeGreaterThan(files.length / 2);
  });

  it('never reads an edited file differently from js-yaml, nor one js-yaml rejects', () => {
    // Seeded edits (insert, delete, replace) with YAML's syntax characters, on the files it reads.
    let seed = 17;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pieces = [
      ' ',
      ':',
      '#',
      '-',
      "'",
      '"',
      '{',
      '}',
      '[',
      ']',
      ',',
      '\n',
      'a',
      '0',
      '?',
      '&',
      '*',
      '!',
      '|',
      '>',
      '  ',
      ': ',
      ' #',
      '- ',
      '\n  ',
      '\n- ',
      '1.0',
      'null',
      '<<',
      '~',
      '.inf',
      '0x1F',
      '\\',
      '\t',
    ];
    const files = yamlFiles()
      .map((file) => readFileSync(file, 'utf8'))
      .filter((text) => text.length < 20_000 && simple(text) !== undefined);
    let edited = 0;
    for (const original of files) {
      for (let round = 0; round < 40; round++) {
        let text = original;
        for (let edits = 1 + next(3); edits > 0; edits--) {
          const at = next(text.length + 1);
          const piece = pieces[next(pieces.length)];
          const kind = next(3);
          text =
            kind === 0
              ? text.slice(0, at) + piece + text.slice(at)
              : kind === 1
                ? text.slice(0, at) + text.slice(at + 1 + next(3))
                : text.slice(0, at) + piece + text.slice(at + 1);
        }
        if (expectSameOrLeft(text, `an edit of a fixture: ${JSON.stringify(text.slice(0, 200))}`)) edited++;
      }
    }
    expect(edited).toBeGreaterThan(1000);
  });

  it.each([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a merge key', 'a: {x: 1}\nb:\n  <<: {x: 2}\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a scalar over two lines', 'a: one\n  two\n'],
    ['a tab', 'a:\t1\n'],
    ['a carriage return', 'a: 1\r\nb: 2\r\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a duplicate key in a flow map', 'a: {b: 1, b: 2}\n'],
    ['a document marker', '---\na: 1\n'],
    ['__proto__', '__proto__: {x: 1}\n'],
    ['an escape in double quotes', 'a: "x\\ny"\n'],
    ['a comment in a flow map', 'a: {b: 1} # c\n'],
    ['an empty flow value', 'a: {x: }\n'],
    ['an empty sequence item', 'x:\n  -\ny: 1\n'],
    ['a sequence in a sequence', '- - 1\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['a character outside the subset', 'a: \u{1F600}\n'],
    ['nothing', '# only a comment\n'],
  ])('leaves %s to js-yaml', (_name, text) => {
    expect(simple(text)).toBeUndefined();
  });

  it("reads js-yaml's quirk after an empty item as js-yaml does: it leaves it", () => {
    // js-yaml puts `- b` in the inner sequence ([{ a: [null, 'b'] }]); indentation says otherwise.
    const text = '- a:\n  -\n- b\n';
    expect(jsYamlLoad(text)).toEqual({ data: [{ a: [null, 'b'] }] });
    expect(simple(text)).toBeUndefined();
  });

  it.each([
    ['core types', 'a: 1\nb: -1.5\nc: 0x1F\nd: .inf\ne: ~\nf: true\ng: null\nh: 1_000\ni: 2001-01-01\n'],
    ['resolved keys', "1.0: a\nnull: b\n0o10: c\n'403': d\ntrue: e\n"],
    ['quotes', "a: 'it''s'\nb: \"x # y\" # comment\nc: 'x: y'\n"],
    ['plain scalars with indicators inside', 'a: http://x/#f\nb: a, b [c]\nc: -x\nd: x # comment\n'],
    ['flow collections', 'a: [1, [2, {b: c}], "d"]\nb: { }\nc: [ ]\nd: {e: {f: g}}\n'],
    ['sequences at the key indentation', 'a:\n- b: 1\n  c:\n  - x\n- d\ne: 1\n'],
    ['nested blocks', 'a:\n  b:\n    c: 1\n  d:\n    - e\n    - f: g\n      h: i\n'],
    ['an empty value', 'a:\nb: 1\nc:\n  d:\n'],
  ])('reads %s as js-yaml does', (_name, text) => {
    expect(expectSameOrLeft(text, text)).toBe(true);
  });

  it('gives sparse status-code maps dictionary elements, as the model keeps them', () => {
    const text =
      "responses:\n  '200': {description: OK}\n  '403':\n    description: No\n  default: {description: x}\n";
    const data = simple(text) as { responses: object };
    expect(hasDictionaryElements(data.responses)).toBe(true);
    expect(Object.keys(data.responses)).toEqual(['200', '403', 'default']);
  });

  it('is what loadYamlSharingText reads plain documents with: the same data and text', () => {
    const text =
      "openapi: 3.1.0\npaths:\n  /a/{id}:\n    get:\n      responses:\n        '403': { description: No }\n";
    const loaded = loadYamlSharingText(text, { schema });
    expect(loaded.text).toBe(text);
    expect(JSON.stringify(loaded.data)).toBe(JSON.stringify(jsYaml.load(text, { schema })));
    const nested = (loaded.data as { paths: Record<string, { get: { responses: object } }> }).paths[
      '/a/{id}'
    ];
    expect(hasDictionaryElements(nested.get.responses)).toBe(true);
  });
});
