import ts from '../../../typescript.cjs';
import type { FileAnalysis } from '../../analysis.js';
import { statusComparison } from './expected.js';

// k6's checks (grafana.com/docs/k6/latest/javascript-api/k6/check/): `check(res, { 'is 403': (r) => r.status ===
// 403 })` asserts the reply `res` of `http.get(url)` through the predicates of its object. Each predicate's status
// comparison is a `tests` site at the `check(...)` call, whose first argument leads the test follower to the
// request (`const res = http.get(url)`).

/**
 * A `check(value, { name: (r) => r.status === 403 })` of a file importing `check` from `k6`: the first predicate
 * comparing the reply's status with a 403 (or its text with 'Forbidden') is a site at the call. Returns whether
 * the call was a k6 check.
 */
export function k6Check(analysis: FileAnalysis, call: ts.CallExpression): boolean {
  if (!ts.isIdentifier(call.expression) || analysis.importOf(call.expression.text)?.module !== 'k6')
    return false;
  const checks = call.arguments[1];
  if (!checks || !ts.isObjectLiteralExpression(checks)) return true;
  for (const property of checks.properties) {
    const fn = ts.isPropertyAssignment(property) ? property.initializer : property;
    if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn) && !ts.isMethodDeclaration(fn)) continue;
    const body = predicateOf(fn);
    const before = analysis.sites.length;
    if (body && statusComparison(analysis, body, call) && analysis.sites.length > before) return true;
  }
  return true;
}

/** The condition a predicate returns: an arrow's expression body, or the expression of its only `return`. */
function predicateOf(
  fn: ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration,
): ts.Expression | undefined {
  if (!fn.body) return undefined;
  if (!ts.isBlock(fn.body)) return fn.body;
  const returns = fn.body.statements.filter(ts.isReturnStatement);
  return returns.length === 1 ? returns[0].expression : undefined;
}
