import ts from '../../typescript.cjs';
import { tableKeyArgument } from './table-calls.js';
import { isFunctionNode, propertyName, unwrap, type ProjectFile } from './project.js';
import { slotOf, type Slot, type Step } from './slots.js';
import { span } from './syntax.js';
import { stripCase } from './route-tables.js';
import { callSites, type Site } from './call-sites.js';
import type { Span } from './model.js';
import { METHODS, type FunctionRef, type RouterGraphApi, type RouterNode } from './wiring.js';
import { lineAndCharacterAt } from '../../util/lines.js';

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
  const methodExpression = stripCase(callee.argumentExpression);
  const methodSlot = slotOf(graph.project, file, methodExpression);
  const fn = methodSlot && enclosingFunction(methodSlot.node);
  if (!fn) return false;
  const [pathArgument, ...handlerArguments] = call.arguments;
  if (!pathArgument) return false;
  return perCallRoutes(graph, file, fn, unwrap(callee.expression), pathArgument, handlerArguments, (chain) =>
    chainString(graph, file, methodExpression, chain, 0),
  );
}

/**
 * Registration helpers whose path is a parameter and whose method is written: NodeBB's
 * `helpers.setupPageRoute(router, '/notifications', [middleware], controllers.notifications)` into
 * `helpers.setupPageRoute = function (...args) { const [router, name] = args; router.get(name, …);
 * router.get(\`/api${name}\`, …) }` (a function held as a member of `module.exports`, an alias of it, or an
 * object literal; `function f(router, name, h)` too). The registration `router.METHOD(path, …)` reads no path on
 * its own when the calls pass different ones; at each call of the helper the project makes it is one route:
 * `method`, the path with the call's arguments put in for the helper's parameters, on the router the call passes
 * (or the helper's own), running the call's other arguments and the helper's own handler arguments. A call whose
 * path is not a string is one unread registration there, for review by hand.
 *
 * @returns false (nothing added) when the path reads no parameter of the function around the registration,
 * the function has no call by name, or a call's router cannot be found: the registration is then read as before
 * (a route whose path is computed at run time).
 */
export function parameterPathRegistrations(
  graph: RouterGraphApi,
  file: ProjectFile,
  receiver: ts.Expression,
  method: string,
  pathArgument: ts.Expression,
  handlerArguments: readonly ts.Expression[],
): boolean {
  const fn = parameterFunction(graph, file, pathArgument);
  if (!fn) return false;
  return perCallRoutes(graph, file, fn, unwrap(receiver), pathArgument, handlerArguments, () => method);
}

/**
 * One call of a helper on the way to a registration: the call, the helper it calls, and the argument positions
 * the registration's method, path and router were read from (the call's other arguments run for the route).
 */
interface Frame {
  site: Site;
  fn: FunctionRef['node'];
  used: Set<number>;
}

/** How many helpers deep a registration is followed through calls that hand its method or path on. */
const MAX_CHAIN = 4;

/** What a chain of calls gives a registration. */
interface Reading {
  method: string | undefined;
  path: string | undefined;
  router: RouterNode | undefined;
}

/**
 * The chains of calls that reach a registration inside `fn`, innermost first, each with what it gives the
 * registration: each call of `fn` the project makes; when a call leaves the method, path or router unread
 * because it hands on a parameter of a helper it is itself inside (NodeBB's `helpers.setupAdminPageRoute(router,
 * name, …)` calling `helpers.setupPageRoute(router, \`/admin${name}\`, …)`), each call of that helper in turn
 * (up to {@link MAX_CHAIN} helpers; a helper never called by name ends the chain, read as it is).
 */
