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
}

/**
 * The makeConstructor call of this file (its defaults' `statusCode` 403, literal or constant) that makes the class
 * a `new` names: `new TenantLocked()` of `const TenantLocked = makeConstructor(…)`, or `new errors.TenantLockedError()`
 * (restify-errors adds the class it makes to its module under the name given, lib/makeConstructor.js). Each use is
 * named (manual), as a project class's throw is (error-classes.ts); a use in a file importing the class is named by
 * error-classes through the link (declarations.ts reads the call as a class of its status). Before session 45
 * only the definition was named. True when the use was named.
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
  } else if (
    ts.isPropertyAccessExpression(callee) &&
    !analysis.resolvesTo(callee, MODULES, 'ForbiddenError') &&
    ts.isIdentifier(callee.expression) &&
    ['*', 'default'].includes(analysis.importOf(callee.expression.text)?.name ?? '') &&
    MODULES.includes(analysis.importOf(callee.expression.text)?.module ?? '')
  ) {
    const name = callee.name.text;
    const visit = (child: ts.Node): void => {
      if (found) return;
      if (
        ts.isCallExpression(child) &&
        ts.isStringLiteralLike(child.arguments[0] ?? child) &&
        (child.arguments[0] as ts.StringLiteralLike).text === name &&
        forbidden(child)
      )
        found = child;
      else ts.forEachChild(child, visit);
    };
    visit(analysis.sourceFile);
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
