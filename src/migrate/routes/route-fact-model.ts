/**
 * The plain data of route facts (route-facts.ts) and of the token arrays they are read from (skeleton-scan.ts),
 * kept apart from both so the project, the route graph and the threads can name them without importing either.
 */

/** A file's tokens (comments skipped), with each bracket's partner. */
export interface Tokens {
  kind: number[];
  start: number[];
  end: number[];
  /** An identifier's name (escapes decoded), or a keyword's text. */
  value: string[];
  /** Whether a line break precedes the token. */
  lineBefore: boolean[];
  /** The index of the partner of each bracket (`(`/`)`, `[`/`]`, `{`/`}`; a template's `${` ... `}` parts). */
  match: Int32Array;
}

/**
 * Route facts: registrations that the compiler's tokens show whole, read without a tree and handed to the route
 * graph as plain data (graph.ts `registerFact`), their statements blanked from the skeleton text so the tree the
 * run keeps of the file holds only its imports and router declarations. On the 16,000-route bench tree every
 * route file is such a file: ten `router.get('/x', async (req: Request, res: Response) => { ... });` statements.
 *
 * A file gives facts only when every top-level statement is one of these, each ending with its own `;`:
 *
 * - an import declaration (`import x, { a as b, type T } from 'm';`, `import * as ns from 'm';`, `import 'm';`);
 * - `[export] const NAME = F();` or `[export] const NAME = x.F();` (a router's creation, read by the graph from
 *   the tree as before);
 * - `export default NAME;`, `module.exports = NAME;`;
 * - a registration `R.M('/path', [async] (p[: T], ...) => { ... });` where R is one of the file's `const`
 *   names made by such a call, M a method no wiring reads other than as `router.METHOD(path, handler)`
 *   (`routeFactMethods`; not a name the file declares), the path a plain quoted string with no escape, and
 *   the handler an arrow function whose parameters are plain names (no router name) typed by nothing or by one
 *   imported name each (no router type), whose body is empty or one the skeleton blanks (skeleton-scan.ts).
 *
 * Anything else (a name declared twice, a file naming egg's router folder or openapi-backend, no `;`) gives no
 * facts, and the file keeps its plain skeleton. What the tree would have held of a registration and the facts
 * do not: the receiver (a `const` of the same file, made by a call, so no member and no reference the reach
 * follows), the method name (declared nowhere in the file, so no lookup finds it), the parameter names
 * (declarations) and the parameter types, which the reach could follow into a project declaration: a fact is
 * only used when each type's module resolves to no project file (`modules`, checked by Project).
 */
export interface RouteFact {
  /** The router's name (R) and where it is written. */
  receiver: string;
  receiverStart: number;
  receiverEnd: number;
  /** The method as written (`get`, `delete`, `del`) and where its name starts (the registration's anchor). */
  method: string;
  methodStart: number;
  /** The path string's value. */
  path: string;
  /** The handler (the arrow function, `async` included): `[start, end)`. */
  handlerStart: number;
  handlerEnd: number;
}

/** What the tokens of one file give: its registrations, and the modules their parameter types come from. */
export interface RouteFacts {
  routes: RouteFact[];
  /** Module specifiers of the imports that name a handler parameter's type (each once). */
  modules: string[];
}

/** The facts of a file and the token ranges (`[first, last]`) of their statements, blanked from the skeleton. */
export interface ReadFacts {
  facts: RouteFacts;
  statements: [number, number][];
}
