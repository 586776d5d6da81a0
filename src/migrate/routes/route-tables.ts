import ts from '../../typescript.cjs';
import { requireOf, staticString, unwrap, type ProjectFile } from './project.js';
import { objectProperty } from './syntax.js';
import { registerRouteObject } from './route-object.js';
import type { CallHandler, RouterGraphApi } from './wiring.js';

/** One route object of a route table, with the file it is written in. */
export interface RouteObjectAt {
  file: ProjectFile;
  object: ts.ObjectLiteralExpression;
}

/** The route objects an argument holds, and the parts of it that could not be read statically. */
export interface RouteTable {
  objects: RouteObjectAt[];
  /** Source text of each part built at run time (`routes.filter(enabled)`, a function's return value). */
  unread: { file: ProjectFile; node: ts.Node }[];
}

const MAX_DEPTH = 8;

/**
 * The route objects a registration receives (hapi `server.route(x)`), followed through what real code
 * writes: literals and arrays, spreads and `[].concat(a, b)`, variables, imports and `require()` of modules
 * exporting the table (`module.exports = [...]`, `export default [...]`), and the element variable of
 * `table.forEach((r) => server.route(r))` / `for (const r of table)`. What cannot be followed is returned in
 * `unread`, never dropped.
 */
export function routeTable(graph: RouterGraphApi, file: ProjectFile, expression: ts.Expression): RouteTable {
  const table: RouteTable = { objects: [], unread: [] };
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
  // `require('./routes')()`, `buildRoutes(config)`: what the project function called returns.
  if (ts.isCallExpression(node) && !requireOf(node)) {
    const functions = graph.functionsOf(file, node.expression);
    const returned = functions.flatMap((fn) =>
      returnedValues(fn.node).map((value) => ({ file: fn.file, value })),
    );
    if (!returned.length) table.unread.push({ file, node });
    for (const { file: at, value } of returned) collect(graph, at, value, table, depth + 1);
    return;
  }
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || requireOf(node)) {
    const values = graph.valuesOf(file, node);
    const followed = values.filter((v) => v.node !== node);
    if (!followed.length) {
      table.unread.push({ file, node });
      return;
    }
    for (const value of followed) {
      const element = elementSource(value.node);
      if (element) collect(graph, value.file, element, table, depth + 1);
      else if (ts.isExpression(value.node)) collect(graph, value.file, value.node, table, depth + 1);
      else table.unread.push(value);
    }
    return;
  }
  table.unread.push({ file, node });
}

/** The expressions a function returns (an arrow's expression body, `return` statements of its own body). */
function returnedValues(fn: ts.SignatureDeclaration & { body?: ts.Node }): ts.Expression[] {
  const body = fn.body;
  if (!body) return [];
  if (!ts.isBlock(body)) return ts.isExpression(body) ? [body] : [];
  const out: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return; // a nested function's returns are its own
    if (ts.isReturnStatement(node) && node.expression) out.push(node.expression);
    node.forEachChild(visit);
  };
  body.forEachChild(visit);
  return out;
}

/**
 * The table an element variable walks: `table` in `table.forEach((r) => …)` / `table.map(...)` for the
 * parameter `r`, and in `for (const r of table)` for the loop variable.
 */
export function elementSource(node: ts.Node): ts.Expression | undefined {
  if (ts.isParameter(node) && node.parent.parameters[0] === node) {
    const fn = node.parent;
    const call = fn.parent;
    if (
      ts.isCallExpression(call) &&
      call.arguments[0] === fn &&
      ts.isPropertyAccessExpression(call.expression) &&
      ['forEach', 'map'].includes(call.expression.name.text)
    )
      return call.expression.expression;
  }
  if (
    ts.isVariableDeclaration(node) &&
    !node.initializer &&
    ts.isVariableDeclarationList(node.parent) &&
    ts.isForOfStatement(node.parent.parent)
  )
    return node.parent.parent.expression;
  return undefined;
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
    if (!router) return true;
    if (router.framework !== framework) return false;
    const argument = call.arguments[0];
    if (!argument) return true;
    const table = routeTable(graph, file, argument);
    for (const { file: at, object } of table.objects)
      registerRouteObject(graph, router, at, at === file ? call : object, object, handlerKeys);
    for (const part of table.unread) {
      const text = part.node.getText(part.file.sourceFile).slice(0, 60);
      graph.addUnread(router, file, call, 'ALL', `the route table ${text} is built at run time`, []);
    }
    return true;
  };
}

