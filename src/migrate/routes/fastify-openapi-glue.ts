import type ts from '../../typescript.cjs';
import { addOperationRoutes, documentFaultReason, type Binding } from './document-operations.js';
import { readDocumentOf } from './document-choices.js';
import { importsFrom } from './fastify-autoload.js';
import { membersOf, objectOf, property, type Members } from './option-values.js';
import { staticString, type ProjectFile } from './project.js';
import { addSecurityChecks, bindEvery, securityHandlersOf } from './security-checks.js';
import type { RouterGraphApi, RouterNode } from './wiring.js';

const GLUE_MODULES = new Set(['fastify-openapi-glue', '@platformatic/fastify-openapi-glue']);
/** Registrations already read, per graph: the link phase runs to a fixed point, so a call is seen again. */
const DONE = new WeakMap<RouterGraphApi, Set<ts.CallExpression>>();

/** `fastify.register(openapiGlue, options)`, the plugin imported, required or `import()`ed from the package. */
export function isOpenapiGlue(graph: RouterGraphApi, file: ProjectFile, expression: ts.Expression): boolean {
  return importsFrom(graph, file, expression, GLUE_MODULES);
}

/**
 * fastify-openapi-glue: `fastify.register(openapiGlue, { specification, serviceHandlers: new Service(),
 * securityHandlers: new Security(), prefix })` makes every operation of the document a route under `prefix`
 * (its path as written, `{id}` parameters), handled by the member of `serviceHandlers` (also the older `service`)
 * named by its `operationId`; the `securityHandlers` member named after each security scheme the operation
 * requires (its own `security`, else the document's) runs before it (fastify-openapi-glue README, "Options" and
 * docs/securityHandlers.md). The handlers may be a class instance, an object, or a module (`service:
 * `${__dirname}/service.js``). An operation whose handler cannot be found, or a document computed at run time,
 * is an unread registration for review by hand.
 */
export function registerOpenapiGlue(
  graph: RouterGraphApi,
  parent: RouterNode,
  file: ProjectFile,
  call: ts.CallExpression,
): void {
  const done = DONE.get(graph) ?? new Set<ts.CallExpression>();
  DONE.set(graph, done);
  if (done.has(call)) return;
  done.add(call);
  const options = objectOf(graph, file, call.arguments[1]);
  const specification = options ? property(options.node, 'specification') : undefined;
  const { document, fault } = specification
    ? readDocumentOf(graph, options?.file ?? file, specification, glueBinding)
    : { document: undefined, fault: undefined };
  if (!options || !document) {
    graph.addUnread(
      parent,
      file,
      call,
      'all',
      fault
        ? `fastify-openapi-glue makes routes of a document, but ${documentFaultReason(graph.project.cwd, fault)} (${file.relative})`
        : `fastify-openapi-glue makes routes of a document that is computed at run time (${file.relative})`,
      // What it calls for those operations (service and security handlers) runs for this registration.
      call.arguments.slice(1),
    );
    return;
  }
  const service = property(options.node, 'serviceHandlers') ?? property(options.node, 'service');
  const security = property(options.node, 'securityHandlers');
  const services: Members = service ? membersOf(graph, options.file, service) : (new Map() as Members);
  const prefixOption = property(options.node, 'prefix');
  const prefix = prefixOption
    ? (staticString(prefixOption) ?? { dynamic: prefixOption.getText(options.file.sourceFile) })
    : '';
  // An operation without an operationId is routed under the one the plugin makes of its method and path.
  const operations = document.operations.map((o) => ({
    ...o,
    operationId: o.operationId ?? glueOperationId(o.method, o.path),
  }));
  const child = graph.node(
    file,
    call,
    { framework: parent.framework, kind: 'router', syntax: 'openapi' },
    '#glue',
  );
  addOperationRoutes(
    graph,
    child,
    { file, call },
    operations,
    (operation) => (operation.operationId ? services.get(operation.operationId) : undefined),
    (operation) =>
      `fastify-openapi-glue finds no service handler ${operation.operationId ?? '(no operationId)'}`,
  );
  graph.mountAt(parent, file, call, prefix, child);
  // The security handler named after each scheme an operation requires runs before it (its `preHandler`),
  // whatever handles it: a security check of each secured operation (security-checks.ts).
  if (security)
    addSecurityChecks(
      graph,
      parent,
      { file, call },
      prefix,
      { basePath: '', operations },
      securityHandlersOf(graph, options.file, security),
      'fastify-openapi-glue',
    );
}

/** Every operation but those marked `x-no-fastify-config`, which the plugin makes no route of (lib/ParserBase.js). */
const glueBinding: Binding = (operation, pathItem) =>
  operation['x-no-fastify-config'] ? undefined : bindEvery(operation, pathItem);

/**
 * The operationId fastify-openapi-glue makes for an operation without one (lib/ParserBase.js `makeOperationId`):
 * the method, then each path segment with its first letter upper-cased, `{name}` read as `ByName`, every character
 * but ASCII letters dropped (`get /user/{name}` → `getUserByName`).
 */
export function glueOperationId(method: string, path: string): string {
  const upper = (text: string): string => text.slice(0, 1).toUpperCase() + text.slice(1);
  return [method, ...path.split('/').slice(1)]
    .map((part, i) => (i > 0 ? upper(part) : part))
    .join('')
    .replace(/\{(\w+)\}/g, (_m, name: string) => `By${upper(name)}`)
    .replace(/[^a-z]/gi, '');
}
