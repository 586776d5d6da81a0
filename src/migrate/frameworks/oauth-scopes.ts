import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { SCOPE_CHECKERS, type ScopeChecker } from '../middleware-403-table.js';
import type { RemapLayer } from '../types.js';
import { skipOuter } from '../analysis/syntax.js';

/** A receiver named for an OAuth server (`app.oauth`, `oauthServer`, `this.oauth2`): its `authenticate` is one. */
const OAUTH_RECEIVER = /oauth/i;

/** `useErrorHandler: true` in the file: the wrapper passes the 403 on with `next(e)` (express/fastify-oauth-server). */
const USES_ERROR_HANDLER = /\buseErrorHandler\s*:\s*true\b/;

/**
 * The oauth2-server family's scope checks (middleware-403-table.ts `SCOPE_CHECKERS`): a manual `Implicit 403`
 * site at each `authenticate({ scope })` (oauth2-server's `authenticate(request, response, { scope })`) and at each
 * `new OAuthServer({ …, scope })` (the constructor's options are every call's defaults), and at an `authenticate`
 * or a `new OAuthServer(…)` whose options mtls-fix cannot read. The call counts as one of the family's when the file imports a package of
 * it or its receiver is named for OAuth (`app.oauth.authenticate(…)` in a routes file). Session 39 (fix39a).
 */
export function oauthScopeSite(node: ts.CallExpression | ts.NewExpression, analysis: FileAnalysis): void {
  const imported = importedChecker(analysis);
  if (ts.isNewExpression(node)) {
    const checker = constructed(node, analysis);
    const options = node.arguments?.[0];
    const read = checker && options ? scopeOf(options) : 'none';
    // Options mtls-fix cannot read (`new OAuthServer(config)`) may hold a scope that every call defaults to.
    if (read !== 'none') add(analysis, node, checker, 'its constructor', read === 'unread');
    return;
  }
  const callee = skipOuter(node.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'authenticate') return;
  if (!imported && !OAUTH_RECEIVER.test(callee.expression.getText(analysis.sourceFile))) return;
  const options =
    node.arguments.length === 1
      ? node.arguments[0]
      : node.arguments.length === 3
        ? node.arguments[2]
        : undefined;
  if (!options) return;
  const read = scopeOf(options);
  if (read === 'scope') add(analysis, node, imported, 'authenticate({ scope })');
  else if (read === 'unread') add(analysis, node, imported, 'authenticate(options)', true);
}

/** What an options argument holds: a scope, no scope, or options mtls-fix cannot read (a variable, a spread). */
function scopeOf(options: ts.Expression): 'scope' | 'none' | 'unread' {
  const inner = skipOuter(options);
  if (ts.isStringLiteralLike(inner) || ts.isFunctionLike(inner)) return 'none';
  if (!ts.isObjectLiteralExpression(inner)) return 'unread';
  let spread = false;
  for (const property of inner.properties) {
    if (ts.isSpreadAssignment(property)) spread = true;
    const name = property.name;
    if (name && (ts.isIdentifier(name) || ts.isStringLiteralLike(name)) && name.text === 'scope')
      return noScope(property) ? 'none' : 'scope';
  }
  return spread ? 'unread' : 'none';
}

/** `scope: undefined` / `scope: null` / `scope: ''` / `scope: []`: no scope is checked. */
function noScope(property: ts.ObjectLiteralElementLike): boolean {
  if (!ts.isPropertyAssignment(property)) return false;
  const value = skipOuter(property.initializer);
  if (value.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isIdentifier(value) && value.text === 'undefined') return true;
  if (ts.isStringLiteralLike(value) && value.text === '') return true;
  return ts.isArrayLiteralExpression(value) && value.elements.length === 0;
}

/** Each file's answer of importedChecker (null: none), asked on every call of the file. */
const CHECKERS = new WeakMap<FileAnalysis, ScopeChecker | null>();

/** The family package the file imports (the first, in table order), if any; found once per file. */
function importedChecker(analysis: FileAnalysis): ScopeChecker | undefined {
  let checker = CHECKERS.get(analysis);
  if (checker === undefined) {
    checker = SCOPE_CHECKERS.find((c) => analysis.importsModule(c.module)) ?? null;
    CHECKERS.set(analysis, checker);
  }
  return checker ?? undefined;
}

/** The package a `new X(…)` builds, when X is imported from one of the family (or `new (require('x'))(…)`). */
function constructed(node: ts.NewExpression, analysis: FileAnalysis): ScopeChecker | undefined {
  let inner = skipOuter(node.expression);
  if (ts.isPropertyAccessExpression(inner) && inner.name.text === 'default')
    inner = skipOuter(inner.expression);
  let module: string | undefined;
  if (ts.isIdentifier(inner)) module = analysis.importOf(inner.text)?.module;
  else if (
    ts.isCallExpression(inner) &&
    ts.isIdentifier(inner.expression) &&
    inner.expression.text === 'require' &&
    inner.arguments[0] &&
    ts.isStringLiteralLike(inner.arguments[0])
  )
    module = inner.arguments[0].text;
  return SCOPE_CHECKERS.find((c) => c.module === module);
}

function add(
  analysis: FileAnalysis,
  node: ts.Node,
  checker: ScopeChecker | undefined,
  where: string,
  unread = false,
): void {
  const n = String(analysis.target);
  const name = checker?.module ?? 'the oauth2-server family (express-oauth-server, oauth2-server)';
  const passedOn = !checker || !checker.wrapper || USES_ERROR_HANDLER.test(analysis.text);
  const layers: RemapLayer[] = passedOn ? ['error-handler'] : ['response-hook'];
  const how =
    checker && !checker.wrapper
      ? `answer ${n} where the error is caught when err.code === 403 (err.name 'insufficient_scope')`
      : `pass useErrorHandler: true to the server and answer ${n} in your error handler when err.code === 403 (err.name 'insufficient_scope')`;
  const what = unread
    ? `${where}: mtls-fix cannot read these options; if they hold a scope, ${name} answers 403 insufficient_scope when the token lacks it (InsufficientScopeError, code 403)`
    : `${name} answers 403 insufficient_scope when the token lacks the scope (${where}: InsufficientScopeError, code 403)`;
  analysis.addSite({
    node,
    framework: checker?.framework ?? 'express',
    manual: true,
    reason: `Implicit 403: ${what}. On mTLS routes ${how}.`,
    remapLayers: layers,
  });
}
