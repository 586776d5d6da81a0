import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { renameCallee, type CalleeRename } from '../import-edits.js';
import { STRAPI_ERRORS } from '../status-names.js';
import type { Framework } from './framework.js';
import { alternative, checkedSpelling } from './instance-checks.js';
import { coveredCheck } from './covered-checks.js';

const MODULES = ['@strapi/utils'];

/**
 * The `@strapi/utils` error classes Strapi answers 403 for (`mapErrorsAndStatus` in
 * `packages/core/core/src/services/errors.ts`): `ForbiddenError` and `PolicyError`, its subclass (a name with no
 * 403 and no Forbidden in it). Both take `(message, details)`, as every class of STRAPI_ERRORS does.
 */
const FORBIDDEN_CLASSES = ['PolicyError', 'ForbiddenError'];

/**
 * Strapi (v4/v5, `@strapi/utils` `errors`): `throw new errors.PolicyError(m)` / `new ForbiddenError(m)` are renamed
 * to the class Strapi answers the agreed status for (`errors.UnauthorizedError`), whichever way `errors` is bound:
 * `import { errors } from '@strapi/utils'`, `require('@strapi/utils').errors`, `utils.errors.X`, or a local
 * `const { PolicyError } = errors`. A subclass is reported. A policy (a function whose first parameter is
 * `policyContext`) is an `Implicit 403` site: Strapi throws PolicyError, 403 'Policy Failed', when its result is
 * not `true` or `undefined` (`if (![true, undefined].includes(result)) throw new errors.PolicyError()` in
 * `createPolicicesMiddleware`, packages/core/core/src/services/server/policy.ts). A `403` given as the `details`
 * argument (`new PolicyError(m, 403)`, a common mistake: the second argument is details, not a status) follows.
 */
export const strapi: Framework = {
  id: 'strapi',
  title: 'Strapi (@strapi/utils errors, policies)',
  enablers: ['@strapi/strapi', '@strapi/utils'],
  kinds: [
    ts.SyntaxKind.BinaryExpression,
    ts.SyntaxKind.NewExpression,
    ts.SyntaxKind.ExpressionWithTypeArguments,
    ts.SyntaxKind.ArrowFunction,
    ts.SyntaxKind.FunctionExpression,
    ts.SyntaxKind.FunctionDeclaration,
    ts.SyntaxKind.CallExpression,
    ts.SyntaxKind.PropertyAssignment,
  ],
  visit(node, analysis) {
    if (ts.isCallExpression(node)) {
      coreRouter(node, analysis);
      return;
    }
    if (ts.isPropertyAssignment(node)) {
      customRoute(node, analysis);
      return;
    }
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node)) {
      policy(node, analysis);
      return;
    }
    if (ts.isBinaryExpression(node)) {
      if (node.operatorToken.kind !== ts.SyntaxKind.InstanceOfKeyword) return;
      const checked = forbiddenClass(node.right, analysis);
      if (!checked) return;
      if (coveredCheck(analysis, node)) return;
      const to = STRAPI_ERRORS[analysis.target];
      const spelling = checkedSpelling(analysis, node.right, MODULES, checked, to);
      analysis.addSite({
        node,
        framework: 'strapi',
        manual: true,
        reason: `An instanceof check on ${spelling.shown}: its throws become ${to ?? `errors answering ${analysis.target}`} on mTLS routes, so decide whether this check should also match ${alternative(analysis, node, spelling) ?? 'them'}.`,
      });
      return;
    }
    if (!ts.isNewExpression(node) && !ts.isExpressionWithTypeArguments(node)) return;
    const name = forbiddenClass(node.expression, analysis);
    if (!name) return;
    const target = STRAPI_ERRORS[analysis.target];
    if (ts.isExpressionWithTypeArguments(node)) {
      analysis.addSite({
        node: node.parent,
        framework: 'strapi',
        manual: true,
        reason: `A class extending ${name} answers 403 wherever it is thrown: add a sibling extending ${target ?? `an error Strapi answers ${analysis.target} for`} and throw it on mTLS routes.`,
      });
      return;
    }
    if (!target) {
      analysis.addSite({
        node,
        framework: 'strapi',
        manual: true,
        reason: `Strapi answers 403 for ${name} and has no error class for ${analysis.target}: set ctx.status = ${analysis.target} on mTLS routes instead.`,
      });
      return;
    }
    const edits = renameEdits(node.expression, target, analysis);
    if ('manual' in edits) {
      analysis.addSite({ node, framework: 'strapi', manual: true, reason: edits.manual });
      return;
    }
    // `details` holding 403 (`new PolicyError(m, 403)`) reads as the status to a person: it follows the class.
    const details = node.arguments?.[1];
    const detailEdits = details ? (analysis.forbiddenEdits(details) ?? []) : [];
    analysis.addSite({
      node,
      framework: 'strapi',
      edits: [...edits.edits, ...detailEdits],
      imports: edits.imports,
    });
  },
};

