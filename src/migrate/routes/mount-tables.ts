import ts from '../../typescript.cjs';
import { propertyName, unwrap, type ProjectFile } from './project.js';
import { elementSource } from './syntax.js';
import { listedModules, loadsByName } from './listed-modules.js';
import { passedValues } from './call-sites.js';
import { newInstanceFieldValues, thisMemberValues } from './class-fields.js';
import type { Prefix, RouterGraphApi, RouterNode } from './wiring.js';

/**
 * Routers mounted (and routes registered) from a loop over a table the code spells out:
 *
 * ```ts
 * [index, tasks].forEach((route) => app.route('/', route));                  // hono-open-api-starter
 * for (const r of routes) app.use(`/api${r.path}`, r.router);                 // [{ path, router }, …]
 * Object.entries(routers).forEach(([path, router]) => app.use(path, router)); // { '/items': items }
 * for (const [path, router] of Object.entries(routers)) api.use(path, router.routes());
 * ```
 *
 * The mount call is read once per element of the table, its path and child evaluated against that element.
 */

/** An access step from the loop's element: a property (`.router`) or an element (`[1]`). */
type Step = string | number;

/** A node in a file. */
interface At {
  file: ProjectFile;
  node: ts.Node;
}

/** A value of the table: a node, the key of an `Object.entries` pair (a string), or such a pair. */
type Value = At | { key: string } | { pair: { key: string; value: At } };

/** Methods that hand back the router they are called on (`sub.routes()` for Koa). */
const SAME_ROUTER = new Set(['routes', 'middleware']);

/** One mount a table loop makes: its prefix and the router mounted there. */
export interface TableMount {
  path: Prefix;
  child: RouterNode;
}

/**
 * The mounts `receiver.use(pathArgument, childArgument)` (or `route`) makes when `childArgument` reads the
 * element variable of a loop over a table (`forEach` / `map` callbacks, `for … of`, over an array literal,
 * `Object.entries(obj)` or `Object.values(obj)`, followed through variables and imports). Undefined when the
 * child is not read from such a loop, or no element yields a router. A path that does not come out as a
 * string for an element is that element's run-time prefix.
 */
export function tableMounts(
  graph: RouterGraphApi,
  file: ProjectFile,
  pathArgument: ts.Expression | undefined,
  childArgument: ts.Expression,
): TableMount[] | undefined {
  if (loadsByName(childArgument)) return listedMounts(graph, file, pathArgument, childArgument);
  const child = accessOf(childArgument);
  if (!child) return undefined;
  const loop = loopOf(graph, file, child.root);
  if (!loop) return undefined;
  const out: TableMount[] = [];
  for (const element of loop.elements) {
    const value = select(graph, element, [...loop.steps, ...child.steps]);
    if (!value || !('node' in value)) continue;
    const router = graph.routerOf(value.file, value.node as ts.Expression);
    if (!router) continue;
    const path = pathArgument ? stringWith(graph, file, pathArgument, loop, element) : '';
    out.push({ path: path ?? { dynamic: pathArgument?.getText(file.sourceFile) ?? '?' }, child: router });
  }
  return out.length ? out : undefined;
}

/**
 * `app.use('/api', require(`./routes/${file}`))` in a loop over a directory listing (listed-modules.ts): one
 * mount per listed module whose export is a router. Undefined when the listing cannot be read.
 */
function listedMounts(
  graph: RouterGraphApi,
  file: ProjectFile,
  pathArgument: ts.Expression | undefined,
  childArgument: ts.Expression,
): TableMount[] | undefined {
  if (!listedModules(graph.project, file, childArgument)?.length) return undefined;
  const path = pathArgument ? graph.project.stringOf(file, pathArgument) : '';
  const out: TableMount[] = [];
  for (const value of graph.valuesOf(file, childArgument)) {
    const router = ts.isExpression(value.node) ? graph.routerOf(value.file, value.node) : undefined;
    if (router && !out.some((m) => m.child === router))
      out.push({ path: path ?? { dynamic: pathArgument?.getText(file.sourceFile) ?? '?' }, child: router });
  }
  return out.length ? out : undefined;
}

/** One element of a table a loop walks, as a registration inside the loop sees it. */
export interface TableRow {
  /** The element (an object literal of a route table, say) and its file. */
  element: { file: ProjectFile; node: ts.Node } | undefined;
  /** What an expression of the loop body (`route`, `r.handler`) holds for this element; undefined if not read. */
  valueOf(expression: ts.Expression): { file: ProjectFile; node: ts.Node } | undefined;
}

/**
 * The rows of the table `expression` is read from when it names the element variable of a loop over a table
 * (as `tableMounts`), e.g. `routes.forEach(({ route, handler }) => app.openapi(route, handler))`. Undefined
 * when it is not read from such a loop.
 */
