import type { JsonPath } from './pointer.js';
import { isObject } from './pointer.js';

/** Methods with a fixed field in a Path Item (OAS 3.2 adds `query`). */
export const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
  'query',
] as const;

/**
 * AWS API Gateway's catch-all operation (`ANY`), written beside the method fields of a Path Item in Swagger 2.0
 * and OpenAPI 3.0 documents that API Gateway imports ("x-amazon-apigateway-any-method object", API Gateway
 * Developer Guide, OpenAPI extensions). API Gateway serves it for every method the path item does not list.
 */
export const AWS_ANY_METHOD = 'x-amazon-apigateway-any-method';

/** Path Item fields that are not operations (OAS 2.0 to 3.2). */
const OTHER_FIELDS: ReadonlySet<string> = new Set([
  '$ref',
  'summary',
  'description',
  'servers',
  'parameters',
  'additionalOperations',
]);

const METHODS: ReadonlySet<string> = new Set(HTTP_METHODS);

/** One place in a Path Item that holds an operation, and the method it answers (`GET`, `ANY`, `LINK`). */
export interface OperationField {
  /** Upper-case method, as findings name it. */
  method: string;
  /** The key path inside the Path Item: `['get']`, `['GET']`, `['additionalOperations', 'LINK']`. */
  fieldPath: JsonPath;
}

/**
 * Where a Path Item writes its operations: the method fields (`get` ... `query`), the same methods written in
 * another case (`GET:`, `Post:`: not OpenAPI, whose field names are case-sensitive, but their author meant the
 * method and a server built from them answers it), AWS API Gateway's `x-amazon-apigateway-any-method` (`ANY`),
 * and each entry of OAS 3.2 `additionalOperations` that is present (its shape is the caller's to check).
 *
 * `strays`: other keys (not `x-`, not a Path Item field) whose value is a map with `responses`: written like an
 * operation (`gett:`, `connect:`) but no method field, so nothing would check its responses. Callers name them.
 */
export function operationFields(pathItem: Record<string, unknown>): {
  fields: OperationField[];
  strays: string[];
} {
  const fields: OperationField[] = [];
  const strays: string[] = [];
  for (const method of HTTP_METHODS)
    if (method in pathItem) fields.push({ method: method.toUpperCase(), fieldPath: [method] });
  for (const [key, value] of Object.entries(pathItem)) {
    if (METHODS.has(key) || OTHER_FIELDS.has(key)) continue;
    if (key === AWS_ANY_METHOD) fields.push({ method: 'ANY', fieldPath: [key] });
    else if (/^x-/i.test(key)) continue;
    else if (METHODS.has(key.toLowerCase())) fields.push({ method: key.toUpperCase(), fieldPath: [key] });
    else if (isObject(value) && 'responses' in value) strays.push(key);
  }
  const additional = pathItem.additionalOperations;
  if (isObject(additional))
    for (const method of Object.keys(additional))
      fields.push({ method: method.toUpperCase(), fieldPath: ['additionalOperations', method] });
  return { fields, strays };
}
