import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { decoratorForm } from './decorator-factories.js';
import type { Framework } from './framework.js';
import { MIDWAY_ERRORS } from '../status-names.js';
import { renameSite } from './class-rename.js';
import { statementHeader, throwSite } from './koa.js';
import { assignment, methodCall } from './shared.js';
import { MIDWAY } from './midway-modules.js';

export { MIDWAY };

/**
 * Koa reached through `this`: Midway and Egg controllers (`this.ctx.status = 403`, `this.ctx.throw(403, m)`,
 * `this.ctx.response.status`), Koa 1 generator middleware (`this.status = 403`, `this.throw(403)` inside a
 * `function*`), Midway's `new httpError.ForbiddenError(m)` -> `httpError.UnauthorizedError`, and Midway's
 * `@HttpCode(403)` route decorator (session 47; before, an unknown shape), with the bodies its method returns.
 */
export const midway: Framework = {
  id: 'midway',
  title: 'Midway / Egg / Koa 1 (this.ctx, this)',
  enablers: ['@midwayjs/core', '@midwayjs/koa', '@midwayjs/web', '@midwayjs/decorator', 'egg', 'koa'],
  kinds: [ts.SyntaxKind.BinaryExpression, ts.SyntaxKind.NewExpression, ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    const assign = assignment(node);
    if (assign?.property === 'status') {
      if (isThisContext(assign.object, true))
        analysis.statusSlot(assign.right, node, 'midway', () => ({ edits: statementHeader(analysis, node) }));
      return;
    }
    if (ts.isNewExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      midwayError(analysis, node, node.expression);
      return;
    }
    if (ts.isNewExpression(node) && analysis.resolvesTo(node.expression, MIDWAY, 'MidwayHttpError')) {
      // `new MidwayHttpError(message, status)`: the status is the second argument.
      analysis.statusSlot(node.arguments?.[1], node, 'midway');
      return;
    }
    const decorator = ts.isCallExpression(node) ? decoratorForm(node) : undefined;
    if (ts.isCallExpression(node) && decorator && analysis.resolvesTo(node.expression, MIDWAY, 'HttpCode')) {
      // `@HttpCode(403)`: the status of every successful answer; the bodies the method returns follow it. Also
      // the factory called outside `@` (a project decorator composing it, session 49).
      analysis.statusSlot(node.arguments[0], decorator, 'midway', () => ({
        edits: ts.isDecorator(decorator) ? analysis.returnedBodyEdits(decorator) : [],
      }));
      return;
    }
    if (ts.isCallExpression(node) && decorator && analysis.resolvesTo(node.expression, MIDWAY, 'Catch')) {
      catchList(analysis, node, decorator);
      return;
    }
    const call = methodCall(node);
    if (!call || !isThisContext(call.object, false)) return;
    if (call.method === 'throw') throwSite(analysis, call.call, 'midway');
    else if (call.method === 'assert') analysis.statusSlot(call.args[1], call.call, 'midway');
  },
};

/**
 * `this.ctx` (and `this.ctx.response` for a status) in any function, or Koa 1's `this` (`this.response`)
 * inside a generator function (where `this` is the Koa context).
 */
function isThisContext(object: ts.Expression, status: boolean): boolean {
  let node = object;
  if (status && ts.isPropertyAccessExpression(node) && node.name.text === 'response') node = node.expression;
  if (
    ts.isPropertyAccessExpression(node) &&
    node.name.text === 'ctx' &&
    node.expression.kind === ts.SyntaxKind.ThisKeyword
  )
    return true;
  return node.kind === ts.SyntaxKind.ThisKeyword && koaOneFunction(node);
}

/** Koa 1 middleware are generator functions (co): `this` is the context there, and nowhere else. */
function koaOneFunction(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isArrowFunction(current)) continue;
    if (ts.isFunctionExpression(current) || ts.isFunctionDeclaration(current))
      return current.asteriskToken !== undefined;
    if (ts.isClassLike(current) || ts.isFunctionLike(current)) return false;
  }
  return false;
}

/** `new httpError.ForbiddenError(m)` with `httpError` from @midwayjs/core. */
function midwayError(
  analysis: FileAnalysis,
  node: ts.NewExpression,
  callee: ts.PropertyAccessExpression,
): void {
  if (callee.name.text !== 'ForbiddenError' || !ts.isIdentifier(callee.expression)) return;
  const binding = analysis.importOf(callee.expression.text);
  if (!binding || !MIDWAY.includes(binding.module) || binding.name !== 'httpError') return;
  renameSite(analysis, {
    form: node,
    callee,
    to: MIDWAY_ERRORS[analysis.target],
    framework: 'midway',
    missing: `Midway's httpError has no class for ${analysis.target}: throw new MidwayHttpError(message, ${analysis.target}).`,
  });
}

/** `httpError.ForbiddenError` (or `httpError.UnauthorizedError` for another class name) with `httpError` from Midway. */
function isHttpErrorClass(analysis: FileAnalysis, node: ts.Expression, name: string | undefined): boolean {
  if (!ts.isPropertyAccessExpression(node) || !ts.isIdentifier(node.expression) || node.name.text !== name)
    return false;
  const binding = analysis.importOf(node.expression.text);
  return binding !== undefined && MIDWAY.includes(binding.module) && binding.name === 'httpError';
}

/**
 * Midway's `@Catch(httpError.ForbiddenError)` on an exception filter: it reads the class, sends nothing (the status
 * its `catch` writes is read on its own). The throws this run renames raise `httpError.UnauthorizedError` (the
 * target's class) instead, so a filter that does not also catch that one, or `MidwayHttpError` (every HTTP error),
 * stops handling them: reported, like Nest's `@Catch(ForbiddenException)` (nestjs.ts). One that does is a read.
 * Before session 49 the argument was a shape mtls-fix does not know.
 */
function catchList(analysis: FileAnalysis, call: ts.CallExpression, decorator: ts.Node): void {
  const forbidden = call.arguments.filter((a) => isHttpErrorClass(analysis, a, 'ForbiddenError'));
  if (!forbidden.length) return;
  const target = MIDWAY_ERRORS[analysis.target];
  const covered = call.arguments.some(
    (a) =>
      analysis.resolvesTo(a, MIDWAY, 'MidwayHttpError') ||
      (target !== undefined && isHttpErrorClass(analysis, a, target)),
  );
  if (covered) {
    for (const argument of forbidden) analysis.notAnEmit(argument, 'comparison');
    return;
  }
  const replacement = target ? `httpError.${target}` : `MidwayHttpError (status ${analysis.target})`;
  analysis.addSite({
    node: decorator,
    framework: 'midway',
    manual: true,
    reason: `This exception filter catches httpError.ForbiddenError; the throws mtls-fix rewrites raise ${replacement} instead, which it does not catch. Add it to @Catch(...) if the filter should keep handling them.`,
  });
}
