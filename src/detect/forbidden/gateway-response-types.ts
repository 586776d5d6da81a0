import { GATEWAY_403_RESPONSES } from '../../openapi/aws-gateway-defaults.js';

/** A REST API gateway response type: its default status and when API Gateway sends it. */
interface GatewayResponseType {
  /** The status it answers when no gateway response gives it another. */
  status: number;
  /** When API Gateway sends it, as a phrase completing "403 when ...". */
  when: string;
}

/**
 * Every Amazon API Gateway REST API gateway response type other than those that default to 403
 * ({@link GATEWAY_403_RESPONSES}), with its default status. Source: AWS, API Gateway Developer Guide, "Gateway
 * response types for API Gateway" (supported-gateway-response-types.html). Any of them can be given status 403 by
 * a gateway response: then API Gateway itself answers 403 there (an AUTHORIZER_FAILURE, UNAUTHORIZED or DEFAULT_4XX
 * mapped to 403 is common).
 */
const OTHER_TYPES: Record<string, GatewayResponseType> = {
  API_CONFIGURATION_ERROR: { status: 500, when: 'the API configuration is invalid' },
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, when: 'API Gateway cannot reach or read the authorizer' },
  AUTHORIZER_FAILURE: {
    status: 500,
    when: 'a Lambda or Cognito authorizer fails to authenticate the caller',
  },
  BAD_REQUEST_PARAMETERS: { status: 400, when: 'request parameters fail the request validator' },
  BAD_REQUEST_BODY: { status: 400, when: 'the request body fails the request validator' },
  DEFAULT_4XX: { status: 400, when: 'any 4XX response type without a status of its own is answered' },
  DEFAULT_5XX: { status: 500, when: 'any 5XX response type without a status of its own is answered' },
  INTEGRATION_FAILURE: { status: 504, when: 'the integration fails' },
  INTEGRATION_TIMEOUT: { status: 504, when: 'the integration times out' },
  QUOTA_EXCEEDED: { status: 429, when: 'a usage plan quota is exceeded' },
  REQUEST_TOO_LARGE: { status: 413, when: 'the request is too large' },
  RESOURCE_NOT_FOUND: {
    status: 404,
    when: 'the resource is not found after the request passed authentication and authorization',
  },
  THROTTLED: { status: 429, when: 'a usage plan, method or stage throttling limit is exceeded' },
  UNAUTHORIZED: { status: 401, when: 'a Lambda or Cognito authorizer rejects the caller' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, when: 'the payload has a media type the API does not support' },
};

/**
 * The default status of gateway response `type` and when API Gateway sends it; undefined for a type API Gateway
 * does not define (a typo: API Gateway rejects it on deploy).
 */
export function gatewayResponseType(type: string): GatewayResponseType | undefined {
  const forbidden = GATEWAY_403_RESPONSES.find((response) => response.type === type);
  return forbidden ? { status: 403, when: forbidden.when } : OTHER_TYPES[type];
}
