import ts from '../../typescript.cjs';
import { renameSite } from './class-rename.js';
import type { Framework } from './framework.js';
import { challengeNote } from './shared.js';

/**
 * next-basics' response helpers for Next.js pages API routes (Umami v1/v2 and others): each ends the response
 * with its status, `forbidden(res, msg = '403 Forbidden')` being `res.status(403).end(msg)`. The helper for
 * each target the library has (next-basics 0.x `index.d.ts`).
 */
const HELPERS: Readonly<Record<number, string>> = {
  400: 'badRequest',
  401: 'unauthorized',
  404: 'notFound',
  405: 'methodNotAllowed',
  429: 'tooManyRequest',
};

/** next-basics: `forbidden(res)` -> `unauthorized(res)` (the named import follows). */
export const nextBasics: Framework = {
  id: 'next-basics',
  title: 'next-basics (Next.js API response helpers)',
  enablers: ['next-basics'],
  kinds: [ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    if (!ts.isCallExpression(node) || !analysis.resolvesTo(node.expression, ['next-basics'], 'forbidden'))
      return;
    const to = HELPERS[analysis.target];
    renameSite(analysis, {
      form: node,
      callee: node.expression,
      to,
      framework: 'next-basics',
      missing: `next-basics has no helper for ${analysis.target}: write res.status(${analysis.target}).end(message) here.`,
      reason: challengeNote(analysis),
    });
  },
};
