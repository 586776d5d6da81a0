import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { renameCallee } from '../import-edits.js';
import { RESTIFY_HTTP_ERRORS, RESTIFY_REST_ERRORS } from '../status-names.js';
import { loadedModule, shorten, skipOuter } from '../analysis/syntax.js';
import type { Framework } from './framework.js';
import { implicit, propertyOf } from './shared.js';
import { lineAndCharacterAt } from '../../util/lines.js';

const MODULES = ['restify-errors'];

/**
 * restify-errors: `new errors.ForbiddenError(m)`, `NotAuthorizedError` (also 403), `makeErrFromCode(403)`; and
 * restify's static plugins, which answer NotAuthorizedError themselves.
 */
export const restify: Framework = {
  id: 'restify',
  title: 'restify-errors',
  enablers: ['restify', 'restify-errors'],
  kinds: [ts.SyntaxKind.NewExpression, ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    if (!ts.isNewExpression(node) && !ts.isCallExpression(node)) return;
    const callee = node.expression;
    if (ts.isCallExpression(node) && isStaticPlugin(analysis, callee)) {
      implicit(analysis, node, 'restify', 'static');
      return;
    }
    if (analysis.resolvesTo(callee, MODULES, 'makeErrFromCode')) {
      analysis.statusSlot(node.arguments?.[0], node, 'restify');
      return;
    }
    if (ts.isCallExpression(node) && analysis.resolvesTo(callee, MODULES, 'makeConstructor')) {
      madeClass(analysis, node);
      return;
    }
    if (ts.isNewExpression(node) && madeUse(analysis, node)) return;
    for (const [from, names] of [
      ['ForbiddenError', RESTIFY_HTTP_ERRORS],
      ['NotAuthorizedError', RESTIFY_REST_ERRORS],
    ] as const) {
      if (analysis.resolvesTo(callee, MODULES, from)) rename(analysis, node, callee, names[analysis.target]);
    }
  },
};

function rename(
  analysis: FileAnalysis,
  node: ts.Node,
  callee: ts.Expression,
  target: string | undefined,
): void {
  if (!target) {
    analysis.addSite({
      node,
      framework: 'restify',
      manual: true,
      reason: `No restify error class for ${analysis.target}: use errors.makeErrFromCode(${analysis.target}, message).`,
    });
    return;
  }
  const rename = renameCallee(analysis, callee, target);
  if ('manual' in rename) {
    analysis.addSite({ node, framework: 'restify', manual: true, reason: rename.manual });
    return;
  }
  analysis.addSite({ node, framework: 'restify', edits: rename.edits, imports: rename.imports });
}

/**
 * `makeConstructor('TenantLockedError', { statusCode: 403 })` (restify-errors lib/makeConstructor.js: the defaults'
 * `statusCode` is every instance's status), also through a constant of the file or an import (`statusCode:
 * DENIED`): a class that answers 403 wherever it is thrown, shared by routes with and without mTLS, so it is named
 * (manual) as a project class fixing 403 is (error-classes.ts), never rewritten in place. Before session 44 a
 * literal was 'a shape mtls-fix does not know' and a constant was not named at all.
 */
function madeClass(analysis: FileAnalysis, call: ts.CallExpression): void {
  const defaults = call.arguments[1] && skipOuter(call.arguments[1]);
  if (!defaults || !ts.isObjectLiteralExpression(defaults)) return;
  const status = propertyOf(defaults, 'statusCode');
  if (!status || analysis.evaluate(status.initializer).kind !== 'forbidden') return;
  const nameArgument = call.arguments[0] && skipOuter(call.arguments[0]);
  const name =
    nameArgument && ts.isStringLiteralLike(nameArgument) ? nameArgument.text : shorten(call.getText());
  const holder = skipOuter(call).parent;
  const bound =
    ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) ? holder.name.text : undefined;
  analysis.addSite({
    node: call,
    framework: 'restify',
    manual: true,
    reason: `The restify-errors class ${name}${bound && bound !== name ? ` (${bound})` : ''} is made with statusCode ${status.initializer.getText(analysis.sourceFile)}: every throw of it answers 403. Make a sibling with makeConstructor('…', { statusCode: ${analysis.target} }) and throw it on mTLS routes, or map ${name} to ${analysis.target} in the error handler.`,
  });
  if (bound) analysis.forbiddenClasses.add(bound);
  // restify-errors adds the class to its module under the name given: a file using `errors.GoneError` of another
  // module holds no 403 form, and phase 2 of the prefilter finds it by that name (run-analysis.ts).
  if (name !== bound && nameArgument && ts.isStringLiteralLike(nameArgument))
    analysis.forbiddenClasses.add(name);
}