export function tableRows(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
): TableRow[] | undefined {
  const access = accessOf(expression);
  const loop = access && loopOf(graph, file, access.root);
  if (!loop) return undefined;
  return loop.elements.map((element) => ({
    element: 'node' in element ? element : undefined,
    valueOf: (other) => {
      const at = accessOf(other);
      const steps = at && loop.names.get(at.root.text);
      if (!at || !steps || loopVariable(graph, file, at.root) !== loop.variable) return undefined;
      const value = select(graph, element, [...steps, ...at.steps]);
      return value && 'node' in value ? value : undefined;
    },
  }));
}

/** `r`, `r.router`, `r['router']`, `pair[1]`, also behind `.routes()` / `.middleware()`: the root and steps. */
function accessOf(expression: ts.Expression): { root: ts.Identifier; steps: Step[] } | undefined {
  let node = unwrap(expression);
  const steps: Step[] = [];
  for (;;) {
    if (
      ts.isCallExpression(node) &&
      !node.arguments.length &&
      ts.isPropertyAccessExpression(node.expression) &&
      SAME_ROUTER.has(node.expression.name.text)
    )
      node = unwrap(node.expression.expression);
    else if (ts.isPropertyAccessExpression(node)) {
      steps.unshift(node.name.text);
      node = unwrap(node.expression);
    } else if (ts.isElementAccessExpression(node)) {
      const key = node.argumentExpression;
      if (ts.isNumericLiteral(key)) steps.unshift(Number(key.text));
      else if (ts.isStringLiteral(key)) steps.unshift(key.text);
      else return undefined;
      node = unwrap(node.expression);
    } else break;
  }
  return ts.isIdentifier(node) ? { root: node, steps } : undefined;
}

/** A loop binding: the elements of its table, and the steps from an element to the bound name. */
interface Loop {
  /** The loop variable: a callback's parameter or a `for … of` declaration. */
  variable: ts.Node;
  elements: Value[];
  steps: Step[];
  /** The names the loop binds (the element variable, or each name of its destructuring pattern). */
  names: Map<string, Step[]>;
}

/** The loop variable `root` is (part of), with its table, if it is one. */
function loopVariable(graph: RouterGraphApi, file: ProjectFile, root: ts.Identifier): ts.Node | undefined {
  for (const declaration of graph.project.lookup(file, root, root.text)) {
    if (declaration.file !== file) continue;
    // Climb from the binding to the whole loop variable (a parameter or a `for … of` declaration).
    let node: ts.Node = declaration.node;
    while (ts.isBindingElement(node)) node = node.parent.parent;
    if (elementSource(node)) return node;
  }
  return undefined;
}

function loopOf(graph: RouterGraphApi, file: ProjectFile, root: ts.Identifier): Loop | undefined {
  const variable = loopVariable(graph, file, root);
  const source = variable && elementSource(variable);
  if (!variable || !source) return undefined;
  const names = new Map<string, Step[]>();
  bindNames((variable as ts.ParameterDeclaration | ts.VariableDeclaration).name, [], names);
  const steps = names.get(root.text);
  if (!steps) return undefined;
  const elements = tableElements(graph, file, source, 0);
  return elements.length ? { variable, elements, steps, names } : undefined;
}

function bindNames(name: ts.BindingName, steps: Step[], out: Map<string, Step[]>): void {
  if (ts.isIdentifier(name)) {
    out.set(name.text, steps);
    return;
  }
  name.elements.forEach((element, index) => {
    if (!ts.isBindingElement(element) || element.dotDotDotToken) return;
    if (ts.isArrayBindingPattern(name)) return bindNames(element.name, [...steps, index], out);
    const key = element.propertyName
      ? propertyName(element.propertyName)
      : (element.name as ts.Identifier).text;
    if (key !== undefined) bindNames(element.name, [...steps, key], out);
  });
}

