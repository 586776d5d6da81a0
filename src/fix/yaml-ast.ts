import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
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
}

const pairIndexes = new WeakMap<YAMLMap, Map<string, Pair<Node, Node | null>>>();

/**
 * Parses with the semantics of the model's js-yaml CORE schema: no `<<` merge keys, duplicate keys allowed
 * (the last wins). Undefined when the `yaml` package reports an error, so the caller refuses to edit.
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

/** The node at `path` (following aliases), or undefined. */
export function nodeAt(tree: SourceTree, path: JsonPath): { node: Node; viaAlias: boolean } | undefined {
  let node = tree.doc.contents as Node | null;
  let viaAlias = false;
  for (const segment of path) {
    const resolved = resolveAlias(tree, node);
    if (!resolved) return undefined;
    viaAlias ||= resolved !== node;
    if (isMap(resolved)) {
      const pair = pairOf(resolved as YAMLMap<Node, Node | null>, String(segment));
      if (!pair) return undefined;
      node = pair.value;
    } else if (isSeq(resolved) && typeof segment === 'number') {
      node = (resolved.items[segment] as Node | undefined) ?? null;
    } else {
      return undefined;
    }
  }
  const last = resolveAlias(tree, node);
  if (!last) return undefined;
  return { node: last, viaAlias: viaAlias || last !== node };
}

/** The entry `key` of the map at `mapPath`. */
export function pairAt(tree: SourceTree, mapPath: JsonPath, key: string): LocatedPair | undefined {
  const found = nodeAt(tree, mapPath);
  if (!found || !isMap(found.node)) return undefined;
  const map = found.node as YAMLMap<Node, Node | null>;
  const pair = pairOf(map, key);
  return pair ? { pair, map, viaAlias: found.viaAlias } : undefined;
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
