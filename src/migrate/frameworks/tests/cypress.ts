import ts from '../../../typescript.cjs';
import type { FileAnalysis } from '../../analysis.js';
import { negatedAssertion, phrase, rewrite, statusList } from './expected.js';
import {
  BODY_STATUS_KEYS,
  CHAI_LANGUAGE_CHAINS,
  PHRASE_KEYS,
  PHRASE_SUBJECTS,
  STATUS_PROPERTIES,
} from './vocabulary.js';

// Cypress's own assertions on a reply: `cy.request(opts).its('status').should('eq', 403)`,
// `.should('have.property', 'status', 403)`, `.its('status').should('be.oneOf', [403, 404])`, `.and('eq', 403)`,
// on `cy.request(...)`, `cy.wrap(reply)`, an alias (`cy.get('@r')`, `cy.wait('@spy')`). The chainer string is a
// chai assertion chain (https://docs.cypress.io/api/commands/should, "Chainers"); `its(path)` moves the subject
// to a property path (https://docs.cypress.io/api/commands/its). The request such an assertion reads is found
// by the test follower (test-follow.ts, test-cypress-aliases.ts for aliases).

/** The commands that assert on the subject with a chainer string: `.should('eq', 403)`, `.and('eq', 403)`. */
const ASSERTING = new Set(['should', 'and']);

/** Chainers comparing the subject with one value. */
const EQUALS = new Set(['eq', 'equal', 'equals', 'eql', 'eqls']);

/** What a subject path reads of a reply: its status, a body key mirroring it, or the reason phrase. */
type Read = 'status' | 'phrase' | undefined;

/**
 * A Cypress `.should(chainer, ...)` / `.and(chainer, ...)` on a chain rooted at `cy` whose subject (moved by
 * `.its(path)`, or named by `have.property`) is a reply's status (`status`, `statusCode`, `response.statusCode`
 * of an intercepted call), a parsed body's status key (`body.statusCode`) or the reason phrase (`statusText`,
 * `body.error`): the 403 value is a `tests` site (a negated chainer, `not.eq`, is manual). Returns whether the
 * call was such an assertion holding a 403 or 'Forbidden'.
 */
export function cypressAssertion(
  analysis: FileAnalysis,
  call: { call: ts.CallExpression; method: string; object: ts.Expression; args: readonly ts.Expression[] },
): boolean {
  if (!ASSERTING.has(call.method)) return false;
  const chainer = call.args[0];
  if (!chainer || !ts.isStringLiteralLike(chainer)) return false;
  const path = subjectPath(call.object);
  if (path === undefined) return false;
  const words = chainer.text.split('.').filter((w) => w && !CHAI_LANGUAGE_CHAINS.has(w));
  const not = words.includes('not');
  const flags = new Set(['not', 'deep', 'nested', 'own', 'include', 'includes', 'contain', 'contains']);
  const last = words.filter((w) => !flags.has(w) || w === words[words.length - 1]).pop() ?? '';
  let read: Read;
  let value: ts.Expression | undefined;
  if (last === 'property') {
    const name = call.args[1];
    if (!name || !ts.isStringLiteralLike(name)) return false;
    read = readOf([...path, ...name.text.split('.')]);
    value = call.args[2];
  } else {
    read = readOf(path);
    value = call.args[1];
  }
  if (!read || !value) return false;
  if (read === 'phrase') {
    if (!ts.isStringLiteralLike(value) || value.text !== 'Forbidden') return false;
    if (not) negatedAssertion(analysis, call.call, value);
    else phrase(analysis, value, call.call);
    return true;
  }
  const holds = ts.isArrayLiteralExpression(value)
    ? value.elements.some((e) => analysis.forbiddenEdits(e) !== undefined)
    : analysis.forbiddenEdits(value) !== undefined;
  if (!holds) return false;
  // No companion texts: every command of a test is a statement on `cy`, so the "neighbours on the same receiver"
  // would take in a `cy.intercept(url, { statusCode: 403 })` stub beside it, the test's own fixture.
  if (not) negatedAssertion(analysis, call.call, value);
  else if (last === 'oneOf') statusList(analysis, value, call.call, false);
  else if (EQUALS.has(last) || last === 'property') rewrite(analysis, value, call.call, [], false);
  else return false;
  return true;
}

/**
 * The property path a Cypress chain's subject is at (`['response', 'statusCode']` for
 * `cy.wait('@a').its('response').its('statusCode')`), through earlier `.should` / `.and` calls, which keep the
 * subject; `[]` for the chain's own subject. Undefined when the chain is not rooted at `cy`.
 */
function subjectPath(object: ts.Expression): string[] | undefined {
  const path: string[] = [];
  let node = object;
  for (;;) {
    while (ts.isParenthesizedExpression(node)) node = node.expression;
    if (ts.isIdentifier(node)) return node.text === 'cy' ? path : undefined;
    if (ts.isPropertyAccessExpression(node)) {
      node = node.expression;
      continue;
    }
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
    const method = node.expression.name.text;
    const first = node.arguments[0];
    if (method === 'its') {
      if (!first || !ts.isStringLiteralLike(first)) return undefined;
      path.unshift(...first.text.split('.'));
    } else if (
      ASSERTING.has(method) &&
      first &&
      ts.isStringLiteralLike(first) &&
      /property$/.test(first.text)
    ) {
      // `.should('have.property', 'body').and('have.property', 'statusCode', 403)`: chai's `property` moves the
      // subject to the property's value, with or without a value to compare
      const name = node.arguments[1];
      if (!name || !ts.isStringLiteralLike(name)) return undefined;
      path.unshift(...name.text.split('.'));
    }
    // Any other command keeps or makes the subject: another `.should('be.a', 'number')`, the chain's root
    // (`cy.request(...)`, `cy.wrap(reply)`, `cy.get('@r')`), whose subject is the reply.
    node = node.expression.expression;
  }
}

/**
 * What a subject path reads of a reply: `status`, `statusCode`, `response.statusCode` (an intercepted call's
 * reply), `body.statusCode` / `body.code` (a parsed body's status key) are its status; `statusText`,
 * `body.error`, `body.message` its reason phrase.
 */
function readOf(path: readonly string[]): Read {
  const segments = path[0] === 'response' ? path.slice(1) : [...path];
  const key = segments.pop();
  if (!key) return undefined;
  if (!segments.length) {
    if (STATUS_PROPERTIES.has(key)) return 'status';
    return PHRASE_SUBJECTS.has(key) ? 'phrase' : undefined;
  }
  if (segments.length !== 1 || segments[0] !== 'body') return undefined;
  if (BODY_STATUS_KEYS.has(key)) return 'status';
  return PHRASE_KEYS.has(key) ? 'phrase' : undefined;
}
