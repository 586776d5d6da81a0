import { MtlsFixError } from '../errors.js';
import { isObject } from './pointer.js';

export type SpecVersion = { kind: 'swagger2'; version: '2.0' } | { kind: 'oas3'; version: string };

/** Which OpenAPI this is; anything else is an input error. */
export function detectVersion(data: unknown, displayName: string): SpecVersion {
  if (isObject(data)) {
    const swagger = data.swagger;
    if (swagger === '2.0' || swagger === 2) return { kind: 'swagger2', version: '2.0' };
    const openapi = data.openapi;
    if (typeof openapi === 'string' && /^3\.[0-2](\.|$)/.test(openapi))
      return { kind: 'oas3', version: openapi };
    if (typeof openapi === 'number') {
      throw new MtlsFixError(
        'ENOTOPENAPI',
        `'openapi: ${openapi}' is a number, not a version string.`,
        "Quote it: openapi: '3.0.3'.",
        { file: displayName, key: 'openapi' },
      );
    }
    if (openapi !== undefined || swagger !== undefined) {
      throw new MtlsFixError(
        'ENOTOPENAPI',
        `unsupported version '${String(openapi ?? swagger)}'.`,
        'mtls-fix reads Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2.',
        { file: displayName, key: openapi !== undefined ? 'openapi' : 'swagger' },
      );
    }
  }
  throw new MtlsFixError(
    'ENOTOPENAPI',
    "not an OpenAPI document: no 'openapi' or 'swagger' key at the top.",
    'Pass an OpenAPI 3.x or Swagger 2.0 document.',
    { file: displayName },
  );
}
