import { existsSync } from 'node:fs';
import path from 'node:path';
import ts from '../../typescript.cjs';
import { runCache } from '../../util/run-caches.js';
import type { FileAnalysis } from '../analysis.js';
import { staticMember } from '../analysis/syntax.js';
import { camelErrorName } from '../status-names.js';
import type { Framework } from './framework.js';
import { methodCall, propertyOf } from './shared.js';

/** Sails' built-in custom responses by status (https://sailsjs.com/documentation/reference/response-res). */
const BUILT_IN: Readonly<Record<number, string>> = { 400: 'badRequest', 403: 'forbidden', 404: 'notFound' };

/**
 * Sails: `res.forbidden()` (also `this.res` in actions2), actions2's `this.res.status(403)` / `sendStatus`, and
 * actions2 exits `{ responseType: 'forbidden' }`.
 * Sails has a built-in `res.notFound()` and `res.badRequest()` but no `res.unauthorized()`: for 404 the call
 * is rewritten, for any other target the site is reported with the custom response to add, or, where the app has
 * its own (`api/responses/unauthorized.js`), with that one to call. A custom response
 * file (`api/responses/forbidden.js`) that sets 403 is shared by every caller: reported, never rewritten. CSRF
 * turned on (`security: { csrf: true }`, a route's `csrf: true`) is an `Implicit 403` site.
 */
export const sails: Framework = {
  id: 'sails',
  title: 'Sails (res.forbidden, responseType)',
  enablers: ['sails'],
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.PropertyAssignment],
  visit(node, analysis) {
    const call = methodCall(node);
    if (call && RESPONSE_FILE.test(analysis.file) && STATUS_METHODS.has(call.method)) {
      if (analysis.forbiddenEdits(call.args[0] ?? call.call)) {
        const sibling = ownResponseOf(analysis);
        analysis.addSite({
          node: call.call,
          framework: 'sails',
          manual: true,
          reason: `A Sails custom response (${analysis.file}): every res.${responseName(analysis.file)}() and responseType '${responseName(analysis.file)}' in the app answers this status. ${sibling ? `Use the app's own ${sibling.file} (res.${sibling.name}()) on mTLS routes` : `Add a sibling response for ${analysis.target} and use it on mTLS routes`}, rather than changing this shared one.`,
        });
      }
      return;
    }
    if (call && STATUS_METHODS.has(call.method) && isThisRes(call.object)) {
      // actions2's `this.res.status(c)` / `this.res.sendStatus(c)`: the Express response under `this` (the Express
      // module reads `res`, not `this.res`): a 403 is rewritten, a status held in a name reported (session 30).
      analysis.statusSlot(call.args[0], call.call, 'sails');
      return;
    }
    if (call?.method === 'forbidden' && isRes(call.object)) {
      const name = staticMember(call.call.expression)?.nameNode;
      if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name))) site(analysis, call.call, name);
      return;
    }
    if (ts.isPropertyAssignment(node) && csrfOn(node)) {
      analysis.addSite({
        node,
        framework: 'sails',
        manual: true,
        reason: `Implicit 403: with CSRF on, Sails answers res.forbidden('CSRF mismatch') (403) to a POST, PUT, PATCH or DELETE of a session without a valid token. On mTLS routes exempt them (csrf: false on the route in config/routes.js), or give api/responses/forbidden.js a ${analysis.target} for that message.`,
      });
      return;
    }
    if (ts.isPropertyAssignment(node) && isExitStatusCode(node)) {
      analysis.statusSlot(node.initializer, node, 'sails');
      return;
    }
    if (
      ts.isPropertyAssignment(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === 'responseType' &&
      ts.isStringLiteral(node.initializer) &&
      node.initializer.text === 'forbidden' &&
      propertyOf(node.parent, 'responseType') === node
    ) {
      site(analysis, node, node.initializer);
    }
  },
};

/**
 * `statusCode` of an actions2 exit: `exits: { denied: { statusCode: 403 } }`, the status Sails answers when the
 * action takes that exit (`throw 'denied'`, `exits.denied()`). Breaker44: it was a shape mtls-fix did not know.
 * Source: Sails docs, "Actions and controllers" (actions2 exits: `responseType`, `statusCode`).
 */
function isExitStatusCode(node: ts.PropertyAssignment): boolean {
  if (!ts.isIdentifier(node.name) || node.name.text !== 'statusCode') return false;
  const exit = node.parent.parent;
  if (!ts.isPropertyAssignment(exit) || exit.initializer !== node.parent) return false;
  const exits = exit.parent.parent;
  return (
    ts.isPropertyAssignment(exits) &&
    exits.initializer === exit.parent &&
    (ts.isIdentifier(exits.name) || ts.isStringLiteral(exits.name)) &&
    exits.name.text === 'exits'
  );
}

