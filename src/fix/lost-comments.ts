import { Parser } from 'yaml';
import type { TextEdit } from './text-edits.js';

/** A YAML comment as written: where it starts (offset in the text, BOM excluded), its 1-based line, its text. */
export interface WrittenComment {
  offset: number;
  line: number;
  /** The comment as written, from its `#` to the end of its line. */
  text: string;
}

/**
 * The YAML comments (`# ...`, as the `yaml` package's CST reads them: never a `#` inside a quoted or block
 * scalar) that an edit of `edits` drops: written inside the text it replaces, and not written again in the
 * text that replaces it. Each comes with the edit that drops it. A text where no replaced slice holds a `#`
 * after a blank or at a line's start gives none without being parsed. Call it for YAML only (JSON has no
 * comments).
 */
export function commentsDropped(
  text: string,
  edits: readonly TextEdit[],
): { edit: TextEdit; comment: WrittenComment }[] {
  // A comment's `#` starts a line or follows a blank (`$ref: '#/a'` holds none): other slices need no parse.
  const candidates = edits.filter(
    (edit) => edit.end > edit.start && /(?:^|[ \t])#/m.test(text.slice(edit.start, edit.end)),
  );
  if (candidates.length === 0) return [];
  const comments = yamlComments(text);
  const dropped: { edit: TextEdit; comment: WrittenComment }[] = [];
  for (const edit of candidates) {
    for (const comment of comments) {
      if (comment.offset < edit.start || comment.offset >= edit.end) continue;
      if (edit.text.includes(comment.text)) continue;
      dropped.push({ edit, comment });
    }
  }
  return dropped;
}

/** Every comment of a YAML text, in order. */
function yamlComments(text: string): WrittenComment[] {
  const found: { offset: number; source: string }[] = [];
  const walk = (token: unknown): void => {
    if (Array.isArray(token)) {
      for (const item of token) walk(item);
      return;
    }
    if (token === null || typeof token !== 'object') return;
    const record = token as Record<string, unknown>;
    if (record.type === 'comment' && typeof record.offset === 'number' && typeof record.source === 'string') {
      found.push({ offset: record.offset, source: record.source });
      return;
    }
    for (const value of Object.values(record)) walk(value);
  };
  for (const token of new Parser().parse(text)) walk(token);
  found.sort((a, b) => a.offset - b.offset);
  const comments: WrittenComment[] = [];
  let line = 1;
  let at = 0;
  for (const { offset, source } of found) {
    for (; at < offset; at++) if (text.charCodeAt(at) === 10) line++;
    comments.push({ offset, line, text: source.replace(/\s+$/, '') });
  }
  return comments;
}

/** How a dropped comment is listed among what a removed 403 held: `comment at line 12 "# only the owner"`. */
export function describeComment(comment: WrittenComment): string {
  const shown = comment.text.length > 80 ? `${comment.text.slice(0, 77)}...` : comment.text;
  return `comment at line ${comment.line} ${JSON.stringify(shown)}`;
}
