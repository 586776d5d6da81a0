import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { FEATHERS_ERRORS } from '../status-names.js';
import type { Framework } from './framework.js';
import { renameSite } from './class-rename.js';
import { alternative, checkedSpelling } from './instance-checks.js';
import { coveredCheck } from './covered-checks.js';
import { propertyOf } from './shared.js';
import { skipOuter } from '../analysis/syntax.js';

const MODULES = ['@feathersjs/errors', 'feathers-errors'];

/**
 * FeathersJS errors (https://feathersjs.com/api/errors): `new Forbidden(m)`, `new errors.Forbidden(m)` ->
 * `NotAuthenticated` (401) / `NotFound` (404); `new FeathersError(m, 'Forbidden', 403, 'forbidden')` follows
 * in all three slots; the package's map read by key (`new errors[403](m)`, `errors['Forbidden']`) and
 * `convert({ name: 'Forbidden' })` follow too. `instanceof Forbidden` checks are reported.
 */
export const feathers: Framework = {
  id: 'feathers',
  title: 'FeathersJS (@feathersjs/errors)',
  enablers: ['@feathersjs/errors', '@feathersjs/feathers', 'feathers-errors'],
  kinds: [ts.SyntaxKind.NewExpression, ts.SyntaxKind.CallExpression, ts.SyntaxKind.BinaryExpression],
  visit(node, analysis) {
    if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
      const callee = node.expression;
      if (isForbidden(analysis, callee)) {
        renameSite(analysis, {
          form: node,
          callee,
          to: FEATHERS_ERRORS[analysis.target],
          framework: 'feathers',
          missing: `@feathersjs/errors has no class for ${analysis.target}: throw new FeathersError(message, name, ${analysis.target}, className, data).`,
        });
      } else if (ts.isNewExpression(node) && isFeathers(analysis, callee, 'FeathersError')) {
        generic(analysis, node);
      } else if (ts.isElementAccessExpression(callee) && isErrorsMap(analysis, callee.expression)) {
        byKey(analysis, node, callee);
      } else if (ts.isCallExpression(node) && analysis.resolvesTo(callee, MODULES, 'convert')) {
        converted(analysis, node);
      }
      return;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      hookStatus(analysis, node);
      return;
    }
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword &&
      isForbidden(analysis, node.right)
    ) {
      if (coveredCheck(analysis, node)) return;
      const to = FEATHERS_ERRORS[analysis.target];
      const spelling = checkedSpelling(analysis, node.right, MODULES, 'Forbidden', to);
      analysis.addSite({
        node,
        framework: 'feathers',
        manual: true,
        reason: `An instanceof check on ${spelling.shown}: its throws become ${to ?? `errors answering ${analysis.target}`} on mTLS routes, so decide whether this check should also match ${alternative(analysis, node, spelling) ?? 'them'}.`,
      });
    }
  },
};

/** Names a Feathers hook's context goes by (`async (context) => …`, Feathers 2's `hook`). */
const HOOK_CONTEXTS = /^(?:context|ctx|hook|hookContext)$/;

/**
 * A hook setting the HTTP status (https://feathersjs.com/api/hooks#context-http): `context.http.status = 403`,
 * `context.http = { status: 403 }` (Feathers 5), `context.statusCode = 403` (Feathers 4 and before). The
 * receiver is a hook context by name, or a parameter typed `HookContext`. Session 35: each was an unknown shape.
 */
function hookStatus(analysis: FileAnalysis, node: ts.BinaryExpression): void {
  const left = skipOuter(node.left);
  if (!ts.isPropertyAccessExpression(left)) return;
  const owner = skipOuter(left.expression);
  const field = left.name.text;
  if (field === 'status' && ts.isPropertyAccessExpression(owner) && owner.name.text === 'http') {
    if (isHookContext(owner.expression)) analysis.statusSlot(node.right, node, 'feathers');
  } else if (field === 'statusCode' && isHookContext(owner)) {
    analysis.statusSlot(node.right, node, 'feathers');
  } else if (field === 'http' && isHookContext(owner)) {
    const object = skipOuter(node.right);
    if (!ts.isObjectLiteralExpression(object)) return;
    for (const property of object.properties)
      if (ts.isPropertyAssignment(property) && propertyName(property) === 'status')
        analysis.statusSlot(property.initializer, node, 'feathers');
  }
}

function propertyName(property: ts.PropertyAssignment): string | undefined {
  return ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : undefined;
}

/** `context` (by name), or an identifier whose declared type names `HookContext`. */
function isHookContext(expression: ts.Expression): boolean {
  const node = skipOuter(expression);
  if (!ts.isIdentifier(node)) return false;
  if (HOOK_CONTEXTS.test(node.text)) return true;
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    if (!ts.isFunctionLike(scope)) continue;
    const parameter = scope.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === node.text);
    if (parameter) return parameter.type !== undefined && /\bHookContext\b/.test(parameter.type.getText());
  }
  return false;
}

