import ts from '../typescript.cjs';
import { shorten, type FileAnalysis } from './analysis.js';
import { literalNumber } from './analysis/syntax.js';
import { isMemberKey } from './census-called-keys.js';
import { besideRewrite, exportedHolder, heldPhraseUse } from './census-held-phrases.js';
import { tokenNode, type Occurrence } from './census-occurrences.js';
import { EQUALITY_OPERATORS, inComparison, inLogCall, isInType, lastName } from './census-syntax.js';
import { manual, PHRASE, reasonWord, type ManualVerdict, type ReferenceVerdict } from './census-verdicts.js';
import type { NotAnEmitKind, Site } from './types.js';
import { isForbiddenCode } from './frameworks/error-class-codes.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * Reason phrases and Forbidden names beside a status (census.ts): a `'Forbidden'` text or a Forbidden name that
 * stays where the status becomes the target is reported; one that compares an error code, names a decorator,
 * keys a message table or stands alone is not an emit.
 */

/**
 * A text inside a rewritten form that only picks a branch (`code: reason === 'forbidden' ? 'FORBIDDEN' : …`,
 * `case 'forbidden':`): compared, never sent, so it is classified on its own rather than counted with the form.
 */
export function comparedInForm(analysis: FileAnalysis, occurrence: Occurrence): boolean {
  if (occurrence.form !== 'string') return false;
  const node = tokenNode(analysis.sourceFile, occurrence.start);
  return node !== undefined && (comparesErrorCode(node) || inComparison(node));
}

/**
 * An application's error code (`'permission_denied'`, `'forbidden_binding'`, `'FORBIDDEN_SCOPE'`,
 * `'auth/forbidden-origin'`, `'PermissionDenied'`): one compound token, no space, no 403. It names the cause, which
 * the new status does not make false, and clients match on it: renaming it is an API change the status rewrite
 * does not need. Counted as a `string`, never reported as a Forbidden text. The status's own name (`'forbidden'`,
 * `'FORBIDDEN'`, `'Forbidden.'`) and a message (`'Forbidden - admin rights required'`) are not codes.
 */
export function isApplicationCode(value: string): boolean {
  if (PHRASE.test(value) || /403/.test(value)) return false;
  return /^[A-Za-z][\w.:/-]*$/.test(value) && /[_.:/-]|[a-z][A-Z]/.test(value);
}

/** A string occurrence inside a site's form that is an application's error code (`isApplicationCode`). */
export function codeInForm(analysis: FileAnalysis, occurrence: Occurrence, site?: Site): boolean {
  if (occurrence.form !== 'string') return false;
  const node = tokenNode(analysis.sourceFile, occurrence.start);
  // `this.errorCode = 'PERMISSION_DENIED'`, `super(m, { code: 'permission-denied' })`: the code a manual site
  // reports (error-class-codes.ts `isForbiddenCode`, every spelling it accepts) is counted with that site.
  if (site && site.kind !== 'rewrite' && node && ts.isStringLiteralLike(node) && isForbiddenCode(node))
    return false;
  // `new common['ForbiddenException']()`: the member's name, which the site reads, not a code.
  return (
    node !== undefined && ts.isStringLiteralLike(node) && isApplicationCode(node.text) && !isMemberKey(node)
  );
}

/**
 * A text holding Forbidden or 403 inside a rewritten form that no edit changes: the reason phrase
 * (`'Forbidden'`), and a message that says it (`'Forbidden: insufficient scope'`, `` `Forbidden for ${ip}` ``,
 * `'403 - no access'`): the body would still say Forbidden under the new status. A text the form only logs is
 * not sent; an application's error code (`'permission_denied'`) is classified on its own (`codeInForm`).
 */
export function leftPhrase(analysis: FileAnalysis, occurrence: Occurrence, site: Site): void {
  if (site.kind === 'rewrite' && occurrence.form === 'identifier')
    return leftName(analysis, occurrence, site);
  if (site.kind !== 'rewrite' || occurrence.form !== 'string') return;
  // Changed by this site, or by the enclosing response's site (a result helper's call inside its body).
  const edited = (s: Site): boolean =>
    s.kind === 'rewrite' && s.edits.some((e) => e.start <= occurrence.start && occurrence.end <= e.end);
  if (edited(site) || analysis.sites.some(edited)) return;
  const node = tokenNode(analysis.sourceFile, occurrence.start);
  if (!node || inLogCall(node)) return;
  analysis.addSite({
    node: wholeText(node),
    framework: site.framework,
    manual: true,
    reason: textReason(analysis, node, site),
  });
}

