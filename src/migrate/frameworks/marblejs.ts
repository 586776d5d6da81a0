import ts from '../../typescript.cjs';
import type { Framework } from './framework.js';
import { messageEdits } from './class-rename.js';
import { statusProperty } from './shared.js';

const MARBLE = ['@marblejs/core', '@marblejs/http'];

/**
 * Marble.js (https://docs.marblejs.com/http/errors): `new HttpError(m, HttpStatus.FORBIDDEN)` ->
 * `HttpStatus.UNAUTHORIZED`, and effect responses `({ status: 403, body })`. `HttpStatus` is a known constant
 * library (analysis.ts), so literals and the enum both count.
 */
export const marblejs: Framework = {
  id: 'marblejs',
  title: 'Marble.js (HttpError, effect responses)',
  enablers: ['@marblejs/core', '@marblejs/http'],
  kinds: [ts.SyntaxKind.NewExpression, ts.SyntaxKind.ObjectLiteralExpression],
  visit(node, analysis) {
    if (ts.isNewExpression(node) && analysis.resolvesTo(node.expression, MARBLE, 'HttpError')) {
      analysis.statusSlot(node.arguments?.[1], node, 'marblejs', () => ({
        edits: messageEdits(analysis, node.arguments?.[0]),
      }));
      return;
    }
    // An effect's response object: `{ status, body }` / `{ status, headers }` in a Marble.js file.
    if (ts.isObjectLiteralExpression(node) && analysis.importsModule(...MARBLE)) {
      const status = statusProperty(node, 'status');
      if (status && hasKey(node, 'body', 'headers')) analysis.statusSlot(status.value, node, 'marblejs');
    }
  },
};

/** Whether the object has one of these keys, written `key: v` or shorthand `key`. */
function hasKey(object: ts.ObjectLiteralExpression, ...keys: string[]): boolean {
  return object.properties.some(
    (p) =>
      (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) &&
      ts.isIdentifier(p.name) &&
      keys.includes(p.name.text),
  );
}
