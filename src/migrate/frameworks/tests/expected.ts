import ts from '../../../typescript.cjs';
import type { FileAnalysis } from '../../analysis.js';
import { reasonPhrase, TRPC_CODES } from '../../status-names.js';
import type { Edit } from '../../types.js';
import {
  STATUS_PROPERTIES,
  PHRASE_SUBJECTS,
  PHRASE_KEYS,
  BODY_STATUS_KEYS,
  COMPARISONS,
} from './vocabulary.js';
import { isBodyMember, isStatusAccess } from './subjects.js';
import { addOwnVerdictSite } from './own-verdicts.js';
import { isCallInput, nodeHolding } from './inputs.js';
import { isTrpcCode, trpcTest, trpcCode } from './trpc.js';
import { rowValuesOf } from '../../test-tables.js';

// The expected values of assertions, made into `tests` sites: a status (`rewrite`), an expected object mirroring
// the reply (`mirror`), the reason phrase ('Forbidden'), lists of statuses and boolean comparisons.

/**
 * The expected status `value` of the assertion `form` as a `tests` site (its 403 edits, `more` beside them and,
 * unless `companions` is false, the form's companion texts); an expected object read through it
 * (`expected.statusCode`) makes the object the site instead. Nothing when the value holds no 403.
 */
export function rewrite(
  analysis: FileAnalysis,
  value: ts.Expression | undefined,
  form: ts.Node,
  more: Edit[] = [],
  companions = true,
): void {
  if (!value) return;
  if (tableRows(analysis, value)) return;
  if (!ts.isNumericLiteral(value) && mirrorOf(analysis, value)) {
    // `assert.equal(reply.statusCode, expected.statusCode)` keeps reading the object; the object follows.
    mirror(analysis, value);
    return;
  }
  const edits = analysis.forbiddenEdits(value) ?? branchEdits(analysis, value);
  if (edits)
    analysis.addSite({
      node: form,
      framework: 'tests',
      edits: [...edits, ...more, ...(companions ? answerCompanions(analysis, form) : [])],
    });
}

/**
 * The companion texts of an assertion (`.expect(403).expect({ error: 'Forbidden' })`), without those in what the
 * test sends (`.set('X-Reason', 'Forbidden')`, `.query({ code: 'FORBIDDEN' })`, inputs.ts `isCallInput`): its
 * request stays as it is whatever its server answers.
 */
function answerCompanions(analysis: FileAnalysis, form: ts.Node): Edit[] {
  return analysis
    .companionEdits(form)
    .filter((edit) => !isCallInput(nodeHolding(analysis.sourceFile, edit.start)));
}

/**
 * The 403 edits of an expected status chosen by a condition (`toBe(isNonRespecting ? 403 : 200)`, nested
 * conditions too): the assertion expects a 403 from its server on one branch, so that branch follows the server
 * as a plain expected status does. Undefined when no branch holds a 403.
 */
function branchEdits(analysis: FileAnalysis, value: ts.Expression): Edit[] | undefined {
  let node = value;
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  if (!ts.isConditionalExpression(node)) return undefined;
  const edits = [node.whenTrue, node.whenFalse].flatMap(
    (branch) => analysis.forbiddenEdits(branch) ?? branchEdits(analysis, branch) ?? [],
  );
  return edits.length ? edits : undefined;
}

/**
 * An expected status read from a table of test cases (`.expect(status)` in `it.each(rows)('x', (path, status) =>
 * ...)`, `c.expected` in `for (const c of cases)`; test-tables.ts): each row's 403 there is a site of its own,
 * the row being its form, decided by the test follower against that row's request. The assertion's own texts
 * are shared by every row and stay as they are. Returns whether the value is read from a table.
 */
