import type { MatchResult, SpecOperation } from './match.js';
import type { CodeRoute } from './model.js';
import { compareSegments, OPTIONAL_WILDCARD, PARAM, codePathOf, WILDCARD, type Segments } from './paths.js';

/**
 * A path prefix the code serves a document's paths under while the document leaves it out (neither its paths nor
 * its `servers` / `basePath` spell it): Express `app.use('/v1', router)`, a hapi plugin's `routes: { prefix }`,
 * a Fastify `register(plugin, { prefix })`, when a proxy or the document's author drops it.
 */
export interface CodePrefix {
  /** The document it was found for (relative to the working folder). */
  document: string;
  /** `/v1` */
  prefix: string;
  /** How many of the document's operations it lets match (none matched without it). */
  operations: number;
}

/**
 * An operation a route answers under a static prefix the code uses for no other operation of the document (the
 * one route `/api/uploads/receipt` for the document's `/uploads/receipt`): not matched, since one route sitting
 * deeper proves no prefix (`/status` against an admin router's `/admin/status` would match just as well), but
 * named with that route on the operation's "no handler found" entry.
 */
export interface NearMiss {
  operation: SpecOperation;
  prefix: string;
  route: CodeRoute;
  /**
   * The base path the operation's document states (`/api/v1`: Swagger `basePath`, an OAS 3 server URL's path)
   * when the route spells `prefix` in its place: the document contradicts the prefix, so it is never taken, however
   * many operations show it (io-backend: `api_backend.yaml`, `basePath: /api/v1`, against the routes of another
   * API under `/api/identity/v1`). Not a reason for review: the route is another API's until the document says
   * otherwise.
   */
  contradicts?: string;
  /**
   * Another document given with it whose stated base path `prefix` is (`--spec legacy.yaml --spec card.yaml`,
   * card.yaml at `/api/card/v1`): that document's route, never taken for this one.
   */
  document?: string;
}

/** The longest prefix tried, in segments (`/api/v1/internal`). */
const MAX_PREFIX = 3;

/**
 * After a first match, the operations of each document that no route answered are tried against the code's
 * routes with one static prefix in front (`/v1` + `/orders/{id}` against `/v1/orders/:id`). A prefix is taken
 * when it explains at least two operations and at least as many as the document matched without any prefix (a
 * prefix the code uses for most of the document, not one route that happens to sit deeper); several prefixes
 * explaining the same number are all taken, so an operation both explain matches two routes and comes out
 * ambiguous (never rewritten). Rounds repeat for the operations still unmatched (a second mount point).
 *
 * An operation whose document states a base path (a Swagger `basePath` or an OAS 3 server URL path other than
 * `/`) takes a prefix only in front of that base (`/api` + `/orders-service` + path: the code serves the base
 * the document spells, mounted deeper); a prefix in place of the base contradicts the document and is never
 * taken: the operation's entry names the route (`NearMiss.contradicts`). With several documents, a route another
 * document's operation already matched, or one under a prefix that another document states as its base, explains
 * nothing: it is that document's route.
 *
 * Each taken prefix is added to its operations as a variant `prefix + base + path` (viaBase and `inferred`: a
 * base path the code serves), so the caller matches again. Only operations with no match get it: one that
 * matched keeps its route. Returns the prefixes taken (empty: nothing changed) and the operations left unmatched
 * that a route answers under a prefix not taken (`nearMisses`, by design not matched: see `NearMiss`). Catch-all
 * routes (`ALL`, `use`, wildcards) explain no prefix.
 */
