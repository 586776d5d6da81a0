/**
 * Minified JavaScript recognised by its text, whatever its name: a committed bundle with a hashed name
 * (`public/static/js/main.3f2a9c1e.js`, `vendor-bundle.js`) is build output, not source a person maintains, like
 * the `*.min.js` files discover.ts skips by name. Rewriting it would be undone by the next build; its 403 forms
 * are named to the user instead (engine.ts), so that skipping it is never silent.
 */

import { firstOccurrenceIndex, occurrenceMatches } from './occurrence-source.js';
import { loneCrAsLf } from '../util/line-breaks.js';
import { linesOfText } from '../util/lines.js';

/** JavaScript extensions a bundler writes; TypeScript is never minified in a source tree. */
const BUNDLE_EXTENSIONS = /\.[cm]?jsx?$/i;

/**
 * The average line length above which a file is minified: GitHub Linguist's rule for JavaScript and CSS
 * (`Linguist::Generated#minified_files?`: average line length over 110 characters,
 * https://github.com/github-linguist/linguist/blob/main/lib/linguist/generated.rb).
 */
const AVERAGE_LINE_LIMIT = 110;

/**
 * A line at least this long as well (characters): hand-written code with a few long lines (a data URL, a long
 * string table) in a short file can pass Linguist's average alone; a bundler's output has lines of tens of
 * thousands of characters.
 */
const LONGEST_LINE_FLOOR = 1000;

/** Why a file reads as minified: its average and longest line, in characters. */
export interface MinifiedShape {
  averageLine: number;
  longestLine: number;
}

/**
 * The shape that makes `text` minified JavaScript, or undefined when it is not (a TypeScript file, or lines of
 * ordinary length; a line ends at LF, CRLF or a lone CR). Runs in one pass over the text, without a parse.
 */
export function minifiedShape(file: string, written: string): MinifiedShape | undefined {
  if (!BUNDLE_EXTENSIONS.test(file) || written.length < LONGEST_LINE_FLOOR) return undefined;
  // Lone CRs end lines too (classic Mac OS line ends): read as LFs, or such a file is one long line, "minified".
  const text = loneCrAsLf(written);
  let lines = 0;
  let longestLine = 0;
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    const length = (end < 0 ? text.length : end) - start;
    if (length > longestLine) longestLine = length;
    lines++;
    // A final line break ends the last line; it does not start another (Linguist counts lines the same way).
    if (end < 0 || end === text.length - 1) break;
    start = end + 1;
  }
  const averageLine = Math.round(text.length / lines);
  return averageLine > AVERAGE_LINE_LIMIT && longestLine >= LONGEST_LINE_FLOOR && codeOnLongLines(text)
    ? { averageLine, longestLine }
    : undefined;
}

/**
 * Statement ends and calls (`;`, `(`) per character on a minified file's long lines at least: a bundler's line is
 * code end to end (4-5 per 100 characters in esbuild's and terser's output, typescript.js and source-map.min.js
 * measured here), while a long line a person writes is data (a base64 data URL, an inlined JSON table: none).
 */
const CODE_MARKS_PER_CHARACTER = 0.01;

/**
 * Whether the lines of `text` that are at least {@link LONGEST_LINE_FLOOR} long are code, not data: a hand-written
 * file whose average line is long only because of one embedded asset is no bundle, and is scanned.
 */
function codeOnLongLines(text: string): boolean {
  let characters = 0;
  let marks = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start >= LONGEST_LINE_FLOOR) {
      characters += end - start;
      for (let at = start; at < end; at++) {
        const code = text.charCodeAt(at);
        if (code === 0x3b || code === 0x28) marks++;
      }
    }
    start = end + 1;
  }
  return marks >= characters * CODE_MARKS_PER_CHARACTER;
}

/**
 * Where the first 403 form of `text` is (1-based line and column), or undefined when it holds none (the census's
 * occurrence pattern, occurrence-source.ts).
 */
export function firstOccurrence(text: string): { line: number; column: number } | undefined {
  const found = firstOccurrenceIndex(text);
  if (found === undefined) return undefined;
  const { line, character } = linesOfText(text).at(found);
  return { line: line + 1, column: character + 1 };
}

/** How many 403 forms `text` holds, by the census's pattern (`403`, `0x193`, `Forbidden`, `HTTP_403`, ...). */
export function countOccurrences(text: string): number {
  return occurrenceMatches(text).length;
}

/**
 * The one-line warning naming a minified file that is not scanned although it may answer 403: why it reads as
 * minified (`shape`, when its text told; its `.min.` name otherwise), where its first 403 form is, what to do.
 */
export function minifiedWarning(file: string, text: string, shape?: MinifiedShape): string {
  const size = (n: number) => n.toLocaleString('en-US');
  const at = firstOccurrence(text);
  const why = shape
    ? `lines of ${size(shape.averageLine)} characters on average, the longest ${size(shape.longestLine)}`
    : 'by its name';
  const where = at
    ? `although it holds a 403 form at line ${at.line}, column ${size(at.column)}`
    : 'although it may answer 403 (a status passed through, or a package that answers 403)';
  return (
    `${file}: minified (${why}), not scanned ${where}. ` +
    'Rewrite the source it is built from and rebuild it, or list it in migrate.exclude if it is a vendored bundle.'
  );
}
