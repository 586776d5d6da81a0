import ts from '../../typescript.cjs';
import { memberDeclarations, memberNames } from './members.js';
import { isFunctionNode, staticString, unwrap, type Declaration, type ProjectFile } from './project.js';
import type { FunctionRef, RouterGraphApi } from './wiring.js';

/**
 * Calls through a table by a key computed at run time: NodeBB's `_mounts[original](router, mount, …)` over
 * `const _mounts = { user: require('./user') }` plus `_mounts.main = (app, …) => …`, `sections[key](router, key)`
 * inside `Object.keys(sections).forEach((key) => …)`. The key may name any member, so each function the table
 * holds is called (its properties, the `O.name = fn` statements that add members, a module's exports).
 */

/** A table member: the function, and the member names it is held under. */
export interface TableMember {
  fn: FunctionRef;
  names: string[];
}

/**
 * The functions a computed-key callee `table[key]` may call, with the names each is held under. Empty when the
 * callee is no element access by a computed key, or the table is not an object or module the code spells out
 * (a plugin hook's answer, a parameter).
 */
export function tableMembers(graph: RouterGraphApi, file: ProjectFile, callee: ts.Expression): TableMember[] {
  const access = unwrap(callee);
  if (!ts.isElementAccessExpression(access) || staticString(access.argumentExpression) !== undefined)
    return [];
  const names = memberNames(graph, file, access.expression);
  if (!names) return [];
  const out: TableMember[] = [];
  for (const name of names)
    for (const declaration of memberDeclarations(graph, file, access.expression, name))
      for (const fn of memberFunctions(graph, declaration)) {
        const known = out.find((m) => m.fn.node === fn.node);
        if (known) {
          if (!known.names.includes(name)) known.names.push(name);
        } else out.push({ fn, names: [name] });
      }
  return out;
}

/**
 * The string a computed-key call passes where its argument is the key itself and the key runs over the table's
 * own member names (`Object.keys(sections).forEach((key) => sections[key](router, key))`, `for (const key of
 * Object.keys(t))`, `for (const key in t)`): the one name `fn` is held under. Undefined for any other argument,
 * or a function held under several names (each name would be a different path).
 */
export function tableKeyArgument(
  graph: RouterGraphApi,
  file: ProjectFile,
  call: ts.CallExpression,
  argument: ts.Expression,
  fn: ts.Node,
): string | undefined {
  const access = unwrap(call.expression);
  const passed = unwrap(argument);
  if (!ts.isElementAccessExpression(access) || !ts.isIdentifier(passed)) return undefined;
  const key = unwrap(access.argumentExpression);
  if (!ts.isIdentifier(key) || key.text !== passed.text) return undefined;
  const table = unwrap(access.expression);
  if (!ts.isIdentifier(table) || !keyRunsOver(graph, file, key, table.text)) return undefined;
  const member = tableMembers(graph, file, access).find((m) => m.fn.node === fn);
  return member?.names.length === 1 ? member.names[0] : undefined;
}

/** Whether the key variable takes the member names of the table named `table` (see `tableKeyArgument`). */
function keyRunsOver(graph: RouterGraphApi, file: ProjectFile, key: ts.Identifier, table: string): boolean {
  const isKeysOf = (expression: ts.Expression): boolean => {
    const node = unwrap(expression);
    return (
      ts.isCallExpression(node) &&
      node.expression.getText(file.sourceFile) === 'Object.keys' &&
      node.arguments.length === 1 &&
      unwrap(node.arguments[0]).getText(file.sourceFile) === table
    );
  };
  for (const declaration of graph.project.lookup(file, key, key.text)) {
    const node = declaration.node;
    // `Object.keys(t).forEach((key) => …)`
    if (ts.isParameter(node) && isFunctionNode(node.parent) && node.parent.parameters[0] === node) {
      const call = node.parent.parent;
      if (
        ts.isCallExpression(call) &&
        ts.isPropertyAccessExpression(call.expression) &&
        ['forEach', 'map'].includes(call.expression.name.text) &&
        isKeysOf(call.expression.expression)
      )
        return true;
    }
    // `for (const key of Object.keys(t))`, `for (const key in t)`
    const loop = node.parent?.parent;
    if (ts.isVariableDeclaration(node) && loop) {
      if (ts.isForOfStatement(loop) && isKeysOf(loop.expression)) return true;
      if (ts.isForInStatement(loop) && unwrap(loop.expression).getText(file.sourceFile) === table)
        return true;
    }
  }
  return false;
}

/** The functions a member declaration holds (`memberDeclarations`): a property's value, `O.name = fn`, a declaration. */
function memberFunctions(graph: RouterGraphApi, declaration: Declaration): FunctionRef[] {
  const { file, node } = declaration;
  if (isFunctionNode(node)) return [{ file, node }];
  if (ts.isBinaryExpression(node)) return graph.functionsOf(file, node.right);
  if (ts.isPropertyAssignment(node)) return graph.functionsOf(file, node.initializer);
  if (ts.isVariableDeclaration(node) && node.initializer) return graph.functionsOf(file, node.initializer);
  if (ts.isExportAssignment(node)) return graph.functionsOf(file, node.expression);
  if (ts.isExpression(node) && !ts.isIdentifier(node)) return graph.functionsOf(file, node);
  return [];
}
