import ts from '../../typescript.cjs';
import { ROUTE_METHODS, type FunctionLike } from '../scope.js';
import type { FileImports } from './file-imports.js';
import { registrarFramework, type RegistrarFramework } from './registrars.js';
import { installationOfFunction, type InstallationFile } from './installations.js';
import { heldName } from './held-receivers.js';
import { frameworkTypeModule } from './response-types.js';
import { skipOuter, staticMember, type StaticMember } from './syntax.js';
import type { ImportLink, Receiver, ReceiverKind } from './types.js';

/** Modules AdonisJS's `Response` class comes from (v6 `@adonisjs/core/http`, v5 `@ioc:Adonis/Core/Response`). */
const ADONIS_HTTP_MODULES = ['@adonisjs/core/http', '@adonisjs/http-server', '@ioc:Adonis/Core/Response'];

/** Modules whose response a function installed on a response prototype gets as `this`. */
const RESPONSE_MODULES = ['express', 'http', 'https', 'restify', 'connect', ...ADONIS_HTTP_MODULES];

/** Parameter types whose module says what the receiver is (`res: Response` from express). */
const TYPED_RECEIVERS: Record<string, ReceiverKind> = {
  express: 'response',
  'express-serve-static-core': 'response',
  http: 'response',
  https: 'response',
  http2: 'response',
  next: 'response',
  restify: 'response',
  connect: 'response',
  '@google-cloud/functions-framework': 'response',
  'firebase-functions': 'response',
  'firebase-functions/v2/https': 'response',
  'firebase-functions/https': 'response',
  '@vercel/node': 'response',
  'ultimate-express': 'response',
  'hyper-express': 'response',
  '@tinyhttp/app': 'response',
  // LoopBack 4's `Response` is express's type, re-exported by @loopback/express and @loopback/rest.
  '@loopback/rest': 'response',
  '@loopback/express': 'response',
  fastify: 'reply',
  koa: 'koa',
  '@koa/router': 'koa',
  // Midway's and Egg's Context is Koa's.
  '@midwayjs/koa': 'koa',
  '@midwayjs/web': 'koa',
  egg: 'koa',
  'koa-router': 'koa',
  hono: 'hono',
  '@hono/zod-openapi': 'hono',
  '@hapi/hapi': 'hapi',
  hapi: 'hapi',
};

/**
 * Types of a receiver module that name no receiver: Fastify's instance and request (`app: FastifyInstance` of a
 * plugin, `request: FastifyRequest`). Read as the reply, `app.register(fastifyStatic)` and `app.assert(ok, 403)`
 * were taken for reply methods and never reached (breaker46). Source: Fastify docs, Reference/TypeScript.
 */
const NOT_RECEIVER_TYPES: Readonly<Record<string, readonly string[]>> = {
  fastify: ['FastifyInstance', 'FastifyRequest'],
};

/**
 * Node's http2 stream types (`ServerHttp2Stream`, `Http2Stream`; `http2.ServerHttp2Stream` through a namespace
 * import): a parameter so typed is the stream whose `respond({ ':status': 403 })` answers, whatever its name
 * (breaker44: typed, it was read as http2's compatibility `Http2ServerResponse`, so verser2's
 * `register(stream: http2.ServerHttp2Stream)` was a shape mtls-fix did not know). Source: Node.js docs, http2
 * "Class: ServerHttp2Stream" (`http2stream.respond([headers[, options]])`).
 */
function streamType(module: string, typeName: string): ReceiverKind | undefined {
  if (module !== 'http2') return undefined;
  const name = typeName.slice(typeName.lastIndexOf('.') + 1);
  return name === 'ServerHttp2Stream' || name === 'Http2Stream' ? 'stream' : undefined;
}

/** Conventional names of untyped receivers. */
const NAMED_RECEIVERS: Record<string, ReceiverKind> = {
  res: 'response',
  response: 'response',
  resp: 'response',
  reply: 'reply',
  rep: 'reply',
  ctx: 'koa',
  context: 'koa',
  c: 'hono',
  h: 'hapi',
  set: 'elysia',
  stream: 'stream',
};

/**
 * What the receiver of a member access is (`res` in `res.status(403)`): from its parameter's type and the
 * module that type comes from, else from the route registration that hands it over, else from its name.
 */
export class Receivers {
  /** `link`: reads another project file's types (a response type declared there, response-types.ts). */
  constructor(
    private readonly imports: FileImports,
    private readonly link?: ImportLink,
  ) {}

