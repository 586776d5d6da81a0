import { MtlsFixError } from '../errors.js';
import { isObject } from './pointer.js';

export type SpecVersion = { kind: 'swagger2'; version: '2.0' } | { kind: 'oas3'; version: string };

/**
 * Which OpenAPI this is; anything else is an input error: `ENOTOPENAPI` when the data is not an OpenAPI
 * document at all (empty, a scalar or a list at the top, no `openapi`/`swagger` key), `EVERSION` for an
 * OpenAPI version mtls-fix does not read. The one place every command asks "is this an OpenAPI document".
 */
export function detectVersion(data: unknown, displayName: string): SpecVersion {
  if (isObject(data)) {
    const swagger = data.swagger;
    if (swagger === '2.0' || swagger === 2) return { kind: 'swagger2', version: '2.0' };
    const openapi = data.openapi;
    if (typeof openapi === 'string' && /^3\.[0-2](\.|$)/.test(openapi))
      return { kind: 'oas3', version: openapi };
    if (typeof openapi === 'number') {
      throw new MtlsFixError(
        'EVERSION',
        `'openapi: ${openapi}' is a number, not a version string.`,
        "Quote it: openapi: '3.0.3'.",
        { file: displayName, key: 'openapi' },
      );
    }
    if (openapi !== undefined || swagger !== undefined) {
      throw new MtlsFixError(
        'EVERSION',
        `unsupported version '${String(openapi ?? swagger)}'.`,
        'mtls-fix reads Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2.',
        { file: displayName, key: openapi !== undefined ? 'openapi' : 'swagger' },
      );
    }
  }
  const fragment = fragmentReason(data);
  throw new MtlsFixError(
    'ENOTOPENAPI',
    `not an OpenAPI document: ${fragment ?? notOpenApiReason(data)}.`,
    fragment
      ? 'If a program assembles the document at run time (merging fragments, adding the version, info and servers), ' +
          'pass the document it serves: save it once from the running app, or add the missing keys to a copy.'
      : 'Pass an OpenAPI 3.x or Swagger 2.0 document.',
    { file: displayName },
  );
}

/**
 * A fragment of a document (`paths` and no version key, as Wikimedia's service-template-node `spec/page/*.yaml`
 * or Flowise's `swagger.yml` are before their code merges them): what it holds and which top-level keys are
 * missing. Undefined for anything else.
 */
function fragmentReason(data: unknown): string | undefined {
  if (!isObject(data) || !isObject(data.paths)) return undefined;
  const methods = /^(get|put|post|delete|options|head|patch|trace|query)$/;
  let operations = 0;
  for (const item of Object.values(data.paths))
    if (isObject(item)) operations += Object.keys(item).filter((k) => methods.test(k)).length;
  const missing = ["'openapi' (or 'swagger')", ...(isObject(data.info) ? [] : ["'info'"])];
  const held = `${operations} operation${operations === 1 ? '' : 's'}`;
  return `a fragment of one: it holds 'paths' (${held}) but no ${missing.join(' and no ')} at the top`;
}

function notOpenApiReason(data: unknown): string {
  if (data === undefined || data === null) return 'the file is empty';
  if (Array.isArray(data)) return 'a list at the top, not a map';
  if (typeof data !== 'object') {
    const text = typeof data === 'string' ? data : (JSON.stringify(data) ?? typeof data);
    return `a ${typeof data} at the top ('${text.length > 40 ? `${text.slice(0, 40)}...` : text}'), not a map`;
  }
  return "no 'openapi' or 'swagger' key at the top";
}

/**
 * Whether `version` has the `mutualTLS` security scheme type: OAS 3.1 and later (OAS 3.1.0 §4.8.27 Security Scheme
 * Object). OAS 3.0 (§4.7.33: apiKey, http, oauth2, openIdConnect) and Swagger 2.0 (basic, apiKey, oauth2) do not.
 */
export function hasMutualTlsType(version: SpecVersion): boolean {
  return version.kind === 'oas3' && !version.version.startsWith('3.0');
}