function tableRows(analysis: FileAnalysis, value: ts.Expression): boolean {
  const rows = rowValuesOf(value);
  if (!rows) return false;
  for (const { row, value: cell } of rows) {
    // `.expect(403, expected)` / `toEqual(expected)` with the row's `{ statusCode: 403, error: 'Forbidden' }`
    if (ts.isObjectLiteralExpression(cell)) {
      mirror(analysis, cell);
      continue;
    }
    const edits = analysis.forbiddenEdits(cell);
    if (edits) analysis.addSite({ node: row.node, at: cell, framework: 'tests', edits });
  }
  return true;
}

/**
 * An expected value the test declares and compares with the reply: an object literal given inline, or a
 * variable of the file holding one (`const expected = { statusCode: 403, error: 'Forbidden' }`), possibly read
 * through a member (`expected.statusCode`).
 */
export function mirrorOf(
  analysis: FileAnalysis,
  value: ts.Expression,
): ts.ObjectLiteralExpression | undefined {
  let node = value;
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) node = node.expression;
  if (ts.isObjectLiteralExpression(node)) return node;
  if (ts.isPropertyAccessExpression(node) && STATUS_PROPERTIES.has(node.name.text)) node = node.expression;
  if (!ts.isIdentifier(node)) return undefined;
  return objectVariablesOf(analysis.sourceFile).get(node.text);
}

/**
 * Each name's first variable (in the file's order, at any depth) initialised with an object literal, made once per
 * file: `mirrorOf` is asked for every value a test compares, and walking a test file of thousands of lines per
 * question made one such file take tens of seconds.
 */
const objectVariables = new WeakMap<ts.SourceFile, ReadonlyMap<string, ts.ObjectLiteralExpression>>();
function objectVariablesOf(sourceFile: ts.SourceFile): ReadonlyMap<string, ts.ObjectLiteralExpression> {
  let variables = objectVariables.get(sourceFile);
  if (variables) return variables;
  const found = new Map<string, ts.ObjectLiteralExpression>();
  const visit = (child: ts.Node): void => {
    if (
      ts.isVariableDeclaration(child) &&
      ts.isIdentifier(child.name) &&
      child.initializer &&
      ts.isObjectLiteralExpression(child.initializer) &&
      !found.has(child.name.text)
    )
      found.set(child.name.text, child.initializer);
    child.forEachChild(visit);
  };
  visit(sourceFile);
  variables = found;
  objectVariables.set(sourceFile, variables);
  return variables;
}

/**
 * The mirror object becomes the site (once, however many assertions read it): its status key and, beside
 * it, a framework-shaped phrase (`error: 'Forbidden'`); or the phrase alone (`{ error: 'Forbidden' }`), which
 * the run keeps only where the server's own text changed (test-follow.ts).
 */
export function mirror(analysis: FileAnalysis, value: ts.Expression | undefined): void {
  // An expected object read from a table's row: each row's object is a mirror of its own (a row's scalar
  // there is no expected status: `toEqual(c.count)` compares a body value).
  const rows = value && rowValuesOf(value);
  if (rows) {
    for (const { value: cell } of rows) if (ts.isObjectLiteralExpression(cell)) mirror(analysis, cell);
    return;
  }
  const object = value && mirrorOf(analysis, value);
  if (!object) return;
  const edits: Edit[] = [];
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const key = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : '';
    const initializer = property.initializer;
    if (STATUS_PROPERTIES.has(key)) edits.push(...(analysis.forbiddenEdits(initializer) ?? []));
    else if ((key === 'code' || key === 'message') && isTrpcCode(initializer) && trpcTest(analysis)) {
      // rejects.toMatchObject({ code: 'FORBIDDEN' }) on a tRPC caller: the code the procedure throws (its
      // message too, which defaults to the code)
      const to = TRPC_CODES[analysis.target];
      if (!to) {
        trpcCode(analysis, initializer, object);
        return;
      }
      edits.push(analysis.phraseEdit(initializer, to));
    } else if (
      PHRASE_KEYS.has(key) &&
      (ts.isStringLiteral(initializer) || ts.isNoSubstitutionTemplateLiteral(initializer)) &&
      initializer.text === 'Forbidden'
    )
      edits.push(analysis.phraseEdit(initializer, reasonPhrase(analysis.target)));
  }
  if (edits.length) analysis.addSite({ node: object, framework: 'tests', edits });
}

