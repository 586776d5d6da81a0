import ts from '../typescript.cjs';
import { isExpect } from './analysis/syntax.js';
import { inAssertion } from './census-syntax.js';
import { NAMED_NUMBER_SOURCE } from './occurrence-source.js';
import type { Edit } from './types.js';

// Texts that spell the status inside a test's assertion (`--include-tests`, "tests follow the server"):
// `expect(String(res.status)).toBe('403')`, `toMatch(/403/)`, `'HTTP 403'`, `expect.stringMatching(/403/)`.
// Which literals they are, and which of them spell nothing but the status of a reply (so they can follow it).
// Syntax only; test-follow.ts decides each by the server its request reaches.

/** A literal of an assertion whose text holds 403 (`literal`), and the edit that writes the agreed status. */
export interface StatusText {
  literal:
    | ts.StringLiteral
    | ts.NoSubstitutionTemplateLiteral
    | ts.RegularExpressionLiteral
    | ts.TemplateLiteralLikeNode;
  /**
   * Set when the literal spells only the status and the value it is compared with is the status of a reply
   * turned into text (`String(res.status)`, `res.statusCode.toString()`, `` `${res.status}` ``, `res.status +
   * ''`): the edit writing `target` in its place. Unset for any other text (a message, a body, a status line).
   */
  edit?: Edit;
  /** The assertion is negated (`.not.toBe('403')`, `assert.notEqual`, `doesNotMatch`): never rewritten. */
  negated?: true;
  /**
   * The text spells the status only inside a code (`'E403'`, `'HTTP_403'`, `'ERR_403'`: the number after a letter
   * or `_`, occurrence-source.ts `NAMED_NUMBER_SOURCE`; `'HTTP-403'`, `'403_FORBIDDEN'`: a name and the number
   * joined by a separator, either first), not as a word: an error code a server or client sets.
   */
  code?: true;
  /**
   * Every 403 of the text is a part of a version or build number (`'v1.403'`, `'1.2.403'`, `'2.403.1'`): no status
   * at all; the census counts it as `version` (session 50).
   */
  version?: true;
}

/** An error code carrying the number (`E403`, `HTTP_403`, `ERR_403`), as the census spells it (case-sensitive). */
const CODE_403 = new RegExp(NAMED_NUMBER_SOURCE);

/**
 * An error code spelling the status with a separator between a name and the number, in either order (session 49,
 * left49a): `HTTP-403`, `E.403`, `E:403` (name first: `-`, `.` or `:`; `_` is {@link CODE_403}'s), `403_FORBIDDEN`,
 * `403-Forbidden` (number first: `_` or `-`, so that a file name `403.html` or a status line `403: Forbidden`
 * stays a text). The code is one token: no letter or digit against either end.
 */
const SEPARATED_CODE_403 =
  /(?:\b[A-Za-z][A-Za-z0-9]*[-.:]403(?![0-9A-Za-z])|(?<![0-9A-Za-z.])403[-_][A-Za-z])/g;

/**
 * An IIS sub-status (`403.1`, `403.14`: the status and a detail joined by a dot): the status spelled as a code the
 * server sends, which follows the server as `E403` does (session 50). A longer number (`403.125`) is a decimal.
 */
const SUB_STATUS_403 = /(?<![0-9A-Za-z.])403\.\d{1,2}(?![0-9A-Za-z.])/g;

/**
 * A version or build number with 403 as a part after the first (`v1.403`, `1.2.403`, `v2.403.1`, `1.403`): no
 * status. Read before the codes above (`v1.403` would read as a name `v1` and the number).
 */
const VERSION_403 = /(?<![0-9A-Za-z.])[vV]?\d+(?:\.\d+)*\.403(?:\.\d+)*(?![0-9A-Za-z.])/g;

/**
 * Whether every 403 of `text` is inside an error code ({@link CODE_403}, {@link SEPARATED_CODE_403}): the text is a
 * code, not a word spelling the status (`'HTTP-403'` is a code, `'HTTP 403'` and `'HTTP-403 and 403'` are not).
 */
function onlyCodes(text: string): boolean {
  const rest = text
    .replace(SEPARATED_CODE_403, ' ')
    .replace(SUB_STATUS_403, ' ')
    .replace(new RegExp(NAMED_NUMBER_SOURCE, 'g'), ' ');
  return rest !== text && !/403/.test(rest);
}

