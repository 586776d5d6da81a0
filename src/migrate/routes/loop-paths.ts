import ts from '../../typescript.cjs';
import { isFunctionNode, propertyName, unwrap, type Project, type ProjectFile } from './project.js';

/**
 * The paths of a route registered in a loop over a list the code writes out: ``router.get(`/menu/${type}`, h)``
 * inside `for (const type of Object.values(ReportMenuTypeNames))` (Spacebar's reporting routes), `['a',
 * 'b'].forEach((kind) => router.post('/' + kind, h))`, `for (const key in TABLE)`. The list is an array literal,
 * a constant holding one, `Object.values(o)` / `Object.keys(o)` of a constant object literal (values and keys written as strings; computed keys only for `values`), a `for … in` over such an object
 * (its keys). One path per element, in list order; undefined when the path names no loop variable, names
 * two, or an element or another part of the path is known only at run time (the caller names it as computed).
 */
export function loopPaths(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
): string[] | undefined {
  const node = unwrap(expression);
  if (!ts.isTemplateExpression(node) && !isPlus(node)) return undefined;
  const variables = new Map<ts.Node, string[] | undefined>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n))
      for (const d of project.lookup(file, n, n.text)) {
        const list = loopList(d.node);
        if (list && !variables.has(d.node))
          variables.set(d.node, listValues(project, d.file, list.expression, list.keys, 0));
      }
    n.forEachChild(visit);
  };
  visit(node);
  if (variables.size !== 1) return undefined;
  const [[variable, values]] = [...variables];
  if (!values?.length) return undefined;
  const out: string[] = [];
  for (const value of values) {
    const spelled = spell(project, file, node, variable, value);
    if (spelled === undefined) return undefined;
    out.push(spelled);
  }
  return out;
}

function isPlus(node: ts.Node): node is ts.BinaryExpression {
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken;
}

/**
 * The list a loop variable walks: `x` of `for (const x of list)` / `for (const x in object)` (keys), the first
 * parameter of `list.forEach((x) => …)` / `list.map((x) => …)`.
 */
function loopList(declaration: ts.Node): { expression: ts.Expression; keys: boolean } | undefined {
  if (ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name)) {
    const statement = declaration.parent.parent;
    if (ts.isForOfStatement(statement)) return { expression: statement.expression, keys: false };
    if (ts.isForInStatement(statement)) return { expression: statement.expression, keys: true };
    return undefined;
  }
  if (!ts.isParameter(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
  const fn = declaration.parent;
  if (!isFunctionNode(fn) || fn.parameters[0] !== declaration) return undefined;
  const call = fn.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== fn) return undefined;
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !LIST_WALKS.has(callee.name.text)) return undefined;
  return { expression: callee.expression, keys: false };
}

const LIST_WALKS = new Set(['forEach', 'map', 'flatMap']);

/** The strings a list expression holds (object keys when `keys`), or undefined when any is not written out. */
function listValues(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
  keys: boolean,
  depth: number,
): string[] | undefined {
  if (depth > 4) return undefined;
  const node = unwrap(expression);
  if (ts.isArrayLiteralExpression(node) && !keys) {
    const values = node.elements.map((e) => (ts.isSpreadElement(e) ? undefined : project.stringOf(file, e)));
    return values.every((v): v is string => v !== undefined) ? values : undefined;
  }
  if (ts.isObjectLiteralExpression(node)) return objectStrings(project, file, node, keys);
  if (ts.isIdentifier(node)) {
    for (const d of project.lookup(file, node, node.text))
      if (ts.isVariableDeclaration(d.node) && d.node.initializer)
        return listValues(project, d.file, d.node.initializer, keys, depth + 1);
    return undefined;
  }
  // `Object.values(o)`, `Object.keys(o)`
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && !keys) {
    const { expression: receiver, name } = node.expression;
    const argument = node.arguments[0];
    if (!ts.isIdentifier(receiver) || receiver.text !== 'Object' || !argument) return undefined;
    if (name.text === 'values') return listValues(project, file, argument, false, depth + 1);
    if (name.text === 'keys') return listValues(project, file, argument, true, depth + 1);
  }
  return undefined;
}

/** An object literal's values (or keys) as strings, when every one is written out. */
function objectStrings(
  project: Project,
  file: ProjectFile,
  object: ts.ObjectLiteralExpression,
  keys: boolean,
): string[] | undefined {
  const out: string[] = [];
  for (const p of object.properties) {
    if (!ts.isPropertyAssignment(p)) return undefined;
    const value = keys ? propertyName(p.name) : project.stringOf(file, p.initializer);
    if (value === undefined) return undefined;
    out.push(value);
  }
  return out;
}

/** The path `node` spells with the loop variable holding `value`. */
function spell(
  project: Project,
  file: ProjectFile,
  node: ts.Expression,
  variable: ts.Node,
  value: string,
): string | undefined {
  const inner = unwrap(node);
  if (ts.isIdentifier(inner) && project.lookup(file, inner, inner.text).some((d) => d.node === variable))
    return value;
  if (ts.isTemplateExpression(inner)) {
    let out = inner.head.text;
    for (const span of inner.templateSpans) {
      const part = spell(project, file, span.expression, variable, value);
      if (part === undefined) return undefined;
      out += part + span.literal.text;
    }
    return out;
  }
  if (isPlus(inner)) {
    const left = spell(project, file, inner.left, variable, value);
    const right = left === undefined ? undefined : spell(project, file, inner.right, variable, value);
    return left === undefined || right === undefined ? undefined : left + right;
  }
  return project.stringOf(file, inner);
}
