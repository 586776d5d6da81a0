import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import type { Framework } from './framework.js';
import { messageEdits } from './class-rename.js';
import { abstractHttpError, httpErrorsMember } from './http-errors.js';
import { descriptionCompanion } from './shared.js';
import { isTargetStatus, reportDeclaredBeside } from './declared-beside.js';

const MODULES = ['@loopback/rest'];

/**
 * LoopBack 4 (https://loopback.io/doc/en/lb4/Sequence.html#handling-errors): `HttpErrors` from @loopback/rest is
 * http-errors, so `new HttpErrors.Forbidden(m)` -> `HttpErrors.Unauthorized`, `HttpErrors[403]`, and
 * `HttpErrors(403, m)` follow the http-errors rules.
 */
export const loopback: Framework = {
  id: 'loopback',
  title: 'LoopBack 4 (HttpErrors)',
  enablers: ['@loopback/rest', '@loopback/core'],
  kinds: [
    ts.SyntaxKind.CallExpression,
    ts.SyntaxKind.PropertyAccessExpression,
    ts.SyntaxKind.ElementAccessExpression,
  ],
  visit(node, analysis) {
    if (ts.isCallExpression(node) && ts.isDecorator(node.parent) && isResponse(analysis, node)) {
      responseDecorator(analysis, node, node.parent);
    } else if (ts.isCallExpression(node) && isHttpErrors(analysis, node.expression)) {
      analysis.statusSlot(node.arguments[0], node, 'loopback', () => ({
        edits: messageEdits(analysis, node.arguments[1]),
      }));
    } else if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === 'HttpError' &&
      isHttpErrors(analysis, node.expression)
    ) {
      abstractHttpError(analysis, node, 'loopback');
    } else if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === 'Forbidden' &&
      isHttpErrors(analysis, node.expression)
    ) {
      httpErrorsMember(analysis, node, 'loopback');
    } else if (
      ts.isElementAccessExpression(node) &&
      isHttpErrors(analysis, node.expression) &&
      analysis.forbiddenEdits(node.argumentExpression)
    ) {
      httpErrorsMember(analysis, node, 'loopback');
    }
  },
};

/** `@response(status, spec)` from @loopback/rest (https://loopback.io/doc/en/lb4/Decorators_openapi.html). */
function isResponse(analysis: FileAnalysis, call: ts.CallExpression): boolean {
  return analysis.resolvesTo(call.expression, MODULES, 'response');
}

/**
 * `@response(403, { description: 'Forbidden', content })` documents the method's 403 in the OpenAPI document
 * LoopBack serves: the status (and a reason-phrase description) become the agreed status's, unless another
 * `@response` of the method already documents that status (reported for a person to merge).
 */
function responseDecorator(analysis: FileAnalysis, call: ts.CallExpression, decorator: ts.Decorator): void {
  const status = call.arguments[0];
  if (!status) return;
  if (
    analysis.evaluate(status).kind === 'forbidden' &&
    reportDeclaredBeside(
      analysis,
      decorator,
      'loopback',
      (d) => isResponse(analysis, d) && isTargetStatus(analysis, d.arguments[0]),
    )
  )
    return;
  analysis.statusSlot(status, decorator, 'loopback', () => ({
    edits: descriptionCompanion(analysis, call.arguments[1]),
  }));
}

function isHttpErrors(analysis: FileAnalysis, expression: ts.Expression): boolean {
  if (ts.isIdentifier(expression)) {
    const binding = analysis.importOf(expression.text);
    return Boolean(binding && MODULES.includes(binding.module) && binding.name === 'HttpErrors');
  }
  // `rest.HttpErrors` on a namespace import.
  return analysis.resolvesTo(expression, MODULES, 'HttpErrors');
}
