import ts from '../typescript.cjs';
import { replacementOf } from './analysis/sites.js';
import { nodeAt } from './routes/reach.js';
import type { FileAnalysis } from './analysis.js';
import type { Edit, Site } from './types.js';
import { inAssertion } from './census-syntax.js';
import { reasonPhrase } from './status-names.js';
import { expectSubject } from './frameworks/tests/subjects.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * The edits of a test assertion site that change a reason phrase (`'Forbidden'` -> `'Unauthorized'` in
 * `expect(res.text).toBe('Forbidden')`, also when it rides along a status assertion one line up). An edit of a
 * name is no phrase: `toThrow(ForbiddenException)` checks the class the server throws, which its own rewrite
 * renames, not a text it sends (salonbw's roles guard: read as a phrase, it turned manual once the census named the
 * guard's `'Forbidden resource'` message beside the rewritten throw).
 *
 * @param sourceFile the test file's tree (the edits' offsets index its text)
 * @param edits the site's edits
 */
export function phraseEdits(sourceFile: ts.SourceFile, edits: readonly Edit[]): Edit[] {
  return edits.filter((e) => {
    // A status written with its reason phrase (an inline snapshot's status line `403 Forbidden` -> `401
    // Unauthorized`, tests/snapshots.ts) is the status, not a body text.
    if (/^\d{3} /.test(e.text)) return false;
    const node = nodeAt(sourceFile, e.start);
    if (node && libraryPhraseAround(node)) return true;
    if (!/forbidden/i.test(sourceFile.text.slice(e.start, e.end))) return false;
    return !(node && (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)));
  });
}

/**
 * Whether a token is the key of a status library's reason phrase, which is a text, not a status: the `403` of
 * `STATUS_CODES[403]` (node:http), the `FORBIDDEN` of `ReasonPhrases.FORBIDDEN` (http-status-codes), the `403`
 * of `getReasonPhrase(403)` / `getStatusText(403)` (frameworks/tests/expected.ts `phrase`, breaker36 #02).
 */
function libraryPhraseAround(token: ts.Node): boolean {
  const parent = token.parent;
  if (!parent) return false;
  if (ts.isElementAccessExpression(parent) && parent.argumentExpression === token) {
    const table = parent.expression;
    const name = ts.isPropertyAccessExpression(table) ? table.name : table;
    return ts.isIdentifier(name) && name.text === 'STATUS_CODES';
  }
  if (ts.isPropertyAccessExpression(parent) && parent.name === token)
    return ts.isIdentifier(parent.expression) && parent.expression.text === 'ReasonPhrases';
  return (
    ts.isCallExpression(parent) &&
    parent.arguments[0] === token &&
    ts.isIdentifier(parent.expression) &&
    /^(getReasonPhrase|getStatusText)$/.test(parent.expression.text)
  );
}

/**
 * Takes `dropped` out of a rewritten assertion site and recomputes its report `replacement`: the status the
 * assertion checks follows its server, the body text beside it stays as the server still sends it. A text
 * outside the assertion's own form (the next line's `expect(res.text).toBe('Forbidden')`) leaves the site's
 * span and is counted as a body text (`string`), not as a phrase the rewrite forgot.
 *
 * With `kept` (why the server keeps its text: "body text whose server (route GET /admin (src/a.ts:6)) keeps its text"),
 * each text left is a manual site saying so, the same wherever the assertion writes it (in the expected object
 * on the status line, or on a line of its own after it), as for a text assertion with no status beside it.
 *
 * @param site a `tests` site of kind `rewrite` (changed in place)
 * @param dropped edits of `site` to leave out
 * @param analysis the test file's analysis (its text; its not-an-emit ranges gain the texts left outside)
 * @param kept the verdict on the texts alone when their server keeps them (test-verdicts.ts `manual`)
 */
