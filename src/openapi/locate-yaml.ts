import {
  collectFound,
  isWhiteSpace,
  pathKey,
  pathTree,
  rangeOfNode,
  type NodeSpan,
  type PathNode,
} from './locate-tree.js';
import type { JsonPath } from './pointer.js';
import type { Range } from './range.js';

export { pathKey, type NodeSpan };

/**
 * Finds where keys and sequence items sit in a YAML text, for the few paths a report needs.
 *
 * Why not a YAML AST: building one costs ~4-11 s on a 10 MB spec (spectral-parsers, yaml), while
 * findings need the position of a handful of keys. This single line scan tracks indentation, sequence
 * indexes, block and multi-line quoted/flow scalars, and records only the wanted paths and their prefixes.
 * Keys inside flow collections (`{a: 1}`) are not located; callers fall back to the closest located prefix.
 */
export function locateInYaml(text: string, wanted: readonly JsonPath[]): Map<string, Range> {
  const tree = pathTree(wanted);
  scanYamlTree(text, tree, false);
  return collectFound(tree, rangeOfNode);
}

/**
 * Where the nodes at the wanted paths begin and end, as byte offsets: `lineStart` of the line holding the key
 * (or `- ` item), `keyStart` of the key itself and `end` (the start of the first line after the node). Paths
 * inside flow collections, behind aliases or merge keys are not found; callers fall back to a full parse.
 */
export function locateSpansInYaml(text: string, wanted: readonly JsonPath[]): Map<string, NodeSpan> {
  const tree = pathTree(wanted);
  scanYamlTree(text, tree, true);
  return collectFound(tree, (node) => node.span);
}

/** One open block node: a key or a sequence item. Frames are reused by depth (no allocation per key). */
interface Frame {
  indent: number;
  /** The item's index, for a sequence item. */
  index: number;
  seq: boolean;
  /** The tree node of this frame's path, when it is a wanted path or prefix. */
  node: PathNode | undefined;
  lineStart: number;
  keyStart: number;
}

const QUOTE_NONE = 0;
const DOUBLE = 34; // "
const SINGLE = 39; // '
const HASH = 35; // #
const SPACE = 32;
const TAB = 9;
const COLON = 58;
const DASH = 45;

/**
 * Records into the nodes of `tree` where they are in `text` (first occurrence wins; nodes already found are
 * kept), and with `spans` the offsets of each found node. Works on offsets into `text`: no string per line,
 * and a key is decoded only when its parent has wanted children.
 */
