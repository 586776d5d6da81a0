import ts from '../../../typescript.cjs';
import type { FileAnalysis } from '../../analysis.js';
import { isExpect } from '../../analysis/syntax.js';
import { reasonPhrase } from '../../status-names.js';
import { assertionActual, unitInputIn, UNIT_INPUT } from './unit-inputs.js';

// The reason phrase a test reads in any spelling (breaker31 #02): `toContain('Forbidden')`,
// `expect.stringContaining('Forbidden')`, `toMatch(/Forbidden/)`, chai `.include('Forbidden')`, supertest
// `.expect(/Forbidden/)`, `assert.match(res.text, /forbidden/i)`, `assert.ok(res.text.includes('Forbidden'))`...
// frameworks/tests.ts reads the phrase beside a status and in the equality matchers it knows; every other
// assertion that reads the bare phrase is a phrase-only `tests` site here, which the test follower keeps only
// where its server's own text changes (test-follow.ts), and names otherwise.

/**
 * Methods a text passes through on its way to an assertion: string checks on the subject
 * (`res.text.includes('Forbidden')`, `/Forbidden/.test(res.text)`) and asymmetric matchers
 * (`expect.stringContaining('Forbidden')` inside `toEqual({ error: ... })`, sinon's `match('Forbidden')`).
 */
const PASSING_CALLS = new Set([
  'includes',
  'indexOf',
  'lastIndexOf',
  'startsWith',
  'endsWith',
  'match',
  'matchAll',
  'search',
  'test',
  'stringContaining',
  'stringMatching',
  'objectContaining',
  'arrayContaining',
]);

/** Matchers and assertions on a thrown error or a rejection, by name in the assertion's chain. */
const THROW_MATCHER = /\.(?:toThrow\w*|rejects|throws|throw|rejectedWith|isRejected)\b/;

/** Bare assertion functions (node:assert's exports, power-assert, uvu's `assert` module). */
const ASSERT_FUNCTIONS = new Set([
  'assert',
  'ok',
  'equal',
  'strictEqual',
  'deepEqual',
  'deepStrictEqual',
  'match',
  'is',
  'fixture',
]);

/**
 * A phrase-only `tests` site for a text literal (string, template without substitutions, regular expression)
 * that is exactly the reason phrase of 403 (`'Forbidden'`, `'Forbidden.'`, `'403 Forbidden'`, `/Forbidden/`,
 * `/^forbidden$/i`) or NestJS's guard text (`'Forbidden resource'`) and that an assertion reads, unless a site already holds it. Its edit writes the agreed
 * status's phrase in the same spelling (`/Unauthorized/`, `/^unauthorized$/i`).
 */
export function phraseText(analysis: FileAnalysis, node: ts.Node): void {
  if (
    !ts.isStringLiteral(node) &&
    !ts.isNoSubstitutionTemplateLiteral(node) &&
    !ts.isRegularExpressionLiteral(node)
  )
    return;
  if (!/forbidden/i.test(node.text)) return;
  if (besideOtherStatus(node)) return;
  const text = replacedText(node, analysis.target);
  if (text === undefined) return;
  const form = assertionOf(node, analysis);
  if (!form) return;
  // `expect(statusCodeMessage(403)).toBe('Forbidden')`: the unit's answer for its input 403, no reply's text.
  const actual = assertionActual(node, analysis);
  if (actual && unitInputIn(actual) && !(actual.pos <= node.pos && node.end <= actual.end)) {
    analysis.notAnEmit(node, UNIT_INPUT);
    return;
  }
  // NestJS writes 'Forbidden resource' into the reply of a guard that answers false; an error the code throws
  // with that message (`toThrow('Forbidden resource')`) is the code's own text, which stays.
  if (/resource/i.test(node.text) && THROW_MATCHER.test(form.getText(analysis.sourceFile))) return;
  const sourceFile = analysis.sourceFile;
  const start = node.getStart(sourceFile);
  const end = node.getEnd();
  const held = analysis.sites.some(
    (s) => (s.start < end && start < s.end) || s.edits.some((e) => e.start < end && start < e.end),
  );
  if (held) return;
  analysis.addSite({
    node: form,
    at: node,
    framework: 'tests',
    edits: [{ start, end, text }],
  });
}

/** The literal's text with the agreed status's phrase in place of 403's, or undefined when it is no phrase. */
function replacedText(
  node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.RegularExpressionLiteral,
  target: number,
): string | undefined {
  const raw = node.getText();
  const phrase = reasonPhrase(target);
  if (ts.isRegularExpressionLiteral(node)) {
    const close = raw.lastIndexOf('/');
    const pattern = raw.slice(1, close);
    const flags = raw.slice(close + 1);
    const caseless = flags.includes('i');
    const match = /^(\^?)(\\b)?(forbidden)(?: resource)?(\\b)?(\$?)$/i.exec(pattern);
    if (!match || (!caseless && match[3] !== 'Forbidden')) return undefined;
    const word = caseless && match[3] === match[3].toLowerCase() ? phrase.toLowerCase() : phrase;
    const escaped = word.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    return `/${match[1]}${match[2] ?? ''}${escaped}${match[4] ?? ''}${match[5]}/${flags}`;
  }
  const value = node.text;
  const quote = raw[0];
  if (value === '403 Forbidden') return `${quote}${target} ${phrase}${quote}`;
  // NestJS's own text for a guard that answers false (`Forbidden resource`, @nestjs/core's FORBIDDEN_MESSAGE): a
  // 401 thrown in its place (`new UnauthorizedException()`) reads the agreed status's phrase.
  const word = /^Forbidden(?: resource)?([.!]?)$/.exec(value);
  return word ? `${quote}${phrase}${word[1]}${quote}` : undefined;
}

