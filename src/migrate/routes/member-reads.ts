import ts from '../../typescript.cjs';
import { isFunctionNode } from './project.js';

/**
 * A place that reads the member a decorator attaches (`fastify.decorate('authenticate', fn)`, a package's
 * decorated `fastify.guard`), and the variables that hold what it reads: a route names the decorator through
 * them as well as through the member itself.
 */
export interface MemberRead {
  /** The read: a member access (`fastify.authenticate`, `fastify['authenticate']`) or a destructured binding. */
  node: ts.Node;
  /**
   * The declarations whose name holds what the read gives, each named by its references: the variable of
   * `const auth = fastify.authenticate` (or of `const adminOnly = fastify.guard.role(['admin'])`), the binding of
   * `const { authenticate } = app` / `const { authenticate: mustLogin } = app`, the names a nested pattern binds
   * (`const { guard: { role } } = fastify`). Empty when the value is used in place.
   */
  holders: ts.Node[];
}

/**
 * How `identifier` (spelled as the member name) reads that member, if it does: the name of a member access
 * (`x.name`), or the property a destructuring pattern takes (`{ name }`, `{ name: alias }`, in a variable or a
 * parameter). Undefined for any other identifier of that spelling (a declaration, a variable, a key).
 */
export function memberReadAt(identifier: ts.Identifier): MemberRead | undefined {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier)
    return { node: parent, holders: heldBy(parent) };
  if (ts.isBindingElement(parent) && ts.isObjectBindingPattern(parent.parent)) {
    const taken = parent.propertyName ?? parent.name;
    if (taken === identifier) return { node: parent, holders: boundNames(parent) };
  }
  return undefined;
}

/**
 * The reads of member `name` spelled as a string (`fastify['authenticate']`, `const { 'authenticate': auth } =
 * app`) in a file; none unless the file's text quotes the name.
 */
export function quotedMemberReads(sourceFile: ts.SourceFile, name: string): MemberRead[] {
  const text = sourceFile.text;
  if (!['"', "'", '`'].some((quote) => text.includes(`${quote}${name}${quote}`))) return [];
  const out: MemberRead[] = [];
  const named = (node: ts.Node | undefined): boolean =>
    node !== undefined && ts.isStringLiteralLike(node) && node.text === name;
  const visit = (node: ts.Node): void => {
    if (ts.isElementAccessExpression(node) && named(node.argumentExpression))
      out.push({ node, holders: heldBy(node) });
    else if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent) && named(node.propertyName))
      out.push({ node, holders: boundNames(node) });
    node.forEachChild(visit);
  };
  visit(sourceFile);
  return out;
}

/**
 * The variable whose initializer holds `read` (through calls, arrays, conditionals, `await`...), with no function
 * between: its own declaration, or the names its pattern binds. Empty when no variable holds it.
 */
function heldBy(read: ts.Node): ts.Node[] {
  for (let at: ts.Node = read; at.parent; at = at.parent) {
    const parent = at.parent;
    if (isFunctionNode(parent) || ts.isStatement(parent) || ts.isClassLike(parent)) return [];
    if (ts.isVariableDeclaration(parent))
      return parent.initializer === at
        ? ts.isIdentifier(parent.name)
          ? [parent]
          : bindings(parent.name)
        : [];
  }
  return [];
}

/** The declarations a destructured element binds under a name: itself, or those of its nested pattern. */
function boundNames(element: ts.BindingElement): ts.Node[] {
  return ts.isIdentifier(element.name) ? [element] : bindings(element.name);
}

/** The binding elements of a pattern that bind a name (`{ a, b: { c } }`: `a`, `c`). */
function bindings(pattern: ts.BindingPattern): ts.BindingElement[] {
  return pattern.elements.flatMap((e) =>
    !ts.isBindingElement(e) ? [] : ts.isIdentifier(e.name) ? [e] : bindings(e.name),
  );
}
