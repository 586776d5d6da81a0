import ts from '../../typescript.cjs';
import { isFunctionNode, propertyName, unwrap, type ProjectFile } from './project.js';
import { slotOf, type Slot, type Step } from './slots.js';
import { span } from './syntax.js';
import { stripCase } from './route-tables.js';
import { callSites, type Site } from './call-sites.js';
import type { Span } from './model.js';
import { METHODS, type FunctionRef, type RouterGraphApi, type RouterNode } from './wiring.js';

/**
 * Registration helpers whose method (and path) are parameters: NodeBB's
 * `setupApiRoute(router, 'get', '/:uid', [...middlewares], controller)`, written as
 * `function (...args) { const [router, verb, name] = args; router[verb](name, middlewares, h) }`. The helper's
 * `router[verb](…)` cannot be read on its own; at each call of the helper the project makes it is one route:
 * the method and path the call passes, on the router the call passes (or the helper's own), running the
 * call's other arguments (middleware, controller) and the helper's own handler arguments. A call whose method
 * or path is not a string is one unread registration there, for review by hand.
 *
 * Parameters are followed as the router graph follows routers handed to helpers (slots.ts): plain and rest
 * parameters, destructured (`const [router, verb] = args`, `function f({ method, path })`).
 */
export function helperRegistrations(
  graph: RouterGraphApi,
  file: ProjectFile,
  call: ts.CallExpression,
  callee: ts.ElementAccessExpression,
): boolean {
  const methodSlot = slotOf(graph.project, file, stripCase(callee.argumentExpression));
  const fn = methodSlot && enclosingFunction(methodSlot.node);
  if (!methodSlot || !fn) return false;
  const sites = callSites(graph, { file, node: fn });
  if (!sites.length) return false;
  const [pathArgument, ...handlerArguments] = call.arguments;
  if (!pathArgument) return false;
  const receiver = unwrap(callee.expression);
  const receiverSlot = slotOf(graph.project, file, receiver);
  const own = handlerArguments.map((h) => span(file, ts.isSpreadElement(h) ? h.expression : h));
  // A call whose router cannot be found leaves the helper's own registration listed, as before.
  let placedAll = true;
  for (const site of sites) {
    const used = new Set<number>();
    const method = argumentString(graph, site, fn, methodSlot, used);
    const path = pathString(graph, file, pathArgument, site, fn, used);
    let router: RouterNode | undefined;
    if (receiverSlot && enclosingFunction(receiverSlot.node) === fn) {
      const at = argumentAt(graph, site, fn, receiverSlot, used);
      router = at && graph.routerOf(at.file, at.expression);
    } else router = graph.routerOf(file, receiver);
    if (!router) {
      placedAll = false;
      continue;
    }
    const given = site.call.arguments
      .filter((a, i) => !used.has(i) && !ts.isSpreadElement(a))
      .map((a) => span(site.file, a));
    const handlers: Span[] = [...given, ...own];
    const node = site.call;
    if (method === undefined || path === undefined || !METHODS.has(method.toLowerCase())) {
      const missing = method === undefined || path !== undefined ? 'method' : 'path';
      const why = `the ${missing} this call passes to the route helper is computed at run time (${site.file.relative}:${line(site.file, node)})`;
      router.entries.push({ kind: 'unread', method: 'ALL', why, handlers, file: site.file, node });
      continue;
    }
    const upper = method.toLowerCase() === 'del' ? 'DELETE' : method.toUpperCase();
    router.entries.push({ kind: 'route', method: upper, paths: [path], handlers, file: site.file, node });
  }
  return placedAll;
}

/** The function whose parameter a slot's binding belongs to. */
function enclosingFunction(binding: ts.Node): FunctionRef['node'] | undefined {
  let node: ts.Node = binding;
  while (ts.isBindingElement(node) || ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node))
    node = node.parent;
  if (!ts.isParameter(node)) return undefined;
  return isFunctionNode(node.parent) ? node.parent : undefined;
}

/**
 * The expression a call passes into a slot of `fn` (`args[1]` of a rest parameter is the call's argument 1;
 * `{ method }` of an object parameter is the property of the object literal passed), marking the argument
 * position used. Undefined when a spread argument hides the position or the value is not written there.
 */
