import type { CodeRoute } from './model.js';
import { OPTIONAL_WILDCARD, PARAM, WILDCARD, type Segments } from './paths.js';

interface TrieNode {
  /** Children by literal segment (lower-cased; mixed segments such as `{}.json` are literals here). */
  literal: Map<string, TrieNode>;
  /** The child for a parameter segment `{}`. */
  param?: TrieNode;
  /** Routes whose path ends here. */
  ends: CodeRoute[];
  /** Routes with a wildcard at this depth: the rest is checked by the caller's exact comparison. */
  wildcards: CodeRoute[];
}

const node = (): TrieNode => ({ literal: new Map(), ends: [], wildcards: [] });

/**
 * Code routes indexed by method and by their segments (a trie per method), so each operation meets only
 * the routes whose segments can fit it instead of every route (issue 9 §3: all-pairs matching was half of
 * a `--spec` run at 8,000 routes). `candidates` is a filter, never a judge: it returns every route some
 * alternative of which could match (a superset), and `matchRoutes` scores those exactly as before.
 */
export class RouteIndex {
  private readonly byMethod = new Map<string, TrieNode>();

  constructor(routes: Iterable<{ route: CodeRoute; alternatives: Segments[] }>) {
    for (const { route, alternatives } of routes) {
      let root = this.byMethod.get(route.method);
      if (!root) {
        root = node();
        this.byMethod.set(route.method, root);
      }
      for (const segments of alternatives) insert(root, route, segments);
    }
  }

  /** Routes that may answer `method` on a path of `segments` (methods: exact, GET for HEAD, ALL and USE). */
  candidates(method: string, segments: Segments): Set<CodeRoute> {
    const out = new Set<CodeRoute>();
    const methods = [method, ...(method === 'HEAD' ? ['GET'] : []), 'ALL', 'USE'];
    for (const m of new Set(methods)) {
      const root = this.byMethod.get(m);
      if (root) collect(root, segments, 0, out);
    }
    return out;
  }
}

function insert(root: TrieNode, route: CodeRoute, segments: Segments): void {
  let current = root;
  for (const segment of segments) {
    if (segment === WILDCARD || segment === OPTIONAL_WILDCARD) {
      current.wildcards.push(route);
      return;
    }
    let next: TrieNode | undefined;
    if (segment === PARAM) {
      current.param ??= node();
      next = current.param;
    } else {
      next = current.literal.get(segment);
      if (!next) {
        next = node();
        current.literal.set(segment, next);
      }
    }
    current = next;
  }
  current.ends.push(route);
}

/** The walk mirrors `compareSegment`: same literal, a code parameter for anything, a code literal for a spec parameter. */
function collect(current: TrieNode, spec: Segments, depth: number, out: Set<CodeRoute>): void {
  for (const route of current.wildcards) out.add(route);
  const segment = spec[depth];
  if (segment === undefined) {
    for (const route of current.ends) out.add(route);
    return;
  }
  if (segment === PARAM) {
    for (const child of current.literal.values()) collect(child, spec, depth + 1, out);
  } else {
    const child = current.literal.get(segment);
    if (child) collect(child, spec, depth + 1, out);
  }
  if (current.param) collect(current.param, spec, depth + 1, out);
}
