import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { renameCallee } from '../import-edits.js';
import type { Framework } from './framework.js';
import { assignment, challengeNote } from './shared.js';

/** Moleculer's error classes whose second argument is the status moleculer-web answers (`(message, code, type, data)`). */
const CORE_ERRORS = [
  'MoleculerError',
  'MoleculerClientError',
  'MoleculerServerError',
  'MoleculerRetryableError',
];

/** moleculer-web's `Errors` classes by status, all `(type, data)` (https://moleculer.services/docs/0.14/moleculer-web). */
const WEB_ERRORS: Readonly<Record<number, string>> = {
  400: 'BadRequestError',
  401: 'UnAuthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  413: 'PayloadTooLarge',
  429: 'RateLimitExceeded',
};

/**
 * Moleculer with moleculer-web (https://moleculer.services/docs/0.14/moleculer-web#Error-handlers): an action's
 * error answers its `code`, so `new MoleculerClientError(m, 403, type)` (also `Errors.X`, `MoleculerError`) ->
 * `401`; moleculer-web's `new ForbiddenError(type, data)` -> `UnAuthorizedError` (`NotFoundError` for 404); an
 * action's `ctx.meta.$statusCode = 403` -> 401. Read in files that import moleculer or moleculer-web.
 */
export const moleculer: Framework = {
  id: 'moleculer',
  title: 'Moleculer (errors, moleculer-web)',
  enablers: ['moleculer', 'moleculer-web'],
  kinds: [ts.SyntaxKind.NewExpression, ts.SyntaxKind.BinaryExpression],
  visit(node, analysis) {
    const assign = assignment(node);
    // `ctx.meta.$statusCode = …` is moleculer-web's own key: a service file often requires nothing from Moleculer
    // (`module.exports = { name, actions }`), so the key on a `.meta` object is enough.
    if (assign?.property === '$statusCode' && metaObject(assign.object)) {
      analysis.statusSlot(assign.right, node, 'moleculer');
      return;
    }
    if (!analysis.importsModule('moleculer', 'moleculer-web')) return;
    if (assign) {
      if (assign.property === '$statusCode') analysis.statusSlot(assign.right, node, 'moleculer');
      return;
    }
    if (!ts.isNewExpression(node)) return;
    const name = calleeName(analysis, node.expression);
    if (name && CORE_ERRORS.includes(name)) {
      analysis.statusSlot(node.arguments?.[1], node, 'moleculer', () => ({
        reason: challengeNote(analysis),
      }));
      return;
    }
    if (name === WEB_ERRORS[403] && isWebError(analysis, node.expression)) webError(analysis, node);
  },
};

/** `ctx.meta` (any receiver's `meta`), where moleculer-web reads `$statusCode` from. */
function metaObject(object: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(object) && object.name.text === 'meta';
}

/**
 * `X` of `new X(…)` and of `new a.b.X(…)`; for a name bound from Moleculer, the name it binds
 * (`const { ForbiddenError: Denied } = ApiGateway.Errors` then `new Denied(…)`).
 */
function calleeName(analysis: FileAnalysis, callee: ts.Expression): string | undefined {
  if (ts.isIdentifier(callee)) {
    const binding = analysis.importOf(callee.text);
    return binding && ['moleculer', 'moleculer-web'].includes(binding.module) && binding.name !== '*'
      ? binding.name
      : callee.text;
  }
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/**
 * moleculer-web's class: `ApiGateway.Errors.ForbiddenError`, `Errors.ForbiddenError` or a `ForbiddenError`
 * bound from moleculer-web (its `Errors`); a project's own `ForbiddenError` is not (error-classes reads those).
 */
function isWebError(analysis: FileAnalysis, callee: ts.Expression): boolean {
  if (!analysis.importsModule('moleculer-web')) return false;
  if (ts.isPropertyAccessExpression(callee))
    return ts.isPropertyAccessExpression(callee.expression)
      ? callee.expression.name.text === 'Errors'
      : ts.isIdentifier(callee.expression) && /^errors$/i.test(callee.expression.text);
  const binding = ts.isIdentifier(callee) ? analysis.importOf(callee.text) : undefined;
  return binding?.module === 'moleculer-web';
}

function webError(analysis: FileAnalysis, node: ts.NewExpression): void {
  const to = WEB_ERRORS[analysis.target];
  const result = to
    ? renameCallee(analysis, node.expression, to)
    : {
        manual: `moleculer-web has no error class for ${analysis.target}: throw a MoleculerClientError with code ${analysis.target}.`,
      };
  if ('manual' in result) {
    analysis.addSite({ node, framework: 'moleculer', manual: true, reason: result.manual });
    return;
  }
  analysis.addSite({
    node,
    framework: 'moleculer',
    edits: result.edits,
    imports: result.imports,
    reason: challengeNote(analysis),
  });
}
