import { isDeepStrictEqual } from 'node:util';
import { getAtPath, parseSource, type JsonPath, type SourceFile } from '../openapi/index.js';
import { pathKey } from '../openapi/locate-yaml.js';
import { loadYamlTransient } from '../openapi/source.js';
import { applyOp, applyOpsToData, type DataOp } from './ops.js';
import { originalPaths, type TextEdit } from './text-edits.js';
import type { NodeSpan } from '../openapi/locate-yaml.js';
import type { SourceTree } from './yaml-ast.js';

/**
 * True when the edited text parses, with the model's own parser, to exactly the data the operations intend:
 * the guard that stops a splice bug from ever reaching the disk.
 */
export function parsesToIntended(file: SourceFile, edited: string, ops: readonly DataOp[]): boolean {
  let data: unknown;
  try {
    const parsed = parseSource(Buffer.from(edited, 'utf8'), file.path);
    if (parsed.syntax !== file.syntax) return false;
    data = parsed.data;
  } catch {
    return false;
  }
  return isDeepStrictEqual(data, applyOpsToData(file.data, ops));
}

/**
 * The same guard, checking only what changed when it can: every edit lies inside a region the tree read on its
 * own (a map such as one operation's responses, `key: value` lines that hold no anchor, alias or merge key), so
 * the text outside the regions is unchanged byte for byte. Each region is parsed alone with the model's parser,
 * before (it must read as the model's data there: the region is what the tree took it for) and after (it must
 * read as that data with the operations applied). Otherwise the whole edited file is checked.
 */
export function editsParseToIntended(
  file: SourceFile,
  tree: SourceTree,
  ops: readonly DataOp[],
  edits: readonly TextEdit[],
  edited: string,
): boolean {
  const local = checkRegions(file, tree, ops, edits, edited);
  return local ?? parsesToIntended(file, edited, ops);
}

interface Checked {
  root: JsonPath;
  span: NodeSpan;
  ops: DataOp[];
  /** Size change of the edits before this region and within it. */
  before: number;
  within: number;
}

/** True or false when every edit could be checked region by region; undefined when it could not. */
function checkRegions(
  file: SourceFile,
  tree: SourceTree,
  ops: readonly DataOp[],
  edits: readonly TextEdit[],
  edited: string,
): boolean | undefined {
  const groups = new Map<string, Checked>();
  const original = originalPaths();
  for (const op of ops) {
    const path = op.kind === 'replace-value' ? op.path : op.map;
    const found = tree.spanOf(original.of(path));
    if (op.kind === 'rename-key') original.renamed(op);
    // The region's own key must read the same before and after the operations made so far.
    if (!found || !found.root.every((segment, index) => String(path[index]) === String(segment))) {
      return undefined;
    }
    const key = pathKey(found.root);
    const group = groups.get(key) ?? {
      root: found.root,
      span: found.span,
      ops: [],
      before: 0,
      within: 0,
    };
    group.ops.push(op);
    groups.set(key, group);
  }
  const regions = [...groups.values()].sort((a, b) => a.span.keyStart - b.span.keyStart);
  for (let i = 1; i < regions.length; i++) {
    if (regions[i].span.lineStart < regions[i - 1].span.end) return undefined; // nested
  }
  // Every edit inside one region (after its key); then the size change before and within each region.
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let at = 0;
  for (const edit of sorted) {
    while (at < regions.length && edit.start > regions[at].span.end) at++;
    const span = regions[at]?.span;
    if (!span || edit.start <= span.keyStart || edit.end > span.end) return undefined;
  }
  let shift = 0;
  let next = 0;
  const delta = (edit: TextEdit): number => edit.text.length - (edit.end - edit.start);
  for (const region of regions) {
    region.before = shift;
    while (next < sorted.length && sorted[next].start <= region.span.end) {
      region.within += delta(sorted[next]);
      shift += delta(sorted[next]);
      next++;
    }
  }
  const json = file.syntax === 'json';
  for (const { root, span, ops: regionOps, before, within } of regions) {
    const { lineStart, keyStart, end } = span;
    const name = String(root[root.length - 1]);
    const was = readRegion(file.text, lineStart, keyStart, end, json);
    const intended = getAtPath(file.data, root);
    if (was === undefined || !isDeepStrictEqual(was, { [name]: intended })) return undefined;
    const now = readRegion(edited, lineStart + before, keyStart + before, end + before + within, json);
    // The intended region: the operations applied to `was`, a fresh copy equal to the model's data there (checked
    // just above; no anchor or alias in a region, so nothing in it is shared), instead of another copy.
    const wrapper = was as Record<string, unknown>;
    try {
      for (const op of regionOps) applyOp(wrapper, rebase(op, root.length - 1));
    } catch {
      return undefined;
    }
    if (now === undefined || !isDeepStrictEqual(now, wrapper)) return false;
  }
  return true;
}

/** The operation with its paths relative to the region's map (`{ key: value }`). */
function rebase(op: DataOp, drop: number): DataOp {
  return op.kind === 'replace-value'
    ? { ...op, path: op.path.slice(drop) }
    : { ...op, map: op.map.slice(drop) };
}

/** A region read alone: `key: value` lines with the key line's lead blanked (YAML), or `{"key": value}` (JSON). */
function readRegion(text: string, lineStart: number, keyStart: number, end: number, json: boolean): unknown {
  try {
    if (json) return JSON.parse(`{${text.slice(keyStart, end)}}`) as unknown;
    return loadYamlTransient(' '.repeat(keyStart - lineStart) + text.slice(keyStart, end));
  } catch {
    return undefined;
  }
}
