import ts from '../../typescript.cjs';
import { readDocumentOf } from './document-choices.js';
import {
  addOperationRoutes,
  bindByOperationId,
  documentFaultReason,
  type BoundOperation,
} from './document-operations.js';
import { membersOf, objectOf, property, type Members } from './option-values.js';
import {
  addToUnread,
  nameUnreadChecks,
  securityHandlersOf,
  unreadMembers,
  type SecurityHandlers,
} from './security-checks.js';
import { lineOf, staticString, unwrap, type ProjectFile } from './project.js';
import { externalImport, nodeKey, span } from './syntax.js';
import type { CallHandler, FunctionRef, RouteWiring, RouterGraphApi, RouterNode } from './wiring.js';

/**
 * A backend, where it is made: `new OpenAPIBackend({ definition, handlers })`, or a library function that makes
 * one from its arguments (@mojaloop/central-services-shared `Util.OpenapiBackend.initialise(definition, handlers)`,
 * src/util/openapiBackend.js: `new OpenAPIBackend({ definition: definitionPath, handlers, … })`).
 */
interface Backend {
  file: ProjectFile;
  node: ts.NewExpression | ts.CallExpression;
}

/** A library function that makes a backend: `<…>OpenapiBackend.initialise(definition, handlers)`. */
const WRAPPER_CALLEE = /(^|\.)OpenapiBackend\.initialise$/;

/** Per graph: each backend's router of operation routes (`{ why }`: its definition could not be read, and why). */
const CHILDREN = new WeakMap<RouterGraphApi, Map<string, RouterNode | { why: string }>>();

/**
 * openapi-backend: `const api = new OpenAPIBackend({ definition: './openapi.yaml', handlers: { getPet } })`, more
 * handlers by `api.register({ … })` or `api.register('getPet', fn)`, and a function passed to `use` / `all` that
 * hands every request to `api.handleRequest(…)` (Express, Koa, Hono). Each operation of the definition is a route
 * under the `use` path and the backend's `apiRoot`, handled by the handler its `operationId` names
 * (openapi-backend README, "Quick Start"). An operation with no handler found, or a definition computed at run
 * time, is an unread registration for review by hand. False when no argument forwards to a backend.
 */
export const openapiBackendUse: CallHandler = (graph, file, call, callee) => {
  const args = [...call.arguments];
  const first = args[0];
  const pattern = args.length > 1 && first !== undefined ? staticString(first) : undefined;
  const rest = pattern !== undefined ? args.slice(1) : args;
  const backends = dedupe(rest.flatMap((argument) => backendsServedBy(graph, file, argument)));
  if (!backends.length) return false;
  const router = graph.routerOf(file, callee.expression);
  if (!router) return false;
  const prefix = pattern?.replace(/\/?\*$/, '') ?? '';
  for (const backend of backends) {
    const child = backendRouter(graph, backend, router, { file, call });
    if (child) graph.mountAt(router, file, call, `${prefix}${apiRootOf(backend)}`, child);
  }
  return true;
};

/**
 * Routes whose handler hands the request to a backend (mojaloop's hapi route tables: `handler: (req, h) =>
 * handleRequest(api, req, h)` with `const handleRequest = (api, req, h) => api.handleRequest({ … }, req, h)`; a
 * catch-all `{ method: '*', path: '/{path*}' }` alike): the backend's operations are routes of the same router,
 * each handled by the handler its `operationId` names, beside the forwarding route (same path: two handlers).
 * The backend is the one the receiver of `handleRequest` evaluates to, or is passed as, else the project's only
 * backend; with several and none traced, the route is listed for review by hand. Runs after the registrations
 * (the route graph's `roots`), for every framework.
 */
