import ts from '../../typescript.cjs';
import {
  propertyName,
  propertyValue,
  requireOf,
  unwrap,
  type Declaration,
  type Project,
  type ProjectFile,
} from './project.js';

/**
 * What a chain of members names, for attribution by name (reach.ts): `controllers.write.users.invite` in
 * NodeBB's `setupApiRoute(router, 'post', '/invite', [...], controllers.write.users.invite)` is the function
 * `Users.invite = async (req, res) => {…}` of `src/controllers/write/users.js`, reached through modules that
 * gather others (`Controllers.write = require('./write')`, `Write.users = require('./users')`, with
 * `const Controllers = module.exports`) or object literals (`module.exports = { users }`).
 */

/** A value that holds members: a module (its exports) or an object literal. */
type Container = { file: ProjectFile; node: ts.SourceFile | ts.ObjectLiteralExpression };

const MAX_DEPTH = 8;

/** The declarations `owner.name` names, where `owner` is itself a member chain (`a.b` in `a.b.name`). */
export function chainMemberTargets(
  project: Project,
  file: ProjectFile,
  owner: ts.PropertyAccessExpression,
  name: string,
): Declaration[] {
  return containersOf(project, file, owner, 0).flatMap((c) => memberOf(project, c, name));
}

function containersOf(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
  depth: number,
): Container[] {
  if (depth > MAX_DEPTH) return [];
  const node = unwrap(expression);
  if (ts.isObjectLiteralExpression(node)) return [{ file, node }];
  const required = ts.isCallExpression(node) ? requireOf(node) : undefined;
  if (required) {
    const target = project.resolveModule(file, required.module);
    if (!target) return [];
    if (!required.property) return [{ file: target, node: target.sourceFile }];
    return project
      .exportOf(target, required.property)
      .flatMap((d) => declarationContainers(project, d, depth));
  }
  if (ts.isIdentifier(node))
    return project.lookup(file, node, node.text).flatMap((d) => declarationContainers(project, d, depth));
  if (ts.isPropertyAccessExpression(node))
    return containersOf(project, file, node.expression, depth + 1)
      .flatMap((c) => memberOf(project, c, node.name.text))
      .flatMap((d) => declarationContainers(project, d, depth + 1));
  return [];
}

function declarationContainers(project: Project, declaration: Declaration, depth: number): Container[] {
  const { file, node } = declaration;
  if (ts.isSourceFile(node)) return [{ file, node }];
  const value = ts.isVariableDeclaration(node)
    ? node.initializer
    : ts.isBinaryExpression(node)
      ? node.right
      : ts.isPropertyAssignment(node)
        ? node.initializer
        : ts.isExportAssignment(node)
          ? node.expression
          : undefined;
  return value ? containersOf(project, file, value, depth + 1) : [];
}

function memberOf(project: Project, container: Container, name: string): Declaration[] {
  if (ts.isSourceFile(container.node)) return project.exportOf(container.file, name);
  for (const property of [...container.node.properties].reverse()) {
    // `{ invite: invite }` names the declaration it holds, as `{ invite }` does.
    if (ts.isPropertyAssignment(property) && propertyName(property.name) === name)
      return propertyValue(project, container.file, property);
    if (ts.isMethodDeclaration(property) && propertyName(property.name) === name)
      return [{ file: container.file, node: property }];
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === name)
      return project.lookup(container.file, property.name, name);
  }
  return [];
}
