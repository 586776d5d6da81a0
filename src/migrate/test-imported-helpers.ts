import ts from '../typescript.cjs';
import { assertionActual, unitInputIn } from './frameworks/tests/unit-inputs.js';
import type { FileAnalysis } from './analysis.js';
import type { ProjectFile } from './routes/project.js';
import { helperFunction } from './test-assertion-place.js';
import { importedHelperCall, statusParameterIndexes } from './frameworks/tests/helpers.js';
import type { FollowContext } from './test-follow-context.js';
import { addUnreadHelperCall } from './test-matchers.js';
import { lineOf } from './test-nodes.js';

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
    // `expect(statusCodeMessage(403))`: the 403 is the unit's input, no status the helper checks (unit-inputs.ts).
    const actual = assertionActual(call, analysis);
    if (actual && unitInputIn(actual)) continue;
    // What stopped the helper being followed, for the call's reason (test-matchers.ts `addUnreadHelperCall`).
    let unread: string | undefined;
    let followed = false;
    for (const declaration of ctx.project.lookup(file, callee, callee.text)) {
      if (declaration.file === file) {
        // An import the project does not resolve: a package's helper (`@acme/test-kit`).
        const module = analysis.importOf(callee.text)?.module;
        if (module && isImportBinding(declaration.node))
          unread = `imported from '${module}', whose body mtls-fix cannot read`;
        continue;
      }
      if (!ctx.links.isTest(declaration.file.relative)) continue;
      const where = `${declaration.file.relative}:${lineOf(declaration.file.sourceFile, declaration.node)}`;
      const fn = helperFunction(declaration.node);
      const indexes = fn ? statusParameterIndexes(fn) : [];
      if (!indexes.length) {
        unread = fn
          ? `declared at ${where}, which mtls-fix does not see compare that argument with a reply's status`
          : `declared at ${where} as something other than a function mtls-fix can read`;
        continue;
      }
      importedHelperCall(analysis, call, indexes);
      followed = true;
      break;
    }
    if (!followed && unread) addUnreadHelperCall(analysis, call, unread);
  }
}

/** An import specifier, default import, namespace import or `require()` binding: a name another module gives. */
function isImportBinding(node: ts.Node): boolean {
  return (
    ts.isImportSpecifier(node) ||
    ts.isImportClause(node) ||
    ts.isNamespaceImport(node) ||
    ts.isImportEqualsDeclaration(node) ||
    ((ts.isBindingElement(node) || ts.isVariableDeclaration(node)) && requires(node))
  );
}

/** Whether a binding's declaration is `const x = require('m')` / `const { x } = require('m')`. */
function requires(node: ts.BindingElement | ts.VariableDeclaration): boolean {
  let declaration: ts.Node = node;
  while (!ts.isVariableDeclaration(declaration) && declaration.parent) declaration = declaration.parent;
  if (!ts.isVariableDeclaration(declaration)) return false;
  let value = declaration.initializer;
  while (value && (ts.isAwaitExpression(value) || ts.isParenthesizedExpression(value)))
    value = value.expression;
  return Boolean(
    value &&
    ts.isCallExpression(value) &&
    ((ts.isIdentifier(value.expression) && value.expression.text === 'require') ||
      value.expression.kind === ts.SyntaxKind.ImportKeyword),
  );
}
