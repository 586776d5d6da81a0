import type { CodeRoute } from './model.js';
import { codePathOf, compareRanks, compareSegments, documentPathKey, type Segments } from './paths.js';
import { RouteIndex } from './route-index.js';

/** An operation of the document, ready to match: its path with and without the server base path. */
export interface SpecOperation {
  /** `GET /accounts/{id}` */
  name: string;
  method: string;
  /**
   * Variants: `base + path` (`viaBase`), then `path` alone (a proxy strips the base); `inferred`: a prefix the
   * code serves the document under that the document does not spell (code-prefix.ts), put in front.
   */
  variants: { segments: Segments; viaBase: boolean; inferred?: true }[];
  mtls: boolean;
  /** The document it is read from, when `--spec` names several (relative to the working folder). */
  document?: string;
  /** The document it is read from, always (relative to the working folder, `/`-separated; absolute outside it). */
  source: string;
  /** Why it is mTLS-secured (scheme 'x', server ..., everywhere, extension). */
  why?: string;
  /**
   * Not mTLS-secured because its author said so: the nearest `x-mtls` marker (operation, path item, root) is
   * `false` (openapi/classify.ts `declaredNotMtls`). A document whose every operation carries it has no mTLS by
   * declaration, and leaving its 403s alone is proven; without it "no mTLS operation" means nothing was checked.
   */
  declaredNotMtls?: true;
}

export interface RouteMatch {
  operation: SpecOperation;
  /** The route answers under the server base path (`true`) or with the base stripped by a proxy. */
  viaBase: boolean;
  /**
   * How closely the route spells the operation's URL: 0 as the document writes it (its stated base path and
   * path, or the path of a document that states no base), 1 with the stated base stripped (a proxy), 2 under a
   * prefix the document does not spell (code-prefix.ts). With several documents, a route goes to the closest.
   */
  fit: number;
  /** Several routes fit the operation equally well, or several operations fit this route: never rewritten. */
  ambiguous: boolean;
}

export interface MatchResult {
  byRoute: Map<CodeRoute, RouteMatch[]>;
  byOperation: Map<SpecOperation, CodeRoute[]>;
  ambiguous: { operation: SpecOperation; routes: CodeRoute[] }[];
}

interface Score {
  path: number[];
  method: number;
  base: number;
  normalized: string;
  viaBase: boolean;
  fit: number;
}

/**
 * Maps code routes to operations (DESIGN / codemod-anchors §5.3): parameter names never matter, static
 * beats parameter beats wildcard segment by segment, methods are exact except that a GET also answers HEAD
 * and `ALL` answers anything. Each operation goes to its best routes; several equally good routes with
 * different paths make it ambiguous. A route no operation picks (`/users/me` beside `/users/:id` when the
 * spec has only `/users/{id}`) matches no operation: it is listed, never guessed. `allows` keeps each
 * operation to the routes of the service its document describes (document-scope.ts; default: every route).
 */
export function matchRoutes(
  routes: readonly CodeRoute[],
  operations: readonly SpecOperation[],
  allows: (route: CodeRoute, operation: SpecOperation) => boolean = () => true,
): MatchResult {
  const byRoute = new Map<CodeRoute, RouteMatch[]>();
  const byOperation = new Map<SpecOperation, CodeRoute[]>();
  const ambiguous: MatchResult['ambiguous'] = [];
  // Per route, by its place in registration order: its alternatives, and each one's segments joined.
  const resolved = routes.filter((r) => !r.unresolved);
  const alternatives = resolved.map((r) => codePathOf(r.path, r.syntax));
  const joined = alternatives.map((list) => list.map((code) => code.join('/')));
  const index = new RouteIndex(resolved.map((route, i) => ({ route, alternatives: alternatives[i] })));
  const add = (route: CodeRoute, match: RouteMatch): void => {
    const list = byRoute.get(route) ?? [];
    if (!list.some((m) => m.operation === match.operation)) list.push(match);
    byRoute.set(route, list);
  };

  // The candidates of one operation, each once, in registration order (a route offered by several variants is
  // taken once: `seen` holds the number of the operation that last took it).
  const seen = new Int32Array(resolved.length).fill(-1);
  const found: number[] = [];
  let current = -1;
  const take = (route: number): void => {
    if (seen[route] === current) return;
    seen[route] = current;
    found.push(route);
  };
  for (const operation of operations) {
    current++;
    found.length = 0;
    // Only routes whose segments can fit a variant of the operation (the index).
    for (const variant of operation.variants) index.eachCandidate(operation.method, variant.segments, take);
    if (!found.length) continue;
    if (found.length > 1) found.sort((a, b) => a - b);
    const scored: { route: CodeRoute; score: Score }[] = [];
    for (const i of found) {
      // A route of another service than the one the operation's document describes (document-scope.ts).
      if (!allows(resolved[i], operation)) continue;
      const score = bestScore(resolved[i], alternatives[i], joined[i], operation);
      if (score) scored.push({ route: resolved[i], score });
    }
    if (!scored.length) continue;
    scored.sort((a, b) => compareScores(a.score, b.score));
    const best = scored[0];
    const top = scored.length === 1 ? scored : scored.filter((s) => compareScores(s.score, best.score) === 0);
    const isAmbiguous = top.length > 1 && new Set(top.map((s) => s.score.normalized)).size > 1;
    byOperation.set(
      operation,
      top.map((s) => s.route),
    );
    if (isAmbiguous) ambiguous.push({ operation, routes: top.map((s) => s.route) });
    for (const s of top)
      add(s.route, { operation, viaBase: s.score.viaBase, fit: s.score.fit, ambiguous: isAmbiguous });
  }
  keepClosestDocuments(byRoute, byOperation, ambiguous);

  // Operations the document spells twice (`/users/{id}` and `/users/{name}`): a route answering both is ambiguous.
  const spelled = new Map<SpecOperation, string>();
  const keyOf = (operation: SpecOperation): string => {
    let key = spelled.get(operation);
    if (key === undefined) {
      key = `${operation.method} ${operation.variants.at(-1)?.segments.join('/') ?? ''}`;
      spelled.set(operation, key);
    }
    return key;
  };
  for (const [route, found] of byRoute) {
    if (found.length < 2) continue; // no group of two
    const groups = new Map<string, RouteMatch[]>();
    for (const m of found) {
      const key = keyOf(m.operation);
      groups.set(key, [...(groups.get(key) ?? []), m]);
    }
    for (const group of groups.values()) {
      // One route in two documents (a partner mTLS API and a public API) is shared, not ambiguous (decide.ts).
      if (group.length < 2 || new Set(group.map((m) => m.operation.document)).size === group.length) continue;
      // Keys that name one request path and differ after a `#` or `?` (`/x#order`, `/x#notify`: paths.ts
      // documentPathKey) are several operations of that one route, not one path spelled twice.
      if (new Set(group.map((m) => documentPathKey(m.operation.name))).size === 1) continue;
      for (const m of group) {
        m.ambiguous = true;
        if (!ambiguous.some((a) => a.operation === m.operation))
          ambiguous.push({ operation: m.operation, routes: [route] });
      }
    }
  }
  return { byRoute, byOperation, ambiguous };
}

