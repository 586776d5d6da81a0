import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import type { JsonPath } from '../openapi/pointer.js';

/** A parsed file with source offsets, for finding the exact bytes an edit touches. JSON is parsed as YAML flow. */
export interface SourceTree {
  text: string;
  doc: Document.Parsed;
}

/** A map entry found by path: the pair, the map holding it, and whether an alias was crossed on the way. */
export interface LocatedPair {
  pair: Pair<Node, Node | null>;
  map: YAMLMap<Node, Node | null>;
  /** True when the path passes through `*alias`: the bytes are shared with every other user of the anchor. */
  viaAlias: boolean;
  /** True when a key on the path is inherited through a `<<` merge key: editing it edits the merged map. */
  viaMerge: boolean;
}

const pairIndexes = new WeakMap<YAMLMap, Map<string, Pair<Node, Node | null>>>();

/**
 * Parses keeping `<<` as a plain key, so the tree shows where each byte is; lookups below apply the merge as
 * the model's js-yaml schema does. Undefined when the `yaml` package reports an error: the caller refuses.
 */
export function parseTree(text: string): SourceTree | undefined {
  const doc = parseDocument(text, {
    uniqueKeys: false,
    merge: false,
    keepSourceTokens: false,
    prettyErrors: false,
  });
  if (doc.errors.length > 0) return undefined;
  return { text, doc };
}

/** The key string of a pair as the model sees it (`403`, `'403'` and `"403"` are all `403`). */
export function keyString(pair: Pair): string | undefined {
  const key = pair.key;
  if (!isScalar(key)) return undefined;
  const value = key.value;
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return undefined;
}

/** Where a path leads in the tree, and what it crossed on the way. */
export interface Reached {
  node: Node;
  viaAlias: boolean;
  viaMerge: boolean;
}

/** The node at `path` (following aliases and `<<` merge keys), or undefined. */
export function nodeAt(tree: SourceTree, path: JsonPath): Reached | undefined {
  let node = tree.doc.contents as Node | null;
  let viaAlias = false;
  let viaMerge = false;
  for (const segment of path) {
    const resolved = resolveAlias(tree, node);
    if (!resolved) return undefined;
    viaAlias ||= resolved !== node;
    if (isMap(resolved)) {
      const found = lookup(tree, resolved as YAMLMap<Node, Node | null>, String(segment), 0);
      if (!found) return undefined;
      viaMerge ||= found.viaMerge;
      node = found.pair.value;
    } else if (isSeq(resolved) && typeof segment === 'number') {
      node = (resolved.items[segment] as Node | undefined) ?? null;
    } else {
      return undefined;
    }
  }
  const last = resolveAlias(tree, node);
  if (!last) return undefined;
  return { node: last, viaAlias: viaAlias || last !== node, viaMerge };
}

/** The entry `key` of the map at `mapPath`. */
export function pairAt(tree: SourceTree, mapPath: JsonPath, key: string): LocatedPair | undefined {
  const found = nodeAt(tree, mapPath);
  if (!found || !isMap(found.node)) return undefined;
  const entry = lookup(tree, found.node as YAMLMap<Node, Node | null>, key, 0);
  return entry
    ? { ...entry, viaAlias: found.viaAlias || entry.viaMerge, viaMerge: found.viaMerge || entry.viaMerge }
    : undefined;
}

/** True when a `<<` merge of the map at `mapPath` also supplies `key`: it would show through a rename. */
export function mergeSupplies(tree: SourceTree, mapPath: JsonPath, key: string): boolean {
  const found = nodeAt(tree, mapPath);
  if (!found || !isMap(found.node)) return false;
  const map = found.node as YAMLMap<Node, Node | null>;
  const own = pairOf(map, key);
  return own !== undefined && map.items.some((item) => isMergeKey(item) && lookupIn(tree, item.value, key));
}

function lookupIn(tree: SourceTree, value: Node | null, key: string): boolean {
  const resolved = resolveAlias(tree, value);
  const sources =
    resolved && isSeq(resolved) ? resolved.items.map((item) => resolveAlias(tree, item as Node)) : [resolved];
  return sources.some(
    (source) => !!source && isMap(source) && !!lookup(tree, source as YAMLMap<Node, Node | null>, key, 1),
  );
}

function isMergeKey(pair: Pair<Node, Node | null>): boolean {
  return isScalar(pair.key) && pair.key.type === Scalar.PLAIN && pair.key.value === '<<';
}

/** A key of a map: its own entry, else the first merged map (`<<: *a` or `<<: [*a, *b]`) that has it. */
function lookup(
  tree: SourceTree,
  map: YAMLMap<Node, Node | null>,
  key: string,
  depth: number,
): { pair: Pair<Node, Node | null>; map: YAMLMap<Node, Node | null>; viaMerge: boolean } | undefined {
  const own = pairOf(map, key);
  if (own) return { pair: own, map, viaMerge: false };
  if (depth > 32) return undefined;
  for (const item of map.items) {
    if (!isMergeKey(item)) continue;
    const value = resolveAlias(tree, item.value);
    const sources =
      value && isSeq(value) ? value.items.map((source) => resolveAlias(tree, source as Node)) : [value];
    for (const source of sources) {
      if (!source || !isMap(source)) continue;
      const found = lookup(tree, source as YAMLMap<Node, Node | null>, key, depth + 1);
      if (found) return { ...found, viaMerge: true };
    }
  }
  return undefined;
}

function resolveAlias(tree: SourceTree, node: Node | null): Node | undefined {
  if (node === null) return undefined;
  if (!isAlias(node)) return node;
  return node.resolve(tree.doc) ?? undefined;
}

function pairOf(map: YAMLMap<Node, Node | null>, key: string): Pair<Node, Node | null> | undefined {
  let index = pairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      const name = keyString(pair);
      if (name !== undefined) index.set(name, pair); // duplicate keys: the last wins, as in the model
    }
    pairIndexes.set(map, index);
  }
  return index.get(key);
}
