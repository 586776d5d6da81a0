import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  colourSurelyOff,
  dotPath,
  formatStylish,
  PLAIN,
  type Painter,
  type StylishResult,
} from '../../src/lint/format/stylish.js';
import { lint } from '../../src/lint/run.js';
import { CORPUS_DIR, REPO_ROOT } from '../helpers/paths.js';

// The reference: Spectral's own stylish formatter, from the package our stylish replaces on the lint path.
const require = createRequire(import.meta.url);
const formatters = require('@stoplight/spectral-formatters') as {
  stylish: (results: unknown[], options: { failSeverity: number }) => string;
};
const chalk = require('chalk') as Painter & { level: number };
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
        const ours = formatStylish(results, chalk);
        expect(ours).toBe(spectral(results));
        // Without chalk (colour surely off): what chalk draws at level 0.
        if (colour === 0) expect(formatStylish(results, PLAIN)).toBe(ours);
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
    expect(formatStylish(report.results, chalk)).toBe(spectral(report.results));
    chalk.level = 0;
    expect(formatStylish(report.results, PLAIN)).toBe(spectral(report.results));
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

describe('colourSurelyOff agrees with supports-color 7 (what chalk 4 asks) where it says "off"', () => {
  // supports-color decides once, at load, from the environment, process.argv and whether fd 1 is a terminal:
  // each case is a fresh process (stdout a pipe, so not a terminal), asked both ways.
  const probe = `
    const { createRequire } = require('node:module');
    const chalkRequire = createRequire(require.resolve('chalk'));
    const level = chalkRequire('supports-color').stdout ? chalkRequire('supports-color').stdout.level : 0;
    process.stdout.write(JSON.stringify({ level, argv: process.argv, env: process.env.FORCE_COLOR ?? null }));
  `;
  const cases: [string, Record<string, string>, string[]][] = [
    ['nothing set', {}, []],
    ['FORCE_COLOR=0', { FORCE_COLOR: '0' }, []],
    ['FORCE_COLOR=false', { FORCE_COLOR: 'false' }, []],
    ['FORCE_COLOR=1', { FORCE_COLOR: '1' }, []],
    ['FORCE_COLOR=true', { FORCE_COLOR: 'true' }, []],
    ['FORCE_COLOR empty', { FORCE_COLOR: '' }, []],
    ['FORCE_COLOR=3', { FORCE_COLOR: '3' }, []],
    ['--color', {}, ['--color']],
    ['--color=256', {}, ['--color=256']],
    ['--no-color with FORCE_COLOR=1', { FORCE_COLOR: '1' }, ['--no-color']],
    ['FORCE_COLOR=0 with --color=16m', { FORCE_COLOR: '0' }, ['--color=16m']],
  ];
  it.each(cases)('%s', (_name, env, args) => {
    const base = { ...process.env };
    delete base.FORCE_COLOR;
    delete base.NO_COLOR;
    const run = spawnSync(process.execPath, ['-e', probe, '--', ...args], {
      cwd: REPO_ROOT,
      env: { ...base, ...env },
      encoding: 'utf8',
    });
    const seen = JSON.parse(run.stdout) as { level: number; argv: string[] };
    const off = colourSurelyOff({ ...env }, seen.argv, false);
    // "Surely off" must never be said where chalk would draw colour; and it is said in the plain cases.
    if (off) expect(seen.level).toBe(0);
    if (_name === 'nothing set' || _name.startsWith('FORCE_COLOR=0') || _name === 'FORCE_COLOR=false')
      expect(off).toBe(true);
  });

  it('a terminal is left to chalk', () => {
    expect(colourSurelyOff({}, [], true)).toBe(false);
  });
});