/**
 * `csrf: true` in Sails' security config (`module.exports.security = { csrf: true }` in config/security.js, or a
 * `security: { csrf: true }` key): the security hook then runs csurf on every request with a session and answers
 * `res.forbidden('CSRF mismatch')` (lib/hooks/security/csrf/index.js). Off by default; a route's own `csrf: true`
 * (config/routes.js) turns it on for that route.
 */
function csrfOn(node: ts.PropertyAssignment): boolean {
  if (!ts.isIdentifier(node.name) || node.name.text !== 'csrf') return false;
  if (node.initializer.kind !== ts.SyntaxKind.TrueKeyword) return false;
  const holder = node.parent.parent;
  if (ts.isPropertyAssignment(holder)) {
    const key = ts.isIdentifier(holder.name) || ts.isStringLiteral(holder.name) ? holder.name.text : '';
    // `security: { csrf: true }`, or a route `'POST /x': { action, csrf: true }`.
    return key === 'security' || /^(?:post|put|patch|delete|all)?\s*\//i.test(key);
  }
  if (ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    return /(?:^|\.)security$/.test(holder.left.getText());
  return false;
}

/** Sails' custom responses: `api/responses/<name>.js`, loaded as `res.<name>()`. */
const RESPONSE_FILE = /(^|\/)api\/responses\/[^/]+\.[cm]?[jt]s$/;
const STATUS_METHODS = new Set(['status', 'sendStatus']);

function responseName(file: string): string {
  return /([^/]+)\.[cm]?[jt]s$/.exec(file)?.[1] ?? 'forbidden';
}

/** `res` or `this.res`. */
function isRes(object: ts.Expression): boolean {
  if (ts.isIdentifier(object)) return object.text === 'res';
  return isThisRes(object);
}

/** `this.res`: the response of an actions2 action (or of a custom response, which RESPONSE_FILE reads first). */
function isThisRes(object: ts.Expression): boolean {
  return (
    ts.isPropertyAccessExpression(object) &&
    object.name.text === 'res' &&
    object.expression.kind === ts.SyntaxKind.ThisKeyword
  );
}

function site(analysis: FileAnalysis, form: ts.Node, name: ts.Identifier | ts.StringLiteral): void {
  const target = analysis.target;
  const builtIn = BUILT_IN[target];
  if (builtIn) {
    const edit = ts.isIdentifier(name) ? analysis.replace(name, builtIn) : analysis.phraseEdit(name, builtIn);
    analysis.addSite({ node: form, framework: 'sails', edits: [edit] });
    return;
  }
  const custom = camelErrorName(target) ?? `status${target}`;
  const own = ownResponseOf(analysis);
  analysis.addSite({
    node: form,
    framework: 'sails',
    manual: true,
    reason: own
      ? `Sails has no built-in response for ${target}, but this app has its own (${own.file}): on mTLS routes call res.${custom}() here (responseType: '${custom}' in actions2 exits), after checking that it answers ${target} to these requests too (an app's own response may redirect a browser to a login page instead).`
      : `Sails has no built-in response for ${target}: add api/responses/${custom}.js (module.exports = function ${custom}(data) { return this.res.status(${target}).send(data); }) and call res.${custom}() here (responseType: '${custom}' in actions2 exits).`,
  });
}

/** The app's own custom response for the agreed status (`unauthorized` for 401), as the report names it. */
function ownResponseOf(analysis: FileAnalysis): { name: string; file: string } | undefined {
  const name = camelErrorName(analysis.target) ?? `status${analysis.target}`;
  const absolute = analysis.options.link?.absolute;
  const found = absolute ? ownResponse(path.dirname(absolute), name) : undefined;
  if (!found) return undefined;
  return { name, file: analysis.options.link?.relative?.(found) ?? `api/responses/${path.basename(found)}` };
}

const RESPONSE_EXTENSIONS = ['.js', '.ts', '.cjs', '.mjs'];
const ownResponses = runCache<string, string | null>();

/**
 * The app's own custom response `api/responses/<name>.<js|ts|cjs|mjs>` (absolute path) in `folder` or a folder
 * above it, up to the repository root (the first folder holding `.git`) or the file system root; undefined when
 * there is none. Breaker50: two of three Sails apps tried (yardk-sails, sailsjs-api-boilerplate) had
 * `api/responses/unauthorized.js`, and every `res.forbidden()` was told to add one. Cached per folder for the run.
 */
function ownResponse(folder: string, name: string): string | undefined {
  const key = `${folder}\0${name}`;
  const cached = ownResponses.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const here = RESPONSE_EXTENSIONS.map((ext) => path.join(folder, 'api', 'responses', name + ext)).find(
    (file) => existsSync(file),
  );
  const parent = path.dirname(folder);
  const found =
    here ??
    (parent === folder || existsSync(path.join(folder, '.git')) ? undefined : ownResponse(parent, name));
  ownResponses.set(key, found ?? null);
  return found;
}
