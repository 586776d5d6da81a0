import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import type { Framework } from './framework.js';
import { messageEdits } from './class-rename.js';
import { statusProperty } from './shared.js';

/** Where h3's helpers are imported from when they are imported at all (Nuxt and Nitro re-export them). */
const H3 = ['h3', 'nitropack', 'nitropack/runtime', 'nuxt', 'nuxt/app', '#imports', '#app'];
/**
 * Nitro's and Nuxt's auto-imported definitions: a file that calls one unimported is a Nitro/Nuxt server file, or
 * Nuxt app code that runs on the server too.
 */
const HANDLER_DEFINITIONS = new Set([
  'defineEventHandler',
  'eventHandler',
  'defineCachedEventHandler',
  'defineNitroPlugin',
  'defineWebSocketHandler',
  // Nuxt app code (route middleware, plugins): `createError`, `showError` and `abortNavigation` are Nuxt's
  // auto-imports there, and an error they raise while the server renders sets the page response's status.
  // Source: https://nuxt.com/docs/api/utils/create-error, https://nuxt.com/docs/api/utils/abort-navigation.
  'defineNuxtRouteMiddleware',
  'defineNuxtPlugin',
]);

/**
 * Nuxt, Nitro and h3 (https://h3.dev, https://nuxt.com/docs/guide/directory-structure/server):
 * `createError({ statusCode: 403, statusMessage: 'Forbidden' })` (also thrown or passed to `sendError`, or in
 * Nuxt route middleware and plugins to `abortNavigation`; Nuxt's `showError({ statusCode: 403 })` and
 * `abortNavigation({ statusCode: 403 })` alike),
 * `setResponseStatus(event, 403, 'Forbidden')`, `sendNoContent(event, 403)`, and h3 2's `new HTTPError({ status: 403 })` /
 * `HTTPError.status(403, m)`. Nuxt and Nitro auto-import these in `server/`: an unimported call counts there
 * (or in a file that calls an unimported `defineEventHandler`), never elsewhere. The message follows.
 */
export const h3: Framework = {
  id: 'h3',
  title: 'Nuxt / Nitro / h3 (createError, setResponseStatus, sendNoContent)',
  enablers: ['nuxt', 'nitropack', 'h3'],
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression],
  visit(node, analysis) {
    if (
      ts.isCallExpression(node) &&
      ['createError', 'showError', 'abortNavigation'].some((name) => isH3(analysis, node.expression, name))
    ) {
      errorInput(analysis, node, node.arguments[0]);
    } else if (ts.isNewExpression(node) && isH3(analysis, node.expression, 'HTTPError')) {
      errorInput(analysis, node, node.arguments?.[0]);
    } else if (ts.isCallExpression(node) && isH3(analysis, node.expression, 'sendNoContent')) {
      // `sendNoContent(event, 403)`: the status of the empty response.
      analysis.statusSlot(node.arguments[1], node, 'h3');
    } else if (ts.isCallExpression(node) && isH3(analysis, node.expression, 'setResponseStatus')) {
      analysis.statusSlot(node.arguments[1], node, 'h3', () => ({
        edits: messageEdits(analysis, node.arguments[2]),
      }));
    } else if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'status' &&
      isH3(analysis, node.expression.expression, 'HTTPError')
    ) {
      analysis.statusSlot(node.arguments[0], node, 'h3', () => ({
        edits: messageEdits(analysis, node.arguments[1]),
      }));
    }
  },
};

/** `createError({ statusCode | status, statusMessage | statusText, message })`. */
function errorInput(analysis: FileAnalysis, form: ts.Node, input: ts.Expression | undefined): void {
  if (!input || !ts.isObjectLiteralExpression(input)) return;
  // `{ statusCode }` shorthand too: a helper `error(statusCode, m)` building the error is a status helper.
  const status = statusProperty(input, 'statusCode') ?? statusProperty(input, 'status');
  if (status) analysis.statusSlot(status.value, form, 'h3', () => ({ edits: messageEdits(analysis, input) }));
}

/** `name` imported from h3/Nitro/Nuxt, `h3.name`, or the auto-imported global in a Nitro/Nuxt server file. */
function isH3(analysis: FileAnalysis, expression: ts.Expression, name: string): boolean {
  if (analysis.resolvesTo(expression, H3, name)) return true;
  if (!ts.isIdentifier(expression) || expression.text !== name || analysis.imports.has(name)) return false;
  return autoImports(analysis) && !declaredAtTop(analysis.sourceFile, name);
}

const autoImportCache = new WeakMap<FileAnalysis, boolean>();

/** Whether the file is a Nitro/Nuxt server file: under `server/`, or defining an unimported event handler. */
export function autoImports(analysis: FileAnalysis): boolean {
  let result = autoImportCache.get(analysis);
  if (result === undefined) {
    result = /(^|\/)server\//.test(analysis.file) || callsUnimportedHandler(analysis);
    autoImportCache.set(analysis, result);
  }
  return result;
}

function callsUnimportedHandler(analysis: FileAnalysis): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      HANDLER_DEFINITIONS.has(node.expression.text) &&
      !analysis.imports.has(node.expression.text)
    ) {
      found = true;
      return;
    }
    node.forEachChild(visit);
  };
  visit(analysis.sourceFile);
  return found;
}

function declaredAtTop(sourceFile: ts.SourceFile, name: string): boolean {
  return sourceFile.statements.some(
    (s) =>
      ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.text === name) ||
      (ts.isVariableStatement(s) &&
        s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)),
  );
}