  /** Classifies the receiver of a member access: `res` in `res.status`, `ctx.response` in `ctx.response.status`. */
  receiver(expression: ts.Expression): Receiver | undefined {
    const path: string[] = [];
    let node: ts.Expression = expression;
    for (;;) {
      if (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node)) {
        node = node.expression;
      } else if (ts.isCallExpression(node) && staticMember(node.expression)) {
        // A chain: `res.set(...).status(403)` has receiver `res`; so has `h['response'](x)['code'](403)` (a
        // member named by a string key is the same member, syntax.ts `staticMember`).
        node = (staticMember(node.expression) as StaticMember).owner;
        path.length = 0;
      } else if (staticMember(node)) {
        const member = staticMember(node) as StaticMember;
        path.unshift(member.name);
        node = member.owner;
      } else {
        break;
      }
    }
    if (node.kind === ts.SyntaxKind.ThisKeyword)
      return this.thisReceiver(node, path) ?? this.memberReceiver(node, path);
    if (!ts.isIdentifier(node)) return undefined;
    const root = node.text;
    const parameter = findParameter(node, root);
    const held = this.heldReceiver(node, path);
    if (held) return held;
    const typed = this.typedReceiver(parameter, root, path);
    if (typed !== 'untyped') return typed;
    if (parameter && !parameter.type) {
      // The registrar's own framework decides over the name (`c` of a Koa router's handler is Koa's context);
      // otherwise the file's imports decide for a name with no convention of its own.
      const registered = this.registeredReceiver(parameter, Boolean(NAMED_RECEIVERS[root]));
      if (registered) return { kind: registered, root, path };
    }
    const kind = NAMED_RECEIVERS[root];
    return kind ? { kind, root, path } : undefined;
  }

  /** Declarations being read through (`const a = b; const b = a` reads no receiver, and ends). */
  private readonly reading = new Set<ts.VariableDeclaration>();

  /**
   * The receiver a fixed local variable holds (session 37, breaker37 #01): `const response = h.response('no')`
   * is hapi's response, `const out = res` Express's, `const response = ctx.response` Koa's `ctx.response`,
   * `const r = reply.code(200)` Fastify's reply (a chain call on a receiver is that receiver, as in `receiver`).
   * The variable's own path follows the held one's (`const response = ctx.response; response.status`), and a
   * destructured key is one more step (`const { response } = ctx` is `ctx.response`). Undefined
   * when the name is no local variable, is assigned again (`let r = reply; r = other`), or holds no receiver
   * (`const response = await fetch(url)`): the caller goes on as before (a parameter, then the name).
   */
  private heldReceiver(node: ts.Identifier, path: string[]): Receiver | undefined {
    const held = heldName(node);
    if (!held?.fixed || this.reading.has(held.declaration)) return undefined;
    this.reading.add(held.declaration);
    try {
      const inner = this.receiver(held.initializer);
      if (!inner) return undefined;
      const chained = ts.isCallExpression(held.initializer) || Boolean(inner.held?.chained);
      const own = held.member === undefined ? path : [held.member, ...path];
      return { ...inner, path: [...inner.path, ...own], held: { name: node.text, line: held.line, chained } };
    } finally {
      this.reading.delete(held.declaration);
    }
  }

  /**
   * What a parameter's type says the receiver is: a receiver when the type comes from a framework module,
   * undefined when it says "not a server response" (`AxiosResponse`, the Fetch API's global `Response`), and
   * 'untyped' when the parameter has no type reference to go by.
   */
  private typedReceiver(
    parameter: ts.ParameterDeclaration | ts.PropertyDeclaration | undefined,
    root: string,
    path: string[],
  ): Receiver | undefined | 'untyped' {
    const typeName = parameter?.type ? typeReferenceName(parameter.type) : undefined;
    if (!typeName)
      return parameter?.type ? (this.streamMember(parameter.type, root, path) ?? 'untyped') : 'untyped';
    const binding = this.imports.importOf(typeName.split('.')[0]);
    if (binding) {
      // `fastify.FastifyInstance`, `FastifyInstance<…>`: the last name says which type of the module it is.
      const last = typeName.split('.').pop() ?? typeName;
      if (NOT_RECEIVER_TYPES[binding.module]?.includes(last)) return undefined;
      const kind = streamType(binding.module, typeName) ?? TYPED_RECEIVERS[binding.module];
      if (kind) return { kind, root, path, typeModule: binding.module };
    }
    // A project's own name for a framework's type, in this file or another (`interface AppResponse extends
    // Response` from express, `type AppReply = FastifyReply & {…}`).
    if (parameter && (!binding || !TYPED_RECEIVERS[binding.module])) {
      const module = frameworkTypeModule(
        typeName,
        parameter.getSourceFile(),
        this.imports,
        this.link,
        (m) => TYPED_RECEIVERS[m] !== undefined,
      );
      const kind = module && TYPED_RECEIVERS[module];
      if (module && kind) return { kind, root, path, typeModule: module };
    }
    // A type from some other module (`AxiosResponse`) means this is not a server response.
    if (binding) return undefined;
    // The global `Response` is the Fetch API's, which has no status() method to call.
    if (typeName === 'Response' || typeName === 'Request') return undefined;
    return 'untyped';
  }

  /** A union or intersection one of whose members is an http2 stream type (`Http2Stream & ServerHttp2Stream`). */
  private streamMember(type: ts.TypeNode, root: string, path: string[]): Receiver | undefined {
    if (!ts.isUnionTypeNode(type) && !ts.isIntersectionTypeNode(type)) return undefined;
    for (const member of type.types) {
      const name = typeReferenceName(member);
      const binding = name ? this.imports.importOf(name.split('.')[0]) : undefined;
      if (name && binding && streamType(binding.module, name))
        return { kind: 'stream', root, path, typeModule: binding.module };
    }
    return undefined;
  }

  /**
   * `this` as the reply, response or context, in the function that binds it (arrow functions see through):
   * - a declared `this` parameter typed from a framework (`function forbidden(this: FastifyReply, m)`, a reply
   *   decorator written as a module of its own; `this: Response` from express; `this: Context` from koa);
   * - an untyped function a framework installs on its reply, response or context:
   *   `fastify.decorateReply('deny', function (m) { this.code(403) })` (Fastify calls decorators with the reply as
   *   `this`), `app.response.deny = function () { this.status(403) }` (Express's response prototype) and
   *   `app.context.deny = function () { this.throw(403) }` (Koa's context prototype), where the file uses that
   *   framework; and (session 37, analysis/installations.ts) the same installed through `Object.assign(app.context,
   *   { deny() {…} })`, behind a cast, on `http.ServerResponse.prototype`, Koa's `app.response` (`this` is
   *   `ctx.response`), or hapi's `server.decorate('toolkit', 'deny', function …)` (`this` is the toolkit).
   * Sources: Fastify docs Reference/Decorators.md ("decorateReply ... `this` is the Reply"); Express 4 API
   * `app.response`; Koa docs `app.context`; hapi API reference `server.decorate()`.
   */
  private thisReceiver(node: ts.Node, path: string[]): Receiver | undefined {
    const fn = thisBinder(node);
    if (!fn) return undefined;
    if (this.isAdonisMacro(fn)) return { kind: 'response', root: 'this', path };
    const declared = fn.parameters[0];
    if (declared && ts.isIdentifier(declared.name) && declared.name.text === 'this') {
      const typed = this.typedReceiver(declared, 'this', path);
      if (typed !== 'untyped') return typed;
    }
    const installed = installationOfFunction(this.installationFile(), fn);
    switch (installed?.on) {
      case 'reply':
      case 'hapi':
        return { kind: installed.on, root: 'this', path };
      case 'response':
        return this.imports.importsModule(...RESPONSE_MODULES)
          ? { kind: 'response', root: 'this', path }
          : undefined;
      case 'koa':
        return this.imports.importsModule('koa') ? { kind: 'koa', root: 'this', path } : undefined;
      case 'koa-response':
        return this.imports.importsModule('koa')
          ? { kind: 'koa', root: 'this', path: ['response', ...path] }
          : undefined;
      default:
        return undefined;
    }
  }

  /** The name a function is installed under on a framework object (`c.set('deny', fn)`, `res.deny = fn`), if any. */
  installedName(fn: FunctionLike): string | undefined {
    return installationOfFunction(this.installationFile(), fn)?.name;
  }

  /** What analysis/installations.ts asks of this file (a receiver's kind is asked of identifiers only). */
  private installationFile(): InstallationFile {
    return {
      importsModule: (...modules) => this.imports.importsModule(...modules),
      resolvesTo: (expression, modules, name) => this.imports.resolvesTo(expression, modules, name),
      receiverKind: (expression) => {
        if (!ts.isIdentifier(skipOuter(expression))) return undefined;
        const receiver = this.receiver(expression);
        return receiver && !receiver.path.length ? receiver.kind : undefined;
      },
    };
  }

  /**
   * `this.response` in a class whose field or constructor parameter property `response` is typed from a framework
   * (`constructor(@inject(RestBindings.Http.RESPONSE) private response: Response)` in a LoopBack 4 controller,
   * `private readonly res: Response` from express): the receiver is that member, the rest of the path after it.
   */
  private memberReceiver(node: ts.Node, path: string[]): Receiver | undefined {
    const [name, ...rest] = path;
    const member = name === undefined ? undefined : classMember(node, name);
    if (!member) return undefined;
    const typed = this.typedReceiver(member, `this.${name}`, rest);
    return typed === 'untyped' ? undefined : typed;
  }

  /**
   * A function AdonisJS installs on every response, `Response.macro('deny', function (this: Response, m, code) {
   * this.status(code) })` with `Response` from `@adonisjs/core/http` (AdonisJS docs, "Extending the framework":
   * macros run with the response as `this`). Session 35.
   */
  private isAdonisMacro(fn: ts.Node): boolean {
    const holder = fn.parent;
    return (
      ts.isCallExpression(holder) &&
      holder.arguments[1] === fn &&
      ts.isPropertyAccessExpression(holder.expression) &&
      holder.expression.name.text === 'macro' &&
      this.imports.resolvesTo(holder.expression.expression, ADONIS_HTTP_MODULES, 'Response')
    );
  }

  /**
   * An untyped parameter of a function passed to a route registration (`app.get('/y', (q, s) => …)`,
   * `router.use((err, q, s, next) => …)`, hapi `handler: (request, h) => …`) is what that framework hands the
   * handler at that position, whatever its name. The framework comes from what the registrar holds (a variable
   * made by a framework's package, here or in the file it is imported from: registrars.ts), else from the file's
   * imports; `named`: the parameter has a conventional name, which only the registrar's own framework overrides.
   */
  private registeredReceiver(parameter: ts.ParameterDeclaration, named: boolean): ReceiverKind | undefined {
    const fn = parameter.parent;
    if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
    const index = fn.parameters.indexOf(parameter);
    const call = fn.parent;
    if (ts.isPropertyAssignment(call) && ts.isIdentifier(call.name) && call.name.text === 'handler') {
      return this.imports.importsModule('@hapi/hapi', 'hapi') && index === 1 ? 'hapi' : undefined;
    }
    if (ts.isCallExpression(call) && call.arguments.includes(fn)) {
      const middleware = decoratorMiddleware(call, fn, index, this.imports);
      if (middleware !== undefined) return middleware ?? undefined;
    }
    if (
      !ts.isCallExpression(call) ||
      !call.arguments.includes(fn) ||
      !ts.isPropertyAccessExpression(call.expression)
    )
      return undefined;
    if (isHttp2StreamListener(call, fn, this.imports)) return index === 0 ? 'stream' : undefined;
    if (!ROUTE_METHODS.has(call.expression.name.text)) return undefined;
    const first = call.arguments[0];
    const routed =
      first === fn ||
      ts.isStringLiteral(first) ||
      ts.isNoSubstitutionTemplateLiteral(first) ||
      ts.isTemplateExpression(first) ||
      ts.isRegularExpressionLiteral(first) ||
      ts.isArrayLiteralExpression(first);
    if (!routed) return undefined;
    const framework = registrarFramework(call.expression.expression, this.imports, this.link);
    // Fastify's `use` (middie, @fastify/express) runs Connect middleware: `(req, res, next)` with Node's response.
    if (framework === 'fastify' && call.expression.name.text === 'use')
      return handedAt('express', index, fn.parameters.length);
    if (framework) return handedAt(framework, index, fn.parameters.length);
    if (named) return undefined;
    if (this.imports.importsModule('koa', '@koa/router', 'koa-router'))
      return index === 0 ? 'koa' : undefined;
    if (this.imports.importsModule('hono')) return index === 0 ? 'hono' : undefined;
    if (this.imports.importsModule('fastify')) return index === 1 ? 'reply' : undefined;
    // Express, Connect, restify, Next.js-style: (req, res, next), error handlers (err, req, res, next).
    const responseIndex = fn.parameters.length === 4 ? 2 : 1;
    return index === responseIndex ? 'response' : undefined;
  }
}

