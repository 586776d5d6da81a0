import { collectFound, pathTree, rangeOfNode, type NodeSpan, type PathNode } from './locate-tree.js';
import type { JsonPath } from './pointer.js';
import type { Range } from './range.js';

/**
 * Finds where the wanted paths (and their prefixes) sit in a JSON text with one tokenizing pass.
 * The text is known to parse (JSON.parse ran first), so the scanner can be lenient. Only members on a wanted
 * path are decoded; the others are skipped without building their path.
 */
export function locateInJson(text: string, wanted: readonly JsonPath[]): Map<string, Range> {
  const tree = pathTree(wanted);
  scanJsonTree(text, tree, false);
  return collectFound(tree, rangeOfNode);
}

/**
 * Byte offsets of the wanted object members, key to the end of the value (objects and arrays only; a member
 * whose value is a scalar has no span). `lineStart` is the key's offset too: JSON has no indentation rule.
 */
export function locateSpansInJson(text: string, wanted: readonly JsonPath[]): Map<string, NodeSpan> {
  const tree = pathTree(wanted);
  scanJsonTree(text, tree, true);
  return collectFound(tree, (node) => node.span);
}

/** One open container on a wanted path (containers off the wanted paths are skipped whole). */
interface Frame {
  node: PathNode;
  array: boolean;
  index: number;
  /** The node of the pending member (set by its key), undefined when off the wanted paths. */
  member: PathNode | undefined;
  /** Where the pending member's key starts. */
  memberStart: number;
  /** Where this container's member (its key in the parent) starts, -1 for array items and the root. */
  keyStart: number;
}

/**
 * Records into the nodes of `tree` where they are in `text` (the first occurrence of a key wins; nodes already
 * found are kept), and with `spans` the offsets of each found container member. Only containers on a wanted
 * path are tokenized; any other object or array is skipped by counting brackets outside strings, and lines are
 * counted only up to the positions recorded.
 */
export function scanJsonTree(text: string, tree: PathNode, spans: boolean): void {
  const frames: Frame[] = [];
  let depth = 0;
  let expectKey = false;
  // Line counting, forward only: records come in text order.
  let line = 0;
  let lineStart = 0;
  let nextBreak = text.indexOf('\n');

  const record = (node: PathNode | undefined, start: number, end: number): void => {
    if (!node || node.line >= 0) return;
    while (nextBreak !== -1 && nextBreak < start) {
      line++;
      lineStart = nextBreak + 1;
      nextBreak = text.indexOf('\n', lineStart);
    }
    node.line = line;
    node.startCharacter = start - lineStart;
    node.endCharacter = end - lineStart;
  };
  const span = (node: PathNode, keyStart: number, end: number): void => {
    if (spans && keyStart >= 0 && !node.span) node.span = { lineStart: keyStart, keyStart, end, item: false };
  };
  const push = (node: PathNode, array: boolean, keyStart: number): void => {
    let frame = frames[depth];
    if (!frame) {
      frame = { node, array, index: 0, member: undefined, memberStart: -1, keyStart };
      frames[depth] = frame;
    } else {
      frame.node = node;
      frame.array = array;
      frame.index = 0;
      frame.member = undefined;
      frame.memberStart = -1;
      frame.keyStart = keyStart;
    }
    depth++;
  };
  const itemNode = (frame: Frame): PathNode | undefined => frame.node.children?.get(String(frame.index));

  // Only `"{}[],:` matter outside strings: a native regex search jumps over the rest (white space, numbers,
  // literals), and `indexOf` over string contents.
  const structural = /["{}[\],:]/g;
  for (let i = 0; i < text.length; i++) {
    structural.lastIndex = i;
    if (!structural.test(text)) break;
    i = structural.lastIndex - 1;
    const char = text.charCodeAt(i);
    const frame = depth > 0 ? frames[depth - 1] : undefined;
    if (char === 34 /* " */) {
      const end = closingQuote(text, i);
      if (expectKey && frame && !frame.array) {
        const children = frame.node.children;
        if (children && children.size > 0) {
          const raw = text.slice(i + 1, end);
          const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
          frame.member = children.get(key);
        } else {
          frame.member = undefined;
        }
        frame.memberStart = i;
        record(frame.member, i, end + 1);
        expectKey = false;
      } else if (frame?.array) {
        record(itemNode(frame), i, end + 1);
      }
      i = end;
      continue;
    }
    if (char === 123 /* { */ || char === 91 /* [ */) {
      let node: PathNode | undefined;
      let keyStart = -1;
      if (!frame) node = depth === 0 ? tree : undefined;
      else if (frame.array) {
        node = itemNode(frame);
        record(node, i, i + 1);
      } else {
        node = frame.member;
        keyStart = frame.memberStart;
      }
      if (!node || !node.children) {
        // Nothing wanted inside: jump to the matching bracket (a wanted leaf still gets its span).
        const close = skipContainer(text, i);
        if (node) span(node, keyStart, close + 1);
        i = close;
        expectKey = false;
        continue;
      }
      push(node, char === 91, keyStart);
      expectKey = char === 123;
      continue;
    }
    if (char === 125 /* } */ || char === 93 /* ] */) {
      if (frame) {
        depth--;
        span(frame.node, frame.keyStart, i + 1);
      }
      expectKey = false;
      continue;
    }
    if (char === 44 /* , */) {
      if (frame?.array) frame.index++;
      else expectKey = true;
      continue;
    }
    if (char === 58 /* : */) expectKey = false;
  }
}

/** The offset of the bracket closing the object or array that opens at `open` (or the last offset). */
function skipContainer(text: string, open: number): number {
  const brackets = /["{}[\]]/g;
  let level = 0;
  brackets.lastIndex = open;
  while (brackets.test(text)) {
    const i = brackets.lastIndex - 1;
    const char = text.charCodeAt(i);
    if (char === 34 /* " */) brackets.lastIndex = closingQuote(text, i) + 1;
    else if (char === 123 /* { */ || char === 91 /* [ */) level++;
    else if (--level === 0) return i;
  }
  return text.length - 1;
}

/**
 * The offset of the quote closing the string that opens at `open` (or `text.length` when none does): the
 * first `"` after it not escaped, i.e. not preceded by an odd run of backslashes.
 */
export function closingQuote(text: string, open: number): number {
  let quote = text.indexOf('"', open + 1);
  while (quote !== -1) {
    let backslashes = 0;
    while (quote - 1 - backslashes > open && text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return text.length;
}
