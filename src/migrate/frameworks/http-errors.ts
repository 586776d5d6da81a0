import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { staticMember } from '../analysis/syntax.js';
import { ERROR_CLASS_NAMES } from '../status-names.js';
import type { Edit } from '../types.js';
import type { Framework } from './framework.js';
import { challengeHeaders, type ChallengePlan } from './challenge-headers.js';
import { challenge, challengeNote, quoted, renameMember } from './shared.js';
import { alternative, checkedSpelling } from './instance-checks.js';
import { coveredCheck } from './covered-checks.js';
import { runTimeFactory } from './run-time-factories.js';

const MODULES = ['http-errors', 'createerror'];

/** http-errors (and LoopBack's `HttpErrors` re-export, middy's `createError`): `createError(403, m)`, `createError.Forbidden`, `createError[403]`; `instanceof` checks are reported. */
export const httpErrors: Framework = {
  id: 'http-errors',
  title: 'http-errors',
  enablers: [],
  kinds: [
    ts.SyntaxKind.CallExpression,
    ts.SyntaxKind.PropertyAccessExpression,
    ts.SyntaxKind.ElementAccessExpression,
  ],
  visit(node, analysis) {
    if (ts.isCallExpression(node) && isCreateError(analysis, node.expression)) {
      if (node.arguments.length)
        analysis.statusSlot(node.arguments[0], node, 'http-errors', () => props(analysis, node));
      return;
    }
    if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === 'HttpError' &&
      isCreateError(analysis, node.expression)
    ) {
      abstractHttpError(analysis, node);
    } else if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === 'Forbidden' &&
      isCreateError(analysis, node.expression)
    ) {
      httpErrorsMember(analysis, node);
    } else if (ts.isElementAccessExpression(node) && isCreateError(analysis, node.expression)) {
      // `createError[403]`, `createError['403']`; `createError['Forbidden']`, `createError[K]` with a fixed
      // `K = 'Forbidden'` (session 37: the named forms were "not an emit (string)").
      const key = staticMember(node)?.name ?? analysis.constantKey(node);
      if (analysis.forbiddenEdits(node.argumentExpression) || key === 'Forbidden')
        httpErrorsMember(analysis, node);
      else if (
        !key &&
        (ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent)) &&
        node.parent.expression === node
      )
        // `new createError[name]()`: the class the key names at run time (session 39).
        runTimeFactory(analysis, node.parent, {
          library: 'createError',
          member: 'Forbidden',
          framework: 'http-errors',
        });
    }
  },
};

/**
 * Whether `expression` is http-errors' `createError` (its default or namespace import; LoopBack's `HttpErrors`, middy's
 * `createError`), the callee of `createError(403)` and the owner of `createError.Forbidden`.
 */
export function isCreateError(analysis: FileAnalysis, expression: ts.Expression): boolean {
  if (!ts.isIdentifier(expression)) return false;
  // Through project modules that only re-export it (`export { default as createError } from 'http-errors'`,
  // `export * from 'http-errors'`, `module.exports = require('http-errors')`): session 35, an unknown shape.
  const binding = analysis.packageOf(expression.text) ?? analysis.importOf(expression.text);
  if (binding?.module === '@loopback/rest' && binding.name === 'HttpErrors') return true;
  // middy's `createError(status, message, properties)` (@middy/util) is http-errors' call, for its error handler.
  if (binding?.module === '@middy/util' && binding.name === 'createError') return true;
  return Boolean(
    binding && MODULES.includes(binding.module) && (binding.name === 'default' || binding.name === '*'),
  );
}

/**
 * `new createError.HttpError(403, m)` (also LoopBack's `new HttpErrors.HttpError(403)`): http-errors' `HttpError`
 * is an abstract base class whose constructor always throws `TypeError('cannot construct abstract class')`
 * (http-errors index.js `createHttpErrorConstructor`, every release since 1.3), so the call answers 500, never the
 * status it is given. A 403 written there is reported with that reason rather than as an unknown shape; a status
 * held in a name (`new HttpErrors.HttpError(code)`) is no 403 either way and is not reported (checked in session 30).
 */
export function abstractHttpError(
  analysis: FileAnalysis,
  node: ts.PropertyAccessExpression,
  framework = 'http-errors',
): void {
  const parent = node.parent;
  if (!(ts.isNewExpression(parent) || ts.isCallExpression(parent)) || parent.expression !== node) return;
  const status = (parent.arguments ?? []).find((a) => analysis.forbiddenEdits(a));
  if (!status) return;
  const owner = node.expression.getText(analysis.sourceFile);
  analysis.addSite({
    node: parent,
    framework,
    manual: true,
    at: status,
    reason: `${owner}.HttpError is http-errors' abstract base class: constructing it throws a TypeError ('cannot construct abstract class'), answered 500, not 403. To answer a status, write ${owner}(${analysis.target}, message)${ERROR_CLASS_NAMES[analysis.target] ? ` (or ${owner}.${ERROR_CLASS_NAMES[analysis.target]})` : ''}; if the 500 is meant, mark this line // mtls-fix-ignore: <why>.`,
  });
}

/**
 * `createError.Forbidden` -> `createError.Unauthorized`; `createError[403]` -> `createError[401]` (also LoopBack's
 * `HttpErrors`, which is http-errors under another name).
 */