/** routing-controllers' and Ts.ED's decorators that take middleware functions. */
const MIDDLEWARE_DECORATORS: readonly [readonly string[], readonly string[]][] = [
  [['routing-controllers'], ['UseBefore', 'UseAfter']],
  [
    ['@tsed/common', '@tsed/platform-middlewares', '@tsed/platform-http'],
    ['UseBefore', 'UseAfter', 'Use', 'UseBeforeEach'],
  ],
];

/**
 * A function handed to a middleware decorator (`@UseBefore((req, res, next) => res.status(403).end())` of
 * routing-controllers or Ts.ED; session 49: "a shape mtls-fix does not know"): Express's `(req, res, next)` (also
 * `(err, req, res, next)`) with three parameters or more, Koa's `(ctx, next)` with two. `undefined` when `call` is
 * no such decorator, null when it is one but this parameter receives no response.
 */
function decoratorMiddleware(
  call: ts.CallExpression,
  fn: ts.SignatureDeclaration,
  index: number,
  imports: FileImports,
): ReceiverKind | null | undefined {
  const known = MIDDLEWARE_DECORATORS.some(([modules, names]) =>
    names.some((name) => imports.resolvesTo(call.expression, modules, name)),
  );
  if (!known) return undefined;
  const count = fn.parameters.length;
  if (count >= 3) return index === (count === 4 ? 2 : 1) ? 'response' : null;
  return count === 2 && index === 0 ? 'koa' : null;
}

