import type { JsonPath } from './pointer.js';
import type { Range } from './range.js';

/** Byte offsets of a node found by `locateSpansInYaml` or `locateSpansInJson`. */
export interface NodeSpan {
  lineStart: number;
  keyStart: number;
  /** Exclusive. */
  end: number;
  /** True for a sequence item (`- ...`), which has no key. */
  item: boolean;
}

/**
 * The paths a scan looks for, one node per path segment, and where the scan found each node. A scan records
 * numbers into the nodes it finds (no per-key strings or objects): the `Range` is built only when asked for.
 * A node that is not found keeps `line` -1.
 */
export interface PathNode {
  /** Children by path segment (array indexes as decimal strings); undefined for a leaf. */
  children: Map<string, PathNode> | undefined;
  /** 0-based line of the key (or item) that starts the node; -1 while not found. */
  line: number;
  /** 0-based UTF-16 columns, on `line`, where the range starts and ends. */
  startCharacter: number;
  endCharacter: number;
  /** Set by scans asked for spans (`fix`'s block edits). */
  span: NodeSpan | undefined;
}

export function pathNode(): PathNode {
  return { children: undefined, line: -1, startCharacter: 0, endCharacter: 0, span: undefined };
}

/** The child for `segment`, created when missing. */
export function childOf(node: PathNode, segment: string): PathNode {
  let children = node.children;
  if (!children) {
    children = new Map();
    node.children = children;
  }
  let child = children.get(segment);
  if (!child) {
    child = pathNode();
    children.set(segment, child);
  }
  return child;
}

/** A tree of the wanted paths and all their prefixes; the root stands for the empty path (the document). */
export function pathTree(paths: readonly JsonPath[]): PathNode {
  const root = pathNode();
  for (const path of paths) {
    let node = root;
    for (const segment of path) node = childOf(node, String(segment));
  }
  return root;
}

/** The range a scan found for a node, or undefined. */
export function rangeOfNode(node: PathNode): Range | undefined {
  if (node.line < 0) return undefined;
  return {
    start: { line: node.line, character: node.startCharacter },
    end: { line: node.line, character: node.endCharacter },
  };
}

/** Every found node of a tree with its {@link pathKey}, for the map-returning locators. */
export function collectFound<T>(root: PathNode, pick: (node: PathNode) => T | undefined): Map<string, T> {
  const found = new Map<string, T>();
  const visit = (node: PathNode, key: string): void => {
    const value = pick(node);
    if (value !== undefined) found.set(key, value);
    if (!node.children) return;
    for (const [segment, child] of node.children)
      visit(child, key === '' ? segment : `${key}\u0000${segment}`);
  };
  // The root (the whole document) is never a found node: its children's keys start without a separator.
  if (root.children) for (const [segment, child] of root.children) visit(child, segment);
  return found;
}

/** The key the map-returning locators use for a path: its segments joined by U+0000. */
export function pathKey(path: JsonPath): string {
  return path.map(String).join('\u0000');
}

/** Whether `code` (a UTF-16 unit) is white space as String.prototype.trim and the regex `\s` see it. */
export function isWhiteSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}
