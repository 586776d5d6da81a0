/**
 * Names the status libraries give to 4xx codes. Only names that exist in every library we rewrite are
 * listed; for any other target status the rewrite falls back to the plain number.
 */

/** RFC 9110 reason phrases, for companions such as `statusText: 'Forbidden'`. */
export const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  418: "I'm a Teapot",
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
};

/**
 * Whether the status tables keyed by code have an entry for `status`: Node's `http.STATUS_CODES`, http-status's
 * `httpStatus[code]` / `'<code>_NAME'` (2.1.0) and statuses' `message` (2.0.2) hold the 4xx codes of
 * `REASON_PHRASES` exactly; http-status-codes' `getReasonPhrase` / `getStatusText` (2.3.0) hold those less 425 and
 * 419, 420 more, and throw `Status code does not exist` for any other. Read from each package's code (session 39):
 * for another status, `STATUS_CODES[499]` is undefined and `getReasonPhrase(499)` throws.
 */
export function phraseTableHas(status: number, table: 'status-codes' | 'http-status-codes'): boolean {
  if (table === 'http-status-codes')
    return status === 419 || status === 420 || (status !== 425 && status in REASON_PHRASES);
  return status in REASON_PHRASES;
}

export function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? `Status ${status}`;
}

/** `StatusCodes.X` (http-status-codes), `HttpStatus.X` (Nest), `status.X` (http-status): names shared by all three. */
export const CONSTANT_NAMES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  402: 'PAYMENT_REQUIRED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  407: 'PROXY_AUTHENTICATION_REQUIRED',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  410: 'GONE',
  411: 'LENGTH_REQUIRED',
  412: 'PRECONDITION_FAILED',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  417: 'EXPECTATION_FAILED',
  422: 'UNPROCESSABLE_ENTITY',
  424: 'FAILED_DEPENDENCY',
  428: 'PRECONDITION_REQUIRED',
  429: 'TOO_MANY_REQUESTS',
};

/** http-errors / @fastify/sensible constructor names (`createError.Unauthorized`, `reply.unauthorized()`). */
export const ERROR_CLASS_NAMES: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  402: 'PaymentRequired',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  407: 'ProxyAuthenticationRequired',
  408: 'RequestTimeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'LengthRequired',
  412: 'PreconditionFailed',
  413: 'PayloadTooLarge',
  414: 'URITooLong',
  415: 'UnsupportedMediaType',
  416: 'RangeNotSatisfiable',
  417: 'ExpectationFailed',
  418: 'ImATeapot',
  421: 'MisdirectedRequest',
  422: 'UnprocessableEntity',
  423: 'Locked',
  424: 'FailedDependency',
  425: 'TooEarly',
  426: 'UpgradeRequired',
  428: 'PreconditionRequired',
  429: 'TooManyRequests',
  431: 'RequestHeaderFieldsTooLarge',
  451: 'UnavailableForLegalReasons',
};

/** `fastify.httpErrors.x()` / `reply.x()` method names: the class name with a lower-case first letter. */
export function camelErrorName(status: number): string | undefined {
  const name = ERROR_CLASS_NAMES[status];
  if (!name) return undefined;
  // `URITooLong` -> `uriTooLong`, as @fastify/sensible spells it.
  return name.startsWith('URI') ? `uri${name.slice(3)}` : name[0].toLowerCase() + name.slice(1);
}

/** @nestjs/common exception classes (a named class exists for these statuses only). */
export const NEST_EXCEPTIONS: Readonly<Record<number, string>> = {
  400: 'BadRequestException',
  401: 'UnauthorizedException',
  403: 'ForbiddenException',
  404: 'NotFoundException',
  405: 'MethodNotAllowedException',
  406: 'NotAcceptableException',
  408: 'RequestTimeoutException',
  409: 'ConflictException',
  410: 'GoneException',
  412: 'PreconditionFailedException',
  413: 'PayloadTooLargeException',
  415: 'UnsupportedMediaTypeException',
  418: 'ImATeapotException',
  422: 'UnprocessableEntityException',
};

/** @nestjs/swagger response decorators. */
export const NEST_SWAGGER_DECORATORS: Readonly<Record<number, string>> = {
  400: 'ApiBadRequestResponse',
  401: 'ApiUnauthorizedResponse',
  403: 'ApiForbiddenResponse',
  404: 'ApiNotFoundResponse',
  405: 'ApiMethodNotAllowedResponse',
  406: 'ApiNotAcceptableResponse',
  408: 'ApiRequestTimeoutResponse',
  409: 'ApiConflictResponse',
  410: 'ApiGoneResponse',
  412: 'ApiPreconditionFailedResponse',
  413: 'ApiPayloadTooLargeResponse',
  415: 'ApiUnsupportedMediaTypeResponse',
  422: 'ApiUnprocessableEntityResponse',
  429: 'ApiTooManyRequestsResponse',
};

