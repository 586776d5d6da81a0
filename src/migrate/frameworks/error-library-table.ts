/**
 * The error-class libraries and their classes by status (one table, read by the module that rewrites them,
 * error-libraries.ts, by the status reader of error objects, error-status.ts, and by Nest's exception filters,
 * nest-filters.ts).
 */
import {
  EGG_ERRORS,
  EGG_ERROR_ALIASES,
  ERROR_CLASS_NAMES,
  FEATHERS_ERRORS,
  FOAL_RESPONSES,
  GHOST_ERRORS,
  MIDWAY_ERRORS,
  NEST_EXCEPTIONS,
  RESTIFY_HTTP_ERRORS,
  RESTIFY_REST_ERRORS,
  ROUTING_CONTROLLERS_ERRORS,
  TSED_ERRORS,
} from '../status-names.js';
import { MIDWAY } from './midway-modules.js';

/** An error-class library: its modules, its 403 class, and its classes by status. */
export interface Library {
  modules: readonly string[];
  /** The 403 class as the library exports it. */
  forbidden: string;
  /** Class names by status; every one takes the same arguments as the 403 class. */
  names: Readonly<Record<number, string>>;
  /** A class taking the status as an argument, when the library has one: `(status, message)` by default. */
  generic?: string;
  /** The index of the generic class's status argument (Payload's `APIError(message, status)`: 1). */
  genericStatusArg?: number;
  /** Only the class imported by name (`import { Forbidden } from 'http-errors'`); its `ns.Forbidden` form has a module of its own. */
  namedOnly?: boolean;
  /** What to do when no class of the library answers the agreed status `n` (default: throw one with that status). */
  missing?: (n: number) => string;
  /** The framework its sites name, when not the table key. */
  framework?: string;
  /**
   * Named exports that hold the classes as members, also read off the default export: oidc-provider's
   * `import { errors } from 'oidc-provider'` then `new errors.InsufficientScope(…)`, or `Provider.errors.X`.
   */
  namespaces?: readonly string[];
}

/** Where Egg.js's HTTP error classes are imported from. */
export const EGG_ERROR_MODULES = ['egg-errors', '@eggjs/errors', 'egg/errors'];

/**
 * The error-class libraries error-libraries.ts rewrites (by table key), read here too by the status of an error
 * object a framework passes on (error-status.ts).
 */
export const LIBRARIES: Readonly<Record<string, Library>> = {
  'routing-controllers': {
    modules: ['routing-controllers'],
    forbidden: 'ForbiddenError',
    names: ROUTING_CONTROLLERS_ERRORS,
    generic: 'HttpError',
  },
  feathers: { modules: ['@feathersjs/errors'], forbidden: 'Forbidden', names: FEATHERS_ERRORS },
  // FoalTS answers with response objects rather than errors; the renamed class keeps the same arguments.
  foal: { modules: ['@foal/core'], forbidden: 'HttpResponseForbidden', names: FOAL_RESPONSES },
  tsed: {
    modules: ['@tsed/exceptions', 'ts-httpexceptions', '@tsed/common'],
    forbidden: 'Forbidden',
    names: TSED_ERRORS,
  },
  // `createError.Forbidden` / `createError[403]` are http-errors.ts's; the named class is the same constructor.
  'http-errors': {
    modules: ['http-errors'],
    forbidden: 'Forbidden',
    names: ERROR_CLASS_NAMES,
    namedOnly: true,
  },
  // LoopBack's `HttpErrors` is http-errors: `const { Forbidden } = HttpErrors` binds its class by name (imports.ts).
  'loopback-named': {
    modules: ['@loopback/rest'],
    forbidden: 'Forbidden',
    names: ERROR_CLASS_NAMES,
    namedOnly: true,
    framework: 'loopback',
  },
  // Midway's `httpError` classes read by destructuring (`const { ForbiddenError } = httpError`); the member form is
  // midway.ts's.
  'midway-named': {
    modules: MIDWAY,
    forbidden: 'ForbiddenError',
    names: MIDWAY_ERRORS,
    namedOnly: true,
    framework: 'midway',
    missing: (n) => `throw new MidwayHttpError(message, ${n})`,
  },
  // Egg.js's HTTP errors (egg-errors; `@eggjs/errors`, re-exported by egg 4 as `egg/errors`): each class takes
  // `(message?)`; egg's onerror answers with the class's status (eggjs/egg packages/errors/src/http/403.ts).
  egg: { modules: EGG_ERROR_MODULES, forbidden: 'ForbiddenError', names: EGG_ERRORS },
  // The same classes under their status aliases (`ForbiddenError as E403`, packages/errors/src/index.ts).
  'egg-aliases': {
    modules: EGG_ERROR_MODULES,
    forbidden: 'E403',
    names: EGG_ERROR_ALIASES,
    framework: 'egg',
  },
  // Ghost: a name with neither 403 nor Forbidden in it (statusCode 403 in TryGhost/framework packages/errors).
  ghost: {
    modules: ['@tryghost/errors'],
    forbidden: 'NoPermissionError',
    names: GHOST_ERRORS,
    missing: (n) => `pass { statusCode: ${n} } in its options (they override the class's 403)`,
  },
  // Payload 3 (`payload`): Forbidden, UnauthorizedError and NotFound all take `(t?: TFunction)`; APIError(message, status).
  payload: {
    modules: ['payload'],
    forbidden: 'Forbidden',
    names: { 401: 'UnauthorizedError', 404: 'NotFound' },
    generic: 'APIError',
    genericStatusArg: 1,
    missing: (n) => `throw new APIError(message, ${n}) from 'payload'`,
  },
  // Payload 2 (`payload/errors`) has no UnauthorizedError: APIError(message, status) answers any status.
  'payload-2': {
    modules: ['payload/errors'],
    forbidden: 'Forbidden',
    names: { 404: 'NotFound' },
    generic: 'APIError',
    genericStatusArg: 1,
    framework: 'payload',
    missing: (n) => `throw new APIError(message, ${n}) from 'payload/errors'`,
  },
  // Directus extensions: ForbiddenError is `createError(ErrorCode.Forbidden, …, 403)` in @directus/errors, which has no
  // same-shape class for another status of this kind.
  directus: {
    modules: ['@directus/errors'],
    forbidden: 'ForbiddenError',
    names: {},
    missing: (n) =>
      `Directus answers 403 for ForbiddenError: throw an error made with createError(code, message, ${n}) from @directus/errors`,
  },
  // HostLimitError is Ghost's other 403 (a plan limit): no class means the same, so its status is set instead.
  'ghost-host-limit': {
    modules: ['@tryghost/errors'],
    forbidden: 'HostLimitError',
    names: {},
    framework: 'ghost',
    missing: (n) =>
      `HostLimitError answers 403 (a plan limit reached): pass { statusCode: ${n} } in its options (they override the default)`,
  },
  // oidc-provider (lib/helpers/errors.js): InsufficientScope is `super(403, 'insufficient_scope')`; its 401 class,
  // InvalidToken, takes other arguments, so the throw is reported.
  'oidc-provider': {
    modules: ['oidc-provider'],
    forbidden: 'InsufficientScope',
    names: {},
    namespaces: ['errors'],
    missing: (n) =>
      n === 401
        ? "throw new errors.InvalidToken(detail) (401, 'invalid_token'), or set the error's status to 401 before it is thrown"
        : `set the error's status (\`err.status = ${n}\`) before it is thrown, or remap 403 in a provider middleware`,
  },
  // express-oauth2-jwt-bearer (packages/oauth2-bearer/src/errors.ts): InsufficientScopeError has status = 403; its
  // InvalidTokenError (401) takes (message) where it takes (scopes, message).
  'oauth2-jwt-bearer': {
    modules: ['express-oauth2-jwt-bearer'],
    forbidden: 'InsufficientScopeError',
    names: {},
    missing: (n) =>
      n === 401
        ? 'throw new InvalidTokenError(message) (401, with its WWW-Authenticate challenge) instead'
        : `throw an error whose status is ${n} instead`,
  },
};

