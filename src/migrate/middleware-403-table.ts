// The middleware packages that answer 403 by default, as data: read by the framework module
// (frameworks/middleware-403.ts) and by the prefilter (prefilter.ts), which runs on the sources thread and must
// not load the TypeScript compiler.

import type { RemapLayer } from './types.js';

/**
 * A package whose middleware answers 403 by default, with no 403 in the code that uses it: the census cannot
 * see it, so the import is the site. `when` says what fails; `remap(n)` how to answer `n` instead.
 */
export interface Producer {
  module: string;
  framework: string;
  when: string;
  remap: (status: string) => string;
  /**
   * The central layers that can remap its 403 (`Site.remapLayers`): `error-handler` when it passes the 403 on as an
   * error (`next(err)`, a throw, `ctx.throw`, a Boom), `response-hook` when it writes the 403 on the response
   * itself. None: no central remap mtls-fix recognises covers it (configure the package instead).
   */
  layers?: readonly RemapLayer[];
  /**
   * Other specifiers of the same package that mark a file as its user (`@adonisjs/bouncer/types`, imported by a
   * policy that extends the project's own base policy). A file importing several is one site, at the first.
   */
  also?: readonly string[];
  /** A word the file must also hold for the package to answer 403 (lusca does only through its csrf option). */
  needs?: RegExp;
  /**
   * The option that sets the denial's status or handler: a file that passes it answers with its own code,
   * which the census and the modules read, so the package is no site there.
   */
  configured?: RegExp;
  /**
   * An option that sets the denial's status in some major versions only: a file that passes it (and not
   * `configured`) is still a site, with this reason (koa-csrf 5 ignores `invalidTokenStatusCode`).
   */
  partly?: { option: RegExp; reason: (status: string) => string };
  /**
   * The package answers 403 only through these static-serving exports, which are Express's `express.static`: it
   * passes send's 403 on with `next()` unless `fallthrough: false`. The site is each call of one that does not
   * fall through (frameworks/static-fallthrough.ts), not the import. Session 35.
   */
  staticCalls?: readonly string[];
  /**
   * The members the package decorates the app with, through which a route runs its check
   * (`preHandler: [fastify.guard.role(['admin'])]`): the route graph links each route reading one to the site.
   * Session 39.
   */
  decorates?: readonly string[];
}

/**
 * The members the implicit-403 package reported at `form` (its import or registration:
 * `fastify.register(require('fastify-guard'))`) decorates the app with (`Producer.decorates`): its 403 answers only
 * the routes that read one. Empty for any other site.
 */