/**
 * `routes.forEach((r) => router[r.method](r.path, r.handler))`, `for (const { method, path, handler } of routes)
 * app[method](`/api${path}`, auth, handler)`: a registration whose method is a field of the element of a route
 * table. Each object of the table (followed as `routeTable` does) is one route: its method, the path argument
 * with the element's fields put in (string fields of the row, templates and `+` of them), and the handler
 * arguments read from the row (`r.handler`, `...r.middleware`). False when the method is not such a field, so
 * the caller reports the registration for review by hand; a row whose method or path is not a string is listed.
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
  for (const { file: at, object } of table.objects) {
    const row: Row = { graph, file, element: field.element, object, at };
    const method = staticString(objectProperty(object, field.key))?.toLowerCase();
    const path = rowString(row, pathArgument);
    const handlers = handlerArguments.flatMap((h) => rowHandlers(row, h));
    const anchor = at === file ? call : object;
    if (!method || path === undefined) {
      const missing = !method ? 'method' : 'path';
      graph.addUnread(
        router,
        at,
        anchor,
        method ?? 'all',
        `the route's ${missing} is computed at run time`,
        handlers,
      );
      continue;
    }
    graph.addRoute(router, at, anchor, method, [path], handlers);
  }
  for (const part of table.unread) {
    const text = part.node.getText(part.file.sourceFile).slice(0, 60);
    graph.addUnread(router, file, call, 'all', `the route table ${text} is built at run time`, []);
  }
  return true;
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
}

/** `r.method.toLowerCase()` / `method.toUpperCase()`: the field read. */
function stripCase(expression: ts.Expression): ts.Expression {
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
 * `r.method` for a loop element `r`, or `method` destructured from it (`({ method }) => …`,
 * `for (const { method } of table)`).
 */
function elementField(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
): { key: string; element: ts.Node; table: ts.Expression } | undefined {
  if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression)) {
    const receiver = expression.expression;
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

/** The field of the row an expression reads (`r.path` / destructured `path`), if it reads one. */
function rowField(row: Row, expression: ts.Expression): ts.Expression | undefined {
  const node = unwrap(expression);
  const field = elementField(row.graph, row.file, node);
  if (!field || field.element !== row.element) return undefined;
  return objectProperty(row.object, field.key);
}

/** A path argument with the row's fields put in: literals, row string fields, templates and `+` of them. */
function rowString(row: Row, expression: ts.Expression): string | undefined {
  const node = unwrap(expression);
  const field = rowField(row, node);
  if (field) return staticString(field) ?? row.graph.project.stringOf(row.at, field);
  if (ts.isTemplateExpression(node)) {
    let out = node.head.text;
    for (const spanNode of node.templateSpans) {
      const part = rowString(row, spanNode.expression);
      if (part === undefined) return undefined;
      out += part + spanNode.literal.text;
    }
    return out;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = rowString(row, node.left);
    const right = rowString(row, node.right);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  return row.graph.project.stringOf(row.file, node);
}

/**
 * The handlers one argument gives for a row: the row's field (`r.handler`), the elements of a spread field
 * (`...r.middleware`), or the argument itself when it is the registration's own (`auth`), in the row's file only
 * when the row is written there.
 */
function rowHandlers(row: Row, argument: ts.Expression): ts.Expression[] {
  const spread = ts.isSpreadElement(argument);
  const expression = spread ? argument.expression : argument;
  const field = rowField(row, expression);
  if (field) {
    const value = unwrap(field);
    return spread && ts.isArrayLiteralExpression(value)
      ? value.elements.filter((e): e is ts.Expression => !ts.isSpreadElement(e) && !ts.isOmittedExpression(e))
      : [field];
  }
  return row.at === row.file && !spread ? [expression] : [];
}
