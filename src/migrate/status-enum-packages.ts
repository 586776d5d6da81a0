/**
 * status-code-enum's `StatusCode` enum (npm `status-code-enum`, jrylan/status-code-enum,
 * `__meta__/api-accepted/status-code-enum.api.ts`): member names prefixed with the status class
 * (`ClientErrorForbidden` = 403, `ClientErrorUnauthorized` = 401, `SuccessOK` = 200). Every member it declares.
 */
export const STATUS_CODE_ENUM_NAMES: Readonly<Record<number, string>> = {
  100: 'InfoContinue',
  101: 'InfoSwitchingProtocols',
  102: 'InfoProcessing',
  200: 'SuccessOK',
  201: 'SuccessCreated',
  202: 'SuccessAccepted',
  203: 'SuccessNonAuthoritativeInfo',
  204: 'SuccessNoContent',
  205: 'SuccessResetContent',
  206: 'SuccessPartialContent',
  207: 'SuccessMultiStatus',
  208: 'SuccessAlreadyReported',
  229: 'SuccessIMUsed',
  300: 'RedirectMultipleChoices',
  301: 'RedirectMovedPermanently',
  302: 'RedirectFound',
  303: 'RedirectSeeOther',
  304: 'RedirectNotModified',
  305: 'RedirectUseProxy',
  306: 'RedirectSwitchProxy',
  307: 'RedirectTemp',
  308: 'RedirectPermanent',
  400: 'ClientErrorBadRequest',
  401: 'ClientErrorUnauthorized',
  402: 'ClientErrorPaymentRequired',
  403: 'ClientErrorForbidden',
  404: 'ClientErrorNotFound',
  405: 'ClientErrorMethodNotAllowed',
  406: 'ClientErrorNotAcceptable',
  407: 'ClientErrorProxyAuthRequired',
  408: 'ClientErrorRequestTimeout',
  409: 'ClientErrorConflict',
  410: 'ClientErrorGone',
  411: 'ClientErrorLengthRequired',
  412: 'ClientErrorPreconditionFailed',
  413: 'ClientErrorPayloadTooLarge',
  414: 'ClientErrorURITooLong',
  415: 'ClientErrorUnsupportedMediaType',
  416: 'ClientErrorRangeNotSatisfiable',
  417: 'ClientErrorExpectationFailed',
  418: 'ClientErrorImATeapot',
  421: 'ClientErrorMisdirectedRequest',
  422: 'ClientErrorUnprocessableEntity',
  423: 'ClientErrorLocked',
  424: 'ClientErrorFailedDependency',
  426: 'ClientErrorUpgradeRequired',
  428: 'ClientErrorPreconditionRequired',
  429: 'ClientErrorTooManyRequests',
  431: 'ClientErrorRequestHeaderFieldsTooLarge',
  440: 'ClientErrorLoginTimeOut',
  449: 'ClientErrorRetryWith',
  451: 'ClientErrorUnavailableForLegalReasons',
  500: 'ServerErrorInternal',
  501: 'ServerErrorNotImplemented',
  502: 'ServerErrorBadGateway',
  503: 'ServerErrorServiceUnavailable',
  504: 'ServerErrorGatewayTimeout',
  505: 'ServerErrorHTTPVersionNotSupported',
  506: 'ServerErrorVariantAlsoNegotiates',
  507: 'ServerErrorInsufficientStorage',
  508: 'ServerErrorLoopDetected',
  509: 'ServerErrorBandwidthLimitExceeded',
  510: 'ServerErrorNotExtended',
  511: 'ServerErrorNetworkAuthRequired',
};

/**
 * http-status-enum's default export, the `HTTP_STATUS_CODES` enum (npm `http-status-enum` 1.0.2, its only release;
 * KyleNeedham/http-status-enum at c7afd9b, `lib/index.d.ts`: `declare const enum HTTP_STATUS_CODES { … }` and
 * `export default HTTP_STATUS_CODES`): upper-case names (`FORBIDDEN` = 403, `UNAUTHORIZED` = 401), every member it
 * declares. It has no 451, 423 or 418: a target without a member is written as the number.
 */
export const HTTP_STATUS_ENUM_NAMES: Readonly<Record<number, string>> = {
  100: 'CONTINUE',
  101: 'SWITCHING_PROTOCOLS',
  200: 'OK',
  201: 'CREATED',
  202: 'ACCEPTED',
  203: 'NON_AUTHORITATIVE_INFORMATION',
  204: 'NO_CONTENT',
  205: 'RESET_CONTENT',
  206: 'PARTIAL_CONTENT',
  300: 'MULTIPLE_CHOICES',
  301: 'MOVED_PERMANENTLY',
  302: 'FOUND',
  303: 'SEE_OTHER',
  304: 'NOT_MODIFIED',
  305: 'USE_PROXY',
  307: 'TEMPORARY_REDIRECT',
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
  413: 'REQUEST_ENTITY_TOO_LARGE',
  414: 'REQUEST_URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  416: 'REQUESTED_RANGE_NOT_SATISFIABLE',
  417: 'EXPECTATION_FAILED',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  501: 'NOT_IMPLEMENTED',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
  505: 'HTTP_VERSION_NOT_SUPPORTED',
};

/**
 * The member names by status of a status enum package's table, for the import binding `name` of `module`
 * (`StatusCode` of `status-code-enum`, named or default; the default export of `http-status-enum`), or for `name.member` when `name` is the whole module
 * (`import * as codes from 'status-code-enum'; codes.StatusCode.ClientErrorForbidden`: pass `member`). Undefined
 * for any other import. Tables whose names are shared with http-status-codes / Nest (constants.ts
 * CONSTANT_LIBRARIES) are not listed here.
 */
export function statusEnumTable(
  module: string,
  name: string,
  member?: string,
): Readonly<Record<number, string>> | undefined {
  if (module === 'http-status-enum') {
    // The enum is the default export only: `import HttpStatus from …`, `import * as m from …; m.default.X`.
    if (member === undefined) return name === 'default' ? HTTP_STATUS_ENUM_NAMES : undefined;
    return name === '*' && member === 'default' ? HTTP_STATUS_ENUM_NAMES : undefined;
  }
  if (module !== 'status-code-enum') return undefined;
  if (member === undefined)
    return name === 'StatusCode' || name === 'default' ? STATUS_CODE_ENUM_NAMES : undefined;
  return (name === '*' || name === 'default') && member === 'StatusCode' ? STATUS_CODE_ENUM_NAMES : undefined;
}