export function mountForwardedBackends(graph: RouterGraphApi): void {
  if (!graph.project.files.some((f) => f.sourceFile.text.includes('.handleRequest('))) return;
  const files = new Map(graph.project.files.map((f) => [f.relative, f]));
  let all: Backend[] | undefined;
  let namesBackend: boolean | undefined;
  for (const router of graph.allRouters()) {
    const forwarded = new Map<ts.Node, { backend: Backend; entries: RouteEntry[] }>();
    for (const entry of [...router.entries]) {
      if (entry.kind !== 'route') continue;
      const receivers = entry.handlers.flatMap((handler) => {
        const file = files.get(handler.file);
        const node = file ? nodeAt(file, handler.start, handler.end) : undefined;
        return file && node ? forwardingReceivers(graph, file, node) : [];
      });
      if (!receivers.length) continue;
      all ??= projectBackends(graph);
      let backends = dedupe(receivers.flatMap((r) => backendsOf(graph, r.file, r.expression)));
      if (!backends.length)
        backends = all.filter((b) => receivers.some((r) => servesBackend(graph, r.file, r.expression, b)));
      // Other dispatchers are called so too (the MCP SDK's StreamableHTTPServerTransport, @hono/mcp): a receiver
      // whose value the code shows as something else is no backend, and without openapi-backend in the project
      // none is (trial37: "cannot tell among the 0 of the project" for an MCP transport).
      const unknown = receivers.filter((r) => !knownOther(graph, r.file, r.expression));
      if (!backends.length && all.length === 1 && unknown.length) backends = all;
      if (!backends.length) {
        const first = unknown[0] ?? receivers[0];
        const callee = `${first?.expression.getText(first.file.sourceFile).replace(/\s+/g, ' ') ?? ''}.handleRequest`;
        const at = first ? ` (${first.file.relative}:${lineOf(first.file, first.expression)})` : '';
        const claims = unknown.length > 0 && (all.length > 0 || (namesBackend ??= usesOpenapiBackend(graph)));
        const paths = entry.paths.filter((p): p is string => p !== undefined);
        graph.addUnread(
          router,
          entry.file,
          entry.node,
          entry.method,
          !claims
            ? `hands the request to ${callee}(…), which mtls-fix does not follow${at}`
            : all.length
              ? `hands the request to an openapi-backend (${callee}) that mtls-fix cannot tell among the ${all.length} of the project${at}`
              : `hands the request to an openapi-backend (${callee}) made where mtls-fix cannot see${at}`,
          [],
          claims || paths.length !== 1 ? undefined : paths[0],
        );
        continue;
      }
      for (const backend of backends) {
        const found = forwarded.get(backend.node) ?? { backend, entries: [] };
        found.entries.push(entry);
        forwarded.set(backend.node, found);
      }
    }
    for (const { backend, entries } of forwarded.values()) {
      const first = entries[0];
      if (!first) continue;
      // Only the operations some forwarding route answers (all of them behind a catch-all): the framework
      // answers the others itself (a 404), and the backend never sees them.
      const apiRoot = apiRootOf(backend);
      const catchAll = entries.some((e) => e.paths.some((p) => p === undefined || isCatchAll(p)));
      const only = catchAll
        ? undefined
        : (operation: BoundOperation) =>
            entries.some(
              (e) =>
                (e.method === 'ALL' || e.method === '*' || e.method === operation.method.toUpperCase()) &&
                e.paths.some((p) => p !== undefined && samePath(p, `${apiRoot}${operation.path}`)),
            );
      // Operations left without a handler are listed where the backend is made, not at one forwarding route.
      const at = { file: backend.file, call: backend.node as ts.Node };
      const child = backendRouter(graph, backend, router, at, only);
      if (child) {
        graph.mountAt(router, first.file, first.node, apiRoot, child);
        continue;
      }
      // The backend's operations cannot be read: a forwarding route answers none of them by itself (its handler
      // only hands the request on), so each is listed for review by hand rather than taken as their handler.
      const why = `hands the request to an openapi-backend whose definition is computed at run time (${backend.file.relative}:${lineOf(backend.file, backend.node)})`;
      for (const entry of entries) {
        const index = router.entries.indexOf(entry);
        if (index >= 0)
          router.entries[index] = {
            kind: 'unread',
            method: entry.method,
            why,
            handlers: entry.handlers,
            file: entry.file,
            node: entry.node,
          };
      }
    }
  }
}