function argumentAt(
  graph: RouterGraphApi,
  site: Site,
  fn: FunctionRef['node'],
  slot: Slot,
  used: Set<number>,
): { file: ProjectFile; expression: ts.Expression } | undefined {
  let node: ts.Node = slot.node;
  const steps: Step[] = [...slot.steps];
  // Climb from a binding element of a parameter's pattern up to the parameter, collecting the steps.
  while (ts.isBindingElement(node)) {
    const pattern: ts.BindingPattern = node.parent;
    if (ts.isObjectBindingPattern(pattern)) {
      const key = node.propertyName
        ? propertyName(node.propertyName)
        : ts.isIdentifier(node.name)
          ? node.name.text
          : undefined;
      if (key === undefined || node.dotDotDotToken) return undefined;
      steps.unshift({ property: key });
    } else {
      if (node.dotDotDotToken) return undefined;
      steps.unshift({ index: pattern.elements.indexOf(node) });
    }
    node = pattern.parent;
  }
  if (!ts.isParameter(node)) return undefined;
  let index = fn.parameters.indexOf(node);
  if (index < 0) return undefined;
  if (node.dotDotDotToken) {
    const first = steps.shift();
    if (!first || !('index' in first)) return undefined;
    index += first.index;
  }
  const args = site.call.arguments;
  if (args.slice(0, index + 1).some((a) => ts.isSpreadElement(a))) return undefined;
  const argument = args[index];
  if (!argument) return undefined;
  used.add(index);
  let file = site.file;
  let expression: ts.Expression = argument;
  for (const step of steps) {
    let value = unwrap(expression);
    // `const deps = { router }; f(deps)`: the literal a name holds.
    if (ts.isIdentifier(value)) {
      const held = graph
        .valuesOf(file, value)
        .find((v) => ts.isObjectLiteralExpression(v.node) || ts.isArrayLiteralExpression(v.node));
      if (!held) return undefined;
      file = held.file;
      value = held.node as ts.Expression;
    }
    const next =
      'index' in step
        ? ts.isArrayLiteralExpression(value)
          ? value.elements[step.index]
          : undefined
        : ts.isObjectLiteralExpression(value)
          ? propertyValue(value, step.property)
          : undefined;
    if (!next || ts.isSpreadElement(next) || ts.isOmittedExpression(next)) return undefined;
    expression = next;
  }
  return { file, expression };
}

function propertyValue(object: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const property of [...object.properties].reverse()) {
    if (ts.isPropertyAssignment(property) && propertyName(property.name) === key) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === key) return property.name;
  }
  return undefined;
}

/** The string a call passes into a slot (constants and templates of constants included). */
function argumentString(
  graph: RouterGraphApi,
  site: Site,
  fn: FunctionRef['node'],
  slot: Slot,
  used: Set<number>,
): string | undefined {
  const at = argumentAt(graph, site, fn, slot, used);
  return at && graph.project.stringOf(at.file, at.expression);
}

/**
 * The path of one call: the helper's path argument with what the call passes put in for the helper's
 * parameters (`name`, `` `${base}/x` ``); a path the helper writes itself is read as it is.
 */
function pathString(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  site: Site,
  fn: FunctionRef['node'],
  used: Set<number>,
  depth = 0,
): string | undefined {
  const node = unwrap(expression);
  if (depth > 6) return undefined;
  if (ts.isTemplateExpression(node)) {
    let out = node.head.text;
    for (const part of node.templateSpans) {
      const value = pathString(graph, file, part.expression, site, fn, used, depth + 1);
      if (value === undefined) return undefined;
      out += value + part.literal.text;
    }
    return out;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = pathString(graph, file, node.left, site, fn, used, depth + 1);
    const right = pathString(graph, file, node.right, site, fn, used, depth + 1);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  const slot =
    ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)
      ? slotOf(graph.project, file, node)
      : undefined;
  if (slot && enclosingFunction(slot.node) === fn) return argumentString(graph, site, fn, slot, used);
  return graph.project.stringOf(file, node);
}

function line(file: ProjectFile, node: ts.Node): number {
  return file.sourceFile.getLineAndCharacterOfPosition(node.getStart(file.sourceFile)).line + 1;
}
