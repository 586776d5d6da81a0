import type ts from '../../typescript.cjs';
import type { CodeRoute, Mounts, Span } from './model.js';
import { fillTemplate, type OptionTemplate, type PluginOptions } from './plugin-options.js';
import type { Entry, RouterNode } from './wiring.js';
import { lineOf } from './project.js';
import { registrationAnchor } from './syntax.js';
import { joinPaths, PARAM, parseCodePath, WILDCARD, type PathSyntax } from './paths.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/**
 * The routes of a router graph (graph.ts), with their full paths: walks each root router (an app, a router given
 * a prefix by `--mount`, one mounted on an untraced receiver, then any not mounted anywhere) down its mounts in
 * registration order, joining prefixes and collecting the middleware that runs before each route. A prefix
 * computed at run time makes the routes below it unresolved (with why); a router reached only through a cycle of
 * mounts is walked too, marked so. Returns the routes in walk order; reads the nodes, changes none.
 *
 * @param routers every router node of the graph, in the order they were made.
 * @param untracedParents routers mounted below a path on a receiver the graph cannot trace, with that path and why.
 * @param mounts `--mount` prefixes by file.
 * @param options `scopedMiddleware`: also one `prefix` route per path-scoped middleware (graph.ts `RouterRouteOptions`).
 */
// ---- composition ----------------------------------------------------------------------------------

