import { ts } from 'ts-morph';
import type { FileAnalysis } from '../analysis.js';
import type { Framework } from './framework.js';
import { reasonPhrase } from '../status-names.js';
import type { Edit } from '../types.js';
import { methodCall, propertyOf } from './shared.js';

const EQUALITY_MATCHERS = new Set([
  'toBe',
  'toEqual',
  'toStrictEqual',
  'equal',
  'equals',
  'eq',
  'eql',
  'toEqualValue',
]);
const ASSERT_CALLS = new Set([
  'equal',
  'strictEqual',
  'deepEqual',
  'deepStrictEqual',
  'is',
  'same',
  'equals',
]);
const STATUS_PROPERTIES = new Set(['status', 'statusCode']);
const STATUS_KEYS = [...STATUS_PROPERTIES];

/**
 * Assertions in the user's tests (`--include-tests` only): supertest `.expect(403)`, jest/vitest
 * `expect(res.status).toBe(403)`, chai `.status(403)`, node:assert / tap on `statusCode`. Mocks of other
 * services (nock, msw, fetch-mock) are skipped by the analysis.
 */
export const tests: Framework = {
  id: 'tests',
  title: 'Test assertions (--include-tests)',
  enablers: [],
  visit(node, analysis) {
    if (!analysis.options.testFile) return;
    const call = methodCall(node);
    if (call) {
      const { method, object, args } = call;
      if (method === 'expect' && ts.isCallExpression(object)) {
        // supertest: request(app).get('/x').expect(403[, body])
        rewrite(analysis, args[0], call.call);
      } else if (EQUALITY_MATCHERS.has(method) && isStatusSubject(object)) {
        rewrite(analysis, args[0], call.call);
      } else if (
        method === 'toHaveProperty' &&
        args[0] &&
        ts.isStringLiteral(args[0]) &&
        STATUS_PROPERTIES.has(args[0].text)
      ) {
        rewrite(analysis, args[1], call.call);
      } else if (
        method === 'objectContaining' &&
        ts.isIdentifier(object) &&
        object.text === 'expect' &&
        args[0] &&
        ts.isObjectLiteralExpression(args[0])
      ) {
        // expect(next).toHaveBeenCalledWith(expect.objectContaining({ statusCode: 403, message: 'Forbidden' })):
        // the error a helper built with `new ApiError(403, 'Forbidden')`, whose phrase follows the status.
        const expected = args[0];
        const status = STATUS_KEYS.map((key) => propertyOf(expected, key)).find(Boolean);
        const message = propertyOf(expected, 'message')?.initializer;
        const phrase =
          message && ts.isStringLiteral(message) && message.text === 'Forbidden'
            ? [analysis.phraseEdit(message, reasonPhrase(analysis.target))]
            : [];
        if (status) rewrite(analysis, status.initializer, call.call, phrase);
      } else if (method === 'status' && isChaiChain(object)) {
        rewrite(analysis, args[0], call.call);
      } else if (ASSERT_CALLS.has(method) && args.length >= 2 && isStatusAccess(args[0])) {
        rewrite(analysis, args[1], call.call);
      }
      return;
    }
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      ASSERT_CALLS.has(node.expression.text)
    ) {
      if (node.arguments.length >= 2 && isStatusAccess(node.arguments[0]))
        rewrite(analysis, node.arguments[1], node);
    }
  },
};

function rewrite(
  analysis: FileAnalysis,
  value: ts.Expression | undefined,
  form: ts.Node,
  more: Edit[] = [],
): void {
  if (!value) return;
  const edits = analysis.forbiddenEdits(value);
  if (edits)
    analysis.addSite({
      node: form,
      framework: 'tests',
      edits: [...edits, ...more, ...analysis.companionEdits(form)],
    });
}

/** `expect(res.status)`, `expect(res.statusCode)`, `expect(response.status())`, possibly via `.to`/`.not`. */
function isStatusSubject(object: ts.Expression): boolean {
  let node = object;
  while (ts.isPropertyAccessExpression(node) && ['to', 'be', 'not', 'deep', 'that'].includes(node.name.text))
    node = node.expression;
  if (!ts.isCallExpression(node) || !isExpect(node.expression)) return false;
  const subject = node.arguments[0];
  return Boolean(subject && isStatusAccess(subject));
}

/** `expect`, or a namespaced one: `Code.expect` (@hapi/code), `chai.expect`. */
function isExpect(callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) return callee.text === 'expect';
  return (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === 'expect' &&
    ts.isIdentifier(callee.expression)
  );
}

function isStatusAccess(expression: ts.Expression): boolean {
  let node = expression;
  if (ts.isCallExpression(node) && node.arguments.length === 0) node = node.expression;
  return ts.isPropertyAccessExpression(node) && STATUS_PROPERTIES.has(node.name.text);
}

/** `expect(res).to.have.status(403)`, `res.should.have.status(403)`. */
function isChaiChain(object: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(object) && ['have', 'has'].includes(object.name.text);
}
