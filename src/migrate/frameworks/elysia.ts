import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { reasonPhrase } from '../status-names.js';
import type { Framework } from './framework.js';
import { assignment, methodCall, responseKey } from './shared.js';
import { skipOuter, staticMember } from '../analysis/syntax.js';
import { destructuredMember, isTypedElysiaContext } from './elysia-context.js';

/** Elysia: `set.status = 403 | 'Forbidden'`, `status(403, body)` / `error(403, body)`, route `response: { 403 }`. */
export const elysia: Framework = {
  id: 'elysia',
  title: 'Elysia',
  enablers: ['elysia'],
  kinds: [ts.SyntaxKind.BinaryExpression, ts.SyntaxKind.CallExpression, ts.SyntaxKind.PropertyAssignment],
  visit(node, analysis) {
    if (!analysis.importsModule('elysia')) return;
    const assign = assignment(node);
    if (
      assign?.property === 'status' &&
      (analysis.receiver(assign.object)?.kind === 'elysia' || isContextSet(analysis, assign.object))
    ) {
      slot(analysis, assign.right, node);
      return;
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      if (isContextHelper(node.expression) || isImportedHelper(analysis, node.expression))
        slot(analysis, node.arguments[0], node);
      return;
    }
    const call = methodCall(node);
    if (call && ['status', 'error'].includes(call.method) && isContext(analysis, call.object)) {
      slot(analysis, call.args[0], node);
      return;
    }
    if (ts.isPropertyAssignment(node) && isRouteResponse(node.parent)) responseKey(analysis, node, 'elysia');
  },
};

/** A number, or a StatusMap name (`'Forbidden'`). */
function slot(analysis: FileAnalysis, value: ts.Expression | undefined, form: ts.Node): void {
  if (value && ts.isStringLiteral(value) && value.text === 'Forbidden') {
    analysis.addSite({
      node: form,
      framework: 'elysia',
      edits: [analysis.phraseEdit(value, reasonPhrase(analysis.target))],
    });
    return;
  }
  analysis.statusSlot(value, form, 'elysia');
}

/**
 * `status`/`error` destructured from the handler context: `({ status }) => status(403)`, also renamed
 * (`({ status: send }) => send(403)`, session 52).
 */
function isContextHelper(identifier: ts.Identifier): boolean {
  const member = destructuredMember(identifier);
  return member === 'status' || member === 'error';
}

/**
 * `ctx.set` of the handler's Context not destructured: `.get('/x', (ctx) => { ctx.set.status = 403 })`
 * (breaker44: only a destructured `set` was read; this was a shape mtls-fix did not know).
 */
function isContextSet(analysis: FileAnalysis, object: ts.Expression): boolean {
  const inner = skipOuter(object);
  if (ts.isIdentifier(inner) && destructuredMember(inner) === 'set') return true;
  const member = staticMember(inner);
  return member?.name === 'set' && isContext(analysis, member.owner);
}

/** The Context: a handler's first parameter in the app chain, or a parameter typed `Context` from 'elysia'. */
function isContext(analysis: FileAnalysis, object: ts.Expression): boolean {
  return isHandlerContext(object) || (ts.isIdentifier(object) && isTypedElysiaContext(analysis, object));
}

/**
 * `ctx` in `.get('/x', (ctx) => ctx.status(403))`: the first parameter of a function handed to a method call of
 * the app chain (a route or a hook), where Elysia passes its Context.
 */
function isHandlerContext(object: ts.Expression): boolean {
  if (!ts.isIdentifier(object)) return false;
  for (let current = object.parent; current; current = current.parent) {
    if (!ts.isArrowFunction(current) && !ts.isFunctionExpression(current)) continue;
    const first = current.parameters[0];
    if (!first || !ts.isIdentifier(first.name) || first.name.text !== object.text) continue;
    const holder = current.parent;
    return (
      ts.isCallExpression(holder) &&
      holder.arguments.includes(current) &&
      ts.isPropertyAccessExpression(holder.expression)
    );
  }
  return false;
}

/** `status`/`error` imported from Elysia itself (`import { status } from 'elysia'`, Elysia 1.2+). */
function isImportedHelper(analysis: FileAnalysis, identifier: ts.Identifier): boolean {
  const binding = analysis.importOf(identifier.text);
  return binding?.module === 'elysia' && ['status', 'error'].includes(binding.name);
}

/** `{ response: { 403: t.… } }` passed to a route method. */
function isRouteResponse(object: ts.Node): boolean {
  const holder = object.parent;
  if (!ts.isObjectLiteralExpression(object) || !holder || !ts.isPropertyAssignment(holder)) return false;
  return (
    ts.isIdentifier(holder.name) &&
    holder.name.text === 'response' &&
    ts.isCallExpression(holder.parent.parent)
  );
}