export function composeRoutes(
  routers: readonly RouterNode[],
  untracedParents: ReadonlyMap<RouterNode, { under: string; why: string }>,
  mounts: Mounts,
  options: { scopedMiddleware?: boolean },
): CodeRoute[] {
  const routes: CodeRoute[] = [];
  const walked = new Set<RouterNode>();
  // Where each entry's registration starts and its line, worked out once per entry (a router mounted in
  // several places is walked once per mount; a big one sorts thousands of entries).
  const anchors = new Map<Entry, { start: number; line: number }>();
  const anchor = (entry: Entry): { start: number; line: number } => {
    let found = anchors.get(entry);
    if (!found) {
      const start =
        entry.kind === 'route' && entry.anchor !== undefined
          ? entry.anchor
          : registrationAnchor(entry.node).getStart(entry.file.sourceFile);
      found = { start, line: lineAndCharacterAt(entry.file.sourceFile, start).line + 1 };
      anchors.set(entry, found);
    }
    return found;
  };
  const walk = (
    router: RouterNode,
    prefix: string,
    unresolved: string | undefined,
    middleware: Active[],
    stack: Set<RouterNode>,
    place: Place,
    bindings: Bindings = NO_BINDINGS,
  ): Active[] => {
    if (stack.has(router)) return middleware;
    stack.add(router);
    walked.add(router);
    const own = joinPaths(prefix, router.prefix);
    // A hook the parent already hands down (a server-wide one of this router's own plugin) is not added twice.
    const inherited = [
      ...middleware,
      ...contextHooks(router, new Set()).filter((hook) => !middleware.includes(hook)),
    ];
    const ordered = [...router.entries].sort((a, b) =>
      a.file === b.file ? anchor(a).start - anchor(b).start : 0,
    );
    const active: Active[] = [...inherited];
    for (const entry of ordered) {
      if (entry.kind === 'middleware') {
        if (entry.all) continue;
        if (entry.under === undefined || unresolved) active.push(...entry.spans);
        else {
          const under = joinPaths(own, entry.under);
          // Under a path with a literal in it: `use('*', logger)` (Hono) is middleware for every route.
          if (options.scopedMiddleware && hasLiteral(under, router.syntax))
            routes.push({
              framework: router.framework,
              method: 'ALL',
              path: under,
              syntax: router.syntax,
              file: entry.file.relative,
              line: anchor(entry).line,
              handlers: [...entry.spans, ...runningFor(active, under)],
              prefix: true,
            });
          active.push({ under, spans: entry.spans });
        }
      } else if (entry.kind === 'route') {
        for (const [i, written] of entry.paths.entries()) {
          const filled = fill(entry.templates?.[i], bindings);
          const path = filled ? ('path' in filled ? filled.path : undefined) : written;
          // A run-time head with a known tail: only the tail is known, as below a run-time mount prefix.
          const tail = path === undefined && !(filled && 'missing' in filled) ? entry.tails?.[i] : undefined;
          const full = tail ?? joinPaths(own, path ?? '*');
          routes.push({
            framework: router.framework,
            method: entry.method,
            path: full,
            syntax: router.syntax,
            file: entry.file.relative,
            line: anchor(entry).line,
            handlers: active.length
              ? [...entry.handlers, ...runningFor(active, path === undefined ? undefined : full)]
              : [...entry.handlers],
            ...(entry.unseen ? { unseenHandlers: entry.unseen } : {}),
            ...(entry.securityCheck ? { securityCheck: entry.securityCheck } : {}),
            ...(unresolved || path === undefined
              ? {
                  unresolved:
                    unresolved ??
                    (filled && 'missing' in filled
                      ? `route path reads the plugin option ${filled.missing}, which the registration at ${filled.at} does not give as a string (${entry.file.relative}:${anchor(entry).line})`
                      : `route path is computed at run time${tail ? `, known to end with ${tail}` : ''} (${entry.file.relative}:${anchor(entry).line})`),
                  mountFile: place.mountFile,
                  ...(!unresolved ? { unreadable: true } : {}),
                }
              : {}),
          });
        }
      } else if (entry.kind === 'unread') {
        const full = joinPaths(own, entry.path ?? '*');
        routes.push({
          framework: router.framework,
          method: entry.method,
          path: full,
          syntax: router.syntax,
          file: entry.file.relative,
          line: anchor(entry).line,
          // A path the registration names: only the middleware scoped to it runs (as for a route).
          handlers: [...entry.handlers, ...runningFor(active, entry.path === undefined ? undefined : full)],
          ...(entry.handlerUnread ? { handlerUnread: true as const } : {}),
          unresolved: entry.why,
          mountFile: place.mountFile,
          unreadable: true,
        });
      } else {
        const childMount = mounts.get(entry.child.file.relative);
        const below = entry.options ? new Map([...bindings, [entry.options.fn, entry.options]]) : bindings;
        // A router walked in this one's place (a factory call's own router, `replaces`), and the file whose
        // `--mount` gives the prefix below: the child's own, unless the child is this router itself (`same`).
        const stand = place.substitutes.get(entry.child);
        const child = stand ?? entry.child;
        let substitutes = place.substitutes;
        if (stand) substitutes = new Map([...substitutes].filter(([k]) => k !== entry.child));
        if (entry.replaces)
          substitutes = new Map([...substitutes, [entry.replaces.child, entry.replaces.by]]);
        const inner: Place = {
          mountFile: entry.same ? place.mountFile : entry.child.file.relative,
          substitutes,
        };
        // `--mount FILE=PREFIX` names the prefix its routers are served under: it wins over what the code shows
        // (a setting's written default included, since session 29: `process.env.PREFIX ?? '/partners'`).
        if (childMount !== undefined && !entry.same) {
          walk(child, childMount, undefined, active, stack, inner, below);
        } else if (typeof entry.path === 'string') {
          const after = walk(child, joinPaths(own, entry.path), unresolved, active, stack, inner, below);
          // `pre(app)` then `app.get(...)`: middleware the helper put on the same app runs for the routes
          // registered after the helper's call.
          if (entry.same) for (const a of after) if (!active.includes(a)) active.push(a);
        } else if (optionPrefix(entry.path, bindings) !== undefined) {
          // `register(sub, { prefix: opts.base })` in a plugin: the prefix the walk's registration gives.
          const filled = optionPrefix(entry.path, bindings) ?? '';
          walk(child, joinPaths(own, filled), unresolved, active, stack, inner, below);
        } else {
          const why = `mount path ${entry.path.dynamic} is ${/\b(?:process|Bun)\.env\b|import\.meta\.env\b/.test(entry.path.dynamic) ? 'read from the environment with no default written' : 'computed at run time'} (${entry.file.relative}:${anchor(entry).line})`;
          // Below an unknown prefix only the tail is known: it starts afresh (path-scoped middleware kept).
          walk(child, '', why, runningFor(active, undefined), stack, inner, below);
        }
      }
    }
    stack.delete(router);
    return active;
  };
  for (const router of routers) {
    if (router.mountedBy > 0 || !router.entries.length || handedOn(router)) continue;
    const supplied = mounts.get(router.file.relative);
    const from = routes.length;
    const untraced = untracedParents.get(router);
    const place: Place = { mountFile: router.file.relative, substitutes: new Map() };
    if (supplied !== undefined) walk(router, supplied, undefined, [], new Set(), place);
    else if (untraced) walk(router, untraced.under, untraced.why, [], new Set(), place);
    else if (router.kind === 'app') walk(router, '', undefined, [], new Set(), place);
    else
      walk(
        router,
        '',
        `router is not mounted anywhere in the scanned code (${router.file.relative}:${lineOf(router.file, router.node)})`,
        [],
        new Set(),
        place,
      );
    // The app each route is served by: which service it belongs to (document-scope.ts).
    for (let i = from; i < routes.length; i++) routes[i].app = router.file.relative;
  }
  // Routers mounted only inside a cycle (`a.route('/', b)` where b holds a): reported, never dropped.
  for (const router of routers) {
    if (walked.has(router) || !router.entries.length || handedOn(router)) continue;
    const why = `router is mounted only inside itself, through a cycle of mounts mtls-fix could not order (${router.file.relative}:${lineOf(router.file, router.node)})`;
    walk(router, '', why, [], new Set(), { mountFile: router.file.relative, substitutes: new Map() });
  }
  return routes;
}

