import ts from '../typescript.cjs';
import { hooksAround } from './test-doubles.js';
import { isFunctionLike, type FunctionLike } from './scope.js';

/**
 * What a test reads off its runner's shared context (`--include-tests`, issue 9 §1): the app or agent a hook
 * builds and a test uses through the context rather than a variable of the file. Syntax only.
 *
 * - ava and tap: `test.before((t) => { t.context.request = getApp() })`, read as `t.context.request`
 *   (also `t.context = { app: build() }`);
 * - Mocha's `this`: `beforeEach(function () { this.app = build() })`, read as `this.app` in a `function` test;
 * - uvu's and Vitest's context argument: `test.before((context) => { context.app = build() })` read as
 *   `context.app`, `beforeEach((ctx) => { ctx.app = build() })` read as `ctx.app` or `({ app })`;
 * - lab's `({ context })`: `lab.before(({ context }) => { context.server = build() })`;
 * - Vitest's fixtures: `const it = test.extend({ app: async ({}, use) => use(build()) })`, read as `({ app })`.
 *
 * Sources: ava's `t.context` (docs/01-writing-tests.md, "Test context"), tap's `t.context`, Mocha's shared
 * `this` ("Arrow functions" and "Hooks" in mochajs.org), uvu's context argument (docs/api.uvu.md), Vitest's
 * test context (vitest.dev/guide/test-context), lab's `flags.context` / `{ context }` (hapi.dev/module/lab).
 */

/**
 * The before-hooks around `body` (a test's function) that put on the context a name the body reads from it:
 * their functions, whose code builds what the test uses (`this.app = express(); this.app.use(guard())`).
 * Empty when the body reads nothing off a context.
 */
export function contextHooks(body: ts.Node): FunctionLike[] {
  const names = contextReads(body);
  if (!names.size) return [];
  const out: FunctionLike[] = [];
  for (const hook of hooksAround(body)) {
    if (!ts.isCallExpression(hook)) continue;
    for (const argument of hook.arguments)
      if (isFunctionLike(argument) && assignedIn(argument, names).length) out.push(argument);
  }
  out.push(...extendedFixtures(body, names));
  return out;
}

/**
 * Vitest's (and Playwright's) fixtures: `const it = test.extend({ app: async ({}, use) => use(build()) })`, the
 * test registered with `it('x', async ({ app }) => ...)`: the fixture functions for the names the test reads.
 */
function extendedFixtures(body: ts.Node, names: ReadonlySet<string>): FunctionLike[] {
  const call = body.parent;
  if (!call || !ts.isCallExpression(call)) return [];
  let callee = call.expression;
  while (ts.isPropertyAccessExpression(callee)) callee = callee.expression; // `it.only`, `it.skip`
  if (!ts.isIdentifier(callee)) return [];
  const runner = callee.text;
  const out: FunctionLike[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === runner &&
      node.initializer &&
      ts.isCallExpression(node.initializer) &&
      ts.isPropertyAccessExpression(node.initializer.expression) &&
      node.initializer.expression.name.text === 'extend'
    )
      for (const argument of node.initializer.arguments) {
        if (!ts.isObjectLiteralExpression(argument)) continue;
        for (const property of argument.properties) {
          const key = property.name && ts.isIdentifier(property.name) ? property.name.text : undefined;
          if (!key || !names.has(key)) continue;
          if (ts.isMethodDeclaration(property)) out.push(property);
          else if (ts.isPropertyAssignment(property) && isFunctionLike(property.initializer))
            out.push(property.initializer);
        }
      }
    node.forEachChild(visit);
  };
  visit(body.getSourceFile());
  return out;
}

/** The context member names a test function reads: `t.context.app`, `this.app`, `ctx.app`, `({ app })`. */
function contextReads(body: ts.Node): Set<string> {
  const names = new Set<string>();
  if (!isFunctionLike(body)) return names;
  const holders = new Set<string>();
  const first = body.parameters[0]?.name;
  if (first && ts.isIdentifier(first)) holders.add(first.text);
  if (first && ts.isObjectBindingPattern(first))
    for (const element of first.elements) {
      const key = element.propertyName ?? element.name;
      if (!ts.isIdentifier(key)) continue;
      if (key.text === 'context' && ts.isIdentifier(element.name)) holders.add(element.name.text);
      else names.add(key.text);
    }
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node)) {
      const owner = node.expression;
      if (owner.kind === ts.SyntaxKind.ThisKeyword) names.add(node.name.text);
      else if (ts.isIdentifier(owner) && holders.has(owner.text)) names.add(node.name.text);
      else if (
        ts.isPropertyAccessExpression(owner) &&
        owner.name.text === 'context' &&
        ts.isIdentifier(owner.expression) &&
        holders.has(owner.expression.text)
      )
        names.add(node.name.text);
    }
    node.forEachChild(visit);
  };
  visit(body);
  return names;
}

/**
 * What a hook's function assigns to the context under `names`: `this.app = v`, `t.context.app = v`,
 * `ctx.app = v` (its first parameter, or `context` bound from it), and `t.context = { app: v }`.
 */
function assignedIn(hook: FunctionLike, names: ReadonlySet<string>): ts.Expression[] {
  const holders = new Set<string>();
  const first = hook.parameters[0]?.name;
  if (first && ts.isIdentifier(first)) holders.add(first.text);
  if (first && ts.isObjectBindingPattern(first))
    for (const element of first.elements) {
      const key = element.propertyName ?? element.name;
      if (ts.isIdentifier(key) && key.text === 'context' && ts.isIdentifier(element.name))
        holders.add(element.name.text);
    }
  const isContext = (node: ts.Expression): boolean =>
    node.kind === ts.SyntaxKind.ThisKeyword ||
    (ts.isIdentifier(node) && holders.has(node.text)) ||
    (ts.isPropertyAccessExpression(node) &&
      node.name.text === 'context' &&
      ts.isIdentifier(node.expression) &&
      holders.has(node.expression.text));
  const out: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = node.left;
      if (ts.isPropertyAccessExpression(left) && names.has(left.name.text) && isContext(left.expression))
        out.push(node.right);
      // `t.context = { app: build() }`
      if (
        ts.isPropertyAccessExpression(left) &&
        left.name.text === 'context' &&
        isContext(left) &&
        ts.isObjectLiteralExpression(node.right)
      )
        for (const property of node.right.properties)
          if (
            ts.isPropertyAssignment(property) &&
            ts.isIdentifier(property.name) &&
            names.has(property.name.text)
          )
            out.push(property.initializer);
          else if (ts.isShorthandPropertyAssignment(property) && names.has(property.name.text))
            out.push(property.name);
    }
    node.forEachChild(visit);
  };
  if (hook.body) visit(hook.body);
  return out;
}
