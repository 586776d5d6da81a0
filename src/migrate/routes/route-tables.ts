import ts from '../../typescript.cjs';
import { lineOf, requireOf, staticString, unwrap, type ProjectFile } from './project.js';
import { elementSource, objectProperty, returnedExpressions, span } from './syntax.js';
import { registerRouteObject } from './route-object.js';
import { ABSENT, factoryObjects, fieldOf, resolveValue, stringValue, type Env } from './route-factories.js';
import { passedValues } from './call-sites.js';
import { loadsByName } from './listed-modules.js';
import { operationTableOf, registerOperationTable, type OperationTable } from './operation-tables.js';
import type { Span } from './model.js';
import type { CallHandler, RouterGraphApi, RouterNode } from './wiring.js';

/** One route object of a route table, with the file it is written in. */
export interface RouteObjectAt {
  file: ProjectFile;
  object: ts.ObjectLiteralExpression;
  /**
   * A row a factory made (`createApiRequestHandler(validator)(handler)`, route-factories.ts): the bindings its
   * fields are read under, and the factory call that made it (where the route is written).
   */
  made?: { env: Env; file: ProjectFile; call: ts.CallExpression };
}

/** The route objects an argument holds, and the parts of it that could not be read statically. */
export interface RouteTable {
  objects: RouteObjectAt[];
  /** Source text of each part built at run time (`routes.filter(enabled)`, a function's return value). */
  unread: { file: ProjectFile; node: ts.Node }[];
  /** Rows made from an openapi-backend's operations (`api.router.getOperations().map(…)`, operation-tables.ts). */
  operations: OperationTable[];
}

const MAX_DEPTH = 8;

/**
 * The route objects a registration receives (hapi `server.route(x)`), followed through what real code
 * writes: literals and arrays, spreads, `[].concat(a, b)` and `[a, b].flat()`, variables, imports and `require()` of modules
 * exporting the table (`module.exports = [...]`, `export default [...]`), and the element variable of
 * `table.forEach((r) => server.route(r))` / `for (const r of table)`. What cannot be followed is returned in
 * `unread`, never dropped.
 */
export function routeTable(graph: RouterGraphApi, file: ProjectFile, expression: ts.Expression): RouteTable {
  const table: RouteTable = { objects: [], unread: [], operations: [] };
  collect(graph, file, expression, table, 0);
  return table;
}

function collect(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  table: RouteTable,
  depth: number,
): void {
  const node = unwrap(expression);
  if (depth > MAX_DEPTH) {
    table.unread.push({ file, node });
    return;
  }
  if (ts.isObjectLiteralExpression(node)) {
    table.objects.push({ file, object: node });
    return;
  }
  if (ts.isArrayLiteralExpression(node)) {
    for (const element of node.elements)
      collect(graph, file, ts.isSpreadElement(element) ? element.expression : element, table, depth + 1);
    return;
  }
  // `[].concat(a, b)`, `a.concat(b)`
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'concat'
  ) {
    collect(graph, file, node.expression.expression, table, depth + 1);
    for (const argument of node.arguments) collect(graph, file, argument, table, depth + 1);
    return;
  }
  // `[account, admin, forms].flat()` of imported tables (DEFRA/forms-designer's routes/index.js): the rows of
  // each element, at any depth (`.flat(Infinity)`), as an array's are read.
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'flat'
  ) {
    collect(graph, file, node.expression.expression, table, depth + 1);
    return;
  }
  const operations = operationTableOf(file, node);
  if (operations) {
    table.operations.push(operations);
    return;
  }
  // `createApiRequestHandler(validator)(handler)`, `makeRoute({ method, path }, h)`: an object the called
  // function writes, its fields read from the call's arguments (route-factories.ts).
  if (ts.isCallExpression(node) && !requireOf(node) && !loadsByName(node)) {
    const made = factoryObjects(graph, file, node);
    for (const value of made)
      if (ts.isObjectLiteralExpression(value.node))
        table.objects.push({
          file: value.file,
          object: value.node,
          made: { env: value.env, file, call: node },
        });
    if (made.length) return;
  }
  // `require('./routes')()`, `buildRoutes(config)`: what the project function called returns.
  if (ts.isCallExpression(node) && !requireOf(node) && !loadsByName(node)) {
    const functions = graph.functionsOf(file, node.expression);
    const returned = functions.flatMap((fn) =>
      returnedExpressions(fn).map((value) => ({ file: fn.file, value })),
    );
    if (!returned.length) table.unread.push({ file, node });
    for (const { file: at, value } of returned) collect(graph, at, value, table, depth + 1);
    return;
  }
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || requireOf(node) || loadsByName(node)) {
    const values = graph.valuesOf(file, node);
    const followed = values.filter((v) => v.node !== node);
    if (!followed.length) {
      table.unread.push({ file, node });
      return;
    }
    for (const value of followed) {
      const element = elementSource(value.node);
      const passed = element ? undefined : passedValues(graph, value);
      if (element) collect(graph, value.file, element, table, depth + 1);
      else if (passed) for (const p of passed) collect(graph, p.file, p.node, table, depth + 1);
      else if (ts.isExpression(value.node)) collect(graph, value.file, value.node, table, depth + 1);
      else table.unread.push(value);
    }
    // `allRoutes.push(...routes)`: rows added to a table variable after its declaration belong to it too.
    for (const added of appended(graph, file, node)) collect(graph, added.file, added.node, table, depth + 1);
    return;
  }
  table.unread.push({ file, node });
}

