import ts from '../../typescript.cjs';
import type { FileImports } from './file-imports.js';
import { enclosingFunction } from '../scope.js';
import { shorten, skipOuter } from './syntax.js';

/**
 * 403s that travel over a protocol other than HTTP, so that no HTTP response carries them and an mTLS migration
 * of HTTP statuses does not decide them (census.ts names them; error-objects.ts does not rewrite them):
 * - a Meteor method or publication error, `new Meteor.Error(403, 'Access denied')`: DDP sends it to the client
 *   over its WebSocket as the error's `error` field (docs.meteor.com/api/meteor.html#Meteor-Error), never as an
 *   HTTP status;
 * - a value a socket.io handler hands back or emits: an acknowledgement (`socket.on('x', (data, cb) => cb({
 *   status: 403 }))`), `socket.emit('error', { code: 403 })`, a middleware's `next(err)` with `err.data = {
 *   status: 403 }` (the client's `connect_error`, socket.io.github.io/docs/v4/middlewares/#sending-credentials).
 *   These are messages on an open connection, not statuses.
 */
export interface NonHttp {
  protocol: 'ddp' | 'socket.io';
  /** The expression to name: `new Meteor.Error(403, 'no')`, `cb({ status: 403 })`. */
  form: ts.Node;
}

/** What the reads below need of a file: its imports (FileAnalysis and FileImports have them). */
type Imports = Pick<FileImports, 'importOf' | 'importsModule'>;

/** Where a 403 at `node` goes out over DDP or socket.io (see {@link NonHttp}); undefined for anything else. */
export function nonHttpCarrier(analysis: Imports, node: ts.Node): NonHttp | undefined {
  return meteorError(node) ?? socketMessage(analysis, node);
}

/** The reason a 403 of a non-HTTP protocol is named with (census.ts), `target` the agreed status. */
export function nonHttpReason(carrier: NonHttp, text: string, target: number | undefined): string {
  const agreed = target === undefined ? 'the agreed status' : String(target);
  if (carrier.protocol === 'ddp')
    return `A Meteor (DDP) error, not an HTTP status (${text}): Meteor sends it to the client over DDP as the error's code, and no HTTP response carries it. Review it by hand: where it stands for a missing or rejected client certificate, have the method answer the code your clients expect for that (${agreed} if they read it as HTTP's); else mark it // mtls-fix-ignore: DDP error.`;
  return `A socket.io message, not an HTTP status (${text}): it goes to the client over the open connection (an acknowledgement, an emitted event or a middleware's connect_error), and no HTTP response carries it. Review it by hand: where it stands for a missing or rejected client certificate, send the code your clients expect for that (${agreed} if they read it as HTTP's); else mark it // mtls-fix-ignore: socket.io message.`;
}

/** `new Meteor.Error(403, …)` / `Meteor.Error('403')`: the 403 is the error's first argument, or inside it. */
function meteorError(node: ts.Node): NonHttp | undefined {
  let current: ts.Node = node;
  for (let depth = 0; current.parent && depth < 4; depth++) {
    const parent = current.parent;
    if ((ts.isNewExpression(parent) || ts.isCallExpression(parent)) && parent.expression !== current) {
      const first = parent.arguments?.[0];
      return first &&
        skipOuter(first) === skipOuter(current as ts.Expression) &&
        isMeteorError(parent.expression)
        ? { protocol: 'ddp', form: parent }
        : undefined;
    }
    if (!ts.isExpression(parent) || ts.isFunctionLike(parent)) return undefined;
    current = parent;
  }
  return undefined;
}

function isMeteorError(callee: ts.Expression): boolean {
  const node = skipOuter(callee);
  return (
    ts.isPropertyAccessExpression(node) &&
    node.name.text === 'Error' &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'Meteor'
  );
}

/** Methods that register a socket.io handler on a server, namespace or socket. */
const HANDLER_METHODS = new Set(['on', 'once', 'use', 'addListener', 'prependListener', 'onAny']);
/** Methods that send a message over a socket.io connection. */
const SEND_METHODS = new Set(['emit', 'send', 'emitWithAck', 'timeout']);

/** A 403 in a socket.io handler or in what a socket.io call sends (see {@link NonHttp}). */
function socketMessage(analysis: Imports, node: ts.Node): NonHttp | undefined {
  if (!analysis.importsModule('socket.io')) return undefined;
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) {
      const method = current.expression.name.text;
      if (SEND_METHODS.has(method) && isSocket(analysis, current.expression.expression))
        return { protocol: 'socket.io', form: current };
    }
    if (!ts.isFunctionLike(current)) continue;
    const call = current.parent;
    if (
      ts.isCallExpression(call) &&
      call.arguments.includes(current as ts.Expression) &&
      ts.isPropertyAccessExpression(call.expression) &&
      HANDLER_METHODS.has(call.expression.name.text) &&
      isSocket(analysis, call.expression.expression)
    )
      return { protocol: 'socket.io', form: formOf(node) };
  }
  return undefined;
}

