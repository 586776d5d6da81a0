import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { skipOuter } from '../analysis/syntax.js';
import type { ReceiverKind } from '../analysis/types.js';
import type { Framework } from './framework.js';
import { express } from './express.js';
import { methodCall } from './shared.js';

/**
 * File-sending helpers built on `send` / `@fastify/send` / @hapi/inert, called on a route's response: they answer
 * 403 for a path the request controls, with no 403 and no import of the package in the file. Each call is a manual
 * `Implicit 403` site (its file is parsed: prefilter.ts names `.sendFile(`, `.sendfile(`, `.download(`, `h.file(`).
 *
 * Facts (read in the packages' code, with the version):
 * - send (pillarjs/send 1.2.1 index.js `SendStream.prototype.pipe`; the same in 0.19, Express 4's): with a `root`
 *   the path is normalized under it and a path that climbs out (`UP_PATH_REGEXP`, `..` segments, a `%2e%2e` decoded)
 *   is `this.error(403)`; without a root any `..` segment is 403 too ("'..' is malicious without 'root'"); a dotfile
 *   is 403 under `dotfiles: 'deny'` (404 under the default 'ignore').
 * - Express (expressjs/express 5.2.1 and 4.22.0 lib/response.js): `res.sendFile(path, opts, fn)` and the
 *   deprecated `res.sendfile` hand the path to send and, with no callback, pass its error to `next(err)` (the error
 *   handler answers `err.status`, 403); `res.download(path, [name], [opts], [fn])` calls `res.sendFile` with
 *   `resolve(path)` when there is no `root` (normalized: no `..` left), else with the path as given. A callback
 *   gets the error instead; what it answers is read where it answers (a `res.status(err.status)` is a dynamic status).
 * - @fastify/static (fastify/fastify-static 10.1.2 index.js): `reply.sendFile(path, [root], [opts])` and
 *   `reply.download(path, [name], [opts])` answer 403 for a path with a `..` segment (`forbiddenPathError`, or
 *   @fastify/send 4.1.0's `UP_PATH_REGEXP` 403), for a dotfile under `dotfiles: 'deny'`, and for a folder asked
 *   with a trailing slash (@fastify/send `hasTrailingSlash` 403).
 * - @hapi/inert (hapijs/inert 7.1.2 lib/file.js): `h.file(path, [opts])` answers Boom.forbidden for a path
 *   outside `confine` (on by default: the route's `files.relativeTo`), and lib/fs.js for a folder (EISDIR) and a
 *   file it may not read (EACCES / EPERM).
 *
 * Not sites: a fixed path (a string, or literals joined with `__dirname` / `process.cwd()`) with no `..` segment
 * (and no dotfile under `dotfiles: 'deny'`), since the request cannot make it climb; with no root in Express, a
 * path normalized by `path.join` / `path.resolve` / `path.normalize` (no `..` left), or one the server holds (a
 * name or property that neither reads the request nor joins text: `res.sendFile(theme.filename)`), unless
 * `dotfiles: 'deny'`;
 * an Express call whose callback neither passes its error on (`next(err)`, `throw err`) nor is a name (`next`);
 * hapi's `h.file` with `confine: false`. Nest's `StreamableFile` wraps a stream or buffer it is given and answers
 * no 403 of its own (its stream's errors answer 500); Koa's koa-send is named at its import (middleware-403-table.ts).
 */
interface Sender {
  receiver: ReceiverKind;
  methods: ReadonlySet<string>;
  framework: string;
}

const EXPRESS: Sender = {
  receiver: 'response',
  methods: new Set(['sendFile', 'sendfile', 'download']),
  framework: 'express',
};
const FASTIFY: Sender = {
  receiver: 'reply',
  methods: new Set(['sendFile', 'download']),
  framework: 'fastify',
};
const HAPI: Sender = { receiver: 'hapi', methods: new Set(['file']), framework: 'hapi' };

/** Express `res.sendFile` / `res.download` / `res.sendfile` (send's 403). */
export const expressFileSenders: Framework = {
  id: 'express',
  title: 'Express file senders (res.sendFile, res.download) that answer 403',
  enablers: express.enablers,
  kinds: [ts.SyntaxKind.CallExpression],
  visit: (node, analysis) => visitSender(node, analysis, EXPRESS),
};

