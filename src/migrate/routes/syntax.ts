import ts from '../../typescript.cjs';
import type { Span } from './model.js';
import { propertyName, requireOf, staticString, unwrap, type ProjectFile } from './project.js';

/** Small syntax helpers shared by the route wiring modules (no project lookups here). */

/** Start and end: `new Hono()` and `new Hono().basePath('/api')` start at the same offset. */
export function nodeKey(file: ProjectFile, node: ts.Node): string {
  return `${file.relative}#${node.getStart(file.sourceFile)}-${node.getEnd()}`;
}

/**
 * Where a registration call is written: the method name of `a.b(...)` (`.get` in
 * `new Hono().use(mw).get('/x', h)`, whose calls all start where the chain starts), else the node itself.
 * Orders the registrations of a chain and gives each its own line.
 */
export function registrationAnchor(node: ts.Node): ts.Node {
  return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)
    ? node.expression.name
    : node;
}

/** The code `node` covers, as a span of its file. */
export function span(file: ProjectFile, node: ts.Node): Span {
  return { file: file.relative, start: node.getStart(file.sourceFile), end: node.getEnd() };
}

/** A method list (`'GET'`, `['GET', 'POST']`), lower-cased; undefined when any entry is not static. */
export function stringList(expression: ts.Expression | undefined): string[] | undefined {
  if (!expression) return undefined;
  const node = unwrap(expression);
  if (ts.isArrayLiteralExpression(node)) {
    const values = node.elements.map((e) => staticString(e));
    return values.every((v): v is string => v !== undefined) ? values.map((v) => v.toLowerCase()) : undefined;
  }
  const value = staticString(node);
  return value === undefined ? undefined : [value.toLowerCase()];
}

/** An object literal, or each object literal of an array literal. */
export function objectsOf(expression: ts.Expression | undefined): ts.ObjectLiteralExpression[] {
  if (!expression) return [];
  const node = unwrap(expression);
  if (ts.isObjectLiteralExpression(node)) return [node];
  if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap((e) => objectsOf(e));
  return [];
}

/** The value of property `name` of an object literal (shorthand: the name; a method: the method). */
export function objectProperty(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && propertyName(property.name) === name)
      return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) return property.name;
    if (ts.isMethodDeclaration(property) && propertyName(property.name) === name)
      return property as unknown as ts.Expression;
  }
  return undefined;
}

export function objectString(object: ts.ObjectLiteralExpression, name: string): string | undefined {
  return staticString(objectProperty(object, name));
}

/** Fastify `{ prefix }`, hapi `{ routes: { prefix } }`; a non-static prefix is dynamic. */
export function prefixOption(
  file: ProjectFile,
  object: ts.ObjectLiteralExpression,
): string | { dynamic: string } {
  const routes = objectProperty(object, 'routes');
  const holder =
    routes && ts.isObjectLiteralExpression(unwrap(routes))
      ? (unwrap(routes) as ts.ObjectLiteralExpression)
      : object;
  const value = objectProperty(holder, 'prefix');
  if (!value) return '';
  return staticString(value) ?? { dynamic: value.getText(file.sourceFile) };
}

/** A string that names a route rather than a path (`router.get('name', '/p', h)`). */
export function isNameLiteral(expression: ts.Expression): boolean {
  const value = staticString(expression);
  return value !== undefined && !value.startsWith('/') && !value.includes('*');
}

export function isLiteral(expression: ts.Expression): boolean {
  const node = unwrap(expression);
  return ts.isStringLiteral(node) || ts.isNumericLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
}

/**
 * The module a top-level named import of `file` binds `name` from (`import { HTTPController } from '@eggjs/tegg'`
 * gives `@eggjs/tegg` for `HTTPController`); undefined when no named import binds it.
 */
export function namedImportModule(file: ProjectFile, name: string): string | undefined {
  for (const statement of file.sourceFile.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements)
      if (element.name.text === name) return externalImport(element)?.module;
  }
  return undefined;
}

/** The package and export a binding imports (`import x from 'express'`, `const { Router } = require('express')`). */
export function externalImport(node: ts.Node): { module: string; name: string } | undefined {
  if (ts.isImportClause(node) && ts.isStringLiteral(node.parent.moduleSpecifier))
    return { module: node.parent.moduleSpecifier.text, name: 'default' };
  if (ts.isNamespaceImport(node) && ts.isStringLiteral(node.parent.parent.moduleSpecifier))
    return { module: node.parent.parent.moduleSpecifier.text, name: '*' };
  if (ts.isImportSpecifier(node) && ts.isStringLiteral(node.parent.parent.parent.moduleSpecifier))
    return {
      module: node.parent.parent.parent.moduleSpecifier.text,
      name: (node.propertyName ?? node.name).text,
    };
  // TypeScript's CommonJS import: `import express = require('express')`
  if (
    ts.isImportEqualsDeclaration(node) &&
    ts.isExternalModuleReference(node.moduleReference) &&
    ts.isStringLiteral(node.moduleReference.expression)
  )
    return { module: node.moduleReference.expression.text, name: 'default' };
  if (ts.isVariableDeclaration(node) && node.initializer) {
    const required = requireOf(node.initializer);
    if (required) return { module: required.module, name: required.property ?? 'default' };
  }
  if (
    ts.isBindingElement(node) &&
    ts.isVariableDeclaration(node.parent.parent) &&
    node.parent.parent.initializer
  ) {
    const required = requireOf(node.parent.parent.initializer);
    if (required) return { module: required.module, name: (node.propertyName ?? node.name).getText() };
  }
  return undefined;
}

/** The expressions a function returns: its expression body, or each `return` of its own (not nested functions). */
export function returnedExpressions(fn: {
  node: { body?: ts.Node } | ts.SignatureDeclaration;
}): ts.Expression[] {
  const body = 'body' in fn.node ? fn.node.body : undefined;
  if (!body) return [];
  if (!ts.isBlock(body)) return ts.isExpression(body) ? [body] : [];
  // Walked once per body: route extraction asks again for each argument it follows into the function.
  let out = returnsByBody.get(body);
  if (!out) {
    const found: ts.Expression[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isReturnStatement(node) && node.expression) found.push(node.expression);
      if (ts.isFunctionLike(node)) return;
      node.forEachChild(visit);
    };
    body.forEachChild(visit);
    returnsByBody.set(body, (out = found));
  }
  return [...out];
}

/** `returnedExpressions`' answers by function body. */
const returnsByBody = new WeakMap<ts.Node, readonly ts.Expression[]>();

/** The name a call's callee ends with: `f` in `f(x)` and in `a.b.f(x)` (parentheses and casts skipped); else undefined. */
export function calleeName(call: ts.CallExpression): string | undefined {
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

/**
 * The table an element variable walks: `table` in `table.forEach((r) => …)` / `table.map(...)` for the
 * parameter `r`, and in `for (const r of table)` for the loop variable.
 */
export function elementSource(node: ts.Node): ts.Expression | undefined {
  if (ts.isParameter(node) && node.parent.parameters[0] === node) {
    const fn = node.parent;
    const call = fn.parent;
    if (
      ts.isCallExpression(call) &&
      call.arguments[0] === fn &&
      ts.isPropertyAccessExpression(call.expression) &&
      ['forEach', 'map'].includes(call.expression.name.text)
    )
      return call.expression.expression;
  }
  if (
    ts.isVariableDeclaration(node) &&
    !node.initializer &&
    ts.isVariableDeclarationList(node.parent) &&
    ts.isForOfStatement(node.parent.parent)
  )
    return node.parent.parent.expression;
  return undefined;
}
