import ts from '../typescript.cjs';
import { isFunctionLike } from './scope.js';
import { servedRange, type TextRange } from './test-scopes.js';

/**
 * The calls a test file makes on one of its variables to set up what a test runs against, outside that
 * test's body: `app.use('*', csrf())` in a `describe` block, `fastify.register(fastifyStatic, options)` in the
 * outer test whose `t.test(...)` subtests make the requests, `server.route(...)` in a `beforeAll` hook,
 * chained (`app.use(a).use(b)`) or awaited (`await fastify.register(plugin)`).
 *
 * A call sets up the stretch of the file a route registered there would serve (`servedRange`): inside another
 * test's body only that test, in another suite or its hooks only that suite's tests; such calls are left out.
 *
 * The variable is matched by name within the block that declares it (a `let app` of one `describe` block
 * is not the `app` of the next one).
 *
 * @param sourceFile the test file
 * @param declaration the variable's declaration in the test file
 * @param body the test body whose unit under test is being walked
 * @returns the outermost call of each such statement, in source order
 */
export function setupCalls(
  sourceFile: ts.SourceFile,
  declaration: ts.VariableDeclaration,
  body: ts.Node,
): ts.CallExpression[] {
  if (!ts.isIdentifier(declaration.name)) return [];
  let scope: ts.Node = declaration.parent;
  while (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !isFunctionLike(scope) && scope.parent)
    scope = scope.parent;
  return (callsByReceiver(sourceFile).get(declaration.name.text) ?? []).filter(
    (call) =>
      call.pos >= scope.pos &&
      call.end <= scope.end &&
      (call.pos < body.pos || call.end > body.end) &&
      serves(servedRange(sourceFile, call.getStart(sourceFile)), body),
  );
}

/**
 * The statement-level calls a module makes on one of its module-level variables when it is loaded and that run
 * for every request whatever its path (`app.use(authz({ newEnforcer }))` in the file that builds and exports
 * `app`, `fastify.register(plugin)`, `app.addHook('onRequest', fn)`), for a variable of another file than the
 * test's. A call led by a path (`app.get('/x', h)`, `app.use('/files', files)`) is a route the route graph
 * reads, which the test's request may not reach: left out. None for a variable declared inside a function.
 */
export function moduleSetupCalls(
  sourceFile: ts.SourceFile,
  declaration: ts.VariableDeclaration,
): ts.CallExpression[] {
  if (!ts.isIdentifier(declaration.name)) return [];
  const statement = declaration.parent.parent;
  if (!ts.isVariableStatement(statement) || !ts.isSourceFile(statement.parent)) return [];
  return (callsByReceiver(sourceFile).get(declaration.name.text) ?? []).filter(
    (call) =>
      !pathLed(call) &&
      sourceFile.statements.some(
        (s) => ts.isExpressionStatement(s) && s.pos <= call.pos && call.end <= s.end,
      ),
  );
}

/**
 * `app.get('/x', h)`, `app.use('/files', files).use(...)`, `app.use('*', mw)`: a call of the chain is given a
 * path first (not `app.addHook('onRequest', fn)`).
 */
function pathLed(call: ts.CallExpression): boolean {
  for (let node: ts.Expression = call; ts.isCallExpression(node);) {
    const first = node.arguments[0];
    if (
      first &&
      ((ts.isStringLiteralLike(first) && /^[/*]/.test(first.text)) || ts.isTemplateExpression(first))
    )
      return true;
    const callee = node.expression;
    if (!ts.isPropertyAccessExpression(callee)) break;
    node = callee.expression;
  }
  return false;
}

/**
 * The variable declaration a test-file name comes from: the declaration itself, or the one whose destructuring
 * binds it (`port` in `const { port } = fastify.server.address()`): its initializer is what the name holds.
 */
export function variableOf(node: ts.Node): ts.VariableDeclaration | undefined {
  let current: ts.Node = node;
  while (
    ts.isBindingElement(current) ||
    ts.isObjectBindingPattern(current) ||
    ts.isArrayBindingPattern(current)
  )
    current = current.parent;
  return ts.isVariableDeclaration(current) ? current : undefined;
}

const fileCalls = new WeakMap<ts.SourceFile, ReadonlyMap<string, readonly ts.CallExpression[]>>();

/** Every statement-level call chain of a file by the variable it starts from, found by one walk. */
function callsByReceiver(sourceFile: ts.SourceFile): ReadonlyMap<string, readonly ts.CallExpression[]> {
  const cached = fileCalls.get(sourceFile);
  if (cached) return cached;
  const found = new Map<string, ts.CallExpression[]>();
  const visit = (node: ts.Node): void => {
    if (ts.isExpressionStatement(node)) {
      let expression = node.expression;
      while (ts.isAwaitExpression(expression) || ts.isParenthesizedExpression(expression))
        expression = expression.expression;
      const receiver = ts.isCallExpression(expression) ? receiverOf(expression) : undefined;
      if (receiver && ts.isCallExpression(expression)) {
        const list = found.get(receiver) ?? [];
        list.push(expression);
        found.set(receiver, list);
      }
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  fileCalls.set(sourceFile, found);
  return found;
}

/** `app` of `app.use(x)`, `app.use(a).use(b)`, `app.route('/x').get(h)`; undefined for any other callee. */
function receiverOf(call: ts.CallExpression): string | undefined {
  let callee: ts.Expression = call.expression;
  for (;;) {
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const object = callee.expression;
    if (ts.isIdentifier(object)) return object.text;
    if (!ts.isCallExpression(object)) return undefined;
    callee = object.expression;
  }
}

/** Whether set-up done for `range` (a test's or suite's body; undefined: the whole file) runs for `body`. */
function serves(range: TextRange | undefined, body: ts.Node): boolean {
  return range === undefined || (range.start <= body.pos && body.end <= range.end);
}
