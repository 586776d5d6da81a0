import ts from '../../../typescript.cjs';
import type { FileAnalysis } from '../../analysis.js';
import { assertionOf } from './phrase-texts.js';

// A test that identifies a 403 response by its discriminant instead of its digits (breaker34 #04):
// `expect(res).toMatchObject({ kind: "IResponseErrorForbiddenNotAuthorized" })`, `expect(res.kind).toBe(...)`.
// The 403 responses of @pagopa/ts-commons (ts-commons-responses.ts) carry `kind: "I" + their name`; the pagopa
// io-* services name their own 403 responses the same way (`IResponseErrorForbidden...`).

/** The `kind` of a 403 response: `I` + a producer's name (TS_COMMONS_FORBIDDEN), or the family's spelling. */
const FORBIDDEN_KIND = /^IResponseErrorForbidden\w*$/;

/** An assertion that expects a 403 response by its kind: the literal and the whole assertion. */
export interface KindAssertion {
  literal: ts.StringLiteralLike;
  form: ts.Node;
}

/**
 * The assertions of a test file that expect a 403 response by its `kind` string (see above): the literal is the
 * value of a `kind` key of an expected object (`toMatchObject({ kind: ... })`, `toEqual({ apply: ..., kind: ...
 * })`) or what a read of `.kind` is compared with (`expect(res.kind).toBe(...)`, `assert.equal(r.kind, ...)`).
 * A kind written anywhere else (a mock's value, a type) is not one.
 */
export function kindAssertions(analysis: FileAnalysis): KindAssertion[] {
  const found: KindAssertion[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) && FORBIDDEN_KIND.test(node.text) && isKindValue(node)) {
      const form = assertionOf(node, analysis);
      if (form) found.push({ literal: node, form });
    }
    node.forEachChild(visit);
  };
  visit(analysis.sourceFile);
  return found;
}

/** `kind: "..."` in an object, or an argument of the assertion whose subject reads `.kind`. */
function isKindValue(literal: ts.StringLiteralLike): boolean {
  const parent = literal.parent;
  if (ts.isPropertyAssignment(parent) && parent.initializer === literal)
    return (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name)) && parent.name.text === 'kind';
  if (!ts.isCallExpression(parent) || !parent.arguments.includes(literal)) return false;
  // `assert.equal(res.kind, "...")`, or `expect(res.kind).toBe("...")` (the subject is the chain's `expect(...)`).
  const reads = (e: ts.Expression | undefined): boolean =>
    Boolean(e && ts.isPropertyAccessExpression(e) && e.name.text === 'kind');
  if (parent.arguments.some(reads)) return true;
  for (let link: ts.Expression = parent.expression; ;) {
    if (ts.isPropertyAccessExpression(link)) link = link.expression;
    else if (ts.isCallExpression(link)) {
      if (link.arguments.some(reads)) return true;
      link = link.expression;
    } else return false;
  }
}