/**
 * Where a walk stands besides its prefix: the file whose `--mount FILE=PREFIX` sets the prefix of the routes
 * below (the router the walk started from or last entered by a mount of another router; a router handed to a
 * helper, `same`, is still its parent), and the routers walked in others' places (wiring.ts `replaces`).
 */
interface Place {
  mountFile: string;
  substitutes: ReadonlyMap<RouterNode, RouterNode>;
}

/** The options each plugin function is registered with on the way down (plugin-options.ts), by function. */
type Bindings = ReadonlyMap<ts.Node, PluginOptions>;
const NO_BINDINGS: Bindings = new Map();

/**
 * A path template over a plugin's options, filled by the registration the walk came through: the path, or the
 * option that registration does not give (with where it is); undefined for no template, or a plugin reached
 * through no registration with options (the path as written stays).
 */
function fill(
  template: OptionTemplate | undefined,
  bindings: Bindings,
): { path: string } | { missing: string; at: string } | undefined {
  const options = template ? bindings.get(template.fn) : undefined;
  if (!template || !options) return undefined;
  const filled = fillTemplate(template, options);
  return 'path' in filled ? filled : { missing: filled.missing, at: options.at };
}

/** Middleware on the way to a route: a span that runs for every route, or ones that run only below `under`. */
type Active = Span | { under: string; spans: Span[] };

/**
 * The spans of `active` that run for a route at `path` (full, as joinPaths writes it): all of them when the path
 * is not known; a path-scoped group when its path is a prefix of the route's, segment by segment (a parameter or
 * `*` on either side matches any segment).
 */
function runningFor(active: readonly Active[], path: string | undefined): Span[] {
  return active.flatMap((a) =>
    'under' in a ? (path === undefined || isUnder(path, a.under) ? a.spans : []) : [a],
  );
}

