import { findMtlsFixError } from '../errors.js';
import type { DocumentSet, Located, RefCache } from './document-set.js';
import type { Operation } from './operations.js';
import { isObject } from './pointer.js';
import { effectiveSecurity, lookupScheme, securitySchemesOf } from './security.js';
import type { SpecVersion } from './version.js';
import { AWS_GATEWAY_RESPONSES, AWS_INTEGRATION, forbiddenStatusCode } from './aws-integration.js';
import { writtenScalar, yaml11Number } from './yaml11.js';

/** What an API must use for a gateway response type to occur (undefined: any REST API can send it). */
export type GatewayUse = 'authorizer' | 'apiKey' | 'iam' | 'waf';

/** A gateway response type whose default status is 403. */
export interface Gateway403Response {
  /** The gateway response type, as API Gateway names it. */
  type: string;
  /** When API Gateway sends it, as a phrase (`a request to a resource or method the REST API does not define`). */
  when: string;
  uses?: GatewayUse;
}

/**
 * The gateway responses of an Amazon API Gateway REST API whose default status is 403, and when API Gateway sends
 * each one itself, before any integration (Lambda, HTTP) runs. Source: AWS, API Gateway Developer Guide, "Gateway
 * response types for API Gateway" (supported-gateway-response-types.html): ACCESS_DENIED, EXPIRED_TOKEN,
 * INVALID_API_KEY, INVALID_SIGNATURE, MISSING_AUTHENTICATION_TOKEN and WAF_FILTERED default to 403; every one can
 * be given another status with a gateway response, and "changing the status code of [DEFAULT_4XX] changes the
 * status codes of all other 4XX responses to the new value" (those without a status of their own).
 * HTTP APIs have no gateway responses (and answer an undefined route with 404).
 */
export const GATEWAY_403_RESPONSES: readonly Gateway403Response[] = [
  {
    type: 'MISSING_AUTHENTICATION_TOKEN',
    when: 'a request to a resource or method the REST API does not define',
  },
  {
    type: 'ACCESS_DENIED',
    when: 'a Lambda or Cognito authorizer, or a resource policy, denies the request',
    uses: 'authorizer',
  },
  { type: 'INVALID_API_KEY', when: 'a method that requires an API key gets an invalid one', uses: 'apiKey' },
  {
    type: 'EXPIRED_TOKEN',
    when: 'an AWS IAM (SigV4) request is signed with expired credentials',
    uses: 'iam',
  },
  { type: 'INVALID_SIGNATURE', when: 'an AWS IAM (SigV4) signature does not verify', uses: 'iam' },
  { type: 'WAF_FILTERED', when: 'an AWS WAF web ACL on the stage blocks the request', uses: 'waf' },
];

/** The prefix of every Amazon API Gateway OpenAPI extension (API Gateway Developer Guide, OpenAPI extensions). */
const AWS_PREFIX = 'x-amazon-apigateway-';
/** The security scheme extension that declares a Lambda or Cognito authorizer. */
export const AWS_AUTHORIZER = 'x-amazon-apigateway-authorizer';
/** The security scheme extension whose value `awsSigv4` declares AWS IAM authorization. */
export const AWS_AUTHTYPE = 'x-amazon-apigateway-authtype';
/** The document extension holding a REST API's resource policy. */
export const AWS_POLICY = 'x-amazon-apigateway-policy';

/** Document extensions only REST APIs read (API Gateway Developer Guide, "OpenAPI extensions"). */
const REST_ONLY_ROOT = [
  'x-amazon-apigateway-gateway-responses',
  'x-amazon-apigateway-request-validators',
  'x-amazon-apigateway-api-key-source',
  AWS_POLICY,
  'x-amazon-apigateway-minimum-compression-size',
  'x-amazon-apigateway-documentation',
];
/** Document extensions only HTTP APIs read. */
const HTTP_ONLY_ROOT = ['x-amazon-apigateway-cors', 'x-amazon-apigateway-importexport-version'];
/** Integration types only REST APIs have (HTTP APIs have `aws_proxy` and `http_proxy`). */
const REST_ONLY_INTEGRATION_TYPES = new Set(['aws', 'http', 'mock']);
/** Integration fields only REST APIs read. */
const REST_ONLY_INTEGRATION_FIELDS = [
  'responses',
  'requestTemplates',
  'passthroughBehavior',
  'cacheKeyParameters',
  'contentHandling',
];

