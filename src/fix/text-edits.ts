import { isMap, isScalar, parse, Scalar, type Node, type YAMLMap } from 'yaml';
import type { JsonPath } from '../openapi/pointer.js';
import type { DataOp } from './ops.js';
import { flowText, jsonBlock, withEol, yamlBlock, type FlowStyle, type TextStyle } from './style.js';
import { keyAt, nodeAt, pairAt, type SourceTree } from './yaml-ast.js';

/** `[start, end)` of the text (BOM excluded) becomes `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** For insertions: how deep the map is. Where maps end at one offset, an inner map's new entries go first. */
  depth?: number;
  /** A member removed from a `{...}` map: where its key starts, and whether it was the last member. */
  flowMember?: { keyStart: number; last: boolean };
  /** The operation this edit performs (for edits joined from two removals: the earlier one's). */
  source?: DataOp;
}

/** An operation that cannot be spliced into this text safely; the caller refuses rather than guesses. */
export class SpliceError extends Error {
  override readonly name = 'SpliceError';
}

/** Editing through `<<: *anchor` would change the anchored map and every other map merging it. */
const MERGED = 'a key on the way is inherited through a YAML merge key (<<)';

/** Content added through `*alias` would land in the anchored node and every other user of it. */
const ALIASED = 'the place to add to is a YAML alias shared with other nodes';

/** The text edits that perform `ops` on the file, touching only the bytes each operation is about. */
export function editsForOps(tree: SourceTree, ops: readonly DataOp[], style: TextStyle): TextEdit[] {
  const edits: TextEdit[] = [];
  const original = originalPaths();
  for (const op of ops) {
    if (op.kind === 'rename-key') {
      edits.push({ ...renameKey(tree, original.of(op.map), op.from, op.to), source: op });
      original.renamed(op);
    } else if (op.kind === 'remove-key') {
      edits.push(...removeKey(tree, original.of(op.map), op.key).map((edit) => ({ ...edit, source: op })));
    } else if (op.kind === 'add-key') {
      const added = addKey(tree, original.of(op.map), op.key, op.value, style);
      edits.push({ ...added, depth: op.map.length, source: op });
    } else {
      edits.push({ ...replaceValue(tree, original.of(op.path), op.value, style), source: op });
    }
  }
  return joinFlowRemovals(tree.text, edits);
}

/**
 * The last member of a `{...}` map takes the comma before it; when the member before it goes too (two 403
 * spellings beside a kept 401), the two removals overlap. They become one, from the comma before the earlier
 * member, so no comma is left dangling after the member that stays.
 */
function joinFlowRemovals(text: string, edits: TextEdit[]): TextEdit[] {
  if (!edits.some((edit) => edit.flowMember?.last)) return edits;
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let index = sorted.length - 1; index > 0; index--) {
    const edit = sorted[index];
    const before = sorted[index - 1];
    if (!edit.flowMember?.last || !before.flowMember || before.end <= edit.start) continue;
    if (before.start < before.flowMember.keyStart) {
      // The earlier member went with its line: that line goes, and the comma of the member before it (its
      // comment, if any, stays); the edit dropping that comma may meet a still earlier removal in turn.
      const merged: TextEdit = {
        start: before.start,
        end: Math.max(edit.end, before.end),
        text: '',
        source: before.source ?? edit.source,
      };
      const at = commaBefore(text, before.start);
      sorted.splice(
        index - 1,
        2,
        ...(at === -1
          ? [merged]
          : [
              {
                start: at,
                end: at + 1,
                text: '',
                flowMember: { keyStart: before.flowMember.keyStart, last: true },
                source: before.source,
              },
              merged,
            ]),
      );
      continue;
    }
    const comma = /,\s*$/.exec(text.slice(0, before.flowMember.keyStart));
    const start = comma ? comma.index : before.flowMember.keyStart;
    sorted.splice(index - 1, 2, {
      start,
      end: Math.max(edit.end, before.end),
      text: '',
      flowMember: { keyStart: before.flowMember.keyStart, last: true },
      source: before.source ?? edit.source,
    });
  }
  return sorted;
}

/**
 * The offset of the comma that ends the flow member before `at` (the start of a line), looking back over blank
 * and comment lines and a comment at the end of that member's line; -1 when there is none to be sure of (a `#`
 * inside a quoted scalar makes the line read as not ending in a comma: the comma then stays, which is valid).
 */
