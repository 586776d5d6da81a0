import { formatPatch, structuredPatch, type StructuredPatch } from 'diff';
import { hasLoneCr } from './line-breaks.js';

/**
 * Unified diffs over the lines an editor shows and `mtls-fix lint` numbers (util/lines.ts: a line ends at LF,
 * CRLF or a lone CR). The `diff` package splits lines at LF only: a file whose lines end with a lone CR (classic
 * Mac OS) was one line to it, so `fix --dry-run` printed every line from the first change to the end of the file
 * as one removed and one added line, under a hunk header of the wrong lines (session 41). Each lone CR is handed
 * to it as a LF with a mark before it, so a line whose end alone changes (a lone CR that became a LF in a file of
 * mixed line ends) still differs; the mark is taken out of what is printed, where a lone CR shows as a line break.
 */

/** Private-use characters, one of which marks a lone-CR line end for the differ (the first the texts lack). */
const MARKS = ['\uE000', '\uE001', '\uE002', '\uE003', '\uF8FF'];

/** How the differ reads texts with lone CRs, and how its lines are printed. */
export interface DiffLines {
  /** `text` as the differ reads it: each lone CR a LF with the mark before it; LF and CRLF as they are. */
  read: (text: string) => string;
  /** A diff line as printed: without the mark. */
  shown: (line: string) => string;
}

/** The {@link DiffLines} for a diff of `texts` (a mark none of them holds). */
export function diffLinesFor(...texts: string[]): DiffLines {
  if (!texts.some(hasLoneCr)) return { read: (text) => text, shown: (line) => line };
  const mark = MARKS.find((candidate) => !texts.some((text) => text.includes(candidate))) ?? MARKS[0];
  return {
    read: (text) => text.replace(/\r(?!\n)/g, `${mark}\n`),
    shown: (line) => (line.endsWith(mark) ? line.slice(0, -mark.length) : line),
  };
}

/** `patch` with every hunk line as {@link DiffLines.shown} prints it. */
export function shownPatch(patch: StructuredPatch, lines: DiffLines): StructuredPatch {
  return { ...patch, hunks: patch.hunks.map((hunk) => ({ ...hunk, lines: hunk.lines.map(lines.shown) })) };
}

/**
 * The line printed before the diff of a file with lone-CR line ends: the diff spells them as line breaks, which
 * git and patch do not read there (to them the file is one line), so the change is written by mtls-fix itself.
 * `name` as the diff headers name the file; `apply` the command that writes the change (none: it is written);
 * `mixed` whether the file also ends lines with LF or CRLF (then a line shown removed and added alike changed its
 * line end only).
 */
export function loneCrNote(name: string, apply: string | undefined, mixed: boolean): string {
  const shown = mixed
    ? ' (a line shown removed and added alike changed only its line end, a lone CR to LF or back)'
    : '';
  const write = apply
    ? ` git apply and patch read no line end there: write the change with \`${apply}\`, which keeps every CR.`
    : '';
  return (
    `mtls-fix: ${name} ends lines with a lone CR (classic Mac OS); this diff shows each as a line break, so its ` +
    `lines and line numbers are the ones an editor and mtls-fix show${shown}.${write}`
  );
}

/** The {@link loneCrNote} line (with its LF) for a file diffed `before` -> `after`, or '' without lone CRs. */
export function loneCrNoteFor(
  name: string,
  apply: string | undefined,
  before: string,
  after: string,
): string {
  if (!hasLoneCr(before) && !hasLoneCr(after)) return '';
  const mixed = [before, after].some((text) => /\n/.test(text.replace(/\r\n/g, '')) || text.includes('\r\n'));
  return `${loneCrNote(name, apply, mixed)}\n`;
}

/**
 * The unified diff of a whole file (as `diff`'s createTwoFilesPatch prints it, `context` lines of context: its
 * default 4) over the lines an editor shows, with {@link loneCrNote} before it when the file ends a line with a
 * lone CR. `apply` names the command that writes the change (for the note; undefined: the change is written).
 */
export function editorLinesPatch(
  oldName: string,
  newName: string,
  before: string,
  after: string,
  apply: string | undefined,
  context = 4,
): string {
  const lines = diffLinesFor(before, after);
  const patch = structuredPatch(
    oldName,
    newName,
    lines.read(before),
    lines.read(after),
    undefined,
    undefined,
    {
      context,
    },
  );
  const note = loneCrNoteFor(newName.replace(/^b\//, ''), apply, before, after);
  return `${note}${formatPatch(shownPatch(patch, lines))}`;
}
