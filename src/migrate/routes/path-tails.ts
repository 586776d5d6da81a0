import ts from '../../typescript.cjs';
import { unwrap, type Project, type ProjectFile } from './project.js';

/**
 * The static tail of a route path whose head is computed at run time: ``${legacyBasePath}/messages/:id/status``
 * (pagopa io-backend), `base + '/payments/:id'`, ``${API}/v${version}/orders`` with `version` a constant. Read from
 * the end: each part the project fixes (`Project.stringOf`: literals, constants, templates of them) joins the
 * tail until the first it cannot read. Undefined when no tail is left, or it does not start a path segment (`/`).
 * The tail is what a request's path ends with, whatever the head; matching compares it with the end of each
 * operation's path (a candidate, never a match).
 */
export function pathTail(project: Project, file: ProjectFile, expression: ts.Expression): string | undefined {
  const node = unwrap(expression);
  const parts: (string | ts.Expression)[] = [];
  if (ts.isTemplateExpression(node)) {
    parts.push(node.head.text);
    for (const span of node.templateSpans) parts.push(span.expression, span.literal.text);
  } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    parts.push(...operands(node));
  } else return undefined;
  let tail = '';
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i];
    const value = typeof part === 'string' ? part : project.stringOf(file, part);
    if (value === undefined) break;
    tail = value + tail;
  }
  return tail.startsWith('/') && tail.length > 1 ? tail : undefined;
}

/** `a + b + c` (left-associative) as its operands in order. */
function operands(node: ts.Expression): ts.Expression[] {
  const inner = unwrap(node);
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.PlusToken)
    return [...operands(inner.left), ...operands(inner.right)];
  return [inner];
}
