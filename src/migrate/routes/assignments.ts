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
): ts.Expression[] {
  if (declaration.initializer || !ts.isIdentifier(declaration.name)) return [];
  const name = declaration.name.text;
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
