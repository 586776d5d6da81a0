import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import type { ProjectFile } from './routes/project.js';
import { nodeAt } from './routes/reach.js';
import { assertionActual, unitInputIn, UNIT_INPUT } from './frameworks/tests/unit-inputs.js';
import type { FollowContext } from './test-follow-context.js';
import { lineOf } from './test-nodes.js';
import type { Site } from './types.js';

/**
 * The verdict for a `tests` site whose assertion hands a 403 to the unit under test (`expect(
 * statusCodeMessage(403)).toBe('Forbidden')`, `assert.equal(describe(403), 'Forbidden')`; frameworks/tests/
 * unit-inputs.ts): the 403 is the unit's input and what the assertion expects is the unit's answer for it, so
 * it is never rewritten nor told to expect the agreed status. Named (`manual`) only when the unit's own
 * declaration holds a 403 site this run rewrote (its answer for 403 changes); otherwise not an emit
 * (`unit-input`). Undefined for an assertion that hands the unit no 403: decided as before.
 */
export function unitInputVerdict(
  ctx: FollowContext,
  file: ProjectFile,
  analysis: FileAnalysis,
  site: Site,
): { manual: string } | { notAnEmit: string } | undefined {
  const node = nodeAt(file.sourceFile, site.start);
  const actual = node && assertionActual(node, analysis);
  const call = actual && unitInputIn(actual);
  if (!call) return undefined;
  const callee = ts.isPropertyAccessExpression(call.expression) ? call.expression.name : call.expression;
  if (!ts.isIdentifier(callee)) return { notAnEmit: UNIT_INPUT };
  for (const declaration of ctx.project.lookup(file, callee, callee.text)) {
    const { file: at, node: declared } = declaration;
    if (at === file) continue;
    const rewritten = (ctx.sitesByFile.get(at.relative) ?? []).find(
      (s) => declared.pos <= s.start && s.end <= declared.end && ctx.verdicts.rewrote(s),
    );
    if (rewritten)
      return {
        manual: `passed to the unit under test ${callee.text} (${at.relative}:${lineOf(at.sourceFile, declared)}), which sends ${ctx.verdicts.describe(rewritten)} that this run rewrote: the unit's answer for 403 changes, so check what the assertion expects by hand`,
      };
  }
  return { notAnEmit: UNIT_INPUT };
}