function readChains(
  graph: RouterGraphApi,
  file: ProjectFile,
  fn: FunctionRef['node'],
  read: (chain: Frame[]) => Reading,
): { chain: Frame[]; reading: Reading }[] {
  const out: { chain: Frame[]; reading: Reading }[] = [];
  const extend = (chain: Frame[]): void => {
    const reading = read(chain);
    const last = chain[chain.length - 1];
    const complete =
      reading.method !== undefined && reading.path !== undefined && reading.router !== undefined;
    const outer = complete || chain.length >= MAX_CHAIN ? undefined : handingOn(graph, last);
    const above =
      outer && !chain.some((f) => f.fn === outer)
        ? callSites(graph, { file: last.site.file, node: outer })
        : [];
    if (!outer || !above.length) {
      out.push({ chain, reading });
      return;
    }
    // Each chain has frames of its own: the positions one chain reads are not another's.
    for (const site of above)
      extend([
        ...chain.map((f) => ({ ...f, used: new Set<number>() })),
        { site, fn: outer, used: new Set() },
      ]);
  };
  for (const site of callSites(graph, { file, node: fn })) extend([{ site, fn, used: new Set() }]);
  return out;
}

/** The function around a call whose parameter an argument the registration read reads, if any. */
function handingOn(graph: RouterGraphApi, frame: Frame): FunctionRef['node'] | undefined {
  for (const index of frame.used) {
    const argument = frame.site.call.arguments[index];
    if (!argument || ts.isSpreadElement(argument)) continue;
    const found = parameterFunction(graph, frame.site.file, argument);
    if (found && isInside(frame.site.call, found)) return found;
  }
  return undefined;
}

function isInside(node: ts.Node, fn: ts.Node): boolean {
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) if (at === fn) return true;
  return false;
}

/**
 * One route per chain of calls reaching the helper `fn` around a registration: the method `methodOf` reads,
 * the path argument read with each call's arguments put in for its helper's parameters, on the router the
 * outermost call that names one passes (or the helper's own), running every call's other arguments and the
 * helper's own handler arguments; placed where the outermost call is written. Returns false when `fn` has no
 * call by name; otherwise whether every chain's router was found.
 */
function perCallRoutes(
  graph: RouterGraphApi,
  file: ProjectFile,
  fn: FunctionRef['node'],
  receiver: ts.Expression,
  pathArgument: ts.Expression,
  handlerArguments: readonly ts.Expression[],
  methodOf: (chain: Frame[]) => string | undefined,
): boolean {
  const chains = readChains(graph, file, fn, (chain) => ({
    method: methodOf(chain),
    path: chainString(graph, file, pathArgument, chain, 0),
    router: chainRouter(graph, file, receiver, chain, 0),
  }));
  if (!chains.length) return false;
  const own = handlerArguments.map((h) => span(file, ts.isSpreadElement(h) ? h.expression : h));
  // A call whose router cannot be found leaves the helper's own registration listed, as before.
  let placedAll = true;
  for (const { chain, reading } of chains) {
    const { method, path, router } = reading;
    if (!router) {
      placedAll = false;
      continue;
    }
    const handlers: Span[] = [
      ...chain.flatMap((frame, k) => givenHandlers(graph, frame, chain[k + 1])),
      ...own,
    ];
    const outermost = chain[chain.length - 1].site;
    const node = outermost.call;
    if (method === undefined || path === undefined || !METHODS.has(method.toLowerCase())) {
      const missing = method === undefined || path !== undefined ? 'method' : 'path';
      // The registration it reaches is named too: one call may reach several (NodeBB's `_mounts[original](router,
      // mount)` reaches every route built from `mount`), each its own entry.
      const first = chain[0].site;
      const through =
        chain.length > 1
          ? `, through the call at ${first.file.relative}:${line(first.file, first.call)}`
          : '';
      const why = `the ${missing} this call passes to the route helper is computed at run time (${outermost.file.relative}:${line(outermost.file, node)}; the route at ${file.relative}:${line(file, pathArgument)}${through})`;
      // The method, when the call (or the helper) fixes it, is what the entry answers: `GET /*`.
      const known = method !== undefined && METHODS.has(method.toLowerCase()) ? upperMethod(method) : 'ALL';
      router.entries.push({ kind: 'unread', method: known, why, handlers, file: outermost.file, node });
      continue;
    }
    router.entries.push({
      kind: 'route',
      method: upperMethod(method),
      paths: [path],
      handlers,
      file: outermost.file,
      node,
    });
  }
  return placedAll;
}

/**
 * What a call hands the route besides its method, path and router: its other arguments (middleware,
 * controller), except a parameter of the next helper out handed straight on (that helper's call gives it).
 */
