import ts from '../../typescript.cjs';
import {
  readBoundOperations,
  type Binding,
  type BoundDocument,
  type BoundOperation,
} from './document-operations.js';
import type { Span } from './model.js';
import { membersOf, type Members } from './option-values.js';
import { documentPathKey } from './paths.js';
import { isFunctionNode, lineOf, requireOf, unwrap, type ProjectFile } from './project.js';
import { externalImport, span } from './syntax.js';
import type { Prefix, RouterGraphApi, RouterNode } from './wiring.js';

/** The calls whose checks were added, per graph: the link phase runs to a fixed point, so a call is seen again. */
const DONE = new WeakMap<RouterGraphApi, Set<ts.Node>>();

/**
 * The security handlers an OpenAPI-first library is given, by scheme name: what it calls, for an operation of its
 * document that requires that scheme, before the operation's own handler (swagger-tools `swaggerSecurity(handlers)`,
 * express-openapi `securityHandlers`, exegesis `authenticators`, the a127 runners' `securityHandlers`,
 * express-openapi-validator's `validateSecurity.handlers` given through oas3-tools).
 */
export interface SecurityHandlers {
  /** The handler read for each scheme name (a function, a method, or the expression naming one). */
  members: Members;
  /** Why each scheme's handler cannot be read (a package's function, a value known only at run time), by name. */
  unreadSchemes: Map<string, string>;
  /**
   * The handlers' expression when mtls-fix cannot read it member by member (built at run time, a package's): its
   * code runs for every secured operation, and why it is not read is named for each of them.
   */
  unread?: { file: ProjectFile; node: ts.Node; why: string };
}

/** Every operation of a document, bound or not: the security a library checks does not depend on its handler. */
export const bindEvery: Binding = (operation) => {
  const id = operation['operationId'];
  return { handler: '', operationId: typeof id === 'string' ? id : undefined };
};

/**
 * The security handlers an options value names (`{ cert: checkCert }`, a class instance, `require('./security')`,
 * a constant holding one, what a project function returns: option-values.ts `membersOf`). A handler the graph
 * cannot follow (imported from a package, a parameter) is kept with why it is not read; a value with no member
 * mtls-fix can read is `unread`, with why.
 */
export function securityHandlersOf(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
): SecurityHandlers {
  const members = membersOf(graph, file, expression);
  const empty = ts.isObjectLiteralExpression(unwrap(expression));
  return {
    members,
    unreadSchemes: unreadMembers(graph, members),
    ...(members.size || empty
      ? {}
      : { unread: { file, node: expression, why: notRead(graph, file, expression) } }),
  };
}

/**
 * The handlers of `members` the route graph cannot follow (a package's function, a parameter), by name, with why
 * ({@link notRead}).
 */
export function unreadMembers(graph: RouterGraphApi, members: Members): Map<string, string> {
  const out = new Map<string, string>();
  for (const [scheme, member] of members) {
    const node = ts.isShorthandPropertyAssignment(member.node) ? member.node.name : member.node;
    if (!ts.isExpression(node) || readable(graph, member.file, node, 0)) continue;
    out.set(scheme, notRead(graph, member.file, node));
  }
  return out;
}

/**
 * Whether the route graph follows a handler's code: a function written there, one a name or member leads to (the
 * project's, through imports and variables), or a call of a project function that builds it.
 */
function readable(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  depth: number,
): boolean {
  const node = unwrap(expression);
  if (depth > 6) return false;
  if (isFunctionNode(node) || ts.isClassExpression(node)) return true;
  if (graph.functionsOf(file, node).length > 0) return true;
  if (ts.isCallExpression(node)) return graph.functionsOf(file, node.expression).length > 0;
  if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node)) return false;
  return graph
    .valuesOf(file, node)
    .some((v) => v.node !== node && ts.isExpression(v.node) && readable(graph, v.file, v.node, depth + 1));
}

/** The code that runs when an operation requiring `security` is checked: each scheme's handler, and an unread whole. */
export function checkSpans(handlers: SecurityHandlers, security: readonly string[]): Span[] {
  const spans = security.flatMap((s) => {
    const member = handlers.members.get(s);
    return member ? [span(member.file, member.node)] : [];
  });
  if (handlers.unread) spans.push(span(handlers.unread.file, handlers.unread.node));
  return spans;
}

/**
 * The code of every security handler: what runs for the operations of a document mtls-fix cannot read, added to the
 * unread registration that names it (its 403s are then named for review, never left alone).
 */
function everyCheckSpan(handlers: SecurityHandlers): Span[] {
  return checkSpans(handlers, [...handlers.members.keys()]);
}

/**
 * Adds `spans` to the registration `router` made last when it is an unread one (a document computed at run time):
 * the security handlers run for its operations.
 */
export function addToUnread(router: RouterNode, spans: readonly Span[]): void {
  const added = router.entries[router.entries.length - 1];
  if (added?.kind === 'unread') added.handlers.push(...spans);
}

/**
 * Names, on `router`, the security handlers an operation runs that mtls-fix cannot read: an unread registration at
 * the operation's method and path (`handlerUnread`: decided by that operation) for each, for review by hand.
 */
