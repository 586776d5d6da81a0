import { isDeepStrictEqual } from 'node:util';
import YAML from 'yaml';
import { MtlsFixError } from '../errors.js';
import { lineEndsOf, loneCrAsLf } from '../openapi/line-breaks.js';

/** The pre-commit `repos` entry init adds: the hook repository, its rev, the hook ids. */
export interface HookEntry {
  repo: string;
  rev: string;
  hooks: string[];
}

/**
 * `written` (a `.pre-commit-config.yaml`, BOM already removed) with `entry` added at the end of its `repos` list,
 * every other byte as written: comments, quoting, flow lists, indentation, long lines and line ends (LF, CRLF,
 * lone CR) stay. The entry follows the list's own indentation (`- repo:` at the column of its first item), goes
 * into a flow list as a flow map, turns `repos: []` / `repos:` into a block list on the lines below (a comment on
 * that line stays there), and adds `repos:` when there is none. The result is read back and must hold the old
 * data plus the entry. Throws MtlsFixError (EPARSE) when the file is not YAML, `repos` is not a list or the root
 * not a block map (with line and what to do), and when the result does not read back as intended.
 * Source for the file's shape: https://pre-commit.com/#pre-commit-configyaml---top-level.
 */
export function addHookEntry(written: string, entry: HookEntry, display: string): string {
  const view = loneCrAsLf(written);
  const document = YAML.parseDocument(view);
  const error = document.errors[0];
  if (error) {
    const at = error.linePos?.[0];
    throw new MtlsFixError(
      'EPARSE',
      `invalid YAML: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}.`,
      'Fix the syntax, or add the mtls-fix hooks by hand (see the README, pre-commit).',
      { file: display, line: at?.line, column: at?.col },
    );
  }
  const before: unknown = document.toJS();
  const edit = planEdit(view, document, entry, display);
  const eol = /\r\n/.test(written) ? '\r\n' : '\n';
  const inserted = lineEndsOf(written)(edit.text.replace(/\n/g, eol));
  const after = written.slice(0, edit.start) + inserted + written.slice(edit.end);
  const expected = {
    ...(before as Record<string, unknown> | null),
    repos: [...((before as { repos?: unknown[] } | null)?.repos ?? []), entryData(entry)],
  };
  let read: unknown;
  try {
    read = YAML.parse(loneCrAsLf(after));
  } catch {
    read = undefined;
  }
  if (!isDeepStrictEqual(read, expected)) {
    throw new MtlsFixError(
      'EPARSE',
      'cannot add the mtls-fix hooks in place (the file would not read back as its repos plus the hooks).',
      'Add the hooks by hand (see the README, pre-commit).',
      { file: display },
    );
  }
  return after;
}

/** The entry as pre-commit reads it. */
function entryData(entry: HookEntry): Record<string, unknown> {
  return { repo: entry.repo, rev: entry.rev, hooks: entry.hooks.map((id) => ({ id })) };
}

/** One splice of the text (offsets into the LF view, which are those of the text as written). */
interface Splice {
  start: number;
  end: number;
  /** With LF line ends; the caller puts them in the file's. */
  text: string;
}