/** The whole template a part of it belongs to (`` `Forbidden for ${ip}` `` for its head), else the text itself. */
export function wholeText(node: ts.Node): ts.Node {
  if (ts.isTemplateHead(node)) return node.parent;
  if (ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) return node.parent.parent;
  return node;
}

/**
 * Whether a text that is not the bare reason phrase says Forbidden or 403 beside a rewritten status, in the
 * statement or the one before (`res.status(403); res.json({ error: 'Access forbidden here' })`,
 * `res.writeHead(403); res.end('403 - no access')`): a message the body still sends. Compared or logged texts
 * are not sent.
 */
export function textBesideRewrite(analysis: FileAnalysis, node: ts.Node): boolean {
  return !inComparison(node) && !inLogCall(node) && besideRewrite(analysis, node);
}

/**
 * The reason for a text that says Forbidden (or 403) and stays where the status becomes the target. Beside a test's
 * assertion this run rewrites (`rewritten` of framework `tests`: `.expect(403, 'HTTP 403')`,
 * `expect(res.body.code).toBe('E403')` after `.expect(403)`), the text is the body the test expects: named so.
 */
export function textReason(analysis: FileAnalysis, node: ts.Node, rewritten?: Site): string {
  const raw = shorten(wholeText(node).getText(analysis.sourceFile));
  const word = reasonWord(analysis.target);
  const value = ts.isStringLiteralLike(node) ? node.text : undefined;
  if (value !== undefined && PHRASE.test(value))
    return `The text ${raw} goes with a status that becomes ${analysis.target}: change it to match (e.g. '${word}'), or keep it on purpose with // mtls-fix-ignore: <why>.`;
  if (rewritten?.framework === 'tests')
    return `The expected text ${raw} spells Forbidden (403) beside the assertion this run rewrites to expect ${analysis.target} (${rewritten.form}): it is what the test expects the server to send, and mtls-fix leaves texts for a person; check what that server now sends (its own text is listed at its site) and change this text with it, or keep it on purpose with // mtls-fix-ignore: <why>.`;
  return `The text ${raw} says Forbidden (403) and goes with a status that becomes ${analysis.target}: reword it to match (e.g. '${word}'), or keep it on purpose with // mtls-fix-ignore: <why>.`;
}

/**
 * A name holding Forbidden that a rewrite leaves as it is inside its own span: the response type of a renamed
 * swagger decorator (`@ApiUnauthorizedResponse({ type: errors.ForbiddenException })`), a body built from a
 * Forbidden class in a response whose status becomes the target. Counted as rewritten, it would read as done;
 * it becomes a manual site naming the name.
 */
export function leftName(analysis: FileAnalysis, occurrence: Occurrence, site: Site): void {
  // Changed by this site, or by the enclosing response's site (a result helper's call inside its body).
  const edited = (s: Site): boolean =>
    s.kind === 'rewrite' && s.edits.some((e) => e.start <= occurrence.start && occurrence.end <= e.end);
  if (edited(site) || analysis.sites.some(edited)) return;
  const node = tokenNode(analysis.sourceFile, occurrence.start);
  if (!node || !ts.isIdentifier(node) || typedErrorKey(analysis, node, site)) return;
  let named: ts.Node = node;
  while (ts.isPropertyAccessExpression(named.parent) && named.parent.name === named) named = named.parent;
  analysis.addSite({
    node: named,
    framework: site.framework,
    manual: true,
    reason: `'${shorten(named.getText(analysis.sourceFile))}' names a 403 and stays where the status becomes ${analysis.target}: change it to match (e.g. an Unauthorized type or message), or keep it on purpose with // mtls-fix-ignore: <why>.`,
  });
}

/**
 * The key of an oRPC typed error whose definition the site rewrote (`FORBIDDEN: { status: 403 }` of `.errors({…})`,
 * frameworks/orpc.ts): the error's name, which every `errors.FORBIDDEN()` throws and which now answers the agreed
 * status; counted with its site. Before session 46 it was named as a 403 name that stays.
 */
function typedErrorKey(analysis: FileAnalysis, node: ts.Identifier, site: Site): boolean {
  const property = node.parent;
  return (
    site.framework === 'orpc' &&
    ts.isPropertyAssignment(property) &&
    property.name === node &&
    property.getStart(analysis.sourceFile) === site.start
  );
}

