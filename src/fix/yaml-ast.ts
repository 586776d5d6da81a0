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
import { locateSpansInYaml, pathKey, type NodeSpan } from '../openapi/locate-yaml.js';
import { locateSpansInJson } from '../openapi/locate-json.js';
import type { JsonPath } from '../openapi/pointer.js';
import { readBlockRegion } from './yaml-block.js';

/**
 * A file's text with source offsets for the few maps a fix touches. Each prepared path (a responses map, a
 * components section) is located with one line scan of the text and only its own lines are read (see
 * yaml-block.ts), so the cost grows with the text once plus the edited regions. A region the fast readers
 * cannot take (aliases, anchors, merge keys, flow style in YAML...) falls back to the `yaml` package's Document
 * of the whole file, parsed at most once. JSON is read as YAML flow.
 */
export class SourceTree {
  private fullDoc: Document.Parsed | null | undefined;
  /** Every prepared path: where its node is written (null: not found), and whether it reads on its own. */
  private readonly prepared = new Map<string, Prepared | null>();
  /** The regions read most recently, by prepared key, in a ring of {@link REGION_CACHE} slots. */
  private readonly recentKeys: (string | undefined)[] = new Array<string | undefined>(REGION_CACHE);
  private readonly recentRegions: (Region | undefined)[] = new Array<Region | undefined>(REGION_CACHE);
  private recentNext = 0;
  private singleScans = 0;
  private readonly json: boolean;
  /** Map entries already looked up by {@link keyAt}, by pathKey of the key's path (null: not found). */
  readonly keys = new Map<string, KeySpot | null>();

