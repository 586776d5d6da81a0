import type { Document } from '@stoplight/spectral-core';
import type { SourceFile } from '../openapi/index.js';

type SpectralParser = ConstructorParameters<typeof Document>[1];

/**
 * A Spectral Document over a file we already parsed: Spectral's own YAML parser builds a full AST
 * (about 4.4 s on a 10 MB spec), ours parses data only and finds positions on demand.
 */
export function spectralDocument(DocumentClass: typeof Document, file: SourceFile): Document {
  const parser: SpectralParser = {
    parse: () => ({ data: file.data, diagnostics: [], ast: file, lineMap: [] }),
    getLocationForJsonPath: (_result, path, closest) => {
      const range = file.rangeOf(path, closest ?? false);
      return range ? { range } : undefined;
    },
    trapAccess: (object) => object,
  };
  return new DocumentClass(file.text, parser, file.path);
}
