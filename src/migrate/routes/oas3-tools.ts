import ts from '../../typescript.cjs';
import {
  addControllerRoutes,
  firstExisting,
  documentFaultReason,
  type Binding,
} from './document-operations.js';
import { readDocumentOf } from './document-choices.js';
import { documentFile } from './document-source.js';
import { DirEvaluator } from './fastify-autoload.js';
import { objectOf, property } from './option-values.js';
import { addDocumentChecks, securityHandlersOf, type SecurityHandlers } from './security-checks.js';
import { unwrap, type ProjectFile } from './project.js';
import type { RouteWiring, RouterGraphApi, RouterNode } from './wiring.js';

const APP_CONFIG = 'expressAppConfig';

/**
 * oas3-tools (swagger-codegen's `nodejs-server` stub, and its `swagger-tools-oas3` fork):
 * `oas3Tools.expressAppConfig(path.join(__dirname, 'api/openapi.yaml'), { routing: { controllers } })` builds an
 * Express app (`.getApp()`) whose routes are the document's operations; each operation's
 * `x-swagger-router-controller` (on the operation or its path item) names the controller module under
 * `controllers` and its `operationId` the export that handles it (oas3-tools' SwaggerRouter). The routes are
 * registered before anything the code adds to the app afterwards. An operation whose export cannot be found, or
 * a document or folder computed at run time, is an unread registration for review by hand. The security handlers
 * of `openApiValidator.validateSecurity` run first for the operations requiring their scheme (security-checks.ts).
 */
export const oas3ToolsWiring: RouteWiring = {
  framework: 'express',
  syntax: 'colon',
  modules: /^(oas3-tools|swagger-tools-oas3)$/,
  creations: Object.fromEntries(
    ['oas3-tools', 'swagger-tools-oas3'].map((module) => [
      module,
      (member: string | undefined) =>
        member === APP_CONFIG
          ? { framework: 'express', kind: 'app' as const, syntax: 'colon' as const }
          : undefined,
    ]),
  ),
  chainable: ['getApp'],
  roots: (graph) => {
    for (const app of graph.allRouters()) {
      const call = app.node;
      if (!ts.isCallExpression(call) || calleeName(call) !== APP_CONFIG) continue;
      registerDocument(graph, app, app.file, call);
    }
  },
};

function registerDocument(
  graph: RouterGraphApi,
  app: RouterNode,
  file: ProjectFile,
  call: ts.CallExpression,
): void {
  const [specArgument, optionsArgument] = call.arguments;
  const spec = specArgument ? documentFile(graph, file, specArgument) : undefined;
  const controllers = optionsArgument ? controllersOption(graph, file, optionsArgument) : undefined;
  const folder = controllers ? firstExisting([controllers]) : undefined;
  const { document, fault } = specArgument
    ? readDocumentOf(graph, file, specArgument, routerBinding)
    : { document: undefined, fault: undefined };
  const before = app.entries.length;
  const handlers = optionsArgument ? validatorSecurityHandlers(graph, file, optionsArgument) : undefined;
  if (!document || !folder) {
    graph.addUnread(
      app,
      file,
      call,
      'all',
      fault
        ? `oas3-tools routes operations to controllers, but ${documentFaultReason(graph.project.cwd, fault)} (${file.relative})`
        : `oas3-tools routes operations to controllers, but its ${document ? 'controllers folder' : 'document'} is computed at run time (${file.relative})`,
      [],
    );
  } else {
    const child = graph.node(
      file,
      call,
      { framework: 'express', kind: 'router', syntax: 'openapi' },
      '#oas3',
    );
    addControllerRoutes(
      graph,
      child,
      { file, call },
      document.operations,
      folder,
      'x-swagger-router-controller',
    );
    graph.mountAt(app, file, call, document.basePath, child);
  }
  // `{ openApiValidator: { validateSecurity: { handlers } } }`: express-openapi-validator, which oas3-tools runs
  // before its router with these options, calls the handler of each scheme an operation requires.
  // With no document read, they run for the operations of the one the unread registration above names.
  addDocumentChecks(graph, app, { file, call }, spec, handlers, 'oas3-tools');
  // The library registers the document's routes when the app is made: before what the code adds to it.
  const added = app.entries.splice(before);
  app.entries.unshift(...added);
}

/** `x-swagger-router-controller` of the operation or its path item names the module; `operationId` the export. */
const routerBinding: Binding = (operation, pathItem) => {
  const controller = operation['x-swagger-router-controller'] ?? pathItem['x-swagger-router-controller'];
  if (typeof controller !== 'string') return undefined;
  const id = operation['operationId'];
  return { handler: controller, operationId: typeof id === 'string' ? id : undefined };
};

/**
 * `{ openApiValidator: { validateSecurity: { handlers } } }` (oas3-tools 2 hands `openApiValidator` to
 * express-openapi-validator, oas3-tools src/middleware/express.app.config.ts), each level inline or in a constant.
 */
function validatorSecurityHandlers(
  graph: RouterGraphApi,
  file: ProjectFile,
  argument: ts.Expression,
): SecurityHandlers | undefined {
  let level = objectOf(graph, file, argument);
  for (const key of ['openApiValidator', 'validateSecurity']) {
    const value = level ? property(level.node, key) : undefined;
    level = level && value ? objectOf(graph, level.file, value) : undefined;
  }
  const handlers = level ? property(level.node, 'handlers') : undefined;
  return level && handlers ? securityHandlersOf(graph, level.file, handlers) : undefined;
}

/** `{ routing: { controllers } }` (oas3-tools 2) or `{ controllers }` (1.x), inline or in a constant. */
function controllersOption(
  graph: RouterGraphApi,
  file: ProjectFile,
  argument: ts.Expression,
): string | undefined {
  const options = objectOf(graph, file, argument);
  if (!options) return undefined;
  const routing = property(options.node, 'routing');
  const routingObject = routing ? objectOf(graph, options.file, routing) : undefined;
  const controllers =
    (routingObject ? property(routingObject.node, 'controllers') : undefined) ??
    property(options.node, 'controllers');
  if (!controllers) return undefined;
  const owner =
    routingObject && property(routingObject.node, 'controllers') ? routingObject.file : options.file;
  return new DirEvaluator(graph, owner).path(controllers);
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}