/**
 * Which kind of Amazon API Gateway API a document describes: `rest` (API Gateway V1, gateway responses apply),
 * `http` (API Gateway V2 HTTP API: no gateway responses), undefined when it uses no `x-amazon-apigateway-*`
 * extension. What only one kind reads tells them apart (API Gateway Developer Guide, "OpenAPI extensions" and
 * "x-amazon-apigateway-integration object"): for REST APIs the document extensions in {@link REST_ONLY_ROOT},
 * integrations of type `aws`, `http` or `mock` or with `responses`, `requestTemplates`, `passthroughBehavior`,
 * ..., authorizers of type `token` or `cognito_user_pools` or reading `method.request.*`; for HTTP APIs
 * `x-amazon-apigateway-cors`, `x-amazon-apigateway-importexport-version`, an integration's `payloadFormatVersion`,
 * a `jwt` authorizer, `authorizerPayloadFormatVersion`, `enableSimpleResponses`, an identity source
 * `$request.*`. A REST sign wins over an HTTP one (documents copied between the two keep stray fields the other
 * ignores, and a REST API's gateway responses must not go unread); a document with neither is `rest`, the kind
 * API Gateway imports OpenAPI into by default.
 */
export function awsApiKind(
  set: DocumentSet,
  version: SpecVersion,
  operations: readonly Operation[],
): 'rest' | 'http' | undefined {
  const root = isObject(set.root.data) ? set.root.data : {};
  let seen = false;
  let http = false;
  const note = (map: Record<string, unknown>): void => {
    if (seen) return;
    for (const key in map) if (key.startsWith(AWS_PREFIX)) seen = true;
  };
  note(root);
  if (REST_ONLY_ROOT.some((key) => key in root)) return 'rest';
  if (HTTP_ONLY_ROOT.some((key) => key in root)) http = true;
  for (const operation of operations) {
    const value = operation.location.value;
    note(value);
    const integration = value[AWS_INTEGRATION];
    if (!isObject(integration)) continue;
    const type = typeof integration.type === 'string' ? integration.type.toLowerCase() : '';
    if (
      REST_ONLY_INTEGRATION_TYPES.has(type) ||
      REST_ONLY_INTEGRATION_FIELDS.some((field) => field in integration)
    )
      return 'rest';
    if ('payloadFormatVersion' in integration) http = true;
  }
  for (const scheme of Object.values(securitySchemesOf(root, version) ?? {})) {
    if (!isObject(scheme)) continue;
    note(scheme);
    const authorizer = scheme[AWS_AUTHORIZER];
    if (!isObject(authorizer)) continue;
    const type = typeof authorizer.type === 'string' ? authorizer.type.toLowerCase() : '';
    const source = typeof authorizer.identitySource === 'string' ? authorizer.identitySource : '';
    if (type === 'token' || type === 'cognito_user_pools' || source.includes('method.request.'))
      return 'rest';
    if (
      type === 'jwt' ||
      'authorizerPayloadFormatVersion' in authorizer ||
      'enableSimpleResponses' in authorizer ||
      source.includes('$request.')
    )
      http = true;
  }
  return http ? 'http' : seen ? 'rest' : undefined;
}

/** A place in the document whose value is a map. */
export type LocatedMap = Located & { value: Record<string, unknown> };

/** One gateway response type a REST API sends with its default 403 to mTLS-secured operations. */
export interface GatewayDefaultEntry {
  /** The gateway response type (`ACCESS_DENIED`). */
  type: string;
  /** When API Gateway sends it, and what in the document makes it happen, as a phrase for messages. */
  cause: string;
  /**
   * Where the cause is written: the security scheme's `x-amazon-apigateway-authorizer` or
   * `x-amazon-apigateway-authtype`, the `x-amazon-apigateway-api-key`-style scheme itself, the document's
   * `x-amazon-apigateway-policy`, or (for MISSING_AUTHENTICATION_TOKEN, which any request to an undefined route
   * meets) the root `paths`.
   */
  location: Located;
  /** The mTLS-secured operations it reaches, in document order (at least one). */
  operations: Operation[];
  /**
   * The gateway response entry of that type when the document writes one without a `statusCode`
   * (`x-amazon-apigateway-gateway-responses.<type>`, after `$ref`s), so the status is added there; undefined when
   * there is none.
   */
  written?: LocatedMap;
  /**
   * The document's `x-amazon-apigateway-gateway-responses` map (after `$ref`s), where a missing type is added;
   * undefined when the document has none.
   */
  responses?: LocatedMap;
  /**
   * The `statusCode` of the gateway response of this type (`written`), or else of `DEFAULT_4XX`, when it is written
   * but is no HTTP status ({@link gatewayStatus}): it does not replace the default 403. Undefined otherwise.
   */
  noStatus?: NoStatus;
}

/** A gateway response `statusCode` that is written but is no HTTP status. */
export interface NoStatus {
  /** The gateway response type it is written on (`ACCESS_DENIED`, `DEFAULT_4XX`). */
  type: string;
  /** The value as written (`'0623'`, `abc`, `623`, `{...}`). */
  written: string;
  /** Where the `statusCode` value sits. */
  location: Located;
}

