import YAML from 'yaml';
import { loneCrAsLf } from './line-breaks.js';
import type { Splice } from './text-splice.js';

export { applySplices, type Splice } from './text-splice.js';

/**
 * Text edits that add entries to a YAML file a user wrote (a config file, `.pre-commit-config.yaml`) without
 * re-serialising it: every byte outside the splices stays, comments, quoting, flow or block style, indentation,
 * long lines and line ends included. Offsets are those of the file's LF view ({@link loneCrAsLf}: same length).
 */

/** A YAML text and its `yaml` package document, parsed from its LF view. */
export interface YamlSource {
  /** The text as written (BOM removed). */
  written: string;
  /** `written` with lone CRs read as LF (same offsets). */
  view: string;
  document: YAML.Document;
}

/** Parses `written` (its LF view). The caller checks `document.errors`. */
export function readYamlSource(written: string): YamlSource {
  const view = loneCrAsLf(written);
  return { written, view, document: YAML.parseDocument(view) };
}

/** A scalar as YAML writes it safely in any context: single-quoted unless it is a plain word. */
export function yamlScalar(value: string | boolean | number): string {
  if (typeof value !== 'string') return String(value);
  return /^[A-Za-z0-9_./-]+$/.test(value) && !/^(true|false|null|yes|no|on|off|~|[-+.\d].*)$/i.test(value)
    ? value
    : `'${value.replace(/'/g, "''")}'`;
}

/**
 * Appends `items` (each given as block lines relative to its `- `: `['repo: x', 'rev: 1']`, or a one-line scalar)
 * to a sequence: a block one gets `- ` lines at the column of its first `-`, after its last item and that item's
 * comments; a flow one gets `, item` (flow text from `flow`) before its `]`. `gap`: the columns from a block
 * item's `-` to its content (2 for `- x`; 4 for `-   x`, as `pre-commit sample-config` writes), the item's other
 * lines indented to match.
 */
export function appendToSeq(
  view: string,
  seq: YAML.YAMLSeq,
  items: readonly { block: string[]; flow: string }[],
  gap = 2,
): Splice {
  const [start, valueEnd] = seq.range ?? [0, 0];
  if (seq.flow) {
    const close = view.lastIndexOf(']', valueEnd - 1);
    const inside = view.slice(start + 1, close).trimEnd();
    const at = start + 1 + inside.length;
    const flow = items.map((item) => item.flow).join(', ');
    const separator = seq.items.length === 0 ? '' : inside.endsWith(',') ? ' ' : ', ';
    return { start: at, end: at, text: separator + flow };
  }
  const column = start - lineStart(view, start);
  return insertLines(view, valueEnd, items.map((item) => blockItem(item.block, column, gap)).join(''));
}

/**
 * Adds `key` to a map: a block map gets `key: value` lines (`block`, relative to the key) at the column of its
 * first key after its last entry; a flow map gets `, key: flow` before its `}`.
 */
export function addToMap(
  view: string,
  map: YAML.YAMLMap,
  key: string,
  value: { block: string[]; flow: string },
): Splice {
  const [start, valueEnd] = map.range ?? [0, 0];
  if (map.flow) {
    const close = view.lastIndexOf('}', valueEnd - 1);
    const inside = view.slice(start + 1, close).trimEnd();
    const at = start + 1 + inside.length;
    const separator = map.items.length === 0 ? ' ' : inside.endsWith(',') ? ' ' : ', ';
    return {
      start: at,
      end: at,
      text: `${separator}${key}: ${value.flow}${map.items.length === 0 ? ' ' : ''}`,
    };
  }
  const first = map.items[0]?.key;
  const keyStart = YAML.isNode(first) ? (first.range?.[0] ?? start) : start;
  const column = keyStart - lineStart(view, keyStart);
  return insertLines(view, valueEnd, blockEntry(key, value.block, column));
}

/**
 * Gives a key written with no value (`key:`, `key: ~`, `key: null`, `key: []`, `key: {}`) the block `lines`
 * (relative to the key's column + 2) on the lines below it; the null or empty token goes, a comment after it
 * stays on the key's line. `valueRange`: the token's range (empty for `key:`), `keyNode` the key.
 */