/** @fastify/static's `reply.sendFile` / `reply.download`, in files that do not register the plugin. */
export const fastifyFileSenders: Framework = {
  id: 'fastify',
  title: '@fastify/static reply.sendFile / reply.download that answer 403',
  enablers: ['fastify', '@fastify/static', 'fastify-static'],
  kinds: [ts.SyntaxKind.CallExpression],
  visit: (node, analysis) => visitSender(node, analysis, FASTIFY),
};

/** @hapi/inert's `h.file(path)`, in files that do not import inert. */
export const hapiFileSenders: Framework = {
  id: 'hapi',
  title: '@hapi/inert h.file that answers 403',
  enablers: ['@hapi/hapi', 'hapi', '@hapi/inert', 'inert'],
  kinds: [ts.SyntaxKind.CallExpression],
  visit: (node, analysis) => visitSender(node, analysis, HAPI),
};

function visitSender(node: ts.Node, analysis: FileAnalysis, sender: Sender): void {
  if (analysis.options.testFile) return;
  const call = methodCall(node);
  if (!call || !sender.methods.has(call.method)) return;
  const receiver = analysis.receiver(call.object);
  const received = receiver?.kind === sender.receiver && receiver.path.length === 0;
  if (!received && !(sender === HAPI && isHapiToolkit(call.object, receiver?.kind))) return;
  if (!call.args[0]) return;
  const options = optionsOf(call.args);
  const why = causes(analysis, call.method, call.args, options, sender);
  if (!why) return;
  const n = String(analysis.target);
  analysis.addSite({
    node: call.call,
    framework: sender.framework,
    manual: true,
    reason: `Implicit 403: ${shown(call.method, sender)} answers 403 ${why}. ${remedy(sender, n)}`,
    // Express's res.sendFile without a callback passes send's 403 on with next(err); @fastify/static writes it on
    // the reply (an onSend hook sees it); hapi's h.file answers a Boom.
    remapLayers: sender === FASTIFY ? ['response-hook'] : ['error-handler'],
  });
}

/**
 * hapi's response toolkit under a name the receivers do not know (session 33): `reply.file(…)` (hapi 16 and
 * before, whose handlers were `(request, reply)`; a Fastify reply has no `file` method), `toolkit.file(…)`,
 * `responseToolkit.file(…)`: the second parameter of a handler-shaped function (its first parameter `request` /
 * `req` / `r`, or the function is the value of a `handler` key). A name of another kind (`res`, `ctx`) is not.
 */
function isHapiToolkit(object: ts.Expression, kind: ReceiverKind | undefined): boolean {
  if (kind !== undefined && kind !== 'reply') return false;
  const node = skipOuter(object);
  if (!ts.isIdentifier(node)) return false;
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    if (!ts.isFunctionLike(scope)) continue;
    const index = scope.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === node.text);
    if (index < 0) continue;
    if (index !== 1) return false;
    const first = scope.parameters[0].name;
    const key = ts.isMethodDeclaration(scope)
      ? scope.name
      : ts.isPropertyAssignment(scope.parent)
        ? scope.parent.name
        : undefined;
    const handler = key !== undefined && ts.isIdentifier(key) && key.text === 'handler';
    return handler || (ts.isIdentifier(first) && /^_?(?:req|request|r)$/i.test(first.text));
  }
  return false;
}

/** What the site says the call is: `res.sendFile(…) (send)`. */
function shown(method: string, sender: Sender): string {
  if (sender === EXPRESS) return `res.${method}(…) (Express, through send)`;
  if (sender === FASTIFY) return `reply.${method}(…) (@fastify/static, through @fastify/send)`;
  return 'h.file(…) (@hapi/inert)';
}

/** How to answer `n` instead, per framework. */
function remedy(sender: Sender, n: string): string {
  if (sender === EXPRESS)
    return `On mTLS routes check the path yourself and answer ${n}, or pass a callback that answers ${n} for err.status 403 (res.sendFile(p, opts, (err) => { if (err) res.status(err.status === 403 ? ${n} : err.status || 500).end(); })), or map 403 to ${n} in the error handler.`;
  if (sender === FASTIFY)
    return `On mTLS routes check the path yourself and answer ${n}, or remap 403 to ${n} in an onSend hook (if (reply.statusCode === 403) reply.code(${n})).`;
  return `On mTLS routes remap in onPreResponse: if (r.isBoom && r.output.statusCode === 403) r.output.statusCode = ${n}.`;
}

