import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

// Session 41 (lint41): `fix --dry-run` on a file whose lines end with a lone CR (classic Mac OS) printed every line
// from the first change to the end of the file as one removed and one added line, under a hunk header of the
// wrong lines (`@@ -5,1 +5,1 @@`): the differ split lines at LF only. In a file of mixed line ends the hunk
// header counted fewer lines than it showed. The oracle: the same document with LF line ends. Each variant's
// diff must show exactly the LF file's changed lines, at the same line numbers; `fix` must write the LF file's
// change with every other byte (each line end, the BOM, the missing final line end) as it was; `--check` must
// fail before and pass after; `--overlay` must say what it says for the LF file.

type Ending = '\n' | '\r\n' | '\r';

interface Variant {
  name: string;
  bom: boolean;
  /** The line end of line `index` (0-based). */
  ending: (index: number) => Ending;
  finalEnd: boolean;
  /** A file of mixed line ends where one kind ends most lines: every line the fix adds must end so. */
  usual?: Ending;
}

const MIXED: Ending[] = ['\r', '\n', '\r\n'];
const VARIANTS: Variant[] = [
  { name: 'lf', bom: false, ending: () => '\n', finalEnd: true },
  { name: 'crlf', bom: false, ending: () => '\r\n', finalEnd: true },
  { name: 'cr', bom: false, ending: () => '\r', finalEnd: true },
  { name: 'mixed', bom: false, ending: (index) => MIXED[index % 3], finalEnd: true },
  { name: 'bom-lf', bom: true, ending: () => '\n', finalEnd: true },
  { name: 'bom-crlf', bom: true, ending: () => '\r\n', finalEnd: true },
  { name: 'bom-cr', bom: true, ending: () => '\r', finalEnd: true },
  { name: 'bom-mixed', bom: true, ending: (index) => MIXED[(index + 1) % 3], finalEnd: true },
  // Session 41: a file of LF lines with one CRLF line got CRLF on every line a fix added (any CRLF decided).
  {
    name: 'mixed-lf-one-crlf',
    bom: false,
    ending: (index) => (index === 1 ? '\r\n' : '\n'),
    finalEnd: true,
    usual: '\n',
  },
  {
    name: 'mixed-cr-one-lf',
    bom: false,
    ending: (index) => (index === 1 ? '\n' : '\r'),
    finalEnd: true,
    usual: '\r',
  },
  {
    name: 'mixed-cr-one-crlf',
    bom: false,
    ending: (index) => (index === 2 ? '\r\n' : '\r'),
    finalEnd: true,
    usual: '\r',
  },
  { name: 'lf-nofinal', bom: false, ending: () => '\n', finalEnd: false },
  { name: 'crlf-nofinal', bom: false, ending: () => '\r\n', finalEnd: false },
  { name: 'cr-nofinal', bom: false, ending: () => '\r', finalEnd: false },
];

/** `lines` written with the variant's line ends. */
function written(variant: Variant, lines: readonly string[]): string {
  const body = lines
    .map((line, index) => line + (index < lines.length - 1 || variant.finalEnd ? variant.ending(index) : ''))
    .join('');
  return (variant.bom ? '\uFEFF' : '') + body;
}

/** A text's lines as an editor shows them (LF, CRLF or a lone CR ends one), each with its line end. */
function editorLines(text: string): { content: string; end: string }[] {
  const lines: { content: string; end: string }[] = [];
  const pattern = /([^\r\n]*)(\r\n|\r|\n|$)/g;
  for (const match of text.matchAll(pattern)) {
    if (match[0] === '' && match.index === text.length) break;
    lines.push({ content: match[1], end: match[2] });
  }
  return lines;
}

interface Scenario {
  name: string;
  args: string[];
  lines: string[];
}

const SCENARIOS: Scenario[] = [
  {
    name: 'two 403s renamed (flow and block)',
    args: [],
    lines: [
      'openapi: 3.1.0',
      "info: {title: t, version: '1'}",
      'x-mtls: true',
      'paths:',
      '  /a:',
      '    get:',
      '      responses:',
      "        '200': {description: ok}",
      "        '403': {description: no} # why",
      '  /b:',
      '    get:',
      '      responses:',
      "        '403':",
      '          description: no',
      '  /c:',
      '    get:',
      '      responses:',
      "        '200': {description: ok}",
    ],
  },
  {
    name: 'a 403 merged into the 401 and a WWW-Authenticate header added (lines removed and added)',
    args: ['--on-conflict', 'merge', '--www-authenticate', 'Bearer'],
    lines: [
      'openapi: 3.0.3',
      "info: {title: t, version: '1'}",
      'x-mtls: true',
      'paths:',
      '  /a:',
      '    get:',
      '      responses:',
      "        '401':",
      '          description: who',
      "        '403':",
      '          description: no',
      '          headers:',
      '            X-Rate: {schema: {type: string}}',
      '  /b:',
      '    get:',
      '      responses:',
      "        '403': {description: no}",
    ],
  },
];