/** Boom helpers; `Boom.unauthorized` takes (message, scheme, attributes), unlike the others. */
export const BOOM_HELPERS: Readonly<Record<number, string>> = {
  400: 'badRequest',
  401: 'unauthorized',
  402: 'paymentRequired',
  403: 'forbidden',
  404: 'notFound',
  405: 'methodNotAllowed',
  406: 'notAcceptable',
  407: 'proxyAuthRequired',
  408: 'clientTimeout',
  409: 'conflict',
  410: 'resourceGone',
  411: 'lengthRequired',
  412: 'preconditionFailed',
  413: 'entityTooLarge',
  414: 'uriTooLong',
  415: 'unsupportedMediaType',
  416: 'rangeNotSatisfiable',
  417: 'expectationFailed',
  418: 'teapot',
  422: 'badData',
  423: 'locked',
  424: 'failedDependency',
  425: 'tooEarly',
  428: 'preconditionRequired',
  429: 'tooManyRequests',
  451: 'illegal',
};

/**
 * oRPC's common error codes and the HTTP status each maps to when `new ORPCError(code)` sets no `status`
 * (`COMMON_ORPC_ERROR_DEFS` in @orpc/client's src/error.ts; a code outside it answers 500).
 */
export const ORPC_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_SUPPORTED',
  406: 'NOT_ACCEPTABLE',
  408: 'TIMEOUT',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'TOO_MANY_REQUESTS',
  499: 'CLIENT_CLOSED_REQUEST',
  500: 'INTERNAL_SERVER_ERROR',
  501: 'NOT_IMPLEMENTED',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/** tRPC error codes and the HTTP status each maps to. */
export const TRPC_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_SUPPORTED',
  408: 'TIMEOUT',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'TOO_MANY_REQUESTS',
  499: 'CLIENT_CLOSED_REQUEST',
};

/** restify-errors: both ForbiddenError (HttpError) and NotAuthorizedError (RestError) answer 403. */
export const RESTIFY_HTTP_ERRORS: Readonly<Record<number, string>> = {
  400: 'BadRequestError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  405: 'MethodNotAllowedError',
  406: 'NotAcceptableError',
  408: 'RequestTimeoutError',
  409: 'ConflictError',
  410: 'GoneError',
  412: 'PreconditionFailedError',
  415: 'UnsupportedMediaTypeError',
  422: 'UnprocessableEntityError',
  429: 'TooManyRequestsError',
};
export const RESTIFY_REST_ERRORS: Readonly<Record<number, string>> = {
  401: 'InvalidCredentialsError',
  403: 'NotAuthorizedError',
  404: 'ResourceNotFoundError',
};

/** Firebase callable `HttpsError` codes. */
export const FIREBASE_CODES: Readonly<Record<number, string>> = {
  400: 'invalid-argument',
  401: 'unauthenticated',
  403: 'permission-denied',
  404: 'not-found',
  409: 'already-exists',
  429: 'resource-exhausted',
};

/** routing-controllers error classes. */
export const ROUTING_CONTROLLERS_ERRORS: Readonly<Record<number, string>> = {
  400: 'BadRequestError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
};

/**
 * Egg.js HTTP error classes (egg-errors, `@eggjs/errors`, egg 4's `egg/errors`), each `(message?)`; source: eggjs/egg
 * packages/errors/src/index.ts and src/http/4xx.ts.
 */
export const EGG_ERRORS: Readonly<Record<number, string>> = {
  400: 'BadRequestError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  409: 'ConflictError',
  422: 'UnprocessableEntityError',
  429: 'TooManyRequestsError',
};

/** The same Egg.js classes under the status aliases the package also exports (`ForbiddenError as E403`). */
export const EGG_ERROR_ALIASES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.keys(EGG_ERRORS).map((status) => [Number(status), `E${status}`]),
);

/** @feathersjs/errors classes. */
export const FEATHERS_ERRORS: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'NotAuthenticated',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  408: 'Timeout',
  409: 'Conflict',
  411: 'LengthRequired',
  422: 'Unprocessable',
  429: 'TooManyRequests',
};