/**
 * Why the call can answer 403 for what the request sends (`when the path … leaves the root …`), or undefined when
 * it cannot (see the module docstring).
 */
function causes(
  analysis: FileAnalysis,
  method: string,
  args: readonly ts.Expression[],
  options: ts.ObjectLiteralExpression | undefined,
  sender: Sender,
): string | undefined {
  const deny = options !== undefined && stringProperty(options, 'dotfiles') === 'deny';
  const fixed = fixedText(args[0]);
  if (fixed !== undefined) {
    if (UP_SEGMENT.test(fixed)) return `for its path '${fixed}', which holds a '..' segment`;
    if (deny && DOT_SEGMENT.test(fixed)) return `for its path '${fixed}', a dotfile under dotfiles: 'deny'`;
    return undefined;
  }
  if (sender === HAPI) {
    if (options && booleanProperty(options, 'confine') === false) return undefined;
    return 'when the path the request gives leaves its confine folder (on by default), names a folder, or a file it may not read (Boom.forbidden)';
  }
  const dotfile = "when the path names a dotfile (dotfiles: 'deny')";
  let climb: string;
  if (sender === EXPRESS) {
    if (!passesErrorOn(callbackOf(args))) return undefined;
    const root = hasRoot(method, args, options);
    // Without a root, res.download resolves the path, and a normalized path holds no '..' for send to refuse;
    // an absolute path the server holds (`res.sendFile(theme.filename)`, thelounge) has none the request can add.
    if (!root && (method === 'download' || isNormalized(analysis, args[0]) || !requestMade(args[0])))
      return deny ? dotfile : undefined;
    climb = root
      ? "when the path the request gives leaves the root ('..', also %2e%2e in a route parameter)"
      : "when the path the request gives holds a '..' segment (send refuses it without a root)";
  } else {
    if (isNormalized(analysis, args[0])) return deny ? dotfile : undefined;
    climb =
      "when the path the request gives holds a '..' segment (also %2e%2e in a route parameter) or names a folder with a trailing slash";
  }
  return deny ? `${climb}, or names a dotfile (dotfiles: 'deny')` : climb;
}

/** A `..` path segment (send's UP_PATH_REGEXP). */
const UP_SEGMENT = /(?:^|[\\/])\.\.(?:[\\/]|$)/;
/** A segment naming a dotfile or dot-folder (send's containsDotFile: a part starting with '.', not '.' or '..'). */
const DOT_SEGMENT = /(?:^|[\\/])\.(?!\.?(?:[\\/]|$))/;

/**
 * The text of a path fixed in the code: a string, a template without substitutions, or `+` / template
 * concatenations of those and of `__dirname`, `__filename`, `import.meta.dirname` / `filename`, `process.cwd()`
 * (absolute, normalized folders no request chooses), shown as `<dir>`; undefined for anything the request may set.
 */
function fixedText(expression: ts.Expression): string | undefined {
  const node = skipOuter(expression);
  if (ts.isStringLiteralLike(node)) return node.text;
  if (isFixedFolder(node)) return '<dir>';
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = fixedText(node.left);
    const right = left === undefined ? undefined : fixedText(node.right);
    return right === undefined ? undefined : `${left}${right}`;
  }
  if (ts.isTemplateExpression(node)) {
    let text = node.head.text;
    for (const span of node.templateSpans) {
      const part = fixedText(span.expression);
      if (part === undefined) return undefined;
      text += part + span.literal.text;
    }
    return text;
  }
  return undefined;
}

function isFixedFolder(node: ts.Expression): boolean {
  if (ts.isIdentifier(node)) return node.text === '__dirname' || node.text === '__filename';
  const text = node.getText();
  return /^(?:import\.meta\.(?:dirname|filename)|process\.cwd\(\))$/.test(text);
}

