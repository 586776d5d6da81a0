import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import type { Framework } from './framework.js';

const MODULE = 'inversify-express-utils';

/**
 * inversify-express-utils controllers (source: its README, "BaseHttpController" and its results): in a class that
 * extends `BaseHttpController`, `this.json(content, 403)` and `this.statusCode(403)`; anywhere,
 * `new JsonResult(content, 403, controller)` and `new StatusCodeResult(403, controller)` (also through the
 * `results` namespace). Each status argument is a status slot: a 403 is rewritten, a computed one reported.
 */
export const inversify: Framework = {
  id: 'inversify',
  title: 'inversify-express-utils (BaseHttpController results)',
  enablers: [MODULE],
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression],
  visit(node, analysis) {
    if (ts.isNewExpression(node)) {
      const name = resultClass(analysis, node.expression);
      if (name === 'JsonResult') analysis.statusSlot(node.arguments?.[1], node, 'inversify');
      if (name === 'StatusCodeResult') analysis.statusSlot(node.arguments?.[0], node, 'inversify');
      return;
    }
    if (!ts.isCallExpression(node)) return;
    const callee = node.expression;
    if (!ts.isPropertyAccessExpression(callee) || callee.expression.kind !== ts.SyntaxKind.ThisKeyword)
      return;
    const method = callee.name.text;
    if (method !== 'json' && method !== 'statusCode') return;
    if (!inController(analysis, node)) return;
    analysis.statusSlot(node.arguments[method === 'json' ? 1 : 0], node, 'inversify');
  },
};

/** `JsonResult`, `results.JsonResult` (`import { results } from 'inversify-express-utils'`). */
function resultClass(analysis: FileAnalysis, expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression))
    return analysis.importOf(expression.text)?.module === MODULE
      ? analysis.importOf(expression.text)?.name
      : undefined;
  if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression))
    return analysis.importOf(expression.expression.text)?.module === MODULE
      ? expression.name.text
      : undefined;
  return undefined;
}

/** Whether `this` at the node is a controller: a method (not a nested function) of a class extending BaseHttpController. */
function inController(analysis: FileAnalysis, node: ts.Node): boolean {
  for (let at = node.parent; at; at = at.parent) {
    if (ts.isArrowFunction(at)) continue;
    if (ts.isClassLike(at)) {
      const base = at.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]
        ?.expression;
      return (
        base !== undefined &&
        ts.isIdentifier(base) &&
        analysis.resolvesTo(base, [MODULE], 'BaseHttpController')
      );
    }
    if (ts.isFunctionExpression(at) || ts.isFunctionDeclaration(at)) return false;
  }
  return false;
}