/**
 * Deno std's `Status` enum (std/http/http_status.ts, re-exported by Oak) and `STATUS_CODE` (@std/http/status):
 * PascalCase member names.
 */
export const DENO_STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  402: 'PaymentRequired',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  407: 'ProxyAuthRequired',
  408: 'RequestTimeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'LengthRequired',
  412: 'PreconditionFailed',
  415: 'UnsupportedMediaType',
  417: 'ExpectationFailed',
  422: 'UnprocessableEntity',
  423: 'Locked',
  424: 'FailedDependency',
  425: 'TooEarly',
  426: 'UpgradeRequired',
  428: 'PreconditionRequired',
  429: 'TooManyRequests',
  431: 'RequestHeaderFieldsTooLarge',
  451: 'UnavailableForLegalReasons',
};

/**
 * axios's `HttpStatusCode` enum (axios >= 1.2, lib/helpers/HttpStatusCode.js), which server code imports for its
 * statuses too (`{ statusCode: HttpStatusCode.Forbidden }`): PascalCase member names, every status it defines.
 */
export const AXIOS_STATUS_NAMES: Readonly<Record<number, string>> = {
  100: 'Continue',
  101: 'SwitchingProtocols',
  102: 'Processing',
  103: 'EarlyHints',
  200: 'Ok',
  201: 'Created',
  202: 'Accepted',
  203: 'NonAuthoritativeInformation',
  204: 'NoContent',
  205: 'ResetContent',
  206: 'PartialContent',
  207: 'MultiStatus',
  208: 'AlreadyReported',
  226: 'ImUsed',
  300: 'MultipleChoices',
  301: 'MovedPermanently',
  302: 'Found',
  303: 'SeeOther',
  304: 'NotModified',
  305: 'UseProxy',
  306: 'Unused',
  307: 'TemporaryRedirect',
  308: 'PermanentRedirect',
  400: 'BadRequest',
  401: 'Unauthorized',
  402: 'PaymentRequired',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  407: 'ProxyAuthenticationRequired',
  408: 'RequestTimeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'LengthRequired',
  412: 'PreconditionFailed',
  413: 'PayloadTooLarge',
  414: 'UriTooLong',
  415: 'UnsupportedMediaType',
  416: 'RangeNotSatisfiable',
  417: 'ExpectationFailed',
  418: 'ImATeapot',
  421: 'MisdirectedRequest',
  422: 'UnprocessableEntity',
  423: 'Locked',
  424: 'FailedDependency',
  425: 'TooEarly',
  426: 'UpgradeRequired',
  428: 'PreconditionRequired',
  429: 'TooManyRequests',
  431: 'RequestHeaderFieldsTooLarge',
  451: 'UnavailableForLegalReasons',
  500: 'InternalServerError',
  501: 'NotImplemented',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
  505: 'HttpVersionNotSupported',
  506: 'VariantAlsoNegotiates',
  507: 'InsufficientStorage',
  508: 'LoopDetected',
  510: 'NotExtended',
  511: 'NetworkAuthenticationRequired',
};

/**
 * ConnectRPC codes by the HTTP status the Connect protocol answers for them (connectrpc.com/docs/protocol,
 * "Error codes"): `permission_denied` is 403. Only codes that map to one status alone are listed.
 */
export const CONNECT_CODES: Readonly<Record<number, { name: string; value: number }>> = {
  401: { name: 'Unauthenticated', value: 16 },
  404: { name: 'NotFound', value: 5 },
  429: { name: 'ResourceExhausted', value: 8 },
};
/** `Code.PermissionDenied`'s numeric value. */
export const CONNECT_PERMISSION_DENIED = 7;

/** @tsed/exceptions classes (`new Forbidden(m, origin)`), all `(message, origin?)`. */
export const TSED_ERRORS: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  429: 'TooManyRequests',
};

/**
 * FoalTS response classes by status (`@foal/core`, https://foalts.org/docs/architecture/controllers#http-responses),
 * 4xx only; each takes `(body?, options?)` as `HttpResponseForbidden` does.
 */
export const FOAL_RESPONSES: Readonly<Record<number, string>> = {
  400: 'HttpResponseBadRequest',
  401: 'HttpResponseUnauthorized',
  404: 'HttpResponseNotFound',
  405: 'HttpResponseMethodNotAllowed',
  409: 'HttpResponseConflict',
  429: 'HttpResponseTooManyRequests',
};