/**
 * The operations of the backend(s) a receiver evaluates to, as `api.router.getOperations()` lists them
 * (ml-api-adapter builds its hapi route table from them: `api.router.getOperations().map((operation) => ({
 * method: operation.method.toUpperCase(), path: operation.path, handler: handleRequest }))`): the receiver's own
 * value, or a parameter the backends are passed as. Each has its method, path (under the backend's `apiRoot`)
 * and operationId. Undefined when no backend is found or a definition is computed at run time.
 */
export function backendOperations(
  graph: RouterGraphApi,
  file: ProjectFile,
  receiver: ts.Expression,
): { method: string; path: string; operationId: string | undefined }[] | undefined {
  let backends = backendsOf(graph, file, receiver);
  if (!backends.length)
    backends = projectBackends(graph).filter((b) => servesBackend(graph, file, receiver, b));
  if (!backends.length) return undefined;
  const out: { method: string; path: string; operationId: string | undefined }[] = [];
  for (const backend of backends) {
    const parts = partsOf(graph, backend);
    const { document } = parts?.definition
      ? readDocumentOf(graph, parts.file, parts.definition, bindByOperationId)
      : { document: undefined };
    if (!document) return undefined;
    const root = apiRootOf(backend);
    for (const o of document.operations)
      if (!out.some((e) => e.method === o.method && e.path === `${root}${o.path}`))
        out.push({ method: o.method, path: `${root}${o.path}`, operationId: o.operationId });
  }
  return out;
}

type RouteEntry = Extract<RouterNode['entries'][number], { kind: 'route' }>;

/** A path that answers every request under its router: `/{path*}`, `*`, `/*`, `/:rest*`, `/*splat`. */
function isCatchAll(routePath: string): boolean {
  const first = segments(routePath)[0];
  return first === undefined ? false : isRest(first);
}

function isRest(segment: string): boolean {
  return (
    segment === '*' ||
    /^\{[^}]*\*\d*\}$/.test(segment) ||
    /^:[^/]*\*$/.test(segment) ||
    /^\*\w+$/.test(segment)
  );
}

function isParameter(segment: string): boolean {
  return /^\{[^}*]+\??\}$/.test(segment) || /^:\w+\??$/.test(segment);
}

function segments(p: string): string[] {
  return p.split('/').filter((s) => s !== '');
}

/** Whether a forwarding route's path answers a document path (`/quotes/{id}` and `/quotes/{ID}`; `{p*}` rests). */
function samePath(routePath: string, documentPath: string): boolean {
  const route = segments(routePath);
  const doc = segments(documentPath);
  for (let i = 0; i < route.length; i++) {
    const r = route[i] ?? '';
    if (isRest(r)) return true;
    const d = doc[i];
    if (d === undefined) return false;
    if (isParameter(r)) continue;
    if (r.toLowerCase() !== d.toLowerCase()) return false;
  }
  return route.length === doc.length;
}

/** Where a backend's definition, handlers and `apiRoot` are written. */
interface BackendParts {
  file: ProjectFile;
  definition: ts.Expression | undefined;
  handlers: ts.Expression | undefined;
  apiRoot: ts.Expression | undefined;
  /** `securityHandlers: { Cert }`: the security handlers by scheme name. */
  securityHandlers: ts.Expression | undefined;
}

function partsOf(graph: RouterGraphApi, backend: Backend): BackendParts | undefined {
  if (ts.isCallExpression(backend.node)) {
    const [definition, handlers] = backend.node.arguments;
    return { file: backend.file, definition, handlers, apiRoot: undefined, securityHandlers: undefined };
  }
  const options = objectOf(graph, backend.file, backend.node.arguments?.[0]);
  if (!options) return undefined;
  return {
    file: options.file,
    definition: property(options.node, 'definition'),
    handlers: property(options.node, 'handlers'),
    apiRoot: property(options.node, 'apiRoot'),
    securityHandlers: property(options.node, 'securityHandlers'),
  };
}

function apiRootOf(backend: Backend): string {
  if (ts.isCallExpression(backend.node)) return '';
  const options = backend.node.arguments?.[0] ? unwrap(backend.node.arguments[0]) : undefined;
  const apiRoot = options && ts.isObjectLiteralExpression(options) ? property(options, 'apiRoot') : undefined;
  return (apiRoot ? (staticString(apiRoot) ?? '') : '').replace(/\/+$/, '');
}

