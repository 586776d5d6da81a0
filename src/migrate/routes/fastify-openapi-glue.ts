import type ts from '../../typescript.cjs';
import {
  addOperationRoutes,
  bindByOperationId,
  firstExisting,
  readBoundOperations,
  type BoundOperation,
} from './document-operations.js';
import { documentFile } from './document-source.js';
import { importsFrom } from './fastify-autoload.js';
import { membersOf, objectOf, property, type Members } from './option-values.js';
import { staticString, type ProjectFile } from './project.js';
import { span } from './syntax.js';
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
  const spec = specification ? documentFile(graph, options?.file ?? file, specification) : undefined;
  const document = spec && firstExisting([spec]) ? readBoundOperations(spec, bindByOperationId) : undefined;
  if (!options || !document) {
    graph.addUnread(
      parent,
      file,
      call,
      'all',
      `fastify-openapi-glue makes routes of a document that is computed at run time (${file.relative})`,
      [],
    );
    return;
  }
  const service = property(options.node, 'serviceHandlers') ?? property(options.node, 'service');
  const security = property(options.node, 'securityHandlers');
  const services: Members = service ? membersOf(graph, options.file, service) : (new Map() as Members);
  const guards: Members = security ? membersOf(graph, options.file, security) : (new Map() as Members);
  const prefixOption = property(options.node, 'prefix');
  const prefix = prefixOption
    ? (staticString(prefixOption) ?? { dynamic: prefixOption.getText(options.file.sourceFile) })
    : '';
  // One router per set of security schemes: their handlers run for exactly its routes.
  const groups = new Map<string, BoundOperation[]>();
  for (const operation of document.operations) {
    const key = operation.security.join(' ');
    groups.set(key, [...(groups.get(key) ?? []), operation]);
  }
  for (const [key, operations] of groups) {
    const child = graph.node(
      file,
      call,
      { framework: parent.framework, kind: 'router', syntax: 'openapi' },
      `#glue:${key}`,
    );
    for (const scheme of operations[0]?.security ?? []) {
      const guard = guards.get(scheme);
      if (guard) graph.addMiddleware(child, guard.file, guard.node, [span(guard.file, guard.node)], false);
    }
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
  }
}