export function nameUnreadChecks(
  graph: RouterGraphApi,
  router: RouterNode,
  at: { file: ProjectFile; call: ts.Node },
  operation: BoundOperation,
  handlers: SecurityHandlers,
  library: string,
): void {
  const unread = [
    ...(handlers.unread ? [`its security handlers ${handlers.unread.why.replace(/^is /, 'are ')}`] : []),
    ...operation.security.flatMap((s) => {
      const why = handlers.unreadSchemes.get(s);
      return why ? [`its security handler for ${s} ${why}`] : [];
    }),
    // `api.registerSecurityHandler(name, fn)` under a name computed at run time: any scheme's (openapi-backend).
    ...[...handlers.unreadSchemes]
      .filter(([s]) => s.startsWith('#computed:'))
      .map(([, why]) => `a security handler registered under a name computed at run time ${why}`),
  ];
  for (const why of unread) {
    graph.addUnread(
      router,
      at.file,
      at.call,
      operation.method,
      `${operation.method.toUpperCase()} ${operation.path}: ${library} checks its security first, but ${why}: what it answers is not read`,
      [],
      documentPathKey(operation.path),
    );
    const added = router.entries[router.entries.length - 1];
    if (added?.kind === 'unread') added.handlerUnread = true;
  }
}

/**
 * Why an expression is not read: `is checkCert from the package 'passport-client-cert' (file:line)`, else `is
 * handlers, known only at run time` (a parameter, a computed value), with where it is written.
 */
function notRead(graph: RouterGraphApi, file: ProjectFile, expression: ts.Expression): string {
  let root: ts.Expression = unwrap(expression);
  let required: string | undefined;
  while (
    ts.isCallExpression(root) ||
    ts.isPropertyAccessExpression(root) ||
    ts.isElementAccessExpression(root)
  ) {
    required = ts.isCallExpression(root) ? requireOf(root)?.module : undefined;
    if (required) break;
    root = unwrap(root.expression);
  }
  const modules = required
    ? [required]
    : ts.isIdentifier(root)
      ? graph.project.lookup(file, root, root.text).map((d) => externalImport(d.node)?.module)
      : [];
  const module = modules.find((m): m is string => m !== undefined && !graph.project.resolveModule(file, m));
  const text = expression.getText(file.sourceFile).replace(/\s+/g, ' ');
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  const where = `${file.relative}:${lineOf(file, expression)}`;
  return module
    ? `is ${shown} from the package '${module}' (${where})`
    : `is ${shown}, known only at run time (${where})`;
}

/**
 * The security checks a library runs for the operations of `document`, as routes of a router mounted on `receiver`
 * under `prefix` at `at` (the call that installs them): for each operation requiring security, one route at its
 * method and path whose handlers are the handlers of the schemes it requires (model.ts `CodeRoute.securityCheck`:
 * never counted as a route). What they answer is so reached by exactly the operations requiring each scheme,
 * whoever handles them (the operation's handler may be read, missing, or another route's). A scheme whose handler
 * is not read (a package's, built at run time) is named for each such operation, an unread registration at its
 * method and path for review by hand, never left silent. `runs`: code of the library's own that answers for every
 * check (the callee of the call that loads it, `swaggerTools.initializeMiddleware`: its default 403 is a site at
 * the package's import, middleware-403-table.ts, which routes/import-sites.ts reaches through that use).
 */
export function addSecurityChecks(
  graph: RouterGraphApi,
  receiver: RouterNode,
  at: { file: ProjectFile; call: ts.Node },
  prefix: Prefix,
  document: BoundDocument,
  handlers: SecurityHandlers,
  library: string,
  runs: readonly Span[] = [],
): void {
  const done = DONE.get(graph) ?? new Set<ts.Node>();
  DONE.set(graph, done);
  const secured = document.operations.filter((o) => o.security.length);
  if (!secured.length || done.has(at.call)) return;
  done.add(at.call);
  const child = graph.node(
    at.file,
    at.call,
    { framework: receiver.framework, kind: 'router', syntax: 'openapi' },
    `#security:${library}`,
  );
  for (const operation of secured) {
    const spans = checkSpans(handlers, operation.security);
    if (spans.length) spans.push(...runs);
    if (spans.length) {
      graph.addRoute(child, at.file, at.call, operation.method, [documentPathKey(operation.path)], []);
      const added = child.entries[child.entries.length - 1];
      if (added?.kind === 'route') {
        added.handlers.push(...spans);
        added.securityCheck = library;
      }
    }
    nameUnreadChecks(graph, child, at, operation, handlers, library);
  }
  if (child.entries.length) graph.mountAt(receiver, at.file, at.call, prefix, child);
}

/**
 * The security checks a library runs for the operations of the document at `spec` (`addSecurityChecks`, under
 * `under` + the document's base path). When no document is read there (computed at run time, missing, no OpenAPI
 * document), the code of every handler is added to the unread registration `receiver` made last, the one naming
 * that document (`addToUnread`): its 403s are named for review, never left alone. Nothing when `handlers` is
 * undefined (the library is given none). `runs`: as for `addSecurityChecks`.
 */
export function addDocumentChecks(
  graph: RouterGraphApi,
  receiver: RouterNode,
  at: { file: ProjectFile; call: ts.Node },
  spec: string | undefined,
  handlers: SecurityHandlers | undefined,
  library: string,
  place: { under?: string; runs?: readonly Span[] } = {},
): void {
  if (!handlers) return;
  const document = spec ? readBoundOperations(graph.documents, spec, bindEvery) : undefined;
  if (document)
    addSecurityChecks(
      graph,
      receiver,
      at,
      `${place.under ?? ''}${document.basePath}`,
      document,
      handlers,
      library,
      place.runs,
    );
  else addToUnread(receiver, everyCheckSpan(handlers));
}
