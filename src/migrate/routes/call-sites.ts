import ts from '../../typescript.cjs';
import { memberDeclarations } from './members.js';
import { isFunctionNode, propertyName, unwrap, type ProjectFile } from './project.js';
import { calleeName } from './syntax.js';
import { tableMembers } from './table-calls.js';
import type { FunctionRef, RouterGraphApi } from './wiring.js';

/** A call of a function: where it is written. */
export interface Site {
  file: ProjectFile;
  call: ts.CallExpression;
}

const sitesCache = new WeakMap<ts.Node, Site[]>();

/**
 * Every call of `fn` the project makes by name (`setupApiRoute(…)`, `helpers.setupApiRoute(…)`, a name
 * destructured from the module, `const { setupApiRoute } = require('../helpers')`), found by the names the
 * function is declared or assigned under and checked to resolve to it.
 */
export function callSites(graph: RouterGraphApi, fn: FunctionRef): Site[] {
  const cached = sitesCache.get(fn.node);
  if (cached) return cached;
  const names = namesOf(fn.node);
  const out: Site[] = [];
  const byName = callsByName(graph);
  for (const name of names)
    for (const site of byName.get(name) ?? [])
      if (calleeFunctions(graph, site.file, unwrap(site.call.expression)).some((f) => f.node === fn.node))
        out.push(site);
  // In file order, as a walk of the files finds them.
  if (names.size > 1) out.sort((a, b) => (callOrder.get(a.call) ?? 0) - (callOrder.get(b.call) ?? 0));
  // `_mounts[original](router, mount)`, `groups.forEach((fn) => fn(router, 'groups'))`: a call of each function
  // the table or list holds (table-calls.ts, route-lists.ts).
  // Asked from inside the walk that collects the indirect calls (a list passed to a function, whose calls are
  // looked up here): that walk's calls are not known yet, so the answer is not kept.
  const complete = !collecting.has(graph.project);
  for (const site of indirectSites(graph))
    if (site.functions.some((f) => f.node === fn.node) && !out.some((o) => o.call === site.call))
      out.push(site);
  if (complete) sitesCache.set(fn.node, out);
  return out;
}

/** The names a function is declared or assigned under: `function f`, `const f =`, `x.f =`, `{ f: … }`, `f() {}`. */
function namesOf(fn: ts.Node): Set<string> {
  const names = new Set<string>();
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) names.add(fn.name.text);
  if (ts.isMethodDeclaration(fn)) {
    const name = propertyName(fn.name);
    if (name !== undefined) names.add(name);
  }
  const holder = fn.parent;
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) names.add(holder.name.text);
  if (ts.isPropertyAssignment(holder)) {
    const name = propertyName(holder.name);
    if (name !== undefined) names.add(name);
  }
  if (ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = holder.left;
    if (ts.isIdentifier(left)) names.add(left.text);
    if (ts.isPropertyAccessExpression(left)) names.add(left.name.text);
  }
  return names;
}

/** The functions a callee names, also through `const { f } = module` (the member of what the pattern reads). */
function calleeFunctions(graph: RouterGraphApi, file: ProjectFile, callee: ts.Expression): FunctionRef[] {
  const direct = graph.functionsOf(file, callee);
  if (direct.length || !ts.isIdentifier(callee)) return direct;
  const out: FunctionRef[] = [];
  for (const declaration of graph.project.lookup(file, callee, callee.text)) {
    const element = declaration.node;
    if (!ts.isBindingElement(element) || !ts.isObjectBindingPattern(element.parent)) continue;
    const holder = element.parent.parent;
    if (!ts.isVariableDeclaration(holder) || !holder.initializer) continue;
    const key = element.propertyName ? propertyName(element.propertyName) : callee.text;
    if (key === undefined) continue;
    for (const member of memberDeclarations(graph, declaration.file, holder.initializer, key)) {
      const value = ts.isVariableDeclaration(member.node)
        ? member.node.initializer
        : ts.isBinaryExpression(member.node)
          ? member.node.right
          : ts.isPropertyAssignment(member.node)
            ? member.node.initializer
            : undefined;
      const node = value ? unwrap(value) : member.node;
      if (isFunctionNode(node)) out.push({ file: member.file, node });
    }
  }
  return out;
}

/**
 * What the project's calls pass for a parameter: `routes` of `const createServer = async (port, routes) => …`
 * takes each call's argument at its place; `modules` destructured from an options parameter (`async ({ port,
 * modules = [] }) => …`) takes the `modules` member of each call's object literal (the default when a call's
 * object leaves it out). Undefined when the declaration is no such parameter or no call of its function is found.
 */
