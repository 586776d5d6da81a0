import stripAnsi from 'strip-ansi';
import table from 'text-table';
import type { JsonPath } from '../../openapi/index.js';
import type { LintResult, SeverityNumber } from '../types.js';

/**
 * Spectral's `stylish` format (@stoplight/spectral-formatters 1.x `stylish`), byte for byte, without loading
 * that package: its stylish module pulls in @stoplight/spectral-runtime and with it node-fetch, whatwg-url,
 * lodash and @stoplight/json (about 0.1 s of CPU on every `lint`, a pre-commit hook's whole budget). The same
 * libraries draw it (chalk 4 for colour, so NO_COLOR / FORCE_COLOR / a TTY decide as they do for Spectral;
 * text-table for the columns); test/lint/stylish.test.ts compares the output with Spectral's own on several
 * finding sets, with colour and without.
 *
 * Call {@link stylishPainter} only after FORCE_COLOR is settled: chalk reads the terminal and the environment
 * once, when it is first loaded.
 */

/** The result fields stylish prints; `documentationUrl` is Spectral's optional last column. */
export type StylishResult = Pick<LintResult, 'code' | 'message' | 'path' | 'severity' | 'source'> & {
  range?: LintResult['range'];
  documentationUrl?: string;
  /** How many findings this line stands for (a grouped line, ./group-default.ts); the summary counts each. */
  grouped?: number;
};

const COLORS = { 0: 'red', 1: 'yellow', 2: 'blue', 3: 'white' } as const;
const NAMES = { 0: 'error', 1: 'warning', 2: 'information', 3: 'hint' } as const;

/** What stylish draws with: chalk, or plain text when chalk would draw no colour anyway. */
export interface Painter {
  underline: Style;
  dim: Style;
  red: Colour;
  yellow: Colour;
  blue: Colour;
  white: Colour;
}
type Style = (text: string) => string;
type Colour = Style & { bold: Style };

const plain: Style = (text) => text;
const plainColour: Colour = Object.assign((text: string) => text, { bold: plain });
/** chalk at level 0, without loading it: every style returns its text unchanged. */
export const PLAIN: Painter = {
  underline: plain,
  dim: plain,
  red: plainColour,
  yellow: plainColour,
  blue: plainColour,
  white: plainColour,
};

/**
 * Whether chalk 4 (through supports-color 7) would draw no colour on stdout, decided without loading it: it
 * loads node:tty and with it node:net, a fifth of a small `lint`'s CPU when stdout is a file or a pipe.
 * True only in supports-color's own "level 0" cases: FORCE_COLOR set to 0 or false (NO_COLOR sets it, as does
 * an --output file), or, with FORCE_COLOR unset and no --color / --no-color style flag, stdout not a terminal.
 * Anything else (a terminal, FORCE_COLOR=1, a colour flag) is false: chalk decides.
 */
export function colourSurelyOff(
  env: NodeJS.ProcessEnv = process.env,
  argv: readonly string[] = process.argv,
  stdoutIsTTY: boolean = process.stdout.isTTY === true,
): boolean {
  if ('FORCE_COLOR' in env) {
    const value = env.FORCE_COLOR ?? '';
    if (value === 'false') return true;
    return value !== 'true' && value.length > 0 && Math.min(Number.parseInt(value, 10), 3) === 0;
  }
  if (argv.some((arg) => arg.startsWith('--color') || arg.startsWith('--no-color'))) return false;
  return !stdoutIsTTY;
}

/** chalk when it may draw colour, else {@link PLAIN} (the same text chalk would give). */
export async function stylishPainter(): Promise<Painter> {
  if (colourSurelyOff()) return PLAIN;
  return (await import('chalk')).default;
}

/**
 * Renders `results` as Spectral's stylish does: grouped by source, a table per file, then the summary line.
 * `paint` is chalk (or {@link PLAIN}); pass {@link stylishPainter}'s.
 */
export function formatStylish(results: readonly StylishResult[], paint: Painter): string {
  let output = '\n';
  const grouped = groupBySource(results);
  const summary = summaryText(grouped);
  for (const [source, fileResults] of Object.entries(grouped)) {
    output += `${paint.underline(source)}\n`;
    const rows = fileResults.map((result) => [
      result.range === undefined ? '' : ` ${result.range.start.line + 1}:${result.range.start.character + 1}`,
      paint[COLORS[result.severity]](NAMES[result.severity]),
      result.code ?? '',
      result.message,
      dotPath(result.path),
      result.documentationUrl ?? '',
    ]);
    const text = table(rows, { align: ['c', 'r', 'l'], stringLength: (cell) => stripAnsi(cell).length });
    output += `${text
      .split('\n')
      .map((line) =>
        line.replace(/(\d+)\s+(\d+)/u, (_, line, column: string) => paint.dim(`${line}:${column}`)),
      )
      .join('\n')}\n\n`;
  }
  if (summary === null) return '';
  return output + paint[COLORS[highestSeverity(results)]].bold(`\u2716 ${summary}\n`);
}

/** Results by `source`, in order of first appearance; results without a source are left out (as Spectral). */
function groupBySource(results: readonly StylishResult[]): Record<string, StylishResult[]> {
  const grouped: Record<string, StylishResult[]> = {};
  for (const result of results) {
    if (result.source !== undefined) (grouped[result.source] ??= []).push(result);
  }
  return grouped;
}

/** The most severe severity present (0 is the most severe); hint for no results. */
function highestSeverity(results: readonly StylishResult[]): SeverityNumber {
  return results.length === 0 ? 3 : (Math.min(...results.map((r) => r.severity)) as SeverityNumber);
}

/** `2 problems (1 error, 1 warning, 0 infos, 0 hints)`, or null when there are none. */
function summaryText(grouped: Record<string, StylishResult[]>): string | null {
  const counts = [0, 0, 0, 0];
  for (const fileResults of Object.values(grouped))
    for (const result of fileResults) counts[result.severity] += result.grouped ?? 1;
  const [errors, warnings, infos, hints] = counts;
  const total = errors + warnings + infos + hints;
  if (total === 0) return null;
  const plural = (word: string, count: number) => `${count}${count === 1 ? word : `${word}s`}`;
  return (
    `${plural(' problem', total)} (${plural(' error', errors)}, ${plural(' warning', warnings)}, ` +
    `${plural(' info', infos)}, ${plural(' hint', hints)})`
  );
}

/**
 * A JSON path in Spectral's "dot" print style (spectral-runtime `printPath(path, PrintStyle.Dot)`):
 * `paths./a.get.responses[403]`; numbers, numeric strings, empty and whitespace keys in brackets; then
 * JSON-pointer escapes (`~1`, `~0`) are decoded over the whole string.
 */
export function dotPath(path: JsonPath): string {
  const text = path.reduce<string>((output, segment, index) => {
    if (typeof segment === 'number') return `${output}[${segment}]`;
    if (segment.length === 0) return `${output}['']`;
    if (/\s/.test(segment)) return `${output}['${segment}']`;
    if (!Number.isNaN(Number(segment))) return `${output}[${segment}]`;
    return `${output}${index === 0 ? '' : '.'}${segment}`;
  }, '');
  return text.replaceAll('~1', '/').replaceAll('~0', '~');
}