/** The 403 class `callee` names (`errors.PolicyError`, `utils.errors.ForbiddenError`, a bound `PolicyError`). */
function forbiddenClass(callee: ts.Expression, analysis: FileAnalysis): string | undefined {
  if (ts.isPropertyAccessExpression(callee)) {
    const name = callee.name.text;
    return FORBIDDEN_CLASSES.includes(name) && isErrorsNamespace(callee.expression, analysis)
      ? name
      : undefined;
  }
  if (!ts.isIdentifier(callee)) return undefined;
  const imported = FORBIDDEN_CLASSES.find((name) => analysis.resolvesTo(callee, MODULES, name));
  if (imported) return imported;
  return FORBIDDEN_CLASSES.includes(callee.text) && localDestructure(callee, analysis)
    ? callee.text
    : undefined;
}

/** `errors` bound to `@strapi/utils`'s `errors`, or `<the module>.errors`. */
function isErrorsNamespace(expression: ts.Expression, analysis: FileAnalysis): boolean {
  if (ts.isIdentifier(expression)) {
    const binding = analysis.importOf(expression.text);
    return Boolean(binding && MODULES.includes(binding.module) && binding.name === 'errors');
  }
  if (ts.isPropertyAccessExpression(expression) && expression.name.text === 'errors') {
    const root = expression.expression;
    if (!ts.isIdentifier(root)) return false;
    const binding = analysis.importOf(root.text);
    return Boolean(
      binding && MODULES.includes(binding.module) && (binding.name === '*' || binding.name === 'default'),
    );
  }
  return false;
}

/** Whether the file destructures classes from `@strapi/utils`'s `errors` (`const { PolicyError } = errors`). */
function hasLocalDestructure(analysis: FileAnalysis): boolean {
  return analysis.sourceFile.statements.some(
    (statement) =>
      ts.isVariableStatement(statement) &&
      statement.declarationList.declarations.some(
        (d) =>
          ts.isObjectBindingPattern(d.name) &&
          d.initializer !== undefined &&
          isErrorsNamespace(d.initializer, analysis),
      ),
  );
}

/** The `{ PolicyError }` pattern of a top-level `const { PolicyError } = errors` that binds `name`. */
function localDestructure(name: ts.Identifier, analysis: FileAnalysis): ts.ObjectBindingPattern | undefined {
  for (const statement of analysis.sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isObjectBindingPattern(declaration.name) || !declaration.initializer) continue;
      if (!isErrorsNamespace(declaration.initializer, analysis)) continue;
      const bound = declaration.name.elements.some(
        (e) => ts.isIdentifier(e.name) && e.name.text === name.text && !e.propertyName,
      );
      if (bound) return declaration.name;
    }
  }
  return undefined;
}

/** The edits (and imports) that make `callee` name `target`, or why a person must. */
function renameEdits(callee: ts.Expression, target: string, analysis: FileAnalysis): CalleeRename {
  if (ts.isIdentifier(callee)) {
    const pattern = localDestructure(callee, analysis);
    if (pattern) {
      if (pattern.elements.some((e) => e.dotDotDotToken))
        return { manual: `Bind ${target} from errors next to ${callee.text} and throw it here.` };
      const edits = [analysis.replace(callee, target)];
      const has = pattern.elements.some(
        (e) => ts.isIdentifier(e.name) && e.name.text === target && !e.propertyName,
      );
      if (!has) {
        const last = pattern.elements[pattern.elements.length - 1];
        edits.push({ start: last.getEnd(), end: last.getEnd(), text: `, ${target}` });
      }
      return { edits, imports: [] };
    }
    // Two edits in one run would each bind the new name: `const { X } = errors` and the import's own.
    if (hasLocalDestructure(analysis))
      return {
        manual: `Throw ${target} here: it is bound from errors in this file's \`const { … } = errors\` (add it there).`,
      };
  }
  return renameCallee(analysis, callee, target);
}

