import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';

/**
 * `init` adds its hooks to an existing `.pre-commit-config.yaml`. Before (90e640c) it re-serialised the whole file
 * with the `yaml` package: `[commit]` became `[ commit ]`, indentless lists were indented, `-   id:` lost its
 * alignment, `"v4.4.0"   # pinned` lost its spaces, a long `name:` was folded over two lines, CRLF became LF;
 * a file with lone-CR line ends, or one that is not YAML, was "unexpected error: Document with errors cannot be
 * stringified" (exit 2, "report it"). Now the entry is added as text, every other byte kept.
 */

const ADDED = (indent: string): string[] => [
  `${indent}- repo: https://github.com/mtls-fix/mtls-fix`,
  `${indent}  rev: v0.1.0`,
  `${indent}  hooks:`,
  `${indent}    - id: mtls-fix-lint`,
  `${indent}    - id: mtls-fix-migrate-check`,
];

interface Case {
  name: string;
  lines: string[];
  /** The expected lines after init (LF); default: `lines` then ADDED('') at the end. */
  expected?: string[];
}

const CASES: Case[] = [
  {
    name: 'an indentless block list with flow lists, aligned comments, quoted revs, long lines, block scalars',
    lines: [
      '# See https://pre-commit.com for more information',
      'default_stages: [commit]',
      'repos:',
      '- repo: https://github.com/pre-commit/pre-commit-hooks',
      '  rev: "v4.4.0"   # pinned',
      '  hooks:',
      '  -   id: trailing-whitespace',
      '',
      '  -   id: check-yaml',
      "      args: ['--allow-multiple-documents', --unsafe]",
      '- repo: local',
      '  hooks:',
      '    - id: long',
      '      name: a very long name that goes on and on and on and on and on and on and on and on and on and on and on',
      '      entry: >',
      "        bash -c 'echo hi'",
      '      language: system',
    ],
  },
  {
    name: 'an indented block list followed by another key and a comment',
    lines: [
      'repos:',
      '    - repo: https://github.com/psf/black',
      '      rev: 24.1.0 # black',
      '      hooks: [{id: black}]',
      '# CI settings',
      'ci: {autofix_prs: false}',
    ],
    expected: [
      'repos:',
      '    - repo: https://github.com/psf/black',
      '      rev: 24.1.0 # black',
      '      hooks: [{id: black}]',
      ...ADDED('    '),
      '# CI settings',
      'ci: {autofix_prs: false}',
    ],
  },
  {
    name: 'a flow list of repos',
    lines: ['repos: [{repo: local, hooks: [{id: x, name: x, entry: x, language: system}]}]  # one'],
    expected: [
      'repos: [{repo: local, hooks: [{id: x, name: x, entry: x, language: system}]}, { repo: https://github.com/mtls-fix/mtls-fix, rev: v0.1.0, hooks: [{ id: mtls-fix-lint }, { id: mtls-fix-migrate-check }] }]  # one',
    ],
  },
  {
    name: '`repos: []` with a comment: the comment stays on its line',
    lines: ['fail_fast: true', 'repos: [] # filled by init', 'exclude: ^vendor/'],
    expected: ['fail_fast: true', 'repos: # filled by init', ...ADDED('  '), 'exclude: ^vendor/'],
  },
  {
    name: '`repos:` with no value',
    lines: ['repos:', 'minimum_pre_commit_version: "3.0"'],
    expected: ['repos:', ...ADDED('  '), 'minimum_pre_commit_version: "3.0"'],
  },
  {
    // Session 23: pre-commit's own `sample-config` layout. On 66c28b1 the entry was added as `- repo:` with its
    // hooks indented two, beside entries written `-   repo:` / `-   id:` (valid, but not the file's alignment).
    name: '`-   repo:` with `-   id:` at the column of `hooks:` (pre-commit sample-config): the entry follows it',
    lines: [
      'repos:',
      '-   repo: https://github.com/pre-commit/pre-commit-hooks',
      '    rev: v3.2.0',
      '    hooks:',
      '    -   id: trailing-whitespace',
      '    -   id: end-of-file-fixer',
    ],
    expected: [
      'repos:',
      '-   repo: https://github.com/pre-commit/pre-commit-hooks',
      '    rev: v3.2.0',
      '    hooks:',
      '    -   id: trailing-whitespace',
      '    -   id: end-of-file-fixer',
      '-   repo: https://github.com/mtls-fix/mtls-fix',
      '    rev: v0.1.0',
      '    hooks:',
      '    -   id: mtls-fix-lint',
      '    -   id: mtls-fix-migrate-check',
    ],
  },
  {
    name: 'an indented list with `-  repo:` and hooks four in: the last entry is the model',
    lines: [
      'repos:',
      '  - repo: local',
      '    hooks: [{id: x, name: x, entry: x, language: system}]',
      '  -  repo: https://github.com/psf/black',
      '     rev: 24.1.0',
      '     hooks:',
      '         - id: black',
    ],
    expected: [
      'repos:',
      '  - repo: local',
      '    hooks: [{id: x, name: x, entry: x, language: system}]',
      '  -  repo: https://github.com/psf/black',
      '     rev: 24.1.0',
      '     hooks:',
      '         - id: black',
      '  -  repo: https://github.com/mtls-fix/mtls-fix',
      '     rev: v0.1.0',
      '     hooks:',
      '         - id: mtls-fix-lint',
      '         - id: mtls-fix-migrate-check',
    ],
  },
  {
    name: 'no `repos` key',
    lines: ['default_language_version: {python: python3}'],
    expected: ['default_language_version: {python: python3}', 'repos:', ...ADDED('  ')],
  },
];