export function inferCodePrefixes(
  routes: readonly CodeRoute[],
  operations: readonly SpecOperation[],
  match: MatchResult,
  allows: (route: CodeRoute, operation: SpecOperation) => boolean,
): { taken: CodePrefix[]; nearMisses: NearMiss[] } {
  const taken: CodePrefix[] = [];
  const nearMisses: NearMiss[] = [];
  // An operation only a catch-all answers (a single-page app's `app.get('*')`) is tried too: a route that serves it
  // under a prefix is its handler, not the fallback (automatisch: GET /users went to web-ui-handler's `*`).
  const answered = (o: SpecOperation): boolean =>
    (match.byOperation.get(o) ?? []).some((r) => !isCatchAll(r));
  const unmatched = operations.filter((o) => !answered(o));
  if (!unmatched.length) return { taken, nearMisses };
  const index = tailIndex(routes);
  if (!index.size) return { taken, nearMisses };
  // Each document's stated bases (read before any prefix variant is added), and who first matched each route.
  const bases = new Map<SpecOperation, string[]>();
  const basesByDocument = new Map<string, Set<string>>();
  for (const operation of operations) {
    const own = statedBases(operation);
    bases.set(operation, own);
    const set = basesByDocument.get(operation.source) ?? new Set<string>();
    for (const base of own) set.add(base);
    basesByDocument.set(operation.source, set);
  }
  const claimedBy = (route: CodeRoute, document: string): boolean =>
    (match.byRoute.get(route) ?? []).some((m) => m.operation.source !== document);
  const otherBase = (prefix: string, document: string): string | undefined =>
    [...basesByDocument].find(([other, set]) => other !== document && set.has(prefix))?.[0];
  const byDocument = new Map<string, SpecOperation[]>();
  for (const operation of unmatched)
    byDocument.set(operation.source, [...(byDocument.get(operation.source) ?? []), operation]);
  for (const [document, list] of byDocument) {
    const direct = operations.filter((o) => o.source === document && answered(o)).length;
    // Per operation, the prefixes (joined segments) that let it match some route of its service.
    const explains = new Map<SpecOperation, Map<string, Explained>>();
    for (const operation of list) {
      const found = prefixesOf(
        operation,
        index,
        (route, o) => allows(route, o) && !claimedBy(route, document),
      );
      // A prefix in place of the base the document states contradicts it: named, never taken.
      const stated = bases.get(operation) ?? [];
      for (const [key, explained] of found) {
        const prefix = `/${explained.segments.join('/')}`;
        const other = otherBase(prefix, document);
        if (stated.length && !explained.viaBase) {
          nearMisses.push({ operation, prefix, route: explained.route, contradicts: stated[0] });
          found.delete(key);
        } else if (other) {
          // Another given document states this prefix as its base: its route, not this document's.
          nearMisses.push({ operation, prefix, route: explained.route, document: other });
          found.delete(key);
        }
      }
      explains.set(operation, found);
    }
    let remaining = list.filter((o) => explains.get(o)?.size);
    while (remaining.length) {
      const counts = new Map<string, { segments: Segments; count: number }>();
      for (const operation of remaining)
        for (const [key, { segments }] of explains.get(operation) ?? [])
          counts.set(key, { segments, count: (counts.get(key)?.count ?? 0) + 1 });
      const best = Math.max(0, ...[...counts.values()].map((c) => c.count));
      if (best < 2 || best < direct) break;
      const chosen = [...counts.entries()].filter(([, c]) => c.count === best);
      for (const [key, { segments }] of chosen) {
        for (const operation of remaining) {
          if (!explains.get(operation)?.has(key)) continue;
          addPrefixVariants(operation, segments);
        }
        taken.push({ document, prefix: `/${segments.join('/')}`, operations: best });
      }
      const keys = new Set(chosen.map(([key]) => key));
      remaining = remaining.filter((o) => ![...(explains.get(o)?.keys() ?? [])].some((k) => keys.has(k)));
    }
    for (const operation of remaining)
      for (const { segments, route } of explains.get(operation)?.values() ?? [])
        nearMisses.push({ operation, prefix: `/${segments.join('/')}`, route });
  }
  return { taken, nearMisses };
}

/**
 * Whether every spelling of the route's path is wildcards only (`*`, `/*`, `/(.*)`): a fallback (a single-page app's
 * index, a 404 page), never an operation's own handler when a route of the operation's words serves it elsewhere.
 */
export function isCatchAll(route: CodeRoute): boolean {
  const alternatives = codePathOf(route.path, route.syntax);
  return (
    alternatives.length > 0 &&
    alternatives.every((s) => s.length > 0 && s.every((x) => x === WILDCARD || x === OPTIONAL_WILDCARD))
  );
}

/**
 * Drops the catch-all matches of the operations a near miss names (a route of their own words serves them under a
 * prefix the document does not spell, or in place of its stated base: `nearMisses` of {@link inferCodePrefixes}, not
 * another given document's): such an operation answered only by a fallback is listed with no handler found and where
 * it is served, never counted as handled by the fallback (where a 403 of its real handler would be left alone and
 * `--check` pass). Changes `match` in place.
 */
export function dropCatchAllMatches(match: MatchResult, nearMisses: readonly NearMiss[]): void {
  const named = new Set(nearMisses.filter((m) => !m.document).map((m) => m.operation));
  for (const operation of named) {
    const routes = match.byOperation.get(operation) ?? [];
    if (!routes.length || !routes.every(isCatchAll)) continue;
    match.byOperation.delete(operation);
    for (const route of routes) {
      const left = (match.byRoute.get(route) ?? []).filter((m) => m.operation !== operation);
      if (left.length) match.byRoute.set(route, left);
      else match.byRoute.delete(route);
    }
    const entry = match.ambiguous.findIndex((a) => a.operation === operation);
    if (entry >= 0) match.ambiguous.splice(entry, 1);
  }
}

