import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import type { ProjectFile } from './routes/project.js';
import { helperFunction } from './test-assertion-place.js';
import { importedHelperCall, statusParameterIndexes } from './frameworks/tests/helpers.js';
import type { FollowContext } from './test-follow-context.js';

// Assertion helpers another test file exports, called with a 403 (test-follow.ts).

/**
 * A 403 passed to an assertion helper another test file exports (`expectStatus(res, 403)`, the helper
 * comparing its parameter with the reply's status) becomes a `tests` site of this file, decided like the
 * others: the analysis of one file cannot see the helper, the follower's project can.
 */
export function addImportedHelperCalls(ctx: FollowContext, file: ProjectFile, analysis: FileAnalysis): void {
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      analysis.importOf(node.expression.text) &&
      node.arguments.some((a) => /\b403\b|FORBIDDEN/.test(a.getText(file.sourceFile)))
    )
      calls.push(node);
    node.forEachChild(visit);
  };
  visit(file.sourceFile);
  for (const call of calls) {
    const callee = call.expression as ts.Identifier;
    const start = call.getStart(file.sourceFile);
    if (analysis.sites.some((s) => s.start >= start && s.end <= call.getEnd())) continue;
    for (const declaration of ctx.project.lookup(file, callee, callee.text)) {
      if (declaration.file === file || !ctx.links.isTest(declaration.file.relative)) continue;
      const fn = helperFunction(declaration.node);
      const indexes = fn ? statusParameterIndexes(fn) : [];
      if (!indexes.length) continue;
      importedHelperCall(analysis, call, indexes);
      break;
    }
  }
}