/** `'Forbidden'` that no module claimed: a body or message text. */
export function classifyPhrase(
  analysis: FileAnalysis,
  node: ts.Node,
  usedByRewrite: (name: string) => boolean = () => false,
): NotAnEmitKind | ManualVerdict | ReferenceVerdict {
  if (comparesErrorCode(node)) return 'string';
  if (inComparison(node)) return 'comparison';
  if (isDecoratorName(node)) return 'declaration';
  if (isInType(node)) return 'type';
  if (inLogCall(node)) return 'log';
  // The same response: a rewritten status in this statement (`res.status(403).json({ message: 'Forbidden' })`)
  // or in the statement right before it (`res.writeHead(403); res.end('Forbidden')`).
  if (besideRewrite(analysis, node)) {
    const raw = node.getText(analysis.sourceFile);
    return manual(
      node,
      `The text ${raw} goes with a status that becomes ${analysis.target}: change it to match (e.g. '${reasonWord(analysis.target)}'), or keep it on purpose with // mtls-fix-ignore: <why>.`,
    );
  }
  // `const MESSAGE = 'Forbidden'` read beside the status: the text is sent where the name is read.
  const use = heldPhraseUse(analysis, node);
  const raw = node.getText(analysis.sourceFile);
  if (use?.inside) {
    // Read inside the rewritten form: reported there, as a text beside the status (a test asserting the status
    // still follows it); the constant's occurrence is accounted at that read.
    const line = lineAndCharacterAt(analysis.sourceFile, node.getStart(analysis.sourceFile)).line + 1;
    const name = shorten(use.read.getText(analysis.sourceFile));
    analysis.addSite({
      node: use.read,
      framework: 'unknown',
      manual: true,
      reason: `The text ${raw} (${name}, line ${line}) goes with a status that becomes ${analysis.target}: change it to match (e.g. '${reasonWord(analysis.target)}'), or keep it on purpose with // mtls-fix-ignore: <why>.`,
    });
    return { via: `${analysis.file}:${use.line} (${name})` };
  }
  if (use)
    return manual(
      node,
      `The text ${raw} is sent at line ${use.line} with a status that becomes ${analysis.target}: change it to match (e.g. '${reasonWord(analysis.target)}'), or keep it on purpose with // mtls-fix-ignore: <why>.`,
    );
  // `export const MESSAGES = { DENIED: 'Forbidden' }` read as `MESSAGES.DENIED` in a form another file rewrites.
  const held = exportedHolder(node);
  if (held && held.names.every(usedByRewrite))
    return manual(
      node,
      `The text ${node.getText(analysis.sourceFile)} (${held.names.join('.')}) is read inside a form this run rewrites to ${analysis.target}: change it to match (e.g. '${reasonWord(analysis.target)}'), or keep it on purpose with // mtls-fix-ignore: <why>.`,
    );
  return 'string';
}

/**
 * The status-named slot a text is given to, shown as written (`writeStatus(…)`, `statusLine:`, `status =`), or
 * undefined: the argument of a call whose name holds "status", the value of a property, a member or a variable so
 * named (assigned with `=`, `||=`, `??=` or `&&=`, declared, or the default of a parameter or a destructured
 * name). The text may be one branch of a choice (`ok ? '200 OK' : '403 Forbidden'`, `a ?? '403'`), in parentheses
 * or under a type assertion: the slot is the one the whole value goes to. A FHIR batch entry's
 * `response.status` is such a text (`'403 Forbidden'`, Bundle.entry.response.status, hl7.org/fhir/bundle.html).
 */
