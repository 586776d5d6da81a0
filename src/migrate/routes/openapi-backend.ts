import ts from '../../typescript.cjs';
import {
  addOperationRoutes,
  bindByOperationId,
  firstExisting,
  readBoundOperations,
} from './document-operations.js';
import { documentFile } from './document-source.js';
import { membersOf, objectOf, property, type Members } from './option-values.js';
import { lineOf, staticString, unwrap, type ProjectFile } from './project.js';
import { nodeKey } from './syntax.js';
import type { CallHandler, RouterGraphApi } from './wiring.js';

/** `new OpenAPIBackend({ definition, handlers })`, where it is made. */
interface Backend {
  file: ProjectFile;
  node: ts.NewExpression;
}

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
    const options = objectOf(graph, backend.file, backend.node.arguments?.[0]);
    const definitionOption = options ? property(options.node, 'definition') : undefined;
    const definition = definitionOption
      ? documentFile(graph, options?.file ?? backend.file, definitionOption)
      : undefined;
    const document =
      definition && firstExisting([definition])
        ? readBoundOperations(definition, bindByOperationId)
        : undefined;
    if (!options || !document) {
      graph.addUnread(
        router,
        file,
        call,
        'all',
        `openapi-backend routes the operations of a definition computed at run time (${backend.file.relative})`,
        [],
      );
      continue;
    }
    const handlersOption = property(options.node, 'handlers');
    const handlers: Members = handlersOption
      ? membersOf(graph, options.file, handlersOption)
      : (new Map() as Members);
    const registrations = registered(graph, backend);
    for (const [name, found] of registrations.members) handlers.set(name, found);
    // `api.register(route.name, route.handler)`: handlers under names known only at run time may serve any
    // operation left without one; each such call is listed for review by hand, and named by those operations.
    const computed = registrations.computed.map((c) => `${c.file.relative}:${lineOf(c.file, c.call)}`);
    const apiRootOption = property(options.node, 'apiRoot');
    const apiRoot = apiRootOption ? (staticString(apiRootOption) ?? '') : '';
    const child = graph.node(backend.file, backend.node, {
      framework: router.framework,
      kind: 'router',
      syntax: 'openapi',
    });
    addOperationRoutes(
      graph,
      child,
      { file, call },
      document.operations,
      (operation) => (operation.operationId ? handlers.get(operation.operationId) : undefined),
      (operation) =>
        `openapi-backend has no handler registered for ${operation.operationId ?? '(no operationId)'}` +
        (computed.length
          ? `, unless one registered under a name computed at run time serves it (${computed.join(', ')})`
          : ''),
    );
    for (const c of registrations.computed)
      graph.addUnread(
        child,
        c.file,
        c.call,
        'all',
        `openapi-backend handler registered under a name computed at run time (${c.call.arguments[0]?.getText(c.file.sourceFile) ?? ''}), serving operations known only at run time`,
        c.call.arguments.slice(1),
      );
    graph.mountAt(router, file, call, `${prefix}${apiRoot.replace(/\/+$/, '')}`, child);
  }
  return true;
};

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

/** `new OpenAPIBackend(…)` (any import spelling) an expression evaluates to. */
function backendsOf(graph: RouterGraphApi, file: ProjectFile, expression: ts.Expression): Backend[] {
  const node = unwrap(expression);
  const values = ts.isNewExpression(node) ? [{ file, node: node as ts.Node }] : graph.valuesOf(file, node);
  return values.flatMap((value) => {
    const inner = ts.isExpression(value.node) ? unwrap(value.node) : value.node;
    return ts.isNewExpression(inner) &&
      /\bOpenAPIBackend$/.test(inner.expression.getText(value.file.sourceFile))
      ? [{ file: value.file, node: inner }]
      : [];
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
/** Per graph and backend: the parameters (`index:function key`) the backend is passed as. */
const PASSED = new WeakMap<RouterGraphApi, Map<ts.NewExpression, Set<string>>>();

/**
 * The parameters a backend is passed as (`routes(api)` passes it as parameter 0 of `routes`), from the calls of
 * the files that name `OpenAPIBackend` (where a backend is made, or typed): `index:function key`.
 */
function passedTo(graph: RouterGraphApi, backend: Backend): Set<string> {
  const perGraph = PASSED.get(graph) ?? new Map<ts.NewExpression, Set<string>>();
  PASSED.set(graph, perGraph);
  const known = perGraph.get(backend.node);
  if (known) return known;
  const out = new Set<string>();
  perGraph.set(backend.node, out);
  for (const file of graph.project.files) {
    if (!file.sourceFile.text.includes('OpenAPIBackend')) continue;
    for (const call of graph.project.calls(file))
      call.arguments.forEach((argument, index) => {
        if (!backendsOf(graph, file, argument).some((b) => b.node === backend.node)) return;
        for (const fn of graph.functionsOf(file, call.expression))
          out.add(`${index}:${nodeKey(fn.file, fn.node)}`);
      });
  }
  return out;
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
