import path from 'node:path';
import ts from '../../typescript.cjs';
import { readDocumentOf } from './document-choices.js';
import { documentFaultReason, type Binding, type BoundOperation } from './document-operations.js';
import { DirEvaluator, importsFrom } from './fastify-autoload.js';
import { membersOf, objectOf, property } from './option-values.js';
import { documentPathKey } from './paths.js';
import type { ProjectFile } from './project.js';
import { routeTable } from './route-tables.js';
import { prefixOption } from './syntax.js';
import type { RouteWiring, RouterGraphApi, RouterNode } from './wiring.js';

/** hapi-openapi (mojaloop's fork of swaggerize-hapi) and swaggerize-hapi: the same options and handler layout. */
const MODULES = new Set(['hapi-openapi', '@mojaloop/hapi-openapi', 'swaggerize-hapi']);
/** swaggerize-express: `app.use(swaggerize({ api, docspath, handlers }))`, the same handler layout for Express. */
const EXPRESS_MODULES = new Set(['swaggerize-express']);
const SOURCE_EXTENSIONS = ['.js', '.ts', '.cjs', '.mjs', '.cts', '.mts'];

/** Every operation of the document, whatever its `operationId`: the library finds handlers by path. */
const bindAll: Binding = (operation) => {
  const id = operation['operationId'];
  return { handler: '', operationId: typeof id === 'string' ? id : undefined };
};

/**
 * hapi-openapi / swaggerize-hapi: a plugin object `{ plugin: HapiOpenAPI, options: { api, handlers } }` (handed
 * to `server.register`, often through functions: `Setup.initialize({ modules: [Routes] })`) makes a hapi route of
 * each operation of the document `api` whose handler the `handlers` folder holds: the module at the operation's
 * path (`/settlements/{id}` → `<handlers>/settlements/{id}.js`, a folder's `index` too) and its export named by
 * the method (`get`, `put`); an array export is `pre` methods then the handler (hapi-openapi lib/routes.js
 * `create`, through merge-object-files). The routes sit under the document's base path (Swagger `basePath`, else
 * the path of the first server URL). An operation whose module or export is absent gets no route, as the library
 * makes none (it stays "no handler found"). A document or folder computed at run time, or handlers given as an
 * object, is an unread registration for review by hand. A plugin object the code hands to a server's `register`
 * (inline, through variables, modules, arrays and function parameters: `mountDocumentPlugins`) is mounted on that
 * server under the registration's `routes: { prefix }` (its own, else the call's); one no register call is found
 * for is read as a server of its own. swaggerize-express (`app.use(swaggerize({ api, docspath, handlers }))`, its
 * lib/index.js) binds the same layout on an Express app, under the `use` path when it is given one.
 */
export const hapiOpenapiWiring: RouteWiring = {
  framework: 'hapi',
  syntax: 'hapi',
  modules: /$^/,
  creations: {},
  roots: (graph) => {
    for (const file of graph.project.files) {
      if (!/hapi-openapi|swaggerize-(hapi|express)/.test(file.sourceFile.text)) continue;
      const visit = (node: ts.Node): void => {
        if (ts.isObjectLiteralExpression(node)) {
          const plugin = property(node, 'plugin');
          if (plugin && importsFrom(graph, file, plugin, MODULES))
            readPlugin(graph, file, node, property(node, 'options'), 'hapi');
        }
        if (ts.isCallExpression(node) && importsFrom(graph, file, node.expression, EXPRESS_MODULES))
          readPlugin(graph, file, node, node.arguments[0], 'express');
        node.forEachChild(visit);
      };
      file.sourceFile.forEachChild(visit);
    }
  },
};

function readPlugin(
  graph: RouterGraphApi,
  file: ProjectFile,
  plugin: ts.Node,
  optionsExpression: ts.Expression | undefined,
  framework: 'hapi' | 'express',
): void {
  const server = pluginServer(graph, file, plugin, framework);
  if (server.entries.length) return;
  if (framework === 'express') mountOnUse(graph, file, plugin, server);
  const options = optionsExpression ? objectOf(graph, file, optionsExpression) : undefined;
  const api = options ? property(options.node, 'api') : undefined;
  const handlers = options ? property(options.node, 'handlers') : undefined;
  const { document, fault } =
    api && options
      ? readDocumentOf(graph, options.file, api, bindAll)
      : { document: undefined, fault: undefined };
  const folder = handlers && options ? new DirEvaluator(graph, options.file).path(handlers) : undefined;
  if (!document || !folder) {
    const what = !document ? 'document' : handlers ? 'handlers folder' : 'handlers (x-hapi-handler)';
    const library = framework === 'hapi' ? 'hapi-openapi' : 'swaggerize-express';
    graph.addUnread(
      server,
      file,
      plugin,
      'all',
      fault
        ? `${library} makes routes of the document's operations, but ${documentFaultReason(graph.project.cwd, fault)} (${file.relative})`
        : `${library} makes routes of the document's operations, but its ${what} is computed at run time or not read (${file.relative})`,
      [],
    );
    return;
  }
  const routes = graph.node(
    file,
    plugin,
    { framework, kind: 'router', syntax: 'openapi' },
    '#hapi-openapi-routes',
  );
  for (const operation of document.operations) {
    const handler = handlerOf(graph, folder, operation);
    if (handler)
      graph.addRoute(
        routes,
        handler.file,
        handler.node,
        operation.method,
        [documentPathKey(operation.path)],
        [handler.node as ts.Expression],
      );
  }
  graph.mountAt(server, file, plugin, document.basePath, routes);
}