/** Whether every 403 of `text` is a part of a version or build number ({@link VERSION_403}). */
function onlyVersions(text: string): boolean {
  const rest = text.replace(VERSION_403, ' ');
  return rest !== text && !/403/.test(rest);
}

/** Matchers of Jest / Vitest's `expect` (and sinon's `match`) that take an expected text inside another matcher. */
const ASYMMETRIC = new Set([
  'stringContaining',
  'stringMatching',
  'objectContaining',
  'arrayContaining',
  'match',
]);

/** The property names a reply keeps its status under (fetch, supertest, light-my-request, axios, node:http). */
const STATUS_NAMES = new Set(['status', 'statusCode']);

/** `/403/`, `/^403$/`, `'403'`: a text that is the status and nothing else. */
const ONLY_STATUS = /^(?:'403'|"403"|`403`|\/\^?403\$?\/[a-z]*)$/;

/**
 * The literals of `sourceFile` holding the number 403 as a word (`'403'`, `/403/`, `'HTTP 403'`, a template's
 * text parts) or inside an error code (`'E403'`, `'HTTP_403'`: `code`) that an assertion compares with: an argument of an `expect` matcher, of `assert.*` or tap / ava's
 * `t.*`, of an asymmetric matcher nested in one (`expect.stringMatching(/403/)`), or of a should-style chain
 * (`x.should.equal('403')`, `should(x).equal('403')`). Each with its edit when it spells only a reply's status.
 */
