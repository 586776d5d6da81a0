import ts from '../../typescript.cjs';
import { canDeclare, scopeTable, type FunctionNode } from './project.js';
import { METHODS, ROUTER_PARAM_NAMES, ROUTER_PARAM_TYPES, type RouteWiring } from './wiring.js';

/**
 * Identifiers a trimmed body may not hold even when nothing in the file declares them: CommonJS and module
 * plumbing the route graph reads (`require('./routes')`, `module.exports`), and `eval`, which can bind anything.
 */
const PLUMBING = new Set(['require', 'module', 'exports', 'global', 'globalThis', 'eval', 'arguments']);

/**
 * The method names route wiring reads on a call (`router.get`, `app.use`, `fastify.register`, Hono `basePath`,
 * `router.routes()`...): a body that calls one of them (on anything) is kept whole.
 */
export function wiringMethodNames(wirings: readonly RouteWiring[]): ReadonlySet<string> {
  const names = new Set<string>([...METHODS, 'use', 'route']);
  for (const wiring of wirings) {
    for (const name of wiring.chainable ?? []) names.add(name);
    for (const table of [wiring.derived, wiring.links, wiring.registrations])
      for (const name of Object.keys(table ?? {})) names.add(name);
  }
  return names;
}

/**
 * Trims a parsed file to what the `--spec` route graph can use, so the tree it keeps for the whole run is small
 * (keeping every file's full tree alive was the largest cost of `--spec` on a big project: the garbage
 * collector copies every live node). A function passed straight as a call argument (`router.get('/x',
 * (req, res) => { ... })`, `wrap(async (req, res) => { ... })`) keeps its parameters, but its block body loses
 * its statements when nothing in them can matter to routes or reach:
 *
 * - no name the body uses is in the scope table of a container around the function (the tables
 *   Project.lookup reads on its way up, imports included): each resolves inside the function (its
 *   parameters, its locals) or to nothing (a global such as `String`), so no reference from it to a
 *   declaration outside the function can be lost;
 * - it calls no method route wiring reads (`wiringMethodNames`), has no computed call (`x[m](...)`), no
 *   `this` / `super` / `import()`, no `require` / `module` / `exports`, and no name, parameter or parameter type
 *   that reads as a router (`app`, `router`, `: Router`);
 *
 * Such a body registers no route, links no router and references nothing outside itself, so the route graph,
 * the reach index and the §7 readers give the same answers on the trimmed tree (a position inside it resolves
 * to the body, whose enclosing function is the same). Node positions are unchanged. Only for trees the route
 * graph owns: a tree the analysis also reads (a file that may hold a 403) must never be trimmed.
 *
 * @returns the number of bodies trimmed (the tree is changed in place).
 */
export function trimForRoutes(sourceFile: ts.SourceFile, wiringMethods: ReadonlySet<string>): number {
  const bodies = trimmableBodies(sourceFile, wiringMethods);
  for (const body of bodies) {
    const empty = ts.factory.createNodeArray<ts.Statement>([]);
    ts.setTextRange(empty, { pos: body.statements.pos, end: body.statements.end });
    (body as { statements: ts.NodeArray<ts.Statement> }).statements = empty;
  }
  return bodies.length;
}

/**
 * The text with the statements of each trimmable body (`trimmableBodies`) blanked: spaces, line breaks kept,
 * so every position and line is the same. Parsed, it gives the tree `trimForRoutes` leaves (the bodies empty):
 * what a worker thread hands the main thread instead of a tree (skeleton-thread.ts).
 */
export function skeletonText(
  text: string,
  sourceFile: ts.SourceFile,
  wiringMethods: ReadonlySet<string>,
): string {
  const bodies = trimmableBodies(sourceFile, wiringMethods);
  if (!bodies.length) return text;
  let out = '';
  let from = 0;
  for (const body of bodies) {
    // Between the braces: `{` is the body's first token, `}` its last character.
    const start = body.getStart(sourceFile) + 1;
    const end = body.end - 1;
    out += text.slice(from, start) + text.slice(start, end).replace(NOT_LINE_BREAKS, blank);
    from = end;
  }
  return out + text.slice(from);
}

/** Runs of characters that are not line breaks (blanked to as many spaces by `skeletonText`). */
const NOT_LINE_BREAKS = /[^\n\r\u2028\u2029]+/g;
const blank = (run: string): string => ' '.repeat(run.length);

/**
 * The scope containers around the node being visited, innermost last, each with its scope table (the ones
 * Project.lookup reads), made only when a function body asks whether it names something they declare: most
 * containers of a file (blocks inside handlers that are kept whole) are never asked about.
 */
class ScopesAround {
  private readonly containers: ts.Node[] = [];
  private readonly tables: (ReadonlyMap<string, ts.Node> | undefined)[] = [];

  push(container: ts.Node): void {
    this.containers.push(container);
    this.tables.push(undefined);
  }

  pop(): void {
    this.containers.pop();
    this.tables.pop();
  }