/** The elements of a table: array literals (spreads too), `Object.entries` / `Object.values` of an object. */
function tableElements(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  depth: number,
): Value[] {
  if (depth > 5) return [];
  const node = unwrap(expression);
  if (ts.isArrayLiteralExpression(node))
    return node.elements.flatMap((e): Value[] =>
      ts.isSpreadElement(e) ? tableElements(graph, file, e.expression, depth + 1) : [{ file, node: e }],
    );
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    ts.isIdentifier(node.expression.expression) &&
    node.expression.expression.text === 'Object' &&
    node.arguments[0]
  ) {
    const kind = node.expression.name.text;
    if (kind !== 'entries' && kind !== 'values') return [];
    return objectEntries(graph, file, node.arguments[0], depth + 1).map((pair): Value =>
      kind === 'values' ? pair.value : { pair },
    );
  }
  // `this.routes.forEach(…)` with `constructor(private readonly routes: Routes[])` or `routes = [new A()]`.
  const fields = ts.isPropertyAccessExpression(node) ? thisMemberValues(node) : [];
  if (fields.length) return fields.flatMap((value) => tableElements(graph, file, value, depth + 1));
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node))
    return graph.valuesOf(file, node).flatMap((v): Value[] => {
      if (v.node === node) return [];
      if (ts.isExpression(v.node)) return tableElements(graph, v.file, v.node, depth + 1);
      // `constructor(routes: Routes[]) { … routes.forEach(…) }` made by `new App([new Users(), …])`, also
      // handed on through a method (`this.initializeRoutes(routes)`): what every call passes.
      return (passedValues(graph, v) ?? []).flatMap((a) => tableElements(graph, a.file, a.node, depth + 1));
    });
  return [];
}

/** The properties of an object literal a value holds (spreads of other objects too), in order. */
function objectEntries(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  depth: number,
): { key: string; value: At }[] {
  if (depth > 5) return [];
  const node = unwrap(expression);
  if (ts.isObjectLiteralExpression(node)) {
    const out: { key: string; value: At }[] = [];
    for (const p of node.properties) {
      if (ts.isSpreadAssignment(p)) out.push(...objectEntries(graph, file, p.expression, depth + 1));
      else if (ts.isPropertyAssignment(p)) {
        const key = propertyName(p.name);
        if (key !== undefined) out.push({ key, value: { file, node: p.initializer } });
      } else if (ts.isShorthandPropertyAssignment(p))
        out.push({ key: p.name.text, value: { file, node: p.name } });
    }
    return out;
  }
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node))
    return graph
      .valuesOf(file, node)
      .filter((v) => v.node !== node && ts.isExpression(v.node))
      .flatMap((v) => objectEntries(graph, v.file, v.node as ts.Expression, depth + 1));
  return [];
}

/** The value `steps` reach from an element: object properties, array elements, `Object.entries` pairs. */
function select(graph: RouterGraphApi, start: Value, steps: readonly Step[]): Value | undefined {
  let value: Value | undefined = start;
  for (const step of steps) {
    if (!value || 'key' in value) return undefined;
    if ('pair' in value)
      value = step === 0 ? { key: value.pair.key } : step === 1 ? value.pair.value : undefined;
    else value = stepInto(graph, value, step);
  }
  return value;
}

function stepInto(graph: RouterGraphApi, value: At, step: Step): At | undefined {
  const candidates =
    ts.isIdentifier(value.node) || ts.isPropertyAccessExpression(value.node)
      ? graph.valuesOf(value.file, value.node)
      : [value];
  for (const candidate of candidates) {
    const node = unwrap(candidate.node as ts.Expression);
    if (typeof step === 'number' && ts.isArrayLiteralExpression(node)) {
      const element = node.elements[step];
      if (element && !ts.isSpreadElement(element)) return { file: candidate.file, node: element };
    }
    if (typeof step === 'string' && ts.isObjectLiteralExpression(node)) {
      for (const p of [...node.properties].reverse()) {
        if (ts.isPropertyAssignment(p) && propertyName(p.name) === step)
          return { file: candidate.file, node: p.initializer };
        if (ts.isShorthandPropertyAssignment(p) && p.name.text === step)
          return { file: candidate.file, node: p.name };
      }
    }
    // `new UserRoute()` with `class UserRoute { router = Router() }`: the instance's field.
    if (typeof step === 'string' && ts.isNewExpression(node)) {
      const field = newInstanceFieldValues(graph.project, candidate.file, node, step)[0];
      if (field) return field;
    }
  }
  return undefined;
}

/** A path argument evaluated for one element: literals, constants, templates and `+` over loop names. */
function stringWith(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  loop: Loop,
  element: Value,
): string | undefined {
  const node = unwrap(expression);
  if (ts.isTemplateExpression(node)) {
    let out = node.head.text;
    for (const span of node.templateSpans) {
      const part = stringWith(graph, file, span.expression, loop, element);
      if (part === undefined) return undefined;
      out += part + span.literal.text;
    }
    return out;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = stringWith(graph, file, node.left, loop, element);
    const right = stringWith(graph, file, node.right, loop, element);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  const access = accessOf(node);
  const steps = access && loop.names.get(access.root.text);
  if (access && steps && loopVariable(graph, file, access.root) === loop.variable) {
    const value = select(graph, element, [...steps, ...access.steps]);
    if (!value || 'pair' in value) return undefined;
    if ('key' in value) return value.key;
    return graph.project.stringOf(value.file, value.node as ts.Expression);
  }
  return graph.project.stringOf(file, node);
}
