import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import type { Framework } from './framework.js';

/** Egg's default config file, where the security plugin's defaults are overridden (`config/config.default.{js,ts}`). */
const DEFAULT_CONFIG = /(?:^|[\\/])config[\\/]config\.default\.[cm]?[jt]s$/;

/**
 * Egg.js's security plugin (`egg-security`, `@eggjs/security`; built into `egg` and on by default) checks a CSRF
 * token on every POST, PATCH, PUT, DELETE and CONNECT request and answers 403 when it is missing or wrong
 * (`ctx.throw(403, 'missing csrf token' | 'invalid csrf token')` in `assertCsrf`, src/app/extend/context.ts; defaults
 * `csrf.enable: true`, `type: 'ctoken'`, `supportedRequests` in src/config/config.default.ts, v4.0.1). No import
 * and no 403 in the project's code say so: the site is the app's `config/config.default.*`, unless it turns CSRF off
 * (`csrf: false`, `csrf: { enable: false }`, `config.security.csrf.enable = false`, or a `defaultMiddleware` list
 * without csrf). The status is fixed; `match` / `ignore` only narrow the paths, so the site stays.
 */
export const egg: Framework = {
  id: 'egg',
  title: 'Egg.js security plugin (CSRF, config-driven)',
  enablers: ['egg', 'egg-security', '@eggjs/security'],
  kinds: [
    ts.SyntaxKind.ExpressionStatement,
    ts.SyntaxKind.ExportAssignment,
    ts.SyntaxKind.FunctionDeclaration,
  ],
  visit(node, analysis) {
    if (analysis.options.testFile || !DEFAULT_CONFIG.test(analysis.sourceFile.fileName)) return;
    const statement = exportStatement(analysis.sourceFile);
    if (node !== statement || csrfOff(analysis.sourceFile)) return;
    const n = analysis.target;
    analysis.addSite({
      node: anchor(analysis, statement),
      framework: 'egg',
      manual: true,
      reason: `Implicit 403: Egg's security plugin (on by default) answers 403 ('missing csrf token' / 'invalid csrf token') to a POST, PUT, PATCH or DELETE without a valid CSRF token, and its status is fixed. On mTLS routes exempt them (security.csrf.ignore, or enable: false where no cookie session is used), or answer ${n} for err.status === 403 with a csrf message in an error-handling middleware (or config.onerror).`,
    });
  },
};

/** The file's first `module.exports = …`, `export default …` (a function too) or `exports.x = …` statement. */
function exportStatement(sourceFile: ts.SourceFile): ts.Statement | undefined {
  return sourceFile.statements.find((statement) => {
    if (ts.isExportAssignment(statement)) return true;
    if (ts.isFunctionDeclaration(statement))
      return Boolean(statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword));
    if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) return false;
    const left = statement.expression.left.getText(sourceFile);
    return left === 'module.exports' || left.startsWith('exports.') || left.startsWith('module.exports.');
  });
}

/**
 * A small node to hold the site (one spanning the whole config would own every form inside it): the `security`
 * key or assignment when the file has one, else `module.exports` / the config function's first parameter.
 */
function anchor(analysis: FileAnalysis, statement: ts.Statement): ts.Node {
  let security: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (security) return;
    if (ts.isPropertyAssignment(node) && keyName(node.name) === 'security') security = node.name;
    else if (isAssignmentTo(node, 'security')) security = (node as ts.BinaryExpression).left;
    else ts.forEachChild(node, visit);
  };
  visit(analysis.sourceFile);
  if (security) return security;
  if (ts.isFunctionDeclaration(statement)) return statement.parameters[0] ?? statement.name ?? statement;
  const value = ts.isExportAssignment(statement)
    ? statement.expression
    : (statement as ts.ExpressionStatement & { expression: ts.BinaryExpression }).expression;
  if (ts.isBinaryExpression(value)) {
    const right = value.right;
    if ((ts.isArrowFunction(right) || ts.isFunctionExpression(right)) && right.parameters[0])
      return right.parameters[0];
    return value.left;
  }
  if ((ts.isArrowFunction(value) || ts.isFunctionExpression(value)) && value.parameters[0])
    return value.parameters[0];
  // Egg 4: `export default defineConfig({ … })` / `defineConfigFactory(appInfo => …)`: the callee.
  if (ts.isCallExpression(value)) return value.expression;
  if (ts.isObjectLiteralExpression(value) && value.properties[0]?.name) return value.properties[0].name;
  return statement;
}

/** Whether the file turns the CSRF check off, or leaves csrf out of `defaultMiddleware`. */
function csrfOff(sourceFile: ts.SourceFile): boolean {
  let off = false;
  const visit = (node: ts.Node): void => {
    if (off) return;
    if (ts.isPropertyAssignment(node)) {
      const key = keyName(node.name);
      if (key === 'csrf' && disables(node.initializer)) off = true;
      else if (key === 'enable' && isFalse(node.initializer) && isCsrfObject(node.parent)) off = true;
      else if (key === 'defaultMiddleware' && omitsCsrf(node.initializer)) off = true;
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = node.left.getText(sourceFile).replace(/\s+/g, '');
      if (/\.csrf$/.test(left) && disables(node.right)) off = true;
      else if (/\.csrf\.enable$/.test(left) && isFalse(node.right)) off = true;
      else if (/\.defaultMiddleware$/.test(left) && omitsCsrf(node.right)) off = true;
    }
    if (!off) ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return off;
}

/** `false`, or `{ enable: false }`. */
function disables(value: ts.Expression): boolean {
  if (isFalse(value)) return true;
  return (
    ts.isObjectLiteralExpression(value) &&
    value.properties.some(
      (p) => ts.isPropertyAssignment(p) && keyName(p.name) === 'enable' && isFalse(p.initializer),
    )
  );
}

/** The object literal is the value of a `csrf` key (`csrf: { enable: false }` seen from `enable`). */
function isCsrfObject(node: ts.Node): boolean {
  const parent = node.parent;
  return ts.isPropertyAssignment(parent) && keyName(parent.name) === 'csrf';
}

/** A `defaultMiddleware` string or array of strings that leaves `csrf` out. */
function omitsCsrf(value: ts.Expression): boolean {
  if (ts.isStringLiteralLike(value)) return !value.text.split(',').some((m) => m.trim() === 'csrf');
  if (ts.isArrayLiteralExpression(value) && value.elements.every(ts.isStringLiteralLike))
    return !value.elements.some((e) => (e as ts.StringLiteralLike).text === 'csrf');
  return false;
}

function isFalse(value: ts.Expression): boolean {
  return value.kind === ts.SyntaxKind.FalseKeyword;
}

function keyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteralLike(name) ? name.text : undefined;
}

/** `config.security = …` / `exports.security = …`. */
function isAssignmentTo(node: ts.Node, key: string): boolean {
  return (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isPropertyAccessExpression(node.left) &&
    node.left.name.text === key
  );
}
