import type { RemapLayer } from './types.js';

/**
 * Central remaps for 403s that framework code produces where no codemod edit can reach (DESIGN §6
 * "Never guess"). Each is one line a person can paste and adapt; `N` is the agreed status.
 */
export function remapHint(kind: ImplicitKind, status: number): string {
  const n = String(status);
  switch (kind) {
    case 'nest-guard':
      return `NestJS guards that return false answer 403 (ForbiddenException). Throw the exception for ${n} inside the guard, or add a filter on mTLS controllers: @Catch(ForbiddenException) class MtlsForbiddenFilter { catch(e, host) { host.switchToHttp().getResponse().status(${n}).json(e.getResponse()); } }.`;
    case 'hapi-auth-access':
      return `hapi answers 403 when route auth.access (scope/entity) fails. Remap in onPreResponse: server.ext('onPreResponse', (request, h) => { const r = request.response; if (r.isBoom && r.output.statusCode === 403) r.output.statusCode = ${n}; return h.continue; }).`;
    case 'csrf':
      return `CSRF middleware answers 403 on a bad or missing token. Remap it in the error handler (e.g. Express: if (err.code === 'EBADCSRFTOKEN') res.status(${n}); Hono: app.onError; Fastify: setErrorHandler) on mTLS routes, or exempt mTLS routes.`;
    case 'static':
      return `Static file serving answers 403 for dotfiles, '..' paths and index-less folders. Keep it off mTLS hosts, or remap 403 in a response hook (Express: patch res.writeHead; Fastify: onSend).`;
    case 'ip-restriction':
      // onError is ipRestriction's third argument, not a key of its rules (hono dist/middleware/ip-restriction).
      return `hono/ip-restriction answers 403 when an address is denied. On mTLS routes pass a handler as its third argument (its rules take only denyList and allowList): ipRestriction(getConnInfo, rules, (remote, c) => c.text('Unauthorized', ${n})).`;
    case 'authorizer-deny':
      return `An API Gateway authorizer Deny answers 403 (ACCESS_DENIED). Give the REST API an ACCESS_DENIED gateway response with status ${n}: CloudFormation AWS::ApiGateway::GatewayResponse, SAM GatewayResponses, Terraform aws_api_gateway_gateway_response, or CDK api.addGatewayResponse('denied', { type: ResponseType.ACCESS_DENIED, statusCode: '${n}' }) (\`mtls-fix detect\` names the gateway 403s left in your infrastructure code).`;
    case 'http-api-authorizer':
      return `An HTTP API Lambda authorizer that answers isAuthorized: false makes API Gateway answer 403, and HTTP APIs cannot give it another status (no gateway responses): authorize in the integration and answer ${n} there, or serve these routes from a REST API with an ACCESS_DENIED gateway response of ${n}.`;
    case 'jwt-authz':
      return `express-jwt-authz answers 403 when a scope is missing. Pass failWithError: true and map the error (status 403) to ${n} in the error handler on mTLS routes.`;
    case 'oauth2-scopes':
      return `express-oauth2-jwt-bearer's scope checks (requiredScopes, scopeIncludesAny) answer 403: they pass an InsufficientScopeError (status 403, WWW-Authenticate: Bearer error="insufficient_scope") to next(err) and take no option for the status. In an error handler after them on mTLS routes, answer ${n} when err.status === 403 (keep or replace its WWW-Authenticate header).`;
    case 'fastify-error':
      return `@fastify/error definitions are shared by every route: add a sibling error with status ${n} and throw it on mTLS routes, or map the code in setErrorHandler.`;
  }
}

/**
 * The central layers that can remap each kind's 403 (`Site.remapLayers`; remaps-covered.ts matches a remap on them,
 * never on the advice's words). Sources: csurf and @fastify/csrf-protection pass an error on (`next(err)`, a thrown
 * 403), hono/csrf and hono/ip-restriction throw an HTTPException(403) (hono dist/middleware/ip-restriction:
 * `blockError`), hapi's route access check answers Boom.forbidden, express.static with fallthrough: false passes
 * send's 403 on with next(err) and @fastify/static sends it as an error (both then write it: a response hook sees
 * it too), express-oauth2-jwt-bearer's requiredScopes passes an InsufficientScopeError on, an authorizer's Deny is
 * API Gateway's ACCESS_DENIED. A NestJS guard's 403 is settled by its filters (nest-guard-sites.ts); an HTTP API
 * authorizer's 403 and a @fastify/error class have no central remap.
 */
export function remapLayers(kind: ImplicitKind): RemapLayer[] {
  switch (kind) {
    case 'hapi-auth-access':
    case 'csrf':
    case 'ip-restriction':
    case 'jwt-authz':
    case 'oauth2-scopes':
      return ['error-handler'];
    case 'static':
      return ['error-handler', 'response-hook'];
    case 'authorizer-deny':
      return ['gateway-response'];
    case 'nest-guard':
    case 'http-api-authorizer':
    case 'fastify-error':
      return [];
  }
}

export type ImplicitKind =
  | 'nest-guard'
  | 'hapi-auth-access'
  | 'csrf'
  | 'static'
  | 'ip-restriction'
  | 'authorizer-deny'
  | 'http-api-authorizer'
  | 'jwt-authz'
  | 'oauth2-scopes'
  | 'fastify-error';
