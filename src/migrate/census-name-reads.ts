import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { inComparison, inLogCall } from './census-syntax.js';
import type { NotAnEmitKind } from './types.js';

/**
 * A 403 that is the key of a read of the text a status table maps 403 back to (`StatusCodes[403]`,
 * `httpStatus['403']`, `http.STATUS_CODES[403]`, the `FORBIDDEN` of `httpStatus[httpStatus.FORBIDDEN]`) that no
 * site claimed: text, as a `'Forbidden'` literal there is (`comparison` or `log` where it is one, else `string`).
 * Undefined when `node` is no such key. A read in a status slot is the slot's site (analysis.ts `statusSlot`).
 */
export function nameReadKind(analysis: FileAnalysis, node: ts.Node): NotAnEmitKind | undefined {
  for (let at: ts.Node = node; at.parent; at = at.parent) {
    const up = at.parent;
    if (ts.isElementAccessExpression(up) && up.argumentExpression === at) {
      if (!analysis.isForbiddenNameRead(up)) return undefined;
      if (inComparison(up)) return 'comparison';
      return inLogCall(up) ? 'log' : 'string';
    }
    // Up through the key only: a template's span, a member read of the key (`httpStatus.FORBIDDEN`), casts.
    if (
      !ts.isTemplateSpan(up) &&
      !ts.isTemplateExpression(up) &&
      !ts.isPropertyAccessExpression(up) &&
      !ts.isParenthesizedExpression(up) &&
      !ts.isAsExpression(up)
    )
      return undefined;
  }
  return undefined;
}