/**
 * What code appends to the array a name holds (`table.push(row)`, `table.push(...rows)`, `table.unshift(row)`)
 * anywhere in the file that declares it: each argument (a spread's array), to be read as rows of the table.
 */
function appended(
  graph: RouterGraphApi,
  file: ProjectFile,
  name: ts.Expression,
): { file: ProjectFile; node: ts.Expression }[] {
  if (!ts.isIdentifier(name)) return [];
  const out: { file: ProjectFile; node: ts.Expression }[] = [];
  for (const declaration of graph.project.lookup(file, name, name.text)) {
    if (!ts.isVariableDeclaration(declaration.node) || !ts.isIdentifier(declaration.node.name)) continue;
    const text = declaration.node.name.text;
    for (const call of graph.project.calls(declaration.file)) {
      const callee = call.expression;
      if (!ts.isPropertyAccessExpression(callee) || !['push', 'unshift'].includes(callee.name.text)) continue;
      const receiver = unwrap(callee.expression);
      if (!ts.isIdentifier(receiver) || receiver.text !== text) continue;
      const same = graph.project
        .lookup(declaration.file, receiver, text)
        .some((d) => d.node === declaration.node);
      if (!same) continue;
      for (const argument of call.arguments)
        out.push({
          file: declaration.file,
          node: ts.isSpreadElement(argument) ? argument.expression : argument,
        });
    }
  }
  return out;
}

/**
 * The `route(x)` registration of a framework whose routes are option objects (hapi `server.route`, Fastify
 * `fastify.route`): every object of the table `x` holds is a route of the receiver (`handlerKeys` name its
 * handler functions); a part of the table built at run time is listed for review by hand. Another framework's
 * `route` (Express `route('/p')` chains) is left to its own wiring.
 */
export function routeObjectRegistration(framework: string, handlerKeys: readonly string[]): CallHandler {
  return (graph, file, call, callee) => {
    const router = graph.routerOf(file, callee.expression);
    if (!router) return untracedRouteObjects(graph, file, call, callee, framework, handlerKeys);
    if (router.framework !== framework) return false;
    const argument = call.arguments[0];
    if (!argument) return true;
    const table = routeTable(graph, file, argument);
    for (const { file: at, object } of table.objects)
      registerRouteObject(graph, router, at, at === file ? call : object, object, handlerKeys);
    for (const operations of table.operations)
      registerOperationTable(graph, router, file, call, operations, handlerKeys);
    for (const part of table.unread) {
      const text = part.node.getText(part.file.sourceFile).slice(0, 60);
      graph.addUnread(router, file, call, 'ALL', `the route table ${text} is built at run time`, []);
    }
    return true;
  };
}

/**
 * `server.route({ method, path, handler })` on a receiver the graph cannot trace (`const server = deps.server`
 * read no further): each route object written in the table with its method and path spelled out (a path from `/`)
 * is a route for review by hand, as an untraced `server.get('/x', h)` is (registrations.ts `untracedRoute`), and
 * what the same receiver registers (`server.ext(…)`) runs for it. Read by the wiring of the framework the file
 * imports (hapi when neither). Objects whose method or path is computed, and tables built at run time, are not
 * listed: on a receiver nothing says is a server (fastify-openapi-glue's own `routesInstance.route({ method:
 * item.method, url: item.url, … })`, `page.route('**', fn)`), they would be guesses. True when this wiring read
 * the call.
 */
