import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { decoratorForm } from './decorator-factories.js';
import type { Framework } from './framework.js';
import { descriptionCompanion, descriptionEdit } from './shared.js';
import { skipOuter } from '../analysis/syntax.js';
import { importedRename } from '../import-edits.js';
import { TSED_ERRORS } from '../status-names.js';
import type { Edit, ImportNeed } from '../types.js';
import { LIBRARIES } from './error-library-table.js';
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
 * - Ts.ED 5's `@Returns(403, { description })` of `@tsed/common` documents one the same way.
 * - `@Status(403)` of `@tsed/common` (Ts.ED 5) sets the status of every successful answer, as NestJS `@HttpCode`
 *   does: rewritten with the bodies the method returns.
 * Before session 47 each was an unknown shape. The error classes (`new Forbidden(m)`) are error-libraries.ts'.
 */
export const tsed: Framework = {
  id: 'tsed-decorators',
  title: 'Ts.ED (@Returns, @Status)',
  enablers: [...SCHEMA, ...COMMON, '@tsed/platform-http', '@tsed/platform-express', '@tsed/platform-koa'],
  kinds: [ts.SyntaxKind.Decorator, ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    // `@Returns(403)`, and the factory called outside `@` (`applyDecorators(Returns(403), Status(403))` of
    // @tsed/core, `useDecorators(…)`, a project decorator returning it; session 49): the call is the form.
    if (ts.isCallExpression(node) && decoratorForm(node) !== node) return;
    if (!ts.isDecorator(node) && !ts.isCallExpression(node)) return;
    const chain = chainOf(ts.isDecorator(node) ? node.expression : node);
    if (!chain) return;
    const { root, links } = chain;
    if (analysis.resolvesTo(root.expression, COMMON, 'Status')) {
      analysis.statusSlot(root.arguments[0], node, 'tsed-decorators', () => ({
        edits: ts.isDecorator(node) ? analysis.returnedBodyEdits(node) : [],
      }));
      return;
    }
    if (!documents(analysis, root)) return;
    const status = root.arguments[0];
    if (
      ts.isDecorator(node) &&
      status &&
      analysis.evaluate(status).kind === 'forbidden' &&
      reportDeclaredBeside(
        analysis,
        node,
        'tsed-decorators',
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
    analysis.statusSlot(status, node, 'tsed-decorators', () => {
      const model = modelRename(analysis, root.arguments[1]);
      return {
        edits: [
          ...links
            .filter((link) => link.name === 'Description')
            .flatMap((link) => descriptionEdit(analysis, link.call.arguments[0])),
          ...(model?.edits ?? []),
          // Ts.ED 5: `@Returns(403, { description: 'Forbidden' })`.
          ...descriptionCompanion(analysis, root.arguments[1]),
        ],
        imports: model?.imports ?? [],
      };
    });
  },
};

/**
 * The model a declaration names, `@Returns(403, Forbidden)` with Ts.ED's exception class: renamed with the status to
 * the class of the agreed status (`Unauthorized`), its import with it. Undefined when the model is another one, the
 * target has no Ts.ED class, or the import cannot be edited (the class then stays, named by the census).
 */
function modelRename(
  analysis: FileAnalysis,
  argument: ts.Expression | undefined,
): { edits: Edit[]; imports: ImportNeed[] } | undefined {
  const model = argument && skipOuter(argument);
  const to = TSED_ERRORS[analysis.target];
  if (!model || !ts.isIdentifier(model) || !to) return undefined;
  if (!analysis.resolvesTo(model, LIBRARIES.tsed.modules, LIBRARIES.tsed.forbidden)) return undefined;
  const renamed = importedRename(analysis, model.text, to);
  if (!renamed || 'manual' in renamed) return undefined;
  return { edits: [analysis.replace(model, renamed.local)], imports: renamed.imports };
}

/** `Returns(…)` / `Status(…)` of @tsed/schema, Ts.ED 5's `Returns(…)` of @tsed/common: a response declaration. */
function documents(analysis: FileAnalysis, call: ts.CallExpression): boolean {
  return (
    analysis.resolvesTo(call.expression, SCHEMA, 'Returns') ||
    analysis.resolvesTo(call.expression, SCHEMA, 'Status') ||
    analysis.resolvesTo(call.expression, COMMON, 'Returns')
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