/**
 * What the `statusCode` of the gateway response `at` (of `type`) does to a default 403: `none` (not written, or null),
 * `sets` (an HTTP status, 403 included: one that reads as 403 is reported where it is written), or a
 * {@link NoStatus} (written, but no HTTP status: it replaces nothing). A status is what API Gateway's StatusCode
 * pattern `[1-5]\d\d` (API Gateway REST API reference, PutGatewayResponse) takes: an integer from 100 to 599, or a
 * string of three such digits. A plain YAML scalar is read as API Gateway's import reads it, YAML 1.1 (`4_01` is
 * 401; `0401` is octal 257, a status too); a quoted `'0623'`, a tagged `!!str 401`, `abc`, `4030`, `623`, a
 * boolean or a map are no status. Before session 25 any value but null counted as a status: `statusCode: '0623'`
 * kept the default 403 while `lint` read clean.
 */
export function gatewayStatus(at: LocatedMap, type: string): 'none' | 'sets' | NoStatus {
  const status = at.value.statusCode;
  if (status === undefined || status === null) return 'none';
  if (forbiddenStatusCode(at, status) !== undefined) return 'sets';
  const location: Located = { file: at.file, path: [...at.path, 'statusCode'], value: status };
  const written = writtenScalar(at.file, location.path);
  const read: unknown = written?.plain ? (yaml11Number(written.source) ?? written.source) : status;
  const isStatus =
    typeof read === 'number'
      ? Number.isInteger(read) && read >= 100 && read <= 599
      : typeof read === 'string' && /^[1-5]\d\d$/.test(read);
  if (isStatus) return 'sets';
  const text = written?.text ?? JSON.stringify(status);
  return { type, written: text, location };
}

/**
 * The gateway response types a REST API document leaves at their default 403 while mTLS-secured operations can meet
 * them, in {@link GATEWAY_403_RESPONSES} order: MISSING_AUTHENTICATION_TOKEN for every REST API; ACCESS_DENIED
 * when an mTLS-secured operation's security names a scheme with `x-amazon-apigateway-authorizer`, or the document
 * has a resource policy; INVALID_API_KEY when it names an API key scheme (`apiKey` in the header `x-api-key`, the
 * one API Gateway reads); EXPIRED_TOKEN and INVALID_SIGNATURE when it names a scheme with
 * `x-amazon-apigateway-authtype: awsSigv4`. A type whose gateway response (or `DEFAULT_4XX`) has a `statusCode` is
 * not listed: one set to 403 is reported where it is written. WAF_FILTERED is not listed: a web ACL is attached
 * to a stage outside the document. Empty for documents that are not `rest` ({@link awsApiKind}).
 * `secured`: the mTLS-secured operations, in document order. Schemes that cannot be read are skipped (the
 * analysis names them).
 */
