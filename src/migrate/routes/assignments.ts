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
 * Every `name = value` whose `name` is `declaration` by scope lookup (a `let` written again), in source order: looked
 * for in the function that declares it, else its file (no write can be outside it), once per declaration and
 * project. Shared by the route graph's document choices (document-choices.ts) and the test follower's
 * written-again variables (test-reassigned.ts, asked once per assertion that reads the variable: a walk of the whole
 * file each time made a test file of many tests with their own `let res` quadratic).
 */
export function assignmentsOf(
  project: Project,
  file: ProjectFile,
  declaration: ts.VariableDeclaration,
): readonly ts.BinaryExpression[] {
  if (!ts.isIdentifier(declaration.name)) return [];
  let answers = WRITES.get(project);
  if (!answers) WRITES.set(project, (answers = new WeakMap()));
  let found = answers.get(declaration);
  if (found) return found;
  const name = declaration.name.text;
  let scope: ts.Node = declaration;
  while (scope.parent && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  const out: ts.BinaryExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(node.left) &&
      node.left.text === name &&
      project.lookup(file, node.left, name).some((d) => d.node === declaration)
    )
      out.push(node);
    node.forEachChild(visit);
  };
  scope.forEachChild(visit);
  answers.set(declaration, (found = out));
  return found;
}

/** What each project's {@link assignmentsOf} has answered, by declaration. */
const WRITES = new WeakMap<Project, WeakMap<ts.VariableDeclaration, readonly ts.BinaryExpression[]>>();
