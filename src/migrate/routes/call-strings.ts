import ts from '../../typescript.cjs';
import { staticString, unwrap, type Project, type ProjectFile } from './project.js';
import { returnedExpressions } from './syntax.js';
import type { FunctionRef } from './wiring.js';

/**
 * The strings a project function returns for one call's arguments, read without running it:
 * `backwardsCompat('/plugins')` into `function backwardsCompat(url) { return [`${PREFIX}${url}`, url] }` gives
 * `['/skServer/plugins', '/plugins']` (SignalK's routes), `v1('/users')` with `const v1 = (p) => '/v1' + p` gives
 * `['/v1/users']`. The function must return one expression (an arrow's body, or a body whose only `return`
 * it is) made of string literals, templates, `+`, constants the project can read and the function's plain
 * parameters (their defaults when the call omits them), or an array of such expressions.
 *
 * @param functions what the call's callee is (the router graph's `functionsOf`): exactly one function is read
 * @returns the strings, in order; undefined when any part is not known before run time
 */
export function callStrings(
  project: Project,
  file: ProjectFile,
  call: ts.CallExpression,
  functions: readonly FunctionRef[],
): string[] | undefined {
  const fn = functions.length === 1 ? functions[0] : undefined;
  if (!fn) return undefined;
  const returned = returnedExpressions(fn);
  if (returned.length !== 1 || !returned[0]) return undefined;
  const bound = new Map<string, string>();
  for (const [i, parameter] of fn.node.parameters.entries()) {
    if (!ts.isIdentifier(parameter.name) || parameter.dotDotDotToken) continue;
    const argument = call.arguments[i];
    const value = argument
      ? project.stringOf(file, argument)
      : parameter.initializer
        ? project.stringOf(fn.file, parameter.initializer)
        : undefined;
    if (value !== undefined) bound.set(parameter.name.text, value);
  }
  const names = new Set(fn.node.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
  const evaluate = (expression: ts.Expression): string | undefined => {
    const node = unwrap(expression);
    const literal = staticString(node);
    if (literal !== undefined) return literal;
    if (ts.isIdentifier(node) && names.has(node.text)) return bound.get(node.text);
    if (ts.isTemplateExpression(node)) {
      let out = node.head.text;
      for (const span of node.templateSpans) {
        const value = evaluate(span.expression);
        if (value === undefined) return undefined;
        out += value + span.literal.text;
      }
      return out;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const left = evaluate(node.left);
      const right = evaluate(node.right);
      return left !== undefined && right !== undefined ? left + right : undefined;
    }
    // Anything else that names no parameter: what the project reads of it in the function's own file.
    return mentionsAny(node, names) ? undefined : project.stringOf(fn.file, node);
  };
  const body = unwrap(returned[0]);
  const parts = ts.isArrayLiteralExpression(body) ? [...body.elements] : [body];
  const out: string[] = [];
  for (const part of parts) {
    if (ts.isSpreadElement(part)) return undefined;
    const value = evaluate(part);
    if (value === undefined) return undefined;
    out.push(value);
  }
  return out.length ? out : undefined;
}

/** Whether an expression names one of `names` anywhere in it. */
function mentionsAny(node: ts.Node, names: ReadonlySet<string>): boolean {
  if (ts.isIdentifier(node)) return names.has(node.text);
  return node.forEachChild((child) => (mentionsAny(child, names) ? true : undefined)) ?? false;
}
