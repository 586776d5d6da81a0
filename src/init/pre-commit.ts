import { isDeepStrictEqual } from 'node:util';
import YAML from 'yaml';
import { MtlsFixError } from '../errors.js';
import { loneCrAsLf } from '../util/line-breaks.js';
import {
  appendAtEnd,
  appendToSeq,
  applySplices,
  fillEmptyValue,
  itemGap,
  lineStart,
  readYamlSource,
  type Splice,
} from '../util/yaml-splice.js';
import { linesOfText } from '../util/lines.js';

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
  const { view, document } = readYamlSource(written);
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
  const after = applySplices(written, [planEdit(view, document, entry, display)]);
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

function planEdit(view: string, document: YAML.Document, entry: HookEntry, display: string): Splice {
  const root = document.contents;
  const lines = [
    `repo: ${entry.repo}`,
    `rev: ${entry.rev}`,
    'hooks:',
    ...entry.hooks.map((id) => `  - id: ${id}`),
  ];
  const hooks = entry.hooks.map((id) => `{ id: ${id} }`).join(', ');
  const flow = `{ repo: ${entry.repo}, rev: ${entry.rev}, hooks: [${hooks}] }`;
  const asList = lines.map((line, index) => (index === 0 ? `- ${line}` : `  ${line}`));
  if (root === null || (YAML.isScalar(root) && root.value === null)) {
    // An empty file, or one of comments only: `repos:` after what is there.
    return appendAtEnd(view, 'repos', asList);
  }
  if (!YAML.isMap(root) || root.flow) {
    throw shapeError(display, view, root.range?.[0] ?? 0, 'its top level must be a block map (`repos:` ...)');
  }
  const pair = root.items.find((item) => YAML.isScalar(item.key) && item.key.value === 'repos');
  if (!pair) return appendAtEnd(view, 'repos', asList);
  const key = pair.key as YAML.Scalar;
  const value = pair.value;
  if (value === null || value === undefined || (YAML.isScalar(value) && value.value === null)) {
    // `repos:` with no value, `repos: ~` or `repos: null`: the token goes, the list follows on the next lines.
    return fillEmptyValue(
      view,
      key,
      YAML.isNode(value) ? (value.range?.slice(0, 2) as [number, number]) : undefined,
      asList,
    );
  }
  if (YAML.isSeq(value) && value.flow && value.items.length === 0) {
    // `repos: []`: a block list below (a flow list spread over lines would be hard to read).
    const [start, valueEnd] = value.range ?? [0, 0];
    return fillEmptyValue(view, key, [start, view.lastIndexOf(']', valueEnd - 1) + 1], asList);
  }
  if (!YAML.isSeq(value)) {
    const at = YAML.isNode(value) ? (value.range?.[0] ?? 0) : 0;
    throw shapeError(display, view, at, "'repos' must be a list");
  }
  const style = entryStyle(view, value);
  const styled = [
    `repo: ${entry.repo}`,
    `rev: ${entry.rev}`,
    'hooks:',
    ...entry.hooks.map((id) => `${' '.repeat(style.hooksIndent)}-${' '.repeat(style.hookGap - 1)}id: ${id}`),
  ];
  return appendToSeq(view, value, [{ block: styled, flow }], style.repoGap);
}

/**
 * The layout of the file's last `repos` entry, so the added one reads like it (pre-commit's own
 * `sample-config` writes `-   repo:` with `-   id:` at the column of `hooks:`; others write `- repo:` with the
 * hooks indented two): the columns from `-` to `repo:` (`repoGap`), from `hooks:` to its items' `-`
 * (`hooksIndent`) and from that `-` to `id:` (`hookGap`). Defaults (2, 2, 2) for what cannot be learned (a flow
 * entry, hooks in a flow list, an empty list).
 */
function entryStyle(
  view: string,
  repos: YAML.YAMLSeq,
): { repoGap: number; hooksIndent: number; hookGap: number } {
  const style = { repoGap: 2, hooksIndent: 2, hookGap: 2 };
  const last = repos.items[repos.items.length - 1];
  if (!YAML.isMap(last) || last.flow) return style;
  style.repoGap = itemGap(view, repos, last) ?? style.repoGap;
  const hooks = last.items.find((item) => YAML.isScalar(item.key) && item.key.value === 'hooks');
  const list = hooks?.value;
  const hooksKey = hooks?.key;
  if (!YAML.isSeq(list) || list.flow || !YAML.isScalar(hooksKey) || list.items.length === 0) return style;
  const keyStart = hooksKey.range?.[0];
  const dashAt = list.range?.[0];
  if (keyStart === undefined || dashAt === undefined) return style;
  const indent = dashAt - lineStart(view, dashAt) - (keyStart - lineStart(view, keyStart));
  if (indent >= 0 && view.slice(lineStart(view, dashAt), dashAt).trim() === '') style.hooksIndent = indent;
  style.hookGap = itemGap(view, list, list.items[0]) ?? style.hookGap;
  return style;
}

function shapeError(display: string, view: string, offset: number, what: string): MtlsFixError {
  const line = linesOfText(view).line(offset);
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
