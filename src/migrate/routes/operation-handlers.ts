import ts from '../../typescript.cjs';
import {
  addControllerRoutes,
  addOperationRoutes,
  documentFaultReason,
  firstExisting,
  readDocument,
  type BoundOperation,
} from './document-operations.js';
import { missingDocument } from './document-choices.js';
import { documentLookup } from './document-source.js';
import { noteDocumentCopy } from './document-copies.js';
import { DirEvaluator } from './fastify-autoload.js';
import { membersOf, objectOf, property, type Members } from './option-values.js';
import { addToUnread } from './security-checks.js';
import { returnedExpressions, span } from './syntax.js';
import { importedFrom, lineOf, unwrap, type ProjectFile } from './project.js';
import type { Span } from './model.js';
import type { CallHandler, FunctionRef, RouterGraphApi } from './wiring.js';

const MAX_DEPTH = 6;

/**
 * `OpenApiValidator.middleware({ apiSpec, operationHandlers })` found under a `use` argument, or (version 3)
 * `new OpenApiValidator({ … })` installed with `.install(app)` / `.installSync(app)`.
 */
interface Validator {
  file: ProjectFile;
  call: ts.CallExpression | ts.NewExpression;
  options: ts.ObjectLiteralExpression;
  optionsFile: ProjectFile;
  /** The function the validator is built in and the call that ran it, when the `use` argument is that call. */
  built?: { fn: FunctionRef; call: ts.CallExpression; file: ProjectFile };
}

/**
 * express-openapi-validator's `operationHandlers`: `app.use(OpenApiValidator.middleware({ apiSpec,
 * operationHandlers: path.join(__dirname, 'controllers') }))` routes each operation of `apiSpec` that carries
 * `x-eov-operation-handler: 'users'` to the export named by `x-eov-operation-id` (else `operationId`) of
 * `<operationHandlers>/users` (express-openapi-validator README, "Example Express API Server: with
 * operationHandlers"). Each such operation is a route of the receiver, at the document's path under the path
 * part of its first `servers` URL (the validator's base path), and the export is its handler; the validator is
 * middleware of those routes. The document and folder may be spelled as fastify-autoload's `dir` is
 * (`path.join(process.cwd(), 'api.yaml')`), passed as an argument of the function that builds the validator
 * (`createValidator(apiSpecPath)`), or returned by a project function (`resolveHandlersDir()`: the first folder
 * that exists). An operation whose module or export cannot be found, or a document or folder computed at run
 * time, is an unread registration for review by hand. False when no argument is such a validator.
 */
export const operationHandlersUse: CallHandler = (graph, file, call, callee) => {
  const validators = call.arguments.flatMap((a) => validatorsIn(graph, file, a, undefined, 0, true));
  return validators.length > 0 && routeOperations(graph, file, call, callee.expression, validators);
};

/**
 * express-openapi-validator 3: `new OpenApiValidator({ apiSpec, operationHandlers, validateSecurity })
 * .install(app)` (a promise) or `.installSync(app)` (its README, "Usage", v3.x) installs the validator on the app
 * it is given, as `app.use(OpenApiValidator.middleware({ … }))` does in later versions: the operations it routes
 * are read as `operationHandlersUse` reads them, and the security handlers of one that routes nothing as
 * `validatorSecurityUse` does, for the app argument. The validator may be built in place, held in a name, or
 * returned by a project function. False when the receiver is no such validator or the argument no known app.
 */
export const validatorInstall: CallHandler = (graph, file, call, callee) => {
  const target = call.arguments[0];
  if (!target || call.arguments.length !== 1) return false;
  const routing = validatorsIn(graph, file, callee.expression, undefined, 0, true);
  if (routing.length) return routeOperations(graph, file, call, target, routing);
  return addSecurityHandlers(
    graph,
    file,
    call,
    target,
    validatorsIn(graph, file, callee.expression, undefined, 0, false),
  );
};