export function withoutEdits(
  site: Site,
  dropped: readonly Edit[],
  analysis: FileAnalysis,
  kept?: string,
): void {
  site.edits = site.edits.filter((e) => !dropped.includes(e));
  site.replacement = replacementOf(analysis.text, site.start, site.end, site.edits);
  const outside = dropped.filter((e) => e.end <= site.start || e.start >= site.end);
  if (outside.length)
    site.span = {
      start: Math.min(site.start, ...site.edits.map((e) => e.start)),
      end: Math.max(site.end, ...site.edits.map((e) => e.end)),
    };
  for (const edit of dropped) {
    const node = kept === undefined ? undefined : nodeAt(analysis.sourceFile, edit.start);
    if (node)
      analysis.addSite({
        node,
        framework: 'tests',
        manual: true,
        reason: `Asserts a 403 ${kept}: change it together with its server, or keep it on purpose with // mtls-fix-ignore: <why>.`,
      });
    else if (outside.includes(edit))
      analysis.notAnEmitRanges.push({ start: edit.start, end: edit.end, kind: 'string' });
  }
}

/** Calls that write a response body from their argument (Express, Fastify, Koa, Hono, Node's `res.end`). */
const BODY_METHODS = new Set(['send', 'json', 'jsonp', 'end', 'write', 'text', 'html', 'body', 'render']);

/**
 * Whether a server form sends a status alone, so that the framework writes the body from it (Express
 * `res.sendStatus(403)`, Koa `ctx.status = 403` or `ctx.throw(403)`, `createError(403)`, Nest's
 * `new ForbiddenException()`): its form holds no string and no body argument. `res.status(403).send(MESSAGE)`
 * or `ctx.throw(403, MESSAGE)` send a body of their own, whatever the constant holds.
 *
 * @param form the text of the site's whole form
 */
export function statusOnlyForm(form: string): boolean {
  if (/['"`]/.test(form)) return false;
  const source = ts.createSourceFile('form.ts', `(${form});`, ts.ScriptTarget.Latest, false);
  let bodyOfItsOwn = false;
  const visit = (node: ts.Node): void => {
    if (bodyOfItsOwn) return;
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : '';
      // Koa's `ctx.assert(user, 403)`: its first argument is the condition.
      const args = (node.arguments ?? []).slice(callee === 'assert' ? 1 : 0);
      if (args.length > 1 || (args.length === 1 && BODY_METHODS.has(callee))) bodyOfItsOwn = true;
    }
    node.forEachChild(visit);
  };
  visit(source);
  return !bodyOfItsOwn;
}

/**
 * Texts that say Forbidden inside a longer expected text (`<pre>Forbidden</pre>` of an error page, `'Forbidden:
 * admins only'`), asserted in the same test as a status assertion this run rewrites: a server that writes its
 * page from the status (webpack-dev-middleware's `statuses[status]`) now says the new phrase, so each is a manual
 * site of the test file (none is rewritten: mtls-fix cannot tell whether the server keeps that text). A text
 * another site already holds, or the bare phrase (test-phrases.ts `phraseEdits`), is not one.
 *
 * @param site a `tests` site kept as a rewrite (its status follows its server)
 */
export function textsBesideStatus(analysis: FileAnalysis, site: Site, body: ts.Node | undefined): void {
  if (!body) return;
  const texts: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isStringLiteral(node) ||
        ts.isNoSubstitutionTemplateLiteral(node) ||
        ts.isTemplateExpression(node)) &&
      /\bForbidden\b/.test(node.getText(analysis.sourceFile)) &&
      node.getText(analysis.sourceFile).slice(1, -1) !== 'Forbidden' &&
      inAssertion(node)
    ) {
      texts.push(node);
      return;
    }
    node.forEachChild(visit);
  };
  visit(body);
  for (const text of texts) {
    const start = text.getStart(analysis.sourceFile);
    if (analysis.sites.some((s) => s.span.start <= start && text.getEnd() <= s.span.end)) continue;
    const line = lineAndCharacterAt(analysis.sourceFile, site.start).line + 1;
    analysis.addSite({
      node: text,
      framework: 'tests',
      manual: true,
      reason: `The test expects a text that says Forbidden beside a status assertion (line ${line}) that now follows its server to ${analysis.target}: where the server writes this text from the status, it now says what it writes for ${analysis.target} (such as '${reasonPhrase(analysis.target)}'); change it by hand, or keep it on purpose with // mtls-fix-ignore: <why>.`,
    });
  }
}

