import { isAlias, isMap, isScalar, isSeq, Scalar, type Document, type Node, type Pair } from 'yaml';
import { pathKey } from '../openapi/locate-yaml.js';
import type { JsonPath } from '../openapi/pointer.js';
import { keyString, type SourceTree } from './yaml-ast.js';

/**
 * A place that reads a node shared through a YAML anchor: the anchor itself (`'403': &forbidden`), an alias
 * (`'403': *forbidden`) or a merge key (`<<: *forbidden`, whose place is the merging map).
 */
export interface AnchorSite {
  kind: 'anchor' | 'alias' | 'merge';
  /** The path as written (no alias followed on the way): the anchored or aliased value's, or the merging map's. */
  path: JsonPath;
  /** UTF-16 offset, into the whole text, of the entry's key (of the node for a sequence item or the root). */
  offset: number;
}

/** A node with an anchor that at least one alias or merge key reads: every other reader sees an edit made in it. */
export interface SharedAnchor {
  /** The anchor's name, without `&`. */
  anchor: string;
  /** Every place that reads the node: the anchor first, then each alias or merge key in text order. */
  sites: AnchorSite[];
}

/** A shared node found on the way to, or inside, a node a fix would edit or remove, and who else reads it. */
export interface AnchorConflict {
  shared: SharedAnchor;
  /** The readers other than the edit's own way there (at least one). */
  others: AnchorSite[];
}

const indexes = new WeakMap<SourceTree, Map<Node, SharedAnchor>>();

/** An alias token (`*name` after a space, `[`, `{`, `,` or at a line's start): a file without one shares nothing. */
const ALIAS_TOKEN = /(?:^|[\s,[{])\*[^\s,[\]{}*]/m;

/**
 * The nodes of a file that carry an anchor read by an alias or merge key elsewhere, by node of the tree's
 * whole-file parse (see {@link SourceTree.full}); empty when the text has no alias (JSON never does) or the
 * `yaml` package reports an error (the edit step then refuses the file anyway). Built once per tree.
 */
export function sharedAnchors(tree: SourceTree): Map<Node, SharedAnchor> {
  let index = indexes.get(tree);
  if (index) return index;
  index = new Map();
  indexes.set(tree, index);
  const doc = ALIAS_TOKEN.test(tree.text) ? tree.full() : undefined;
  if (!doc) return index;
  const anchors = new Map<Node, AnchorSite>();
  const reads: { target: Node; site: AnchorSite }[] = [];
  const visit = (node: Node | null, path: JsonPath, offset: number): void => {
    if (node === null) return;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target) reads.push({ target, site: { kind: 'alias', path, offset } });
      return;
    }
    if (node.anchor) anchors.set(node, { kind: 'anchor', path, offset });
    if (isMap(node)) {
      for (const pair of node.items as Pair<Node, Node | null>[]) {
        const at = pair.key?.range?.[0] ?? offset;
        if (isMergeKey(pair)) {
          const sources = isSeq(pair.value) ? (pair.value.items as Node[]) : [pair.value];
          for (const source of sources) {
            if (!isAlias(source)) continue;
            const target = source.resolve(doc);
            if (target) reads.push({ target, site: { kind: 'merge', path, offset: at } });
          }
          continue;
        }
        const name = keyString(pair);
        if (name !== undefined) visit(pair.value, [...path, name], at);
      }
    } else if (isSeq(node)) {
      (node.items as Node[]).forEach((item, index) =>
        visit(item, [...path, index], item.range?.[0] ?? offset),
      );
    }
  };
  visit(doc.contents, [], 0);
  for (const { target, site } of reads) {
    const anchor = anchors.get(target);
    if (!anchor || !target.anchor) continue;
    const entry = index.get(target) ?? { anchor: target.anchor, sites: [anchor] };
    entry.sites.push(site);
    index.set(target, entry);
  }
  return index;
}

/**
 * The shared nodes the way to `path` crosses (aliases and merge keys followed, as the model reads the path),
 * from the node at depth `from` (0: the root) to the node at `path` itself, with who else reads each. A site is
 * left out of `others` when `accounted(site, depth)` says it is a reader the caller has already accounted for
 * (`depth`: where on `path` the shared node is). Returns the first node with another reader, or undefined.
 */
export function sharedOnTheWay(
  tree: SourceTree,
  path: JsonPath,
  from: number,
  accounted: (site: AnchorSite, depth: number) => boolean,
): AnchorConflict | undefined {
  const index = sharedAnchors(tree);
  if (index.size === 0) return undefined;
  const crossed = nodesOnTheWay(tree, path);
  if (!crossed) return undefined;
  for (const { node, depth } of crossed) {
    if (depth < from) continue;
    const shared = index.get(node);
    if (!shared) continue;
    const others = shared.sites.filter((site) => !accounted(site, depth));
    if (others.length > 0) return { shared, others };
  }
  return undefined;
}