/** A Strapi policy: a function whose first parameter is `policyContext` (v4/v5). */
function policy(node: ts.FunctionLikeDeclaration, analysis: FileAnalysis): void {
  if (analysis.options.testFile) return;
  const first = node.parameters[0];
  if (!first || !ts.isIdentifier(first.name) || first.name.text !== 'policyContext') return;
  const target = STRAPI_ERRORS[analysis.target];
  const instead = target
    ? `throw new errors.${target}(message) from @strapi/utils instead of returning false (a thrown error keeps its own status)`
    : `set policyContext.status = ${analysis.target} and return true, or throw an error your error middleware answers with ${analysis.target}`;
  // At the parameter: a site spanning the whole function would own every form inside it.
  analysis.addSite({
    node: first,
    framework: 'strapi',
    manual: true,
    reason: `Implicit 403: when a Strapi policy returns anything but true or undefined (false, null, 0, even 401), Strapi throws PolicyError ('Policy Failed', 403). On mTLS routes ${instead}.`,
  });
}

/**
 * `createCoreRouter('api::x.x')` (`factories.createCoreRouter`, or destructured from
 * `require('@strapi/strapi').factories`): every route it makes runs Strapi's content-API auth, whose strategies
 * throw ForbiddenError (403) when the caller's role or API token lacks the action (users-permissions' `verify`:
 * `if (!isAllowed) throw new ForbiddenError()`, also for the public role of a caller with no token). One
 * `Implicit 403` per router; `config: { find: { auth: false } }` turns it off for a route, which the reason says.
 */
function coreRouter(node: ts.CallExpression, analysis: FileAnalysis): void {
  const callee = node.expression;
  const name = ts.isIdentifier(callee)
    ? callee.text
    : ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : undefined;
  if (name !== 'createCoreRouter' || !/['"]@strapi\/strapi['"]/.test(analysis.text)) return;
  const n = analysis.target;
  analysis.addSite({
    node,
    framework: 'strapi',
    manual: true,
    reason: `Implicit 403: Strapi's content API answers 403 (ForbiddenError) on these routes when the caller's role (users-permissions, the public role too) or API token lacks the action's permission. On mTLS routes remap it in a global middleware listed before 'strapi::errors' in config/middlewares: async (ctx, next) => { await next(); if (ctx.status === 403) ctx.status = ${n}; } (a route with config: { auth: false } answers no 403).`,
  });
}

/** A Strapi route file: `src/api/<name>/routes/<file>` (or a plugin's `server/routes`). */
const ROUTE_FILE = /(?:^|\/)(?:api\/[^/]+|server)\/routes\/[^/]+\.[cm]?[jt]s$/;

/** A route handler written as Strapi's `'<controller>.<action>'` or `'api::<api>.<controller>.<action>'`. */
const HANDLER = /^(?:(?:api|plugin)::)?[\w-]+(?:\.[\w-]+)+$/;

/**
 * A custom route of a Strapi route file, `routes: [{ method: 'GET', path: '/x', handler: 'ctrl.find' }]`: like a
 * core router's, it runs the content-API auth (ForbiddenError, 403) unless its `config.auth` is `false`. One site
 * per such route, at its `handler`.
 */
function customRoute(node: ts.PropertyAssignment, analysis: FileAnalysis): void {
  if (!ts.isIdentifier(node.name) || node.name.text !== 'handler') return;
  if (!ts.isStringLiteral(node.initializer) || !HANDLER.test(node.initializer.text)) return;
  const route = node.parent;
  const list = route.parent;
  const holder = list?.parent;
  if (
    !ts.isArrayLiteralExpression(list) ||
    !holder ||
    !ts.isPropertyAssignment(holder) ||
    !ts.isIdentifier(holder.name) ||
    holder.name.text !== 'routes' ||
    !ROUTE_FILE.test(analysis.sourceFile.fileName.replace(/\\/g, '/'))
  )
    return;
  const config = route.properties.find(
    (p): p is ts.PropertyAssignment =>
      ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'config',
  );
  const auth =
    config && ts.isObjectLiteralExpression(config.initializer)
      ? config.initializer.properties.find(
          (p): p is ts.PropertyAssignment =>
            ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'auth',
        )
      : undefined;
  if (auth && auth.initializer.kind === ts.SyntaxKind.FalseKeyword) return;
  analysis.addSite({
    node,
    framework: 'strapi',
    manual: true,
    reason: `Implicit 403: Strapi's content API answers 403 (ForbiddenError) on this route when the caller's role (users-permissions, the public role too) or API token lacks its permission. On mTLS routes remap it in a global middleware listed before 'strapi::errors' in config/middlewares: async (ctx, next) => { await next(); if (ctx.status === 403) ctx.status = ${analysis.target}; } (config: { auth: false } answers no 403).`,
  });
}