const LINE_ENDS: [string, string, string][] = [
  ['LF', '\n', ''],
  ['CRLF', '\r\n', ''],
  ['lone CR', '\r', ''],
  ['CRLF after a BOM', '\r\n', '\uFEFF'],
];

describe('init: the hooks are added to .pre-commit-config.yaml as text, every other byte kept', () => {
  for (const { name, lines, expected } of CASES) {
    it(name, () => {
      // One project per line end, all in one init run each; the LF result is the oracle for the others.
      for (const [label, eol, bom] of LINE_ENDS) {
        const text = bom + lines.join(eol) + eol;
        const cwd = tempProject({ '.pre-commit-config.yaml': text });
        const run = runCli(['init', '--yes', '--no-detect'], { cwd });
        expect(run.stderr, label).toBe('');
        expect(run.code, label).toBe(0);
        const want = bom + (expected ?? [...lines, ...ADDED('')]).join(eol) + eol;
        expect(readFileSync(path.join(cwd, '.pre-commit-config.yaml'), 'utf8'), label).toBe(want);
      }
    });
  }

  it('a file that is not YAML, a `repos` that is not a list, UTF-16: one line with where and what to do, exit 2, nothing written', () => {
    const cases: [string | Buffer, RegExp][] = [
      [
        'repos:\n  - repo: x\n    hooks: [\n',
        /^mtls-fix: \.pre-commit-config\.yaml:4:1: invalid YAML: .*add the mtls-fix hooks by hand/,
      ],
      ['repos:\r  - repo: x\r    hooks: [\r', /^mtls-fix: \.pre-commit-config\.yaml:4:1: invalid YAML: /],
      [
        'repos: {a: 1}\n',
        /^mtls-fix: \.pre-commit-config\.yaml:1:8: not a pre-commit config: 'repos' must be a list/,
      ],
      [
        '- a\n- b\n',
        /^mtls-fix: \.pre-commit-config\.yaml:1:1: not a pre-commit config: its top level must be a block map/,
      ],
      [
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('repos: []\n', 'utf16le')]),
        /^mtls-fix: \.pre-commit-config\.yaml: UTF-16 is not supported \(UTF-16LE text, byte order mark\)/,
      ],
    ];
    for (const [text, message] of cases) {
      const cwd = tempProject({ '.pre-commit-config.yaml': text });
      const run = runCli(['init', '--yes', '--no-detect'], { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/unexpected error|\n\s+at /);
      expect(readFileSync(path.join(cwd, '.pre-commit-config.yaml'))).toEqual(Buffer.from(text));
      expect(() => readFileSync(path.join(cwd, 'mtls-fix.config.yaml'))).toThrow();
    }
  });
});