/**
 * The router of a backend's operation routes (made once per backend, whichever router serves it first): each
 * operation of its definition a route to the handler its `operationId` names. Undefined, with an unread
 * registration on `router` at `at`, when the definition is computed at run time.
 */
function backendRouter(
  graph: RouterGraphApi,
  backend: Backend,
  router: RouterNode,
  at: { file: ProjectFile; call: ts.Node },
  only?: (operation: BoundOperation) => boolean,
): RouterNode | undefined {
  const perGraph = CHILDREN.get(graph) ?? new Map<string, RouterNode | { why: string }>();
  CHILDREN.set(graph, perGraph);
  // One router of operation routes per backend, and one more per router that forwards only some operations.
  const suffix = only ? `#forwarded:${router.key}` : '';
  const cacheKey = `${nodeKey(backend.file, backend.node)}${suffix}`;
  const known = perGraph.get(cacheKey);
  const unread = (why: string) => graph.addUnread(router, at.file, at.call, 'all', why, []);
  if (known !== undefined) {
    if ('why' in known) unread(known.why);
    return 'why' in known ? undefined : known;
  }
  const parts = partsOf(graph, backend);
  const { document, fault } = parts?.definition
    ? readDocumentOf(graph, parts.file, parts.definition, bindByOperationId)
    : { document: undefined, fault: undefined };
  const handlers: Members =
    parts?.handlers !== undefined ? membersOf(graph, parts.file, parts.handlers) : (new Map() as Members);
  const registrations = registered(graph, backend);
  for (const [name, found] of registrations.members) handlers.set(name, found);
  if (!parts || !document) {
    const why = fault
      ? `openapi-backend routes the operations of a definition, but ${documentFaultReason(graph.project.cwd, fault)} (${backend.file.relative})`
      : `openapi-backend routes the operations of a definition computed at run time (${backend.file.relative})`;
    perGraph.set(cacheKey, { why });
    unread(why);
    // Its security hooks run for the operations of that definition: their 403s are reached from it.
    if (parts) {
      const hooks = securityHooks(graph, backend, parts, handlers);
      addToUnread(
        router,
        securedBy(hooks, [...hooks.schemes.keys()]).map((guard) => span(guard.file, guard.node)),
      );
    }
    return undefined;
  }
  // `api.register(route.name, route.handler)`: handlers under names known only at run time may serve any
  // operation left without one; each such call is listed for review by hand, and named by those operations.
  const computed = registrations.computed.map((c) => `${c.file.relative}:${lineOf(c.file, c.call)}`);
  const child = graph.node(
    backend.file,
    backend.node,
    { framework: router.framework, kind: 'router', syntax: 'openapi' },
    suffix,
  );
  perGraph.set(cacheKey, child);
  // An operation with no handler of its own runs the `notImplemented` handler when one is registered
  // (openapi-backend README, "Handlers": notImplemented, "called when no handler is registered for an operation").
  const handlerOf = (operation: BoundOperation) =>
    (operation.operationId ? handlers.get(operation.operationId) : undefined) ??
    handlers.get('notImplemented');
  // A definition picked at run time among several (document-choices.ts): an operation another of them serves
  // under its own operationId is no operation left without a handler.
  const served = new Set(document.operations.filter(handlerOf).map((o) => `${o.method} ${o.path}`));
  const missing = (operation: BoundOperation) =>
    `openapi-backend has no handler registered for ${operation.operationId ?? '(no operationId)'}` +
    (computed.length
      ? `, unless one registered under a name computed at run time serves it (${computed.join(', ')})`
      : '');
  const routed = document.operations.filter(
    (o) => (!only || only(o)) && (handlerOf(o) || !served.has(`${o.method} ${o.path}`)),
  );
  // An operation that requires security runs the scheme's security handlers first, and the unauthorizedHandler
  // when they fail (openapi-backend README, "Security handlers"): what they answer is reached by exactly the
  // secured operations, as their route's own handler is.
  const hooks = securityHooks(graph, backend, parts, handlers);
  addOperationRoutes(graph, child, at, routed, handlerOf, missing, (operation) =>
    operation.security.length
      ? securedBy(hooks, operation.security).map((guard) => span(guard.file, guard.node))
      : [],
  );
  // A security handler mtls-fix cannot read (a package's, built at run time) is named for each secured operation.
  for (const operation of routed)
    if (operation.security.length)
      nameUnreadChecks(graph, child, at, operation, hooks.unreadable, 'openapi-backend');
  // A handler registered under a name computed at run time may serve any operation: the secured ones among them
  // run the security hooks too, so what those answer is reached from it (trial39 #04, AppQuality/unguess-core).
  const schemes = [...new Set(routed.flatMap((o) => o.security))];
  const anyGuards = schemes.length
    ? securedBy(hooks, schemes).map((guard) => span(guard.file, guard.node))
    : [];
  for (const c of registrations.computed) {
    graph.addUnread(
      child,
      c.file,
      c.call,
      'all',
      `openapi-backend handler registered under a name computed at run time (${c.call.arguments[0]?.getText(c.file.sourceFile) ?? ''}), serving operations known only at run time`,
      c.call.arguments.slice(1),
    );
    const added = child.entries[child.entries.length - 1];
    if (added?.kind === 'unread') added.handlers.push(...anyGuards);
  }
  return child;
}

