import ts from '../../typescript.cjs';
import { requireOf, unwrap, type ProjectFile } from './project.js';
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
