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
 * `router.routes()`...): a body that calls one of them (on anything) is kept whole. A wiring's `trimSafe` names
 * are left out (common words such as `resolve` or `error`: a body naming one would be kept for nothing).
 */
export function wiringMethodNames(wirings: readonly RouteWiring[]): ReadonlySet<string> {
  const names = new Set<string>([...METHODS, 'use', 'route']);
  for (const wiring of wirings) {
    for (const name of wiring.chainable ?? []) names.add(name);
    for (const table of [wiring.derived, wiring.links, wiring.registrations])
      for (const name of Object.keys(table ?? {})) names.add(name);
  }
  for (const wiring of wirings) for (const name of wiring.trimSafe ?? []) names.delete(name);
  return names;
}

/** The trees `trimForRoutes` emptied a body of (their text is kept whole). */
const TRIMMED = new WeakSet<ts.SourceFile>();

/**
 * Whether `trimForRoutes` emptied a body of this tree: a reader that needs every statement (what a handler
 * sends, test-target-places.ts) parses its text again; the route graph and the reach index need not.
 */
export function isTrimmed(sourceFile: ts.SourceFile): boolean {
  return TRIMMED.has(sourceFile);
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
  if (bodies.length) TRIMMED.add(sourceFile);
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

/**
 * Syntax kinds the walks below switch on, read once: each `ts.SyntaxKind.X` is a getter call on the compiler's
 * module object (its exports are accessors), and these walks visit every node of every handler of a project.
 */
const K = ts.SyntaxKind;
const ARROW_FUNCTION = K.ArrowFunction;
const FUNCTION_EXPRESSION = K.FunctionExpression;
const FUNCTION_DECLARATION = K.FunctionDeclaration;
const METHOD_DECLARATION = K.MethodDeclaration;
const CONSTRUCTOR = K.Constructor;
const GET_ACCESSOR = K.GetAccessor;
const SET_ACCESSOR = K.SetAccessor;
const CALL_EXPRESSION = K.CallExpression;
const NEW_EXPRESSION = K.NewExpression;
const ELEMENT_ACCESS_EXPRESSION = K.ElementAccessExpression;
const PROPERTY_ACCESS_EXPRESSION = K.PropertyAccessExpression;
const PROPERTY_ASSIGNMENT = K.PropertyAssignment;
const QUALIFIED_NAME = K.QualifiedName;
const IDENTIFIER = K.Identifier;
const THIS_KEYWORD = K.ThisKeyword;
const SUPER_KEYWORD = K.SuperKeyword;
const IMPORT_KEYWORD = K.ImportKeyword;
const DECORATOR = K.Decorator;
const BLOCK = K.Block;
const forEachChild = ts.forEachChild;

/** The block bodies `trimForRoutes` empties, in source order (none nested in another). */
export function trimmableBodies(sourceFile: ts.SourceFile, wiringMethods: ReadonlySet<string>): ts.Block[] {
  const bodies: ts.Block[] = [];
  const scopes = new ScopesAround();
  const names = new NameRules(wiringMethods);
  // Parents are tracked on the way down, not read: a worker parses without parent pointers (skeleton-worker.ts).
  let parent: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    const kind = node.kind;
    if ((kind === ARROW_FUNCTION || kind === FUNCTION_EXPRESSION) && parent && isCallArgument(node, parent)) {
      const body = (node as ts.ArrowFunction | ts.FunctionExpression).body;
      if (
        body &&
        body.kind === BLOCK &&
        (body as ts.Block).statements.length &&
        trimmable(
          node as ts.ArrowFunction | ts.FunctionExpression,
          body as ts.Block,
          scopes,
          names,
          sourceFile,
        )
      ) {
        bodies.push(body as ts.Block);
        return;
      }
    }
    const container = canDeclare(node);
    if (container) scopes.push(node);
    const above = parent;
    parent = node;
    forEachChild(node, visit);
    parent = above;
    if (container) scopes.pop();
  };
  visit(sourceFile);
  return bodies;
}

function isCallArgument(fn: ts.Node, parent: ts.Node): boolean {
  if (parent.kind !== CALL_EXPRESSION && parent.kind !== NEW_EXPRESSION) return false;
  const call = parent as ts.CallExpression | ts.NewExpression;
  return call.expression !== fn && (call.arguments ?? []).some((a) => a === fn);
}

/** isFunctionNode's kinds (scope.ts), by kind: the body walk asks this of every node. */
function isFunctionKind(kind: ts.SyntaxKind): boolean {
  return (
    kind === FUNCTION_DECLARATION ||
    kind === FUNCTION_EXPRESSION ||
    kind === ARROW_FUNCTION ||
    kind === METHOD_DECLARATION ||
    kind === CONSTRUCTOR ||
    kind === GET_ACCESSOR ||
    kind === SET_ACCESSOR
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
    const kind = node.kind;
    if (kind === IDENTIFIER) {
      const text = (node as ts.Identifier).text;
      if (names.routerOrPlumbing(text)) return true;
      // A member name (`res.status`, `{ error: ... }`) is no binding; every other identifier is looked up,
      // and must not be able to find a declaration of a scope around the function.
      const above = parent.kind;
      const memberName =
        (above === PROPERTY_ACCESS_EXPRESSION && (parent as ts.PropertyAccessExpression).name === node) ||
        (above === PROPERTY_ASSIGNMENT && (parent as ts.PropertyAssignment).name === node) ||
        (above === QUALIFIED_NAME && (parent as ts.QualifiedName).right === node);
      if (!memberName && around.declares(text)) return true;
      // An identifier has no children worth a walk (its type arguments, if any, are walked as before).
    } else if (
      kind === THIS_KEYWORD ||
      kind === SUPER_KEYWORD ||
      kind === IMPORT_KEYWORD ||
      kind === DECORATOR
    ) {
      return true;
    } else if (kind === CALL_EXPRESSION) {
      if ((node as ts.CallExpression).expression.kind === ELEMENT_ACCESS_EXPRESSION) return true;
    } else if (isFunctionKind(kind)) {
      if ((node as FunctionNode).parameters.some((p) => routerLike(p, sourceFile))) return true;
    }
    const above = parent;
    parent = node;
    const found = forEachChild(node, blocks) === true;
    parent = above;
    return found;
  };
  return !blocks(body);
}

/**
 * Whether an identifier's text rules a body out by itself (plumbing such as `require`, a router-like name, a
 * method route wiring reads), remembered per text for one file's walk (skeleton-scan.ts asks the same).
 */
export class NameRules {
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
