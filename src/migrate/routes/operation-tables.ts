import ts from '../../typescript.cjs';
import { backendOperations } from './openapi-backend.js';
import { staticString, unwrap, type ProjectFile } from './project.js';
import { registerRouteObject } from './route-object.js';
import { filterKeeps, filterOf, type Filter } from './static-filters.js';
import { objectProperty } from './syntax.js';
import type { RouterGraphApi, RouterNode } from './wiring.js';

/**
 * A route table made from the operations of an openapi-backend, as mojaloop's ml-api-adapter writes it:
 * `api.router.getOperations().filter((o) => o.path !== '/metrics').map((operation) => ({ method:
 * operation.method.toUpperCase(), path: operation.path, handler: handleRequest }))`.
 */
export interface OperationTable {
  file: ProjectFile;
  /** The whole expression (named when it cannot be read). */
  node: ts.Expression;
  /** The backend: `api` of `api.router.getOperations()`. */
  receiver: ts.Expression;
  filters: Filter[];
  /** The `map` callback's parameter and the route object it returns. */
  element: string;
  row: ts.ObjectLiteralExpression;
}

/** The operation table an expression spells, if it is one (syntax only: the backend is looked up later). */
export function operationTableOf(file: ProjectFile, expression: ts.Expression): OperationTable | undefined {
  const node = unwrap(expression);
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
  if (node.expression.name.text !== 'map') return undefined;
  const mapped = mapCallback(node.arguments[0]);
  if (!mapped) return undefined;
  const filters: Filter[] = [];
  let source = unwrap(node.expression.expression);
  while (
    ts.isCallExpression(source) &&
    ts.isPropertyAccessExpression(source.expression) &&
    source.expression.name.text === 'filter'
  ) {
    const filter = filterOf(source.arguments[0]);
    // A filter that is no inline callback: the table is listed as built at run time (a placeholder that no
    // element passes keeps it out of the routes).
    filters.unshift(filter ?? { name: '', body: source.arguments[0] ?? source });
    source = unwrap(source.expression.expression);
  }
  if (
    !ts.isCallExpression(source) ||
    source.arguments.length ||
    !ts.isPropertyAccessExpression(source.expression) ||
    source.expression.name.text !== 'getOperations'
  )
    return undefined;
  const routerOfBackend = unwrap(source.expression.expression);
  if (!ts.isPropertyAccessExpression(routerOfBackend) || routerOfBackend.name.text !== 'router')
    return undefined;
  return { file, node, receiver: routerOfBackend.expression, filters, ...mapped };
}

function mapCallback(
  argument: ts.Expression | undefined,
): { element: string; row: ts.ObjectLiteralExpression } | undefined {
  const fn = argument ? unwrap(argument) : undefined;
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  const parameter = fn.parameters[0];
  if (!parameter || !ts.isIdentifier(parameter.name)) return undefined;
  let body: ts.Node = fn.body;
  if (ts.isBlock(body)) {
    const only = body.statements.length === 1 ? body.statements[0] : undefined;
    if (!only || !ts.isReturnStatement(only) || !only.expression) return undefined;
    body = only.expression;
  }
  const row = ts.isExpression(body) ? unwrap(body) : undefined;
  return row && ts.isObjectLiteralExpression(row) ? { element: parameter.name.text, row } : undefined;
}

/**
 * Each operation of the table's backend that its filters keep is a route of `router`: the row's method and
 * path read with the callback's element standing for the operation (`operation.method.toUpperCase()`,
 * `` `/api${operation.path}` ``), its handler and options the row's. A backend whose definition cannot be read,
 * a filter that is not one of the spellings `filterKeeps` runs, or a row whose method or path reads anything else
 * leaves the table listed for review by hand.
 */
export function registerOperationTable(
  graph: RouterGraphApi,
  router: RouterNode,
  file: ProjectFile,
  call: ts.CallExpression,
  table: OperationTable,
  handlerKeys: readonly string[],
): void {
  const text = table.node.getText(table.file.sourceFile).slice(0, 60);
  const unread = (why: string) =>
    graph.addUnread(router, file, call, 'ALL', `the route table ${text} ${why}`, []);
  const operations = backendOperations(graph, table.file, table.receiver);
  if (!operations) {
    unread('lists the operations of an openapi-backend whose definition is computed at run time');
    return;
  }
  const methodNode = objectProperty(table.row, 'method');
  const pathNode = objectProperty(table.row, 'path') ?? objectProperty(table.row, 'url');
  const routes: { method: string; path: string }[] = [];
  for (const operation of operations) {
    const field = (name: string) => (expression: ts.Expression) =>
      operationField(expression, name, operation);
    const kept = table.filters.map((f) => filterKeeps(f, field(f.name)));
    if (kept.includes(undefined)) {
      unread('is built at run time');
      return;
    }
    if (kept.includes(false)) continue;
    const method = methodNode ? spelled(methodNode, field(table.element)) : undefined;
    const path = pathNode ? spelled(pathNode, field(table.element)) : undefined;
    if (method === undefined || path === undefined) {
      unread('is built at run time');
      return;
    }
    routes.push({ method, path: router.syntax === 'hapi' ? path : path.replace(/\{([^}]+)\}/g, ':$1') });
  }
  for (const route of routes)
    registerRouteObject(graph, router, table.file, table.row, table.row, handlerKeys, {
      methods: [route.method],
      paths: [route.path],
    });
}

/** `operation.path`, `operation.method.toUpperCase()`: a field of the operation the element stands for. */
function operationField(
  expression: ts.Expression,
  element: string,
  operation: { method: string; path: string; operationId: string | undefined },
): string | undefined {
  const node = unwrap(expression);
  if (
    ts.isCallExpression(node) &&
    !node.arguments.length &&
    ts.isPropertyAccessExpression(node.expression) &&
    ['toUpperCase', 'toLowerCase'].includes(node.expression.name.text)
  ) {
    const inner = operationField(node.expression.expression, element, operation);
    if (inner === undefined) return undefined;
    return node.expression.name.text === 'toUpperCase' ? inner.toUpperCase() : inner.toLowerCase();
  }
  if (!ts.isPropertyAccessExpression(node)) return undefined;
  const receiver = unwrap(node.expression);
  if (!ts.isIdentifier(receiver) || receiver.text !== element) return undefined;
  const name = node.name.text;
  return name === 'method' || name === 'path' || name === 'operationId' ? operation[name] : undefined;
}

/** A string of literals, fields of the operation, templates and `+` of them. */
function spelled(
  expression: ts.Expression,
  field: (expression: ts.Expression) => string | undefined,
): string | undefined {
  const node = unwrap(expression);
  const direct = field(node) ?? staticString(node);
  if (direct !== undefined) return direct;
  if (ts.isTemplateExpression(node)) {
    let out = node.head.text;
    for (const part of node.templateSpans) {
      const value = spelled(part.expression, field);
      if (value === undefined) return undefined;
      out += value + part.literal.text;
    }
    return out;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = spelled(node.left, field);
    const right = spelled(node.right, field);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  return undefined;
}