const NORMALIZERS = new Set(['join', 'resolve', 'normalize']);
const PATH_MODULES = new Set(['path', 'node:path', 'path/posix', 'node:path/posix', 'upath']);

/**
 * A path made by `path.join` / `path.resolve` / `path.normalize` (or those imported from 'path'), or a const of
 * this file's enclosing scopes holding one: normalized, so no `..` segment is left in an absolute result.
 */
function isNormalized(analysis: FileAnalysis, expression: ts.Expression, depth = 0): boolean {
  const node = skipOuter(expression);
  if (ts.isIdentifier(node) && depth < 3) {
    const init = constInitializer(node);
    return init !== undefined && isNormalized(analysis, init, depth + 1);
  }
  if (!ts.isCallExpression(node)) return false;
  const callee = skipOuter(node.expression);
  if (ts.isPropertyAccessExpression(callee) && NORMALIZERS.has(callee.name.text)) {
    const owner = skipOuter(callee.expression);
    if (!ts.isIdentifier(owner)) return false;
    const module = analysis.importOf(owner.text)?.module;
    return module !== undefined ? PATH_MODULES.has(module) : owner.text === 'path';
  }
  if (ts.isIdentifier(callee)) {
    const binding = analysis.importOf(callee.text);
    return binding !== undefined && PATH_MODULES.has(binding.module) && NORMALIZERS.has(binding.name ?? '');
  }
  return false;
}

/** The request's members a path is read from: `req.params.x`, `request.query.x`, `req.path`, `req.url`, `req.body.x`. */
const REQUEST_MEMBERS = new Set(['params', 'query', 'path', 'url', 'originalUrl', 'baseUrl', 'body']);

/**
 * Whether the request can put a '..' into the path: a read of the request (`req.params[0]`), a call given one
 * (`decodeURIComponent(req.params.f)`), text joined with a part that is not fixed (`dir + '/' + name`,
 * `` `${dir}/${name}` ``), directly or through a const of the file. A member of something looked up
 * (`themes.get(req.params.n).filename`) is the server's.
 */
function requestMade(expression: ts.Expression, depth = 0): boolean {
  const node = skipOuter(expression);
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
    let member: ts.Expression = node;
    let first: string | undefined;
    while (ts.isPropertyAccessExpression(member) || ts.isElementAccessExpression(member)) {
      if (ts.isPropertyAccessExpression(member)) first = member.name.text;
      member = skipOuter(member.expression);
    }
    return (
      ts.isIdentifier(member) &&
      (member.text === 'req' || member.text === 'request') &&
      first !== undefined &&
      REQUEST_MEMBERS.has(first)
    );
  }
  if (ts.isIdentifier(node)) {
    // A helper's parameter (`function send(res, p) { res.sendFile(p) }`, session 33): its callers choose the path,
    // and a route may hand it what the request sent.
    if (isParameter(node)) return true;
    const init = depth < 3 ? constInitializer(node) : undefined;
    return init !== undefined && requestMade(init, depth + 1);
  }
  if (ts.isCallExpression(node)) return node.arguments.some((a) => requestMade(a, depth + 1));
  return (
    ts.isTemplateExpression(node) ||
    (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken)
  );
}

/**
 * Whether a name is a parameter of a function enclosing it (no `const` of that name between), not of a callback
 * handed to a call.
 */
function isParameter(node: ts.Identifier): boolean {
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    if (
      ts.isFunctionLike(scope) &&
      scope.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === node.text)
    )
      // A callback's parameter (`files.forEach((f) => res.sendFile(f))`) is what the call it is given to hands it.
      return !(ts.isCallExpression(scope.parent) && scope.parent.arguments.some((a) => a === scope));
    if ((ts.isBlock(scope) || ts.isSourceFile(scope)) && constInitializerIn(scope, node.text)) return false;
  }
  return false;
}

function constInitializerIn(scope: ts.Block | ts.SourceFile, name: string): ts.Expression | undefined {
  for (const statement of scope.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    if (!(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const declaration of statement.declarationList.declarations)
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return declaration.initializer;
  }
  return undefined;
}

/** `x` of `const name = x` in a block or file enclosing `node`, nearest first. */
function constInitializer(node: ts.Identifier): ts.Expression | undefined {
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      if (!(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name) && declaration.name.text === node.text)
          return declaration.initializer;
    }
  }
  return undefined;
}

