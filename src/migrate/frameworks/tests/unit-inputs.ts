import ts from '../../../typescript.cjs';
import type { FileAnalysis } from '../../analysis.js';
import { isExpect } from '../../analysis/syntax.js';
import { calleeName } from '../../census-syntax.js';
import { isFunctionLike } from '../../scope.js';
import { tableRowsAt, usesOf } from '../../test-tables.js';
import { ASSERT_CALLS, CALL_MATCHERS, STATUS_METHODS, STATUS_ARGUMENT_METHODS } from './vocabulary.js';

// A 403 a test hands to the unit under test as its input (`expect(statusCodeMessage(403)).toBe('Forbidden')`,
// `assert.equal(describe(403), 'Forbidden')`, `expect(mapStatus({ status: 403 })).toEqual(...)`, an `it.each`
// row's 403 read there): no answer of a server, so the assertion follows none. What the assertion expects is
// the unit's answer for that input (a status -> message table's 'Forbidden'), not a reply's text either.

/** Census `notAnEmit` kind of a 403 handed to the unit under test, and of what its assertion expects. */
export const UNIT_INPUT = 'unit-input';

/** Objects whose methods are assertions (`assert.equal`, tap's `t.equal`, uvu's `assert.is`). */
const ASSERT_OBJECTS = new Set(['assert', 't', 'tap', 'tt', 'st', 'should']);

/**
 * The actual value (subject) of the assertion `node` lies in: `x` of `expect(x)…` (jest, vitest, chai, an
 * `expect` imported under another name), of `assert.equal(x, y)`, `assert(x)`, `t.is(x, y)`, and of should.js /
 * chai's should style (session 47): `should(x).equal(y)`, `should.equal(x, y)`, `x.should.equal(y)`; undefined
 * when `node` is in no such assertion (a function between them ends the search: a callback there is code that
 * runs).
 */
export function assertionActual(node: ts.Node, analysis: FileAnalysis): ts.Expression | undefined {
  for (let at: ts.Node | undefined = node; at && !isFunctionLike(at); at = at.parent) {
    if (!ts.isCallExpression(at)) continue;
    const root = chainRoot(at);
    if (root && isSubjectCall(root, analysis)) return root.arguments[0];
    const should = shouldSubject(at);
    if (should) return should;
  }
  return undefined;
}

/** `x` of a should-style chain called at its end (`x.should.equal(y)`, `x.should.be.exactly(y)`), else undefined. */
function shouldSubject(call: ts.CallExpression): ts.Expression | undefined {
  for (let link: ts.Expression = call.expression; ;) {
    if (ts.isPropertyAccessExpression(link)) {
      if (link.name.text === 'should') return link.expression;
      link = link.expression;
    } else if (ts.isCallExpression(link)) link = link.expression;
    else return undefined;
  }
}

/**
 * The call of the unit under test that a 403 in `actual` is handed to (`statusCodeMessage(403)`, `mapStatus({
 * status: 403 })`, `statusCodeMessage(StatusCodes.FORBIDDEN)`): a call that is no assertion, no spy's record
 * (`spy.calledWith(403)`) and no status method (`res.status(403)`); undefined when `actual` holds none.
 */
export function unitInputIn(actual: ts.Expression): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionLike(node)) return;
    if (ts.isCallExpression(node) && isUnitCall(node) && node.arguments.some(holdsForbidden)) {
      found = node;
      return;
    }
    node.forEachChild(visit);
  };
  visit(actual);
  return found;
}

/**
 * Whether a 403 value of a test file (a `403` literal) is an input of the unit under test: an argument (or part
 * of one) of a unit call inside an assertion's actual value, directly or as the cell of a test table row every
 * read of which is such an argument (`it.each([[403, 'Forbidden']])('%s', (code, msg) =>
 * expect(fn(code)).toBe(msg))`).
 */
export function isUnitInput(analysis: FileAnalysis, node: ts.Expression): boolean {
  if (unitArgument(analysis, node)) return true;
  if (!ts.isNumericLiteral(node)) return false;
  const rows = tableRowsAt(analysis.sourceFile, node.getStart(analysis.sourceFile));
  if (!rows.length) return false;
  return rows.every(({ table, path }) => {
    const uses = usesOf(table, path);
    return uses.length > 0 && uses.every((use) => unitArgument(analysis, use));
  });
}

