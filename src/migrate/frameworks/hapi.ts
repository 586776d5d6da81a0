import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { BOOM_HELPERS } from '../status-names.js';
import { renameCallee } from '../import-edits.js';
import type { Framework } from './framework.js';
import { factoryCalled, runTimeFactory } from './run-time-factories.js';
import { skipOuter } from '../analysis/syntax.js';
import {
  assignment,
  implicit,
  initObject,
  methodCall,
  quoted,
  challenge,
  responseKey,
  statusProperty,
} from './shared.js';

const BOOM = ['@hapi/boom', 'boom'];

/** hapi and Boom: `Boom.forbidden(m)`, `h.response(x).code(403)`, `new Boom.Boom(m, { statusCode: 403 })`, auth.access. */
export const hapi: Framework = {
  id: 'hapi',
  title: 'hapi / Boom',
  enablers: ['@hapi/hapi', 'hapi', '@hapi/boom', 'boom'],
  kinds: [
    ts.SyntaxKind.CallExpression,
    ts.SyntaxKind.NewExpression,
    ts.SyntaxKind.BinaryExpression,
    ts.SyntaxKind.PropertyAssignment,
  ],
  visit(node, analysis) {
    if (ts.isCallExpression(node) && analysis.resolvesTo(node.expression, BOOM, 'forbidden')) {
      forbidden(analysis, node);
      return;
    }
    // `Boom[this.errorType](msg)`, `Boom[kind](msg)`: the factory the key names at run time (session 39).
    // `Boom[key].apply(Boom, arguments)` too (a forwarded call, syntax.ts `calledFunction`).
    if (
      (ts.isCallExpression(node) || ts.isNewExpression(node)) &&
      isBoomKeyed(analysis, factoryCalled(node))
    ) {
      runTimeFactory(analysis, node, { library: 'Boom', member: 'forbidden', framework: 'hapi' });
      return;
    }
    if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
      const callee = node.expression;
      if (isBoomConstructor(analysis, node) || analysis.resolvesTo(callee, BOOM, 'boomify')) {
        const options = node.arguments?.[1] && initObject(node.arguments[1]);
        // `{ statusCode }` shorthand too: a helper `(statusCode) => new Boom(m, { statusCode })` is a status helper.
        const status = options ? statusProperty(options, 'statusCode') : undefined;
        if (status) analysis.statusSlot(status.value, node, 'hapi');
        return;
      }
    }
    const call = methodCall(node);
    if (call?.method === 'code') {
      const receiver = analysis.receiver(call.object);
      // `h.response(x).code(403)`, or that response held first (`const response = h.response(x)`, hapi's documented
      // style; session 37): `h` itself has no `code()`.
      if (receiver?.kind === 'hapi' && (ts.isCallExpression(call.object) || receiver.held?.chained))
        analysis.statusSlot(call.args[0], call.call, 'hapi');
      return;
    }
    const assign = assignment(node);
    if (
      assign?.property === 'statusCode' &&
      ts.isPropertyAccessExpression(assign.object) &&
      assign.object.name.text === 'output'
    ) {
      analysis.statusSlot(assign.right, node, 'hapi');
      return;
    }
    // A route's `options.response.status` keys: the payload rules per status, which follow the handler's status
    // (as Fastify's `schema.response` keys do).
    if (ts.isPropertyAssignment(node) && isResponseStatus(node.parent)) {
      responseKey(analysis, node, 'hapi');
      return;
    }
    if (
      ts.isPropertyAssignment(node) &&
      ts.isIdentifier(node.name) &&
      ['access', 'scope', 'entity'].includes(node.name.text) &&
      ts.isObjectLiteralExpression(node.parent) &&
      isAuthOptions(node.parent)
    ) {
      implicit(analysis, node, 'hapi', 'hapi-auth-access');
    }
  },
};

/** `Boom[key]` with a computed key on Boom's default or namespace import (or its `require`). */
function isBoomKeyed(analysis: FileAnalysis, callee: ts.Expression): boolean {
  const access = skipOuter(callee);
  if (!ts.isElementAccessExpression(access) || !ts.isIdentifier(access.expression)) return false;
  const binding = analysis.packageOf(access.expression.text) ?? analysis.importOf(access.expression.text);
  return Boolean(
    binding && BOOM.includes(binding.module) && (binding.name === 'default' || binding.name === '*'),
  );
}

