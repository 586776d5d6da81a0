import ts from '../../typescript.cjs';
import { canDeclare, isFunctionNode, scopeTable } from './project.js';
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
    out += text.slice(from, start) + text.slice(start, end).replace(/[^\n\r\u2028\u2029]/g, ' ');
    from = end;
  }
  return out + text.slice(from);
}

/** The block bodies `trimForRoutes` empties, in source order (none nested in another). */
export function trimmableBodies(sourceFile: ts.SourceFile, wiringMethods: ReadonlySet<string>): ts.Block[] {
  const bodies: ts.Block[] = [];
  // The scope tables of the containers around the node being visited (the ones Project.lookup reads).
  const scopes: ReadonlyMap<string, ts.Node>[] = [];
  // Parents are passed down, not read: a worker parses without parent pointers (skeleton-worker.ts).
  const visit = (node: ts.Node, parent: ts.Node | undefined): void => {
    if (
      (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) &&
      node.body &&
      ts.isBlock(node.body) &&
      node.body.statements.length &&
      parent &&
      isCallArgument(node, parent) &&
      trimmable(node, node.body, scopes, wiringMethods, sourceFile)
    ) {
      bodies.push(node.body);
      return;
    }
    const container = canDeclare(node);
    if (container) scopes.push(scopeTable(node));
    node.forEachChild((child) => visit(child, node));
    if (container) scopes.pop();
  };
  visit(sourceFile, undefined);
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
  around: readonly ReadonlyMap<string, ts.Node>[],
  wiringMethods: ReadonlySet<string>,
  sourceFile: ts.SourceFile,
): boolean {
  if (fn.parameters.some((p) => routerLike(p, sourceFile))) return false;
  let ok = true;
  const visit = (node: ts.Node, parent: ts.Node): void => {
    if (!ok) return;
    switch (node.kind) {
      case ts.SyntaxKind.ThisKeyword:
      case ts.SyntaxKind.SuperKeyword:
      case ts.SyntaxKind.ImportKeyword:
      case ts.SyntaxKind.Decorator:
        ok = false;
        return;
    }
    if (ts.isCallExpression(node) && ts.isElementAccessExpression(node.expression)) {
      ok = false;
      return;
    }
    if (isFunctionNode(node) && node.parameters.some((p) => routerLike(p, sourceFile))) {
      ok = false;
      return;
    }
    if (ts.isIdentifier(node)) {
      const text = node.text;
      if (PLUMBING.has(text) || ROUTER_PARAM_NAMES.test(text) || wiringMethods.has(text)) {
        ok = false;
        return;
      }
      // A member name (`res.status`, `{ error: ... }`) is no binding; every other identifier is looked up,
      // and must not be able to find a declaration of a scope around the function.
      const memberName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node) ||
        (ts.isQualifiedName(parent) && parent.right === node);
      if (!memberName && around.some((table) => table.has(text))) {
        ok = false;
        return;
      }
    }
    node.forEachChild((child) => visit(child, node));
  };
  visit(body, fn);
  return ok;
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
