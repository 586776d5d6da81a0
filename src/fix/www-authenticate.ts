import { isObject, type JsonPath } from '../openapi/pointer.js';
import type { DataOp } from './ops.js';

/**
 * RFC 9110 §15.5.2: a 401 MUST carry a WWW-Authenticate challenge. This is the header object `--www-authenticate
 * SCHEME` adds to a response that becomes a 401 and has none (Swagger 2.0 headers carry `type` themselves).
 */
export function wwwAuthenticateHeader(scheme: string, swagger2: boolean): Record<string, unknown> {
  const description = `The challenge a 401 must carry (RFC 9110 §15.5.2), e.g. '${scheme}'.`;
  return swagger2
    ? { description, type: 'string' }
    : { description, schema: { type: 'string', example: scheme } };
}

/** The operation adding the header to the response at `responsePath`, or nothing when it has one already. */
export function addWwwAuthenticate(
  responsePath: JsonPath,
  response: Record<string, unknown>,
  scheme: string,
  swagger2: boolean,
): DataOp | undefined {
  const headers = response.headers;
  const header = wwwAuthenticateHeader(scheme, swagger2);
  if (headers === undefined) {
    return { kind: 'add-key', map: responsePath, key: 'headers', value: { 'WWW-Authenticate': header } };
  }
  if (!isObject(headers)) return undefined;
  if (Object.keys(headers).some((name) => name.toLowerCase() === 'www-authenticate')) return undefined;
  return { kind: 'add-key', map: [...responsePath, 'headers'], key: 'WWW-Authenticate', value: header };
}