/** The node a handler span covers (the function or expression the route names). */
function nodeAt(file: ProjectFile, start: number, end: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found || node.getEnd() < start || node.pos > end) return;
    if (node.getStart(file.sourceFile) === start && node.getEnd() === end) {
      found = node;
      return;
    }
    node.forEachChild(visit);
  };
  file.sourceFile.forEachChild(visit);
  return found;
}

/**
 * The receivers of the `x.handleRequest(…)` calls a route handler makes, in its own body or in the project
 * functions it calls (two calls deep: `(req, h) => handleRequest(api, req, h)`).
 */
function forwardingReceivers(
  graph: RouterGraphApi,
  file: ProjectFile,
  handler: ts.Node,
  depth = 0,
): { file: ProjectFile; expression: ts.Expression }[] {
  const functions: FunctionRef[] = ts.isFunctionLike(handler)
    ? [{ file, node: handler }]
    : ts.isExpression(handler)
      ? graph.functionsOf(file, handler)
      : [];
  const out: { file: ProjectFile; expression: ts.Expression }[] = [];
  for (const fn of functions) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = unwrap(node.expression);
        if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'handleRequest')
          out.push({ file: fn.file, expression: callee.expression });
        else if (depth < 2 && ts.isIdentifier(callee))
          for (const called of graph.functionsOf(fn.file, callee))
            if (called.node !== fn.node)
              out.push(...forwardingReceivers(graph, called.file, called.node, depth + 1));
      }
      node.forEachChild(visit);
    };
    if (fn.node.body) visit(fn.node.body);
  }
  return out;
}

/**
 * Whether a receiver's values, as the code shows them, are all something other than a backend: a construction or
 * call that makes none (`new StreamableHTTPServerTransport(…)`), an object literal, another package's export, a
 * parameter or field typed as something else (`transport: SSEServerTransport`). False when no value is shown (a
 * parameter with no type, `transports[id]`, `let transport` assigned elsewhere).
 */
function knownOther(graph: RouterGraphApi, file: ProjectFile, receiver: ts.Expression): boolean {
  const node = unwrap(receiver);
  if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node)) return false;
  const values = graph.valuesOf(file, node).filter((v) => v.node !== node);
  if (!values.length) return false;
  return values.every((value) => {
    const imported = externalImport(value.node);
    if (imported) return !/openapi-backend/i.test(imported.module);
    if (
      ts.isParameter(value.node) ||
      ts.isPropertyDeclaration(value.node) ||
      ts.isVariableDeclaration(value.node)
    ) {
      const type = value.node.type?.getText(value.file.sourceFile);
      return type !== undefined && !/\b(OpenAPIBackend|any|unknown)\b/.test(type);
    }
    let inner = ts.isExpression(value.node) ? unwrap(value.node) : value.node;
    while (ts.isAwaitExpression(inner)) inner = unwrap(inner.expression);
    if (isBackend(value.file, inner)) return false;
    return ts.isNewExpression(inner) || ts.isObjectLiteralExpression(inner);
  });
}

