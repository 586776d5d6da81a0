import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { skipOuter } from '../analysis/syntax.js';
import type { Framework } from './framework.js';

/** Where an option is written: `key: value`, `{ key }`, `key() {}`, `x.key = value`. */
const OPTION_KINDS: readonly ts.SyntaxKind[] = [
  ts.SyntaxKind.PropertyAssignment,
  ts.SyntaxKind.ShorthandPropertyAssignment,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.BinaryExpression,
];

/**
 * The HTTP answers of WebSocket / Socket.IO handshakes, set by an option of the server rather than a status slot
 * (session 33: a rejecting `allowRequest` read clean, and its file was not even parsed).
 *
 * Facts (read in the packages' code):
 * - engine.io (socketio/engine.io lib/server.ts, 6.x; Socket.IO hands it its options): `verify` calls
 *   `allowRequest(req, fn)` for a handshake, and `fn(err, success)` with a falsy `success` (`fn('Forbidden',
 *   false)`, `fn(null)`, `fn(err)`) is `Server.errors.FORBIDDEN`, which `abortRequest` answers with HTTP 403 on the
 *   polling transport (Socket.IO's first request by default); `abortUpgrade` answers a WebSocket upgrade with 400.
 *   The first argument is only the message. So an `allowRequest` that may reject is an implicit 403: a manual site.
 * - ws (websockets/ws lib/websocket-server.js, 8.x and 7.x): `verifyClient(info, cb)` with two parameters answers
 *   a rejection `cb(false, code, message, headers)` with `code || 401`; a one-parameter `verifyClient` returning
 *   false answers 401. So only `cb(false, 403)` (or a code passed through) answers 403: the code is a status slot,
 *   rewritten or named as any other.
 *
 * The option is found by its key wherever the object is written (`{ allowRequest }` built in one file and handed
 * to `new Server(http, opts)` through a project function's parameter in another), as a property, a method, a
 * shorthand or an assignment (`opts.allowRequest = check`); a function named there is followed when it is
 * declared in the file.
 */
export const socketIoHandshakes: Framework = {
  id: 'socket.io',
  title: 'Socket.IO / engine.io allowRequest (a rejected handshake answers 403)',
  enablers: ['socket.io', 'engine.io'],
  kinds: OPTION_KINDS,
  visit(node, analysis) {
    if (analysis.options.testFile) return;
    const option = optionOf(node, 'allowRequest');
    if (!option) return;
    const fn = functionOf(option.value);
    if (fn && !mayReject(fn)) return;
    const n = analysis.target;
    const how = fn
      ? 'a handshake it rejects (its callback given a falsy second argument)'
      : 'a handshake the function it names rejects';
    analysis.addSite({
      node: option.node,
      framework: 'socket.io',
      manual: true,
      reason: `Implicit 403: engine.io (under Socket.IO) answers ${how} with HTTP 403 on the polling transport (400 on a WebSocket upgrade), whatever message it is given. On mTLS connections accept in allowRequest and answer ${n} from an engine middleware instead (io.engine.use((req, res, next) => { if (denied(req)) { res.writeHead(${n}); res.end(); } else next(); })), or remap 403 to ${n} in front of the server.`,
    });
  },
};

/** ws `verifyClient(info, cb)`: the code of `cb(false, code)` is a status slot (401 when absent). */
export const wsHandshakes: Framework = {
  id: 'ws',
  title: 'ws verifyClient (cb(false, code) answers the upgrade with code)',
  enablers: ['ws', 'isomorphic-ws', 'express-ws', '@fastify/websocket', 'fastify-websocket'],
  kinds: OPTION_KINDS,
  visit(node, analysis) {
    const option = optionOf(node, 'verifyClient');
    if (!option) return;
    const fn = functionOf(option.value);
    if (!fn) return;
    for (const call of callbackCalls(fn)) statusCode(analysis, call);
  },
};

function statusCode(analysis: FileAnalysis, call: ts.CallExpression): void {
  const code = call.arguments[1];
  if (!code) return;
  analysis.statusSlot(code, call, 'ws');
}

/** The option's node (reported) and its value: `key: value`, `key() {}`, `{ key }`, `x.key = value`. */
function optionOf(
  node: ts.Node,
  key: string,
): { node: ts.Node; value: ts.Expression | ts.FunctionLikeDeclaration } | undefined {
  if (ts.isPropertyAssignment(node) && nameIs(node.name, key)) return { node, value: node.initializer };
  if (ts.isShorthandPropertyAssignment(node) && node.name.text === key) return { node, value: node.name };
  if (ts.isMethodDeclaration(node) && ts.isObjectLiteralExpression(node.parent) && nameIs(node.name, key))
    return { node, value: node };
  if (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isPropertyAccessExpression(node.left) &&
    node.left.name.text === key
  )
    return { node, value: node.right };
  return undefined;
}

function nameIs(name: ts.PropertyName, key: string): boolean {
  return (ts.isIdentifier(name) || ts.isStringLiteral(name)) && name.text === key;
}

type Callable = ts.FunctionLikeDeclaration;

/**
 * The function an option holds: written in place, or named and declared in a block enclosing the option (a
 * function declaration, or a `const` holding a function); undefined when it cannot be read here (imported, built
 * by a call, a parameter).
 */
function functionOf(value: ts.Expression | Callable): Callable | undefined {
  if (ts.isMethodDeclaration(value) || ts.isFunctionDeclaration(value)) return value;
  const node = skipOuter(value as ts.Expression);
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return node;
  if (!ts.isIdentifier(node)) return undefined;
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
    for (const statement of scope.statements) {
      if (ts.isFunctionDeclaration(statement) && statement.name?.text === node.text) return statement;
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const))
        continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || declaration.name.text !== node.text) continue;
        const init = declaration.initializer && skipOuter(declaration.initializer);
        return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
      }
    }
  }
  return undefined;
}

/** The calls of a function's second parameter (the callback `cb` of `(req, cb) => …`) in its body. */
function callbackCalls(fn: Callable): ts.CallExpression[] {
  const name = callbackName(fn);
  if (!name || !fn.body) return [];
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isNamed(node.expression, name)) calls.push(node);
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return calls;
}

function callbackName(fn: Callable): string | undefined {
  const parameter = fn.parameters[1];
  return parameter && ts.isIdentifier(parameter.name) ? parameter.name.text : undefined;
}

function isNamed(expression: ts.Expression, name: string): boolean {
  const node = skipOuter(expression);
  return ts.isIdentifier(node) && node.text === name;
}

/**
 * Whether an `allowRequest` may reject: its callback is called with a second argument other than `true` (or with
 * fewer than two: `fn(null)` leaves `success` undefined, a rejection), or handed on (`check(req, cb)`,
 * `.then(() => cb(null, true), cb)`), or the function reads it in a way not followed here.
 */
function mayReject(fn: Callable): boolean {
  const name = callbackName(fn);
  if (!name || !fn.body) return false;
  let rejects = false;
  const visit = (node: ts.Node): void => {
    if (rejects) return;
    if (ts.isIdentifier(node) && node.text === name && node !== fn.parameters[1].name) {
      const parent = node.parent;
      const called = ts.isCallExpression(parent) && parent.expression === node;
      if (!called) {
        rejects = true;
        return;
      }
      const success = parent.arguments[1];
      if (!success || skipOuter(success).kind !== ts.SyntaxKind.TrueKeyword) rejects = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return rejects;
}