export function statusTexts(sourceFile: ts.SourceFile, target: number): StatusText[] {
  const found: StatusText[] = [];
  const visit = (node: ts.Node): void => {
    const text = isTextLiteral(node) ? node.getText(sourceFile) : '';
    const version = onlyVersions(text);
    const code = !version && onlyCodes(text);
    const word = !version && !code && /\b403\b/.test(text);
    if (isTextLiteral(node) && (version || word || code || CODE_403.test(text)) && inTextAssertion(node)) {
      const raw = text;
      const start = node.getStart(sourceFile);
      const negated = isNegated(node);
      const edit =
        !version && !negated && ONLY_STATUS.test(raw) && comparedWithStatusText(node)
          ? { start, end: node.end, text: raw.replace('403', String(target)) }
          : undefined;
      found.push({
        literal: node,
        ...(edit ? { edit } : {}),
        ...(negated ? { negated: true as const } : {}),
        ...(version ? { version: true as const } : word ? {} : { code: true as const }),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function isTextLiteral(node: ts.Node): node is StatusText['literal'] {
  return (
    ts.isStringLiteral(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    ts.isRegularExpressionLiteral(node) ||
    ts.isTemplateHead(node) ||
    ts.isTemplateMiddle(node) ||
    ts.isTemplateTail(node)
  );
}

/** Whether `node` is an expected text of an assertion, also through an asymmetric matcher or a should chain. */
function inTextAssertion(node: ts.Node): boolean {
  let at: ts.Node = node;
  while (ts.isTemplateLiteralToken(at) || ts.isTemplateSpan(at)) at = at.parent;
  for (let depth = 0; depth < 6; depth++) {
    if (inAssertion(at) || inShouldChain(at)) return true;
    const matcher = enclosingAsymmetric(at);
    if (!matcher) return false;
    at = matcher;
  }
  return false;
}

/** The asymmetric matcher call `node` is (inside) an argument of, through object and array literals. */
function enclosingAsymmetric(node: ts.Node): ts.CallExpression | undefined {
  let current = node;
  while (
    ts.isPropertyAssignment(current.parent) ||
    ts.isObjectLiteralExpression(current.parent) ||
    ts.isArrayLiteralExpression(current.parent)
  )
    current = current.parent;
  const call = current.parent;
  if (!ts.isCallExpression(call) || !call.arguments.some((a) => a === current)) return undefined;
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ASYMMETRIC.has(callee.name.text)) return undefined;
  const owner = callee.expression;
  return ts.isIdentifier(owner) && (owner.text === 'expect' || owner.text === 'sinon') ? call : undefined;
}

/** `x.should.equal('403')`, `should(x).equal('403')`, `x.should.match(/403/)`: `node` is the matcher's argument. */
function inShouldChain(node: ts.Node): boolean {
  const call = node.parent;
  if (!ts.isCallExpression(call) || !call.arguments.some((a) => a === node)) return false;
  for (let link: ts.Expression = call.expression; ;) {
    if (ts.isPropertyAccessExpression(link)) {
      if (link.name.text === 'should') return true;
      link = link.expression;
    } else if (ts.isCallExpression(link)) {
      if (ts.isIdentifier(link.expression) && link.expression.text === 'should') return true;
      link = link.expression;
    } else return false;
  }
}

/** Assertion methods that pass when the value differs (node:assert, chai's assert, tap). */
const NEGATED_METHODS = /^(?:not|doesNot)/;

/**
 * Whether the assertion `literal` is an argument of is negated: a `.not` link in its chain (`expect(x).not.toBe`,
 * chai `.to.not.equal`, should `.should.not.equal`) or a negated method (`assert.notEqual`, `doesNotMatch`).
 */
function isNegated(literal: ts.Node): boolean {
  let at: ts.Node = literal;
  while (ts.isTemplateLiteralToken(at) || ts.isTemplateSpan(at)) at = at.parent;
  const call = at.parent;
  if (!ts.isCallExpression(call)) return false;
  for (let link: ts.Expression = call.expression; ;) {
    if (ts.isPropertyAccessExpression(link)) {
      if (link.name.text === 'not' || NEGATED_METHODS.test(link.name.text)) return true;
      link = link.expression;
    } else if (ts.isCallExpression(link)) link = link.expression;
    else return false;
  }
}

/** The value an assertion compares `literal` with: `expect(S)`, `assert.equal(S, literal)`, `S.should…`, `should(S)`. */
function subjectOf(literal: ts.Node): ts.Expression | undefined {
  const call = literal.parent;
  if (!ts.isCallExpression(call)) return undefined;
  const callee = call.expression;
  // assert.equal(S, '403'), t.equal(S, '403'): the other argument.
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
    const owner = callee.expression.text;
    if (owner === 'assert' || owner === 't') return call.arguments.find((a) => a !== literal);
  }
  for (let link: ts.Expression = callee; ;) {
    if (ts.isCallExpression(link)) {
      if (
        isExpect(link.expression) ||
        (ts.isIdentifier(link.expression) && link.expression.text === 'should')
      )
        return link.arguments[0];
      link = link.expression;
    } else if (ts.isPropertyAccessExpression(link)) {
      if (link.name.text === 'should') return link.expression;
      link = link.expression;
    } else return undefined;
  }
}

/** Whether the assertion compares `literal` with a reply's status turned into text. */
function comparedWithStatusText(literal: ts.Node): boolean {
  const subject = subjectOf(literal);
  return subject !== undefined && isStatusText(skipParentheses(subject));
}

function skipParentheses(expression: ts.Expression): ts.Expression {
  return ts.isParenthesizedExpression(expression) ? skipParentheses(expression.expression) : expression;
}

/** `String(res.status)`, `res.statusCode.toString()`, `` `${res.status}` ``, `res.status + ''`, `'' + status`. */
function isStatusText(expression: ts.Expression): boolean {
  if (ts.isCallExpression(expression)) {
    const callee = expression.expression;
    if (ts.isIdentifier(callee) && callee.text === 'String' && expression.arguments.length === 1)
      return isStatusRead(expression.arguments[0]);
    return (
      ts.isPropertyAccessExpression(callee) &&
      callee.name.text === 'toString' &&
      expression.arguments.length === 0 &&
      isStatusRead(callee.expression)
    );
  }
  if (ts.isTemplateExpression(expression))
    return (
      expression.head.text === '' &&
      expression.templateSpans.length === 1 &&
      expression.templateSpans[0].literal.text === '' &&
      isStatusRead(expression.templateSpans[0].expression)
    );
  if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const { left, right } = expression;
    if (ts.isStringLiteralLike(right) && right.text === '') return isStatusRead(left);
    if (ts.isStringLiteralLike(left) && left.text === '') return isStatusRead(right);
  }
  return false;
}

/** `res.status`, `response.statusCode`, a destructured `status`. */
function isStatusRead(expression: ts.Expression): boolean {
  const read = skipParentheses(expression);
  if (ts.isPropertyAccessExpression(read)) return STATUS_NAMES.has(read.name.text);
  return ts.isIdentifier(read) && STATUS_NAMES.has(read.text);
}