/**
 * Whether the project names openapi-backend at all (imports the package, or a library function that makes one): one
 * read of every file's text, asked at most once per run of {@link mountForwardedBackends}.
 */
function usesOpenapiBackend(graph: RouterGraphApi): boolean {
  return graph.project.files.some((f) => /['"]openapi-backend['"]|OpenapiBackend/.test(f.sourceFile.text));
}

/** Every backend the project makes (`new OpenAPIBackend(…)`, a library function that makes one). */
function projectBackends(graph: RouterGraphApi): Backend[] {
  const out: Backend[] = [];
  for (const file of graph.project.files) {
    if (!/OpenAPIBackend|OpenapiBackend/.test(file.sourceFile.text)) continue;
    for (const node of [...graph.project.constructions(file), ...graph.project.calls(file)])
      if (isBackend(file, node)) out.push({ file, node });
  }
  return out;
}

/**
 * Whether an initializer makes a backend (`new OpenAPIBackend({ handlers })`, `await
 * OpenapiBackend.initialise(definition, handlers)`): the handlers it is given run for their own operations'
 * routes (added here), not wherever the backend is named (reach.ts).
 */
export function makesBackend(file: ProjectFile, initializer: ts.Expression): boolean {
  let node = unwrap(initializer);
  while (ts.isAwaitExpression(node)) node = unwrap(node.expression);
  return isBackend(file, node);
}

function isBackend(file: ProjectFile, node: ts.Node): node is ts.NewExpression | ts.CallExpression {
  if (ts.isNewExpression(node)) return /\bOpenAPIBackend$/.test(node.expression.getText(file.sourceFile));
  return ts.isCallExpression(node) && WRAPPER_CALLEE.test(unwrap(node.expression).getText(file.sourceFile));
}

/** The backends a function hands requests to: `api.handleRequest(…)` anywhere in its body. */
function backendsServedBy(graph: RouterGraphApi, file: ProjectFile, argument: ts.Expression): Backend[] {
  const out: Backend[] = [];
  for (const fn of graph.functionsOf(file, argument)) {
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 'handleRequest'
      )
        out.push(...backendsOf(graph, fn.file, node.expression.expression));
      node.forEachChild(visit);
    };
    if (fn.node.body) visit(fn.node.body);
  }
  return out;
}

/** The backends (`new OpenAPIBackend(…)` in any import spelling, `OpenapiBackend.initialise(…)`) an expression evaluates to. */
function backendsOf(graph: RouterGraphApi, file: ProjectFile, expression: ts.Expression): Backend[] {
  const node = unwrap(expression);
  const values =
    ts.isNewExpression(node) || ts.isCallExpression(node)
      ? [{ file, node: node as ts.Node }]
      : graph.valuesOf(file, node);
  return values.flatMap((value) => {
    let inner = ts.isExpression(value.node) ? unwrap(value.node) : value.node;
    while (ts.isAwaitExpression(inner)) inner = unwrap(inner.expression);
    return isBackend(value.file, inner) ? [{ file: value.file, node: inner }] : [];
  });
}

/** The handlers registered on a backend, by name, and the `register` calls whose name is computed at run time. */
interface Registrations {
  members: Members;
  computed: { file: ProjectFile; call: ts.CallExpression }[];
}

/**
 * Handlers added by `api.register({ getPet })`, `api.register('getPet', fn)` or `api.registerHandler('getPet', fn)`
 * on this backend, also where `api` is a parameter of a function the backend is passed to (`routes(api)`, or a
 * parameter typed `OpenAPIBackend`). A call whose name is not a string (`api.register(route.name, route.handler)`)
 * is kept apart: it is reported, not read.
 */
