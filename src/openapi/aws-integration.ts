import type { DocumentSet, Located, RefCache } from './document-set.js';
import type { Operation } from './operations.js';
import { isObject } from './pointer.js';
import { isForbiddenCode } from './responses.js';
import { shapeError } from './shape.js';
import { yaml11ForbiddenValue } from './yaml11.js';

/**
 * The operation extension of Amazon API Gateway that says how a method calls its backend
 * ("x-amazon-apigateway-integration object", API Gateway Developer Guide, OpenAPI extensions). Its `responses`
 * map ("x-amazon-apigateway-integration.responses object") is keyed by a selection pattern (a regular expression
 * matched against the backend's error message or HTTP status, or `default`); each value's `statusCode` is the
 * method response API Gateway answers with. A `statusCode` of 403 there makes the operation answer 403 whatever
 * its `responses` document.
 */
export const AWS_INTEGRATION = 'x-amazon-apigateway-integration';

/** One integration response of an operation whose `statusCode` reads as 403. */
export interface IntegrationResponseEntry {
  /** The integration response's key as written: a selection pattern (`.*Forbidden.*`, `403`) or `default`. */
  selection: string;
  /** The `statusCode` as written, normalised to a string (`403`, `'403 '`; `4_03`, `0623`: YAML 1.1 reads 403). */
  code: string;
  /** Where the `statusCode` value sits (path ends in `statusCode`). */
  location: Located;
}

/**
 * The integration responses of `operation` that answer 403 (`statusCode: '403'` or the integer 403), in document
 * order. The extension and its `responses` may be `$ref`s (followed). An operation without the extension, or
 * whose integration has no `responses`, has none.
 * @throws MtlsFixError when the extension, its `responses` or one response is not a map, or a `$ref` on the way
 *   cannot be followed (the caller names the operation as unread: its 403s cannot be told).
 */
export function integrationForbiddenEntries(
  set: DocumentSet,
  operation: Operation,
  refs?: RefCache,
): IntegrationResponseEntry[] {
  const value = operation.location.value[AWS_INTEGRATION];
  if (value === undefined) return [];
  const integration = mapAt(
    set,
    { ...operation.location, path: [...operation.location.path, AWS_INTEGRATION], value },
    refs,
  );
  if (!integration || !('responses' in integration.value)) return [];
  const responses = mapAt(
    set,
    { file: integration.file, path: [...integration.path, 'responses'], value: integration.value.responses },
    refs,
  );
  if (!responses) return [];
  const entries: IntegrationResponseEntry[] = [];
  for (const [selection, written] of Object.entries(responses.value)) {
    const response = mapAt(
      set,
      { file: responses.file, path: [...responses.path, selection], value: written },
      refs,
    );
    if (!response) continue;
    const status = response.value.statusCode;
    const code = forbiddenStatusCode(response, status);
    if (code === undefined) continue;
    entries.push({
      selection,
      code,
      location: { file: response.file, path: [...response.path, 'statusCode'], value: status },
    });
  }
  return entries;
}

/** `at` followed through its `$ref`s, when it is a map; throws when it is something else. */
function mapAt(
  set: DocumentSet,
  at: Located,
  refs: RefCache | undefined,
): (Located & { value: Record<string, unknown> }) | undefined {
  const followed = set.follow(at, refs);
  if (!followed || followed.value === undefined || followed.value === null) return undefined;
  if (!isObject(followed.value)) throw shapeError(set, followed, 'a map');
  return { file: followed.file, path: followed.path, value: followed.value };
}

/**
 * The document extension of Amazon API Gateway that sets the responses API Gateway sends itself, before or
 * instead of an integration ("x-amazon-apigateway-gateway-responses object", API Gateway Developer Guide,
 * OpenAPI extensions): keyed by gateway response type (`ACCESS_DENIED`, `MISSING_AUTHENTICATION_TOKEN`,
 * `DEFAULT_4XX`, ...), each value's `statusCode` is the status sent. One set to 403 answers 403 on every method of
 * the API.
 */
export const AWS_GATEWAY_RESPONSES = 'x-amazon-apigateway-gateway-responses';

/** One gateway response of the document whose `statusCode` reads as 403. */
export interface GatewayResponseEntry {
  /** The gateway response type as written (`ACCESS_DENIED`, `DEFAULT_4XX`). */
  type: string;
  /** The `statusCode` as written, normalised to a string. */
  code: string;
  /** Where the `statusCode` value sits (path ends in `statusCode`). */
  location: Located;
}

/**
 * The gateway responses of the root document whose `statusCode` is 403 (`'403'` or the integer), in document
 * order; empty without the extension.
 * @throws MtlsFixError when the extension or one of its responses is not a map, or a `$ref` on the way cannot be
 *   followed.
 */
export function gatewayForbiddenEntries(set: DocumentSet, refs?: RefCache): GatewayResponseEntry[] {
  const data = set.root.data;
  if (!isObject(data) || data[AWS_GATEWAY_RESPONSES] === undefined) return [];
  const responses = mapAt(
    set,
    { file: set.root, path: [AWS_GATEWAY_RESPONSES], value: data[AWS_GATEWAY_RESPONSES] },
    refs,
  );
  if (!responses) return [];
  const entries: GatewayResponseEntry[] = [];
  for (const [type, written] of Object.entries(responses.value)) {
    const response = mapAt(
      set,
      { file: responses.file, path: [...responses.path, type], value: written },
      refs,
    );
    if (!response) continue;
    const status = response.value.statusCode;
    const code = forbiddenStatusCode(response, status);
    if (code === undefined) continue;
    entries.push({
      type,
      code,
      location: { file: response.file, path: [...response.path, 'statusCode'], value: status },
    });
  }
  return entries;
}

/**
 * How the `statusCode` of the map `at` is written when it reads as 403: `'403'` or the integer 403 (as
 * `String(status)`), or a plain YAML value that API Gateway's YAML 1.1 import reads as 403, as written (`4_03`,
 * `0623`, `6:43`; {@link yaml11ForbiddenValue}). undefined for any other status.
 */
export function forbiddenStatusCode(at: Located, status: unknown): string | undefined {
  if (typeof status !== 'string' && typeof status !== 'number') return undefined;
  if (isForbiddenCode(String(status))) return String(status);
  return yaml11ForbiddenValue(at.file, [...at.path, 'statusCode'], status);
}
