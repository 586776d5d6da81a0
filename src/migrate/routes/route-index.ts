import type { CodeRoute } from './model.js';
import { OPTIONAL_WILDCARD, PARAM, WILDCARD, type Segments } from './paths.js';

interface TrieNode {
  /** Children by literal segment (lower-cased; mixed segments such as `{}.json` are literals here). */
  literal?: Map<string, TrieNode>;
  /** The child for a parameter segment `{}`. */
  param?: TrieNode;
  /** Routes (their index in the order given) whose path ends here. */
  ends?: number[];
  /** Routes with a wildcard at this depth: the rest is checked by the caller's exact comparison. */
  wildcards?: number[];
}

/** A node with nothing yet (its tables are made when first needed: most nodes of a big trie have one child). */
const node = (): TrieNode => ({});

/**
 * Code routes indexed by method and by their segments (a trie per method), so each operation meets only
 * the routes whose segments can fit it instead of every route (issue 9 §3: all-pairs matching was half of
 * a `--spec` run at 8,000 routes). `candidates` is a filter, never a judge: it returns every route some
 * alternative of which could match (a superset), and `matchRoutes` scores those exactly as before.
 */
export class RouteIndex {
  private readonly byMethod = new Map<string, TrieNode>();
  private readonly routes: CodeRoute[] = [];

  constructor(routes: Iterable<{ route: CodeRoute; alternatives: readonly (readonly string[])[] }>) {
    for (const { route, alternatives } of routes) {
      const index = this.routes.push(route) - 1;
      let root = this.byMethod.get(route.method);
      if (!root) {
        root = node();
        this.byMethod.set(route.method, root);
      }
      for (const segments of alternatives) insert(root, index, segments);
    }
  }

  /** Routes that may answer `method` on a path of `segments` (methods: exact, GET for HEAD, ALL and USE). */
  candidates(method: string, segments: Segments): Set<CodeRoute> {
    const out = new Set<CodeRoute>();
    this.eachCandidate(method, segments, (index) => out.add(this.routes[index]));
    return out;
  }

  /**
   * `candidates` as indices into the routes in the order the index was made, each passed to `visit` (one
   * route may be passed more than once): for a caller that keeps its own per-route tables in that order.
   */
  eachCandidate(method: string, segments: Segments, visit: (index: number) => void): void {
    this.visitRoot(method, segments, visit);
    if (method === 'HEAD') this.visitRoot('GET', segments, visit);
    if (method !== 'ALL') this.visitRoot('ALL', segments, visit);
    if (method !== 'USE') this.visitRoot('USE', segments, visit);
  }

  private visitRoot(method: string, segments: Segments, visit: (index: number) => void): void {
    const root = this.byMethod.get(method);
    if (root) collect(root, segments, 0, visit);
  }
}

function insert(root: TrieNode, route: number, segments: readonly string[]): void {
  let current = root;
  for (const segment of segments) {
    if (segment === WILDCARD || segment === OPTIONAL_WILDCARD) {
      (current.wildcards ??= []).push(route);
      return;
    }
    let next: TrieNode | undefined;
    if (segment === PARAM) {
      current.param ??= node();
      next = current.param;
    } else {
      const literal = (current.literal ??= new Map<string, TrieNode>());
      next = literal.get(segment);
      if (!next) {
        next = node();
        literal.set(segment, next);
      }
    }
    current = next;
  }
  (current.ends ??= []).push(route);
}

/** The walk mirrors `compareSegment`: same literal, a code parameter for anything, a code literal for a spec parameter. */
function collect(current: TrieNode, spec: Segments, depth: number, visit: (index: number) => void): void {
  if (current.wildcards) for (const route of current.wildcards) visit(route);
  const segment = spec[depth];
  if (segment === undefined) {
    if (current.ends) for (const route of current.ends) visit(route);
    return;
  }
  if (current.literal) {
    if (segment === PARAM) {
      for (const child of current.literal.values()) collect(child, spec, depth + 1, visit);
    } else {
      const child = current.literal.get(segment);
      if (child) collect(child, spec, depth + 1, visit);
    }
  }
  if (current.param) collect(current.param, spec, depth + 1, visit);
}