/**
 * `'Forbidden'` compared with the reply's text, or a status library's phrase for 403 (`http.STATUS_CODES[403]`,
 * `ReasonPhrases.FORBIDDEN`, `getReasonPhrase(403)`: breaker36 #02, an unknown shape before): a phrase-only site,
 * kept only where its server's body follows.
 */
export function phrase(analysis: FileAnalysis, value: ts.Expression | undefined, form: ts.Node): void {
  if (!value) return;
  const library = analysis.phraseCompanion(value);
  if (library.length) {
    analysis.addSite({ node: form, framework: 'tests', edits: library });
    return;
  }
  if (!(ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value))) return;
  if (value.text !== 'Forbidden') return;
  analysis.addSite({
    node: form,
    framework: 'tests',
    edits: [analysis.phraseEdit(value, reasonPhrase(analysis.target))],
  });
}

/**
 * The message a throw matcher expects, when it is exactly the reason phrase (`toThrow('Forbidden')`,
 * `rejectedWith('Forbidden')`, `toThrow(/Forbidden/)`): the message of a throw that gives only the status
 * (Koa's `ctx.throw(403)`, http-errors' `createError(403)`, Nest's `new ForbiddenException()`), a phrase-only
 * site the test follower keeps where that server's text changes. Returns whether it was such a message.
 */
export function thrownPhrase(analysis: FileAnalysis, expected: ts.Expression, form: ts.Node): boolean {
  if (ts.isRegularExpressionLiteral(expected)) {
    if (expected.text !== '/Forbidden/') return false;
    analysis.addSite({
      node: form,
      framework: 'tests',
      edits: [analysis.phraseEdit(expected, reasonPhrase(analysis.target))],
    });
    return true;
  }
  if (!ts.isStringLiteral(expected) && !ts.isNoSubstitutionTemplateLiteral(expected)) return false;
  phrase(analysis, expected, form);
  return true;
}

/**
 * A list of the statuses a reply may have (`[403, 404]`): its 403 entries are the expected status, one site
 * for the list. Anything but an array literal is left to the census.
 */
export function statusList(
  analysis: FileAnalysis,
  list: ts.Expression,
  form: ts.Node,
  companions = true,
): void {
  if (!ts.isArrayLiteralExpression(list)) return;
  const [first, ...others] = list.elements.filter(
    (e): e is ts.Expression => !ts.isSpreadElement(e) && analysis.forbiddenEdits(e) !== undefined,
  );
  if (!first) return;
  // `oneOf([401, 403])` already accepts the target: a person decides whether the 403 may go.
  if (list.elements.some((e) => ts.isNumericLiteral(e) && Number(e.text) === analysis.target)) {
    addOwnVerdictSite(analysis, {
      node: form,
      framework: 'tests',
      reason: `The test accepts ${analysis.target} or 403 (${list.getText(analysis.sourceFile)}): drop the 403 once its server answers ${analysis.target}, or keep it on purpose with // mtls-fix-ignore: <why>.`,
    });
    return;
  }
  rewrite(
    analysis,
    first,
    form,
    others.flatMap((e) => analysis.forbiddenEdits(e) ?? []),
    companions,
  );
}

/**
 * A status comparison asserted as a boolean (`assert(res.status === 403)`, `expect(res.statusCode == 403)`,
 * `t.true(403 === res.status)`, also negated and inside `&&`): the 403 side is the expected status, as in
 * `assert.equal(res.status, 403)`; `res.text === 'Forbidden'` is a phrase. Returns whether `condition` is such
 * a comparison (the site is added when its value is a 403).
 */