/**
 * @nestjs/common's exception classes beyond NEST_EXCEPTIONS (its 5xx and 421 classes, from the package's
 * lib/exceptions); `HttpException` fixes no status and is not listed.
 */
const NEST_MORE: Readonly<Record<string, number>> = {
  MisdirectedException: 421,
  InternalServerErrorException: 500,
  NotImplementedException: 501,
  BadGatewayException: 502,
  ServiceUnavailableException: 503,
  GatewayTimeoutException: 504,
  HttpVersionNotSupportedException: 505,
};

/** A library error class's fixed status, and the framework module that rewrites (or reports) its 403 class. */
export interface LibraryClass {
  /** The HTTP status every instance answers. */
  status: number;
  /** The id of the framework module that handles a `new` of the 403 class (`error-libraries`, `nestjs`, `restify`). */
  owner: string;
}

/** The status a class name of a `status -> name` table stands for. */
function byName(table: Readonly<Record<number, string>>, name: string): number | undefined {
  const entry = Object.entries(table).find(([, n]) => n === name);
  return entry ? Number(entry[0]) : undefined;
}

/**
 * The status a library exception class always answers, by its module and exported name: @nestjs/common's
 * classes (`UnprocessableEntityException` 422), http-errors' named classes (`NotFound` 404), @nestjs/throttler's
 * `ThrottlerException` (429), restify-errors' classes (`NotFoundError` 404, `NotAuthorizedError` 403), and every
 * library of LIBRARIES (routing-controllers `NotFoundError`, Feathers `NotFound`, Egg.js `E404`…: its 403 class
 * and its `names`). Undefined for a class that fixes none (`HttpException`, `HttpError`) or is not known.
 */
export function libraryClass(module: string, name: string): LibraryClass | undefined {
  if (module === '@nestjs/common') {
    const status = byName(NEST_EXCEPTIONS, name) ?? NEST_MORE[name];
    return status === undefined ? undefined : { status, owner: 'nestjs' };
  }
  if (module === '@nestjs/throttler')
    return name === 'ThrottlerException' ? { status: 429, owner: 'nestjs' } : undefined;
  if (module === 'restify-errors') {
    const status = byName(RESTIFY_HTTP_ERRORS, name) ?? byName(RESTIFY_REST_ERRORS, name);
    return status === undefined ? undefined : { status, owner: 'restify' };
  }
  for (const library of Object.values(LIBRARIES)) {
    if (!library.modules.includes(module)) continue;
    const status = name === library.forbidden ? 403 : byName(library.names, name);
    if (status !== undefined) return { status, owner: 'error-libraries' };
  }
  return undefined;
}
