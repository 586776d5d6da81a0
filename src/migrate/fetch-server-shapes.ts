import ts from '../typescript.cjs';

/**
 * How a runtime is handed a fetch-style server (one function from Request to Response), read from syntax alone.
 * Shared by the `--spec` route reader (routes/fetch-servers.ts: its catch-all routes) and the pass-through module
 * (frameworks/fetch-pass-through.ts: which functions answer the client with the Response they return), so both
 * see the same servers:
 *
 * - `bun`: `Bun.serve({ routes, fetch, error })`, also `serve` imported from `bun` (Bun docs, "HTTP server").
 * - `deno`: `Deno.serve(handler)`, `Deno.serve(options, handler)`, `Deno.serve({ handler })` (Deno docs, "HTTP
 *   Server", `Deno.serve`).
 * - `serve`: another module's `serve({ fetch })` (`@hono/node-server`, Deno std's `serve(handler)`).
 * - `export`: `export default { fetch(request) {…} }`: the module syntax that Cloudflare Workers, Bun and `deno
 *   serve` start (Cloudflare docs, "Workers: fetch handler"; Bun docs, "export default syntax").
 * - `module-exports`: `module.exports = { fetch }` (a CommonJS build of the same object).
 */
export type FetchServerKind = 'bun' | 'deno' | 'serve' | 'export' | 'module-exports';

export interface FetchServer {
  kind: FetchServerKind;
  /** The options or server object (Bun's `{ routes, fetch, error }`, a Worker's `{ fetch }`), when there is one. */
  options?: ts.ObjectLiteralExpression;
  /**
   * What answers every request: the object's `fetch` member (a method, a function or a name), Deno's handler
   * argument or `handler` option, a bare `serve(handler)`'s argument. Undefined when the server has none.
   */
  handler?: ts.Expression | ts.MethodDeclaration;
}

/** Resolves a name or expression to the object literal it holds (a `const` of the file), or undefined. */
export type ObjectResolver = (node: ts.Expression) => ts.ObjectLiteralExpression | undefined;

/** Whether a file's text may hold a fetch server at all (a cheap test before the tree is walked). */
export function mayServeFetch(text: string): boolean {
  return (
    text.includes('serve') ||
    ((text.includes('export default') || text.includes('module.exports')) && text.includes('fetch'))
  );
}

/**
 * Every fetch server the file starts or exports, in source order. `objectOf` reads an options argument or an
 * exported value that is a name (`const server = { fetch }; export default server`); the default reads a `const` at
 * the file's top level. Kinds a caller does not read (fetch-servers.ts has no use for `serve` from other modules)
 * are left out by the caller.
 */
export function fetchServers(sourceFile: ts.SourceFile, objectOf?: ObjectResolver): FetchServer[] {
  if (!mayServeFetch(sourceFile.text)) return [];
  const resolve = objectOf ?? ((node: ts.Expression) => topLevelObject(sourceFile, node));
  const bunNames = bunServeNames(sourceFile);
  const servers: FetchServer[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const kind = serveCallKind(node, bunNames);
      if (kind) servers.push(serveCallServer(node, kind, resolve));
    } else if (ts.isExportAssignment(node) && !node.isExportEquals) {
      const options = resolve(node.expression);
      const handler = options && member(options, 'fetch');
      if (options && handler) servers.push({ kind: 'export', options, handler });
    } else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      /^(?:module\.)?exports$/.test(node.left.getText(sourceFile))
    ) {
      const options = resolve(node.right);
      const handler = options && member(options, 'fetch');
      if (options && handler) servers.push({ kind: 'module-exports', options, handler });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return servers;
}

/** `Bun.serve(…)` / `serve` imported from `bun`: 'bun'; `Deno.serve(…)`: 'deno'; any other `serve(…)`: 'serve'. */
export function serveCallKind(
  call: ts.CallExpression,
  bunNames: ReadonlySet<string>,
): 'bun' | 'deno' | 'serve' | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) {
    if (bunNames.has(callee.text)) return 'bun';
    return callee.text === 'serve' ? 'serve' : undefined;
  }
  if (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === 'serve' &&
    ts.isIdentifier(callee.expression)
  ) {
    if (callee.expression.text === 'Bun') return 'bun';
    if (callee.expression.text === 'Deno') return 'deno';
  }
  return undefined;
}