/** The operations `validators` route, as routes of the router `receiver` names (false when it names none). */
function routeOperations(
  graph: RouterGraphApi,
  file: ProjectFile,
  call: ts.CallExpression,
  receiver: ts.Expression,
  validators: readonly Validator[],
): boolean {
  const router = graph.routerOf(file, receiver);
  if (!router) return false;
  for (const validator of validators) {
    const resolver = resolverOf(graph, validator);
    const { document, fault } = documentOf(graph, validator, resolver);
    // A resolver of the project's own picks each operation's handler as it likes: its folder is not needed.
    const folder = resolver.kind === 'custom' ? '' : handlersFolderOf(graph, validator);
    if (!document || folder === undefined) {
      const what = !document ? 'apiSpec' : 'operationHandlers';
      graph.addUnread(
        router,
        file,
        call,
        'all',
        fault
          ? `express-openapi-validator routes operations to handlers, but ${documentFaultReason(graph.project.cwd, fault)} (${validator.file.relative})`
          : `express-openapi-validator routes operations to handlers, but its ${what} is computed at run time (${validator.file.relative})`,
        [],
      );
      // Its security handlers run for those operations: their 403s are reached from this registration.
      addToUnread(
        router,
        [...securityHandlersOf(graph, validator).values()].map((g) => span(g.file, g.node)),
      );
      continue;
    }
    const child = graph.node(validator.file, validator.call, {
      framework: router.framework,
      kind: 'router',
      syntax: 'openapi',
    });
    // `validateSecurity: { handlers }`: the handler named after each scheme an operation requires runs before it.
    const guards = securityHandlersOf(graph, validator);
    const guardsOf = (o: BoundOperation): Span[] =>
      [...guards].filter(([scheme]) => o.security.includes(scheme)).map(([, g]) => span(g.file, g.node));
    if (resolver.kind === 'custom')
      // Every operation of the document is routed by it: each is listed, at its own method and path, for review.
      addOperationRoutes(
        graph,
        child,
        { file, call },
        document.operations,
        () => undefined,
        () =>
          `express-openapi-validator routes it with the custom operationHandlers resolver ${resolver.name} (${resolver.at}), which mtls-fix does not read: the handler it picks is not known`,
        guardsOf,
      );
    else
      addControllerRoutes(
        graph,
        child,
        { file, call },
        document.operations,
        folder,
        resolver.kind === 'modulePath'
          ? 'operationId (resolvers.modulePathResolver)'
          : 'x-eov-operation-handler',
        guardsOf,
      );
    graph.mountAt(router, file, call, document.basePath, child);
  }
  return true;
}

/** Per graph: the `use` calls whose validator security handlers were added (the link phase sees a call again). */
const SECURED = new WeakMap<RouterGraphApi, Set<ts.CallExpression>>();

/**
 * express-openapi-validator's security handlers on a validator that routes nothing: `app.use(OpenApiValidator
 * .middleware({ apiSpec, validateSecurity: { handlers: { Cert: (req, scopes) => … } } }))` runs the handler named
 * after each scheme an operation requires before the routes after it, and what a handler throws (`{ status: 403 }`)
 * is the answer (express-openapi-validator docs, "validateSecurity"). The handlers, wherever they are written (an
 * imported module's exports), are middleware of the `use`: reached by the routes after it. Always false: the `use`
 * is read as middleware too.
 */
export const validatorSecurityUse: CallHandler = (graph, file, call, callee) => {
  const validators = call.arguments.flatMap((a) => validatorsIn(graph, file, a, undefined, 0, false));
  addSecurityHandlers(graph, file, call, callee.expression, validators);
  return false;
};

/**
 * The security handlers of `validators` as middleware of `call` on the router `receiver` names, once per call.
 * True when any was added.
 */
function addSecurityHandlers(
  graph: RouterGraphApi,
  file: ProjectFile,
  call: ts.CallExpression,
  receiver: ts.Expression,
  validators: readonly Validator[],
): boolean {
  const done = SECURED.get(graph) ?? new Set<ts.CallExpression>();
  SECURED.set(graph, done);
  if (done.has(call)) return false;
  const spans: Span[] = validators.flatMap((v) =>
    [...securityHandlersOf(graph, v).values()].map((g) => span(g.file, g.node)),
  );
  const router = spans.length ? graph.routerOf(file, receiver) : undefined;
  if (!router) return false;
  done.add(call);
  graph.addMiddleware(router, file, call, spans, false);
  return true;
}

/** `validateSecurity: { handlers }` of a validator's options, by scheme name (the object inline or a constant). */
function securityHandlersOf(graph: RouterGraphApi, validator: Validator): Members {
  const security = objectOf(graph, validator.optionsFile, property(validator.options, 'validateSecurity'));
  const handlers = security ? property(security.node, 'handlers') : undefined;
  return handlers && security ? membersOf(graph, security.file, handlers) : (new Map() as Members);
}

/**
 * The validators an expression builds: the call itself, a name holding it, or a project function returning it.
 * `routing`: only those with `operationHandlers` (else only those without).
 */
function validatorsIn(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  built: Validator['built'],
  depth: number,
  routing: boolean,
): Validator[] {
  if (depth > MAX_DEPTH) return [];
  const node = unwrap(expression);
  if (ts.isNewExpression(node)) {
    const options = validatorOptions(graph, file, node, routing);
    return options ? [{ file, call: node, ...options, built }] : [];
  }
  if (ts.isCallExpression(node)) {
    const options = validatorOptions(graph, file, node, routing);
    if (options) return [{ file, call: node, ...options, built }];
    const fns = graph.functionsOf(file, node.expression);
    return fns.flatMap((fn) =>
      returnedExpressions(fn).flatMap((e) =>
        validatorsIn(graph, fn.file, e, { fn, call: node, file }, depth + 1, routing),
      ),
    );
  }
  if (ts.isIdentifier(node))
    return graph
      .valuesOf(file, node)
      .filter((v) => v.node !== node && ts.isExpression(v.node))
      .flatMap((v) => validatorsIn(graph, v.file, v.node as ts.Expression, built, depth + 1, routing));
  return [];
}

