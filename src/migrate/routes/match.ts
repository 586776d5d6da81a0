import type { CodeRoute } from './model.js';
import { compareRanks, compareSegments, parseCodePath, type Segments } from './paths.js';
import { RouteIndex } from './route-index.js';

/** An operation of the document, ready to match: its path with and without the server base path. */
export interface SpecOperation {
  /** `GET /accounts/{id}` */
  name: string;
  method: string;
  /** Variants: `base + path` (`viaBase`), then `path` alone (a proxy strips the base). */
  variants: { segments: Segments; viaBase: boolean }[];
  mtls: boolean;
  /** The document it is read from, when `--spec` names several (relative to the working folder). */
  document?: string;
  /** Why it is mTLS-secured (scheme 'x', server ..., everywhere, extension). */
  why?: string;
}

export interface RouteMatch {
  operation: SpecOperation;
  /** The route answers under the server base path (`true`) or with the base stripped by a proxy. */
  viaBase: boolean;
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
}

/**
 * Maps code routes to operations (DESIGN / codemod-anchors §5.3): parameter names never matter, static
 * beats parameter beats wildcard segment by segment, methods are exact except that a GET also answers HEAD
 * and `ALL` answers anything. Each operation goes to its best routes; several equally good routes with
 * different paths make it ambiguous. A route no operation picks (`/users/me` beside `/users/:id` when the
 * spec has only `/users/{id}`) matches no operation: it is listed, never guessed.
 */
export function matchRoutes(routes: readonly CodeRoute[], operations: readonly SpecOperation[]): MatchResult {
  const byRoute = new Map<CodeRoute, RouteMatch[]>();
  const byOperation = new Map<SpecOperation, CodeRoute[]>();
  const ambiguous: MatchResult['ambiguous'] = [];
  const resolved = routes.filter((r) => !r.unresolved);
  const alternatives = new Map(resolved.map((r) => [r, parseCodePath(r.path, r.syntax)]));
  const order = new Map(resolved.map((r, i) => [r, i]));
  const index = new RouteIndex([...alternatives].map(([route, list]) => ({ route, alternatives: list })));
  const add = (route: CodeRoute, match: RouteMatch): void => {
    const list = byRoute.get(route) ?? [];
    if (!list.some((m) => m.operation === match.operation)) list.push(match);
    byRoute.set(route, list);
  };

  for (const operation of operations) {
    // Only routes whose segments can fit a variant of the operation (the index), in registration order.
    const candidates = new Set<CodeRoute>();
    for (const variant of operation.variants)
      for (const route of index.candidates(operation.method, variant.segments)) candidates.add(route);
    if (!candidates.size) continue;
    const scored = [...candidates]
      .sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
      .map((route) => ({ route, score: bestScore(route, alternatives.get(route) ?? [], operation) }))
      .filter((s): s is { route: CodeRoute; score: Score } => s.score !== undefined);
    if (!scored.length) continue;
    scored.sort((a, b) => compareScores(a.score, b.score));
    const best = scored[0];
    if (!best) continue;
    const top = scored.filter((s) => compareScores(s.score, best.score) === 0);
    const isAmbiguous = new Set(top.map((s) => s.score.normalized)).size > 1;
    byOperation.set(
      operation,
      top.map((s) => s.route),
    );
    if (isAmbiguous) ambiguous.push({ operation, routes: top.map((s) => s.route) });
    for (const s of top) add(s.route, { operation, viaBase: s.score.viaBase, ambiguous: isAmbiguous });
  }

  // Operations the document spells twice (`/users/{id}` and `/users/{name}`): a route answering both is ambiguous.
  for (const [route, found] of byRoute) {
    const groups = new Map<string, RouteMatch[]>();
    for (const m of found) {
      const key = `${m.operation.method} ${m.operation.variants.at(-1)?.segments.join('/') ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), m]);
    }
    for (const group of groups.values()) {
      // One route in two documents (a partner mTLS API and a public API) is shared, not ambiguous (decide.ts).
      if (group.length < 2 || new Set(group.map((m) => m.operation.document)).size === group.length) continue;
      for (const m of group) {
        m.ambiguous = true;
        if (!ambiguous.some((a) => a.operation === m.operation))
          ambiguous.push({ operation: m.operation, routes: [route] });
      }
    }
  }
  return { byRoute, byOperation, ambiguous };
}

function bestScore(route: CodeRoute, alternatives: Segments[], operation: SpecOperation): Score | undefined {
  const method = methodRank(route.method, operation.method);
  if (method === undefined) return undefined;
  let best: Score | undefined;
  for (const code of alternatives) {
    for (const variant of operation.variants) {
      const path = compareSegments(code, variant.segments);
      if (!path) continue;
      const score: Score = {
        path,
        method,
        base: variant.viaBase ? 0 : 1,
        normalized: code.join('/'),
        viaBase: variant.viaBase,
      };
      if (!best || compareScores(score, best) < 0) best = score;
    }
  }
  return best;
}

function compareScores(a: Score, b: Score): number {
  return compareRanks(a.path, b.path) || a.method - b.method || a.base - b.base;
}

/** 0 exact, 1 a GET answering HEAD, 2 a catch-all method; undefined when the route never answers it. */
function methodRank(code: string, spec: string): number | undefined {
  if (code === spec) return 0;
  if (code === 'GET' && spec === 'HEAD') return 1;
  if (code === 'ALL' || code === 'USE') return 2;
  return undefined;
}