/** The options object literal of the call, when written in place. */
function optionsOf(args: readonly ts.Expression[]): ts.ObjectLiteralExpression | undefined {
  // res.sendFile(p, opts), res.download(p, [name], opts), reply.sendFile(p, [root], opts), reply.download(p,
  // [name], opts), h.file(p, opts): the first object literal after the path.
  for (const argument of args.slice(1)) {
    const node = skipOuter(argument);
    if (ts.isObjectLiteralExpression(node)) return node;
  }
  return undefined;
}

/**
 * Whether an Express call gives send a root: a `root` key in its options, or options that are not written in
 * place (a name: they may hold one, and a root makes every dynamic path a site).
 */
function hasRoot(
  method: string,
  args: readonly ts.Expression[],
  options: ts.ObjectLiteralExpression | undefined,
): boolean {
  if (options) return options.properties.some((p) => propertyName(p) === 'root') || hasSpread(options);
  const slot = method === 'download' ? args.slice(1, 3) : args.slice(1, 2);
  return slot.some((a) => {
    const node = skipOuter(a);
    return (
      !ts.isFunctionLike(node) &&
      !ts.isStringLiteralLike(node) &&
      !ts.isTemplateExpression(node) &&
      !isNullish(node)
    );
  });
}

function hasSpread(options: ts.ObjectLiteralExpression): boolean {
  return options.properties.some((p) => ts.isSpreadAssignment(p));
}

function isNullish(node: ts.Expression): boolean {
  return node.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(node) && node.text === 'undefined');
}

/** The callback of an Express call: its last argument after the path, when it is a function or a name. */
function callbackOf(args: readonly ts.Expression[]): ts.Expression | undefined {
  const last = args.length > 1 ? skipOuter(args[args.length - 1]) : undefined;
  if (!last) return undefined;
  if (ts.isArrowFunction(last) || ts.isFunctionExpression(last)) return last;
  if (ts.isIdentifier(last) && !isNullish(last)) return last;
  return undefined;
}

/**
 * Whether the error reaches a response Express answers with its status: no callback (Express calls next(err)),
 * a callback given by name (`next`), or a function that passes its error parameter to a call or throws it.
 */
function passesErrorOn(callback: ts.Expression | undefined): boolean {
  // No callback: Express calls next(err). A name: options (`res.download(p, opts)`) or a function given the error.
  if (!callback || (!ts.isArrowFunction(callback) && !ts.isFunctionExpression(callback))) return true;
  const parameter = callback.parameters[0];
  if (!parameter || !ts.isIdentifier(parameter.name)) return false;
  const name = parameter.name.text;
  let passes = false;
  const visit = (node: ts.Node): void => {
    if (passes) return;
    if (ts.isCallExpression(node) && node.arguments.some((a) => isName(a, name))) passes = true;
    else if (ts.isThrowStatement(node) && isName(node.expression, name)) passes = true;
    else ts.forEachChild(node, visit);
  };
  visit(callback.body);
  return passes;
}

function isName(expression: ts.Expression, name: string): boolean {
  const node = skipOuter(expression);
  return ts.isIdentifier(node) && node.text === name;
}

function propertyName(property: ts.ObjectLiteralElementLike): string | undefined {
  const name = property.name;
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

/** `'deny'` of `{ dotfiles: 'deny' }`. */
function stringProperty(options: ts.ObjectLiteralExpression, key: string): string | undefined {
  for (const property of options.properties)
    if (ts.isPropertyAssignment(property) && propertyName(property) === key) {
      const value = skipOuter(property.initializer);
      return ts.isStringLiteralLike(value) ? value.text : undefined;
    }
  return undefined;
}

/** `false` of `{ confine: false }`. */
function booleanProperty(options: ts.ObjectLiteralExpression, key: string): boolean | undefined {
  for (const property of options.properties)
    if (ts.isPropertyAssignment(property) && propertyName(property) === key) {
      const kind = skipOuter(property.initializer).kind;
      if (kind === ts.SyntaxKind.FalseKeyword) return false;
      if (kind === ts.SyntaxKind.TrueKeyword) return true;
    }
  return undefined;
}