/** The call or statement around a 403 inside a handler, for the site's form (`cb({ status: 403 })`). */
function formOf(node: ts.Node): ts.Node {
  let form: ts.Node = node;
  while (
    form.parent &&
    !ts.isFunctionLike(form.parent) &&
    (ts.isExpression(form.parent) ||
      ts.isPropertyAssignment(form.parent) ||
      ts.isShorthandPropertyAssignment(form.parent) ||
      ts.isSpreadAssignment(form.parent))
  )
    form = form.parent;
  return form;
}

/**
 * Whether `expression` is a socket.io server, namespace or socket: a name made by socket.io (`new Server(…)`,
 * `require('socket.io')(server)`, `socketIo(server)` of its import), a namespace or room of one (`io.of('/a')`,
 * `io.to(room)`, `io.sockets`), or a parameter of a handler registered on one (`socket` of `io.on('connection',
 * (socket) => …)`, of `io.use((socket, next) => …)`).
 */
function isSocket(analysis: Imports, expression: ts.Expression, depth = 0): boolean {
  if (depth > 6) return false;
  const node = skipOuter(expression);
  if (ts.isPropertyAccessExpression(node)) return isSocket(analysis, node.expression, depth + 1);
  if (ts.isCallExpression(node)) {
    if (madeBySocketIo(analysis, node)) return true;
    return (
      ts.isPropertyAccessExpression(node.expression) &&
      isSocket(analysis, node.expression.expression, depth + 1)
    );
  }
  if (!ts.isIdentifier(node)) return false;
  const declaration = declarationOf(node);
  if (!declaration) return false;
  if (ts.isVariableDeclaration(declaration)) {
    const init = declaration.initializer && skipOuter(declaration.initializer);
    if (!init) return false;
    if ((ts.isNewExpression(init) || ts.isCallExpression(init)) && madeBySocketIo(analysis, init))
      return true;
    return ts.isPropertyAccessExpression(init) || ts.isCallExpression(init)
      ? isSocket(analysis, init, depth + 1)
      : false;
  }
  // A parameter of a handler registered on a socket.io object.
  const fn = declaration.parent;
  if (!ts.isFunctionLike(fn)) return false;
  const call = fn.parent;
  return (
    ts.isCallExpression(call) &&
    ts.isPropertyAccessExpression(call.expression) &&
    HANDLER_METHODS.has(call.expression.name.text) &&
    isSocket(analysis, call.expression.expression, depth + 1)
  );
}

/** `new Server(…)` / `Server(…)` / `socketIo(…)` / `require('socket.io')(…)` with the callee from socket.io. */
function madeBySocketIo(analysis: Imports, call: ts.NewExpression | ts.CallExpression): boolean {
  let callee = skipOuter(call.expression);
  if (ts.isCallExpression(callee)) {
    const argument = callee.arguments[0];
    return (
      ts.isIdentifier(callee.expression) &&
      callee.expression.text === 'require' &&
      argument !== undefined &&
      ts.isStringLiteral(argument) &&
      argument.text === 'socket.io'
    );
  }
  while (ts.isPropertyAccessExpression(callee)) callee = skipOuter(callee.expression);
  return ts.isIdentifier(callee) && analysis.importOf(callee.text)?.module === 'socket.io';
}

/** The variable declaration or parameter that binds `name` around it (by name, nearest scope first). */
function declarationOf(name: ts.Identifier): ts.VariableDeclaration | ts.ParameterDeclaration | undefined {
  for (let fn = enclosingFunction(name); fn; fn = enclosingFunction(fn)) {
    const parameter = fn.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name.text);
    if (parameter) return parameter;
  }
  let found: ts.VariableDeclaration | undefined;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if (ts.isVariableDeclaration(child) && ts.isIdentifier(child.name) && child.name.text === name.text) {
      found = child;
      return;
    }
    child.forEachChild(visit);
  };
  visit(name.getSourceFile());
  return found;
}

/**
 * A 403 held by another protocol's message (`nonHttpCarrier`), as the census names it: the reason, quoting the
 * carrier, and the carrier's node; undefined when no such carrier holds `node`.
 */
export function nonHttpManual(
  analysis: Imports & { readonly sourceFile: ts.SourceFile; readonly target: number | undefined },
  node: ts.Node,
): { reason: string; at: ts.Node } | undefined {
  const carrier = nonHttpCarrier(analysis, node);
  if (!carrier) return undefined;
  const text = shorten(carrier.form.getText(analysis.sourceFile));
  return { reason: nonHttpReason(carrier, text, analysis.target), at: carrier.form };
}