/**
 * better-call (the endpoint layer of better-auth): `APIError` status names and the HTTP status each answers
 * (`statusCodes` in better-call's `src/error.ts`), 4xx only.
 */
export const BETTER_CALL_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  402: 'PAYMENT_REQUIRED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  407: 'PROXY_AUTHENTICATION_REQUIRED',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  410: 'GONE',
  411: 'LENGTH_REQUIRED',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  416: 'RANGE_NOT_SATISFIABLE',
  417: 'EXPECTATION_FAILED',
  421: 'MISDIRECTED_REQUEST',
  422: 'UNPROCESSABLE_ENTITY',
  423: 'LOCKED',
  424: 'FAILED_DEPENDENCY',
  425: 'TOO_EARLY',
  426: 'UPGRADE_REQUIRED',
  428: 'PRECONDITION_REQUIRED',
  429: 'TOO_MANY_REQUESTS',
  431: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
  451: 'UNAVAILABLE_FOR_LEGAL_REASONS',
};

/**
 * `@tryghost/errors` classes by the status each fixes (TryGhost/framework `packages/errors/src/errors.ts`): every
 * one takes the same `(options: GhostErrorOptions)` as `NoPermissionError` (403). `HostLimitError` also answers
 * 403 but names a limit, not a permission, so it has no entry here.
 */
export const GHOST_ERRORS: Readonly<Record<number, string>> = {
  400: 'BadRequestError',
  401: 'UnauthorizedError',
  404: 'NotFoundError',
  405: 'MethodNotAllowedError',
  406: 'RequestNotAcceptableError',
  409: 'ConflictError',
  413: 'RequestEntityTooLargeError',
  415: 'UnsupportedMediaTypeError',
  422: 'ValidationError',
  429: 'TooManyRequestsError',
};

/**
 * `@strapi/utils` `errors` classes by the status Strapi answers for them (`mapErrorsAndStatus` in
 * `packages/core/core/src/services/errors.ts`: UnauthorizedError 401, ForbiddenError and its subclass PolicyError
 * 403, NotFoundError 404, PayloadTooLargeError 413, RateLimitError 429; any other ApplicationError 400). Each takes
 * `(message, details)`.
 */
export const STRAPI_ERRORS: Readonly<Record<number, string>> = {
  400: 'ApplicationError',
  401: 'UnauthorizedError',
  404: 'NotFoundError',
  413: 'PayloadTooLargeError',
  429: 'RateLimitError',
};

/** Midway's `httpError` classes (https://midwayjs.org/docs/error_filter). */
export const MIDWAY_ERRORS: Readonly<Record<number, string>> = {
  400: 'BadRequestError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  406: 'NotAcceptableError',
  408: 'RequestTimeoutError',
  409: 'ConflictError',
  413: 'PayloadTooLargeError',
  422: 'UnprocessableEntityError',
  429: 'TooManyRequestsError',
};

/**
 * Statuses by the words status tables of packages name them with, written without case, `_` or `-`
 * (`ok`, `OK`, `HTTP_OK`, `internalError`, `INTERNAL_SERVER_ERROR`): RFC 9110 §15 reason phrases, and the short
 * forms tables use (`internalError`, `serverError`). A leading `http` / `status` / `httpStatus` is dropped first.
 */
const STATUS_WORDS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    ok: 200,
    created: 201,
    accepted: 202,
    nocontent: 204,
    movedpermanently: 301,
    found: 302,
    seeother: 303,
    notmodified: 304,
    temporaryredirect: 307,
    permanentredirect: 308,
    ...Object.fromEntries(
      Object.entries(REASON_PHRASES).map(([status, phrase]) => [
        phrase.toLowerCase().replace(/[^a-z]/g, ''),
        Number(status),
      ]),
    ),
    unprocessableentity: 422,
    internalservererror: 500,
    internalerror: 500,
    servererror: 500,
    notimplemented: 501,
    badgateway: 502,
    serviceunavailable: 503,
    gatewaytimeout: 504,
  }),
);

/**
 * The status a member of a status table names (`statusCodes.ok` 200, `HTTP.INTERNAL_SERVER_ERROR` 500,
 * `codes.forbidden` 403), read from its name alone; undefined for a name that is no status word.
 */
export function statusOfName(name: string): number | undefined {
  const word = name.toLowerCase().replace(/[^a-z]/g, '');
  return STATUS_WORDS.get(word) ?? STATUS_WORDS.get(word.replace(/^(?:httpstatus|http|status)(?=.)/, ''));
}