function registered(graph: RouterGraphApi, backend: Backend): Registrations {
  const out: Registrations = { members: new Map(), computed: [] };
  for (const file of graph.project.files) {
    if (!/\.register(Handler)?\(/.test(file.sourceFile.text)) continue;
    for (const call of graph.project.calls(file)) {
      const callee = call.expression;
      if (!ts.isPropertyAccessExpression(callee) || !REGISTER_METHODS.has(callee.name.text)) continue;
      if (!servesBackend(graph, file, callee.expression, backend)) continue;
      const [first, second] = call.arguments;
      const name = first ? staticString(first) : undefined;
      if (name !== undefined && second) out.members.set(name, { file, node: second });
      else if (first && second) out.computed.push({ file, call });
      else if (first) for (const [key, value] of membersOf(graph, file, first)) out.members.set(key, value);
    }
  }
  return out;
}

const REGISTER_METHODS = new Set(['register', 'registerHandler']);

/** The functions that run when an operation's security is checked, and the one that answers when it fails. */
interface SecurityHooks {
  /** By scheme name: `securityHandlers: { Cert }` and `api.registerSecurityHandler('Cert', fn)`. */
  schemes: Members;
  /** `unauthorizedHandler`, in `handlers` or registered (`api.register({ unauthorizedHandler })`). */
  unauthorized: { file: ProjectFile; node: ts.Node } | undefined;
  /** The security handlers mtls-fix cannot read (security-checks.ts), named for the operations requiring them. */
  unreadable: SecurityHandlers;
}

/**
 * A backend's security hooks: the security handlers given in its options (`securityHandlers`) or registered on
 * it (`api.registerSecurityHandler(name, fn)`, where `api` is the backend as {@link registered} reads it), and
 * its `unauthorizedHandler` among `handlers` (those of the options and the registered ones).
 */
function securityHooks(
  graph: RouterGraphApi,
  backend: Backend,
  parts: BackendParts,
  handlers: Members,
): SecurityHooks {
  const given = parts.securityHandlers
    ? securityHandlersOf(graph, parts.file, parts.securityHandlers)
    : undefined;
  const schemes: Members = given?.members ?? (new Map() as Members);
  for (const file of graph.project.files) {
    if (!file.sourceFile.text.includes('.registerSecurityHandler(')) continue;
    for (const call of graph.project.calls(file)) {
      const callee = call.expression;
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'registerSecurityHandler') continue;
      if (!servesBackend(graph, file, callee.expression, backend)) continue;
      const [first, second] = call.arguments;
      const name = first ? staticString(first) : undefined;
      if (second) schemes.set(name ?? `#computed:${schemes.size}`, { file, node: second });
    }
  }
  const unreadable: SecurityHandlers = {
    members: new Map() as Members,
    unreadSchemes: unreadMembers(graph, schemes),
    ...(given?.unread ? { unread: given.unread } : {}),
  };
  return { schemes, unauthorized: handlers.get('unauthorizedHandler'), unreadable };
}

/**
 * The hooks an operation requiring `security` runs: each scheme's handler (every handler registered under a
 * name computed at run time, which may be any scheme's), then the `unauthorizedHandler`.
 */
function securedBy(
  hooks: SecurityHooks,
  security: readonly string[],
): { file: ProjectFile; node: ts.Node }[] {
  const out: { file: ProjectFile; node: ts.Node }[] = [];
  for (const [name, found] of hooks.schemes)
    if (security.includes(name) || name.startsWith('#computed:')) out.push(found);
  // Security handlers built at run time (`securityHandlers: makeHandlers(config)`): their code runs for it.
  if (hooks.unreadable.unread) out.push(hooks.unreadable.unread);
  if (hooks.unauthorized) out.push(hooks.unauthorized);
  return out;
}
/** Per graph and backend: the parameters (`index:function key`) the backend is passed as. */
const PASSED = new WeakMap<RouterGraphApi, Map<ts.Node, Set<string>>>();

/**
 * The parameters a backend is passed as (`routes(api)` passes it as parameter 0 of `routes`), from the calls of
 * the files that name `OpenAPIBackend` (where a backend is made, or typed): `index:function key`.
 */