/** The node the plugin's routes hang from: an app of its own until a registration mounts it. */
function pluginServer(
  graph: RouterGraphApi,
  file: ProjectFile,
  plugin: ts.Node,
  framework: 'hapi' | 'express',
): RouterNode {
  const syntax = framework === 'hapi' ? 'hapi' : 'colon';
  return graph.node(file, plugin, { framework, kind: 'app', syntax }, '#hapi-openapi');
}

/**
 * hapi `server.register(plugins, [{ routes: { prefix } }])`: each hapi-openapi plugin object the plugins hold
 * (followed as route tables are: variables, modules, arrays, `concat`, function parameters through every call)
 * is mounted on the server under its own `routes.prefix`, else the call's. Once per call and object.
 */
export function mountDocumentPlugins(
  graph: RouterGraphApi,
  parent: RouterNode,
  file: ProjectFile,
  call: ts.CallExpression,
): void {
  const [plugins, options] = call.arguments;
  if (!plugins || !usesDocumentPlugins(graph)) return;
  const registration = options ? objectOf(graph, file, options) : undefined;
  const callPrefix = registration ? prefixOption(registration.file, registration.node) : '';
  for (const { file: at, object } of routeTable(graph, file, plugins).objects) {
    const plugin = property(object, 'plugin');
    if (!plugin || !importsFrom(graph, at, plugin, MODULES)) continue;
    const server = pluginServer(graph, at, object, 'hapi');
    if (parent.entries.some((e) => e.kind === 'mount' && e.child === server && e.node === call)) continue;
    const own = prefixOption(at, object);
    graph.mountAt(parent, file, call, own === '' ? callPrefix : own, server);
  }
}

const usesPlugins = new WeakMap<object, boolean>();

/** Whether some file of the project names hapi-openapi or swaggerize-hapi (worked out once per project). */
function usesDocumentPlugins(graph: RouterGraphApi): boolean {
  let uses = usesPlugins.get(graph.project);
  if (uses === undefined) {
    uses = graph.project.files.some((f) => /hapi-openapi|swaggerize-hapi/.test(f.sourceFile.text));
    usesPlugins.set(graph.project, uses);
  }
  return uses;
}

/** swaggerize-express `app.use('/v1', swaggerize(…))`: the app mounted on the router `use` is called on. */
function mountOnUse(graph: RouterGraphApi, file: ProjectFile, plugin: ts.Node, server: RouterNode): void {
  const use = plugin.parent;
  if (
    !ts.isCallExpression(use) ||
    use.arguments.length !== 2 ||
    use.arguments[1] !== plugin ||
    !ts.isPropertyAccessExpression(use.expression) ||
    use.expression.name.text !== 'use'
  )
    return;
  const router = graph.routerOf(file, use.expression.expression);
  const paths = graph.paths(file, use.arguments[0]);
  if (!router || paths.length !== 1) return;
  graph.mountAt(
    router,
    file,
    use,
    paths[0] ?? { dynamic: use.arguments[0].getText(file.sourceFile) },
    server,
  );
}

/** The export named by the operation's method in the module at its path under the handlers folder. */
function handlerOf(
  graph: RouterGraphApi,
  folder: string,
  operation: BoundOperation,
): { file: ProjectFile; node: ts.Node } | undefined {
  const segments = operation.path.replace(/\/+$/, '').split('/').slice(1);
  if (!segments.length) return undefined;
  const base = path.join(folder, ...segments);
  const candidates = [
    ...SOURCE_EXTENSIONS.map((e) => base + e),
    ...SOURCE_EXTENSIONS.map((e) => path.join(base, `index${e}`)),
  ];
  for (const candidate of candidates) {
    const module = graph.project.file(candidate);
    if (!module) continue;
    const named = graph.project.exportOf(module, operation.method)[0];
    if (named) {
      const node = named.node;
      return ts.isVariableDeclaration(node) && node.initializer
        ? { file: named.file, node: node.initializer }
        : named;
    }
    for (const candidate of graph.project.exportOf(module, 'default')) {
      const found = ts.isExpression(candidate.node)
        ? membersOf(graph, candidate.file, candidate.node).get(operation.method)
        : undefined;
      if (found) return found;
    }
  }
  return undefined;
}