  /** Whether a container around declares `name` directly. */
  declares(name: string): boolean {
    for (let i = 0; i < this.containers.length; i++) {
      let table = this.tables[i];
      if (!table) this.tables[i] = table = scopeTable(this.containers[i]);
      if (table.has(name)) return true;
    }
    return false;
  }
}

/** The block bodies `trimForRoutes` empties, in source order (none nested in another). */
export function trimmableBodies(sourceFile: ts.SourceFile, wiringMethods: ReadonlySet<string>): ts.Block[] {
  const bodies: ts.Block[] = [];
  const scopes = new ScopesAround();
  const names = new NameRules(wiringMethods);
  // Parents are tracked on the way down, not read: a worker parses without parent pointers (skeleton-worker.ts).
  let parent: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (
      (node.kind === ts.SyntaxKind.ArrowFunction || node.kind === ts.SyntaxKind.FunctionExpression) &&
      parent &&
      isCallArgument(node, parent)
    ) {
      const fn = node as ts.ArrowFunction | ts.FunctionExpression;
      if (
        fn.body &&
        ts.isBlock(fn.body) &&
        fn.body.statements.length &&
        trimmable(fn, fn.body, scopes, names, sourceFile)
      ) {
        bodies.push(fn.body);
        return;
      }
    }
    const container = canDeclare(node);
    if (container) scopes.push(node);
    const above = parent;
    parent = node;
    ts.forEachChild(node, visit);
    parent = above;
    if (container) scopes.pop();
  };
  visit(sourceFile);
  return bodies;
}

function isCallArgument(fn: ts.Node, parent: ts.Node): boolean {
  return (
    (ts.isCallExpression(parent) || ts.isNewExpression(parent)) &&
    parent.expression !== fn &&
    (parent.arguments ?? []).some((a) => a === fn)
  );
}

function trimmable(
  fn: ts.ArrowFunction | ts.FunctionExpression,
  body: ts.Block,
  around: ScopesAround,
  names: NameRules,
  sourceFile: ts.SourceFile,
): boolean {
  if (fn.parameters.some((p) => routerLike(p, sourceFile))) return false;
  // One walk of the body that stops at the first node that rules it out (`blocks` returns true). The parent
  // is kept in a variable instead of a closure per node (this walk covers every handler body of a project).
  let parent: ts.Node = fn;
  const blocks = (node: ts.Node): boolean => {
    switch (node.kind) {
      case ts.SyntaxKind.ThisKeyword:
      case ts.SyntaxKind.SuperKeyword:
      case ts.SyntaxKind.ImportKeyword:
      case ts.SyntaxKind.Decorator:
        return true;
      case ts.SyntaxKind.CallExpression:
        if ((node as ts.CallExpression).expression.kind === ts.SyntaxKind.ElementAccessExpression)
          return true;
        break;
      case ts.SyntaxKind.Identifier: {
        const text = (node as ts.Identifier).text;
        if (names.routerOrPlumbing(text)) return true;
        // A member name (`res.status`, `{ error: ... }`) is no binding; every other identifier is looked up,
        // and must not be able to find a declaration of a scope around the function.
        const memberName =
          (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
          (ts.isPropertyAssignment(parent) && parent.name === node) ||
          (ts.isQualifiedName(parent) && parent.right === node);
        if (!memberName && around.declares(text)) return true;
        break;
      }
      // isFunctionNode's kinds (scope.ts), switched on here: this runs for every node of every body.
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.MethodDeclaration:
      case ts.SyntaxKind.Constructor:
      case ts.SyntaxKind.GetAccessor:
      case ts.SyntaxKind.SetAccessor:
        if ((node as FunctionNode).parameters.some((p) => routerLike(p, sourceFile))) return true;
        break;
    }
    const above = parent;
    parent = node;
    const found = ts.forEachChild(node, blocks) === true;
    parent = above;
    return found;
  };
  return !blocks(body);
}

/**
 * Whether an identifier's text rules a body out by itself (plumbing such as `require`, a router-like name, a
 * method route wiring reads), remembered per text for one file's walk.
 */
class NameRules {
  private readonly known = new Map<string, boolean>();

  constructor(private readonly wiringMethods: ReadonlySet<string>) {}

  routerOrPlumbing(text: string): boolean {
    let answer = this.known.get(text);
    if (answer === undefined) {
      answer = PLUMBING.has(text) || ROUTER_PARAM_NAMES.test(text) || this.wiringMethods.has(text);
      this.known.set(text, answer);
    }
    return answer;
  }
}

/** A parameter the route graph may take for a router (named or typed like one). */
function routerLike(parameter: ts.ParameterDeclaration, sourceFile: ts.SourceFile): boolean {
  if (parameter.type && ROUTER_PARAM_TYPES.test(parameter.type.getText(sourceFile))) return true;
  let routerName = false;
  const names = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) routerName ||= ROUTER_PARAM_NAMES.test(name.text);
    else for (const e of name.elements) if (ts.isBindingElement(e)) names(e.name);
  };
  names(parameter.name);
  return routerName;
}
