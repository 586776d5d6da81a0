import type { MtlsFixError } from '../errors.js';
import { DocumentSet, type DocumentSetOptions, type Located } from './document-set.js';
import { isObject } from './pointer.js';
import { expectListOfMaps, expectMap } from './shape.js';
import { detectVersion, type SpecVersion } from './version.js';

/** A root document that is OpenAPI (Swagger 2.0, OAS 3.0-3.2) with the top-level shape the model reads. */
export interface OpenApiDocument {
  set: DocumentSet;
  version: SpecVersion;
}

/**
 * Reads a file and decides whether it is an OpenAPI document, for every command (lint, fix, migrate --spec):
 * throws MtlsFixError `ENOENT`/`EREAD` (cannot read), `EENCODING`/`EBINARY` (not UTF-8 text), `EPARSE`,
 * `EDEPTH`, `EALIAS`, `ENOTOPENAPI` (empty, a scalar or a list at the top, no `openapi`/`swagger` key),
 * `EVERSION`, or `ESHAPE` (a top-level part such as `paths` that is not a map).
 */
export function loadOpenApiDocument(file: string, options: DocumentSetOptions = {}): OpenApiDocument {
  const set = DocumentSet.load(file, options);
  const version = detectVersion(set.root.data, set.displayPath(set.root));
  checkTopLevel(set, version);
  return { set, version };
}

/** A file that is not an OpenAPI document at all (as opposed to a broken one): skipped when a glob found it. */
export function isNotOpenApi(error: MtlsFixError): boolean {
  return error.code === 'ENOTOPENAPI' || error.code === 'EBINARY';
}

function checkTopLevel(set: DocumentSet, version: SpecVersion): void {
  const data = set.root.data as Record<string, unknown>;
  const at = (key: string): Located => ({ file: set.root, path: [key], value: data[key] });
  // What the model reads (DESIGN §2); other parts are Spectral's oas rules' business.
  for (const key of ['paths', 'components', 'securityDefinitions']) expectMap(set, at(key));
  for (const key of ['security', 'servers']) expectListOfMaps(set, at(key));
  const components = data.components;
  if (version.kind === 'oas3' && isObject(components)) {
    for (const key of ['securitySchemes', 'responses', 'pathItems']) {
      expectMap(set, { file: set.root, path: ['components', key], value: components[key] });
    }
  }
}