/**
 * The readers of `path` itself when only the way as written is its own: a shared node from depth `from` on is
 * another reader's unless it is the anchor written at the very path the way takes (reached through an alias,
 * the anchor and every other alias read it too).
 */
export function sharedFrom(tree: SourceTree, path: JsonPath, from: number): AnchorConflict | undefined {
  return sharedOnTheWay(
    tree,
    path,
    from,
    (site, depth) => site.kind === 'anchor' && pathKey(site.path) === pathKey(path.slice(0, depth)),
  );
}

/**
 * A node inside the one at `path` (that node included) whose anchor an alias or merge key outside it reads:
 * removing the node at `path` would leave that alias undefined (the document would not parse). Undefined when
 * none, or when the path cannot be followed (the caller's own checks name that).
 */
export function aliasedFromOutside(tree: SourceTree, path: JsonPath): AnchorConflict | undefined {
  const index = sharedAnchors(tree);
  if (index.size === 0) return undefined;
  const crossed = nodesOnTheWay(tree, path);
  const last = crossed?.[crossed.length - 1];
  if (!last || last.depth !== path.length) return undefined;
  const written = last.written;
  const inside = (site: AnchorSite): boolean =>
    site.path.length >= written.length &&
    written.every((segment, i) => String(site.path[i]) === String(segment));
  for (const shared of index.values()) {
    if (!inside(shared.sites[0])) continue;
    const others = shared.sites.filter((site) => !inside(site));
    if (others.length > 0) return { shared, others };
  }
  return undefined;
}

/** A node on the way to a path: its depth on the path, and the path where it is written (no alias followed). */
interface Crossed {
  node: Node;
  depth: number;
  written: JsonPath;
}

/** Every node the way to `path` crosses in the whole-file parse, the root first; undefined when it leads nowhere. */
function nodesOnTheWay(tree: SourceTree, path: JsonPath): Crossed[] | undefined {
  const doc = tree.full();
  if (!doc) return undefined;
  const index = sharedAnchors(tree);
  const crossed: Crossed[] = [];
  let node: Node | null = doc.contents;
  let written: JsonPath = [];
  for (let depth = 0; ; depth++) {
    const resolved = resolve(doc, node);
    if (!resolved) return undefined;
    if (resolved !== node) written = index.get(resolved)?.sites[0].path ?? written;
    crossed.push({ node: resolved, depth, written });
    if (depth === path.length) return crossed;
    const segment = path[depth];
    if (isMap(resolved)) {
      const found = lookup(
        doc,
        index,
        resolved.items as Pair<Node, Node | null>[],
        String(segment),
        written,
        0,
      );
      if (!found) return undefined;
      // A map a merge key brings in is crossed too: its anchor's other readers see the entry.
      for (const source of found.through) crossed.push({ node: source, depth, written });
      node = found.pair.value;
      written = [...found.written, String(segment)];
    } else if (isSeq(resolved) && typeof segment === 'number') {
      node = (resolved.items[segment] as Node | undefined) ?? null;
      written = [...written, segment];
    } else {
      return undefined;
    }
  }
}

/** A map's own entry `key`, else the first merged map's (`<<: *a`, `<<: [*a, *b]`), and the merged maps crossed. */
function lookup(
  doc: Document,
  index: Map<Node, SharedAnchor>,
  items: Pair<Node, Node | null>[],
  key: string,
  written: JsonPath,
  depth: number,
): { pair: Pair<Node, Node | null>; through: Node[]; written: JsonPath } | undefined {
  let own: Pair<Node, Node | null> | undefined;
  for (const pair of items) if (keyString(pair) === key) own = pair; // duplicate keys: the last wins
  if (own) return { pair: own, through: [], written };
  if (depth > 32) return undefined;
  for (const pair of items) {
    if (!isMergeKey(pair)) continue;
    const sources = isSeq(pair.value) ? (pair.value.items as Node[]) : [pair.value];
    for (const source of sources) {
      const map = resolve(doc, source);
      if (!map || !isMap(map)) continue;
      const at = map !== source ? (index.get(map)?.sites[0].path ?? written) : written;
      const found = lookup(doc, index, map.items as Pair<Node, Node | null>[], key, at, depth + 1);
      if (found) return { ...found, through: [map, ...found.through] };
    }
  }
  return undefined;
}

function resolve(doc: Document, node: Node | null): Node | undefined {
  if (node === null) return undefined;
  return isAlias(node) ? (node.resolve(doc) ?? undefined) : node;
}

function isMergeKey(pair: Pair<Node, Node | null>): boolean {
  return isScalar(pair.key) && pair.key.type === Scalar.PLAIN && pair.key.value === '<<';
}
