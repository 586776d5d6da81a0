import { existsSync } from 'node:fs';
import path from 'node:path';
import ts from '../../typescript.cjs';
import {
  addOperationRoutes,
  exportedHandler,
  firstExisting,
  documentFaultReason,
  readDocument,
  type Binding,
  type BoundOperation,
} from './document-operations.js';
import { documentFile } from './document-source.js';
import { DirEvaluator } from './fastify-autoload.js';
import { exportsOf, objectOf, property, type Members } from './option-values.js';
import {
  addDocumentChecks,
  addSecurityChecks,
  bindEvery,
  securityHandlersOf,
  type SecurityHandlers,
} from './security-checks.js';
import { unwrap, type ProjectFile } from './project.js';
import { externalImport, span } from './syntax.js';
import type { CallHandler, RouterGraphApi, RouterNode } from './wiring.js';

/** The a127 (swagger-node) runners: `X.create(config, (err, runner) => runner.register(app))`. */
const RUNNER_MODULES = /^(swagger-express-mw|swagger-connect|swagger-restify-mw|swagger-sails-hook)$/;

/**
 * swagger-tools' router (Swagger 2.0; swagger-codegen's older `nodejs-server` stub and the a127 `swagger-node`
 * projects, whose layout `api/swagger/swagger.yaml` + `api/controllers/` thousands of repositories keep):
 * `swaggerTools.initializeMiddleware(doc, (middleware) => { app.use(middleware.swaggerRouter({ controllers:
 * './api/controllers' })) })`. Each operation whose `x-swagger-router-controller` (on the operation or its path
 * item) names a module of the controllers folder is a route of the `use` receiver at `basePath` + its path, and its
 * handler is that module's export named by `operationId`, else by the lower-case method (swagger-tools'
 * `swagger-router` handler id `<controller>_<operationId || method>`). The document is the first argument of
 * `initializeMiddleware` (a path, or the document parsed from a file, through variables). An operation whose
 * export cannot be found, or a document or folder computed at run time, is an unread registration for review by
 * hand. False when no argument of the `use` is such a router.
 */
export const swaggerToolsUse: CallHandler = (graph, file, call, callee) => {
  const routers = call.arguments.flatMap((a) => swaggerRouterCall(a));
  if (!routers.length) return false;
  const receiver = graph.routerOf(file, callee.expression);
  if (!receiver) return false;
  for (const router of routers) {
    const spec = documentFile(graph, file, router.document);
    const read =
      spec && firstExisting([spec]) ? readDocument(graph.documents, spec, controllerBinding) : undefined;
    const folders = router.options ? controllerFolders(graph, file, router.options) : [];
    serveOperations(graph, receiver, file, call, router.call, read, folders, 'swagger-tools');
  }
  return true;
};

/**
 * The a127 runners (swagger-express-mw, swagger-connect, swagger-restify-mw): `SwaggerExpress.create({ appRoot:
 * __dirname }, (err, swaggerExpress) => { swaggerExpress.register(app) })` routes the operations of
 * `<appRoot>/api/swagger/swagger.yaml` (or the config's `swaggerFile`) as swagger-tools does, to the controllers
 * of the `controllersDirs` its `config/default.yaml` gives the `_router` fitting (`swagger.bagpipes._router`;
 * `api/controllers` when it gives none), each relative to `appRoot` (swagger-node-runner's defaults). Its
 * swagger_security fitting runs the config's `securityHandlers` (or `swaggerSecurityHandlers`), else those of the
 * module `config/default.yaml` names, as swagger-tools' `swaggerSecurity` does: a security check of each secured
 * operation (security-checks.ts). False when the call is not `register` of such a runner.
 */