function passedTo(graph: RouterGraphApi, backend: Backend): Set<string> {
  const perGraph = PASSED.get(graph) ?? new Map<ts.Node, Set<string>>();
  PASSED.set(graph, perGraph);
  const known = perGraph.get(backend.node);
  if (known) return known;
  const out = new Set<string>();
  perGraph.set(backend.node, out);
  const reached: FunctionRef[] = [];
  for (const file of graph.project.files) {
    if (!/OpenAPIBackend|OpenapiBackend/.test(file.sourceFile.text)) continue;
    for (const call of graph.project.calls(file))
      call.arguments.forEach((argument, index) => {
        if (!backendsOf(graph, file, argument).some((b) => b.node === backend.node)) return;
        for (const fn of graph.functionsOf(file, call.expression)) {
          out.add(`${index}:${nodeKey(fn.file, fn.node)}`);
          reached.push(fn);
        }
      });
  }
  handedOn(graph, reached, out);
  return out;
}

/**
 * Follows the backend through the functions it is passed to, to a fixed point: a function that received it as a
 * parameter and passes that parameter on (`register(api)` calls `registerRecipes(api)`, d-beezee/recipe-api)
 * passes it to the callee's parameter too, whatever file the callee is in. Adds `index:function key` entries to
 * `out`; `reached` holds the functions already known to receive it.
 */
function handedOn(graph: RouterGraphApi, reached: FunctionRef[], out: Set<string>): void {
  const queue = [...reached];
  for (let next = queue.pop(); next; next = queue.pop()) {
    const { file, node: fn } = next;
    const body = fn.body;
    if (!body) continue;
    const own = fn.parameters.filter((p, i) => out.has(`${i}:${nodeKey(file, fn)}`));
    for (const call of graph.project.calls(file)) {
      if (call.pos < body.pos || call.end > body.end) continue;
      call.arguments.forEach((argument, index) => {
        const node = unwrap(argument);
        if (!ts.isIdentifier(node)) return;
        const declared = graph.project.lookup(file, node, node.text);
        if (!declared.some((d) => own.some((p) => p === d.node))) return;
        for (const callee of graph.functionsOf(file, call.expression)) {
          const key = `${index}:${nodeKey(callee.file, callee.node)}`;
          if (out.has(key)) continue;
          out.add(key);
          queue.push(callee);
        }
      });
    }
  }
}

/** Whether a receiver is the backend: its value, or a parameter the backend is passed as (or typed as one). */
function servesBackend(
  graph: RouterGraphApi,
  file: ProjectFile,
  receiver: ts.Expression,
  backend: Backend,
): boolean {
  if (backendsOf(graph, file, receiver).some((b) => b.node === backend.node)) return true;
  const node = unwrap(receiver);
  if (!ts.isIdentifier(node)) return false;
  const parameter = graph.project
    .lookup(file, node, node.text)
    .find((d): d is { file: ProjectFile; node: ts.ParameterDeclaration } => ts.isParameter(d.node));
  if (!parameter) return false;
  const fn = parameter.node.parent;
  if (passedTo(graph, backend).has(`${fn.parameters.indexOf(parameter.node)}:${nodeKey(parameter.file, fn)}`))
    return true;
  // Typed but never seen passed (called from outside the scanned code): the only backend of the project.
  const type = parameter.node.type?.getText(parameter.file.sourceFile);
  return type !== undefined && /\bOpenAPIBackend\b/.test(type);
}

function dedupe(backends: Backend[]): Backend[] {
  return backends.filter((b, i) => backends.findIndex((o) => o.node === b.node) === i);
}

/**
 * The wiring of routes that forward to a backend ({@link mountForwardedBackends}), after every framework's
 * registrations. It makes no routers of its own and claims no module.
 */
export const forwardedBackendsWiring: RouteWiring = {
  framework: 'openapi-backend',
  syntax: 'openapi',
  modules: /$^/,
  creations: {},
  // Registers nothing: named so that the `--spec` skeleton keeps whole a body that forwards (skeleton.ts
  // `wiringMethodNames`), which mountForwardedBackends reads after the registrations.
  registrations: { handleRequest: () => false },
  roots: mountForwardedBackends,
};
