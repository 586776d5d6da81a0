import ts from '../typescript.cjs';
import { isFunctionNode, unwrap, type Project, type ProjectFile } from './routes/project.js';
import { valuesOf } from './test-app-values.js';
import { METHODS } from './routes/wiring.js';

// An app a test builds itself (a stand-in), told from the app value its request is made on (test-route-graph.ts).

/**
 * Whether the app expression `app` of test file `from` is an app test code builds: followed through the file's
 * variables (their initializer, or every value assigned to them) to a call or `new` of a package's export
 * (`express()`, `new Koa()`, `Fastify()`, `Hapi.server()`), or to a call of a function that test code declares
 * (`stubApp()` from a test helper) whose every `return` is such an app. A request made on it reaches the routes
 * test code registers on that app, never a product route of the same path. False when any value is not read
 * (a parameter, a product module's export, a product factory): the module scope stands.
 *
 * @param project the follower's project
 * @param isTest whether a file (relative path) is test code
 */
export function builtInTests(
  project: Project,
  isTest: (relative: string) => boolean,
  from: ProjectFile,
  app: ts.Expression,
): boolean {
  return builtApp(project, isTest, from, app, 0);
}

function builtApp(
  project: Project,
  isTest: (relative: string) => boolean,
  file: ProjectFile,
  expression: ts.Expression,
  depth: number,
  registered = false,
): boolean {
  if (depth > 8 || !isTest(file.relative)) return false;
  const node = unwrap(expression);
  if (ts.isAwaitExpression(node)) return builtApp(project, isTest, file, node.expression, depth + 1);
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
    const callee = unwrap(node.expression);
    const root = rootIdentifier(callee);
    if (!root) return false;
    // A package's value is an app only where test code registers routes on it (`new Client(url)` is none).
    if (packageBinding(file.sourceFile, root.text)) return registered;
    if (callee !== root) return false;
    const declared = project.lookup(file, root, root.text);
    const only = declared.length === 1 ? declared[0] : undefined;
    if (!only || !isTest(only.file.relative)) return false;
    const fn = functionOf(only.node);
    if (!fn) return false;
    const returned = returnsOf(fn);
    return returned.length > 0 && returned.every((r) => builtApp(project, isTest, only.file, r, depth + 1));
  }
  if (!ts.isIdentifier(node)) return false;
  const declared = project.lookup(file, node, node.text);
  const only = declared.length === 1 ? declared[0] : undefined;
  if (!only || only.file !== file || !ts.isVariableDeclaration(only.node)) return false;
  const calls = callsOn(only.node, node.text);
  if (calls.some((call) => MOUNTS.has(call.name) && call.node.arguments.some(namesProduct))) return false;
  const routes = calls.some((call) => ROUTES.has(call.name));
  const values = valuesOf(only.node, node.text);
  return values.length > 0 && values.every((v) => builtApp(project, isTest, file, v, depth + 1, routes));

  /** Whether an argument names a declaration of a file that is not test code (`outer.use(app)`). */
  function namesProduct(argument: ts.Node): boolean {
    if (ts.isIdentifier(argument))
      return project.lookup(file, argument, argument.text).some((d) => !isTest(d.file.relative));
    return argument.forEachChild(namesProduct) ?? false;
  }
}

/** Calls that mount code on an app: `app.use(router)`, `fastify.register(plugin)`, `app.route('/x', r)`. */
const MOUNTS = new Set(['use', 'register', 'route', 'mount', 'merge', 'addRoutes']);

/**
 * Route registrations: `app.get('/x', h)` (every method routers spell so, routes/wiring.ts `METHODS`),
 * `router.route('/x')`, `server.route({ ... })`, `app.on('GET', '/x', h)`.
 */
const ROUTES = new Set([...METHODS, 'route', 'on']);

/**
 * The method calls on the variable `name` (declared by `declaration`) in its scope: `fake.get('/admin', h)`,
 * `outer.use(app)`, each with its method name.
 */
function callsOn(
  declaration: ts.VariableDeclaration,
  name: string,
): { name: string; node: ts.CallExpression }[] {
  let scope: ts.Node = declaration;
  while (scope.parent && !ts.isBlock(scope) && !ts.isSourceFile(scope) && !isFunctionNode(scope))
    scope = scope.parent;
  const out: { name: string; node: ts.CallExpression }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = unwrap(node.expression);
      if (ts.isPropertyAccessExpression(callee)) {
        const receiver = unwrap(callee.expression);
        if (ts.isIdentifier(receiver) && receiver.text === name) out.push({ name: callee.name.text, node });
      }
    }
    node.forEachChild(visit);
  };
  visit(scope);
  return out;
}

/** `express` of `express()`, `Hapi` of `Hapi.server()`, `Koa` of `new Koa()`. */
function rootIdentifier(callee: ts.Expression): ts.Identifier | undefined {
  let node = callee;
  for (let i = 0; i < 4 && ts.isPropertyAccessExpression(node); i++) node = unwrap(node.expression);
  return ts.isIdentifier(node) ? node : undefined;
}

/**
 * Whether `name` is bound at the top of `source` to a package's export: `import express from 'express'`,
 * `import { Hono } from 'hono'`, `const express = require('express')`, `const { Hono } = require('hono')`.
 */
function packageBinding(source: ts.SourceFile, name: string): boolean {
  const bare = (specifier: string): boolean => !/^[./]/.test(specifier);
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.importClause;
      if (!clause || !bare(statement.moduleSpecifier.text)) continue;
      if (clause.name?.text === name) return true;
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings) && bindings.name.text === name) return true;
      if (bindings && ts.isNamedImports(bindings) && bindings.elements.some((e) => e.name.text === name))
        return true;
    }
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const specifier = requiredModule(declaration.initializer);
      if (specifier === undefined || !bare(specifier)) continue;
      const bound = declaration.name;
      if (ts.isIdentifier(bound) && bound.text === name) return true;
      if (
        ts.isObjectBindingPattern(bound) &&
        bound.elements.some((e) => ts.isIdentifier(e.name) && e.name.text === name)
      )
        return true;
    }
  }
  return false;
}

/** The module of `require('x')` or `require('x').member`; undefined for any other initializer. */
function requiredModule(initializer: ts.Expression | undefined): string | undefined {
  let node = initializer && unwrap(initializer);
  if (node && ts.isPropertyAccessExpression(node)) node = unwrap(node.expression);
  if (!node || !ts.isCallExpression(node)) return undefined;
  const callee = unwrap(node.expression);
  const argument = node.arguments[0];
  return ts.isIdentifier(callee) && callee.text === 'require' && argument && ts.isStringLiteral(argument)
    ? argument.text
    : undefined;
}

/** The function a declaration holds (`function stubApp() {}`, `const stubApp = () => …`). */
function functionOf(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  if (ts.isFunctionDeclaration(node)) return node;
  if (ts.isVariableDeclaration(node) && node.initializer) {
    const init = unwrap(node.initializer);
    if (isFunctionNode(init) && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return init;
  }
  return undefined;
}

/** The expressions a function returns (an arrow's expression body, or its own `return` statements). */
function returnsOf(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  const body = fn.body;
  if (!body) return [];
  if (!ts.isBlock(body)) return [body];
  const out: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionNode(node)) return;
    if (ts.isReturnStatement(node) && node.expression) out.push(node.expression);
    node.forEachChild(visit);
  };
  body.forEachChild(visit);
  return out;
}
