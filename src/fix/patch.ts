import { formatPatch, structuredPatch, type StructuredPatchHunk } from 'diff';
import { lineStarts, positionAt } from '../openapi/range.js';
import type { TextEdit } from './text-edits.js';
import { diffLinesFor, shownPatch } from '../util/diff-lines.js';

/** Unchanged lines around each edit that a window keeps: the 4 context lines a hunk shows. */
const MARGIN = 4;

/**
 * The unified diff (as `diff`'s createTwoFilesPatch prints it, with its default 4 lines of context) of `before` -> `after`,
 * where `after` is `before` with `edits` applied. Only the lines around the edits are compared, window by window,
 * so a large file with many small edits costs its length once, not a whole-file line diff. Lines are the ones
 * an editor shows (LF, CRLF or a lone CR ends one; util/diff-lines.ts): a lone CR is spelt as a line break.
 */
export function unifiedDiff(
  oldName: string,
  newName: string,
  before: string,
  after: string,
  edits: readonly TextEdit[],
): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const oldStarts = lineStarts(before);
  const newStarts = lineStarts(after);
  // Windows of old lines [from, to), merged where they would touch; with each, the size change before it.
  const windows: { from: number; to: number; shiftBefore: number; shiftWithin: number }[] = [];
  let shift = 0;
  for (const edit of sorted) {
    const from = Math.max(0, positionAt(oldStarts, edit.start).line - MARGIN);
    const to = Math.min(
      oldStarts.length,
      positionAt(oldStarts, Math.max(edit.start, edit.end - 1)).line + 1 + MARGIN,
    );
    const delta = edit.text.length - (edit.end - edit.start);
    const last = windows[windows.length - 1];
    if (last && from <= last.to) {
      last.to = Math.max(last.to, to);
      last.shiftWithin += delta;
    } else {
      windows.push({ from, to, shiftBefore: shift, shiftWithin: delta });
    }
    shift += delta;
  }
  const lines = diffLinesFor(before, after);
  const hunks: StructuredPatchHunk[] = [];
  for (const window of windows) {
    const oldFrom = oldStarts[window.from];
    const oldTo = window.to >= oldStarts.length ? before.length : oldStarts[window.to];
    const newFrom = oldFrom + window.shiftBefore;
    const newTo =
      window.to >= oldStarts.length ? after.length : oldTo + window.shiftBefore + window.shiftWithin;
    const newLine = positionAt(newStarts, newFrom).line;
    const patch = shownPatch(
      structuredPatch(
        '',
        '',
        lines.read(before.slice(oldFrom, oldTo)),
        lines.read(after.slice(newFrom, newTo)),
      ),
      lines,
    );
    for (const hunk of patch.hunks) {
      hunks.push({ ...hunk, oldStart: hunk.oldStart + window.from, newStart: hunk.newStart + newLine });
    }
  }
  return formatPatch({
    oldFileName: oldName,
    newFileName: newName,
    oldHeader: undefined,
    newHeader: undefined,
    hunks,
  });
}

/**
 * The unified diff of `before` -> `after` compared line by line over the whole text (4 lines of context, as {@link unifiedDiff}), for a
 * file whose edits are not all relative to `before` (several documents of one run edited it). Costs a whole-file
 * line diff, so {@link unifiedDiff} is preferred where the edits are known.
 */
export function wholeFileDiff(oldName: string, newName: string, before: string, after: string): string {
  const lines = diffLinesFor(before, after);
  const patch = shownPatch(structuredPatch('', '', lines.read(before), lines.read(after)), lines);
  return formatPatch({
    oldFileName: oldName,
    newFileName: newName,
    oldHeader: undefined,
    newHeader: undefined,
    hunks: patch.hunks,
  });
}
