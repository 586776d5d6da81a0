import ts from '../../typescript.cjs';
import type { Project, ProjectFile } from './project.js';

/**
 * The values assigned to a variable declared without one (`let app: Hono; beforeEach(() => { app = new
 * Hono() })`, `let server; server = build()`): the right-hand side of every `name = value` in the file
 * that names this declaration. Empty for a declaration with an initializer or a destructuring pattern.
 */
export function assignedValues(
  project: Project,
  file: ProjectFile,
  declaration: ts.VariableDeclaration,
): readonly ts.Expression[] {
  if (declaration.initializer || !ts.isIdentifier(declaration.name)) return [];
  // Asked once per read of the variable by the route graph (every argument of every call, each linking
  // round): the answer is kept per project, as finding it walks every identifier of the name.
  let answers = ASSIGNED.get(project);
  if (!answers)
    ASSIGNED.set(project, (answers = new Map<ts.VariableDeclaration, readonly ts.Expression[]>()));
  let out = answers.get(declaration);
  if (!out) answers.set(declaration, (out = findAssigned(project, file, declaration, declaration.name.text)));
  return out;
}

/** What each project's {@link assignedValues} has answered, by declaration. */
const ASSIGNED = new WeakMap<Project, Map<ts.VariableDeclaration, readonly ts.Expression[]>>();

function findAssigned(
  project: Project,
  file: ProjectFile,
  declaration: ts.VariableDeclaration,
  name: string,
): ts.Expression[] {
  const out: ts.Expression[] = [];
  for (const { file: at, node } of project.identifiersNamed(name)) {
    if (at !== file) continue;
    const parent = node.parent;
    if (
      !ts.isBinaryExpression(parent) ||
      parent.left !== node ||
      parent.operatorToken.kind !== ts.SyntaxKind.EqualsToken
    )
      continue;
    if (project.lookup(file, node, name).some((d) => d.node === declaration)) out.push(parent.right);
  }
  return out;
}

/**
 * Every `name = value` below `within` (its descendants, in source order) whose `name` is `declaration` by scope
 * lookup: a `let` written again in its function or file. Shared by the route graph's document choices
 * (document-choices.ts) and the test follower's written-again variables (test-reassigned.ts).
 */
export function assignmentsUnder(
  project: Project,
  file: ProjectFile,
  within: ts.Node,
  declaration: ts.VariableDeclaration,
): ts.BinaryExpression[] {
  if (!ts.isIdentifier(declaration.name)) return [];
  const name = declaration.name.text;
  const found: ts.BinaryExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(node.left) &&
      node.left.text === name &&
      project.lookup(file, node.left, name).some((d) => d.node === declaration)
    )
      found.push(node);
    node.forEachChild(visit);
  };
  within.forEachChild(visit);
  return found;
}
