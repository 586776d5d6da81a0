import ts from '../../typescript.cjs';
import { readDocumentOf } from './document-choices.js';
import {
  addOperationRoutes,
  bindByOperationId,
  documentFaultReason,
  type BoundOperation,
} from './document-operations.js';
import { memberDeclarations } from './members.js';
import { lineOf, unwrap, type ProjectFile } from './project.js';
import type { FunctionRef, RouteWiring, RouterGraphApi } from './wiring.js';

const MODULE = 'swagger-routes-express';

/**
 * swagger-routes-express (https://github.com/davesag/swagger-routes-express, "Connect Express route controllers
 * to restful paths using a Swagger v2 or OpenAPI v3 definition file"): `const connect = connector(api,
 * apiDefinition, options)` then `connect(app)` (also `connector(api, apiDefinition)(app)`) registers each operation
 * of the definition on the app, under its base path (v2 `basePath`, v3 the first server's path), handled by
 * `api[operationId]`. Each operation is a route to that member of `api`; an operation whose member the code does
 * not spell out (a table filled at run time from the files of a folder), or a definition computed at run time, is
 * an unread registration at the `connect(app)` call, for review by hand (since session 33: nothing was read or
 * named).
 */
export const swaggerRoutesExpressWiring: RouteWiring = {
  framework: 'express',
  syntax: 'openapi',
  modules: /$^/,
  creations: {},
  roots: (graph) => {
    for (const file of graph.project.files) {
      if (!file.sourceFile.text.includes(MODULE)) continue;
      for (const call of graph.project.calls(file)) {
        const connector = connectorOf(graph, file, call);
        const app = call.arguments[0];
        if (connector && app) connect(graph, file, call, connector, app);
      }
    }
  },
};

/** The `connector(api, definition)` call a call runs the result of: `connect(app)`, `connector(…)(app)`. */
function connectorOf(
  graph: RouterGraphApi,
  file: ProjectFile,
  call: ts.CallExpression,
): ts.CallExpression | undefined {
  let callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) {
    const held = graph.project
      .lookup(file, callee, callee.text)
      .find((d) => d.file === file && ts.isVariableDeclaration(d.node) && d.node.initializer);
    const initializer = held && (held.node as ts.VariableDeclaration).initializer;
    if (!initializer) return undefined;
    callee = unwrap(initializer);
  }
  if (!ts.isCallExpression(callee)) return undefined;
  const name = unwrap(callee.expression);
  const text = ts.isIdentifier(name) ? name.text : ts.isPropertyAccessExpression(name) ? name.name.text : '';
  return text === 'connector' && callee.arguments.length >= 2 ? callee : undefined;
}

function connect(
  graph: RouterGraphApi,
  file: ProjectFile,
  call: ts.CallExpression,
  connector: ts.CallExpression,
  appArgument: ts.Expression,
): void {
  const app = graph.routerOf(file, appArgument);
  if (!app) return;
  const [api, definition] = connector.arguments;
  const { document, fault } = definition
    ? readDocumentOf(graph, file, definition, bindByOperationId)
    : { document: undefined, fault: undefined };
  const at = `${file.relative}:${lineOf(file, call)}`;
  if (!document || !api) {
    graph.addUnread(
      app,
      file,
      call,
      'all',
      fault
        ? `swagger-routes-express routes the operations of a definition, but ${documentFaultReason(graph.project.cwd, fault)} (${at})`
        : `swagger-routes-express routes the operations of a definition computed at run time (${definition?.getText(file.sourceFile) ?? 'no definition'}, ${at})`,
      [],
    );
    return;
  }
  const child = graph.node(
    file,
    call,
    { framework: 'express', kind: 'router', syntax: 'openapi' },
    '#swagger-routes-express',
  );
  addOperationRoutes(
    graph,
    child,
    { file, call },
    document.operations,
    (operation) => handlerOf(graph, file, api, operation),
    (operation) =>
      `swagger-routes-express hands it to ${api.getText(file.sourceFile)}['${operation.operationId ?? ''}'], which mtls-fix could not read (${at})`,
  );
  graph.mountAt(app, file, call, document.basePath, child);
}

/** `api[operationId]`: the function the member holds (`{ ping }`, a module's export). */
function handlerOf(
  graph: RouterGraphApi,
  file: ProjectFile,
  api: ts.Expression,
  operation: BoundOperation,
): FunctionRef | undefined {
  if (!operation.operationId) return undefined;
  for (const declaration of memberDeclarations(graph, file, api, operation.operationId)) {
    const node = declaration.node;
    const value = ts.isPropertyAssignment(node)
      ? node.initializer
      : ts.isVariableDeclaration(node)
        ? node.initializer
        : ts.isBinaryExpression(node)
          ? node.right
          : ts.isExpression(node)
            ? node
            : undefined;
    const found = value ? graph.functionsOf(declaration.file, value)[0] : undefined;
    if (found) return found;
    if (ts.isFunctionDeclaration(node)) return { file: declaration.file, node };
  }
  return undefined;
}
