import ts from '../typescript.cjs';

/** The links of a chain climbed besides calls and member names (`request(app).get('/x').expect(403)`). */
export interface ChainLinks {
  /** `(x).y`: parentheses around a link. */
  readonly parens?: boolean;
  /** `await x.y()`: an awaited link. */
  readonly awaits?: boolean;
  /** `x[m](…)`: an element access, `'object'` only when the chain is its object (never its index). */
  readonly elements?: 'any' | 'object';
}

/**
 * The outermost node of the call and member chain `node` stands in: from any part of
 * `request(app).get('/x').expect(403)` (the `403` included, an argument of the last call), the whole chain.
 * Calls and property accesses are always climbed; `links` says which other links are.
 */
export function chainTop(node: ts.Node, links: ChainLinks = {}): ts.Node {
  let top = node;
  while (top.parent && climbs(top.parent, top, links)) top = top.parent;
  return top;
}

function climbs(parent: ts.Node, child: ts.Node, links: ChainLinks): boolean {
  if (ts.isCallExpression(parent) || ts.isPropertyAccessExpression(parent)) return true;
  if (ts.isParenthesizedExpression(parent)) return links.parens === true;
  if (ts.isAwaitExpression(parent)) return links.awaits === true;
  if (ts.isElementAccessExpression(parent))
    return links.elements === 'any' || (links.elements === 'object' && parent.expression === child);
  return false;
}