function serveCallServer(
  call: ts.CallExpression,
  kind: 'bun' | 'deno' | 'serve',
  resolve: ObjectResolver,
): FetchServer {
  const [first, second] = call.arguments;
  const options = first ? resolve(first) : undefined;
  if (kind === 'bun') return { kind, options, handler: options && member(options, 'fetch') };
  // Deno.serve(handler), Deno.serve(options, handler), Deno.serve({ handler }); serve(handler), serve({ fetch }).
  const handler = second ?? (options ? member(options, kind === 'deno' ? 'handler' : 'fetch') : first);
  return { kind, options, handler };
}

/** Local names of `serve` imported from `bun` (`import { serve } from 'bun'`, `import { serve as s } …`). */
export function bunServeNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (
      !ts.isImportDeclaration(statement) ||
      !ts.isStringLiteral(statement.moduleSpecifier) ||
      statement.moduleSpecifier.text !== 'bun'
    )
      continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings))
      for (const element of bindings.elements)
        if ((element.propertyName ?? element.name).text === 'serve') names.add(element.name.text);
  }
  return names;
}

/**
 * The function nodes that answer a fetch server's requests (its handler written in place, or the top-level
 * function or `const` arrow its name is bound to): the Response each returns is what the client gets.
 */
export function fetchHandlerFunctions(
  servers: readonly FetchServer[],
  sourceFile: ts.SourceFile,
): Set<ts.Node> {
  const functions = new Set<ts.Node>();
  for (const server of servers) {
    const handler = server.handler;
    if (!handler) continue;
    if (ts.isMethodDeclaration(handler) || ts.isFunctionLike(handler)) functions.add(handler);
    else {
      const value = unwrapValue(handler);
      if (ts.isFunctionLike(value)) functions.add(value);
      else if (ts.isIdentifier(value)) {
        const fn = topLevelFunction(sourceFile, value.text);
        if (fn) functions.add(fn);
      }
    }
  }
  return functions;
}

/** A member of an object literal: a property's value, a shorthand's name, or the method itself. */
function member(
  object: ts.ObjectLiteralExpression,
  name: string,
): ts.Expression | ts.MethodDeclaration | undefined {
  for (const property of object.properties) {
    const key =
      property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
        ? property.name.text
        : undefined;
    if (key !== name) continue;
    if (ts.isPropertyAssignment(property)) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property)) return property.name;
    if (ts.isMethodDeclaration(property)) return property;
  }
  return undefined;
}

function unwrapValue(node: ts.Expression): ts.Expression {
  let value = node;
  while (ts.isParenthesizedExpression(value) || ts.isAsExpression(value) || ts.isSatisfiesExpression(value))
    value = value.expression;
  return value;
}

/** An object literal written in place or held by a top-level `const` of the file. */
function topLevelObject(
  sourceFile: ts.SourceFile,
  node: ts.Expression,
): ts.ObjectLiteralExpression | undefined {
  const value = unwrapValue(node);
  if (ts.isObjectLiteralExpression(value)) return value;
  if (!ts.isIdentifier(value)) return undefined;
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (
        !ts.isIdentifier(declaration.name) ||
        declaration.name.text !== value.text ||
        !declaration.initializer
      )
        continue;
      const init = unwrapValue(declaration.initializer);
      return ts.isObjectLiteralExpression(init) ? init : undefined;
    }
  }
  return undefined;
}

/** A top-level `function name` or `const name = (…) => …` / `function (…)` of the file. */
function topLevelFunction(sourceFile: ts.SourceFile, name: string): ts.Node | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) return statement;
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations)
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer) {
        const init = unwrapValue(declaration.initializer);
        return ts.isFunctionLike(init) ? init : undefined;
      }
  }
  return undefined;
}
