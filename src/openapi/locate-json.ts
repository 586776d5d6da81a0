import { pathTrie, type NodeSpan, type PathTrie } from './locate-yaml.js';
import type { JsonPath } from './pointer.js';
import type { Range } from './range.js';

/**
 * Finds where the wanted paths (and their prefixes) sit in a JSON text with one tokenizing pass.
 * The text is known to parse (JSON.parse ran first), so the scanner can be lenient. Only members on a wanted
 * path are decoded; the others are skipped without building their path.
 */
export function locateInJson(text: string, wanted: readonly JsonPath[]): Map<string, Range> {
  return scanJson(text, pathTrie(wanted), undefined);
}

/**
 * Byte offsets of the wanted object members, key to the end of the value (objects and arrays only; a member
 * whose value is a scalar has no span). `lineStart` is the key's offset too: JSON has no indentation rule.
 */
export function locateSpansInJson(text: string, wanted: readonly JsonPath[]): Map<string, NodeSpan> {
  const spans = new Map<string, NodeSpan>();
  scanJson(text, pathTrie(wanted), spans);
  return spans;
}

/** One open container: its trie node (undefined off the wanted paths), array or object, next index / key. */
interface Frame {
  node: PathTrie | undefined;
  array: boolean;
  index: number;
  /** The trie node of the pending member (set by its key), undefined when off the wanted paths. */
  member: PathTrie | undefined;
  /** Where the pending member's key starts. */
  memberStart: number;
  /** Where this container's member (its key in the parent) starts, -1 for array items and the root. */
  keyStart: number;
}

function scanJson(
  text: string,
  trie: PathTrie,
  spans: Map<string, NodeSpan> | undefined,
): Map<string, Range> {
  const found = new Map<string, Range>();
  const frames: Frame[] = [];
  let line = 0;
  let lineStart = 0;
  let expectKey = false;

  const record = (node: PathTrie | undefined, start: number, end: number): void => {
    if (node && !found.has(node.key)) {
      found.set(node.key, {
        start: { line, character: start - lineStart },
        end: { line, character: end - lineStart },
      });
    }
  };
  const itemNode = (frame: Frame): PathTrie | undefined => frame.node?.children.get(String(frame.index));

  // Only `"{}[],:` and line breaks matter outside strings: a native regex search jumps over the rest
  // (indentation, numbers, literals), and `indexOf` over string contents.
  const structural = /["{}[\],:\n]/g;
  for (let i = 0; i < text.length; i++) {
    structural.lastIndex = i;
    if (!structural.test(text)) break;
    i = structural.lastIndex - 1;
    const char = text.charCodeAt(i);
    if (char === 10 /* \n */) {
      line++;
      lineStart = i + 1;
      continue;
    }
    if (char === 34 /* " */) {
      const end = closingQuote(text, i);
      const frame = frames[frames.length - 1];
      if (expectKey && frame && !frame.array) {
        const children = frame.node?.children;
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
      const parent = frames[frames.length - 1];
      let node: PathTrie | undefined;
      let keyStart = -1;
      if (!parent) node = trie;
      else if (parent.array) {
        node = itemNode(parent);
        record(node, i, i + 1);
      } else {
        node = parent.member;
        keyStart = parent.memberStart;
      }
      frames.push({ node, array: char === 91, index: 0, member: undefined, memberStart: -1, keyStart });
      expectKey = char === 123;
      continue;
    }
    if (char === 125 /* } */ || char === 93 /* ] */) {
      const frame = frames.pop();
      if (spans && frame?.node && frame.keyStart >= 0 && !spans.has(frame.node.key)) {
        spans.set(frame.node.key, {
          lineStart: frame.keyStart,
          keyStart: frame.keyStart,
          end: i + 1,
          item: false,
        });
      }
      expectKey = false;
      continue;
    }
    if (char === 44 /* , */) {
      const frame = frames[frames.length - 1];
      if (frame?.array) frame.index++;
      else expectKey = true;
      continue;
    }
    if (char === 58 /* : */) expectKey = false;
  }
  return found;
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