export function gatewayDefaultEntries(
  set: DocumentSet,
  version: SpecVersion,
  operations: readonly Operation[],
  secured: readonly Operation[],
  refs?: RefCache,
): GatewayDefaultEntry[] {
  if (secured.length === 0 || awsApiKind(set, version, operations) !== 'rest') return [];
  const root = isObject(set.root.data) ? set.root.data : {};
  const responses = gatewayResponsesMap(set, root, refs);
  const fallback = responses
    ? followMap(
        set,
        {
          file: responses.file,
          path: [...responses.path, 'DEFAULT_4XX'],
          value: responses.value.DEFAULT_4XX,
        },
        refs,
      )
    : undefined;
  const fallbackStatus = fallback ? gatewayStatus(fallback, 'DEFAULT_4XX') : 'none';
  // A status on DEFAULT_4XX is every 4XX type's that has none of its own (one of 403 is reported as written).
  if (fallbackStatus === 'sets') return [];
  const byType = new Map<string, GatewayDefaultEntry>();
  const add = (type: string, cause: string, location: Located, operation: Operation): void => {
    const entry = byType.get(type);
    if (entry) {
      if (!entry.operations.includes(operation)) entry.operations.push(operation);
      return;
    }
    byType.set(type, { type, cause, location, operations: [operation] });
  };
  const policy = root[AWS_POLICY];
  const catchAll = definesEveryRoute(operations);
  let usesIam = false;
  for (const operation of secured) {
    for (const requirement of effectiveSecurity(set, operation).alternatives) {
      for (const name of Object.keys(requirement)) {
        const scheme = readScheme(set, version, name, refs);
        if (!scheme) continue;
        const value = scheme.value as Record<string, unknown>;
        const authorizer = value[AWS_AUTHORIZER];
        if (authorizer !== undefined) {
          const kind = isObject(authorizer) && typeof authorizer.type === 'string' ? authorizer.type : '';
          const what = kind.toLowerCase() === 'cognito_user_pools' ? 'Cognito' : 'Lambda';
          add(
            'ACCESS_DENIED',
            `when its ${what} authorizer '${name}' (${AWS_AUTHORIZER}) denies the request`,
            { file: scheme.file, path: [...scheme.path, AWS_AUTHORIZER], value: authorizer },
            operation,
          );
          continue;
        }
        const authtype = value[AWS_AUTHTYPE];
        if (typeof authtype === 'string' && authtype.toLowerCase() === 'awssigv4') {
          usesIam = true;
          const at = { file: scheme.file, path: [...scheme.path, AWS_AUTHTYPE], value: authtype };
          add(
            'EXPIRED_TOKEN',
            `when an AWS IAM (SigV4) request of scheme '${name}' is signed with expired credentials`,
            at,
            operation,
          );
          add(
            'INVALID_SIGNATURE',
            `when the AWS IAM (SigV4) signature of scheme '${name}' does not verify`,
            at,
            operation,
          );
          continue;
        }
        if (
          value.type === 'apiKey' &&
          value.in === 'header' &&
          typeof value.name === 'string' &&
          value.name.trim().toLowerCase() === 'x-api-key'
        ) {
          add(
            'INVALID_API_KEY',
            `when the API key of scheme '${name}' (header ${value.name.trim()}) is missing or invalid`,
            { file: scheme.file, path: scheme.path, value },
            operation,
          );
        }
      }
    }
    if (policy !== undefined)
      add(
        'ACCESS_DENIED',
        `when its resource policy (${AWS_POLICY}) denies the request`,
        { file: set.root, path: [AWS_POLICY], value: policy },
        operation,
      );
    if (!catchAll || usesIam)
      add(
        'MISSING_AUTHENTICATION_TOKEN',
        usesIam
          ? 'for any request to a resource or method the REST API does not define, and for an unsigned request to an AWS IAM (SigV4) method'
          : 'for any request to a resource or method the REST API does not define',
        { file: set.root, path: ['paths'], value: root.paths },
        operation,
      );
  }
  const entries: GatewayDefaultEntry[] = [];
  for (const { type } of GATEWAY_403_RESPONSES) {
    const entry = byType.get(type);
    if (!entry) continue;
    if (responses) {
      entry.responses = responses;
      const response = followMap(
        set,
        {
          file: responses.file,
          path: [...responses.path, type],
          value: responses.value[type],
        },
        refs,
      );
      const own = response ? gatewayStatus(response, type) : 'none';
      if (own === 'sets') continue;
      if (response) entry.written = response;
      if (own !== 'none') entry.noStatus = own;
    }
    if (!entry.noStatus && fallbackStatus !== 'none') entry.noStatus = fallbackStatus;
    entries.push(entry);
  }
  return entries;
}

/**
 * Whether the operations leave no route undefined: `x-amazon-apigateway-any-method` on `/` and on a top-level greedy
 * path variable (`/{proxy+}`, API Gateway Developer Guide, "Set up a proxy integration with a proxy resource"),
 * so no request meets MISSING_AUTHENTICATION_TOKEN for want of a route.
 */
function definesEveryRoute(operations: readonly Operation[]): boolean {
  const any = new Set(
    operations.filter((operation) => operation.method === 'ANY').map((operation) => operation.path.trim()),
  );
  return any.has('/') && [...any].some((path) => /^\/\{[^/{}]+\+\}\/?$/.test(path));
}

/** The root's `x-amazon-apigateway-gateway-responses` after `$ref`s, when it is a map. */
function gatewayResponsesMap(
  set: DocumentSet,
  root: Record<string, unknown>,
  refs: RefCache | undefined,
): LocatedMap | undefined {
  if (root[AWS_GATEWAY_RESPONSES] === undefined) return undefined;
  return followMap(
    set,
    { file: set.root, path: [AWS_GATEWAY_RESPONSES], value: root[AWS_GATEWAY_RESPONSES] },
    refs,
  );
}

/** `at` after its `$ref`s when that is a map; undefined when it is absent, not a map or cannot be followed. */
function followMap(set: DocumentSet, at: Located, refs: RefCache | undefined): LocatedMap | undefined {
  if (at.value === undefined) return undefined;
  try {
    const followed = set.follow(at, refs);
    return followed && isObject(followed.value)
      ? { file: followed.file, path: followed.path, value: followed.value }
      : undefined;
  } catch (error) {
    if (findMtlsFixError(error)) return undefined;
    throw error;
  }
}

/** The named scheme as a map, or undefined when it leads nowhere or cannot be read. */
function readScheme(
  set: DocumentSet,
  version: SpecVersion,
  name: string,
  refs: RefCache | undefined,
): Located | undefined {
  try {
    const { scheme } = lookupScheme(set, version, name, refs);
    return scheme && isObject(scheme.value) ? scheme : undefined;
  } catch (error) {
    if (findMtlsFixError(error)) return undefined;
    throw error;
  }
}