export const swaggerRunnerRegister: CallHandler = (graph, file, call, callee) => {
  const runner = unwrap(callee.expression);
  const target = call.arguments[0];
  if (!ts.isIdentifier(runner) || !target) return false;
  const config = runnerConfig(graph, file, runner);
  if (!config) return false;
  const receiver = graph.routerOf(file, target);
  if (!receiver) return false;
  const options = config.argument ? objectOf(graph, file, config.argument) : undefined;
  const rootOption = options ? property(options.node, 'appRoot') : undefined;
  const root =
    rootOption && options ? new DirEvaluator(graph, options.file).path(rootOption) : graph.project.cwd;
  const fileOption = options ? property(options.node, 'swaggerFile') : undefined;
  const spec =
    fileOption && options
      ? new DirEvaluator(graph, options.file).path(fileOption)
      : root && path.join(root, 'api', 'swagger', 'swagger.yaml');
  const read = spec && existsSync(spec) ? readDocument(graph.documents, spec, controllerBinding) : undefined;
  const folders = root ? runnerControllerFolders(graph, root) : [];
  serveOperations(graph, receiver, file, call, call, read, folders, 'swagger-node');
  // Its swagger_security fitting: the handlers of the config (`securityHandlers`, or the older
  // `swaggerSecurityHandlers`), else the module a fitting of config/default.yaml names (`securityHandlersModule`).
  const handlers = options
    ? (property(options.node, 'securityHandlers') ?? property(options.node, 'swaggerSecurityHandlers'))
    : undefined;
  const security =
    handlers && options
      ? securityHandlersOf(graph, options.file, handlers)
      : root
        ? fittingSecurityHandlers(graph, root)
        : undefined;
  // No document read: the registration serveOperations names runs them. Its fitting's own 403 (an error with no
  // statusCode) answers each check: the site at the runner's import.
  addDocumentChecks(graph, receiver, { file, call }, spec, security, 'swagger-node', {
    runs: [span(config.file, config.entry)],
  });
  return true;
};

/**
 * The security handlers module a swagger_security fitting of `<root>/config/default.yaml` names
 * (`swagger.bagpipes._swagger_security: { name: swagger_security, securityHandlersModule:
 * api/helpers/securityHandlers }`, relative to `appRoot`; swagger-node-runner fittings/swagger_security.js): its
 * exports by scheme name. Undefined when no fitting names one the project holds.
 */
function fittingSecurityHandlers(graph: RouterGraphApi, root: string): SecurityHandlers | undefined {
  const pipes = at(runnerSettings(graph, root), ['swagger', 'bagpipes']);
  if (typeof pipes !== 'object' || pipes === null) return undefined;
  for (const fitting of Object.values(pipes as Record<string, unknown>)) {
    const name = at(fitting, ['name']);
    const module = at(fitting, ['securityHandlersModule']);
    if (name !== 'swagger_security' || typeof module !== 'string') continue;
    const found = graph.project.resolveModule({ absolute: path.join(root, 'index.js') }, `./${module}`);
    if (found) return { members: exportsOf(graph, found), unreadSchemes: new Map() };
  }
  return undefined;
}

/**
 * swagger-tools' security middleware: `initializeMiddleware(doc, (middleware) => { app.use(middleware
 * .swaggerSecurity({ cert: (req, def, scopes, cb) => … })) })` calls, for each operation of `doc` that requires
 * security (its own `security`, else the document's), the handler named after each scheme it requires, and answers
 * the error the handler calls back with (its `statusCode`, else 403; swagger-tools middleware/swagger-security.js
 * `sendSecurityError`). Each such operation gets a security check (security-checks.ts) at the document's
 * `basePath` under the `use` receiver, whatever route serves it. False when no argument of the `use` is that call
 * or its document is computed at run time: the call is then read as middleware of the routes after it. A document
 * that does not parse (or a broken `$ref`) gives an unread registration naming it (`documentFaultReason`).
 */
