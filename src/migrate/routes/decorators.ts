import ts from '../../typescript.cjs';
import type { Project, ProjectFile } from './project.js';

/** Decorator helpers shared by the decorator-routed readers (NestJS, tsoa, routing-controllers). */

/**
 * The call of the decorator named `name` on `node` (`@Get('x')`, `@nest.Get('x')`: the last name of the
 * callee); undefined when it has none, or only the bare form (`@Get` without a call).
 */
export function decoratorCall(node: ts.HasDecorators, name: string): ts.CallExpression | undefined {
  for (const d of ts.getDecorators(node) ?? []) {
    const expression = d.expression;
    if (!ts.isCallExpression(expression)) continue;
    const callee = expression.expression;
    const calleeName = ts.isIdentifier(callee)
      ? callee.text
      : ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : undefined;
    if (calleeName === name) return expression;
  }
  return undefined;
}

/** A decorator argument's path: none is `''`; one the code does not spell out is named (`unread`: its text). */
export function decoratorPath(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression | undefined,
): { path: string } | { unread: string } {
  if (!expression) return { path: '' };
  const value = project.stringOf(file, expression);
  return value === undefined ? { unread: expression.getText(file.sourceFile) } : { path: value };
}