function untracedRouteObjects(
  graph: RouterGraphApi,
  file: ProjectFile,
  call: ts.CallExpression,
  callee: ts.PropertyAccessExpression,
  framework: string,
  handlerKeys: readonly string[],
): boolean {
  const guessed = graph.guessWiring(file);
  const reader = guessed.framework === 'fastify' || guessed.framework === 'hapi' ? guessed.framework : 'hapi';
  if (reader !== framework) return false;
  const argument = call.arguments[0];
  if (!argument || call.arguments.length > 1) return true;
  const stand: RouterNode = {
    key: '',
    file,
    node: call,
    framework,
    kind: 'router',
    syntax: framework === 'hapi' ? 'hapi' : guessed.syntax,
    prefix: '',
    entries: [],
    mountedBy: 0,
  };
  for (const { file: at, object } of routeTable(graph, file, argument).objects)
    registerRouteObject(graph, stand, at, at === file ? call : object, object, handlerKeys);
  const receiver = callee.expression.getText(file.sourceFile).replace(/\s+/g, ' ');
  const short = receiver.length > 40 ? `${receiver.slice(0, 40)}…` : receiver;
  for (const entry of stand.entries) {
    if (entry.kind !== 'route') continue;
    const line = lineOf(entry.file, entry.node);
    for (const path of entry.paths) {
      if (path === undefined || !path.startsWith('/')) continue;
      graph.addUntracedRoute(
        {
          framework,
          method: entry.method,
          path,
          syntax: stand.syntax,
          file: entry.file.relative,
          line,
          handlers: [...entry.handlers],
          unresolved: `registered on ${short}, which mtls-fix could not trace to an app or router (${entry.file.relative}:${line})`,
          mountFile: entry.file.relative,
          unreadable: true,
        },
        { file, expression: callee.expression },
      );
    }
  }
  return true;
}

/**
 * `routes.forEach((r) => router[r.method](r.path, r.handler))`, `for (const { method, path, handler } of routes)
 * app[method](`/api${path}`, auth, handler)`: a registration whose method is a field of the element of a route
 * table. Each object of the table (followed as `routeTable` does) is one route: its method, the path argument
 * with the element's fields put in (string fields of the row, templates, `+` and `??` of them, `const`s the
 * loop body builds from them), and the handler arguments read from the row (`r.handler`, `...r.middleware`, a
 * local array of them). A row a factory made (route-factories.ts) is read under the factory call's arguments,
 * written where that call is, and also runs the functions given to the factory. False when the method is not
 * such a field, so the caller reports the registration for review by hand; a row whose method or path is not a
 * string is listed.
 */
export function routeObjectLoop(
  graph: RouterGraphApi,
  file: ProjectFile,
  call: ts.CallExpression,
  callee: ts.ElementAccessExpression,
): boolean {
  const field = elementField(graph, file, stripCase(callee.argumentExpression));
  if (!field) return false;
  const router = graph.routerOf(file, unwrap(callee.expression));
  if (!router) return false;
  const table = routeTable(graph, file, field.table);
  if (!table.objects.length) return false;
  const [pathArgument, ...handlerArguments] = call.arguments;
  if (!pathArgument) return false;
  for (const { file: at, object, made } of table.objects) {
    const row: Row = { graph, file, element: field.element, object, at, made };
    const methodValue = rowField(row, field.key);
    const methodText = made
      ? methodValue && methodValue !== ABSENT
        ? stringValue(graph, methodValue)
        : undefined
      : staticString(objectProperty(object, field.key));
    const method = typeof methodText === 'string' ? methodText.toLowerCase() : undefined;
    const pathText = rowString(row, pathArgument);
    const path = typeof pathText === 'string' ? pathText : undefined;
    const handlers = [
      ...handlerArguments.flatMap((h) => rowHandlers(row, h)),
      ...(made?.env.given.map((fn) => span(fn.file, fn.node)) ?? []),
    ];
    const where = made ? made.file : at;
    const anchor = made ? made.call : at === file ? call : object;
    if (!method || path === undefined) {
      const missing = !method ? 'method' : 'path';
      pushEntry(
        router,
        where,
        anchor,
        method ?? 'all',
        handlers,
        `the route's ${missing} is computed at run time`,
      );
      continue;
    }
    pushEntry(router, where, anchor, method, handlers, undefined, path);
  }
  for (const part of [...table.unread, ...table.operations]) {
    const text = part.node.getText(part.file.sourceFile).slice(0, 60);
    graph.addUnread(router, file, call, 'all', `the route table ${text} is built at run time`, []);
  }
  return true;
}