function isForbidden(analysis: FileAnalysis, expression: ts.Expression): boolean {
  return isFeathers(analysis, expression, 'Forbidden');
}

/** `Name` imported from @feathersjs/errors, `ns.Name`, or `errors.Name` where `errors` is the package's map. */
function isFeathers(analysis: FileAnalysis, expression: ts.Expression, name: string): boolean {
  if (analysis.resolvesTo(expression, MODULES, name)) return true;
  if (!ts.isPropertyAccessExpression(expression) || expression.name.text !== name) return false;
  return isErrorsMap(analysis, expression.expression);
}

/** The package's `errors` map (`import { errors } from '@feathersjs/errors'`, or a require of it). */
function isErrorsMap(analysis: FileAnalysis, expression: ts.Expression): boolean {
  const owner = skipOuter(expression);
  if (!ts.isIdentifier(owner)) return false;
  const binding = analysis.importOf(owner.text);
  return Boolean(binding && MODULES.includes(binding.module) && binding.name === 'errors');
}

/**
 * `new errors[403](m)`, `new errors['Forbidden'](m)`: the package's `errors` map holds each class under its name
 * and its status (@feathersjs/errors src/index.ts, `export const errors = { …, Forbidden, …, 403: Forbidden }`),
 * so a 403 key is a status slot (`errors[401]` is NotAuthenticated) and a 'Forbidden' key is renamed as the class
 * is. A key the target has no class under is named.
 */
function byKey(analysis: FileAnalysis, node: ts.Node, access: ts.ElementAccessExpression): void {
  const key = skipOuter(access.argumentExpression);
  const to = FEATHERS_ERRORS[analysis.target];
  if (ts.isStringLiteral(key) && key.text === 'Forbidden') {
    if (to) analysis.addSite({ node, framework: 'feathers', edits: [analysis.phraseEdit(key, to)] });
    else analysis.addSite({ node, framework: 'feathers', manual: true, reason: missing(analysis) });
    return;
  }
  if (!to) {
    if (analysis.forbiddenEdits(key))
      analysis.addSite({ node, framework: 'feathers', manual: true, reason: missing(analysis) });
    return;
  }
  analysis.statusSlot(key, node, 'feathers');
}

/**
 * `convert({ name: 'Forbidden', message })`: @feathersjs/errors' convert makes the error of the class its `name`
 * holds (`errors[error.name]`) and copies the object's keys onto it, so a 'Forbidden' name is renamed as the class
 * is and a `code: 403` beside it is a status slot. A name convert reads at run time is left to the object's source.
 */
function converted(analysis: FileAnalysis, call: ts.CallExpression): void {
  const object = call.arguments[0] ? skipOuter(call.arguments[0]) : undefined;
  if (!object || !ts.isObjectLiteralExpression(object)) return;
  const name = propertyOf(object, 'name')?.initializer;
  const code = propertyOf(object, 'code')?.initializer;
  if (
    name &&
    ts.isStringLiteral(skipOuter(name)) &&
    (skipOuter(name) as ts.StringLiteral).text === 'Forbidden'
  ) {
    const to = FEATHERS_ERRORS[analysis.target];
    if (!to) {
      analysis.addSite({ node: call, framework: 'feathers', manual: true, reason: missing(analysis) });
      return;
    }
    const edits = [analysis.phraseEdit(skipOuter(name), to)];
    const codeEdits = code ? analysis.forbiddenEdits(code) : undefined;
    analysis.addSite({ node: call, framework: 'feathers', edits: [...edits, ...(codeEdits ?? [])] });
    return;
  }
  if (code) analysis.statusSlot(code, call, 'feathers');
}

function missing(analysis: FileAnalysis): string {
  return `@feathersjs/errors has no class for ${analysis.target}: throw new FeathersError(message, name, ${analysis.target}, className, data).`;
}

/** `new FeathersError(message, 'Forbidden', 403, 'forbidden', data)`: the code, name and className follow. */
function generic(analysis: FileAnalysis, node: ts.NewExpression): void {
  const [, name, code, className] = node.arguments ?? [];
  const target = FEATHERS_ERRORS[analysis.target];
  analysis.statusSlot(code, node, 'feathers', () => {
    if (!target) return {};
    const kebab = target.replace(/[A-Z]/g, (c, i: number) => (i ? '-' : '') + c.toLowerCase());
    const edits = [];
    if (name && ts.isStringLiteral(name) && name.text === 'Forbidden')
      edits.push(analysis.phraseEdit(name, target));
    if (className && ts.isStringLiteral(className) && className.text === 'forbidden')
      edits.push(analysis.phraseEdit(className, kebab));
    return { edits };
  });
}