export function passedValues(
  graph: RouterGraphApi,
  value: { file: ProjectFile; node: ts.Node },
): { file: ProjectFile; node: ts.Expression }[] | undefined {
  let declaration = value.node;
  let key: string | undefined;
  if (ts.isBindingElement(declaration) && ts.isObjectBindingPattern(declaration.parent)) {
    const name = declaration.propertyName ?? declaration.name;
    key = ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
    if (key === undefined || declaration.dotDotDotToken) return undefined;
    const element = declaration;
    declaration = declaration.parent.parent;
    if (!ts.isParameter(declaration)) return undefined;
    return argumentsAt(graph, value.file, declaration)?.flatMap((argument) => {
      const object = unwrap(argument.node);
      if (!ts.isObjectLiteralExpression(object)) return [];
      const member = object.properties.find(
        (p) =>
          (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && propertyName(p.name) === key,
      );
      if (member && ts.isPropertyAssignment(member))
        return [{ file: argument.file, node: member.initializer }];
      if (member && ts.isShorthandPropertyAssignment(member))
        return [{ file: argument.file, node: member.name }];
      return element.initializer ? [{ file: value.file, node: element.initializer }] : [];
    });
  }
  if (!ts.isParameter(declaration) || !ts.isIdentifier(declaration.name) || declaration.dotDotDotToken)
    return undefined;
  return argumentsAt(graph, value.file, declaration);
}

/** Each call's argument at the parameter's place (none where a call passes a spread there). */
function argumentsAt(
  graph: RouterGraphApi,
  file: ProjectFile,
  parameter: ts.ParameterDeclaration,
): { file: ProjectFile; node: ts.Expression }[] | undefined {
  const fn = parameter.parent;
  if (!ts.isFunctionLike(fn) || !('body' in fn) || !fn.body) return undefined;
  const index = fn.parameters.indexOf(parameter);
  const sites: { file: ProjectFile; call: ts.CallExpression | ts.NewExpression }[] =
    ts.isConstructorDeclaration(fn)
      ? constructionSites(graph, file, fn)
      : callSites(graph, { file, node: fn });
  const out = sites.flatMap((site) => {
    const argument = site.call.arguments?.[index];
    return argument && !ts.isSpreadElement(argument) ? [{ file: site.file, node: argument }] : [];
  });
  return out.length ? out : undefined;
}

/**
 * Every `new C(…)` of the class whose constructor `fn` is (`new App([new UserRoute()])` for `class App {
 * constructor(routes) {…} }`), by the class's name, checked to resolve to it. Empty for an unnamed class.
 */
function constructionSites(
  graph: RouterGraphApi,
  file: ProjectFile,
  fn: ts.ConstructorDeclaration,
): { file: ProjectFile; call: ts.NewExpression }[] {
  const owner = fn.parent;
  const name = ts.isClassDeclaration(owner) ? owner.name : undefined;
  if (!name) return [];
  const out: { file: ProjectFile; call: ts.NewExpression }[] = [];
  for (const { file: at, node } of graph.project.identifiersNamed(name.text)) {
    const made = node.parent;
    if (!ts.isNewExpression(made) || made.expression !== node) continue;
    if (graph.project.lookup(at, node, node.text).some((d) => d.node === owner))
      out.push({ file: at, call: made });
  }
  return out;
}

const byNameCache = new WeakMap<object, Map<string, Site[]>>();
/** Each call's place in the walk of the project's files (set by `callsByName`). */
const callOrder = new WeakMap<ts.Node, number>();

/** Every call the project makes, by the name its callee ends in (`calleeName`), in file order; found once. */
function callsByName(graph: RouterGraphApi): Map<string, Site[]> {
  let found = byNameCache.get(graph.project);
  if (found) return found;
  found = new Map();
  let n = 0;
  for (const file of graph.project.files)
    for (const call of graph.project.calls(file)) {
      callOrder.set(call, n++);
      const name = calleeName(call);
      if (name === undefined) continue;
      const list = found.get(name);
      if (list) list.push({ file, call });
      else found.set(name, [{ file, call }]);
    }
  byNameCache.set(graph.project, found);
  return found;
}

const indirectCache = new WeakMap<object, (Site & { functions: FunctionRef[] })[]>();

/**
 * Every call the project makes by a computed key (`table[key](…)`) or by a loop's binding over a list
 * (`list.forEach((fn) => fn(…))`, `for (const fn of list) fn(…)`), with the functions it may call; found once per
 * project (a walk of every call).
 */
function indirectSites(graph: RouterGraphApi): (Site & { functions: FunctionRef[] })[] {
  let found = indirectCache.get(graph.project);
  if (found) return found;
  // A list element found through `callSites` of the function it is passed to asks again: none yet (no cycle).
  if (collecting.has(graph.project)) return [];
  collecting.add(graph.project);
  found = [];
  try {
    collectIndirectSites(graph, found);
  } finally {
    collecting.delete(graph.project);
  }
  indirectCache.set(graph.project, found);
  return found;
}

/** Projects whose indirect calls `indirectSites` is collecting. */
const collecting = new WeakSet<object>();

/** `indirectSites`' walk: every call through a table's computed key or a loop variable over a list, into `found`. */
function collectIndirectSites(graph: RouterGraphApi, found: (Site & { functions: FunctionRef[] })[]): void {
  for (const file of graph.project.files)
    for (const call of graph.project.calls(file)) {
      const callee = unwrap(call.expression);
      const functions = ts.isElementAccessExpression(callee)
        ? tableMembers(graph, file, callee).map((m) => m.fn)
        : iteratedCallee(graph, file, callee)
          ? graph.iteratedFunctions(file, callee)
          : [];
      if (functions.length) found.push({ file, call, functions });
    }
}

/** Whether a callee is a loop's binding over a list: `fn` of `list.forEach((fn) => …)` / `for (const fn of list)`. */
function iteratedCallee(graph: RouterGraphApi, file: ProjectFile, callee: ts.Expression): boolean {
  if (!ts.isIdentifier(callee)) return false;
  return graph.project.lookup(file, callee, callee.text).some((d) => {
    const node = d.node;
    if (ts.isVariableDeclaration(node))
      return !!node.parent?.parent && ts.isForOfStatement(node.parent.parent);
    return (
      ts.isParameter(node) &&
      isFunctionNode(node.parent) &&
      ts.isCallExpression(node.parent.parent) &&
      ts.isPropertyAccessExpression(node.parent.parent.expression) &&
      node.parent.parent.expression.name.text === 'forEach'
    );
  });
}