/** A route (or, with `why`, an unread registration) whose handler spans may lie in several files. */
function pushEntry(
  router: RouterNode,
  file: ProjectFile,
  node: ts.Node,
  method: string,
  handlers: Span[],
  why: string | undefined,
  path?: string,
): void {
  const upper = method === 'del' ? 'DELETE' : method.toUpperCase();
  if (why !== undefined) router.entries.push({ kind: 'unread', method: upper, why, handlers, file, node });
  else router.entries.push({ kind: 'route', method: upper, paths: [path], handlers, file, node });
}

/** One row of a route table while a registration's arguments are read against it. */
interface Row {
  graph: RouterGraphApi;
  /** The file of the registration. */
  file: ProjectFile;
  /** The element variable: the loop's parameter or variable (or its destructuring pattern). */
  element: ts.Node;
  object: ts.ObjectLiteralExpression;
  /** The file the row object is written in. */
  at: ProjectFile;
  made?: RouteObjectAt['made'];
}

/** `r.method.toLowerCase()` / `method.toUpperCase()`: the field read (route tables and registration helpers). */
export function stripCase(expression: ts.Expression): ts.Expression {
  const node = unwrap(expression);
  if (
    ts.isCallExpression(node) &&
    !node.arguments.length &&
    ts.isPropertyAccessExpression(node.expression) &&
    ['toLowerCase', 'toUpperCase', 'toLocaleLowerCase'].includes(node.expression.name.text)
  )
    return unwrap(node.expression.expression);
  return node;
}

/**
 * The row field an expression reads, with the element it reads it from and the table the element walks:
 * `r.method` for a loop element `r` (also `(r as T).method`), or `method` destructured from it
 * (`({ method }) => …`, `for (const { method } of table)`).
 */
function elementField(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
): { key: string; element: ts.Node; table: ts.Expression } | undefined {
  if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(unwrap(expression.expression))) {
    const receiver = unwrap(expression.expression) as ts.Identifier;
    for (const d of graph.project.lookup(file, receiver, receiver.text)) {
      const table = elementSource(d.node);
      if (table) return { key: expression.name.text, element: d.node, table };
    }
    return undefined;
  }
  if (!ts.isIdentifier(expression)) return undefined;
  for (const d of graph.project.lookup(file, expression, expression.text)) {
    const binding = d.node;
    if (!ts.isBindingElement(binding) || !ts.isObjectBindingPattern(binding.parent)) continue;
    const holder = binding.parent.parent;
    const table = elementSource(holder);
    const name = binding.propertyName ?? binding.name;
    if (table && (ts.isIdentifier(name) || ts.isStringLiteral(name)))
      return { key: name.text, element: holder, table };
  }
  return undefined;
}

/**
 * Field `key` of the row: a factory row's field read under its call's arguments (`ABSENT` when the row
 * lacks it), or the expression a written row holds (`ABSENT` when it lacks it and has no spread).
 */
function rowField(
  row: Row,
  key: string,
): { file: ProjectFile; node: ts.Expression; env: Env } | typeof ABSENT | undefined {
  if (row.made) return fieldOf(row.graph, { file: row.at, node: row.object, env: row.made.env }, key);
  const value = objectProperty(row.object, key);
  if (value) return { file: row.at, node: value, env: { bindings: new Map(), given: [] } };
  return row.object.properties.some((p) => ts.isSpreadAssignment(p)) ? undefined : ABSENT;
}

/** The row field an expression reads (`r.path` / destructured `path`), if it reads one of this row's element. */
function rowFieldOf(
  row: Row,
  expression: ts.Expression,
): { file: ProjectFile; node: ts.Expression; env: Env } | typeof ABSENT | undefined | false {
  const node = unwrap(expression);
  const field = elementField(row.graph, row.file, node);
  if (!field || field.element !== row.element) return false;
  return rowField(row, field.key);
}

