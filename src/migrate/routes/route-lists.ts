import ts from '../../typescript.cjs';
import {
  importCallOf,
  isFunctionNode,
  propertyName,
  requireOf,
  unwrap,
  type Declaration,
  type Project,
  type ProjectFile,
} from './project.js';
import { callSites } from './call-sites.js';
import { tableMembers } from './table-calls.js';
import { objectProperty, returnedExpressions } from './syntax.js';
import type { FunctionRef, RouterGraphApi } from './wiring.js';

type Value = { file: ProjectFile; node: ts.Expression };

/**
 * `for (const route of Array.isArray(routes) ? routes : [routes]) route(router, tenant)`: the functions a loop
 * variable takes, from the list it iterates (arrays, spreads, both sides of `? :`); a list that is a parameter
 * of the enclosing function, also destructured (`{ authedRoutes }` of Logto's test helper `createRequester`),
 * holds what each call of that function passes there. Empty when `callee` is no such loop variable.
 */
export function iteratedFunctions(
  graph: RouterGraphApi,
  file: ProjectFile,
  callee: ts.Expression,
): FunctionRef[] {
  const node = unwrap(callee);
  if (ts.isElementAccessExpression(node)) return tableMembers(graph, file, node).map((m) => m.fn);
  if (!ts.isIdentifier(node)) return [];
  const out: FunctionRef[] = [];
  for (const declaration of graph.project.lookup(file, node, node.text)) {
    const list = iteratedList(declaration.node);
    if (!list) continue;
    for (const element of listElements(graph, declaration.file, list, 0))
      for (const fn of graph.functionsOf(element.file, element.node))
        if (!out.some((f) => f.node === fn.node)) out.push(fn);
  }
  return out;
}

/**
 * The list a binding runs over: `for (const route of list)`, or the first parameter of the callback of
 * `list.forEach((route) => …)` (since session 33: `groups.forEach((fn) => fn(router, 'groups'))`).
 */
function iteratedList(binding: ts.Node): ts.Expression | undefined {
  const loop = binding.parent?.parent;
  if (ts.isVariableDeclaration(binding) && loop && ts.isForOfStatement(loop)) return loop.expression;
  if (!ts.isParameter(binding) || !ts.isIdentifier(binding.name)) return undefined;
  const callback = binding.parent;
  const call = callback.parent;
  if (!isFunctionNode(callback) || callback.parameters[0] !== binding || !call || !ts.isCallExpression(call))
    return undefined;
  const method = call.expression;
  return ts.isPropertyAccessExpression(method) &&
    method.name.text === 'forEach' &&
    call.arguments[0] === callback
    ? method.expression
    : undefined;
}

/**
 * `pickDefault(import('./routes.js'))` (Logto's tests): the functions a project function returns when each of
 * its returns reads a member of one of its parameters (`const awaited = await promise; return
 * awaited.default`): that member of the module the call's `import()` (or `require()`) argument names.
 */
export function pickedFunctions(
  graph: RouterGraphApi & {
    functionsOf(file: ProjectFile, expression: ts.Expression, depth?: number): FunctionRef[];
  },
  file: ProjectFile,
  call: ts.CallExpression,
  depth: number,
): FunctionRef[] {
  const out: FunctionRef[] = [];
  for (const fn of graph.functionsOf(file, call.expression, depth + 1)) {
    for (const returned of returnedExpressions(fn)) {
      const read = parameterMember(graph.project, fn, returned);
      const argument = read && call.arguments[read.index];
      const module = argument && moduleArgument(argument);
      const target = module && graph.project.resolveModule(file, module);
      if (!target || !read) continue;
      for (const declaration of graph.project.exportOf(target, read.member))
        out.push(...declaredFunctions(graph, declaration));
    }
  }
  return out;
}

/** The function a declaration holds: itself, a variable's initializer, `export default` of an expression. */
function declaredFunctions(graph: RouterGraphApi, declaration: Declaration): FunctionRef[] {
  const { file, node } = declaration;
  if (isFunctionNode(node)) return [{ file, node }];
  if (ts.isVariableDeclaration(node) && node.initializer) return graph.functionsOf(file, node.initializer);
  if (ts.isExportAssignment(node)) return graph.functionsOf(file, node.expression);
  return [];
}

/** The elements a list expression holds, as far as the code shows them (see `iteratedFunctions`). */
function listElements(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  depth: number,
): Value[] {
  if (depth > 4) return [];
  const node = unwrap(expression);
  if (ts.isConditionalExpression(node))
    return [
      ...listElements(graph, file, node.whenTrue, depth + 1),
      ...listElements(graph, file, node.whenFalse, depth + 1),
    ];
  if (ts.isArrayLiteralExpression(node))
    return node.elements.flatMap((e) =>
      ts.isSpreadElement(e) ? listElements(graph, file, e.expression, depth + 1) : [{ file, node: e }],
    );
  if (ts.isPropertyAccessExpression(node)) {
    // `config.routes.forEach((route) => route(router))` in `createApi(config)`: the member of the objects the
    // receiver holds (since session 42, agent-protocol's JS SDK: before, none, its routers "not mounted").
    const members = objectsOf(graph, file, node.expression, depth + 1).flatMap((o) => {
      const picked = objectProperty(o.node, node.name.text);
      return picked ? listElements(graph, o.file, picked, depth + 1) : [];
    });
    return members.length ? members : [{ file, node }];
  }
  if (!ts.isIdentifier(node)) return [{ file, node }];
  const passed = passedTo(graph, file, node);
  if (passed.length) return passed.flatMap((p) => listElements(graph, p.file, p.node, depth + 1));
  return graph
    .valuesOf(file, node)
    .flatMap((v) =>
      ts.isArrayLiteralExpression(v.node)
        ? listElements(graph, v.file, v.node, depth + 1)
        : ts.isExpression(v.node)
          ? [{ file: v.file, node: v.node }]
          : [],
    );
}

