import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import type { Framework } from './framework.js';
import { descriptionEdit } from './shared.js';
import { calleeName, isTargetStatus, reportDeclaredBeside, writesTarget } from './declared-beside.js';

/** Ts.ED's schema decorators (v6 and later). */
const SCHEMA = ['@tsed/schema'];
/** Ts.ED 5's `@Status`, which set the answer's status. */
const COMMON = ['@tsed/common'];

/**
 * Ts.ED route decorators that carry a status (https://tsed.dev/docs/controllers.html):
 * - `@Returns(403, Model)` and `@Status(403)` of `@tsed/schema` (Ts.ED 6 and later) document a response of the
 *   operation in the OpenAPI document Ts.ED generates (only a 2xx one also sets the success status), chained or not
 *   (`@Returns(403).Description("Forbidden")`): response declarations that follow their handler
 *   (declarations-held.ts), the description's reason phrase with them; reported for a person when a sibling already
 *   documents the agreed status.
 * - `@Status(403)` of `@tsed/common` (Ts.ED 5) sets the status of every successful answer, as NestJS `@HttpCode`
 *   does: rewritten with the bodies the method returns.
 * Before session 47 each was an unknown shape. The error classes (`new Forbidden(m)`) are error-libraries.ts'.
 */
export const tsed: Framework = {
  id: 'tsed',
  title: 'Ts.ED (@Returns, @Status)',
  enablers: [...SCHEMA, ...COMMON, '@tsed/platform-http', '@tsed/platform-express', '@tsed/platform-koa'],
  kinds: [ts.SyntaxKind.Decorator],
  visit(node, analysis) {
    if (!ts.isDecorator(node)) return;
    const chain = chainOf(node.expression);
    if (!chain) return;
    const { root, links } = chain;
    if (analysis.resolvesTo(root.expression, COMMON, 'Status')) {
      analysis.statusSlot(root.arguments[0], node, 'tsed', () => ({
        edits: analysis.returnedBodyEdits(node),
      }));
      return;
    }
    if (!documents(analysis, root)) return;
    const status = root.arguments[0];
    if (
      status &&
      analysis.evaluate(status).kind === 'forbidden' &&
      reportDeclaredBeside(
        analysis,
        node,
        'tsed',
        (call) => {
          const sibling = chainOf(call)?.root;
          return !!sibling && documents(analysis, sibling) && isTargetStatus(analysis, sibling.arguments[0]);
        },
        (call) => {
          const sibling = chainOf(call)?.root;
          return (
            !!sibling &&
            ['Returns', 'Status'].includes(calleeName(sibling) ?? '') &&
            writesTarget(analysis.target, sibling.arguments[0])
          );
        },
      )
    )
      return;
    analysis.statusSlot(status, node, 'tsed', () => ({
      edits: links
        .filter((link) => link.name === 'Description')
        .flatMap((link) => descriptionEdit(analysis, link.call.arguments[0])),
    }));
  },
};

/** `Returns(…)` / `Status(…)` of @tsed/schema: a response declaration. */
function documents(analysis: FileAnalysis, call: ts.CallExpression): boolean {
  return (
    analysis.resolvesTo(call.expression, SCHEMA, 'Returns') ||
    analysis.resolvesTo(call.expression, SCHEMA, 'Status')
  );
}

/**
 * A decorator expression read as its first call and the calls chained on it: `Returns(403).Description("x")` is
 * `Returns(403)` with the link `Description("x")`. Undefined when the expression is not such a chain of calls.
 */
function chainOf(
  expression: ts.Expression,
): { root: ts.CallExpression; links: { name: string; call: ts.CallExpression }[] } | undefined {
  const links: { name: string; call: ts.CallExpression }[] = [];
  let at = expression;
  while (ts.isCallExpression(at) && ts.isPropertyAccessExpression(at.expression)) {
    links.unshift({ name: at.expression.name.text, call: at });
    at = at.expression.expression;
  }
  return ts.isCallExpression(at) ? { root: at, links } : undefined;
}