/**
 * A `const` the loop body declares (`const path = `/${version}${route.path}``): its initializer, read against
 * the row like the argument itself.
 */
function loopConst(row: Row, node: ts.Expression): ts.Expression | undefined {
  if (!ts.isIdentifier(node)) return undefined;
  const loop = row.element.parent;
  for (const d of row.graph.project.lookup(row.file, node, node.text)) {
    const declaration = d.node;
    if (
      d.file === row.file &&
      ts.isVariableDeclaration(declaration) &&
      declaration.initializer &&
      (declaration.parent.flags & ts.NodeFlags.Const) !== 0 &&
      declaration.pos >= loop.pos &&
      declaration.end <= loop.end
    )
      return declaration.initializer;
  }
  return undefined;
}

/**
 * A path argument with the row's fields put in: literals, row string fields, templates, `+` and `??` / `||` of
 * them, `const`s of the loop body. `ABSENT`: a field the row lacks (so `?? 'v1'` applies).
 */
function rowString(row: Row, expression: ts.Expression, depth = 0): string | typeof ABSENT | undefined {
  const node = unwrap(expression);
  if (depth > 8) return undefined;
  const field = rowFieldOf(row, node);
  if (field === ABSENT) return row.made ? ABSENT : undefined;
  if (field) {
    if (row.made) return stringValue(row.graph, field);
    return staticString(field.node) ?? row.graph.project.stringOf(row.at, field.node);
  }
  if (field === undefined) return undefined;
  if (ts.isTemplateExpression(node)) {
    let out = node.head.text;
    for (const spanNode of node.templateSpans) {
      const part = rowString(row, spanNode.expression, depth + 1);
      if (typeof part !== 'string') return undefined;
      out += part + spanNode.literal.text;
    }
    return out;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = rowString(row, node.left, depth + 1);
    const right = rowString(row, node.right, depth + 1);
    return typeof left === 'string' && typeof right === 'string' ? left + right : undefined;
  }
  if (
    row.made &&
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  ) {
    const left = rowString(row, node.left, depth + 1);
    return left === ABSENT ? rowString(row, node.right, depth + 1) : left;
  }
  const local = row.made ? loopConst(row, node) : undefined;
  if (local) return rowString(row, local, depth + 1);
  return row.graph.project.stringOf(row.file, node);
}

/**
 * The handlers one argument gives for a row: the row's field (`r.handler`), the elements of a spread field
 * (`...r.middleware`), or the argument itself when it is the registration's own (`auth`), in the row's file only
 * when the row is written there. For a factory row also the registration's own arguments and the arrays a loop
 * `const` gathers (`const middleware = [...(route.middleware ?? []), deprecation]`).
 */
function rowHandlers(row: Row, argument: ts.Expression, depth = 0): Span[] {
  const spread = ts.isSpreadElement(argument);
  const expression = unwrap(spread ? argument.expression : argument);
  const field = rowFieldOf(row, expression);
  if (field === ABSENT || field === undefined) return [];
  if (field) {
    const source = row.made ? resolveValue(row.graph, field) : field;
    const value = unwrap(source.node);
    const elements =
      spread && ts.isArrayLiteralExpression(value)
        ? value.elements.filter(
            (e): e is ts.Expression => !ts.isSpreadElement(e) && !ts.isOmittedExpression(e),
          )
        : [source.node];
    return elements.map((e) => span(source.file, e));
  }
  if (!row.made) return row.at === row.file && !spread ? [span(row.at, expression)] : [];
  if (depth > 6) return [];
  if (ts.isArrayLiteralExpression(expression))
    return expression.elements.flatMap((e) => rowHandlers(row, e, depth + 1));
  if (
    ts.isBinaryExpression(expression) &&
    (expression.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      expression.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  )
    return [expression.left, expression.right].flatMap((e) => rowHandlers(row, e, depth + 1));
  if (ts.isConditionalExpression(expression))
    return [expression.whenTrue, expression.whenFalse].flatMap((e) => rowHandlers(row, e, depth + 1));
  const local = loopConst(row, expression);
  if (local) return rowHandlers(row, local, depth + 1);
  return [span(row.file, expression)];
}
