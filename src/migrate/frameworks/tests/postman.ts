import ts from '../../../typescript.cjs';
import type { FileAnalysis } from '../../analysis.js';
import { negatedAssertion } from './expected.js';
import { addOwnVerdictSite } from './own-verdicts.js';
import { POSTMAN_SCRIPT } from '../../test-folders.js';

// Postman / Newman test scripts kept as JavaScript files (`pm.test('denied', () => pm.response.to.have.status(403))`,
// `pm.expect(pm.response.code).to.eql(403)`, `pm.response.to.be.forbidden`, the legacy
// `tests['x'] = responseCode.code === 403`): the Postman sandbox's API
// (learning.postman.com/docs/tests-and-scripts/write-scripts/postman-sandbox-reference/). Such a script asserts on
// the reply of the request a collection runs it after, which the file does not name: like the collection reader
// (api-suites-postman.ts), migrate names each assertion for review and never rewrites it, as it cannot prove the
// route.

/** What the Postman sandbox names the reply by: `pm.response`, `pm.expect(...)`, legacy `responseCode`, `tests[...]`. */
const POSTMAN_REPLY = /\bpm\s*\.\s*(?:response|expect)\b|\bresponseCode\b|^\s*tests\s*\[/;

/** How the reason of a Postman script's assertion starts (skipped-tests.ts tells such a site by it). */
export const POSTMAN_REASON = 'A Postman / Newman test script asserts a 403';

const scanned = new WeakMap<ts.SourceFile, readonly { start: number; end: number }[]>();

/**
 * In a Postman script (by its text), whether `node` lies in one of its assertions on a 403: the first call for a
 * file finds them all and adds each as a manual `tests` site (a negated one, `pm.response.to.not.have
 * .status(403)`, as a negated assertion). The `tests` module then leaves such a node alone (it is no supertest
 * chain or chai `status` of a reply a request of the file makes). False in any other file.
 */
export function inPostmanAssertion(analysis: FileAnalysis, node: ts.Node): boolean {
  const sourceFile = analysis.sourceFile;
  let ranges = scanned.get(sourceFile);
  if (!ranges) {
    ranges = POSTMAN_SCRIPT.test(sourceFile.text) ? postmanAssertions(analysis) : [];
    scanned.set(sourceFile, ranges);
  }
  if (!ranges.length) return false;
  const start = node.getStart(sourceFile);
  return ranges.some((r) => r.start <= start && node.end <= r.end);
}

/** Adds the script's assertions on a 403 as sites; returns their ranges. */
function postmanAssertions(analysis: FileAnalysis): { start: number; end: number }[] {
  const sourceFile = analysis.sourceFile;
  const found = new Map<ts.Node, ts.Node>();
  const visit = (node: ts.Node): void => {
    if (isForbiddenToken(node)) {
      const assertion = assertionAround(node);
      if (assertion && !found.has(assertion) && POSTMAN_REPLY.test(assertion.getText(sourceFile)))
        found.set(assertion, node);
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  const target = analysis.target;
  for (const [assertion, token] of found) {
    if (/\.\s*not\s*\./.test(assertion.getText(sourceFile))) {
      negatedAssertion(analysis, assertion, token);
      continue;
    }
    addOwnVerdictSite(analysis, {
      node: assertion,
      at: token,
      framework: 'tests',
      reason: `${POSTMAN_REASON} on the reply of the request a collection runs it after, which this file does not name: mtls-fix never rewrites it without proof of the route. Where that request reaches a route this run changes, the server now answers ${target}: update it by hand, or keep it for a route that still answers 403 with // mtls-fix-ignore: <why>.`,
    });
  }
  return [...found.keys()].map((a) => ({ start: a.getStart(sourceFile), end: a.end }));
}

/** `403`, `'403'`, `'Forbidden'` (Postman's `status('Forbidden')`, `pm.response.status`), `.forbidden`. */
function isForbiddenToken(node: ts.Node): boolean {
  if (ts.isNumericLiteral(node)) return Number(node.text) === 403;
  if (ts.isStringLiteralLike(node)) return node.text === '403' || node.text === 'Forbidden';
  return (
    ts.isIdentifier(node) &&
    node.text === 'forbidden' &&
    ts.isPropertyAccessExpression(node.parent) &&
    node.parent.name === node
  );
}

/**
 * The assertion a token is part of: the expression around it up to a statement, an arrow's body or a call's
 * argument that is a function's (`pm.test(name, fn)`), through calls, members, comparisons, arrays and
 * assignments (`tests['x'] = responseCode.code === 403`). The name given to `pm.test` is none.
 */
function assertionAround(token: ts.Node): ts.Node | undefined {
  let node: ts.Node = token;
  for (;;) {
    const parent: ts.Node = node.parent;
    if (
      ts.isCallExpression(parent) &&
      ts.isPropertyAccessExpression(parent.expression) &&
      parent.expression.name.text === 'test' &&
      parent.arguments[0] === node
    )
      return undefined; // `pm.test('is 403', ...)`: the test's name
    if (
      ts.isCallExpression(parent) ||
      ts.isPropertyAccessExpression(parent) ||
      ts.isElementAccessExpression(parent) ||
      ts.isBinaryExpression(parent) ||
      ts.isParenthesizedExpression(parent) ||
      ts.isArrayLiteralExpression(parent) ||
      ts.isPrefixUnaryExpression(parent)
    ) {
      node = parent;
      continue;
    }
    return ts.isExpressionStatement(parent) || ts.isArrowFunction(parent) || ts.isReturnStatement(parent)
      ? node
      : undefined;
  }
}