/** The methods that add an event listener (Node.js `EventEmitter`). */
const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

/**
 * `server.on('stream', (s, headers) => …)` in a file that imports http2: the listener's first parameter is the
 * `ServerHttp2Stream`, whatever its name (breaker44: only a parameter named `stream` was read as one). Source:
 * Node.js docs, http2 "Event: 'stream'" (`(stream, headers, flags, rawHeaders)`).
 */
function isHttp2StreamListener(call: ts.CallExpression, fn: ts.Expression, imports: FileImports): boolean {
  if (!ts.isPropertyAccessExpression(call.expression)) return false;
  if (!LISTENER_METHODS.has(call.expression.name.text) || call.arguments[1] !== fn) return false;
  const event = call.arguments[0];
  return (
    (ts.isStringLiteral(event) || ts.isNoSubstitutionTemplateLiteral(event)) &&
    event.text === 'stream' &&
    imports.importsModule('http2')
  );
}

/** The receiver a framework hands a route handler at parameter `index` (of `count`), if any. */
function handedAt(framework: RegistrarFramework, index: number, count: number): ReceiverKind | undefined {
  if (framework === 'koa' || framework === 'hono') return index === 0 ? framework : undefined;
  if (framework === 'fastify') return index === 1 ? 'reply' : undefined;
  // Express: (req, res, next), error handlers (err, req, res, next).
  return index === (count === 4 ? 2 : 1) ? 'response' : undefined;
}

