import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { remapHint, remapLayers } from '../remaps.js';
import { calledFunction, forwardedCall, loadedModule, shorten, skipOuter } from '../analysis/syntax.js';
import { isRequestName, parameterOf } from '../analysis/installations.js';
import { camelErrorName } from '../status-names.js';
import type { Framework } from './framework.js';
import {
  assignment,
  chainHeader,
  challengeNote,
  implicit,
  methodCall,
  renameMember,
  responseKey,
} from './shared.js';

const STATUS_METHODS = new Set(['code', 'status']);
const ASSERT_BINARY = new Set([
  'equal',
  'notEqual',
  'strictEqual',
  'notStrictEqual',
  'deepEqual',
  'notDeepEqual',
]);

/** Fastify replies, @fastify/sensible helpers, `schema.response` keys, and 403-answering plugins. */
export const fastify: Framework = {
  id: 'fastify',
  title: 'Fastify (+ @fastify/sensible, schema.response keys)',
  enablers: ['fastify', '@fastify/error'],
  kinds: [
    ts.SyntaxKind.PropertyAssignment,
    ts.SyntaxKind.ExportAssignment,
    ts.SyntaxKind.BinaryExpression,
    ts.SyntaxKind.CallExpression,
  ],
  visit(node, analysis) {
    if (ts.isPropertyAssignment(node)) {
      if (isSchemaResponse(node.parent)) responseKey(analysis, node, 'fastify');
      return;
    }
    // @fastify/autoload plugin files: `export default fastifyStatic` registers the plugin elsewhere.
    if (ts.isExportAssignment(node)) {
      implicitPlugin(analysis, node.expression, node);
      return;
    }
    const assign = assignment(node);
    if (assign?.property === 'exports' && ts.isIdentifier(assign.object) && assign.object.text === 'module') {
      implicitPlugin(analysis, assign.right, node);
      return;
    }
    if (assign?.property === 'statusCode' && isReply(analysis, assign.object)) {
      analysis.statusSlot(assign.right, node, 'fastify', () => ({ reason: challengeNote(analysis) }));
      return;
    }
    if (ts.isCallExpression(node) && isErrorFactory(analysis, node.expression)) {
      errorDefinition(analysis, node);
      return;
    }
    const call = methodCall(node);
    if (!call) return;
    const { method, object, args } = call;
    // @fastify/sensible's `assert(condition, code, message)`; `assert.ok` is the same function, the binary ones
    // take the code third (lib/assert.js). Read first: a parameter typed `FastifyInstance` is a reply receiver.
    if (method === 'assert' && isFastifyInstance(analysis, object)) {
      analysis.statusSlot(args[1], call.call, 'fastify');
      return;
    }
    if (
      ts.isPropertyAccessExpression(object) &&
      object.name.text === 'assert' &&
      (method === 'ok' || ASSERT_BINARY.has(method)) &&
      isFastifyInstance(analysis, object.expression)
    ) {
      analysis.statusSlot(method === 'ok' ? args[1] : args[2], call.call, 'fastify');
      return;
    }
    if (
      isReply(analysis, object) ||
      (STATUS_METHODS.has(method) && isUntypedResInFastify(analysis, object))
    ) {
      if (STATUS_METHODS.has(method)) {
        analysis.statusSlot(args[0], call.call, 'fastify', () => ({
          edits: chainHeader(analysis, object, 'header'),
        }));
      } else if (method === 'forbidden') {
        rename(analysis, call.call, 'reply');
      } else if (method === 'getHttpError') {
        analysis.statusSlot(args[0], call.call, 'fastify');
      }
      return;
    }
    if (isHttpErrors(object)) {
      if (method === 'forbidden') rename(analysis, call.call, 'httpErrors');
      else if (method === 'createError' || method === 'getHttpError')
        analysis.statusSlot(args[0], call.call, 'fastify');
      return;
    }
    if (method === 'register') {
      plugins(analysis, call.call);
    }
  },
};

/** The modules of Fastify's error factory: `createError(code, message, statusCode?, Base?)`. */
const ERROR_FACTORY_MODULES = ['@fastify/error', 'fastify-error'];