export function statusTextSlot(node: ts.Node): string | undefined {
  const value = valueHolder(node);
  const parent = value.parent;
  if (ts.isCallExpression(parent) && parent.arguments.includes(value as ts.Expression)) {
    const callee = parent.expression;
    const name = ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : ts.isIdentifier(callee)
        ? callee.text
        : undefined;
    return name && /status/i.test(name) ? `${name}(…)` : undefined;
  }
  if (ts.isPropertyAssignment(parent) && parent.initializer === value) {
    const name = ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name) ? parent.name.text : '';
    return /status/i.test(name) ? `${name}:` : undefined;
  }
  if (ts.isBinaryExpression(parent) && parent.right === value && ASSIGNMENTS.has(parent.operatorToken.kind)) {
    const target = parent.left;
    const name = ts.isPropertyAccessExpression(target)
      ? target.name.text
      : ts.isIdentifier(target)
        ? target.text
        : ts.isElementAccessExpression(target) && ts.isStringLiteralLike(target.argumentExpression)
          ? target.argumentExpression.text
          : '';
    return /status/i.test(name) ? `${name} ${ts.tokenToString(parent.operatorToken.kind)}` : undefined;
  }
  if (
    (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) &&
    parent.initializer === value
  ) {
    const key =
      ts.isBindingElement(parent) && parent.propertyName && ts.isIdentifier(parent.propertyName)
        ? parent.propertyName.text
        : '';
    const name = ts.isIdentifier(parent.name) ? parent.name.text : '';
    const named = [name, key].find((n) => /status/i.test(n));
    return named ? `${named} =` : undefined;
  }
  return undefined;
}

/** The assignment operators that give a value to the name on their left. */
const ASSIGNMENTS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
]);

/**
 * The outermost expression whose value is this one, unchanged: climbs parentheses, type assertions, the branches
 * of `?:`, the sides of `??` / `||` (a fallback), and the left of a `+` (the text starts the composed one:
 * `'403 ' + reason`).
 */
function valueHolder(node: ts.Node): ts.Node {
  let current = node;
  for (;;) {
    const parent = current.parent;
    if (
      ts.isParenthesizedExpression(parent) ||
      ts.isAsExpression(parent) ||
      ts.isSatisfiesExpression(parent) ||
      ts.isTypeAssertionExpression(parent) ||
      ts.isNonNullExpression(parent) ||
      (ts.isConditionalExpression(parent) && parent.condition !== current) ||
      (ts.isBinaryExpression(parent) &&
        (parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
          parent.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
          (parent.operatorToken.kind === ts.SyntaxKind.PlusToken && parent.left === current)))
    ) {
      current = parent;
      continue;
    }
    return current;
  }
}

/**
 * A property name that is a sentence rather than a status or its name (`'Forbidden!'`, `'You are forbidden to
 * edit'`) and whose value is no number: a translation or message key. `'403'`, `'Forbidden'`, `'FORBIDDEN'` and
 * `'permission_denied'` keys stay entries to review.
 */
export function isMessageKey(node: ts.Node, key: string): boolean {
  if (/^\s*(?:403|forbidden|permission[_ -]?denied)\s*$/i.test(key)) return false;
  const holder = node.parent;
  if (!ts.isPropertyAssignment(holder)) return false;
  return literalNumber(holder.initializer) === undefined;
}

/**
 * `case 'forbidden':` of `switch (error.code)`, `err.code === 'FORBIDDEN'`: a word compared with an error code
 * (Vercel's, GraphQL's, a project's), not with a status or its reason phrase. Only a comparison whose other side
 * reads a status or a status text (`res.statusText === 'Forbidden'`, `switch (status)`) reads what a route
 * answers (kind `comparison`; readers.ts may tie it to a rewritten route); this one is a `string`.
 */
function comparesErrorCode(node: ts.Node): boolean {
  // A text holding 403 (`'403'`, `'403 Forbidden'`, a status line) is a status, whatever it is compared with.
  if (!ts.isStringLiteralLike(node) || /\b403\b/.test(node.text)) return false;
  const parent = node.parent;
  let other: ts.Expression | undefined;
  if (ts.isCaseClause(parent) && parent.expression === node) other = parent.parent.parent.expression;
  else if (ts.isBinaryExpression(parent) && EQUALITY_OPERATORS.has(parent.operatorToken.kind))
    other = parent.left === node ? parent.right : parent.left;
  if (!other) return false;
  return !/status/i.test(lastName(other) ?? '');
}

/**
 * `fastify.decorateReply('forbidden', fn)` (also `decorate`, `decorateRequest`): the name a decorator is
 * installed under, which callers use (`reply.forbidden()`); renaming it would break them. Its function's 403s
 * are counted where they are written. Source: Fastify docs, Reference/Decorators.md.
 */
function isDecoratorName(node: ts.Node): boolean {
  const call = node.parent;
  if (!ts.isStringLiteralLike(node) || !call || !ts.isCallExpression(call) || call.arguments[0] !== node)
    return false;
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && /^decorate(?:Reply|Request)?$/.test(callee.name.text);
}
