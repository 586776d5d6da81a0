import { skipOuter, staticMember } from '../analysis/syntax.js';
import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { enclosingFunction } from '../scope.js';
import type { Framework } from './framework.js';
import { assignment, isSelfAssignment, methodCall } from './shared.js';

/**
 * Azure Functions v3 (the `function.json` model): the handler's `context.res` has Express-like members, so
 * `context.res.status = 403`, `context.res.status(403)` and `context.res.sendStatus(403)` answer 403 as
 * `context.res = { status: 403 }` does (that object form is read by serverless.ts). A module of its own so that
 * it runs only where Azure Functions is in use: switched on by `@azure/functions` (or the Core Tools) in the
 * package.json files above a file or its imports, or when no framework is detected at all (a v3 JavaScript app
 * created by `func init` declares no dependency). In a project of another framework (exegesis's
 * `context.res.status(403)`, a Koa `ctx.res`) the line stays a shape to review by hand, never read as Azure's.
 * Source: Azure Functions JavaScript developer guide (v3), "Response object" (`status`, `sendStatus`, `send`,
 * `json`).
 */
export const azureFunctions: Framework = {
  id: 'azure-functions',
  title: 'Azure Functions v3 context.res members',
  enablers: ['@azure/functions', 'azure-functions-core-tools'],
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.BinaryExpression],
  visit(node, analysis) {
    if (ts.isCallExpression(node) || ts.isBinaryExpression(node)) responseMember(analysis, node);
  },
};

/** Records `context.res.status = 403`, `.status(403)` or `.sendStatus(403)` as a status slot; true when it did. */
function responseMember(analysis: FileAnalysis, node: ts.CallExpression | ts.BinaryExpression): boolean {
  const call = methodCall(node);
  if (call) {
    const status = call.args[0];
    if ((call.method !== 'status' && call.method !== 'sendStatus') || !status) return false;
    if (!isContextRes(analysis, call.object)) return false;
    analysis.statusSlot(status, call.call, azureFunctions.id);
    return true;
  }
  const assign = assignment(node);
  if (!assign || assign.property !== 'status' || isSelfAssignment(assign)) return false;
  if (!isContextRes(analysis, assign.object)) return false;
  analysis.statusSlot(assign.right, node, azureFunctions.id);
  return true;
}

/**
 * `context.res` of a v3 handler: `context` is the handler's first parameter, untyped and under any name, or any
 * name in a file that imports `@azure/functions`; never in a Koa or Egg file, whose `ctx.res` is Node's response.
 */
function isContextRes(analysis: FileAnalysis, object: ts.Expression): boolean {
  const member = staticMember(skipOuter(object));
  if (member?.name !== 'res' || !ts.isIdentifier(member.owner)) return false;
  if (analysis.importsModule('koa', '@koa/router', 'koa-router', 'egg', '@midwayjs/koa', '@midwayjs/web'))
    return false;
  if (analysis.importsModule('@azure/functions')) return true;
  // The function that binds the name (an arrow inside the handler sees through to it).
  const name = member.owner.text;
  for (let fn = enclosingFunction(member.owner); fn; fn = enclosingFunction(fn)) {
    const index = fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === name);
    if (index >= 0) return index === 0 && !fn.parameters[0].type;
  }
  return false;
}
