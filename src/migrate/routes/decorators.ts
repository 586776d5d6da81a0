import ts from '../../typescript.cjs';
import type { Span } from './model.js';
import type { Project, ProjectFile } from './project.js';
import { span } from './syntax.js';

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

/**
 * The decorators of a controller class, as spans: what the class declares for every route it holds
 * (@nestjs/swagger's `@ApiForbiddenResponse()` / `@ApiResponse({ status: 403 })`, tsoa's `@Response(403, …)`,
 * routing-controllers' `@OpenAPI({ responses })`, guards and filters). Each route of the class takes them, so a
 * status the class declares follows its routes under `--spec`: rewritten when only mTLS operations have it, for
 * review when mTLS and other operations share it.
 */
export function classDecoratorSpans(file: ProjectFile, cls: ts.ClassDeclaration): Span[] {
  return (ts.getDecorators(cls) ?? []).map((d) => span(file, d));
}