/**
 * The assertion that reads `node` (the outermost call of its chain), through string checks, asymmetric matchers,
 * expected objects and arrays, comparisons and parentheses; undefined when the text is not read by one (a
 * request's body, a mock's reply, a test's title, a helper's argument).
 */
export function assertionOf(node: ts.Node, analysis: FileAnalysis): ts.Node | undefined {
  let current: ts.Node = node;
  for (let depth = 0; depth < 16; depth++) {
    const parent: ts.Node | undefined = current.parent;
    if (!parent) return undefined;
    if (ts.isCallExpression(parent)) {
      const argument = parent.arguments.some((a) => a === current);
      if (argument && isAssertionCall(parent, analysis)) return outermost(parent);
      if ((!argument && parent.expression !== current) || !passes(parent)) return undefined;
      current = parent;
      continue;
    }
    if (
      ts.isParenthesizedExpression(parent) ||
      ts.isAwaitExpression(parent) ||
      ts.isArrayLiteralExpression(parent) ||
      ts.isObjectLiteralExpression(parent) ||
      (ts.isPropertyAssignment(parent) && parent.initializer === current) ||
      (ts.isPropertyAccessExpression(parent) && parent.expression === current) ||
      (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) ||
      (ts.isBinaryExpression(parent) && COMBINING.has(parent.operatorToken.kind))
    ) {
      current = parent;
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** Operators a checked text passes through: comparisons and `&&` / `||`. */
const COMBINING = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
]);

/** A call a text passes through (PASSING_CALLS, by method or function name). */
function passes(call: ts.CallExpression): boolean {
  const callee = call.expression;
  const name = ts.isPropertyAccessExpression(callee)
    ? callee.name.text
    : ts.isIdentifier(callee)
      ? callee.text
      : '';
  return PASSING_CALLS.has(name);
}

/**
 * An assertion: `expect(x)` itself or a matcher of its chain (`expect(x).not.toContain`, chai
 * `expect(x).to.include`, `x.should.match`), a method of `assert` / `t` / `sinon.assert` (`assert.match`,
 * `t.match`), a bare assertion function (`assert(...)`, `match(...)` imported from node:assert), or supertest's
 * `.expect(...)` on a request chain (`request(app).get('/x').expect(/Forbidden/)`).
 */
function isAssertionCall(call: ts.CallExpression, analysis: FileAnalysis): boolean {
  const callee = call.expression;
  if (isExpectOf(callee, analysis)) return true;
  if (ts.isIdentifier(callee)) {
    if (callee.text === 'assert') return true;
    const module = analysis.importOf(callee.text)?.module.replace(/^node:/, '');
    return ASSERT_FUNCTIONS.has(callee.text) && module !== undefined && /^(assert|uvu)/.test(module);
  }
  if (!ts.isPropertyAccessExpression(callee)) return false;
  if (callee.name.text === 'expect' && !ts.isIdentifier(callee.expression)) return true;
  for (let link: ts.Expression = callee.expression; ;) {
    if (ts.isCallExpression(link) && isExpectOf(link.expression, analysis)) return true;
    if (ts.isIdentifier(link)) return ['assert', 't', 'tap', 'tt', 'st'].includes(link.text);
    if (ts.isPropertyAccessExpression(link)) {
      if (['should', 'assert'].includes(link.name.text)) return true;
      link = link.expression;
    } else if (ts.isCallExpression(link)) link = link.expression;
    else return false;
  }
}

/** `expect`, or chai's imported under another name (`import { expect as chaiExpect } from 'chai'`). */
function isExpectOf(callee: ts.Expression, analysis: FileAnalysis): boolean {
  return isExpect(callee) || (ts.isIdentifier(callee) && analysis.importOf(callee.text)?.name === 'expect');
}

/** The whole chain an assertion call belongs to (`expect(x).to.include('Forbidden')` from its last call). */
function outermost(call: ts.CallExpression): ts.Node {
  let node: ts.Node = call;
  while (
    (ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node) ||
    (ts.isCallExpression(node.parent) && node.parent.expression === node)
  )
    node = node.parent;
  return node;
}

/**
 * Whether the text goes with another status written beside it: a sibling argument or property that is a status
 * number other than 403 (`expect(ctx.throw).toHaveBeenCalledWith(404, 'Forbidden')`, `{ status: 404, error:
 * 'Forbidden' }`). Such a text is that status's, not the rewritten 403's.
 */
function besideOtherStatus(node: ts.Node): boolean {
  const parent = node.parent;
  const siblings: readonly ts.Node[] =
    ts.isCallExpression(parent) || ts.isNewExpression(parent)
      ? (parent.arguments ?? [])
      : ts.isPropertyAssignment(parent) && ts.isObjectLiteralExpression(parent.parent)
        ? parent.parent.properties.map((p) => (ts.isPropertyAssignment(p) ? p.initializer : p))
        : [];
  return siblings.some((sibling) => {
    if (!ts.isNumericLiteral(sibling)) return false;
    const value = Number(sibling.text);
    return value >= 100 && value <= 599 && value !== 403;
  });
}