function givenHandlers(graph: RouterGraphApi, frame: Frame, outer: Frame | undefined): Span[] {
  return frame.site.call.arguments
    .filter((a, i) => {
      if (frame.used.has(i) || ts.isSpreadElement(a)) return false;
      const slot =
        outer && ts.isIdentifier(unwrap(a)) ? slotOf(graph.project, frame.site.file, a) : undefined;
      return !(slot && enclosingFunction(slot.node) === outer?.fn && !slot.steps.length);
    })
    .map((a) => span(frame.site.file, a));
}

/**
 * The function whose parameter an expression reads (`name`, `` `/api${name}` ``, `base + '/x'`, a name
 * destructured from a rest parameter, `opts.path`); undefined when it reads none.
 */
function parameterFunction(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  depth = 0,
): FunctionRef['node'] | undefined {
  const node = unwrap(expression);
  if (depth > 6) return undefined;
  if (ts.isTemplateExpression(node)) {
    for (const part of node.templateSpans) {
      const found = parameterFunction(graph, file, part.expression, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken)
    return (
      parameterFunction(graph, file, node.left, depth + 1) ??
      parameterFunction(graph, file, node.right, depth + 1)
    );
  const slot =
    ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)
      ? slotOf(graph.project, file, node)
      : undefined;
  return slot && enclosingFunction(slot.node);
}

/**
 * A string read at level `k` of a chain (an expression inside `chain[k].fn`): a parameter of that helper is
 * what `chain[k]`'s call passes, read one level out; templates and `+` are read part by part; anything else is
 * the project's own reading (constants, a parameter every call passes the same string).
 */
function chainString(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  chain: readonly Frame[],
  k: number,
  depth = 0,
  inTemplate = false,
): string | undefined {
  const node = unwrap(expression);
  if (depth > 8) return undefined;
  if (inTemplate && ts.isNumericLiteral(node)) return String(Number(node.text));
  if (ts.isTemplateExpression(node)) {
    let out = node.head.text;
    for (const part of node.templateSpans) {
      // `/v${version}` with a call passing `2`: a number in a template is its digits.
      const value = chainString(graph, file, part.expression, chain, k, depth + 1, true);
      if (value === undefined) return undefined;
      out += value + part.literal.text;
    }
    return out;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = chainString(graph, file, node.left, chain, k, depth + 1);
    const right = chainString(graph, file, node.right, chain, k, depth + 1);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  const at = passedAt(graph, file, node, chain, k);
  if (!at) return graph.project.stringOf(file, node);
  // `Object.keys(sections).forEach((key) => sections[key](router, key))`: the name the table holds the helper under.
  const frame = chain[k];
  const key = tableKeyArgument(graph, at.file, frame.site.call, at.expression, frame.fn);
  return key ?? chainString(graph, at.file, at.expression, chain, k + 1, depth + 1, inTemplate);
}

/** The router an expression at level `k` of a chain is: a helper's parameter is what its call passes. */
function chainRouter(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  chain: readonly Frame[],
  k: number,
): RouterNode | undefined {
  const at = passedAt(graph, file, unwrap(expression), chain, k);
  if (at) return chainRouter(graph, at.file, at.expression, chain, k + 1);
  return graph.routerOf(file, expression);
}

/** What `chain[k]`'s call passes for a parameter of its helper an expression reads (undefined for others). */
function passedAt(
  graph: RouterGraphApi,
  file: ProjectFile,
  node: ts.Expression,
  chain: readonly Frame[],
  k: number,
): { file: ProjectFile; expression: ts.Expression } | undefined {
  const frame = chain[k];
  if (!frame) return undefined;
  const slot =
    ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)
      ? slotOf(graph.project, file, node)
      : undefined;
  if (!slot || enclosingFunction(slot.node) !== frame.fn) return undefined;
  return argumentAt(graph, frame.site, frame.fn, slot, frame.used);
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

/** `get` -> `GET`; Express's old alias `del` -> `DELETE`. */
function upperMethod(method: string): string {
  return method.toLowerCase() === 'del' ? 'DELETE' : method.toUpperCase();
}

function line(file: ProjectFile, node: ts.Node): number {
  return lineAndCharacterAt(file.sourceFile, node.getStart(file.sourceFile)).line + 1;
}