/** The diff `fix --dry-run` printed for `file`: [note line or '', hunk lines]. */
function diffOf(stdout: string, file: string): { note: string; hunks: string[] } {
  const start = stdout.indexOf(`--- a/${file}\n`);
  expect(start, `a diff for ${file}`).toBeGreaterThan(-1);
  const before = stdout.slice(0, start).split('\n');
  // The line before `===...` (formatPatch's separator) is the note, when there is one.
  const note = before.at(-3)?.startsWith(`mtls-fix: ${file} `) ? (before.at(-3) ?? '') : '';
  const rest = stdout.slice(start).split('\n').slice(2);
  const end = rest.findIndex((line) => !/^[-+ @\\]/.test(line) || line.startsWith('--- a/'));
  return { note, hunks: rest.slice(0, end === -1 ? undefined : end) };
}

/** A hunk line with a CRLF line end's CR taken off (the LF file's diff line). */
const withoutCrlf = (line: string): string => line.replace(/\r$/, '');

/**
 * `hunks` applied to `original` (editor lines) as `patch` would, each context and removed line checked against
 * the line it names (content, and a CR shown at its end only for a CRLF line), each hunk's new start checked:
 * the contents of the lines it gives, and for each line it keeps [old index, new index].
 */
function applyHunks(
  original: readonly { content: string; end: string }[],
  hunks: readonly string[],
  label: string,
): { contents: string[]; kept: [number, number][] } {
  const contents: string[] = [];
  const kept: [number, number][] = [];
  let at = 0;
  const keep = (): void => {
    kept.push([at, contents.length]);
    contents.push(original[at].content);
    at++;
  };
  for (const line of hunks) {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (header) {
      while (at < Number(header[1]) - 1) keep();
      expect(contents.length, `${label}: ${line}`).toBe(Number(header[2]) - 1);
      continue;
    }
    if (line.startsWith('\\')) continue;
    const text = line.slice(1);
    if (line.startsWith('+')) {
      contents.push(withoutCrlf(text));
      continue;
    }
    const shown = original[at];
    expect(withoutCrlf(text), `${label}: line ${at + 1}`).toBe(shown?.content);
    expect(text.endsWith('\r'), `${label}: line ${at + 1} shows its CRLF`).toBe(shown?.end === '\r\n');
    if (line.startsWith(' ')) keep();
    else at++;
  }
  while (at < original.length) keep();
  return { contents, kept };
}

/** One `fix --overlay` run each (a run per document). */
const OVERLAY_VARIANTS = ['lf', 'crlf', 'cr', 'mixed', 'bom-cr', 'cr-nofinal'];