/** `createError` imported from @fastify/error (its default export, or the named `createError`). */
function isErrorFactory(analysis: FileAnalysis, callee: ts.Expression): boolean {
  if (!ts.isIdentifier(callee)) return false;
  const binding = analysis.importOf(callee.text);
  return Boolean(
    binding &&
    ERROR_FACTORY_MODULES.includes(binding.module) &&
    ['default', '*', 'createError'].includes(binding.name),
  );
}

/**
 * `createError('FST_DENIED', 'Denied', 403)`: an error class every throw of which answers 403 (the status is
 * the third argument). Reported, never rewritten, as a project error class fixing 403 is (error-classes.ts).
 * Source: @fastify/error README, "createError(code, message [, statusCode [, Base [, captureStackTrace]]])".
 */
function errorDefinition(analysis: FileAnalysis, call: ts.CallExpression): void {
  const status = call.arguments[2];
  if (!status) return;
  if (analysis.evaluate(status).kind !== 'forbidden') {
    // Another status is ignored; one from a caller or a variable is a helper or dynamic slot.
    analysis.statusSlot(status, call, 'fastify');
    return;
  }
  const code = call.arguments[0];
  const name = code && ts.isStringLiteralLike(code) ? ` ${code.text}` : '';
  analysis.addSite({
    node: call,
    framework: 'fastify',
    manual: true,
    reason: `The @fastify/error class${name} answers 403 wherever it is thrown. ${remapHint('fastify-error', analysis.target)}`,
  });
}

function isReply(analysis: FileAnalysis, object: ts.Expression): boolean {
  const receiver = analysis.receiver(object);
  return receiver?.kind === 'reply' && receiver.path.length === 0;
}

/**
 * An untyped receiver named like a response (`res`, `response`, `resp`) in a file where Express is not in use and
 * Fastify is: the Fastify reply under another name (`module.exports = async (req, res, ctx) => { res.status(403) }`
 * handlers, fastify-guard's `errorHandler: (result, req, res) => res.status(403).send(...)`). Only for its status
 * methods (`.code()`, `.status()`): a raw Node.js response has neither (node-http.ts reads that one).
 */
function isUntypedResInFastify(analysis: FileAnalysis, object: ts.Expression): boolean {
  if (analysis.frameworks.includes('express')) return false;
  const receiver = analysis.receiver(object);
  return receiver?.kind === 'response' && receiver.path.length === 0 && receiver.typeModule === undefined;
}

/** `fastify.httpErrors`, `app.httpErrors`, or a destructured `httpErrors`. */
function isHttpErrors(object: ts.Expression): boolean {
  return (
    (ts.isIdentifier(object) && object.text === 'httpErrors') ||
    (ts.isPropertyAccessExpression(object) && object.name.text === 'httpErrors')
  );
}

/**
 * The Fastify instance: a conventional name (`fastify`, `app`, `server`, `instance`), a parameter typed
 * `FastifyInstance`, the instance a request or reply carries (`request.server`, `req.server`, `reply.server`), or
 * `this` in a `function` handler or hook (Fastify binds it to the instance; an arrow function or a class member has
 * another `this`). Source: Fastify docs, Reference/Request ("server"), Reply (".server"), Routes ("this").
 */
function isFastifyInstance(analysis: FileAnalysis, expression: ts.Expression): boolean {
  const node = skipOuter(expression);
  if (node.kind === ts.SyntaxKind.ThisKeyword) return inFunctionHandler(node);
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'server') {
    const owner = skipOuter(node.expression);
    return ts.isIdentifier(owner) && (isRequestName(owner) || isReply(analysis, owner));
  }
  if (!ts.isIdentifier(node)) return false;
  if (['fastify', 'app', 'server', 'instance'].includes(node.text)) return true;
  const type = parameterOf(node)?.type;
  // `app: FastifyInstance`, `app: fastify.FastifyInstance`, `app: import('fastify').FastifyInstance`.
  const name =
    type && ts.isTypeReferenceNode(type)
      ? type.typeName
      : type && ts.isImportTypeNode(type)
        ? type.qualifier
        : undefined;
  return (name && (ts.isIdentifier(name) ? name.text : name.right.text)) === 'FastifyInstance';
}