export function httpErrorsMember(
  analysis: FileAnalysis,
  node: ts.PropertyAccessExpression | ts.ElementAccessExpression,
  framework = 'http-errors',
): void {
  const parent = node.parent;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword) {
    if (coveredCheck(analysis, parent)) return;
    const to = ERROR_CLASS_NAMES[analysis.target];
    const spelling = checkedSpelling(analysis, node, MODULES, 'Forbidden', to);
    const also = alternative(analysis, parent, spelling);
    analysis.addSite({
      node: parent,
      framework,
      manual: true,
      reason: `An instanceof check on ${spelling.shown}, the 403 error class: its throws become ${to ?? `errors answering ${analysis.target}`} on mTLS routes, so decide whether this check should also match ${also ?? 'them'}.`,
    });
    return;
  }
  const target = analysis.target;
  const name = ERROR_CLASS_NAMES[target];
  if (!name) {
    callForm(analysis, node, framework);
    return;
  }
  let edits: Edit[];
  if (ts.isPropertyAccessExpression(node)) {
    edits = [analysis.replace(node.name, name)];
  } else {
    edits = analysis.forbiddenEdits(node.argumentExpression) ?? [renameMember(analysis, node, name)];
  }
  const form =
    (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === node ? parent : node;
  const scheme = challenge(analysis);
  if (scheme && form !== node && !/www-authenticate/i.test(form.getText(analysis.sourceFile))) {
    // A named constructor takes a message only: `createError(401, message, { headers })` builds the same class.
    const call = form as ts.CallExpression | ts.NewExpression;
    const args = call.arguments ?? ts.factory.createNodeArray<ts.Expression>();
    if (!args.some((a) => ts.isObjectLiteralExpression(a)) && args.length <= 1) {
      const owner = node.expression.getText(analysis.sourceFile);
      const message = args.length ? `${args[0].getText(analysis.sourceFile)}, ` : '';
      const header = `{ headers: { ${quoted(analysis, 'WWW-Authenticate')}: ${quoted(analysis, scheme)} } }`;
      edits = [analysis.replace(call, `${owner}(${target}, ${message}${header})`)];
    } else {
      analysis.addSite({ node: form, framework, edits, reason: challengeNote(analysis) });
      return;
    }
  }
  analysis.addSite({ node: form, framework, edits });
}

/**
 * The 403 member for an agreed status http-errors has no constructor for (it has one for each 4xx/5xx code of the
 * `statuses` package only: 419, 420, 427, 430, 432-450, 452-499 have none, index.js `populateConstructorMap`):
 * `new createError.Forbidden(m)` / `createError[403](m)` become the call form every version takes for any 4xx/5xx,
 * `createError(499, m)`; a member used otherwise (passed as a class, more than a message given) is a manual site.
 * Before session 39 it became `createError[499]`, undefined, a TypeError answered 500.
 */
function callForm(
  analysis: FileAnalysis,
  node: ts.PropertyAccessExpression | ts.ElementAccessExpression,
  framework: string,
): void {
  const target = analysis.target;
  const owner = node.expression.getText(analysis.sourceFile);
  const parent = node.parent;
  const call =
    (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === node
      ? parent
      : undefined;
  const args = call?.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  // `import * as errors from 'http-errors'`: a namespace object, not the function (TS2349; a TypeError under
  // esModuleInterop), so `errors(499, m)` is no rewrite to make.
  const namespace =
    ts.isIdentifier(node.expression) && isNamespaceImport(analysis.sourceFile, node.expression.text);
  if (!call || namespace || args.length > 1 || args.some((a) => ts.isSpreadElement(a))) {
    analysis.addSite({
      node: call ?? node,
      framework,
      manual: true,
      reason: namespace
        ? `http-errors has no constructor for ${target} (${owner}[${target}] is undefined), and ${owner} is a namespace import, which cannot be called: import the function (import createError from 'http-errors') and write createError(${target}, message) where the error is made.`
        : `http-errors has no constructor for ${target} (${owner}[${target}] is undefined): write ${owner}(${target}, message) where the error is made.`,
    });
    return;
  }
  // No challenge header here: --www-authenticate applies to 401 only, which has a constructor.
  const message = args.length ? `, ${args[0].getText(analysis.sourceFile)}` : '';
  analysis.addSite({
    node: call,
    framework,
    edits: [analysis.replace(call, `${owner}(${target}${message})`)],
  });
}

/** Whether the file binds `name` with a top-level `import * as name from …`. */
function isNamespaceImport(sourceFile: ts.SourceFile, name: string): boolean {
  return sourceFile.statements.some((statement) => {
    const bindings = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined;
    return bindings !== undefined && ts.isNamespaceImport(bindings) && bindings.name.text === name;
  });
}

/** `createError(401, msg)` gets `{ headers: { 'WWW-Authenticate': scheme } }`: finalhandler and Koa copy err.headers. */
function props(analysis: FileAnalysis, call: ts.CallExpression): ChallengePlan {
  const scheme = challenge(analysis);
  if (!scheme || /www-authenticate/i.test(call.getText(analysis.sourceFile))) return {};
  const props = call.arguments.find((a) => ts.isObjectLiteralExpression(a));
  if (props && ts.isObjectLiteralExpression(props))
    return challengeHeaders(analysis, props, scheme, 'record');
  if (call.arguments.length > 2) return {};
  const end = call.arguments[call.arguments.length - 1].getEnd();
  return {
    edits: [
      {
        start: end,
        end,
        text: `, { headers: { ${quoted(analysis, 'WWW-Authenticate')}: ${quoted(analysis, scheme)} } }`,
      },
    ],
  };
}
