import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import type { Framework } from './framework.js';
import { messageEdits } from './class-rename.js';
import { statementHeader, throwSite } from './koa.js';
import { assignment, methodCall } from './shared.js';
import { bindsName, skipOuter } from '../analysis/syntax.js';

/** Oak from npm/JSR (`@oak/oak`), deno.land/x, or the project's `deps.ts` re-export (Deno's convention). */
const OAK_MODULE =
  /^(?:jsr:|npm:)?@oak\/oak(?:@[^/]*)?(?:\/|$)|^oak$|deno\.land\/x\/oak(?:@[^/]*)?\/|(?:^|\/)deps\.ts$/;

/** `createHttpError` from Oak, std (`http_errors.ts`, `@std/http`) or a `deps.ts` re-export. */
const DENO_HTTP_ERRORS =
  /^(?:jsr:|npm:)?@(?:oak\/oak|oak\/commons|std\/http)(?:@[^/]*)?(?:\/|$)|^oak$|deno\.land\/(?:x\/oak|std)(?:@[^/]*)?\/|(?:^|\/)deps\.ts$/;

/**
 * Oak (https://jsr.io/@oak/oak): `ctx.throw(Status.Forbidden, m)` -> `Status.Unauthorized`, `ctx.assert(v,
 * 403, m)`, `ctx.response.status = 403` (also on a `response` destructured from the context: `({ response }:
 * RouterContext<string>) => { response.status = 403 }`, `const { response } = ctx`), `createHttpError(403, m)`. `Status` is Deno std's PascalCase enum (see `DENO_STATUS_NAMES`).
 * The context is `ctx`/`context`, or a parameter typed `…Context`.
 */
export const oak: Framework = {
  id: 'oak',
  title: 'Oak (Deno)',
  enablers: ['@oak/oak', 'oak'],
  kinds: [ts.SyntaxKind.BinaryExpression, ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    if (!isOakFile(analysis)) return;
    const assign = assignment(node);
    if (assign?.property === 'status') {
      const object = assign.object;
      if (
        (ts.isPropertyAccessExpression(object) &&
          object.name.text === 'response' &&
          isContext(object.expression)) ||
        isContextResponse(object)
      )
        analysis.statusSlot(assign.right, node, 'oak', () => ({ edits: statementHeader(analysis, node) }));
      return;
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      const binding = analysis.importOf(node.expression.text);
      if (binding?.name === 'createHttpError' && DENO_HTTP_ERRORS.test(binding.module))
        analysis.statusSlot(node.arguments[0], node, 'oak', () => ({
          edits: messageEdits(analysis, node.arguments[1]),
        }));
      return;
    }
    const call = methodCall(node);
    if (!call || !isContext(call.object)) return;
    if (call.method === 'throw') throwSite(analysis, call.call, 'oak');
    else if (call.method === 'assert') analysis.statusSlot(call.args[1], call.call, 'oak');
  },
};

const oakFiles = new WeakMap<FileAnalysis, boolean>();

function isOakFile(analysis: FileAnalysis): boolean {
  let result = oakFiles.get(analysis);
  if (result === undefined) {
    result = [...analysis.imports.values()].some((binding) => OAK_MODULE.test(binding.module));
    oakFiles.set(analysis, result);
  }
  return result;
}

/** `ctx` / `context`, or a parameter whose type is named like Oak's `Context` / `RouterContext`. */
function isContext(expression: ts.Expression): boolean {
  if (!ts.isIdentifier(expression)) return false;
  if (expression.text === 'ctx' || expression.text === 'context') return true;
  for (let current = expression.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const parameter = current.parameters.find(
      (p) => ts.isIdentifier(p.name) && p.name.text === expression.text,
    );
    if (parameter) return Boolean(parameter.type && /Context\b/.test(parameter.type.getText()));
  }
  return false;
}

/**
 * A `response` destructured from the context (session 49: read as Koa's and named "module off"): the first
 * parameter's pattern (`({ response, state }: RouterContext<string>)`, typed `…Context` or not typed), or `const {
 * response } = ctx` (also `{ response: res }`) in a function around the use.
 */
function isContextResponse(expression: ts.Expression): boolean {
  if (!ts.isIdentifier(expression)) return false;
  const name = expression.text;
  const takesResponse = (pattern: ts.BindingName): boolean =>
    ts.isObjectBindingPattern(pattern) &&
    pattern.elements.some(
      (e) =>
        !e.dotDotDotToken &&
        ts.isIdentifier(e.name) &&
        e.name.text === name &&
        (e.propertyName ?? e.name).getText() === 'response',
    );
  for (let current = expression.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const [first, ...rest] = current.parameters;
    if (first && takesResponse(first.name)) return !first.type || /Context\b/.test(first.type.getText());
    if (rest.some((p) => bindsName(p.name, name))) return false;
    const body = 'body' in current ? current.body : undefined;
    if (body && ts.isBlock(body) && declaresFromContext(body, takesResponse)) return true;
  }
  return false;
}

/** `const { response } = ctx` among a block's statements. */
function declaresFromContext(body: ts.Block, takesResponse: (pattern: ts.BindingName) => boolean): boolean {
  return body.statements.some(
    (statement) =>
      ts.isVariableStatement(statement) &&
      statement.declarationList.declarations.some(
        (d) => takesResponse(d.name) && d.initializer !== undefined && isContext(skipOuter(d.initializer)),
      ),
  );
}