/**
 * The function whose `this` a `this` keyword is: the nearest enclosing non-arrow function, if not a class's (a
 * method of an object literal counts: `Object.assign(app.context, { fail(code) { this.status = code } })`).
 */
function thisBinder(
  node: ts.Node,
): ts.FunctionExpression | ts.FunctionDeclaration | ts.MethodDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isArrowFunction(current)) continue;
    if (ts.isFunctionExpression(current) || ts.isFunctionDeclaration(current)) return current;
    if (ts.isMethodDeclaration(current) && ts.isObjectLiteralExpression(current.parent)) return current;
    if (ts.isClassLike(current) || ts.isFunctionLike(current) || ts.isSourceFile(current)) return undefined;
  }
  return undefined;
}

/**
 * The typed member `name` of the class whose method (or arrow function inside one) holds `node`'s `this`: a
 * property declaration or a constructor parameter property. Undefined inside a nested function expression or
 * declaration (its own `this`) and for an untyped member.
 */
function classMember(
  node: ts.Node,
  name: string,
): ts.ParameterDeclaration | ts.PropertyDeclaration | undefined {
  let current = node.parent;
  while (current && !ts.isClassLike(current)) {
    if (ts.isFunctionExpression(current) || ts.isFunctionDeclaration(current) || ts.isSourceFile(current))
      return undefined;
    current = current.parent;
  }
  if (!current) return undefined;
  for (const member of current.members) {
    if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && member.name.text === name)
      return member.type ? member : undefined;
    if (!ts.isConstructorDeclaration(member)) continue;
    for (const parameter of member.parameters) {
      if (
        ts.isIdentifier(parameter.name) &&
        parameter.name.text === name &&
        ts.isParameterPropertyDeclaration(parameter, member)
      )
        return parameter.type ? parameter : undefined;
    }
  }
  return undefined;
}

function findParameter(usage: ts.Node, name: string): ts.ParameterDeclaration | undefined {
  for (let current = usage.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    for (const parameter of current.parameters) {
      if (ts.isIdentifier(parameter.name) && parameter.name.text === name) return parameter;
    }
  }
  return undefined;
}

function typeReferenceName(type: ts.TypeNode): string | undefined {
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName;
    return ts.isIdentifier(name) ? name.text : `${entityRoot(name)}.${name.right.text}`;
  }
  return undefined;
}

function entityRoot(name: ts.EntityName): string {
  return ts.isIdentifier(name) ? name.text : entityRoot(name.left);
}
