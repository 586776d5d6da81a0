import type { Edit } from './types.js';

/**
 * Applies non-overlapping edits to the original text in one pass. Every byte outside the edited ranges is
 * copied as is (EOL, BOM, indentation, comments). Inserts at the same offset keep their given order.
 */
export function splice(text: string, edits: readonly Edit[]): string {
  const ordered = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.start - b.edit.start || a.index - b.index);
  let out = '';
  let cursor = 0;
  for (const { edit } of ordered) {
    out += text.slice(cursor, edit.start) + edit.text;
    cursor = Math.max(cursor, edit.end);
  }
  return out + text.slice(cursor);
}

/** Whether two edits touch overlapping text (two inserts at one offset do not overlap). */
export function overlaps(a: Edit, b: Edit): boolean {
  const aInsert = a.start === a.end;
  const bInsert = b.start === b.end;
  if (aInsert && bInsert) return false;
  if (aInsert) return a.start > b.start && a.start < b.end;
  if (bInsert) return b.start > a.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}