function commaBefore(text: string, at: number): number {
  let end = at;
  while (end > 0) {
    const lineStart = text.lastIndexOf('\n', end - 2) + 1;
    const line = text.slice(lineStart, end);
    const hash = line.search(/(^|[ \t])#/);
    const code = hash === -1 ? line : line.slice(0, hash);
    if (code.trim() === '') {
      end = lineStart;
      continue;
    }
    const comma = /,[ \t\r\n]*$/.exec(code);
    return comma ? lineStart + comma.index : -1;
  }
  return -1;
}

/**
 * Later operations name keys as they are after earlier renames; the text still has the old names. `of` maps a
 * path back through the renames made so far, latest first, as if each were undone in turn. Renames are kept in
 * a tree of the paths they produce, walked segment by segment, so a path costs its own length, not the number
 * of renames (and builds no key strings).
 */
export function originalPaths(): {
  of(path: JsonPath): JsonPath;
  renamed(op: Extract<DataOp, { kind: 'rename-key' }>): void;
} {
  const renames: Extract<DataOp, { kind: 'rename-key' }>[] = [];
  const root: RenameNode = { children: undefined, renames: undefined };
  return {
    renamed(op) {
      let node = root;
      for (const segment of [...op.map, op.to]) {
        const name = String(segment);
        node.children ??= new Map();
        let child = node.children.get(name);
        if (!child) {
          child = { children: undefined, renames: undefined };
          node.children.set(name, child);
        }
        node = child;
      }
      (node.renames ??= []).push(renames.length);
      renames.push(op);
    },
    of(path) {
      let result = path;
      let below = renames.length; // only renames made before the one last undone apply
      for (;;) {
        let best = -1;
        let node: RenameNode | undefined = root;
        for (let length = 1; length <= result.length; length++) {
          node = node.children?.get(String(result[length - 1]));
          if (!node) break; // no rename produced a path with this prefix
          const list = node.renames;
          if (!list) continue;
          for (let i = list.length - 1; i >= 0; i--) {
            if (list[i] < below) {
              if (list[i] > best) best = list[i]!;
              break;
            }
          }
        }
        if (best < 0) return result;
        const rename = renames[best];
        const at = rename.map.length;
        result = [...result.slice(0, at), rename.from, ...result.slice(at + 1)];
        below = best;
      }
    },
  };
}

/** A path segment in {@link originalPaths}' tree: the renames (by index) that produced exactly this path. */
interface RenameNode {
  children: Map<string, RenameNode> | undefined;
  renames: number[] | undefined;
}

function renameKey(tree: SourceTree, map: JsonPath, from: string, to: string): TextEdit {
  // The plan looked this key up already (keyAt remembers it): its region is not read again.
  const found = keyAt(tree, map, from);
  if (found?.viaMerge) throw new SpliceError(MERGED);
  const key = found?.scalar;
  if (!key || found.start === undefined) throw new SpliceError(`key '${from}' not found in the text`);
  const quote = key.type === Scalar.QUOTE_SINGLE ? "'" : key.type === Scalar.QUOTE_DOUBLE ? '"' : '';
  if (key.type !== Scalar.PLAIN && quote === '')
    throw new SpliceError(`key '${from}' is written in an unusual style`);
  // Same quoting as written: `403:` -> `401:`, `'403':` -> `'401':`, `"403":` -> `"401":`.
  return { start: found.start, end: key.end, text: `${quote}${to}${quote}` };
}

function removeKey(tree: SourceTree, map: JsonPath, key: string): TextEdit[] {
  const found = pairAt(tree, map, key);
  if (found?.viaMerge) throw new SpliceError(MERGED);
  const keyNode = found?.pair.key;
  if (!found || !keyNode || !isScalar(keyNode) || !keyNode.range) {
    throw new SpliceError(`key '${key}' not found in the text`);
  }
  const text = tree.text;
  const start = keyNode.range[0];
  const value = found.pair.value;
  const valueEnd = value?.range ? value.range[1] : keyNode.range[1];
  if (!found.map.flow) {
    // A block entry: its lines, from the key's line to the value's last line. Blank lines after it stay, but
    // one goes when the entry sat between two blank lines, so the gap does not double.
    const lineStart = lineStartOf(text, start);
    // `? "403"` (an explicit key, its value on the `: ` lines below) starts its own entry too.
    const lead = text.slice(lineStart, start).trim();
    if (lead !== '' && lead !== '?') throw new SpliceError(`key '${key}' shares its line`);
    let end = lineEndAfter(text, Math.max(valueEnd - 1, start));
    const blankBefore = /(^|\n)[ \t]*\r?\n$/.test(text.slice(Math.max(0, lineStart - 200), lineStart));
    const blankAfter = /^[ \t]*\r?\n/.exec(text.slice(end));
    if (blankBefore && blankAfter) end += blankAfter[0].length;
    return [{ start: lineStart, end, text: '' }];
  }
  // Where the member before this one ends: its comma is the one to drop when this member is the last.
  const index = found.map.items.indexOf(found.pair);
  const previous = index > 0 ? found.map.items[index - 1] : undefined;
  const previousEnd =
    previous?.value?.range?.[1] ?? (isScalar(previous?.key) ? previous.key.range?.[1] : undefined);
  return removeFlowMember(text, start, valueEnd, previousEnd);
}

/**
 * A member of `{...}` (JSON or YAML flow) with one comma, keeping the layout around it. A member on a line of
 * its own goes with its line, and (YAML) the comment that ends that line; as the last member, the comma of the
 * member before it goes too, and whatever follows that comma (a comment) stays. `previousEnd`: where the member
 * before it ends, when there is one.
 */
function removeFlowMember(
  text: string,
  start: number,
  valueEnd: number,
  previousEnd: number | undefined,
): TextEdit[] {
  const after = /^\s*,/.exec(text.slice(valueEnd));
  const lineStart = lineStartOf(text, start);
  const ownLine = text.slice(lineStart, start).trim() === '';
  // The rest of the member's line: blanks, and a YAML comment (JSON has none: a `#` there is no valid JSON).
  const lineRest = (from: number): string => /^[ \t]*(#[^\r\n]*)?(\r?\n)?/.exec(text.slice(from))?.[0] ?? '';
  if (after) {
    const commaEnd = valueEnd + after[0].length;
    const rest = lineRest(commaEnd);
    // `  "403": {...},\n  "next"`: the whole line goes; `{403: x, next: y}`: the member and its comma go.
    const flowMember = { keyStart: start, last: false };
    if (ownLine && rest.endsWith('\n'))
      return [{ start: lineStart, end: commaEnd + rest.length, text: '', flowMember }];
    // Not alone on its line: the member, its comma and the blanks after it (never a comment: it stays).
    const blanks = /^[ \t]*/.exec(text.slice(commaEnd))?.[0] ?? '';
    const toEol = rest.endsWith('\n') && !rest.includes('#') ? rest : blanks;
    return [{ start, end: commaEnd + toEol.length, text: '', flowMember }];
  }
  // The last member: the comma before it goes instead.
  const flowMember = { keyStart: start, last: true };
  const rest = lineRest(valueEnd);
  if (ownLine && rest.endsWith('\n') && previousEnd !== undefined) {
    // `a: 1,  # note\n  403: x  # gone\n}`: the comma after `a: 1` and the line of `403` go; `# note` stays.
    const comma = text.indexOf(',', previousEnd);
    if (comma !== -1 && comma < lineStart && text.slice(previousEnd, comma).trim() === '') {
      return [
        { start: comma, end: comma + 1, text: '', flowMember },
        { start: lineStart, end: valueEnd + rest.length, text: '' },
      ];
    }
  }
  const before = /,\s*$/.exec(text.slice(0, start));
  return before
    ? [{ start: before.index, end: valueEnd, text: '', flowMember }]
    : [{ start, end: valueEnd, text: '', flowMember }];
}

function addKey(
  tree: SourceTree,
  mapPath: JsonPath,
  key: string,
  value: unknown,
  style: TextStyle,
): TextEdit {
  const found = nodeAt(tree, mapPath);
  if (found?.viaMerge) throw new SpliceError(MERGED);
  if (found?.viaAlias) throw new SpliceError(ALIASED);
  if (!found || !isMap(found.node) || !found.node.range) throw new SpliceError(`no map at ${show(mapPath)}`);
  const map = found.node as YAMLMap<Node, Node | null>;
  const text = tree.text;
  const first = map.items[0];
  const last = map.items[map.items.length - 1];
  if (!first || !last || !isScalar(first.key) || !first.key.range || !isScalar(last.key) || !last.key.range) {
    if (map.flow && map.items.length === 0) {
      const open = map.range![0] + 1;
      const flow = flowStyleOf(text, map, style);
      const member = `${flowText(key, style.syntax, flow, style.singleQuote)}${flow.colon}${flowText(value, style.syntax, flow, style.singleQuote)}`;
      return { start: open, end: open, text: member };
    }
    throw new SpliceError(`cannot add to the map at ${show(mapPath)}`);
  }
  const lastEnd = last.value?.range ? last.value.range[1] : last.key.range[1];
  const keyStart = first.key.range[0];
  const lineStart = lineStartOf(text, keyStart);
  if (!map.flow) {
    const indent = ' '.repeat(keyStart - lineStart);
    const block = yamlBlock({ [key]: value }, style)
      .split('\n')
      .map((line) => (line === '' ? line : indent + line))
      .join('\n');
    const at = lineEndAfter(text, lastEnd - 1);
    const lead = at === text.length && !text.endsWith('\n') ? '\n' : '';
    return { start: at, end: at, text: withEol(`${lead}${block}\n`, style) };
  }
  // A `{...}` map (JSON, or YAML flow) keeps its own spacing, quoting and layout.
  const flow = flowStyleOf(text, map, style);
  const name = flowText(key, style.syntax, flow, style.singleQuote);
  const multiLine = text.slice(map.range![0], keyStart).includes('\n');
  if (multiLine) {
    const indent = text.slice(lineStart, keyStart);
    const rendered =
      style.syntax === 'json'
        ? jsonBlock(value, { ...style, colon: flow.colon }, indent)
        : flowText(value, style.syntax, flow, style.singleQuote);
    return {
      start: lastEnd,
      end: lastEnd,
      text: withEol(`,\n${indent}${name}${flow.colon}${rendered}`, style),
    };
  }
  return {
    start: lastEnd,
    end: lastEnd,
    text: `${flow.comma}${name}${flow.colon}${flowText(value, style.syntax, flow, style.singleQuote)}`,
  };
}

/**
 * How the `{...}` map writes its members, read from the map itself: the separator after its first key, the
 * text between its first two members, a space inside its braces; the file's own habits where the map has
 * too few members to tell.
 */
function flowStyleOf(text: string, map: YAMLMap<Node, Node | null>, style: TextStyle): FlowStyle {
  const [first, second] = map.items;
  const open = map.range![0];
  const padding = /^\{[ \t]/.test(text.slice(open, open + 2));
  let colon = style.colon;
  const keyEnd = first?.key && isScalar(first.key) ? first.key.range?.[1] : undefined;
  const valueStart = first?.value?.range?.[0];
  if (keyEnd !== undefined && valueStart !== undefined) {
    const between = text.slice(keyEnd, valueStart);
    if (/^[ \t]*:[ \t]*$/.test(between)) colon = between.replace(/[ \t]+/g, ' ');
  }
  let comma = colon.endsWith(' ') || padding ? ', ' : ',';
  const firstEnd = first?.value?.range?.[1];
  const secondStart = second?.key && isScalar(second.key) ? second.key.range?.[0] : undefined;
  if (firstEnd !== undefined && secondStart !== undefined) {
    const between = text.slice(firstEnd, secondStart);
    if (/^[ \t]*,[ \t]*$/.test(between)) comma = between.trim() === ',' && between.endsWith(' ') ? ', ' : ',';
  }
  return { padding, colon, comma };
}

function replaceValue(tree: SourceTree, path: JsonPath, value: unknown, style: TextStyle): TextEdit {
  const found = nodeAt(tree, path);
  if (found?.viaMerge) throw new SpliceError(MERGED);
  if (!found?.node.range) throw new SpliceError(`no value at ${show(path)}`);
  const node = found.node;
  const text = tree.text;
  const [start, end] = node.range!;
  const written = text.slice(start, end);
  const trailing = /\s*$/.exec(written)?.[0] ?? '';
  const sameLine =
    isScalar(node) && typeof node.value === 'string' && typeof value === 'string' && !value.includes('\n');
  if (sameLine) return { start, end, text: sameStyleString(node, value, style) + trailing };
  // A number for a number (an integration response's `statusCode: 403`), or for a plain scalar YAML 1.1 reads as
  // one (`statusCode: 4_03`): the scalar alone, so a comment after it and the entry's layout stay.
  if (
    isScalar(node) &&
    typeof value === 'number' &&
    (typeof node.value === 'number' || (node.type === Scalar.PLAIN && node.tag === undefined))
  )
    return { start, end, text: String(value) + trailing };
  if (style.syntax === 'yaml') {
    const entry = blockEntry(tree, path, value, style);
    if (entry) return entry;
  }
  let replacement: string;
  if (value === null || typeof value !== 'object') {
    replacement = JSON.stringify(value);
  } else if (style.syntax === 'json' && written.includes('\n')) {
    const indent = /^[ \t]*/.exec(text.slice(lineStartOf(text, start)))?.[0] ?? '';
    replacement = jsonBlock(value, style, indent);
  } else {
    // On one line, or inside a YAML flow collection: flow style in the spacing of the node it replaces.
    const flow =
      isMap(node) && node.flow
        ? flowStyleOf(text, node as YAMLMap<Node, Node | null>, style)
        : { padding: false, colon: style.colon, comma: style.colon.endsWith(' ') ? ', ' : ',' };
    replacement = flowText(value, style.syntax, flow, style.singleQuote);
  }
  return { start, end, text: withEol(replacement + trailing, style) };
}

/**
 * In a YAML block map the whole entry is written anew, `key: value` in block style at the key's column, so a
 * multi-line description becomes a block scalar and a schema a block mapping, as a person would write them.
 */
function blockEntry(
  tree: SourceTree,
  path: JsonPath,
  value: unknown,
  style: TextStyle,
): TextEdit | undefined {
  const key = String(path[path.length - 1]);
  const found = pairAt(tree, path.slice(0, -1), key);
  const keyNode = found?.pair.key;
  const valueNode = found?.pair.value;
  if (!found || found.map.flow || !isScalar(keyNode) || !keyNode.range || !valueNode?.range) return undefined;
  const text = tree.text;
  const start = keyNode.range[0];
  const lineStart = lineStartOf(text, start);
  if (text.slice(lineStart, start).trim() !== '') return undefined;
  const end = valueNode.range[1];
  const trailing = /\s*$/.exec(text.slice(start, end))?.[0] ?? '';
  const indent = ' '.repeat(start - lineStart);
  const block = yamlBlock({ [key]: value }, style).replace(/\n(?=.)/g, `\n${indent}`);
  return { start, end, text: withEol(block + trailing, style) };
}

/**
 * A new string in the quoting style of the one it replaces, when that style can hold it; a plain scalar that
 * cannot stay plain (`401` would read as a number) is quoted as the file prefers (`'401'` in a file of `'...'`).
 */
function sameStyleString(node: Scalar, value: string, style: TextStyle): string {
  if (singleQuotable(value)) {
    const single = `'${value.replace(/'/g, "''")}'`;
    if (node.type === Scalar.QUOTE_SINGLE) return single;
    if (node.type === Scalar.PLAIN) {
      if (!/: |\s#|^[\s#]|\s$/.test(value) && parse(value) === value) return value;
      if (style.syntax === 'yaml' && style.singleQuote) return single;
    }
  }
  return JSON.stringify(value);
}

/** Whether a single-quoted YAML scalar holds `value` as written: one line, no control character but a tab. */
function singleQuotable(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return false;
  }
  return true;
}

/** Applies non-overlapping edits right to left; insertions at one offset: inner maps first, then in order. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  // Right-to-left order decides who wins at one offset; the text is then built left to right in one pass.
  // Indexes are sorted (the edits are not copied); an index stands for the edit's order among equals.
  const rightToLeft = edits.map((_, index) => index);
  rightToLeft.sort((i, j) => {
    const a = edits[i];
    const b = edits[j];
    return b.start - a.start || b.end - a.end || (a.depth ?? 0) - (b.depth ?? 0) || j - i;
  });
  let limit = Infinity;
  for (const index of rightToLeft) {
    if (edits[index].end > limit) throw new SpliceError('two edits overlap');
    limit = edits[index].start;
  }
  const pieces: string[] = [];
  let cursor = 0;
  for (let at = rightToLeft.length - 1; at >= 0; at--) {
    const edit = edits[rightToLeft[at]];
    pieces.push(text.slice(cursor, edit.start), edit.text);
    cursor = Math.max(cursor, edit.end);
  }
  pieces.push(text.slice(cursor));
  return pieces.join('');
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just after the line break ending the line that holds `offset` (or the end of the text). */
function lineEndAfter(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

function show(path: JsonPath): string {
  return `/${path.join('/')}`;
}