/** Whether `node` is (part of) an argument of a unit call inside an assertion's actual value. */
function unitArgument(analysis: FileAnalysis, node: ts.Expression): boolean {
  let current: ts.Node = node;
  for (let depth = 0; depth < 8; depth++) {
    const parent: ts.Node | undefined = current.parent;
    if (!parent) return false;
    if (ts.isCallExpression(parent) && parent.arguments.some((a) => a === current)) {
      if (!isUnitCall(parent)) return false;
      const actual = assertionActual(parent, analysis);
      return actual !== undefined && actual.pos <= parent.pos && parent.end <= actual.end;
    }
    if (
      ts.isParenthesizedExpression(parent) ||
      ts.isArrayLiteralExpression(parent) ||
      ts.isObjectLiteralExpression(parent) ||
      ts.isAsExpression(parent) ||
      (ts.isPropertyAssignment(parent) && parent.initializer === current)
    ) {
      current = parent;
      continue;
    }
    return false;
  }
  return false;
}

/** A value that is 403: the number, or a member named for it (`StatusCodes.FORBIDDEN`, `statusCodes.forbidden`). */
function isForbiddenValue(node: ts.Node): boolean {
  if (ts.isNumericLiteral(node)) return node.text === '403';
  if (ts.isPropertyAccessExpression(node)) return /^forbidden$/i.test(node.name.text);
  return false;
}

/** Whether an argument is a 403 or holds one through object and array literals. */
function holdsForbidden(node: ts.Node): boolean {
  if (isForbiddenValue(node)) return true;
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return holdsForbidden(node.expression);
  if (ts.isArrayLiteralExpression(node)) return node.elements.some(holdsForbidden);
  if (ts.isObjectLiteralExpression(node))
    return node.properties.some((p) => ts.isPropertyAssignment(p) && holdsForbidden(p.initializer));
  return false;
}

/** A call of the code under test: no assertion, no spy's record of a call, no status method of a reply. */
function isUnitCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  const name = calleeName(callee);
  if (name === undefined || name === 'require' || isExpect(callee)) return false;
  if (ASSERT_CALLS.has(name) || CALL_MATCHERS.has(name)) return false;
  if (STATUS_METHODS.has(name) || STATUS_ARGUMENT_METHODS.has(name)) return false;
  return !/^(expect|assert|should|verify)/i.test(name);
}

/** The first call of a chain (`expect(x)` of `expect(x).to.equal(y)`), or the call itself. */
function chainRoot(call: ts.CallExpression): ts.CallExpression | undefined {
  let root: ts.CallExpression = call;
  for (let link: ts.Expression = call.expression; ;) {
    if (ts.isCallExpression(link)) {
      root = link;
      link = link.expression;
    } else if (ts.isPropertyAccessExpression(link)) link = link.expression;
    else return root;
  }
}

/**
 * A call whose first argument is an assertion's actual value (`expect(x)`, `assert.equal(x, y)`, `assert(x)`,
 * `t.assert.equal(x, y)`).
 */
function isSubjectCall(call: ts.CallExpression, analysis: FileAnalysis): boolean {
  if (!call.arguments.length) return false;
  const callee = call.expression;
  if (isExpect(callee)) return true;
  if (ts.isIdentifier(callee)) {
    if (callee.text === 'assert' || callee.text === 'should') return true;
    const imported = analysis.importOf(callee.text);
    if (imported?.name === 'expect') return true;
    return ASSERT_CALLS.has(callee.text) && imported !== undefined && /assert/.test(imported.module);
  }
  if (!ts.isPropertyAccessExpression(callee)) return false;
  // `assert.equal(x, y)`, tap's `t.equal(x, y)`, node:test's `t.assert.equal(x, y)`
  const object = callee.expression;
  const asserts =
    (ts.isIdentifier(object) && ASSERT_OBJECTS.has(object.text)) ||
    (ts.isPropertyAccessExpression(object) && object.name.text === 'assert');
  return asserts && (ASSERT_CALLS.has(callee.name.text) || callee.name.text === 'ok');
}