/** Whether `this` belongs to a `function` passed as an argument (a handler or hook), not to a class member. */
function inFunctionHandler(node: ts.Node): boolean {
  for (let at = node.parent; at; at = at.parent) {
    if (ts.isArrowFunction(at)) continue;
    if (ts.isFunctionExpression(at))
      return ts.isCallExpression(at.parent) || ts.isPropertyAssignment(at.parent);
    if (ts.isFunctionLike(at) || ts.isClassLike(at) || ts.isSourceFile(at)) return false;
  }
  return false;
}

/** `reply.forbidden(msg)` -> `reply.unauthorized(msg)`; without a named helper, `getHttpError(N, msg)`. */
function rename(analysis: FileAnalysis, call: ts.CallExpression, kind: 'reply' | 'httpErrors'): void {
  const callee = calledFunction(call);
  const name = camelErrorName(analysis.target);
  if (name) {
    analysis.addSite({ node: call, framework: 'fastify', edits: [renameMember(analysis, callee, name)] });
    return;
  }
  const generic = kind === 'reply' ? 'getHttpError' : 'createError';
  if (forwardedCall(call)) {
    // `reply.forbidden.call(reply, m)`: the status would go in the forwarded list, after `this`.
    analysis.addSite({
      node: call,
      framework: 'fastify',
      manual: true,
      reason: `Sends 403 through ${shorten(call.getText(analysis.sourceFile))} (a forwarded call): Fastify has no ${kind === 'reply' ? 'reply' : 'httpErrors'} helper for ${analysis.target}; call ${generic}(${analysis.target}, …) on it by hand.`,
    });
    return;
  }
  const first = call.arguments.length ? `${analysis.target}, ` : String(analysis.target);
  const argsStart = call.arguments.pos;
  analysis.addSite({
    node: call,
    framework: 'fastify',
    edits: [renameMember(analysis, callee, generic), { start: argsStart, end: argsStart, text: first }],
  });
}

/** `schema: { response: { 403: … } }` */
function isSchemaResponse(object: ts.Node): boolean {
  const holder = object.parent;
  if (!ts.isObjectLiteralExpression(object) || !holder || !ts.isPropertyAssignment(holder)) return false;
  if (!ts.isIdentifier(holder.name) || holder.name.text !== 'response') return false;
  const schema = holder.parent.parent;
  return Boolean(
    schema &&
    ts.isPropertyAssignment(schema) &&
    ts.isIdentifier(schema.name) &&
    schema.name.text === 'schema',
  );
}

function plugins(analysis: FileAnalysis, call: ts.CallExpression): void {
  const plugin = call.arguments[0];
  if (plugin) implicitPlugin(analysis, plugin, call);
}

/**
 * A plugin that answers 403 itself (csrf, static), registered or exported at `node`: an imported name
 * (`register(fastifyStatic, …)`) or the package loaded in place (`register(require('@fastify/static'), …)`,
 * `register(import('@fastify/static'), …)`, as the plugins' READMEs write it).
 */
function implicitPlugin(analysis: FileAnalysis, plugin: ts.Expression, node: ts.Node): void {
  const inner = skipOuter(plugin);
  const module = ts.isIdentifier(inner) ? analysis.importOf(inner.text)?.module : loadedModule(inner);
  if (module === '@fastify/csrf-protection' || module === 'fastify-csrf')
    implicit(analysis, node, 'fastify', 'csrf');
  if (module === '@fastify/static' || module === 'fastify-static')
    analysis.addSite({
      node,
      framework: 'fastify',
      manual: true,
      reason: `Implicit 403. ${remapHint('static', analysis.target)} Its options (dotfiles: 'deny') also hold for reply.sendFile / reply.download in every file of the app (@fastify/static merges its send options into theirs).`,
      remapLayers: remapLayers('static'),
    });
}
