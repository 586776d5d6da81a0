import ts from '../../typescript.cjs';
import type { Site } from '../types.js';
import { skipOuter } from './syntax.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/** Keys an error carries its HTTP status under (Express/Koa/http-errors, Fastify, tus, many projects). */
const ERROR_STATUS_KEYS = new Set(['status', 'statusCode', 'status_code', 'httpStatus', 'httpStatusCode']);

/** Names a handler gives the error it handles (`onError(({ error }) => …)`, `(err, req, res, next)`, `catch (e)`). */
const ERROR_NAMES = /^(?:e|err|error|ex|exc|exception|cause|httpError|httpErr)$/i;

/**
 * The status read of the error a handler handles, when a status slot sends it: `error.status` of Elysia's
 * `onError(({ error, set }) => { set.status = error.status })`, `error.statusCode` of Fastify's
 * `setErrorHandler((error, req, reply) => …)`, `(err as any).status` of Hono's `onError`, `e.status || 500` in a
 * Koa `catch (e)`. The error is a `catch` variable, or a parameter (or a key destructured from one) named as an
 * error; the fallback of `a || b` / `a ?? b` is its left side. Undefined for any other value.
 *
 * @returns the read as written (`error.status`), for a reason.
 */
export function errorStatusRelay(expression: ts.Expression): string | undefined {
  let node = skipOuter(expression);
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
      node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
  )
    node = skipOuter(node.left);
  if (ts.isIdentifier(node)) return caughtStatus(node);
  const key = ts.isPropertyAccessExpression(node)
    ? node.name.text
    : ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)
      ? node.argumentExpression.text
      : undefined;
  if (key === undefined || !ERROR_STATUS_KEYS.has(key)) return undefined;
  const owner = skipOuter((node as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression);
  if (!ts.isIdentifier(owner) || !ERROR_NAMES.test(owner.text) || !boundAsError(owner)) return undefined;
  return node.getText();
}

/**
 * Whether a parameter `name` (read at key `property`) of `fn` is the error a callback handed to a framework or a
 * library handles (`catchError((err) => …)`, `onError(({ error }) => …)`): a status key of a parameter named as an
 * error, of a function passed as an argument. Its status is the error's, chosen by no project call.
 */
export function isHandledErrorParameter(fn: ts.Node, name: string, property: string | undefined): boolean {
  return (
    property !== undefined &&
    ERROR_STATUS_KEYS.has(property) &&
    ERROR_NAMES.test(name) &&
    (ts.isCallExpression(fn.parent) || ts.isNewExpression(fn.parent))
  );
}

/**
 * `status` of `catch ({ status = 500, message }) { ctx.status = status }` (a Koa error middleware, alabd8/itutor's
 * handlers/error.js; session 34): a status key destructured from the caught error. Undefined when the nearest
 * binding of the name is anything else (a parameter, another key, a catch variable bound whole).
 */
function caughtStatus(name: ts.Identifier): string | undefined {
  for (let at: ts.Node | undefined = name.parent; at; at = at.parent) {
    if (ts.isCatchClause(at) && at.variableDeclaration) {
      const pattern = at.variableDeclaration.name;
      if (!ts.isObjectBindingPattern(pattern)) return undefined;
      const element = pattern.elements.find((e) => ts.isIdentifier(e.name) && e.name.text === name.text);
      if (!element) {
        if (binds(pattern, name.text)) return undefined;
        continue;
      }
      const property = element.propertyName;
      const key =
        property === undefined
          ? name.text
          : ts.isIdentifier(property) || ts.isStringLiteral(property)
            ? property.text
            : undefined;
      return key !== undefined && ERROR_STATUS_KEYS.has(key) ? `${key} of the caught error` : undefined;
    }
    if (ts.isFunctionLike(at) && at.parameters.some((p) => binds(p.name, name.text))) return undefined;
    if (ts.isSourceFile(at)) return undefined;
  }
  return undefined;
}

/** Whether the nearest binding of an identifier is a `catch` variable or a parameter (or a key of one). */
function boundAsError(name: ts.Identifier): boolean {
  for (let at: ts.Node | undefined = name.parent; at; at = at.parent) {
    if (ts.isCatchClause(at) && at.variableDeclaration && binds(at.variableDeclaration.name, name.text))
      return true;
    if (ts.isFunctionLike(at) && at.parameters.some((p) => binds(p.name, name.text))) return true;
    if (ts.isSourceFile(at)) return false;
  }
  return false;
}

function binds(binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((e) => !ts.isOmittedExpression(e) && binds(e.name, name));
}

/** How an error relay's reason begins ({@link errorRelayReason}; {@link isErrorRelay} reads it). */
const RELAY = 'Dynamic status: it sends the status of the error it handles (';

/** The reason for a status slot that relays a handled error's status (`read` as {@link errorStatusRelay} gives it). */
export function errorRelayReason(read: string, target: number): string {
  return `${RELAY}${read}), so every error that carries 403 (an error class, err.status = 403, a package's 403 error) answers 403 here. Those made in the project are reported where they are made; map 403 to ${target} here (${read} === 403 ? ${target} : ${read}) to cover the others (packages, upstreams).`;
}

/**
 * Whether a site is an error relay ({@link errorRelayReason}): it sends the 403 of an error made elsewhere, so a
 * test reaching it follows the sites that make the errors (reported where they are made), not the relay, as it
 * follows a shared helper's callers rather than the helper.
 */
export function isErrorRelay(site: { kind: string; reason?: string | null }): boolean {
  return site.kind === 'manual' && (site.reason?.startsWith(RELAY) ?? false);
}

/** A custom error class's own site (frameworks/error-classes.ts `report`): its name is the reason's. */
const ERROR_CLASS_REASON = /^Custom error class ([\w$]+) answers 403 /;

/** The most error classes a relay's reason lists; the others are counted. */
const LISTED_CLASSES = 6;

/**
 * Names, in the reason of each status slot that relays a handled error's status ({@link isErrorRelay}), the
 * project's error classes that carry 403 (the error-classes module's definitions, `AccessError
 * (src/errors.ts:4)`), so that a user knows which throws reach it as a 403 (session 32: the reason said only
 * "those made in the project are reported where they are made"). `files` are the run's server files, each with
 * its sites and the text they are in; mutates the relays' `reason`. Nothing changes when no class carries 403.
 */
export function nameRelayedErrorClasses(
  files: Iterable<{ sites: readonly Site[]; sourceFile: ts.SourceFile }>,
): void {
  const classes: string[] = [];
  const relays: Site[] = [];
  for (const { sites, sourceFile } of files)
    for (const site of sites) {
      if (isErrorRelay(site)) relays.push(site);
      const name =
        site.framework === 'error-classes' ? ERROR_CLASS_REASON.exec(site.reason ?? '')?.[1] : undefined;
      if (!name) continue;
      const line = lineAndCharacterAt(sourceFile, site.start).line + 1;
      const entry = `${name} (${site.file}:${line})`;
      if (!classes.includes(entry)) classes.push(entry);
    }
  if (!classes.length) return;
  const listed = classes.slice(0, LISTED_CLASSES).join(', ');
  const more = classes.length > LISTED_CLASSES ? ` and ${classes.length - LISTED_CLASSES} more` : '';
  const note = ` The project's error classes that carry 403: ${listed}${more}.`;
  for (const relay of relays) relay.reason = `${relay.reason ?? ''}${note}`;
}