/**
 * `x.middleware({ apiSpec, operationHandlers })` or (version 3) `new x.OpenApiValidator({ … })` (the options
 * inline or in a constant); with `routing` false, the same without `operationHandlers`.
 */
function validatorOptions(
  graph: RouterGraphApi,
  file: ProjectFile,
  call: ts.CallExpression | ts.NewExpression,
  routing: boolean,
): { options: ts.ObjectLiteralExpression; optionsFile: ProjectFile } | undefined {
  const callee = unwrap(call.expression);
  const member = ts.isNewExpression(call) ? 'OpenApiValidator' : 'middleware';
  const named = ts.isPropertyAccessExpression(callee) && callee.name.text === member;
  if (!named && !importedMember(graph, file, callee, member)) return undefined;
  const first = call.arguments?.[0];
  if (!first) return undefined;
  const candidates = [{ file, node: unwrap(first) as ts.Node }];
  if (ts.isIdentifier(unwrap(first))) candidates.push(...graph.valuesOf(file, unwrap(first)));
  for (const candidate of candidates) {
    const node = candidate.node;
    if (
      ts.isObjectLiteralExpression(node) &&
      property(node, 'apiSpec') !== undefined &&
      (property(node, 'operationHandlers') !== undefined) === routing
    )
      return { options: node, optionsFile: candidate.file };
  }
  return undefined;
}

/**
 * The library's `middleware` (or version 3's `OpenApiValidator` class) under a name of its own: `const {
 * middleware: openApiMiddleware } = require('express-openapi-validator')`, `import { middleware } from
 * 'express-openapi-validator'` (the library's examples/5-custom-operation-resolver), `const { OpenApiValidator }
 * = require('express-openapi-validator')`.
 */
function importedMember(
  graph: RouterGraphApi,
  file: ProjectFile,
  callee: ts.Expression,
  member: 'middleware' | 'OpenApiValidator',
): boolean {
  if (!ts.isIdentifier(callee)) return false;
  return graph.project.lookup(file, callee, callee.text).some((d) => {
    const imported = importedFrom(d.node);
    return imported?.name === member && imported.module.startsWith('express-openapi-validator');
  });
}

/**
 * A path-valued option: spelled out, a parameter of the function that built the validator (the argument its
 * caller passed), or the return values of a project function (the first folder or file that exists).
 */
function pathValues(
  graph: RouterGraphApi,
  validator: Validator,
  expression: ts.Expression,
  depth = 0,
): string[] {
  if (depth > MAX_DEPTH) return [];
  const node = unwrap(expression);
  const file = validator.optionsFile;
  // Every reading of a path (as written, and from the tsconfig outDir): the caller takes the first that exists.
  const direct = new DirEvaluator(graph, file).candidates(node);
  if (direct.length) return direct;
  const built = validator.built;
  if (ts.isIdentifier(node) && built) {
    const index = built.fn.node.parameters.findIndex(
      (p) => ts.isIdentifier(p.name) && p.name.text === node.text,
    );
    const argument = index >= 0 ? built.call.arguments[index] : undefined;
    if (argument) {
      return new DirEvaluator(graph, built.file).candidates(argument);
    }
  }
  if (ts.isCallExpression(node))
    return graph
      .functionsOf(file, node.expression)
      .filter((fn) => fn.node.parameters.length === 0)
      .flatMap((fn) =>
        returnedExpressions(fn).flatMap((e) =>
          pathValues(graph, { ...validator, optionsFile: fn.file, built: undefined }, e, depth + 1),
        ),
      );
  return [];
}

function handlersFolderOf(graph: RouterGraphApi, validator: Validator): string | undefined {
  const option = property(validator.options, 'operationHandlers');
  if (!option) return undefined;
  const node = unwrap(option);
  // `operationHandlers: { basePath, resolver }`
  const base = ts.isObjectLiteralExpression(node) ? property(node, 'basePath') : node;
  return base ? firstExisting(pathValues(graph, validator, base)) : undefined;
}