/** The string literal (or template) a position of a file is in, if any. */
function literalAt(sourceFile: ts.SourceFile, position: number): ts.StringLiteralLike | undefined {
  for (let node = nodeAt(sourceFile, position); node; node = node.parent)
    if (ts.isStringLiteralLike(node)) return node;
    else if (ts.isStatement(node) || ts.isSourceFile(node)) return undefined;
  return undefined;
}

/** `error`, `'error'`, `["error"]`: whether a property name or read is the key `error`. */
function namesError(node: ts.Node | undefined): boolean {
  if (!node) return false;
  if (ts.isIdentifier(node) || ts.isStringLiteralLike(node)) return node.text === 'error';
  if (ts.isPropertyAccessExpression(node)) return node.name.text === 'error';
  if (ts.isElementAccessExpression(node)) return namesError(node.argumentExpression);
  return ts.isComputedPropertyName(node) && namesError(node.expression);
}

/**
 * Whether a phrase edit of a test assertion is the `error` key of a framework-shaped body: the value of an
 * `error` property in an expected object (`{ statusCode: 403, message: 'x', error: 'Forbidden' }`), or the
 * expected value of an assertion on a read of `error` (`expect(res.body.error).toBe('Forbidden')`,
 * `assert.equal(res.json().error, 'Forbidden')`, `t.equal(body.error, 'Forbidden')`). Nest writes that key from
 * the exception class, Boom, @fastify/sensible and http-errors from the status: it follows a rewritten
 * exception whatever message the server keeps beside it.
 *
 * @param sourceFile the test file's tree (the edit's offsets index its text)
 * @param edit a phrase edit of a `tests` site (test-phrases.ts `phraseEdits`)
 */
export function readsErrorKey(sourceFile: ts.SourceFile, edit: Edit): boolean {
  const literal = literalAt(sourceFile, edit.start);
  if (!literal) return false;
  const parent = literal.parent;
  if (ts.isPropertyAssignment(parent)) return parent.initializer === literal && namesError(parent.name);
  if (!ts.isCallExpression(parent) || !parent.arguments.includes(literal)) return false;
  // expect(res.body.error).toBe('Forbidden'), res.body.error.should.equal('Forbidden')
  const chained = ts.isPropertyAccessExpression(parent.expression)
    ? expectSubject(parent.expression.expression)
    : undefined;
  if (chained) return namesError(chained);
  // assert.equal(res.body.error, 'Forbidden'), t.equal(body.error, 'Forbidden'): the value read first.
  const [first] = parent.arguments;
  return first !== literal && namesError(first);
}

/**
 * Whether the 403 text at `position` of a server file is the message argument of an error it builds
 * (`new UnauthorizedException('Forbidden')`, `Boom.unauthorized('Forbidden')`, `reply.unauthorized('Forbidden')`,
 * `createError(401, 'Forbidden')`): not a body of its own (`res.send('Forbidden')`, `res.json({ error: … })`).
 *
 * @param sourceFile the server file's tree
 * @param position the start of a manual text site (the census's text beside a rewritten status)
 */
export function isMessageArgument(sourceFile: ts.SourceFile, position: number): boolean {
  const literal = literalAt(sourceFile, position);
  const call = literal?.parent;
  if (!literal || !call || !(ts.isCallExpression(call) || ts.isNewExpression(call))) return false;
  if (!call.arguments?.includes(literal)) return false;
  if (ts.isNewExpression(call)) return true;
  const callee = ts.isPropertyAccessExpression(call.expression)
    ? call.expression.name.text
    : ts.isIdentifier(call.expression)
      ? call.expression.text
      : '';
  return callee !== '' && callee !== 'status' && !BODY_METHODS.has(callee);
}
