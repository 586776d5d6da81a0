import type { SourceFile } from '../openapi/index.js';
import { isObject, type JsonPath } from '../openapi/pointer.js';
import type { SpecVersion } from '../openapi/version.js';
import { keyDigitsOffset, type TextEdit } from './text-edits.js';

/** The header object RFC 9110 §15.5.2 asks a 401 to carry, in the document's own dialect. */
export function wwwAuthenticateHeader(version: SpecVersion, scheme: string): Record<string, unknown> {
  const description = `The authentication challenge (RFC 9110 §15.5.2), e.g. \`${scheme}\`.`;
  return version.kind === 'swagger2'
    ? { description, type: 'string' }
    : { description, schema: { type: 'string', example: scheme } };
}

/**
 * Adds a `WWW-Authenticate` header to an inline response written in YAML block style or JSON, at the end of its
 * `headers` (or as a new `headers` member). Undefined when the entry is written in a way this cannot extend
 * safely (a flow mapping); the caller then asks a person to add it.
 */
export function addHeaderEdit(
  file: SourceFile,
  keyPath: JsonPath,
  code: string,
  header: Record<string, unknown>,
): TextEdit | undefined {
  const digits = keyDigitsOffset(file, keyPath, code);
  if (digits === undefined) return undefined;
  const text = file.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const json = file.syntax === 'json' || /^\s*\{/.test(text.slice(0, 256));
  return json ? addJsonHeader(text, digits, header, eol) : addYamlHeader(text, digits, header, eol);
}

function addYamlHeader(
  text: string,
  digits: number,
  header: Record<string, unknown>,
  eol: string,
): TextEdit | undefined {
  const keyLineStart = text.lastIndexOf('\n', digits - 1) + 1;
  const keyLine = lineAt(text, keyLineStart);
  if (!/:\s*(#.*)?$/.test(keyLine.text)) return undefined; // value on the key line: flow style
  const keyIndent = indentOf(keyLine.text);
  // The entry's lines: deeper than the key, up to the last non-blank one.
  let cursor = keyLine.next;
  let lastContentEnd = keyLine.next;
  let childIndent = -1;
  let headersLine: { start: number; indent: number } | undefined;
  while (cursor < text.length) {
    const line = lineAt(text, cursor);
    const blank = line.text.trim() === '' || line.text.trim().startsWith('#');
    if (!blank && indentOf(line.text) <= keyIndent) break;
    if (!blank) {
      if (childIndent === -1) childIndent = indentOf(line.text);
      if (indentOf(line.text) === childIndent && /^headers\s*:\s*(#.*)?$/.test(line.text.trim())) {
        headersLine = { start: cursor, indent: childIndent };
      }
      lastContentEnd = line.next;
    }
    cursor = line.next;
  }
  if (childIndent === -1) return undefined;
  const unit = childIndent - keyIndent;
  const pad = (depth: number): string => ' '.repeat(childIndent + unit * depth);
  const headerLines = yamlLines(header, unit).map((line) => `${pad(2)}${line}`);
  const needsNewline = !text.slice(0, lastContentEnd).endsWith('\n');
  if (headersLine) {
    // Append inside the existing headers block, after its last line.
    let end = lineAt(text, headersLine.start).next;
    let scan = end;
    while (scan < text.length) {
      const line = lineAt(text, scan);
      if (line.text.trim() !== '' && indentOf(line.text) <= headersLine.indent) break;
      scan = line.next;
      if (line.text.trim() !== '') end = scan;
    }
    const block = [`${pad(1)}WWW-Authenticate:`, ...headerLines].join(eol) + eol;
    return { start: end, end, text: (text.slice(0, end).endsWith('\n') ? '' : eol) + block };
  }
  const block = [`${pad(0)}headers:`, `${pad(1)}WWW-Authenticate:`, ...headerLines].join(eol) + eol;
  return { start: lastContentEnd, end: lastContentEnd, text: (needsNewline ? eol : '') + block };
}

/** YAML lines for a small plain object (strings without special characters are quoted when needed). */
function yamlLines(value: Record<string, unknown>, unit: number, depth = 0): string[] {
  return Object.entries(value).flatMap(([key, child]) =>
    isObject(child)
      ? [`${' '.repeat(unit * depth)}${key}:`, ...yamlLines(child, unit, depth + 1)]
      : [`${' '.repeat(unit * depth)}${key}: ${yamlScalar(child)}`],
  );
}

/** A plain scalar where YAML reads it back as the same string, else a JSON (double-quoted) one. */
function yamlScalar(value: unknown): string {
  return typeof value === 'string' &&
    /^[A-Za-z][\w-]*$/.test(value) &&
    !/^(true|false|null|yes|no|on|off)$/i.test(value)
    ? value
    : JSON.stringify(value);
}

function addJsonHeader(
  text: string,
  digits: number,
  header: Record<string, unknown>,
  eol: string,
): TextEdit | undefined {
  const colon = text.indexOf(':', digits);
  const open = text.indexOf('{', colon);
  if (colon === -1 || open === -1 || text.slice(colon + 1, open).trim() !== '') return undefined;
  const keyLineStart = text.lastIndexOf('\n', digits - 1) + 1;
  const keyIndent = /^[ \t]*/.exec(text.slice(keyLineStart, digits))?.[0] ?? '';
  const afterOpen = /^[ \t]*\r?\n([ \t]*)/.exec(text.slice(open + 1));
  if (!afterOpen) return undefined; // a one-line object: leave it to a person
  const childIndent = afterOpen[1] ?? '';
  if (!childIndent.startsWith(keyIndent) || childIndent === keyIndent) return undefined;
  const unit = childIndent.slice(keyIndent.length);
  // `{"headers": {...}}` printed with the file's indent unit; its inner lines, moved under the response.
  const printed = JSON.stringify({ headers: { 'WWW-Authenticate': header } }, null, unit)
    .split('\n')
    .slice(1, -1);
  const member = printed
    .map((line, index) => (index === 0 ? '' : childIndent) + line.slice(unit.length))
    .join(eol);
  const insertAt = open + 1 + afterOpen[0].length;
  return { start: insertAt, end: insertAt, text: `${member},${eol}${childIndent}` };
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
