import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { sharedOrigin } from './frameworks/results.js';

/**
 * Shared results sent as the body of a rewritten response: `lambdaResponse(403, NO_READ_ACCESS_ERROR)` or
 * `res.status(403).json(DENIED)` where the name holds `{ statusCode: 403, message }` (here, or imported). The
 * status becomes the target, the body still says 403, and the name holds no 403 text the census would find: each
 * such name in a rewrite's span (an argument, a property value, a spread; not one an edit replaces) becomes a
 * manual site naming the declaration. Run once every rewrite is known (helper calls settled). Mutates
 * `analyses`' sites; test files are skipped (their bodies are fixtures).
 */
export function nameSharedBodies(analyses: Iterable<FileAnalysis>, target: number): void {
  for (const analysis of analyses) {
    if (analysis.options.testFile) continue;
    const rewrites = analysis.sites.filter((s) => s.kind === 'rewrite');
    if (!rewrites.length) continue;
    const within = (node: ts.Node): boolean => {
      const start = node.getStart(analysis.sourceFile);
      const end = node.getEnd();
      return rewrites.some(
        (s) =>
          s.span.start <= start && end <= s.span.end && !s.edits.some((e) => e.start < end && start < e.end),
      );
    };
    const visit = (node: ts.Node): void => {
      // Only the parts of the tree a rewrite's span reaches into (the rest of the file holds no such body).
      if (!rewrites.some((s) => s.span.start < node.end && node.pos < s.span.end)) return;
      if (ts.isIdentifier(node) && isBodyValue(node) && within(node)) {
        const origin = sharedOrigin(analysis, node);
        if (origin)
          analysis.addSite({
            node,
            framework: 'results',
            manual: true,
            reason: `Sends '${node.text}', a result declared with status 403 (${origin}), as the body of a response this run answers ${target}: the body still says 403. Send a ${target} body here, or keep it on purpose with // mtls-fix-ignore: <why>.`,
          });
      }
      ts.forEachChild(node, visit);
    };
    visit(analysis.sourceFile);
  }
}

/** A name passed as an argument (not the callee), a property's value or a spread: where a body is written. */
function isBodyValue(node: ts.Identifier): boolean {
  const parent = node.parent;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression !== node)
    return parent.arguments?.includes(node) ?? false;
  if (ts.isPropertyAssignment(parent)) return parent.initializer === node;
  if (ts.isShorthandPropertyAssignment(parent)) return parent.name === node;
  return ts.isSpreadAssignment(parent) || ts.isSpreadElement(parent);
}
