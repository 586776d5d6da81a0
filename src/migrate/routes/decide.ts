import type { SiteDecision } from '../types.js';
import type { RouteMatch, SpecOperation } from './match.js';
import type { CodeRoute } from './model.js';

/** What reaches a site, sorted into the groups a decision needs. */
export interface Reached {
  mtls: Map<string, CodeRoute>;
  other: Map<string, CodeRoute>;
  ambiguous: Map<string, CodeRoute>;
  /**
   * For each ambiguous operation (by label), what makes it ambiguous: the routes that fit it equally (`routes`,
   * two or more), or, when this route alone fits it, the other operations that fit the route equally (`operations`).
   */
  ambiguousWith: Map<string, { routes: CodeRoute[]; operations: string[] }>;
  unresolved: CodeRoute[];
  /**
   * Routes in no operation that answer an mTLS operation under a prefix only they show (code-prefix.ts
   * `NearMiss`), by that operation's label: not matched, so their sites are neither rewritten nor left alone.
   */
  near: Map<string, { route: CodeRoute; prefix: string }>;
}

export function describeRoute(route: CodeRoute): string {
  return `${route.prefix ? 'middleware under' : route.method} ${route.path} (${route.file}:${route.line})`;
}

/**
 * How a site names an operation: `GET /status`, or with several documents the one it is from
 * (`GET /status of public-api.yaml`). Coverage counts sites under the same label.
 */
export function operationLabel(operation: Pick<SpecOperation, 'name' | 'document'>): string {
  return operation.document ? `${operation.name} of ${operation.document}` : operation.name;
}

/** Sorts the routes reaching a site by what their operations are. */
export function sortReached(
  routes: Iterable<CodeRoute>,
  matches: ReadonlyMap<CodeRoute, RouteMatch[]>,
  mayBeMtls: (route: CodeRoute) => boolean,
  near: ReadonlyMap<CodeRoute, readonly { operation: SpecOperation; prefix: string }[]> = new Map(),
): Reached {
  const reached: Reached = {
    mtls: new Map(),
    other: new Map(),
    ambiguous: new Map(),
    ambiguousWith: new Map(),
    unresolved: [],
    near: new Map(),
  };
  for (const route of routes) {
    // A route whose method and path are read but not its handler (`handlerUnread`) is decided by the operations
    // `matches` gives it, when it gives any: what reaches it is code that runs for that method and path.
    if (route.unresolved && !(route.handlerUnread && matches.get(route)?.length)) {
      if (mayBeMtls(route)) reached.unresolved.push(route);
      continue;
    }
    const found = matches.get(route) ?? [];
    if (!found.length) reached.other.set(`${describeRoute(route)}, in no operation of the spec`, route);
    if (!found.length)
      for (const miss of near.get(route) ?? [])
        if (miss.operation.mtls)
          reached.near.set(operationLabel(miss.operation), { route, prefix: miss.prefix });
    for (const match of found) {
      const name = operationLabel(match.operation);
      if (match.ambiguous) {
        if (match.operation.mtls) {
          reached.ambiguous.set(name, route);
          reached.ambiguousWith.set(name, {
            routes: routesFitting(matches, match.operation),
            operations: found
              .filter((m) => m.ambiguous && m.operation !== match.operation)
              .map((m) => operationLabel(m.operation)),
          });
        }
      } else if (match.operation.mtls) reached.mtls.set(name, route);
      else reached.other.set(name, route);
    }
  }
  return reached;
}

/**
 * Rewrite only what mTLS operations alone reach; a person decides where mTLS meets anything else
 * (non-mTLS operations, routes the spec lacks), ambiguous matches and prefixes unknown until run time.
 * Sites no mTLS operation can reach are left alone.
 */
export function decide(reached: Reached): SiteDecision {
  const mtls = [...reached.mtls.keys()].sort();
  const operation = mtls.join(', ') || undefined;
  const reasons: string[] = [];
  if (mtls.length && reached.other.size) {
    const others = [...reached.other.keys()].sort();
    reasons.push(
      `Shared by mTLS ${list(mtls, reached.mtls)} and non-mTLS ${list(others, reached.other)}: give the mTLS caller its own status (a parameter or an mTLS variant).`,
    );
  }
  // Since session 30 the candidates are named (file:line each); before, only "several routes or operations fit".
  for (const name of [...reached.ambiguous.keys()].sort()) {
    const route = reached.ambiguous.get(name);
    const fit = reached.ambiguousWith.get(name);
    const routes = fit?.routes ?? [];
    reasons.push(
      routes.length > 1
        ? `Its route matches mTLS operation ${name} ambiguously: ${routes.length} routes fit it equally, ${named(routes.map(describeRoute))}: check which one serves it.`
        : `Its route ${route ? describeRoute(route) : ''} matches mTLS operation ${name} ambiguously: it fits ${named(fit?.operations ?? [])} as well: check which one it serves.`,
    );
  }
  // Since session 28: such a site was only listed as left alone, though its route may serve the operation.
  for (const [name, { route, prefix }] of [...reached.near].sort(([a], [b]) => a.localeCompare(b)))
    reasons.push(
      `Reached from ${describeRoute(route)}, which answers mTLS operation ${name} under ${prefix}, a prefix no other operation of the document shows (not matched): check whether it serves that operation.`,
    );
  const unreadable = reached.unresolved.find((r) => r.unreadable);
  const mountable = reached.unresolved.find((r) => !r.unreadable);
  if (unreadable) {
    reasons.push(
      `Reached from a route registration mtls-fix could not read (${unreadable.unresolved ?? ''}): review by hand which operation it serves.`,
    );
  }
  if (mountable) {
    reasons.push(
      `Reached from a route whose prefix is known only at run time (${mountable.unresolved ?? ''}): pass --mount ${mountable.mountFile ?? 'FILE'}=PREFIX.`,
    );
  }
  if (reasons.length) return { keep: true, operation, manual: reasons.join(' ') };
  if (!mtls.length) return { keep: false };
  // A site that already needs a person (dynamic status, helper definition) keeps its own reason.
  return { keep: true, operation };
}

/** Per match table and operation, the routes with an ambiguous match to it (`routesFitting`). */
const fitting = new WeakMap<ReadonlyMap<CodeRoute, RouteMatch[]>, Map<SpecOperation, CodeRoute[]>>();

/** The routes whose match to `operation` is ambiguous (those that fit it equally), in the table's order. */
function routesFitting(matches: ReadonlyMap<CodeRoute, RouteMatch[]>, operation: SpecOperation): CodeRoute[] {
  let byOperation = fitting.get(matches);
  if (!byOperation) {
    byOperation = new Map();
    for (const [route, list] of matches)
      for (const m of list)
        if (m.ambiguous) byOperation.set(m.operation, [...(byOperation.get(m.operation) ?? []), route]);
    fitting.set(matches, byOperation);
  }
  return byOperation.get(operation) ?? [];
}

/** At most five items, then how many more. */
function named(items: readonly string[]): string {
  const more = items.length > 5 ? ` and ${items.length - 5} more` : '';
  return items.slice(0, 5).join(', ') + more;
}

/** At most three names with where they are registered, then how many more: a reason stays readable. */
function list(all: string[], routes: ReadonlyMap<string, CodeRoute>): string {
  const more = all.length > 3 ? ` and ${all.length - 3} more` : '';
  const names = all.slice(0, 3).map((n) => {
    const route = routes.get(n);
    return route && !n.includes('(') ? `${n} (${route.file}:${route.line})` : n;
  });
  return names.join(', ') + more;
}