export function statusComparison(analysis: FileAnalysis, condition: ts.Expression, form: ts.Node): boolean {
  const statuses: ts.Expression[] = [];
  const phrases: ts.Expression[] = [];
  if (!comparedValues(condition, statuses, phrases)) return false;
  const phraseEdits = phrases
    .filter((v) => (ts.isStringLiteral(v) || ts.isNoSubstitutionTemplateLiteral(v)) && v.text === 'Forbidden')
    .map((v) => analysis.phraseEdit(v, reasonPhrase(analysis.target)));
  // `assert(res.status === status)` in a table's body: each row's status.
  for (const value of statuses) tableRows(analysis, value);
  const [first, ...others] = statuses.filter((v) => analysis.forbiddenEdits(v));
  if (first)
    rewrite(analysis, first, form, [
      ...others.flatMap((v) => analysis.forbiddenEdits(v) ?? []),
      ...phraseEdits,
    ]);
  else if (phraseEdits.length) analysis.addSite({ node: form, framework: 'tests', edits: phraseEdits });
  return true;
}

/**
 * The values `condition` compares with a reply's status (`statuses`) and with its text (`phrases`), through
 * parentheses and `&&`; false when it compares neither.
 */
function comparedValues(
  condition: ts.Expression,
  statuses: ts.Expression[],
  phrases: ts.Expression[],
): boolean {
  let node = condition;
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  if (!ts.isBinaryExpression(node)) return false;
  const operator = node.operatorToken.kind;
  if (operator === ts.SyntaxKind.AmpersandAmpersandToken) {
    const left = comparedValues(node.left, statuses, phrases);
    const right = comparedValues(node.right, statuses, phrases);
    return left || right;
  }
  if (!COMPARISONS.has(operator)) return false;
  for (const [subject, value] of [
    [node.left, node.right],
    [node.right, node.left],
  ] as const) {
    if (isStatusAccess(subject) || isBodyMember(subject, BODY_STATUS_KEYS)) {
      statuses.push(value);
      return true;
    }
    if (isStatusAccess(subject, PHRASE_SUBJECTS, false) || isBodyMember(subject, PHRASE_KEYS)) {
      phrases.push(value);
      return true;
    }
  }
  return false;
}

/**
 * The expected arguments of a mocked call that takes the status among others: the numeric status is the site,
 * with an exact `'Forbidden'` argument beside it (the phrase Koa's `ctx.throw(403, 'Forbidden')` repeats);
 * expected objects among them are mirrors (`c.json({ error: 'Forbidden' }, 403)`).
 */
export function statusAmong(analysis: FileAnalysis, args: readonly ts.Node[], form: ts.Node): void {
  const values = args.filter((a): a is ts.Expression => ts.isExpression(a));
  const status = values.find((a) => analysis.forbiddenEdits(a));
  const phrases = values
    .filter(
      (a): a is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral =>
        (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)) && a.text === 'Forbidden',
    )
    .map((a) => analysis.phraseEdit(a, reasonPhrase(analysis.target)));
  if (status) rewrite(analysis, status, form, phrases);
  // `expect(ctx.throw).toHaveBeenCalledWith(status, message)` in a table's body: each row's status.
  else for (const value of values) tableRows(analysis, value);
  for (const value of values)
    if (value !== status && ts.isObjectLiteralExpression(value)) mirror(analysis, value);
}

/**
 * A negated assertion holding a 403 (`expect(res.status).not.toBe(403)`, Cypress `.should('not.eq', 403)`): it
 * checks the answer is *not* 403, so `not 401` would test something else. A manual site at `form` with why, never
 * rewritten; `at` is the 403 value.
 */
export function negatedAssertion(analysis: FileAnalysis, form: ts.Node, at: ts.Node): void {
  const target = analysis.target;
  addOwnVerdictSite(analysis, {
    node: form,
    at,
    framework: 'tests',
    reason: `A negated assertion: it checks the answer is not 403, so it is not rewritten to 'not ${target}', which tests something else. Once its server answers ${target} where it answered 403, it passes on that refusal too. If it means "not refused", assert not ${target} (an answer of ${target} it accepted before then fails it); if it only rules out 403, keep it with // mtls-fix-ignore: <why>.`,
  });
}