/**
 * The object literals an expression holds: written there, what a name holds or the calls of its function pass
 * to it (a parameter), what a project function a call runs returns (`this.buildApiConfig(port)` returning `{ port,
 * routes: [...] }`). Up to `depth` 4; empty for anything else.
 */
function objectsOf(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  depth: number,
): { file: ProjectFile; node: ts.ObjectLiteralExpression }[] {
  if (depth > 4) return [];
  const node = unwrap(expression);
  if (ts.isObjectLiteralExpression(node)) return [{ file, node }];
  if (ts.isCallExpression(node))
    return graph
      .functionsOf(file, node.expression)
      .flatMap((fn) => returnedExpressions(fn).flatMap((r) => objectsOf(graph, fn.file, r, depth + 1)));
  if (!ts.isIdentifier(node)) return [];
  const passed = passedTo(graph, file, node);
  const values: Value[] = passed.length
    ? passed
    : graph
        .valuesOf(file, node)
        .flatMap((v) => (ts.isExpression(v.node) ? [{ file: v.file, node: v.node }] : []));
  return values.flatMap((v) => objectsOf(graph, v.file, v.node, depth + 1));
}

/**
 * What the calls of a function pass to its parameter `name` (`function f(routes)`, or a property of a
 * destructured one, `function f({ routes })` called as `f({ routes: [a, b] })`). Empty for anything else.
 */
function passedTo(graph: RouterGraphApi, file: ProjectFile, name: ts.Identifier): Value[] {
  const out: Value[] = [];
  for (const declaration of graph.project.lookup(file, name, name.text)) {
    let binding: ts.Node = declaration.node;
    let key: string | undefined;
    if (
      ts.isBindingElement(binding) &&
      ts.isObjectBindingPattern(binding.parent) &&
      !binding.dotDotDotToken
    ) {
      key = binding.propertyName ? propertyName(binding.propertyName) : name.text;
      binding = binding.parent.parent;
      if (key === undefined) continue;
    }
    if (!ts.isParameter(binding) || binding.dotDotDotToken || !isFunctionNode(binding.parent)) continue;
    const index = binding.parent.parameters.indexOf(binding);
    for (const site of callSites(graph, { file: declaration.file, node: binding.parent })) {
      const argument = site.call.arguments[index];
      if (!argument) continue;
      if (key === undefined) {
        out.push({ file: site.file, node: argument });
        continue;
      }
      for (const value of graph.valuesOf(site.file, argument)) {
        const picked = ts.isObjectLiteralExpression(value.node) ? objectProperty(value.node, key) : undefined;
        if (picked) out.push({ file: value.file, node: picked });
      }
    }
  }
  return out;
}

/**
 * A returned expression that reads one member of a parameter of `fn`, through `await` and local `const`s
 * (`const awaited = await promise; return awaited.default`): the parameter's index and the member.
 */
function parameterMember(
  project: Project,
  fn: FunctionRef,
  returned: ts.Expression,
): { index: number; member: string } | undefined {
  let node = unwrap(returned);
  let member: string | undefined;
  for (let step = 0; step < 6; step++) {
    if (ts.isAwaitExpression(node)) node = unwrap(node.expression);
    else if (ts.isPropertyAccessExpression(node) && member === undefined) {
      member = node.name.text;
      node = unwrap(node.expression);
    } else if (ts.isIdentifier(node)) {
      const declaration = project.lookup(fn.file, node, node.text)[0]?.node;
      if (declaration && ts.isParameter(declaration) && declaration.parent === fn.node)
        return member === undefined ? undefined : { index: fn.node.parameters.indexOf(declaration), member };
      if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer)
        return undefined;
      if (declaration.pos < fn.node.pos || declaration.end > fn.node.end) return undefined;
      node = unwrap(declaration.initializer);
    } else return undefined;
  }
  return undefined;
}

/** The module `import('./x')` or `require('./x')` names (also awaited), else undefined. */
function moduleArgument(argument: ts.Expression): string | undefined {
  const loaded = importCallOf(argument);
  if (loaded !== undefined) return loaded;
  let node = unwrap(argument);
  while (ts.isAwaitExpression(node)) node = unwrap(node.expression);
  return ts.isCallExpression(node) ? requireOf(node)?.module : undefined;
}