export const swaggerSecurityUse: CallHandler = (graph, file, call, callee) => {
  const found = call.arguments.flatMap((a) => initializedCall(a, 'swaggerSecurity'));
  if (!found.length) return false;
  const receiver = graph.routerOf(file, callee.expression);
  const checks = found.flatMap((f) => {
    const spec = documentFile(graph, file, f.document);
    const read = spec && firstExisting([spec]) ? readDocument(graph.documents, spec, bindEvery) : undefined;
    return read && (read.document || read.fault) ? [{ ...f, ...read }] : [];
  });
  if (!receiver || checks.length < found.length) return false;
  for (const check of checks) {
    // A document that does not parse, or whose `$ref`'d file is broken: its secured operations are unknown, so the
    // handlers (and swagger-tools' own 403) are listed for review by hand with the fault, not read as middleware.
    if (!check.document) {
      if (check.fault)
        graph.addUnread(
          receiver,
          file,
          check.call,
          'all',
          `swagger-tools checks security with these handlers, but ${documentFaultReason(graph.project.cwd, check.fault)} (${file.relative})`,
          check.options ? [check.options] : [],
        );
      continue;
    }
    const handlers = check.options
      ? securityHandlersOf(graph, file, check.options)
      : { members: new Map() as Members, unreadSchemes: new Map<string, string>() };
    addSecurityChecks(
      graph,
      receiver,
      { file, call: check.call },
      check.document.basePath,
      check.document,
      handlers,
      'swagger-tools',
      // Its own 403 (an error with no statusCode) answers each check: the site at the import of swagger-tools.
      [span(file, check.entry)],
    );
  }
  return true;
};

/** A call `m.swaggerRouter(options)` inside the callback of `initializeMiddleware(document, callback)`. */
function swaggerRouterCall(argument: ts.Expression): InitializedCall[] {
  return initializedCall(argument, 'swaggerRouter');
}

/** A middleware call inside the callback of `initializeMiddleware(document, callback)`. */
interface InitializedCall {
  call: ts.CallExpression;
  document: ts.Expression;
  options: ts.Expression | undefined;
  /** The callee of `initializeMiddleware` (`swaggerTools.initializeMiddleware`). */
  entry: ts.Expression;
}

/** A call `m.<name>(options)` inside the callback of `initializeMiddleware(document, callback)`. */
function initializedCall(argument: ts.Expression, name: string): InitializedCall[] {
  const node = unwrap(argument);
  if (!ts.isCallExpression(node)) return [];
  const callee = unwrap(node.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== name) return [];
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if (!ts.isFunctionExpression(at) && !ts.isArrowFunction(at)) continue;
    const outer: ts.Node = at.parent;
    if (!ts.isCallExpression(outer) || outer.arguments[1] !== at) continue;
    const called = unwrap(outer.expression);
    const method = ts.isPropertyAccessExpression(called)
      ? called.name.text
      : ts.isIdentifier(called)
        ? called.text
        : '';
    const document = outer.arguments[0];
    if (method === 'initializeMiddleware' && document)
      return [{ call: node, document, options: node.arguments[0], entry: outer.expression }];
  }
  return [];
}

/** The config argument of the a127 `create(config, callback)` whose callback's second parameter is `runner`. */
function runnerConfig(
  graph: RouterGraphApi,
  file: ProjectFile,
  runner: ts.Identifier,
): { argument: ts.Expression | undefined; entry: ts.Expression; file: ProjectFile } | undefined {
  for (const declaration of graph.project.lookup(file, runner, runner.text)) {
    const parameter = declaration.node;
    if (!ts.isParameter(parameter)) continue;
    const fn = parameter.parent;
    if (!(ts.isFunctionExpression(fn) || ts.isArrowFunction(fn)) || fn.parameters[1] !== parameter) continue;
    const create = fn.parent;
    if (!ts.isCallExpression(create) || create.arguments[1] !== fn) continue;
    const callee = unwrap(create.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'create') continue;
    const root = unwrap(callee.expression);
    if (!ts.isIdentifier(root)) continue;
    const imported = graph.project
      .lookup(declaration.file, root, root.text)
      .map((d) => externalImport(d.node))
      .find((i) => i && RUNNER_MODULES.test(i.module));
    if (imported) return { argument: create.arguments[0], entry: create.expression, file: declaration.file };
  }
  return undefined;
}

