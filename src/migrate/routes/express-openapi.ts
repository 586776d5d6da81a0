import ts from '../../typescript.cjs';
import { documentFaultReason } from './document-operations.js';
import { readDocumentOf } from './document-choices.js';
import { objectOf, property } from './option-values.js';
import { staticString, unwrap, type ProjectFile } from './project.js';
import { addSecurityChecks, bindEvery, securityHandlersOf } from './security-checks.js';
import { externalImport } from './syntax.js';
import type { RouteWiring, RouterGraphApi } from './wiring.js';

const PACKAGE = 'express-openapi';

/**
 * express-openapi: `initialize({ app, apiDoc, paths, securityHandlers: { cert: (req, scopes, definition) => … },
 * securityFilter })` (also `openapi.initialize(…)` of the package imported or required whole). For each operation
 * of `apiDoc` that requires security, the handler named after each scheme it requires runs before the operation's
 * middleware, and what it throws is the answer (`throw { status: 403 }`; a handler returning false alone gives 401:
 * openapi-security-handler): a security check of that operation at the document's base path on `app`
 * (security-checks.ts). `securityFilter` answers the api doc route (`GET <basePath><docsPath>`, `/api-docs` by
 * default): a route of its own. With `securityHandlers` and an `apiDoc` mtls-fix cannot read (built in code, its
 * operations' security given by the route modules), the handlers run for operations it cannot list: an unread
 * registration on `app` whose handlers they are, for review by hand. The route modules (`paths`, `operations`) are
 * not read. Runs after the registrations (the route graph's `roots`).
 */
export const expressOpenapiWiring: RouteWiring = {
  framework: 'express',
  syntax: 'colon',
  modules: /$^/,
  creations: {},
  roots: (graph) => {
    for (const file of graph.project.files) {
      if (!file.sourceFile.text.includes(PACKAGE)) continue;
      for (const call of graph.project.calls(file))
        if (isInitialize(graph, file, call)) initialize(graph, file, call);
    }
  },
};

/** `initialize(args)` or `x.initialize(args)`, imported or required from express-openapi. */
function isInitialize(graph: RouterGraphApi, file: ProjectFile, call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  const name = ts.isIdentifier(callee)
    ? callee
    : ts.isPropertyAccessExpression(callee) && callee.name.text === 'initialize'
      ? unwrap(callee.expression)
      : undefined;
  if (!name || !ts.isIdentifier(name)) return false;
  if (ts.isIdentifier(callee) && callee.text !== 'initialize') {
    // `import { initialize as openapi } from 'express-openapi'`
    return graph.project
      .lookup(file, name, name.text)
      .some(
        (d) => externalImport(d.node)?.module === PACKAGE && externalImport(d.node)?.name === 'initialize',
      );
  }
  return graph.project.lookup(file, name, name.text).some((d) => externalImport(d.node)?.module === PACKAGE);
}

function initialize(graph: RouterGraphApi, file: ProjectFile, call: ts.CallExpression): void {
  const options = objectOf(graph, file, call.arguments[0]);
  const appOption = options ? property(options.node, 'app') : undefined;
  const app = appOption && options ? graph.routerOf(options.file, appOption) : undefined;
  if (!options || !app) return;
  const apiDoc = property(options.node, 'apiDoc');
  const { document, fault } = apiDoc
    ? readDocumentOf(graph, options.file, apiDoc, bindEvery)
    : { document: undefined, fault: undefined };
  const handlers = property(options.node, 'securityHandlers');
  if (handlers && document)
    addSecurityChecks(
      graph,
      app,
      { file, call },
      document.basePath,
      document,
      securityHandlersOf(graph, options.file, handlers),
      PACKAGE,
    );
  else if (handlers)
    graph.addUnread(
      app,
      options.file,
      handlers,
      'all',
      fault
        ? `express-openapi checks security with these handlers, but ${documentFaultReason(graph.project.cwd, fault)} (${file.relative})`
        : `express-openapi checks security with these handlers for the operations of an apiDoc mtls-fix cannot read (${apiDoc ? apiDoc.getText(options.file.sourceFile) : 'none given'}; ${file.relative})`,
      [handlers],
    );
  const filter = property(options.node, 'securityFilter');
  if (filter) {
    const docsOption = property(options.node, 'docsPath');
    const docsPath = (docsOption ? staticString(docsOption) : undefined) ?? '/api-docs';
    const child = graph.node(
      options.file,
      filter,
      { framework: app.framework, kind: 'router', syntax: 'colon' },
      '#api-docs',
    );
    if (!child.entries.length) {
      graph.addRoute(child, options.file, filter, 'get', [docsPath], [filter]);
      graph.mountAt(app, file, call, document?.basePath ?? '', child);
    }
  }
}