/** `response: { status: { 200: …, 403: … } }`: hapi's payload validation per status (route `options.response`). */
function isResponseStatus(object: ts.Node): boolean {
  const status = object.parent;
  if (!ts.isObjectLiteralExpression(object) || !status || !ts.isPropertyAssignment(status)) return false;
  if (!ts.isIdentifier(status.name) || status.name.text !== 'status') return false;
  const response = status.parent.parent;
  return Boolean(
    response &&
    ts.isPropertyAssignment(response) &&
    ts.isIdentifier(response.name) &&
    response.name.text === 'response',
  );
}

/**
 * Whether an object literal is a hapi auth config, whose `access` / `scope` / `entity` make hapi answer 403 when
 * the credentials do not match: a route's or the server's route defaults' `auth: { … }`, the server-wide default
 * `server.auth.default({ strategy, scope })`, or a `const` holding either (`const auth = { scope: ['admin'] }`
 * then `options: { auth }` or `server.auth.default(auth)`).
 */
function isAuthOptions(object: ts.ObjectLiteralExpression): boolean {
  const holder = object.parent;
  if (ts.isPropertyAssignment(holder)) return ts.isIdentifier(holder.name) && holder.name.text === 'auth';
  if (ts.isCallExpression(holder)) return holder.arguments[0] === object && isAuthDefault(holder.expression);
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) {
    const name = holder.name.text;
    let used = false;
    const visit = (node: ts.Node): void => {
      if (used) return;
      if (
        (ts.isPropertyAssignment(node) &&
          ts.isIdentifier(node.name) &&
          node.name.text === 'auth' &&
          ts.isIdentifier(node.initializer) &&
          node.initializer.text === name) ||
        (ts.isShorthandPropertyAssignment(node) && node.name.text === 'auth' && name === 'auth') ||
        (ts.isCallExpression(node) &&
          isAuthDefault(node.expression) &&
          node.arguments.length > 0 &&
          ts.isIdentifier(node.arguments[0]) &&
          node.arguments[0].text === name)
      ) {
        used = true;
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(holder.getSourceFile());
    return used;
  }
  return false;
}

/** `server.auth.default` (any receiver): hapi's server-wide default auth config. */
function isAuthDefault(callee: ts.Expression): boolean {
  return (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === 'default' &&
    ts.isPropertyAccessExpression(callee.expression) &&
    callee.expression.name.text === 'auth'
  );
}

/**
 * `Boom.forbidden(m, data)`. For 401 the signatures differ: `Boom.unauthorized(message, scheme, attributes)`
 * reads its second argument as the challenge scheme, so a `data` argument cannot move across.
 */
function forbidden(analysis: FileAnalysis, call: ts.CallExpression): void {
  const target = analysis.target;
  const callee = call.expression;
  if (target === 401 && call.arguments.length > 1) {
    analysis.addSite({
      node: call,
      framework: 'hapi',
      manual: true,
      reason:
        "Boom.unauthorized's second argument is the WWW-Authenticate scheme, not data: write new Boom.Boom(message, { statusCode: 401, data }) (and add the challenge header).",
    });
    return;
  }
  const helper = BOOM_HELPERS[target];
  if (!helper) {
    analysis.addSite({
      node: call,
      framework: 'hapi',
      manual: true,
      reason: `No Boom helper for ${target}: use new Boom.Boom(message, { statusCode: ${target} }).`,
    });
    return;
  }
  const rename = renameCallee(analysis, callee, helper);
  if ('manual' in rename) {
    analysis.addSite({ node: call, framework: 'hapi', manual: true, reason: rename.manual });
    return;
  }
  const edits = [...rename.edits];
  const scheme = challenge(analysis);
  if (scheme) {
    const end = call.arguments.length ? call.arguments[0].getEnd() : call.arguments.pos;
    const message = call.arguments.length ? '' : 'null';
    edits.push({ start: end, end, text: `${message}, ${quoted(analysis, scheme)}` });
  }
  analysis.addSite({ node: call, framework: 'hapi', edits, imports: rename.imports });
}

/**
 * `new Boom.Boom(…)`, `new Boom(…)`: up to boom 7 (and @hapi/boom 7) the module itself is the class, so its default
 * import or its whole `require('boom')` is constructed (session 36: the CommonJS form was an unknown shape).
 */
function isBoomConstructor(analysis: FileAnalysis, node: ts.NewExpression | ts.CallExpression): boolean {
  if (!ts.isNewExpression(node)) return false;
  if (analysis.resolvesTo(node.expression, BOOM, 'Boom')) return true;
  const binding = ts.isIdentifier(node.expression) ? analysis.importOf(node.expression.text) : undefined;
  return Boolean(
    binding && BOOM.includes(binding.module) && (binding.name === 'default' || binding.name === '*'),
  );
}