/**
 * The makeConstructor call of this file (its defaults' `statusCode` 403, literal or constant) that makes the class
 * a `new` names: `new TenantLocked()` of `const TenantLocked = makeConstructor(…)`, or `new errors.TenantLockedError()`
 * (restify-errors adds the class it makes to its module under the name given, lib/makeConstructor.js). Each use is
 * named (manual), as a project class's throw is (error-classes.ts); a use in a file importing the class is named by
 * error-classes through the link (declarations.ts reads the call as a class of its status). Before session 45
 * only the definition was named. A restify-errors member made by another module of the run (`new
 * errors.GoneError()`, `new GoneError()` of `require('restify-errors')` or of a project module handing restify-errors
 * on) is found by the link (links.ts `madeClass`); before session 46 it was not named. True when the use was named.
 */
function madeUse(analysis: FileAnalysis, node: ts.NewExpression): boolean {
  const callee = skipOuter(node.expression);
  let found: ts.CallExpression | undefined;
  const forbidden = (call: ts.CallExpression): boolean => {
    if (!analysis.resolvesTo(call.expression, MODULES, 'makeConstructor')) return false;
    const defaults = call.arguments[1] && skipOuter(call.arguments[1]);
    const status = defaults && ts.isObjectLiteralExpression(defaults) && propertyOf(defaults, 'statusCode');
    return (
      Boolean(status) && analysis.evaluate((status as ts.PropertyAssignment).initializer).kind === 'forbidden'
    );
  };
  if (ts.isIdentifier(callee)) {
    for (const statement of analysis.sourceFile.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        const value = declaration.initializer && skipOuter(declaration.initializer);
        if (
          ts.isIdentifier(declaration.name) &&
          declaration.name.text === callee.text &&
          value &&
          ts.isCallExpression(value)
        )
          found = forbidden(value) ? value : undefined;
      }
    }
  }
  const member = found ? undefined : restifyMember(analysis, callee);
  if (member !== undefined && !BUILT_IN.test(member)) {
    const visit = (child: ts.Node): void => {
      if (found) return;
      if (
        ts.isCallExpression(child) &&
        ts.isStringLiteralLike(child.arguments[0] ?? child) &&
        (child.arguments[0] as ts.StringLiteralLike).text === member &&
        forbidden(child)
      )
        found = child;
      else ts.forEachChild(child, visit);
    };
    if (analysis.sourceFile.text.includes('makeConstructor')) visit(analysis.sourceFile);
    // Made by another module of the run (restify-errors adds it to its own module): named with where it is made.
    const made = found ? undefined : analysis.options.link?.madeClass?.(member);
    if (made?.value === 403) {
      const where = `${analysis.options.link?.relative?.(made.file) ?? made.file}:${made.line}`;
      analysis.addSite({
        node,
        framework: 'restify',
        manual: true,
        reason: `${callee.getText(analysis.sourceFile)} answers 403 wherever it is thrown (the restify-errors class ${member}, made by makeConstructor('${member}', …) at ${where} with a 403 statusCode): on an mTLS route throw an error that answers ${analysis.target} instead, or map it to ${analysis.target} in the error handler.`,
      });
      return true;
    }
  }
  if (!found) return false;
  const made = found.arguments[0].getText(analysis.sourceFile);
  const line = lineAndCharacterAt(analysis.sourceFile, found.getStart(analysis.sourceFile)).line + 1;
  const name = callee.getText(analysis.sourceFile);
  analysis.addSite({
    node,
    framework: 'restify',
    manual: true,
    reason: `${name} answers 403 wherever it is thrown (made by makeConstructor(${made}, …) at line ${line} with a 403 statusCode): on an mTLS route throw an error that answers ${analysis.target} instead, or map it to ${analysis.target} in the error handler.`,
  });
  return true;
}

