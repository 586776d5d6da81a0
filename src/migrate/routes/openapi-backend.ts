import ts from '../../typescript.cjs';
import {
  addOperationRoutes,
  bindByOperationId,
  firstExisting,
  readBoundOperations,
} from './document-operations.js';
import { DirEvaluator } from './fastify-autoload.js';
import { membersOf, objectOf, property, type Members } from './option-values.js';
import { staticString, unwrap, type ProjectFile } from './project.js';
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
      ? new DirEvaluator(graph, options?.file ?? backend.file).path(definitionOption)
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
    for (const [name, found] of registered(graph, backend)) handlers.set(name, found);
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
        `openapi-backend has no handler registered for ${operation.operationId ?? '(no operationId)'}`,
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

/** Handlers added by `api.register({ getPet })` or `api.register('getPet', fn)` on this backend. */
function registered(graph: RouterGraphApi, backend: Backend): Members {
  const members: Members = new Map();
  for (const file of graph.project.files) {
    if (!file.sourceFile.text.includes('.register(')) continue;
    for (const call of graph.project.calls(file)) {
      const callee = call.expression;
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'register') continue;
      if (!backendsOf(graph, file, callee.expression).some((b) => b.node === backend.node)) continue;
      const [first, second] = call.arguments;
      const name = first ? staticString(first) : undefined;
      if (name !== undefined && second) members.set(name, { file, node: second });
      else if (first && name === undefined)
        for (const [key, value] of membersOf(graph, file, first)) members.set(key, value);
    }
  }
  return members;
}

function dedupe(backends: Backend[]): Backend[] {
  return backends.filter((b, i) => backends.findIndex((o) => o.node === b.node) === i);
}