describe('fix, fix --dry-run, fix --check and --overlay over every kind of line end', () => {
  for (const scenario of SCENARIOS) {
    it(
      scenario.name,
      async () => {
        const files = Object.fromEntries(
          VARIANTS.map((variant) => [`${variant.name}.yaml`, written(variant, scenario.lines)]),
        );
        const cwd = tempProject(files);
        const names = Object.keys(files);

        const dry = await runCliAsync(['fix', '--dry-run', ...scenario.args, ...names], { cwd });
        expect(dry.code).toBe(0);
        for (const name of names) expect(readFileSync(path.join(cwd, name), 'utf8')).toBe(files[name]);
        const diffs = new Map(
          VARIANTS.map((variant) => [variant.name, diffOf(dry.stdout, `${variant.name}.yaml`)]),
        );
        for (const variant of VARIANTS) {
          const { note, hunks } = diffs.get(variant.name) ?? { note: '', hunks: [] };
          const oracle = diffs.get(variant.finalEnd ? 'lf' : 'lf-nofinal')?.hunks ?? [];
          expect(oracle.some((line) => line.startsWith('-'))).toBe(true);
          // The same hunk headers (line numbers) and the same lines, a CRLF line showing its CR as git shows it.
          // In a file of mixed line ends a line a merge writes anew ends as most lines do, so its diff may pair
          // other lines than the LF file's: there the diff is checked by applying it (below) alone.
          if (!variant.name.includes('mixed') || scenario.args.length === 0)
            expect(hunks.map(withoutCrlf), variant.name).toEqual(oracle);
          // No diff line holds a line end of the file: a lone CR is never inside a line of the diff.
          for (const line of hunks) expect(withoutCrlf(line), variant.name).not.toMatch(/\r/);
          // A lone CR shown as a line break is said once, before the file's diff.
          expect(note !== '', variant.name).toBe(/\r(?!\n)/.test(files[`${variant.name}.yaml`]));
        }

        const check = await runCliAsync(['fix', '--check', ...scenario.args, ...names], { cwd });
        expect(check.code).toBe(1);
        for (const name of names) expect(check.stdout).toContain(`${name}\n`);

        const fixed = await runCliAsync(['fix', ...scenario.args, ...names], { cwd });
        expect(fixed.code).toBe(0);
        const lf = editorLines(readFileSync(path.join(cwd, 'lf.yaml'), 'utf8'));
        for (const variant of VARIANTS) {
          const name = `${variant.name}.yaml`;
          const after = readFileSync(path.join(cwd, name), 'utf8');
          expect(after.startsWith('\uFEFF'), variant.name).toBe(variant.bom);
          const lines = editorLines(after.replace(/^\uFEFF/, ''));
          // The LF file's change, line for line.
          expect(
            lines.map((line) => line.content),
            variant.name,
          ).toEqual(lf.map((line) => line.content));
          expect(lines.at(-1)?.end !== '', variant.name).toBe(variant.finalEnd);
          // The dry run's diff, applied, gives what was written; every line it keeps keeps its own line end.
          const original = editorLines(files[name].replace(/^\uFEFF/, ''));
          const applied = applyHunks(original, diffs.get(variant.name)?.hunks ?? [], variant.name);
          expect(applied.contents, variant.name).toEqual(lines.map((line) => line.content));
          for (const [from, to] of applied.kept)
            expect(lines[to]?.end, `${variant.name} line ${from + 1}`).toBe(original[from]?.end);
          // Every line it adds ends as most lines of the file do.
          const keptLines = new Set(applied.kept.map(([, to]) => to));
          if (variant.usual)
            for (const [index, line] of lines.entries())
              if (!keptLines.has(index) && line.end)
                expect(line.end, `${variant.name} added line ${index + 1}`).toBe(variant.usual);
          // A file of one kind of line end keeps it, on the lines the fix added too.
          if (!variant.name.includes('mixed'))
            expect(after, variant.name).toBe(
              written(
                variant,
                lf.map((line) => line.content),
              ),
            );
        }

        const again = await runCliAsync(['fix', '--check', ...scenario.args, ...names], { cwd });
        expect(again.code).toBe(0);
      },
      120_000,
    );
  }

  it('--overlay describes the same change for every kind of line end', async () => {
    const files = Object.fromEntries(
      VARIANTS.filter((entry) => OVERLAY_VARIANTS.includes(entry.name)).map((variant) => [
        `${variant.name}.yaml`,
        written(variant, SCENARIOS[0].lines),
      ]),
    );
    const cwd = tempProject(files);
    const overlays = new Map<string, string>();
    for (const variant of VARIANTS.filter((entry) => OVERLAY_VARIANTS.includes(entry.name))) {
      const out = `overlay-${variant.name}.yaml`;
      const run = await runCliAsync(['fix', '--overlay', out, `${variant.name}.yaml`], { cwd });
      expect(run.code, variant.name).toBe(0);
      overlays.set(
        variant.name,
        readFileSync(path.join(cwd, out), 'utf8').replace(`extends: ${variant.name}.yaml`, 'extends: X'),
      );
    }
    const lf = overlays.get('lf') ?? '';
    expect(lf).toContain("target: $['paths']['/b']['get']['responses']['403']");
    expect(lf).not.toMatch(/\r/);
    for (const [name, overlay] of overlays) expect(overlay, name).toBe(lf);
    for (const [name, text] of Object.entries(files))
      expect(readFileSync(path.join(cwd, name), 'utf8')).toBe(text);
  }, 120_000);
});
