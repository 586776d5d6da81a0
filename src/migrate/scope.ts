import ts from '../typescript.cjs';
import type { SiteScope } from './types.js';

export type FunctionLike =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

export function isFunctionLike(node: ts.Node): node is FunctionLike {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

export function enclosingFunction(node: ts.Node): FunctionLike | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionLike(current)) return current;
  }
  return undefined;
}

/** Methods that register a handler on an app or router (`app.get('/x', h)`, `router.use(h)`). */
export const ROUTE_METHODS = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'del',
  'head',
  'options',
  'all',
  'use',
  'route',
]);

/**
 * The function a site sits in, with what a route mapper needs: its name, its class, and, when it is
 * passed to `x.get('/path', ...)`, the registration (`GET /path` on receiver `x`).
 */
export function scopeOf(node: ts.Node, sourceFile: ts.SourceFile): SiteScope {
  const fn = enclosingFunction(node);
  if (!fn) return { functionStart: 0, functionEnd: sourceFile.end };
  const scope: SiteScope = {
    functionName: functionName(fn),
    functionStart: fn.getStart(sourceFile),
    functionEnd: fn.getEnd(),
  };
  const classNode = fn.parent && ts.isClassLike(fn.parent) ? fn.parent : undefined;
  if (classNode?.name) scope.className = classNode.name.text;
  const route = registrationOf(fn);
  if (route) scope.route = route;
  return scope;
}

/**
 * The name a function declares itself under: `function f() {}`, `const f = () => {}`, `{ f: function () {} }`,
 * a method's name; undefined for an anonymous function held nowhere named.
 */
export function functionName(fn: FunctionLike): string | undefined {
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name))) return fn.name.text;
  const parent = fn.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent) && (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name))) {
    return parent.name.text;
  }
  return undefined;
}

/** `router.get('/items/:id', mw, (req, res) => …)` -> { method: 'get', path: '/items/:id', receiver: 'router' }. */
function registrationOf(fn: FunctionLike): SiteScope['route'] {
  const call = fn.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return undefined;
  if (!ts.isPropertyAccessExpression(call.expression)) return undefined;
  const method = call.expression.name.text;
  if (!ROUTE_METHODS.has(method)) return undefined;
  const first = call.arguments[0];
  const path =
    first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))
      ? first.text
      : undefined;
  return { method, path, receiver: call.expression.expression.getText() };
}