/** `{ controllers: './api/controllers' }` (a path, or a list of them), inline or in a constant. */
function controllerFolders(graph: RouterGraphApi, file: ProjectFile, argument: ts.Expression): string[] {
  const options = objectOf(graph, file, argument);
  const controllers = options ? property(options.node, 'controllers') : undefined;
  if (!options || !controllers) return [];
  const node = unwrap(controllers);
  const evaluator = new DirEvaluator(graph, options.file);
  const values = ts.isArrayLiteralExpression(node) ? [...node.elements] : [node];
  return values.flatMap((v) => {
    const folder = evaluator.path(v);
    return folder && existsSync(folder) ? [folder] : [];
  });
}

/** The `_router` fitting's `controllersDirs` in `<root>/config/default.yaml`, else `api/controllers`. */
function runnerControllerFolders(graph: RouterGraphApi, root: string): string[] {
  const dirs = at(runnerSettings(graph, root), ['swagger', 'bagpipes', '_router', 'controllersDirs']);
  const list = Array.isArray(dirs)
    ? dirs.filter((d): d is string => typeof d === 'string')
    : ['api/controllers'];
  return list.map((d) => path.resolve(root, d)).filter((d) => existsSync(d));
}

/** `<root>/config/default.yaml` of an a127 project, parsed (once per run); undefined when it cannot be read. */
function runnerSettings(graph: RouterGraphApi, root: string): unknown {
  const read = graph.documents.read(path.join(root, 'config', 'default.yaml'));
  return read.kind === 'parsed' ? read.value : undefined;
}

function at(value: unknown, keys: readonly string[]): unknown {
  let current = value;
  for (const key of keys)
    current =
      typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}

/**
 * The document's bound operations as routes of a router mounted on `receiver` at the document's base path (each
 * handler the export of the first controllers folder that has it), or one unread registration naming what is
 * computed at run time.
 */
function serveOperations(
  graph: RouterGraphApi,
  receiver: RouterNode,
  file: ProjectFile,
  call: ts.CallExpression,
  made: ts.Node,
  read: ReturnType<typeof readDocument> | undefined,
  folders: readonly string[],
  library: string,
): void {
  const document = read?.document;
  if (!document || !folders.length) {
    graph.addUnread(
      receiver,
      file,
      call,
      'all',
      read?.fault
        ? `${library} routes operations to controllers, but ${documentFaultReason(graph.project.cwd, read.fault)} (${file.relative})`
        : `${library} routes operations to controllers, but its ${document ? 'controllers folder' : 'document'} is computed at run time or missing (${file.relative})`,
      [],
    );
    return;
  }
  const child = graph.node(
    file,
    made,
    { framework: receiver.framework, kind: 'router', syntax: 'openapi' },
    '#swagger-router',
  );
  const handlerOf = (operation: BoundOperation): ReturnType<typeof exportedHandler> => {
    const named = { ...operation, operationId: operation.operationId ?? operation.method };
    for (const folder of folders) {
      const found = exportedHandler(graph.project, folder, named);
      if (found) return found;
    }
    return undefined;
  };
  addOperationRoutes(
    graph,
    child,
    { file, call },
    document.operations,
    handlerOf,
    (operation) =>
      `x-swagger-router-controller '${operation.handler}' names no export ${operation.operationId ?? operation.method} under ${folders.map((f) => path.relative(graph.project.cwd, f) || '.').join(', ')}`,
  );
  graph.mountAt(receiver, file, call, document.basePath, child);
}

/**
 * `x-swagger-router-controller` of the operation or its path item names the module; `operationId`, else the
 * lower-case method, the export (swagger-tools' and swagger-node-runner's handler id).
 */
const controllerBinding: Binding = (operation, pathItem) => {
  const controller = operation['x-swagger-router-controller'] ?? pathItem['x-swagger-router-controller'];
  if (typeof controller !== 'string') return undefined;
  const id = operation['operationId'];
  return { handler: controller, operationId: typeof id === 'string' ? id : undefined };
};