export function scanYamlTree(text: string, tree: PathNode, spans: boolean): void {
  const stack: Frame[] = [];
  let depth = 0;
  let skipDeeperThan = -1; // lines indented deeper than this belong to a scalar, not to the tree
  let openQuote = QUOTE_NONE;
  let flowDepth = 0;
  let lineOffset = 0;
  let nextOffset = 0;

  const wantedChildren = (): Map<string, PathNode> | undefined =>
    depth === 0 ? tree.children : stack[depth - 1].node?.children;
  const push = (
    indent: number,
    index: number,
    seq: boolean,
    node: PathNode | undefined,
    lineNo: number,
    endColumn: number,
  ): void => {
    let frame = stack[depth];
    if (!frame) {
      frame = { indent, index, seq, node, lineStart: lineOffset, keyStart: lineOffset + indent };
      stack[depth] = frame;
    } else {
      frame.indent = indent;
      frame.index = index;
      frame.seq = seq;
      frame.node = node;
      frame.lineStart = lineOffset;
      frame.keyStart = lineOffset + indent;
    }
    depth++;
    if (node && node.line < 0) {
      node.line = lineNo;
      node.startCharacter = indent;
      node.endCharacter = endColumn;
    }
  };
  const pop = (): void => {
    const frame = stack[--depth];
    const node = frame.node;
    if (spans && node && !node.span) {
      node.span = { lineStart: frame.lineStart, keyStart: frame.keyStart, end: lineOffset, item: frame.seq };
    }
    frame.node = undefined;
  };

  // Line by line without splitting the whole text first: a 40 MB document has a million and a half lines.
  for (let lineNo = 0; nextOffset <= text.length; lineNo++) {
    lineOffset = nextOffset;
    let lineEnd = text.indexOf('\n', lineOffset);
    if (lineEnd === -1) lineEnd = text.length;
    nextOffset = lineEnd + 1;
    const end = lineEnd > lineOffset && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;

    if (openQuote !== QUOTE_NONE) {
      if (closingQuoteIndex(text, lineOffset, end, openQuote) !== -1) openQuote = QUOTE_NONE;
      continue;
    }
    if (flowDepth > 0) {
      flowDepth += bracketBalance(text, lineOffset, end);
      continue;
    }
    let start = lineOffset;
    while (start < end && isWhiteSpace(text.charCodeAt(start))) start++;
    if (start === end) continue; // blank
    const indent = start - lineOffset;
    if (skipDeeperThan >= 0) {
      if (indent > skipDeeperThan) continue;
      skipDeeperThan = -1;
    }
    const first = text.charCodeAt(start);
    if (first === HASH || first === 37 /* % */) continue;
    if (indent === 0 && (text.startsWith('---', start) || text.startsWith('...', start))) {
      while (depth > 0) pop();
      continue;
    }

    let column = indent;
    let rest = start;
    // Sequence entries: `- value` or `- key: value`.
    while (text.charCodeAt(rest) === DASH && (rest + 1 === end || text.charCodeAt(rest + 1) === SPACE)) {
      let index = 0;
      while (depth > 0) {
        const top = stack[depth - 1];
        if (top.indent > column) {
          pop();
          continue;
        }
        if (top.indent === column && top.seq) {
          index = top.index + 1;
          pop();
        }
        break;
      }
      const children = wantedChildren();
      push(column, index, true, children?.get(String(index)), lineNo, end - lineOffset);
      let after = rest + 1;
      while (after < end && isWhiteSpace(text.charCodeAt(after))) after++;
      column += after - rest;
      rest = after;
    }
    if (rest === end) continue;

    // An explicit key on one line (`? "403"`, `? 403  # note`): a key like any other; its value follows on a
    // `: ` line at the same indent (below). A complex key (`? [a, b]`, `? |`) or a key alone on the `?` line
    // stays unlocated, as before.
    if (
      text.charCodeAt(rest) === 63 /* ? */ &&
      (rest + 1 === end || isWhiteSpace(text.charCodeAt(rest + 1)))
    ) {
      let keyStart = rest + 1;
      while (keyStart < end && isWhiteSpace(text.charCodeAt(keyStart))) keyStart++;
      const key = explicitKeyText(text, keyStart, end);
      while (depth > 0 && stack[depth - 1].indent >= column) pop();
      const children = wantedChildren();
      // Positions only: the span editors (fix) handle explicit keys from a full parse.
      const node =
        !spans && key !== undefined && children && children.size > 0 ? children.get(key) : undefined;
      push(column, 0, false, node, lineNo, end - lineOffset);
      if (key === undefined) skipDeeperThan = column;
      continue;
    }
    // The value of an explicit key: `: ` at the key's indent, then a scalar, a flow collection or the first key
    // of a block map, which belong to that key (deeper than it).
    if (
      text.charCodeAt(rest) === COLON &&
      (rest + 1 === end || isWhiteSpace(text.charCodeAt(rest + 1))) &&
      depth > 0 &&
      stack[depth - 1].indent === column &&
      !stack[depth - 1].seq
    ) {
      let after = rest + 1;
      while (after < end && isWhiteSpace(text.charCodeAt(after))) after++;
      if (after === end) continue;
      column += after - rest;
      rest = after;
    }

    const keyEnd = keyLength(text, rest, end);
    if (keyEnd === -1) {
      // A scalar or flow value as a sequence item: whatever is deeper belongs to it.
      skipDeeperThan = column;
      const state = valueState(text, rest, end);
      openQuote = state < 0 ? -state : QUOTE_NONE;
      flowDepth = state > 0 ? state : 0;
      continue;
    }
    // A key after `- ` is deeper than its sequence entry, so the entry stays its parent.
    while (depth > 0 && stack[depth - 1].indent >= column) pop();
    const children = wantedChildren();
    const node = children && children.size > 0 ? children.get(keyText(text, rest, keyEnd)) : undefined;
    push(column, 0, false, node, lineNo, end - lineOffset);

    let valueStart = keyEnd;
    while (valueStart < end && isWhiteSpace(text.charCodeAt(valueStart))) valueStart++;
    let valueEnd = end;
    while (valueEnd > valueStart && isWhiteSpace(text.charCodeAt(valueEnd - 1))) valueEnd--;
    if (valueStart === valueEnd) continue; // children follow
    const valueFirst = text.charCodeAt(valueStart);
    if (valueFirst === HASH) continue;
    let scalarStart = valueStart;
    if (valueFirst === 38 /* & */ || valueFirst === 33 /* ! */) {
      // An anchor or tag alone (maybe with a comment): children follow.
      if (/^[&!][^\s]*\s*(#.*)?$/.test(text.slice(valueStart, valueEnd))) continue;
      let after = valueStart + 1;
      while (after < valueEnd && !isWhiteSpace(text.charCodeAt(after))) after++;
      if (after < valueEnd) {
        while (isWhiteSpace(text.charCodeAt(after))) after++;
        scalarStart = after;
      }
    }
    skipDeeperThan = column;
    const state = valueState(text, scalarStart, valueEnd);
    openQuote = state < 0 ? -state : QUOTE_NONE;
    flowDepth = state > 0 ? state : 0;
  }
  lineOffset = text.length;
  if (openQuote === QUOTE_NONE && flowDepth === 0) while (depth > 0) pop();
}

/**
 * `key:` at `start`: how far the key and its colon reach (an offset), or -1 when the line holds no key
 * (a scalar, a flow collection, a block scalar indicator, a complex key, a comment).
 */
function keyLength(text: string, start: number, end: number): number {
  const first = text.charCodeAt(start);
  if (first === DOUBLE || first === SINGLE) {
    const close = closingQuoteIndex(text, start + 1, end, first);
    if (close === -1) return -1;
    let colon = close + 1;
    while (colon < end && (text.charCodeAt(colon) === SPACE || text.charCodeAt(colon) === TAB)) colon++;
    if (colon >= end || text.charCodeAt(colon) !== COLON || !separatorAt(text, colon + 1, end)) return -1;
    return colon + 1;
  }
  // `[ { ? | > #`
  if (first === 91 || first === 123 || first === 63 || first === 124 || first === 62 || first === HASH) {
    return -1;
  }
  let colon = text.indexOf(':', start);
  while (colon !== -1 && colon < end && !separatorAt(text, colon + 1, end))
    colon = text.indexOf(':', colon + 1);
  if (colon === -1 || colon >= end) return -1;
  // ` #` before the colon: the "key" is a comment's text.
  for (let i = start + 1; i < colon; i++) {
    if (text.charCodeAt(i) === HASH && isWhiteSpace(text.charCodeAt(i - 1))) return -1;
  }
  return colon + 1;
}

/**
 * The key written after `? ` when it is a scalar that ends on its line (`"403"`, `'403'`, `403`, with an optional
 * comment); undefined for anything else (nothing, a flow collection, a block scalar, an open quote, an anchor or
 * tag, whose key the line scan does not decode).
 */
function explicitKeyText(text: string, start: number, end: number): string | undefined {
  if (start >= end) return undefined;
  const first = text.charCodeAt(start);
  if (first === DOUBLE || first === SINGLE) {
    const close = closingQuoteIndex(text, start + 1, end, first);
    if (close === -1) return undefined;
    let after = close + 1;
    while (after < end && isWhiteSpace(text.charCodeAt(after))) after++;
    if (after < end && text.charCodeAt(after) !== HASH) return undefined;
    const raw = text.slice(start + 1, close);
    return first === SINGLE ? raw.replace(/''/g, "'") : unescapeDouble(raw);
  }
  // `[ { | > # & ! * @ \``: not a plain scalar the scan decodes.
  if ('[{|>#&!*@`'.includes(text[start])) return undefined;
  let last = end;
  for (let i = start + 1; i < end; i++) {
    if (text.charCodeAt(i) === HASH && isWhiteSpace(text.charCodeAt(i - 1))) {
      last = i;
      break;
    }
  }
  while (last > start && isWhiteSpace(text.charCodeAt(last - 1))) last--;
  const plain = text.slice(start, last);
  // `? a: b` is a map as the key: not a scalar.
  return /:(\s|$)/.test(plain) ? undefined : plain;
}

/** The text of the key {@link keyLength} found (quotes removed and unescaped, plain keys trimmed). */
function keyText(text: string, start: number, keyEnd: number): string {
  const first = text.charCodeAt(start);
  if (first === DOUBLE || first === SINGLE) {
    const close = closingQuoteIndex(text, start + 1, keyEnd, first);
    const raw = text.slice(start + 1, close);
    return first === SINGLE ? raw.replace(/''/g, "'") : unescapeDouble(raw);
  }
  let last = keyEnd - 1; // the colon
  while (last > start && isWhiteSpace(text.charCodeAt(last - 1))) last--;
  return text.slice(start, last);
}

/** A space, a tab or the end of the line after a colon: the colon ends a key. */
function separatorAt(text: string, at: number, end: number): boolean {
  if (at >= end) return true;
  const code = text.charCodeAt(at);
  return code === SPACE || code === TAB;
}

function unescapeDouble(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/** Offset of the quote that closes a scalar opened before `from`, or -1 if it stays open up to `end`. */
function closingQuoteIndex(text: string, from: number, end: number, quote: number): number {
  for (let i = from; i < end; i++) {
    const char = text.charCodeAt(i);
    if (quote === DOUBLE && char === 92 /* \ */) {
      i++;
      continue;
    }
    if (char === quote) {
      if (quote === SINGLE && i + 1 < end && text.charCodeAt(i + 1) === SINGLE) {
        i++;
        continue;
      }
      return i;
    }
  }
  return -1;
}

/**
 * Whether a value opens a quoted scalar or flow collection that continues on later lines, as one number (no
 * allocation per line): minus the quote's char code for an open quoted scalar, else the flow depth left open.
 */
function valueState(text: string, start: number, end: number): number {
  const first = text.charCodeAt(start);
  if ((first === DOUBLE || first === SINGLE) && closingQuoteIndex(text, start + 1, end, first) === -1) {
    return -first;
  }
  if (first === 91 /* [ */ || first === 123 /* { */) return Math.max(0, bracketBalance(text, start, end));
  return 0;
}

/** Opening minus closing brackets in `text[start, end)`, outside quotes and comments. */
function bracketBalance(text: string, start: number, end: number): number {
  let depth = 0;
  for (let i = start; i < end; i++) {
    const char = text.charCodeAt(i);
    if ((char === DOUBLE || char === SINGLE) && startsScalar(text, start, i)) {
      const close = closingQuoteIndex(text, i + 1, end, char);
      if (close === -1) break;
      i = close;
    } else if (char === HASH && (i === start || text.charCodeAt(i - 1) === SPACE)) break;
    else if (char === 91 || char === 123) depth++;
    else if (char === 93 || char === 125) depth--;
  }
  return depth;
}

/** A quote opens a quoted scalar only where a scalar starts (`[ 'a'`, `, "b"`, `: 'c'`), not in `customer's`. */
function startsScalar(text: string, start: number, index: number): boolean {
  let before = index;
  while (before > start && isWhiteSpace(text.charCodeAt(before - 1))) before--;
  if (before === start) return true;
  const char = text.charCodeAt(before - 1);
  // [ { , : -
  return char === 91 || char === 123 || char === 44 || char === COLON || char === DASH;
}

export function prefixKeys(paths: readonly JsonPath[]): Set<string> {
  const keys = new Set<string>();
  for (const path of paths) {
    for (let length = 0; length <= path.length; length++) keys.add(pathKey(path.slice(0, length)));
  }
  return keys;
}