/**
 * restify-errors' own classes (lib/httpErrors.js, lib/restErrors.js): never made by the project, so a `new` of one
 * asks no project-wide question. ForbiddenError and NotAuthorizedError are read by the visitor.
 */
const BUILT_IN =
  /^(?:BadRequest|Unauthorized|Forbidden|NotFound|MethodNotAllowed|NotAcceptable|RequestTimeout|Conflict|Gone|PreconditionFailed|UnsupportedMediaType|UnprocessableEntity|TooManyRequests|Internal|InternalServer|NotImplemented|BadGateway|ServiceUnavailable|GatewayTimeout|BadDigest|BadMethod|ConnectTimeout|InvalidArgument|InvalidContent|InvalidCredentials|InvalidHeader|InvalidVersion|MissingParameter|NotAuthorized|RequestExpired|RequestThrottled|ResourceNotFound|WrongAccept|Http|Rest)Error$|^(?:makeConstructor|makeErrFromCode|bunyanSerializer|codeToHttpError)$/;

/**
 * The restify-errors member a `new` callee names, however the file reaches restify-errors: `GoneError` of
 * `import { GoneError as G } from 'restify-errors'` (`new G()`), `const { GoneError } = require(…)`, `errors.GoneError`
 * with `errors` the module (ESM namespace or default, `require`), or any of these through a project module that
 * hands restify-errors on (`module.exports = errors`, `export default errors`, `export * from 'restify-errors'`:
 * FileAnalysis `packageOf`). Undefined for any other callee.
 */
function restifyMember(analysis: FileAnalysis, callee: ts.Expression): string | undefined {
  if (ts.isIdentifier(callee)) {
    const binding = analysis.packageOf(callee.text);
    return binding && MODULES.includes(binding.module) && !['*', 'default'].includes(binding.name)
      ? binding.name
      : undefined;
  }
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return undefined;
  const owner = analysis.packageOf(callee.expression.text);
  return owner && MODULES.includes(owner.module) && ['*', 'default'].includes(owner.name)
    ? callee.name.text
    : undefined;
}

/** restify's static file plugins (lib/plugins/static.js, staticFiles.js). */
const STATIC_PLUGINS = new Set(['serveStatic', 'serveStaticFiles']);

/**
 * `restify.plugins.serveStatic(…)` / `serveStaticFiles(…)` (restify imported, required or loaded in place, or
 * `plugins` / the plugin itself bound from it): restify answers NotAuthorizedError (403) for a path outside the
 * directory, a `match` miss, and (serveStaticFiles) a folder without an index or any other send error but 404.
 */
function isStaticPlugin(analysis: FileAnalysis, callee: ts.Expression): boolean {
  const inner = skipOuter(callee);
  if (ts.isIdentifier(inner)) {
    const binding = analysis.importOf(inner.text);
    return binding?.module === 'restify' && STATIC_PLUGINS.has(binding.name);
  }
  if (!ts.isPropertyAccessExpression(inner) || !STATIC_PLUGINS.has(inner.name.text)) return false;
  const owner = skipOuter(inner.expression);
  if (ts.isIdentifier(owner)) {
    const binding = analysis.importOf(owner.text);
    return binding?.module === 'restify' && binding.name === 'plugins';
  }
  if (!ts.isPropertyAccessExpression(owner) || owner.name.text !== 'plugins') return false;
  const root = skipOuter(owner.expression);
  return (ts.isIdentifier(root) ? analysis.importOf(root.text)?.module : loadedModule(root)) === 'restify';
}
