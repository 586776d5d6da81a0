import ts from '../../typescript.cjs';
import {
  addControllerRoutes,
  firstExisting,
  documentFaultReason,
  type Binding,
} from './document-operations.js';
import { readDocumentOf } from './document-choices.js';
import { documentFile } from './document-source.js';
import { DirEvaluator, importsFrom } from './fastify-autoload.js';
import { objectOf, property } from './option-values.js';
import { staticString, unwrap, type ProjectFile } from './project.js';
import { addDocumentChecks, securityHandlersOf } from './security-checks.js';
import { returnedExpressions } from './syntax.js';
import type { CallHandler, RouterGraphApi } from './wiring.js';

const PACKAGES = new Set(['exegesis-express']);
const MAX_DEPTH = 6;

/** `exegesisExpress.middleware(document, options)`, where the `use` argument comes from. */
interface Made {
  file: ProjectFile;
  call: ts.CallExpression;
}

/**
 * exegesis-express: `app.use(await exegesisExpress.middleware(path.resolve(__dirname, 'openapi.yaml'), {
 * controllers: path.resolve(__dirname, 'controllers'), authenticators: { cert: certAuthenticator } }))` (the
 * middleware also through a variable or a project function returning it). Each operation whose
 * `x-exegesis-controller` (on the operation or its path item) names a module of `controllers` is a route at the
 * path of the first server URL and its own path under the `use` receiver (and path), handled by that module's
 * export named by `x-exegesis-operationId`, else `operationId` (exegesis src/oas3/Operation.ts). For each operation
 * requiring security, the authenticator named after each scheme it requires runs first, and a failure it returns
 * (`{ type: 'invalid', status: 403 }`) or writes is the answer: a security check of that operation
 * (security-checks.ts). A document or folder computed at run time is an unread registration for review by hand.
 * False when no argument of the `use` is such a middleware.
 */
export const exegesisUse: CallHandler = (graph, file, call, callee) => {
  if (!usesExegesis(graph)) return false;
  const made = call.arguments.flatMap((a) => middlewareCalls(graph, file, a, 0));
  if (!made.length) return false;
  const router = graph.routerOf(file, callee.expression);
  if (!router) return false;
  const first = call.arguments[0];
  const under = call.arguments.length > 1 && first ? (staticString(first) ?? '') : '';
  for (const { file: at, call: middleware } of made) {
    const [specArgument, optionsArgument] = middleware.arguments;
    const spec = specArgument ? documentFile(graph, at, specArgument) : undefined;
    const found = spec ? firstExisting([spec]) : undefined;
    const { document, fault } = specArgument
      ? readDocumentOf(graph, at, specArgument, controllerBinding)
      : { document: undefined, fault: undefined };
    const options = objectOf(graph, at, optionsArgument);
    const controllers = options ? property(options.node, 'controllers') : undefined;
    const folder =
      controllers && options ? new DirEvaluator(graph, options.file).path(controllers) : undefined;
    if (!document || !found) {
      graph.addUnread(
        router,
        file,
        call,
        'all',
        fault
          ? `exegesis routes the operations of a document, but ${documentFaultReason(graph.project.cwd, fault)} (${at.relative})`
          : `exegesis routes the operations of a document computed at run time (${at.relative})`,
        [],
      );
    } else if (folder && firstExisting([folder])) {
      const child = graph.node(
        at,
        middleware,
        { framework: router.framework, kind: 'router', syntax: 'openapi' },
        '#exegesis',
      );
      if (!child.entries.length) {
        addControllerRoutes(
          graph,
          child,
          { file, call },
          document.operations,
          folder,
          'x-exegesis-controller',
        );
        graph.mountAt(router, file, call, `${under.replace(/\/+$/, '')}${document.basePath}`, child);
      }
    } else if (document.operations.length) {
      graph.addUnread(
        router,
        file,
        call,
        'all',
        `exegesis routes operations to controllers, but its controllers folder is computed at run time or missing (${at.relative})`,
        [],
      );
    }
    // With no document read, they run for the operations of the one the unread registration above names.
    const authenticators = options ? property(options.node, 'authenticators') : undefined;
    addDocumentChecks(
      graph,
      router,
      { file: at, call: middleware },
      found,
      authenticators && options ? securityHandlersOf(graph, options.file, authenticators) : undefined,
      'exegesis',
      { under: under.replace(/\/+$/, '') },
    );
  }
  return true;
};

/** Per graph: whether a file of the project names exegesis-express (else no `use` is followed for it). */
const USES = new WeakMap<RouterGraphApi, boolean>();

function usesExegesis(graph: RouterGraphApi): boolean {
  let known = USES.get(graph);
  if (known === undefined) {
    known = graph.project.files.some((f) => f.sourceFile.text.includes('exegesis-express'));
    USES.set(graph, known);
  }
  return known;
}

/** The exegesis-express `middleware(document, options)` calls an expression evaluates to. */
function middlewareCalls(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  depth: number,
): Made[] {
  if (depth > MAX_DEPTH) return [];
  let node = unwrap(expression);
  while (ts.isAwaitExpression(node)) node = unwrap(node.expression);
  if (ts.isCallExpression(node)) {
    const callee = unwrap(node.expression);
    if (
      ts.isPropertyAccessExpression(callee) &&
      callee.name.text === 'middleware' &&
      importsFrom(graph, file, callee.expression, PACKAGES)
    )
      return [{ file, call: node }];
    if (ts.isIdentifier(callee) && importsFrom(graph, file, callee, PACKAGES)) return [{ file, call: node }];
    return graph
      .functionsOf(file, node.expression)
      .flatMap((fn) => returnedExpressions(fn).flatMap((e) => middlewareCalls(graph, fn.file, e, depth + 1)));
  }
  if (ts.isIdentifier(node))
    return graph
      .valuesOf(file, node)
      .filter((v) => v.node !== node && ts.isExpression(v.node))
      .flatMap((v) => middlewareCalls(graph, v.file, v.node as ts.Expression, depth + 1));
  return [];
}

/**
 * `x-exegesis-controller` of the operation or its path item names the module; `x-exegesis-operationId`, else
 * `operationId`, the export.
 */
const controllerBinding: Binding = (operation, pathItem) => {
  const controller = operation['x-exegesis-controller'] ?? pathItem['x-exegesis-controller'];
  if (typeof controller !== 'string') return undefined;
  const id = operation['x-exegesis-operationId'] ?? operation['operationId'];
  return { handler: controller, operationId: typeof id === 'string' ? id : undefined };
};