  constructor(
    readonly text: string,
    syntax: 'yaml' | 'json' = 'yaml',
  ) {
    this.json = syntax === 'json' || /^\s*\{/.test(text.slice(0, 256));
  }

  /** Locates the nodes at `paths` in one pass over the text; lookups at or under them read only their lines. */
  prepare(paths: readonly JsonPath[]): void {
    const missing = new Map<string, JsonPath>();
    for (const path of paths) {
      const key = pathKey(path);
      if (path.length > 0 && !this.prepared.has(key)) missing.set(key, path);
    }
    if (missing.size === 0) return;
    const wanted = [...missing.values()];
    const spans = this.json ? locateSpansInJson(this.text, wanted) : locateSpansInYaml(this.text, wanted);
    for (const [key, path] of missing) {
      const span = spans.get(key);
      this.prepared.set(key, span && !span.item ? { path, span } : null);
    }
  }

  /** The region holding `path`: the longest prepared prefix that could be read on its own. */
  regionOf(path: JsonPath): { root: JsonPath; region: Region } | undefined {
    const found = this.preparedOf(path);
    if (!found) return undefined;
    const region = this.read(found.key, found.entry);
    return region ? { root: found.entry.path, region } : undefined;
  }

  /**
   * Like {@link regionOf}, for callers that need only where the region is written: its nodes are not kept
   * (a region read once is known to read on its own, so it is not read again).
   */
  spanOf(path: JsonPath): { root: JsonPath; span: NodeSpan } | undefined {
    const found = this.preparedOf(path);
    if (!found) return undefined;
    if (found.entry.readable === undefined) this.read(found.key, found.entry);
    return found.entry.readable ? { root: found.entry.path, span: found.entry.span } : undefined;
  }

  /** The longest prepared prefix of `path` whose node was found; undefined where the whole file is needed. */
  private preparedOf(path: JsonPath): { key: string; entry: Prepared } | undefined {
    for (let pass = 0; pass < 2; pass++) {
      for (let length = path.length; length >= 1; length--) {
        const key = pathKey(path.slice(0, length));
        const entry = this.prepared.get(key);
        if (entry) return entry.readable === false ? undefined : { key, entry };
        if (entry === null) return undefined;
      }
      // Not prepared: one scan for this path; past a few, the whole-file parse is cheaper.
      if (pass > 0 || path.length === 0 || this.singleScans >= MAX_SINGLE_SCANS) return undefined;
      this.singleScans++;
      this.prepare([path]);
    }
    return undefined;
  }

  /** The whole file as a `yaml` Document, or undefined when that package reports an error. */
  full(): Document.Parsed | undefined {
    if (this.fullDoc === undefined) {
      const doc = parseDocument(this.text, {
        uniqueKeys: false,
        merge: false,
        keepSourceTokens: false,
        prettyErrors: false,
      });
      this.fullDoc = doc.errors.length > 0 ? null : doc;
    }
    return this.fullDoc ?? undefined;
  }

  /**
   * A prepared node read on its own, from the few kept or anew. Nodes are not kept for every prepared path:
   * a fix of a 20,000-path document prepares 40,000 responses maps, whose nodes took ~230 MB.
   */
  private read(key: string, entry: Prepared): Region | undefined {
    const slot = this.recentKeys.indexOf(key);
    if (slot !== -1) return this.recentRegions[slot];
    if (entry.readable === false) return undefined;
    const node = this.readNode(entry.path, entry.span);
    entry.readable = node !== undefined;
    if (!node) return undefined;
    const region: Region = { node, span: entry.span };
    this.recentKeys[this.recentNext] = key;
    this.recentRegions[this.recentNext] = region;
    this.recentNext = (this.recentNext + 1) % REGION_CACHE;
    return region;
  }

  private readNode(path: JsonPath, span: NodeSpan): Node | undefined {
    const fast = this.json ? undefined : readBlockRegion(this.text, span);
    if (fast) return fast;
    // The `yaml` package on this region alone: the key's line with what precedes the key blanked (YAML), or
    // the member wrapped in braces (JSON), so local offsets map to the file's by one shift.
    const source = this.json
      ? `{${this.text.slice(span.keyStart, span.end)}}`
      : ' '.repeat(span.keyStart - span.lineStart) + this.text.slice(span.keyStart, span.end);
    const base = this.json ? span.keyStart - 1 : span.lineStart;
    const doc = parseDocument(source, { uniqueKeys: false, merge: false, prettyErrors: false });
    const map = doc.contents;
    if (doc.errors.length > 0 || !isMap(map) || map.items.length !== 1) return undefined;
    const pair = map.items[0] as Pair<Node, Node | null>;
    if (keyString(pair) !== String(path[path.length - 1]) || !pair.value) return undefined;
    if (!shiftRanges(pair.value, base)) return undefined;
    return pair.value;
  }
}

/** A prepared path and where its node is written; `readable` once it was read (false: not on its own). */
interface Prepared {
  path: JsonPath;
  span: NodeSpan;
  readable?: boolean;
}

/**
 * Regions whose nodes are kept. Lookups come in document order, several in a row for one region. (A `Map` used
 * as the cache had every region's nodes promoted to the old generation, as garbage, even with 4 entries.)
 */
const REGION_CACHE = 4;

/** A prepared path's node, read on its own, with ranges into the whole text. */
export interface Region {
  node: Node;
  span: NodeSpan;
}

/** Unprepared lookups that each scan the text before the whole-file parse is used instead. */
const MAX_SINGLE_SCANS = 16;

/** Adds `base` to every range; false when the region holds what needs the whole file (aliases, anchors, `<<`). */
function shiftRanges(node: Node | null, base: number): boolean {
  if (node === null) return true;
  if (isAlias(node) || node.anchor || node.range === undefined || node.range === null) return false;
  const [start, valueEnd, nodeEnd] = node.range;
  node.range = [start + base, valueEnd + base, nodeEnd + base];
  if (isMap(node)) {
    return (node.items as Pair<Node, Node | null>[]).every(
      (pair) => !isMergeKey(pair) && shiftRanges(pair.key, base) && shiftRanges(pair.value, base),
    );
  }
  if (isSeq(node)) return (node.items as Node[]).every((item) => shiftRanges(item, base));
  return true;
}

/**
 * The tree of a file. Never undefined any more (kept for callers): a part the readers cannot take is looked
 * up in the whole-file parse, and a lookup there fails when the `yaml` package reports an error.
 */
export function parseTree(text: string, syntax: 'yaml' | 'json' = 'yaml'): SourceTree | undefined {
  return new SourceTree(text, syntax);
}

/**
 * Where a map entry's key is written, and what the path to it crossed: what the plan's passes and the splicer
 * ask of a key, kept (a few numbers) so that a key planned is not read again to be edited.
 */
export interface KeySpot {
  /** Offset of the key node's first character (UTF-16, into the whole text), when it has a range. */
  start: number | undefined;
  /** The key as a scalar with a range (a rename needs its end and quoting); undefined for any other key. */
  scalar: { end: number; type: Scalar.Type | undefined } | undefined;
  /** As in {@link LocatedPair}. */
  viaAlias: boolean;
  viaMerge: boolean;
}

/**
 * {@link pairAt} reduced to a {@link KeySpot}, remembered in the tree: the plan looks every planned key up, so
 * the edit step finds it without reading its region again. Same answer as pairAt (the text never changes).
 */
export function keyAt(tree: SourceTree, mapPath: JsonPath, key: string): KeySpot | undefined {
  const id = pathKey([...mapPath, key]);
  const known = tree.keys.get(id);
  if (known !== undefined) return known ?? undefined;
  const found = pairAt(tree, mapPath, key);
  const spot: KeySpot | null = found
    ? {
        start: found.pair.key.range?.[0],
        scalar:
          isScalar(found.pair.key) && found.pair.key.range
            ? { end: found.pair.key.range[1], type: found.pair.key.type }
            : undefined,
        viaAlias: found.viaAlias,
        viaMerge: found.viaMerge,
      }
    : null;
  tree.keys.set(id, spot);
  return spot ?? undefined;
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
  let node: Node | null;
  let segments: JsonPath;
  const local = tree.regionOf(path);
  if (local) {
    node = local.region.node;
    segments = path.slice(local.root.length);
  } else {
    const doc = tree.full();
    if (!doc) return undefined;
    node = doc.contents;
    segments = path;
  }
  let viaAlias = false;
  let viaMerge = false;
  for (const segment of segments) {
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
  const doc = tree.full();
  return doc ? (node.resolve(doc) ?? undefined) : undefined;
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
