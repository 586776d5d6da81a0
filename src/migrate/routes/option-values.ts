import ts from '../../typescript.cjs';
import { DirEvaluator } from './fastify-autoload.js';
import { propertyName, requireOf, unwrap, type ProjectFile } from './project.js';
import { returnedExpressions } from './syntax.js';
import type { RouterGraphApi } from './wiring.js';

/** The functions an options value names, by name, with the file each is declared in. */
export type Members = Map<string, { file: ProjectFile; node: ts.Node }>;

/**
 * The functions an options value names, by name: the methods of the class `new Service()` makes (also through a
 * variable), the members of an object literal, or the exports of the module a path string names.
 */
export function membersOf(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  depth = 0,
): Members {
  const members: Members = new Map();
  if (depth > 6) return members;
  const node = unwrap(expression);
  // `isAdmin ? AdminHandlers : ApiHandlers`: either may be the one; the members of both.
  if (ts.isConditionalExpression(node)) {
    for (const branch of [node.whenTrue, node.whenFalse])
      for (const [name, found] of membersOf(graph, file, branch, depth + 1)) members.set(name, found);
    return members;
  }
  if (ts.isNewExpression(node)) {
    for (const value of graph.valuesOf(file, node.expression))
      if (ts.isClassLike(value.node))
        for (const member of value.node.members)
          if ((ts.isMethodDeclaration(member) || ts.isPropertyDeclaration(member)) && member.name) {
            const name = propertyName(member.name);
            const body = ts.isPropertyDeclaration(member) ? member.initializer : member;
            if (name !== undefined && body) members.set(name, { file: value.file, node: body });
          }
    return members;
  }
  if (ts.isObjectLiteralExpression(node)) {
    for (const p of node.properties) {
      // `{ ...makeAuthHandlers(pool), ...more }`: the spread object's members, in order (later ones win).
      if (ts.isSpreadAssignment(p)) {
        for (const [name, found] of membersOf(graph, file, p.expression, depth + 1)) members.set(name, found);
        continue;
      }
      const name = p.name ? propertyName(p.name) : undefined;
      if (name === undefined) continue;
      if (ts.isPropertyAssignment(p)) members.set(name, { file, node: p.initializer });
      else if (ts.isMethodDeclaration(p) || ts.isShorthandPropertyAssignment(p))
        members.set(name, { file, node: p });
    }
    return members;
  }
  const modulePath = ts.isIdentifier(node) ? undefined : new DirEvaluator(graph, file).path(node);
  // `serviceHandlers: serviceHandlers(pool, redis)`: what the project function returns.
  if (modulePath === undefined && ts.isCallExpression(node) && !requireOf(node)) {
    for (const fn of graph.functionsOf(file, node.expression))
      for (const returned of returnedExpressions(fn))
        for (const [name, found] of membersOf(graph, fn.file, returned, depth + 1)) members.set(name, found);
    return members;
  }
  const module = modulePath ? graph.project.file(modulePath) : undefined;
  if (module) {
    for (const candidate of graph.project.exportOf(module, 'default'))
      for (const [name, value] of membersOf(
        graph,
        candidate.file,
        candidate.node as ts.Expression,
        depth + 1,
      ))
        members.set(name, value);
    return members;
  }
  // `securityHandlers: require('./security')` (also through a variable): the module's exports, as below.
  const required = ts.isCallExpression(node) ? requireOf(node) : undefined;
  const requiredModule =
    required && required.property === undefined
      ? graph.project.resolveModule(file, required.module)
      : undefined;
  if (requiredModule) {
    for (const [name, found] of exportsOf(graph, requiredModule)) members.set(name, found);
    return members;
  }
  for (const value of graph.valuesOf(file, node)) {
    // `import * as userHandlers from './users'` (also spread in: `{ ...userHandlers }`): the module's exports.
    if (ts.isSourceFile(value.node)) {
      for (const [name, found] of exportsOf(graph, value.file)) members.set(name, found);
      continue;
    }
    if (value.node !== node && ts.isExpression(value.node))
      for (const [name, found] of membersOf(graph, value.file, value.node, depth + 1))
        members.set(name, found);
  }
  return members;
}

/**
 * A module's exports by name, each the value a variable holds or is assigned (`exports.cert = (c) => …`), else
 * the declaration itself.
 */
export function exportsOf(graph: RouterGraphApi, module: ProjectFile): Members {
  const members: Members = new Map();
  for (const name of graph.project.exportNames(module)) {
    const found = graph.project.exportOf(module, name)[0];
    if (!found) continue;
    const holder = found.node;
    const handler =
      ts.isVariableDeclaration(holder) && holder.initializer
        ? holder.initializer
        : ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken
          ? holder.right
          : holder;
    members.set(name, { file: found.file, node: handler });
  }
  return members;
}

/** The object literal an options argument is, inline or through a constant, with its file. */
export function objectOf(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression | undefined,
): { file: ProjectFile; node: ts.ObjectLiteralExpression } | undefined {
  if (!expression) return undefined;
  const node = unwrap(expression);
  if (ts.isObjectLiteralExpression(node)) return { file, node };
  if (!ts.isIdentifier(node)) return undefined;
  for (const value of graph.valuesOf(file, node)) {
    const inner = ts.isExpression(value.node) ? unwrap(value.node) : value.node;
    if (ts.isObjectLiteralExpression(inner)) return { file: value.file, node: inner };
  }
  return undefined;
}

/** The value of property `name` of an object literal (a shorthand gives its name). */
export function property(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && propertyName(p.name) === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}
