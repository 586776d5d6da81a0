import type { SourceFile } from '../openapi/index.js';
import type { JsonPath } from '../openapi/pointer.js';

/** `[start, end)` of the file text (BOM excluded) becomes `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Offset of a 0-based line/character in `text`. */
function offsetOf(text: string, line: number, character: number): number {
  let offset = 0;
  for (let current = 0; current < line; current++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return offset + character;
}

/**
 * Where the response key `code` (the last element of `keyPath`) is written: the offset of the code's digits
 * inside the key token (`'403'`, `"403"`, `403`). Undefined when the locator cannot place the key exactly
 * (YAML flow mappings), so the caller refuses rather than guesses.
 */
export function keyDigitsOffset(file: SourceFile, keyPath: JsonPath, code: string): number | undefined {
  const range = file.rangeOf(keyPath, false);
  if (!range) return undefined;
  const text = file.text;
  const start = offsetOf(text, range.start.line, range.start.character);
  const token = /^(["']?)(\s*)(\d{3}|\dXX)(\s*)\1\s*:/i.exec(text.slice(start, start + 16));
  if (!token || token[3] !== code) return undefined;
  return start + token[1].length + token[2].length;
}

/** Renames a response key in place: only its three digits change; quotes, spacing and value stay. */
export function renameKeyEdit(
  file: SourceFile,
  keyPath: JsonPath,
  from: string,
  to: number,
): TextEdit | undefined {
  const digits = keyDigitsOffset(file, keyPath, from);
  return digits === undefined ? undefined : { start: digits, end: digits + from.length, text: String(to) };
}

/**
 * Removes a whole response entry (key and value). YAML: the key's line and every following line indented
 * deeper (or blank); JSON: the member with its comma, keeping the surrounding layout.
 */
export function removeEntryEdit(file: SourceFile, keyPath: JsonPath, code: string): TextEdit | undefined {
  const digits = keyDigitsOffset(file, keyPath, code);
  if (digits === undefined) return undefined;
  const text = file.text;
  const lineStart = text.lastIndexOf('\n', digits - 1) + 1;
  return file.syntax === 'json' || /^\s*\{/.test(text.slice(0, 256))
    ? removeJsonMember(text, lineStart, digits)
    : removeYamlEntry(text, lineStart);
}

function removeYamlEntry(text: string, lineStart: number): TextEdit | undefined {
  const keyLine = lineAt(text, lineStart);
  const indent = indentOf(keyLine.text);
  if (keyLine.text.trimStart().startsWith('-')) return undefined; // a key on a sequence line: not ours to cut
  let end = keyLine.next;
  let lastContentEnd = keyLine.next;
  while (end < text.length) {
    const line = lineAt(text, end);
    if (line.text.trim() !== '' && indentOf(line.text) <= indent) break;
    end = line.next;
    if (line.text.trim() !== '') lastContentEnd = line.next;
  }
  // Blank lines after the entry separate it from the next key; they stay.
  return { start: lineStart, end: lastContentEnd, text: '' };
}

function removeJsonMember(text: string, lineStart: number, digits: number): TextEdit | undefined {
  const keyStart = text.lastIndexOf('"', digits);
  const colon = text.indexOf(':', digits);
  const valueEnd = jsonValueEnd(text, colon + 1);
  if (keyStart === -1 || colon === -1 || valueEnd === undefined) return undefined;
  const afterValue = /^\s*,/.exec(text.slice(valueEnd));
  const onOwnLine = text.slice(lineStart, keyStart).trim() === '';
  if (afterValue) {
    // `  "403": {...},\n  "next"` -> drop the member, its comma and its line.
    const commaEnd = valueEnd + afterValue[0].length;
    const rest = /^[ \t]*\r?\n/.exec(text.slice(commaEnd));
    return onOwnLine && rest
      ? { start: lineStart, end: commaEnd + rest[0].length, text: '' }
      : {
          start: keyStart,
          end: commaEnd + (/^[ \t]*/.exec(text.slice(commaEnd))?.[0].length ?? 0),
          text: '',
        };
  }
  // The last member: drop the comma before it instead.
  const before = text.slice(0, keyStart);
  const comma = before.search(/,\s*$/);
  if (comma === -1) return { start: keyStart, end: valueEnd, text: '' }; // the only member
  return { start: comma, end: valueEnd, text: '' };
}

/** Offset just after the JSON value that starts at or after `from`. */
function jsonValueEnd(text: string, from: number): number | undefined {
  let index = from;
  while (/\s/.test(text[index] ?? '')) index++;
  const first = text[index];
  if (first === '"') return stringEnd(text, index);
  if (first === '{' || first === '[') {
    let depth = 0;
    for (; index < text.length; index++) {
      const char = text[index];
      if (char === '"') {
        const end = stringEnd(text, index);
        if (end === undefined) return undefined;
        index = end - 1;
      } else if (char === '{' || char === '[') depth++;
      else if (char === '}' || char === ']') {
        depth--;
        if (depth === 0) return index + 1;
      }
    }
    return undefined;
  }
  const scalar = /^[^,}\]\s]+/.exec(text.slice(index));
  return scalar ? index + scalar[0].length : undefined;
}

function stringEnd(text: string, quote: number): number | undefined {
  for (let index = quote + 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '"') return index + 1;
  }
  return undefined;
}

function lineAt(text: string, start: number): { text: string; next: number } {
  const newline = text.indexOf('\n', start);
  const end = newline === -1 ? text.length : newline;
  return {
    text: text.slice(start, end).replace(/\r$/, ''),
    next: newline === -1 ? text.length : newline + 1,
  };
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Applies non-overlapping edits right to left, so earlier offsets stay valid. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}

/**
 * Replaces the value of a response entry with `value`, printed in the file's syntax and indentation. Only that
 * entry's text changes (`--on-conflict merge`); the rest of the document is never re-serialized.
 */
export function replaceValueEdit(
  file: SourceFile,
  keyPath: JsonPath,
  code: string,
  value: unknown,
  printYaml: (value: unknown, indent: number) => string,
): TextEdit | undefined {
  const digits = keyDigitsOffset(file, keyPath, code);
  if (digits === undefined) return undefined;
  const text = file.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lineStart = text.lastIndexOf('\n', digits - 1) + 1;
  const keyIndent = indentOf(lineAt(text, lineStart).text);
  const colon = text.indexOf(':', digits);
  if (colon === -1) return undefined;
  if (file.syntax === 'json' || /^\s*\{/.test(text.slice(0, 256))) {
    const valueEnd = jsonValueEnd(text, colon + 1);
    if (valueEnd === undefined) return undefined;
    const valueStart = colon + 1 + (/^\s*/.exec(text.slice(colon + 1))?.[0].length ?? 0);
    const unit = /\n(\t| +)\S/.exec(text)?.[1] ?? '  ';
    const printed = JSON.stringify(value, null, unit)
      .split('\n')
      .join(`${eol}${' '.repeat(keyIndent)}`);
    return { start: valueStart, end: valueEnd, text: printed };
  }
  const removal = removeYamlEntry(text, lineStart);
  if (!removal) return undefined;
  const unit = /\n( +)\S/.exec(text)?.[1]?.length ?? 2;
  const keyLineEnd =
    lineAt(text, lineStart).next - (text.slice(0, lineAt(text, lineStart).next).endsWith('\r\n') ? 2 : 1);
  const afterColon = text.slice(colon + 1, keyLineEnd);
  const start = /^\s*(#.*)?$/.test(afterColon) ? keyLineEnd : colon + 1;
  const block = printYaml(value, unit)
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => (line === '' ? line : ' '.repeat(keyIndent + unit) + line))
    .join(eol);
  const end =
    removal.end -
    (text.slice(0, removal.end).endsWith('\r\n') ? 2 : text.slice(0, removal.end).endsWith('\n') ? 1 : 0);
  return { start, end: Math.max(end, start), text: eol + block };
}