export function decoratedMembers(form: string): readonly string[] {
  const module = /(?:\brequire\(\s*|\bfrom\s*|\bimport\(\s*)['"]([^'"]+)['"]/.exec(form)?.[1];
  if (!module) return [];
  return PRODUCERS.find((p) => p.module === module)?.decorates ?? [];
}

/** When swagger-tools' security middleware (and the a127 runners' fitting) answers 403 by default. */
const SECURITY_CALLBACK =
  "a security handler calls back with an error that has no statusCode (cb(new Error('access denied'))), or an operation requires a scheme that has no handler";

/** How a swagger-tools security handler answers another status: the error's own `statusCode`. */
function securityCallbackRemap(n: string): string {
  return `give each error a security handler passes to its callback statusCode: ${n} (cb(Object.assign(new Error(message), { statusCode: ${n} }))), and every scheme a handler`;
}

/** `errorConfig: { …, statusCode` (csrf-csrf, csrf-sync): the option that replaces their default 403. */
const ERROR_CONFIG_STATUS = /\berrorConfig\s*:\s*\{[^{}]*\bstatusCode\b/;

/**
 * Sources: each package's README or code at its current major (the default status of its denial).
 * lusca `csrf` (res.statusCode = 403), csrf-csrf (`invalidCsrfTokenError`, 403), express-ipfilter
 * (`IpDeniedError`, status 403), express-jwt-permissions (`permission_denied`, status 403), connect-roles (default
 * failure handler: 403), express-acl (`res.status(403)` 'Access Denied'), koa-ip (`ctx.throw(403)` without a `handler`), koa-csrf
 * (`invalidTokenStatusCode` 403), fastify-guard (http-errors Forbidden), @hapi/crumb (Boom.forbidden), casbin's
 * express-authz and koa-authz (403 when the enforcer denies), fastify-casbin-rest (default `onDeny` throws
 * Forbidden), koa-static / koa-send (resolve-path's 403 for a path outside the root), send / @fastify/send (a path
 * outside the root, a dotfile under dotfiles 'deny'), @hapi/inert (a path outside
 * `confine`, a folder, EACCES), AdonisJS bouncer
 * (`AuthorizationException`, `status = 403`, code E_AUTHORIZATION_FAILURE, in @adonisjs/bouncer src/errors.ts; v2 for Adonis 5 the same),
 * @midwayjs/security (CSRFError extends ForbiddenError, csrf on by default), keycloak-connect (`accessDenied`:
 * status 403), csrf-sync (`errorConfig.statusCode = 403`), Edge-CSRF's middleware (@edge-csrf/express,
 * /nextjs, /sveltekit: 403), oidc-provider (`InsufficientScope`, 403, from userinfo); and
 * proxies, which pass the upstream's status on
 * (http-proxy-middleware, express-http-proxy, http-proxy, @fastify/http-proxy, @fastify/reply-from and their
 * Fastify 3 names fastify-http-proxy / fastify-reply-from, @hapi/h2o2 / h2o2 (`h.proxy`), koa-proxies, koa-proxy,
 * koa-better-http-proxy, hono/proxy); koa-limit (an address in `blackList`: `this.status = 403`); accesscontrol-middleware
 * (`res.status(403).send()`), hapi-authorization (Boom.forbidden from onPreHandler).
 */
export const PRODUCERS: readonly Producer[] = [
  {
    module: 'lusca',
    framework: 'express',
    layers: ['error-handler'],
    when: 'its csrf check fails (lusca.csrf / lusca({ csrf }) sets res.statusCode = 403)',
    remap: (n) => `map the error to ${n} in the error handler (the error's message is 'CSRF token mismatch')`,
    // `lusca({ csrf: false, xframe: 'SAMEORIGIN' })` turns the check off (lusca index.js: `if (options.csrf)
    // headers.push(lusca.csrf(…))`, each option taken only when truthy).
    needs: /\.csrf\s*\(|\bcsrf\s*:(?!\s*false\b)/,
  },
  {
    module: 'csrf-csrf',
    framework: 'express',
    layers: ['error-handler'],
    when: 'the double-submit CSRF token is missing or wrong',
    remap: (n) => `pass doubleCsrf({ errorConfig: { statusCode: ${n} } }), or exempt them`,
    // `errorConfig: { message }` alone keeps the default `statusCode = 403` (csrf-csrf src/index.ts).
    configured: ERROR_CONFIG_STATUS,
  },
  {
    module: 'express-ipfilter',
    framework: 'express',
    layers: ['error-handler'],
    when: 'a client address is denied (IpDeniedError, status 403)',
    remap: (n) => `answer ${n} for IpDeniedError in the error handler`,
  },
  {
    module: 'express-jwt-permissions',
    framework: 'express',
    layers: ['error-handler'],
    when: "guard.check(...) finds the permission missing (error code 'permission_denied', status 403)",
    remap: (n) => `answer ${n} for err.code === 'permission_denied' in the error handler`,
  },
  {
    module: 'connect-roles',
    framework: 'express',
    layers: ['response-hook'],
    when: 'user.can(...) / user.is(...) denies (the default failure handler answers 403)',
    remap: (n) =>
      `give new ConnectRoles({ failureHandler(req, res) { res.status(${n}).send('Unauthorized'); } })`,
    configured: /\bfailureHandler\s*[:(]|\bsetFailureHandler\s*\(/,
  },
  {
    module: 'express-acl',
    framework: 'express',
    layers: ['response-hook'],
    when: "acl.authorize denies the role ('Access Denied', 403)",
    remap: (n) => `remap 403 from acl.authorize to ${n} in a response hook (its status is not configurable)`,
    configured: /\bdenyCallback\s*:/,
  },
  {
    module: 'express-authz',
    framework: 'express',
    layers: ['response-hook'],
    when: 'the casbin enforcer denies the request',
    remap: (n) => `answer ${n} yourself: call the enforcer in your own middleware`,
  },
  {
    module: 'koa-ip',
    framework: 'koa',
    layers: ['error-handler'],
    when: 'a client address is not allowed (ctx.throw(403))',
    remap: (n) => `pass ip({ handler: async (ctx) => { ctx.status = ${n}; } })`,
    configured: /\bhandler\s*:/,
  },
  // koa-csrf (koajs/csrf): up to 4.x `invalidTokenStatusCode` (default 403) is the status of `ctx.throw`; 5.0
  // (2022, commit 495bf75 "removed invalidTokenMessage and invalidTokenStatusCode, added errorHandler function
  // option") answers through `errorHandler(ctx)`, by default `ctx.throw(403, 'Invalid CSRF token')`, and ignores
  // `invalidTokenStatusCode`.
  {
    module: 'koa-csrf',
    framework: 'koa',
    layers: ['error-handler'],
    when: "the CSRF token is missing or wrong (koa-csrf 5: errorHandler's ctx.throw(403, 'Invalid CSRF token'); up to 4: invalidTokenStatusCode, 403)",
    remap: (n) =>
      `pass new CSRF({ errorHandler(ctx) { return ctx.throw(${n}, 'Invalid CSRF token'); } }) (koa-csrf 5), or new CSRF({ invalidTokenStatusCode: ${n} }) (up to 4)`,
    configured: /\berrorHandler\s*[:(]/,
    partly: {
      option: /\binvalidTokenStatusCode\s*:/,
      reason: (n) =>
        `Implicit 403: koa-csrf 5 ignores invalidTokenStatusCode (it was replaced by errorHandler, whose default is ctx.throw(403, 'Invalid CSRF token')), so on koa-csrf 5 a missing or wrong CSRF token still answers 403: pass errorHandler(ctx) { return ctx.throw(${n}, 'Invalid CSRF token'); }. Up to koa-csrf 4 invalidTokenStatusCode sets it: then mark this // mtls-fix-ignore: koa-csrf 4.`,
    },
  },
  // koa-send (koajs/send src/send.ts) resolves the path with resolve-path, which throws createError(403) for a path
  // that leaves the root ('..'); koa-static serves through koa-send.
  ...['koa-static', 'koa-send', '@koa/send'].map((module): Producer => ({
    module,
    framework: 'koa',
    layers: ['error-handler'],
    when: "a requested path leaves the root ('..': resolve-path throws a 403)",
    remap: (n) =>
      `remap it in an earlier middleware: try { await next(); } catch (err) { if (err.status === 403) err.status = ${n}; throw err; }`,
  })),
  // Feathers re-exports its HTTP framework's static serving: @feathersjs/express's `static` / `serveStatic` (and the
  // default export's `.static`) are express.static (serve-static over send: 403 for '..' and dotfiles 'deny', passed
  // on with next() unless `fallthrough: false`, so only such calls are sites);
  // @feathersjs/koa's `serveStatic` is koa-static (koa-send's resolve-path: 403 for '..'). The express module is
  // off in a project that depends on Feathers alone.
  {
    module: '@feathersjs/express',
    framework: 'express',
    layers: ['error-handler'],
    when: "static serving (express.static / serveStatic) gets a path that leaves the root ('..') or a dotfile under dotfiles: 'deny' (send's 403)",
    remap: (n) =>
      `keep static serving off mTLS hosts, or remap 403 to ${n} in a response hook (patch res.writeHead before it)`,
    needs: /\.static\s*\(|\bserveStatic\b|\bstatic\s+as\b/,
    staticCalls: ['static', 'serveStatic'],
  },
  // feathers-permissions (lib/index.js): the checkPermissions hook rejects an external call (a `provider`) whose
  // entity lacks a listed role with @feathersjs/errors' Forbidden (403), unless `error: false`.
  {
    module: 'feathers-permissions',
    framework: 'express',
    when: "checkPermissions({ roles }) denies an external call whose user lacks the role (Forbidden: 'You do not have the correct permissions')",
    remap: (n) =>
      `pass checkPermissions({ roles, error: false }) and throw the ${n} error yourself when context.params.permitted is false, or map Forbidden to ${n} in an error hook on mTLS services`,
    configured: /\berror\s*:\s*false\b/,
  },
  {
    module: '@feathersjs/koa',
    framework: 'koa',
    layers: ['error-handler'],
    when: "serveStatic (koa-static) gets a path that leaves the root ('..': resolve-path throws a 403)",
    remap: (n) =>
      `remap it in an earlier middleware: try { await next(); } catch (err) { if (err.status === 403) err.status = ${n}; throw err; }`,
    needs: /\bserveStatic\b/,
  },
  // send (pillarjs/send index.js: `this.error(403)` for a malicious path and for a dotfile under dotfiles 'deny')
  // and @fastify/send (lib/send.js: `statusCode: 403` with an http-errors `error` for the same two), which
  // serve-static and @fastify/static wrap: code calling them itself passes their 403 on (`reply.send(
  // metadata.error)`, `stream.on('error', next)`) with no 403 of its own.
  {
    module: 'send',
    framework: 'node-http',
    when: "a requested path leaves the root ('..') or names a dotfile under dotfiles: 'deny' (send's error 403)",
    remap: (n) => `where its error is passed on, answer ${n} when err.status (err.statusCode) is 403`,
  },
  {
    module: '@fastify/send',
    framework: 'fastify',
    when: "a requested path leaves the root ('..') or names a dotfile under dotfiles: 'deny' (statusCode 403, metadata.error)",
    remap: (n) => `where statusCode / metadata.error is passed on, answer ${n} when it is 403`,
  },
  {
    module: 'koa-authz',
    framework: 'koa',
    layers: ['response-hook'],
    when: 'the casbin enforcer denies the request (ctx.status = 403)',
    remap: (n) => `answer ${n} yourself: call the enforcer in your own middleware`,
  },
  {
    module: 'fastify-guard',
    framework: 'fastify',
    layers: ['error-handler'],
    when: 'fastify.guard.role(...) / .scope(...) denies (Forbidden, 403)',
    // fastify-guard 2.x (README "Usage"): `fastify.decorate('guard', …)`; routes call `fastify.guard.role(...)`.
    decorates: ['guard'],
    remap: (n) => `register it with errorHandler: (result, req, reply) => reply.code(${n}).send(...)`,
    configured: /\berrorHandler\s*:/,
  },
  // accesscontrol-middleware 1.0.3 (index.js `check`): `res.status(403).send()` when the AccessControl permission is
  // not granted; no option changes it. Session 39.
  {
    module: 'accesscontrol-middleware',
    framework: 'express',
    layers: ['response-hook'],
    when: 'accessControlMiddleware.check(...) finds the permission not granted (res.status(403).send())',
    remap: (n) =>
      `remap 403 to ${n} in a response hook before it (its status is not configurable), or check the AccessControl grant in your own middleware and answer ${n}`,
  },
  // hapi-authorization 4.0.0 (lib/acl.js): a route's `plugins.hapiAuthorization` roles or entity check that fails
  // throws Boom.forbidden('Unauthorized') from its onPreHandler extension. Session 39.
  {
    module: 'hapi-authorization',
    framework: 'hapi',
    layers: ['error-handler'],
    when: "a route's plugins.hapiAuthorization role or entity check fails (Boom.forbidden('Unauthorized'))",
    remap: (n) =>
      `remap in onPreResponse: if (r.isBoom && r.output.statusCode === 403) r.output.statusCode = ${n}`,
  },
  // fastify-casbin-rest (plugin.js): the default `onDeny` throws http-errors' Forbidden (403).
  {
    module: 'fastify-casbin-rest',
    framework: 'fastify',
    layers: ['error-handler'],
    when: 'the casbin enforcer denies the request (the default onDeny throws Forbidden)',
    remap: (n) => `register it with onDeny: (reply) => reply.code(${n}).send()`,
    configured: /\bonDeny\s*:/,
  },
  // @hapi/inert (lib/file.js, lib/fs.js): Boom.forbidden for a path outside `confine` (on by default), a folder asked as
  // a file, and EACCES/EPERM.
  ...['@hapi/inert', 'inert'].map((module): Producer => ({
    module,
    framework: 'hapi',
    layers: ['error-handler'],
    when: 'h.file() or a file / directory handler is asked for a path outside its confine folder, a folder as a file, or a file it may not read (Boom.forbidden)',
    remap: (n) =>
      `remap in onPreResponse: if (r.isBoom && r.output.statusCode === 403) r.output.statusCode = ${n}`,
  })),
  {
    module: '@hapi/crumb',
    framework: 'hapi',
    layers: ['error-handler'],
    when: 'the crumb (CSRF) check fails (Boom.forbidden)',
    remap: (n) =>
      `remap in onPreResponse: if (r.isBoom && r.output.statusCode === 403) r.output.statusCode = ${n}`,
  },
  // AdonisJS bouncer: a denied ability or policy (`return false`, `AuthorizationResponse.deny(m)`) answers 403.
  ...['@adonisjs/bouncer', '@ioc:Adonis/Addons/Bouncer'].map((module): Producer => ({
    module,
    also: module === '@adonisjs/bouncer' ? ['@adonisjs/bouncer/types'] : [],
    framework: 'adonis',
    when: 'an ability or policy denies (E_AUTHORIZATION_FAILURE, status 403)',
    remap: (n) =>
      `deny with a status: return AuthorizationResponse.deny(message, ${n}) (Adonis 5: Bouncer.deny(message, ${n})), or answer ${n} for E_AUTHORIZATION_FAILURE in the exception handler`,
  })),
  // Midway's security component: CSRF on by default (packages/security/src/config/config.default.ts `csrf.enable:
  // true`), CSRFError extends httpError.ForbiddenError (403) on any request but GET/HEAD/OPTIONS/TRACE without a token.
  {
    module: '@midwayjs/security',
    framework: 'midway',
    when: "a POST, PUT, PATCH or DELETE has no valid CSRF token (CSRFError, 'missing csrf token' / 'invalid csrf token'; on by default unless security.csrf.enable is false in your config)",
    remap: (n) =>
      `exempt them (security: { csrf: { enable: false } } where no cookie session is used), or answer ${n} for CSRFError in an error filter`,
  },
  // keycloak-connect: `Keycloak.prototype.accessDenied` answers `response.status(403); response.end('Access denied')`
  // (keycloak.js), called by keycloak.protect(...) (middleware/protect.js: a guard that fails, or no grant when
  // bearer-only) and keycloak.enforcer(...) when a permission is missing.
  // Parse Server (src/middlewares.js): handleParseHeaders answers 403 '{"error":"unauthorized"}' (invalidRequest)
  // for a request without a known application ID or, when client keys are configured, without a matching one;
  // enforceMasterKeyAccess / promiseEnforceMasterKeyAccess answer 403 'unauthorized: master key is required' on
  // the master-key-only routes (schemas, hooks, push, jobs...). Its error handler is its own, inside its app.
  {
    module: 'parse-server',
    framework: 'express',
    when: "a request lacks the application ID or a configured client key, or calls a master-key-only route without the master key (handleParseHeaders / enforceMasterKeyAccess: 403 'unauthorized')",
    remap: (n) =>
      `mount a middleware before the Parse Server app that rewrites the status: app.use('/parse', (req, res, next) => { const writeHead = res.writeHead; res.writeHead = function (code, ...rest) { return writeHead.call(this, code === 403 ? ${n} : code, ...rest); }; next(); })`,
  },
  // SuperTokens (supertokens.com/docs, "Customize error handling"): a session that fails a claim validator (a role
  // or permission claim, email verification in REQUIRED mode, MFA) gets "a 403 to the frontend with the errors
  // included in the body" from verifySession / withSession and from errorHandler() for getSession's
  // INVALID_CLAIM; Session.init({ errorHandlers: { onInvalidClaim } }) replaces it.
  {
    module: 'supertokens-node/recipe/session/framework/express',
    framework: 'express',
    also: [
      'supertokens-node/recipe/session/framework/fastify',
      'supertokens-node/recipe/session/framework/koa',
      'supertokens-node/recipe/session/framework/hapi',
      'supertokens-node/recipe/session/framework/loopback',
      'supertokens-node/recipe/session/framework/awsLambda',
      'supertokens-node/recipe/session/framework/custom',
      'supertokens-node/framework/express',
      'supertokens-node/framework/fastify',
      'supertokens-node/framework/koa',
      'supertokens-node/framework/hapi',
      'supertokens-node/framework/loopback',
      'supertokens-node/framework/awsLambda',
      'supertokens-node/framework/custom',
      'supertokens-node/nextjs',
    ],
    when: 'a session fails a claim validator (a role or permission claim, email verification REQUIRED, MFA): verifySession / withSession / errorHandler answer 403 with the claim errors',
    remap: (n) =>
      `answer ${n} in Session.init({ errorHandlers: { onInvalidClaim: async (errors, request, response) => { response.setStatusCode(${n}); response.sendJSONResponse({ message: 'invalid claim', claimValidationErrors: errors }); } } })`,
    configured: /\bonInvalidClaim\b/,
  },
  {
    module: 'keycloak-connect',
    framework: 'express',
    when: "keycloak.protect(...) or keycloak.enforcer(...) denies: a role or permission missing, or no valid token in bearer-only mode (accessDenied: 403 'Access denied')",
    remap: (n) =>
      `replace the handler: keycloak.accessDenied = (req, res) => { res.status(${n}).end('Unauthorized'); }`,
    configured: /\.accessDenied\s*=/,
  },
  // @loopback/authorization: the AuthorizeInterceptor throws HttpErrors.Forbidden with the component option
  // `defaultStatusCodeForDeny` (403 when unset) when the decision is DENY (README "Configure the authorization
  // component"; src/authorize-interceptor.ts). The component is mounted once: the file that names it is the site.
  {
    module: '@loopback/authorization',
    framework: 'loopback',
    when: 'a voter or authorizer of @authorize(...) decides AuthorizationDecision.DENY (the AuthorizeInterceptor throws HttpErrors.Forbidden with defaultStatusCodeForDeny, 403 when unset)',
    remap: (n) =>
      `configure the component: this.configure(AuthorizationBindings.COMPONENT).to({ defaultStatusCodeForDeny: ${n} })`,
    needs: /\bAuthorizationComponent\b/,
    configured: /\bdefaultStatusCodeForDeny\s*:/,
  },
  // csrf-sync: `errorConfig: { statusCode = 403 }` (src/index.ts), the synchronizer-token sibling of csrf-csrf.
  {
    module: 'csrf-sync',
    framework: 'express',
    layers: ['error-handler'],
    when: 'the synchronizer CSRF token is missing or wrong',
    remap: (n) => `pass csrfSync({ errorConfig: { statusCode: ${n} } }), or exempt them`,
    configured: ERROR_CONFIG_STATUS,
  },
  // Edge-CSRF's drop-in middleware answers 'invalid csrf token' with 403: @edge-csrf/express `res.statusCode = 403`,
  // @edge-csrf/nextjs `createCsrfMiddleware` and @edge-csrf/sveltekit `createCsrfHandle` `{ status: 403 }`. Its
  // `createCsrfProtect` throws CsrfError for the project's own code to answer (the census reads that answer).
  ...[
    ['@edge-csrf/express', 'express'],
    ['@edge-csrf/nextjs', 'web'],
    ['@edge-csrf/sveltekit', 'sveltekit'],
  ].map(([module, framework]): Producer => ({
    module,
    framework,
    when: "a POST, PUT, PATCH or DELETE has no valid CSRF token (its middleware answers 'invalid csrf token')",
    remap: (n) =>
      `use createCsrfProtect and answer ${n} yourself: catch (err) { if (err instanceof CsrfError) return new Response('invalid csrf token', { status: ${n} }); }`,
    needs: /\bcreateCsrf(?:Middleware|Handle)\b/,
  })),
  // oidc-provider (node-oidc-provider, lib/helpers/errors.js): InsufficientScope is `super(403, 'insufficient_scope')`,
  // thrown by its userinfo endpoint for an access token without the openid scope (userinfo is on by default).
  {
    module: 'oidc-provider',
    framework: 'koa',
    layers: ['response-hook'],
    when: "its userinfo endpoint gets an access token without the openid scope (InsufficientScope, 'insufficient_scope')",
    remap: (n) =>
      `remap it in a provider middleware: provider.use(async (ctx, next) => { await next(); if (ctx.status === 403) ctx.status = ${n}; })`,
    // Only where the provider is built (`new Provider(issuer, config)`); `features.userinfo.enabled: false` turns it off.
    needs: /\bnew\s+(?:[\w$]+\.)?Provider\s*\(/,
    configured: /\buserinfo\s*:\s*\{\s*enabled\s*:\s*false\b/,
  },
  // Proxies pass the upstream's status on: a 403 from the service behind reaches the mTLS client as it is.
  {
    module: 'http-proxy-middleware',
    framework: 'express',
    layers: ['response-hook'],
    when: "the upstream answers 403 (a proxied response keeps the upstream's status)",
    remap: (n) =>
      `rewrite it where the response comes back: on: { proxyRes(proxyRes) { if (proxyRes.statusCode === 403) proxyRes.statusCode = ${n}; } } (onProxyRes before v3)`,
  },
  {
    module: 'express-http-proxy',
    framework: 'express',
    layers: ['response-hook'],
    when: "the upstream answers 403 (a proxied response keeps the upstream's status)",
    remap: (n) =>
      `rewrite it in userResDecorator(proxyRes, data, req, res) { if (proxyRes.statusCode === 403) res.status(${n}); return data; }`,
  },
  {
    module: 'http-proxy',
    framework: 'node-http',
    when: "the upstream answers 403 (a proxied response keeps the upstream's status)",
    remap: (n) =>
      `rewrite it in proxy.on('proxyRes', (proxyRes) => { if (proxyRes.statusCode === 403) proxyRes.statusCode = ${n}; })`,
  },
  {
    module: '@fastify/http-proxy',
    framework: 'fastify',
    layers: ['response-hook'],
    when: "the upstream answers 403 (a proxied response keeps the upstream's status)",
    remap: (n) =>
      `rewrite it in replyOptions.onResponse(request, reply, res) { reply.code(res.statusCode === 403 ? ${n} : res.statusCode).send(res); }`,
  },
  {
    module: '@fastify/reply-from',
    framework: 'fastify',
    layers: ['response-hook'],
    when: "the upstream answers 403 (a proxied response keeps the upstream's status)",
    remap: (n) =>
      `rewrite it in onResponse(request, reply, res) { reply.code(res.statusCode === 403 ? ${n} : res.statusCode).send(res); }`,
  },
  // The same plugins under their Fastify 3 names (fastify-http-proxy, fastify-reply-from: renamed to @fastify/*).
  {
    module: 'fastify-http-proxy',
    framework: 'fastify',
    layers: ['response-hook'],
    when: "the upstream answers 403 (a proxied response keeps the upstream's status)",
    remap: (n) =>
      `rewrite it in replyOptions.onResponse(request, reply, res) { reply.code(res.statusCode === 403 ? ${n} : res.statusCode).send(res); }`,
  },
  {
    module: 'fastify-reply-from',
    framework: 'fastify',
    layers: ['response-hook'],
    when: "the upstream answers 403 (a proxied response keeps the upstream's status)",
    remap: (n) =>
      `rewrite it in onResponse(request, reply, res) { reply.code(res.statusCode === 403 ? ${n} : res.statusCode).send(res); }`,
  },
  // @hapi/h2o2 (h2o2 before the scope): `h.proxy(...)` and the `proxy` route handler stream the upstream's answer
  // with its status; the plugin is registered in one file and used by routes that never import it.
  ...['@hapi/h2o2', 'h2o2'].map((module): Producer => ({
    module,
    framework: 'hapi',
    layers: ['response-hook'],
    when: "the upstream answers 403 to h.proxy(...) or a proxy handler (a proxied response keeps the upstream's status)",
    remap: (n) =>
      `rewrite it in onPreResponse: server.ext('onPreResponse', (request, h) => { const r = request.response; if (!r.isBoom && r.statusCode === 403) r.code(${n}); return h.continue; })`,
  })),
  // koa-proxies (http-proxy underneath) pipes the upstream's answer through with its status.
  {
    module: 'koa-proxies',
    framework: 'koa',
    layers: ['response-hook'],
    when: "the upstream answers 403 (a proxied response keeps the upstream's status)",
    remap: (n) =>
      `rewrite it in events: { proxyRes(proxyRes) { if (proxyRes.statusCode === 403) proxyRes.statusCode = ${n}; } }`,
  },
  // koa-proxy (popomore; 0.x for Koa 1, 1.x for Koa 2: `this.status = res.statusCode` / `ctx.status = …`) and
  // koa-better-http-proxy (app/steps/copyProxyResHeadersToUserRes.js `ctx.status = rsp.statusCode`) copy the
  // upstream's status. Session 36 (cnpm/cnpmjs.org's npm audits proxy was silent).
  ...['koa-proxy', 'koa-better-http-proxy'].map((module): Producer => ({
    module,
    framework: 'koa',
    when: "the upstream answers 403 (a proxied response keeps the upstream's status)",
    remap: (n) =>
      `rewrite it after the proxy: app.use(async (ctx, next) => { await next(); if (ctx.status === 403) ctx.status = ${n}; }) before it`,
  })),
  // koa-limit (lib/limit.js): an address in `blackList` gets `this.status = 403` and the message; the rate
  // limit itself answers 429. The options often come from a config object, so the import is the site.
  {
    module: 'koa-limit',
    framework: 'koa',
    when: "a client address is in its blackList option (this.status = 403 with the message, 'request frequency limited' by default; over the limit it answers 429)",
    remap: (n) =>
      `answer ${n} yourself for listed addresses before it and pass blackList: [] (its status is not configurable), or mark the import // mtls-fix-ignore: no blackList`,
  },
  // Hono's proxy helper (hono/proxy) returns the upstream's Response, status included.
  {
    module: 'hono/proxy',
    framework: 'hono',
    when: "the upstream answers 403 to proxy(...) (the Response it returns keeps the upstream's status)",
    remap: (n) =>
      `rewrite what it returns: const res = await proxy(url, init); return res.status === 403 ? new Response(res.body, { status: ${n}, headers: res.headers }) : res;`,
  },
  // swagger-tools' swaggerSecurity (middleware/swagger-security.js `sendSecurityError`) and swagger-node-runner's
  // swagger_security fitting (fittings/swagger_security.js) answer the error a security handler calls back with,
  // its `statusCode` else 403, and an operation requiring a scheme with no handler ('unknown security handler')
  // with 403: the handlers mtls-fix reads hold no 403 (`cb(new Error('access denied'))`, as swagger-node's
  // generated code and most projects write it). Session 41.
  {
    module: 'swagger-tools',
    framework: 'express',
    layers: ['error-handler'],
    when: SECURITY_CALLBACK,
    remap: securityCallbackRemap,
    needs: /\.swaggerSecurity\s*\(/,
  },
  ...(
    [
      ['swagger-express-mw', 'express'],
      ['swagger-connect', 'express'],
      ['swagger-restify-mw', 'restify'],
      ['swagger-sails-hook', 'sails'],
      ['swagger-hapi', 'hapi'],
    ] as const
  ).map(([module, framework]): Producer => ({
    module,
    framework,
    layers: ['error-handler'],
    when: `its swagger_security fitting runs the configured handlers and ${SECURITY_CALLBACK}`,
    remap: securityCallbackRemap,
    // The runner's `securityHandlers` (or the older `swaggerSecurityHandlers`) in the create() config.
    needs: /\b(?:swaggerS|s)ecurityHandlers\b/,
  })),
];

/**
 * An option of a middleware factory that is the status of the answer it gives: a 403 written there is a status
 * slot (rewritten, and counted, as `res.status(403)` is). `factories` are the exported names of the factory
 * (`default` for the default export or a whole `require()`); `path` the keys from its first argument to the
 * status.
 */
export interface StatusOption {
  module: string;
  factories: readonly string[];
  path: readonly string[];
  framework: string;
}

/**
 * Sources: express-rate-limit's `statusCode` ("HTTP status code after limit is reached (default is 429)", README;
 * lib/express-rate-limit.js `res.status(options.statusCode).send(options.message)`), csrf-csrf `doubleCsrf` and
 * csrf-sync `csrfSync` `errorConfig: { statusCode = 403 }` (src/index.ts, the status of the http-errors error
 * they throw), koa-csrf up to 4.x `invalidTokenStatusCode` (`ctx.throw(opts.invalidTokenStatusCode, …)`, index.js).
 */
export const STATUS_OPTIONS: readonly StatusOption[] = [
  {
    module: 'express-rate-limit',
    factories: ['default', 'rateLimit'],
    path: ['statusCode'],
    framework: 'express',
  },
  {
    module: 'csrf-csrf',
    factories: ['doubleCsrf'],
    path: ['errorConfig', 'statusCode'],
    framework: 'express',
  },
  { module: 'csrf-sync', factories: ['csrfSync'], path: ['errorConfig', 'statusCode'], framework: 'express' },
  { module: 'koa-csrf', factories: ['default'], path: ['invalidTokenStatusCode'], framework: 'koa' },
];

/**
 * A package of the oauth2-server family whose `authenticate` checks a scope: with a `scope` option (given to
 * `authenticate(options)`, to oauth2-server's `authenticate(request, response, options)`, or to the server's
 * constructor, whose options are every call's defaults) a valid token that lacks the scope throws
 * InsufficientScopeError, `code: 403`, `name: 'insufficient_scope'` (RFC 6750 §3.1). Without a scope it answers
 * only 400/401. `wrapper`: the package answers the error itself (`res.status(e.code)`) unless
 * `useErrorHandler: true`, which passes it on with `next(e)`; else the caller gets the error thrown.
 */
export interface ScopeChecker {
  module: string;
  framework: string;
  wrapper: boolean;
}

/**
 * Sources (their code at the current major): oauth2-server 3.x and @node-oauth/oauth2-server 5.x
 * lib/handlers/authenticate-handler.js (`verifyScope` throws InsufficientScopeError, lib/errors/
 * insufficient-scope-error.js `code: 403`; lib/server.js: the constructor's options are the defaults of
 * `authenticate`); express-oauth-server 2.x and @node-oauth/express-oauth-server 4.x index.js `handleError`
 * (`res.status(e.code)` unless `useErrorHandler`); fastify-oauth-server 3.x oauthServer.js `handleError`
 * (`res.statusCode = e.code` unless `useErrorHandler`). koa-oauth-server 1.x wraps oauth2-server 2.x, whose
 * `authorise` has no scope check: not listed.
 */
export const SCOPE_CHECKERS: readonly ScopeChecker[] = [
  { module: 'express-oauth-server', framework: 'express', wrapper: true },
  { module: '@node-oauth/express-oauth-server', framework: 'express', wrapper: true },
  { module: 'fastify-oauth-server', framework: 'fastify', wrapper: true },
  { module: 'oauth2-server', framework: 'node-http', wrapper: false },
  { module: '@node-oauth/oauth2-server', framework: 'node-http', wrapper: false },
];

/** The prefilter's words for these packages (prefilter.ts): a file naming one of them is parsed. */
export const MIDDLEWARE_403_MODULES: readonly string[] = [
  ...PRODUCERS.flatMap((p) => [p.module, ...(p.also ?? [])]),
  ...SCOPE_CHECKERS.map((c) => c.module),
];
