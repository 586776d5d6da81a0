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
 * The member names by status of a status enum package's table, for the import binding `name` of `module`
 * (`StatusCode` of `status-code-enum`, named or default), or for `name.member` when `name` is the whole module
 * (`import * as codes from 'status-code-enum'; codes.StatusCode.ClientErrorForbidden`: pass `member`). Undefined
 * for any other import. Tables whose names are shared with http-status-codes / Nest (constants.ts
 * CONSTANT_LIBRARIES) are not listed here.
 */
export function statusEnumTable(
  module: string,
  name: string,
  member?: string,
): Readonly<Record<number, string>> | undefined {
  if (module !== 'status-code-enum') return undefined;
  if (member === undefined)
    return name === 'StatusCode' || name === 'default' ? STATUS_CODE_ENUM_NAMES : undefined;
  return (name === '*' || name === 'default') && member === 'StatusCode' ? STATUS_CODE_ENUM_NAMES : undefined;
}