export function fillEmptyValue(
  view: string,
  keyNode: YAML.Scalar,
  valueRange: readonly [number, number] | undefined,
  lines: string[],
): Splice {
  const keyStart = keyNode.range?.[0] ?? 0;
  const column = keyStart - lineStart(view, keyStart) + 2;
  const colon = view.indexOf(':', keyNode.range?.[1] ?? keyStart);
  const [start, end] = valueRange && valueRange[1] > valueRange[0] ? valueRange : [colon + 1, colon + 1];
  const from = view.slice(0, start).endsWith(' ') ? start - 1 : start;
  const stop = lineEnd(view, end);
  const rest = view.slice(end, stop).replace(/\r?\n$/, '');
  return {
    start: from,
    end: stop,
    text: `${rest}\n${lines.map((line) => `${' '.repeat(column)}${line}\n`).join('')}`,
  };
}

/** `key:` and its block lines at the end of the file (after a final line end, added if missing). */
export function appendAtEnd(view: string, key: string, lines: string[]): Splice {
  const separator = view === '' || view.endsWith('\n') ? '' : '\n';
  return { start: view.length, end: view.length, text: separator + blockEntry(key, lines, 0) };
}

/** `- ` (or `-` and `gap - 1` spaces) and the item's lines at `column`, its later lines `gap` further in. */
function blockItem(lines: string[], column: number, gap = 2): string {
  const pad = ' '.repeat(column);
  const width = Math.max(gap, 2);
  const first = `-${' '.repeat(width - 1)}`;
  return lines.map((line, index) => `${pad}${index === 0 ? first : ' '.repeat(width)}${line}\n`).join('');
}

/**
 * How a block sequence lays out its items, learned from one of them: the columns from `-` to the item's content
 * (`- x`: 2, `-   x`: 4); undefined when the item's content is not on the `-` line or the sequence is flow.
 */
export function itemGap(view: string, seq: YAML.YAMLSeq, item: unknown): number | undefined {
  if (seq.flow || !YAML.isNode(item)) return undefined;
  const contentStart = YAML.isMap(item) ? item.items[0]?.key : item;
  const at = YAML.isNode(contentStart) ? contentStart.range?.[0] : undefined;
  if (at === undefined) return undefined;
  const dash = view.lastIndexOf('-', at - 1);
  if (dash === -1 || view.slice(dash + 1, at).trim() !== '' || /[\r\n]/.test(view.slice(dash, at)))
    return undefined;
  return at - dash;
}

/**
 * `key:` (with a one-line scalar after it, or lines below at +2) at `column`. One line that is itself a map
 * entry (`everywhere: true`) or a sequence item goes below: `mtls: everywhere: true` is not YAML.
 */
function blockEntry(key: string, lines: string[], column: number): string {
  const pad = ' '.repeat(column);
  if (lines.length === 1 && !lines[0].startsWith('- ') && !isMapEntry(lines[0]))
    return `${pad}${key}: ${lines[0]}\n`;
  return `${pad}${key}:\n${lines.map((line) => `${pad}  ${line}\n`).join('')}`;
}

/** A line that starts a map entry: a plain or quoted key, then `:` and a space or the line's end. */
function isMapEntry(line: string): boolean {
  return /^(?:[^\s'"#[{][^#]*?|'(?:[^']|'')*'|"(?:[^"\\]|\\.)*")\s*:(?:\s|$)/.test(line);
}

/** `text` (whole lines) inserted at the start of the line after the one holding `offset - 1`. */
function insertLines(view: string, offset: number, text: string): Splice {
  const at = offset === 0 || view.charCodeAt(offset - 1) === 0x0a ? offset : lineEnd(view, offset);
  return at === view.length && view !== '' && !view.endsWith('\n')
    ? { start: at, end: at, text: `\n${text}` }
    : { start: at, end: at, text };
}

/** The offset of the start of the line holding `offset`. */
export function lineStart(view: string, offset: number): number {
  return view.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset after the LF that ends the line holding `offset` (the text's end when none does). */
function lineEnd(view: string, offset: number): number {
  const newline = view.indexOf('\n', offset);
  return newline === -1 ? view.length : newline + 1;
}