/**
 * How a validator's `operationHandlers` picks each operation's handler: a path alone, or `{ basePath, resolver }`
 * with the library's `resolvers.defaultResolver`, is `x-eov-operation-handler` + `x-eov-operation-id` /
 * `operationId` (`default`); `resolvers.modulePathResolver` splits `operationId` `module.export` (`modulePath`);
 * any other function is the project's own (`custom`: its text, or `an inline function`, and where it is written,
 * `file:line`), which mtls-fix does not read (express-openapi-validator docs, "operationHandlers"; its
 * src/resolvers.ts).
 */
type Resolver = { kind: 'default' | 'modulePath' } | { kind: 'custom'; name: string; at: string };

function resolverOf(graph: RouterGraphApi, validator: Validator): Resolver {
  const option = property(validator.options, 'operationHandlers');
  const node = option ? unwrap(option) : undefined;
  const value = node && ts.isObjectLiteralExpression(node) ? property(node, 'resolver') : undefined;
  if (!value) return { kind: 'default' };
  const file = validator.optionsFile;
  const expression = unwrap(value);
  const library = libraryResolver(file, expression);
  if (library === 'defaultResolver') return { kind: 'default' };
  if (library === 'modulePathResolver') return { kind: 'modulePath' };
  const named = ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression);
  const fn = named ? graph.functionsOf(file, expression)[0] : undefined;
  const at = fn
    ? `${fn.file.relative}:${lineOf(fn.file, fn.node)}`
    : `${file.relative}:${lineOf(file, expression)}`;
  return { kind: 'custom', name: named ? expression.getText(file.sourceFile) : 'an inline function', at };
}

/**
 * The name of the library's resolver an expression is: `resolvers.defaultResolver` (`OpenApiValidator.resolvers
 * .modulePathResolver`), or a name imported from `express-openapi-validator…` (`import { modulePathResolver }
 * from 'express-openapi-validator/dist/resolvers'`). Undefined for any other expression.
 */
function libraryResolver(file: ProjectFile, expression: ts.Expression): string | undefined {
  const names = new Set(['defaultResolver', 'modulePathResolver']);
  if (ts.isPropertyAccessExpression(expression) && names.has(expression.name.text)) {
    const object = unwrap(expression.expression);
    const owner = ts.isPropertyAccessExpression(object)
      ? object.name.text
      : ts.isIdentifier(object)
        ? object.text
        : '';
    return owner === 'resolvers' ? expression.name.text : undefined;
  }
  if (!ts.isIdentifier(expression)) return undefined;
  for (const statement of file.sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (!statement.moduleSpecifier.text.startsWith('express-openapi-validator')) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) {
      const imported = (element.propertyName ?? element.name).text;
      if (element.name.text === expression.text && names.has(imported)) return imported;
    }
  }
  return undefined;
}

function documentOf(
  graph: RouterGraphApi,
  validator: Validator,
  resolver: Resolver,
): ReturnType<typeof readDocument> {
  const eovBinding =
    resolver.kind === 'custom'
      ? bindAll
      : resolver.kind === 'modulePath'
        ? modulePathBinding
        : defaultBinding;
  const option = property(validator.options, 'apiSpec');
  const parsed = option ? documentLookup(graph, validator.optionsFile, option) : undefined;
  const values = option ? pathValues(graph, validator, option) : [];
  if (option) noteDocumentCopy(graph.project, validator.optionsFile, option, values);
  const file = option ? firstExisting([...values, ...(parsed?.file ? [parsed.file] : [])]) : undefined;
  if (file) return readDocument(graph.documents, file, eovBinding);
  // A path read in full that names no file: named with every path tried (as written and from the outDir).
  const named = values[0] ?? parsed?.file;
  return { document: undefined, fault: missingDocument(named, [...values, ...(parsed?.tried ?? [])]) };
}

/** A custom resolver is asked for every operation of the document: each is bound, to a handler not read. */
function bindAll(operation: Record<string, unknown>): { handler: string; operationId: string | undefined } {
  const id = operation['operationId'];
  return { handler: '', operationId: typeof id === 'string' ? id : undefined };
}

/** `resolvers.modulePathResolver`: `operationId: 'accounts.getAccount'` is the export `getAccount` of `accounts`. */
function modulePathBinding(
  operation: Record<string, unknown>,
): { handler: string; operationId: string | undefined } | undefined {
  const id = operation['operationId'];
  if (typeof id !== 'string') return undefined;
  const [handler = '', exported] = id.split('.');
  return { handler, operationId: exported };
}

/** `x-eov-operation-handler` names the module; `x-eov-operation-id`, else `operationId`, the export. */
function defaultBinding(
  operation: Record<string, unknown>,
): { handler: string; operationId: string | undefined } | undefined {
  const handler = operation['x-eov-operation-handler'];
  if (typeof handler !== 'string') return undefined;
  const id = operation['x-eov-operation-id'] ?? operation['operationId'];
  return { handler, operationId: typeof id === 'string' ? id : undefined };
}
