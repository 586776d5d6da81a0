import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dotPath, formatStylish, type StylishResult } from '../../src/lint/format/stylish.js';
import { lint } from '../../src/lint/run.js';
import { CORPUS_DIR, REPO_ROOT } from '../helpers/paths.js';

// The reference: Spectral's own stylish formatter, from the package our stylish replaces on the lint path.
const require = createRequire(import.meta.url);
const formatters = require('@stoplight/spectral-formatters') as {
  stylish: (results: unknown[], options: { failSeverity: number }) => string;
};
const chalk = require('chalk') as { level: number };
const spectral = (results: readonly StylishResult[]): string =>
  formatters.stylish([...results], { failSeverity: 0 });

const range = (line: number, character: number) => ({
  start: { line, character },
  end: { line, character: character + 5 },
});
const result = (over: Partial<StylishResult>): StylishResult => ({
  code: 'mtls-no-403',
  message: 'GET /a is mTLS-secured and documents 403.',
  path: ['paths', '/a', 'get', 'responses', '403'],
  severity: 0,
  source: '/work/specs/api.yaml',
  range: range(17, 8),
  ...over,
});

/** Finding sets that exercise every column and branch of the layout. */
const SETS: Record<string, StylishResult[]> = {
  none: [],
  'one error': [result({})],
  'every severity, two files, lines of different widths': [
    result({ severity: 0, range: range(8, 2) }),
    result({ severity: 1, code: 'mtls-4xx-range', path: ['paths', '/b', 'post', 'responses', '4XX'] }),
    result({ severity: 2, source: '/work/specs/other.json', range: range(1203, 14), message: 'info' }),
    result({ severity: 3, source: '/work/specs/other.json', range: range(0, 0), code: 'x' }),
    result({ severity: 1, range: range(99, 120) }),
  ],
  'path segments: numbers, numeric strings, empty, whitespace, pointer escapes': [
    result({ path: ['paths', '/a~1b~0c', 'get', 'parameters', 0, 'schema'] }),
    result({ path: ['paths', '/x', 'get', 'responses', '403', ''] }),
    result({ path: ['paths', 'with space', 'tags', '1e3', '0x1F'] }),
    result({ path: [] }),
    result({ path: [3, 'a', 7] }),
  ],
  'documentation URL column and a missing source': [
    result({ documentationUrl: 'https://example.test/rules#mtls-no-403' }),
    result({ source: undefined, severity: 1 }),
    result({ severity: 1, message: 'a message with ünïcödé and "quotes" 12   34' }),
  ],
  'only a result without a source': [result({ source: undefined })],
  'no range': [result({ range: undefined }), result({ severity: 2 })],
};

describe('stylish: byte-identical with @stoplight/spectral-formatters stylish', () => {
  const level = chalk.level;
  afterEach(() => {
    chalk.level = level;
  });
  for (const colour of [0, 1, 3]) {
    for (const [name, results] of Object.entries(SETS)) {
      it(`${name} (chalk level ${colour})`, () => {
        chalk.level = colour;
        const ours = formatStylish(results);
        expect(ours).toBe(spectral(results));
        // The comparison means something: colour codes are there exactly when chalk draws them.
        if (results.some((r) => r.source !== undefined)) expect(ours.includes('\u001b[')).toBe(colour > 0);
      });
    }
  }

  it('on the findings of the real example and corpus documents', async () => {
    chalk.level = 1;
    const files = [
      path.join(REPO_ROOT, 'examples/openapi.yaml'),
      ...[
        'brazil-open-finance-accounts-v2.4.2.yaml',
        'uk-open-banking-account-info-v4.0.0.yaml',
        'cdr-au-banking-v1.36.0.json',
      ].map((f) => path.join(CORPUS_DIR, f)),
    ];
    const report = await lint({ files, cwd: REPO_ROOT, overrides: { mtlsEverywhere: true } });
    expect(report.results.length).toBeGreaterThan(2);
    expect(formatStylish(report.results)).toBe(spectral(report.results));
  });
});

describe('dotPath (Spectral printPath, dot style)', () => {
  it.each([
    [['paths', '/a', 'get', 'responses', '403'], 'paths./a.get.responses[403]'],
    [['paths', '/a~1b', 'get'], 'paths./a/b.get'],
    [['a', '', 'b c', 2], "a['']['b c'][2]"],
    [[], ''],
  ] as [(string | number)[], string][])('%j -> %s', (input, expected) => {
    expect(dotPath(input)).toBe(expected);
  });
});