function planEdit(view: string, document: YAML.Document, entry: HookEntry, display: string): Splice {
  const root = document.contents;
  const block = (indent: number): string =>
    [
      `${' '.repeat(indent)}- repo: ${entry.repo}`,
      `${' '.repeat(indent + 2)}rev: ${entry.rev}`,
      `${' '.repeat(indent + 2)}hooks:`,
      ...entry.hooks.map((id) => `${' '.repeat(indent + 4)}- id: ${id}`),
    ].join('\n') + '\n';
  if (root === null || (YAML.isScalar(root) && root.value === null)) {
    // An empty file, or one of comments only: `repos:` after what is there.
    return append(view, `repos:\n${block(2)}`);
  }
  if (!YAML.isMap(root) || root.flow) {
    throw shapeError(display, view, root.range?.[0] ?? 0, 'its top level must be a block map (`repos:` ...)');
  }
  const pair = root.items.find((item) => YAML.isScalar(item.key) && item.key.value === 'repos');
  if (!pair) return append(view, `repos:\n${block(2)}`);
  const key = pair.key as YAML.Scalar;
  const keyStart = key.range?.[0] ?? 0;
  const keyColumn = keyStart - lineStart(view, keyStart);
  const value = pair.value;
  if (value === null || value === undefined || (YAML.isScalar(value) && value.value === null)) {
    // `repos:` with no value, `repos: ~` or `repos: null`: the token goes, the list follows on the next lines.
    const [start, end] = value?.range ?? [keyEnd(view, key), keyEnd(view, key)];
    return removeThenBlock(view, start, end, block(keyColumn + 2));
  }
  if (!YAML.isSeq(value)) {
    const at = YAML.isNode(value) ? (value.range?.[0] ?? keyStart) : keyStart;
    throw shapeError(display, view, at, "'repos' must be a list");
  }
  const [start, valueEnd] = value.range ?? [0, 0];
  if (value.flow) {
    const close = view.lastIndexOf(']', valueEnd - 1);
    if (value.items.length === 0) return removeThenBlock(view, start, close + 1, block(keyColumn + 2));
    const hooks = entry.hooks.map((id) => `{ id: ${id} }`).join(', ');
    const item = `{ repo: ${entry.repo}, rev: ${entry.rev}, hooks: [${hooks}] }`;
    const beforeClose = view.slice(start + 1, close).trimEnd();
    const comma = beforeClose.endsWith(',') ? ' ' : ', ';
    const at = start + 1 + beforeClose.length;
    return { start: at, end: at, text: `${comma}${item}` };
  }
  // A block list: the new item at the column of the first one's `-`, after the last one and its comments.
  const dashColumn = start - lineStart(view, start);
  const at = view.charCodeAt(valueEnd - 1) === 0x0a || valueEnd === 0 ? valueEnd : lineEnd(view, valueEnd);
  const text = block(dashColumn);
  return at === view.length && !view.endsWith('\n')
    ? { start: at, end: at, text: `\n${text}` }
    : { start: at, end: at, text };
}

/** Text added at the end of the file, on a line of its own. */
function append(view: string, text: string): Splice {
  const separator = view === '' || view.endsWith('\n') ? '' : '\n';
  return { start: view.length, end: view.length, text: separator + text };
}

/**
 * Removes `[start, end)` (an empty flow list or a null token after `repos:`) and puts `block` on the lines after
 * that line: one splice from `start` to the end of the line, its rest (a comment) kept.
 */
function removeThenBlock(view: string, start: number, end: number, block: string): Splice {
  const from = view.slice(0, start).endsWith(' ') ? start - 1 : start;
  const stop = lineEnd(view, end);
  const rest = view.slice(end, stop).replace(/\r?\n$/, '');
  return { start: from, end: stop, text: `${rest}\n${block}` };
}

/** The offset just after the `:` that follows `key`. */
function keyEnd(view: string, key: YAML.Scalar): number {
  const colon = view.indexOf(':', key.range?.[1] ?? 0);
  return colon === -1 ? view.length : colon + 1;
}

function lineStart(view: string, offset: number): number {
  return view.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset after the LF that ends the line holding `offset` (the text's end when none does). */
function lineEnd(view: string, offset: number): number {
  const newline = view.indexOf('\n', offset);
  return newline === -1 ? view.length : newline + 1;
}

function shapeError(display: string, view: string, offset: number, what: string): MtlsFixError {
  const line = view.slice(0, offset).split('\n').length;
  return new MtlsFixError(
    'EPARSE',
    `not a pre-commit config: ${what}.`,
    'Fix it, or add the mtls-fix hooks by hand.',
    {
      file: display,
      line,
      column: offset - lineStart(view, offset) + 1,
    },
  );
}