/** A prefix that lets an operation match, and the first route it matches under it. */
interface Explained {
  segments: Segments;
  route: CodeRoute;
  /** Found in front of the base path the document states (the route spells that base). */
  viaBase: boolean;
}

/**
 * The base paths an operation's document states for it (`/api/v1`), from its variants that carry one, in their
 * order; empty when it states none (no `basePath`, `/`, a server URL with no path, no servers).
 */
export function statedBases(operation: SpecOperation): string[] {
  const plain = operation.variants.find((v) => !v.viaBase)?.segments.length ?? 0;
  const out: string[] = [];
  for (const variant of operation.variants) {
    if (!variant.viaBase || variant.inferred) continue;
    const base = `/${variant.segments.slice(0, variant.segments.length - plain).join('/')}`;
    if (base !== '/' && !out.includes(base)) out.push(base);
  }
  return out;
}

interface IndexedRoute {
  route: CodeRoute;
  segments: readonly string[];
}

/**
 * Routes with an exact method and no wildcard, by method and last segment (a literal, or `{}` for a parameter):
 * an operation is compared only with the routes that can end as its path does.
 */
function tailIndex(routes: readonly CodeRoute[]): Map<string, IndexedRoute[]> {
  const index = new Map<string, IndexedRoute[]>();
  for (const route of routes) {
    if (route.unresolved || route.prefix || route.method === 'ALL' || route.method === 'USE') continue;
    for (const segments of codePathOf(route.path, route.syntax)) {
      if (segments.some((s) => s === WILDCARD || s === OPTIONAL_WILDCARD)) continue;
      const last = segments.at(-1);
      if (last === undefined) continue;
      const key = `${route.method} ${last.includes(PARAM) ? PARAM : last}`;
      index.set(key, [...(index.get(key) ?? []), { route, segments }]);
    }
  }
  return index;
}

function prefixesOf(
  operation: SpecOperation,
  index: ReadonlyMap<string, IndexedRoute[]>,
  allows: (route: CodeRoute, operation: SpecOperation) => boolean,
): Map<string, Explained> {
  const found = new Map<string, Explained>();
  const methods = operation.method === 'HEAD' ? ['HEAD', 'GET'] : [operation.method];
  // The variants with the server base path first: a prefix found in front of one (`/api` + `/orders-service` +
  // path) is the one the code adds, and the same route is not counted again as `/api/orders-service` + path.
  for (const variant of [...operation.variants].sort((a, b) => Number(b.viaBase) - Number(a.viaBase))) {
    if (!variant.viaBase && found.size) break;
    const last = variant.segments.at(-1);
    if (last === undefined) continue;
    const tails = last.includes(PARAM) ? [PARAM] : [last, PARAM];
    for (const method of methods)
      for (const tail of tails)
        for (const { route, segments } of index.get(`${method} ${tail}`) ?? []) {
          const extra = segments.length - variant.segments.length;
          if (extra < 1 || extra > MAX_PREFIX) continue;
          const prefix = segments.slice(0, extra);
          // A static prefix only: a parameter in front is a run-time mount, not a prefix the document dropped.
          if (prefix.some((s) => s.includes(PARAM))) continue;
          if (!compareSegments(segments.slice(extra), variant.segments)) continue;
          // The operation's own words must be the route's: `/contacts` is no `/api/v1/alerts` + `/:id` (a route
          // parameter taking a literal segment of the document proves no prefix; didsecplus, since session 30).
          if (!literalsKept(segments.slice(extra), variant.segments)) continue;
          if (!allows(route, operation)) continue;
          if (!found.has(prefix.join('/')))
            found.set(prefix.join('/'), { segments: prefix, route, viaBase: variant.viaBase });
        }
  }
  return found;
}

/**
 * Whether every literal segment of the operation meets the same literal in the route (case-insensitive), not a
 * route parameter.
 */
function literalsKept(route: Segments, operation: Segments): boolean {
  return operation.every((segment, i) => {
    if (segment.includes(PARAM) || segment === WILDCARD || segment === OPTIONAL_WILDCARD) return true;
    const met = route[i];
    return met !== undefined && !met.includes(PARAM) && met.toLowerCase() === segment.toLowerCase();
  });
}

/** `prefix + variant` for each variant of the operation, as variants the code serves under its base path. */
function addPrefixVariants(operation: SpecOperation, prefix: Segments): void {
  const seen = new Set(operation.variants.map((v) => v.segments.join('/')));
  for (const variant of [...operation.variants]) {
    const segments = [...prefix, ...variant.segments];
    const key = segments.join('/');
    if (seen.has(key)) continue;
    seen.add(key);
    operation.variants.push({ segments, viaBase: true, inferred: true });
  }
}