/**
 * Several documents given together each keep their own routes: a route operations of two or more documents
 * matched goes to the documents whose operations spell it closest (`RouteMatch.fit`: a document's own base path
 * before a base stripped by a proxy before a prefix it does not spell); the others lose it (their operation keeps
 * its other routes, or has none). Documents that spell the route equally (a partner mTLS API and a public API
 * describing one URL) share it, as before (decide.ts). Changes the maps in place.
 */
function keepClosestDocuments(
  byRoute: Map<CodeRoute, RouteMatch[]>,
  byOperation: Map<SpecOperation, CodeRoute[]>,
  ambiguous: MatchResult['ambiguous'],
): void {
  for (const [route, found] of byRoute) {
    if (found.length < 2 || new Set(found.map((m) => m.operation.source)).size < 2) continue;
    const closest = Math.min(...found.map((m) => m.fit));
    const lost = found.filter((m) => m.fit > closest);
    if (!lost.length) continue;
    byRoute.set(
      route,
      found.filter((m) => m.fit === closest),
    );
    for (const { operation } of lost) {
      const left = (byOperation.get(operation) ?? []).filter((r) => r !== route);
      if (left.length) byOperation.set(operation, left);
      else byOperation.delete(operation);
      const entry = ambiguous.findIndex((a) => a.operation === operation);
      if (entry < 0) continue;
      const routes = ambiguous[entry].routes.filter((r) => r !== route);
      // One route left: no longer ambiguous between routes.
      if (routes.length > 1) ambiguous[entry] = { operation, routes };
      else {
        ambiguous.splice(entry, 1);
        for (const r of routes)
          for (const m of byRoute.get(r) ?? []) if (m.operation === operation) m.ambiguous = false;
      }
    }
  }
}

function bestScore(
  route: CodeRoute,
  alternatives: readonly (readonly string[])[],
  joined: readonly string[],
  operation: SpecOperation,
): Score | undefined {
  const method = methodRank(route.method, operation.method);
  if (method === undefined) return undefined;
  const statesBase = operation.variants.some((v) => v.viaBase && !v.inferred);
  let best: Score | undefined;
  for (let a = 0; a < alternatives.length; a++) {
    const code = alternatives[a];
    for (const variant of operation.variants) {
      const path = compareSegments(code, variant.segments);
      if (!path) continue;
      const score: Score = {
        path,
        method,
        base: variant.viaBase ? 0 : 1,
        normalized: joined[a],
        viaBase: variant.viaBase,
        fit: variant.inferred ? 2 : !variant.viaBase && statesBase ? 1 : 0,
      };
      if (!best || compareScores(score, best) < 0) best = score;
    }
  }
  return best;
}

function compareScores(a: Score, b: Score): number {
  return comparePaths(a.path, b.path) || a.method - b.method || a.base - b.base;
}

/**
 * Segment ranks compared (compareRanks), except that two paths that both match segment for segment (every rank
 * 0) tie whatever their lengths: the document's `/` under server `/api` is `GET /api` (the exact method, with the
 * base path) before an `ALL /` (a shorter path, the base path stripped).
 */
function comparePaths(a: readonly number[], b: readonly number[]): number {
  if (a.every((r) => r === 0) && b.every((r) => r === 0)) return 0;
  return compareRanks(a, b);
}

/** 0 exact, 1 a GET answering HEAD, 2 a catch-all method; undefined when the route never answers it. */
export function methodRank(code: string, spec: string): number | undefined {
  if (code === spec) return 0;
  if (code === 'GET' && spec === 'HEAD') return 1;
  if (code === 'ALL' || code === 'USE') return 2;
  return undefined;
}