/** Whether every reading of a path holds a literal segment (`/files/:name`, not `/*` or `/:tenant`). */
function hasLiteral(path: string, syntax: PathSyntax): boolean {
  const alternatives = parseCodePath(path, syntax);
  return (
    alternatives.length > 0 &&
    alternatives.every((segments) => segments.some((s) => !s.startsWith(WILDCARD) && !s.includes(PARAM)))
  );
}

function isUnder(path: string, prefix: string): boolean {
  const route = path.split('/').filter(Boolean);
  const head = prefix.split('/').filter(Boolean);
  if (route.length < head.length && !route.some((s) => s.includes('*'))) return false;
  return head.every((segment, i) => {
    const other = route[i];
    if (other === undefined) return true;
    return other === segment || /^[:{*]/.test(other) || /^[:{*]/.test(segment) || other.includes('*');
  });
}

/**
 * Middleware a router applies to all its routes (`all`), with that of the children that share its context
 * (`shared` mounts: `fastify-plugin` plugins, autoload `autohooks`), whose hooks reach the parent's routes, and the
 * server-wide hooks of every router mounted below it at any depth (hapi `server.ext()` in a plugin: hapi runs it
 * for every route of the server, registered before or after it, unless its `sandbox` is `'plugin'`; hapi API
 * reference, `server.ext()` options).
 */
function contextHooks(router: RouterNode, seen: Set<RouterNode>): Span[] {
  if (seen.has(router)) return [];
  seen.add(router);
  return router.entries.flatMap((e) =>
    e.kind === 'middleware' && e.all
      ? e.spans
      : e.kind === 'mount' && e.shared
        ? contextHooks(e.child, seen)
        : e.kind === 'mount'
          ? serverHooksBelow(e.child)
          : [],
  );
}

/** `serverHooksBelow` answers, by router: the graph is complete when routes are composed, and walked per mount. */
const serverHooksMemo = new WeakMap<RouterNode, Span[]>();

/** The server-wide hooks of a router and of every router mounted below it (any mount, any depth). */
function serverHooksBelow(router: RouterNode): Span[] {
  let found = serverHooksMemo.get(router);
  if (!found) {
    found = serverHooks(router, new Set());
    serverHooksMemo.set(router, found);
  }
  return found;
}

function serverHooks(router: RouterNode, seen: Set<RouterNode>): Span[] {
  if (seen.has(router)) return [];
  seen.add(router);
  return router.entries.flatMap((e) =>
    e.kind === 'middleware' && e.serverWide ? e.spans : e.kind === 'mount' ? serverHooks(e.child, seen) : [],
  );
}

/** A run-time prefix built from a plugin's options, as the registration the walk came through fills it. */
function optionPrefix(prefix: { template?: OptionTemplate }, bindings: Bindings): string | undefined {
  const filled = fill(prefix.template, bindings);
  return filled && 'path' in filled ? filled.path : undefined;
}

/**
 * A router made only to be handed to a helper that mounts it (`accounts(server, new Router())` with
 * `server.use(prefix, routes)` inside): everything on it is the helper's parameter, mounted elsewhere too, so its
 * routes are reached from that mount and the router itself is no unmounted root.
 */
function handedOn(router: RouterNode): boolean {
  if (router.kind === 'app') return false;
  // How many of the child's mounts are this router's own: a helper's parameter handed twice to one other helper
  // (`initializeProvider(app, 'a'); initializeProvider(app, 'b')`, Flowise's IdentityManager) is mounted twice, but
  // by nothing else, so it is still this router's alone (since session 34: before, neither was walked as a root,
  // and their routes read "mounted only inside itself, through a cycle" when no traced call handed them an app).
  const own = new Map<RouterNode, number>();
  for (const e of router.entries) if (e.kind === 'mount') own.set(e.child, (own.get(e.child) ?? 0) + 1);
  return router.entries.every(
    (e) =>
      e.kind === 'mount' &&
      typeof e.path === 'string' &&
      e.path === '' &&
      e.child.mountedBy > (own.get(e.child) ?? 0),
  );
}
