import ts from '../../typescript.cjs';
import { propertyName, unwrap, type Declaration, type ProjectFile } from './project.js';
import type { RouterGraphApi } from './wiring.js';

/**
 * What `owner.name` names, as real code reaches routers through objects and modules:
 * - the export `name` of a namespace import or a whole `require()` (`import * as routes`, `routes.items`);
 * - the member `name` of an object the owner holds (`export default { items }`, `module.exports = { items }`,
 *   `const routers = { items: itemsRouter }`), also one brought in by a spread (`{ ...base, extra }`: the
 *   last spelling wins, as at run time);
 * - `x.default` where `x` is already the module's default export (`const items = require('./items')` of an
 *   ES module compiled to CommonJS, then `items.default`).
 * Nested objects are followed by the caller, one member at a time. Empty when none of these applies.
 */
export function memberDeclarations(
  graph: RouterGraphApi,
  file: ProjectFile,
  owner: ts.Expression,
  name: string,
): Declaration[] {
  const out: Declaration[] = [];
  for (const container of graph.valuesOf(file, owner)) {
    if (ts.isSourceFile(container.node)) out.push(...graph.project.exportOf(container.file, name));
    else if (ts.isObjectLiteralExpression(container.node)) {
      // `_mounts.main = (app, …) => {…}` after `const _mounts = { user: require('./user') }` (NodeBB's routes):
      // assigned at the top level once the object is made, so the assignment wins over a property of that name.
      const assigned = assignedMembers(container.file, container.node, name);
      out.push(
        ...(assigned.length ? assigned : objectMember(graph, container.file, container.node, name, 0)),
      );
    }
  }
  const node = unwrap(owner);
  if (!out.length && name === 'default' && ts.isIdentifier(node))
    out.push(...graph.project.lookup(file, node, node.text));
  return out;
}

/**
 * `O.name = value` statements at the top level of the file that declares `const O = { … }` (or `let` / `var`) at
 * its top level: members the object is given after it is made. The last assignment first (it is the one that
 * holds once the module has loaded). Empty for an object held anywhere else.
 */
function assignedMembers(file: ProjectFile, object: ts.ObjectLiteralExpression, name: string): Declaration[] {
  let held: ts.Node = object;
  while (ts.isParenthesizedExpression(held.parent) || ts.isAsExpression(held.parent)) held = held.parent;
  const declaration = held.parent;
  if (
    !ts.isVariableDeclaration(declaration) ||
    declaration.initializer !== held ||
    !ts.isIdentifier(declaration.name) ||
    !ts.isVariableStatement(declaration.parent.parent) ||
    !ts.isSourceFile(declaration.parent.parent.parent)
  )
    return [];
  const owner = declaration.name.text;
  const out: Declaration[] = [];
  for (const statement of file.sourceFile.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    const assignment = statement.expression;
    if (
      ts.isBinaryExpression(assignment) &&
      assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(assignment.left) &&
      ts.isIdentifier(assignment.left.expression) &&
      assignment.left.expression.text === owner &&
      assignment.left.name.text === name
    )
      out.unshift({ file, node: assignment });
  }
  return out.slice(0, 1);
}

function objectMember(
  graph: RouterGraphApi,
  file: ProjectFile,
  object: ts.ObjectLiteralExpression,
  name: string,
  depth: number,
): Declaration[] {
  // The last property that spells the name wins, as when the object is built.
  for (const property of [...object.properties].reverse()) {
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === name)
      return graph.project.lookup(file, property.name, name);
    if (ts.isMethodDeclaration(property) && propertyName(property.name) === name)
      return [{ file, node: property }];
    if (ts.isPropertyAssignment(property) && propertyName(property.name) === name) {
      // `{ items: itemsRouter }`: the declaration of the name it holds
      const value = unwrap(property.initializer);
      return ts.isIdentifier(value)
        ? graph.project.lookup(file, value, value.text)
        : [{ file, node: property.initializer }];
    }
    if (ts.isSpreadAssignment(property) && depth < 4) {
      const found = graph
        .valuesOf(file, property.expression)
        .flatMap((v) =>
          ts.isObjectLiteralExpression(v.node) ? objectMember(graph, v.file, v.node, name, depth + 1) : [],
        );
      if (found.length) return found;
    }
  }
  return [];
}

/**
 * Every member name the object or module `owner` holds, as `memberDeclarations` reads one: a module's exports, an
 * object literal's properties (spreads followed) and the `O.name = value` statements at the top level of the
 * file that makes it. Undefined when the owner holds neither (a parameter, a call's result): its members are
 * not written in the code.
 */
export function memberNames(
  graph: RouterGraphApi,
  file: ProjectFile,
  owner: ts.Expression,
): string[] | undefined {
  const names = new Set<string>();
  let read = false;
  const fromObject = (at: ProjectFile, object: ts.ObjectLiteralExpression, depth: number): void => {
    for (const property of object.properties) {
      if (ts.isSpreadAssignment(property)) {
        if (depth < 4)
          for (const v of graph.valuesOf(at, property.expression))
            if (ts.isObjectLiteralExpression(v.node)) fromObject(v.file, v.node, depth + 1);
        continue;
      }
      const name = property.name ? propertyName(property.name) : undefined;
      if (name !== undefined) names.add(name);
    }
  };
  for (const container of graph.valuesOf(file, owner)) {
    if (ts.isSourceFile(container.node)) {
      read = true;
      for (const name of graph.project.exportNames(container.file)) names.add(name);
    } else if (ts.isObjectLiteralExpression(container.node)) {
      read = true;
      fromObject(container.file, container.node, 0);
      for (const name of assignedNames(container.file, container.node)) names.add(name);
    }
  }
  return read ? [...names] : undefined;
}

/** The names `O.name = value` statements at the top level give the object `const O = { … }` (see `assignedMembers`). */
function assignedNames(file: ProjectFile, object: ts.ObjectLiteralExpression): string[] {
  const declaration = object.parent;
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return [];
  const owner = declaration.name.text;
  const out: string[] = [];
  for (const statement of file.sourceFile.statements) {
    const assignment = ts.isExpressionStatement(statement) ? statement.expression : undefined;
    if (
      assignment &&
      ts.isBinaryExpression(assignment) &&
      assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(assignment.left) &&
      ts.isIdentifier(assignment.left.expression) &&
      assignment.left.expression.text === owner
    )
      out.push(assignment.left.name.text);
  }
  return out;
}
