import { ts } from 'ts-morph';
import type { FileAnalysis } from '../analysis.js';
import type { Framework } from './framework.js';

const STATUS_FIELDS = new Set(['status', 'statusCode', 'httpStatus', 'httpCode', 'code']);

/**
 * Project-defined error classes whose status is 403 (`status = 403`, `this.statusCode = 403`,
 * `super(msg, 403)`): the definition is shared by every throw site, so it is reported, never rewritten.
 */
export const errorClasses: Framework = {
  id: 'error-classes',
  title: 'Custom error classes (reported)',
  enablers: [],
  visit(node, analysis) {
    if (ts.isPropertyDeclaration(node) && ts.isIdentifier(node.name) && STATUS_FIELDS.has(node.name.text)) {
      if (node.initializer && analysis.forbiddenEdits(node.initializer)) report(analysis, node, node.parent);
      return;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = node.left;
      if (
        ts.isPropertyAccessExpression(left) &&
        left.expression.kind === ts.SyntaxKind.ThisKeyword &&
        STATUS_FIELDS.has(left.name.text) &&
        analysis.forbiddenEdits(node.right)
      ) {
        report(analysis, node, classOf(node));
      }
      return;
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
      if (node.arguments.some((a) => analysis.forbiddenEdits(a))) report(analysis, node, classOf(node));
    }
  },
};

function classOf(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent)
    if (ts.isClassLike(current)) return current;
  return undefined;
}

function report(analysis: FileAnalysis, node: ts.Node, cls: ts.Node | undefined): void {
  if (!cls || !ts.isClassLike(cls)) return;
  const name = cls.name?.text ?? 'this class';
  analysis.addSite({
    node,
    framework: 'error-classes',
    manual: true,
    reason: `Custom error class ${name} answers 403 wherever it is thrown: add a sibling class for ${analysis.target} and throw it on mTLS routes, or map it in the error handler.`,
  });
}
