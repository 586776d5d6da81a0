import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { readSourceFile } from '../../src/openapi/source.js';
import { CORPUS_DIR } from '../helpers/paths.js';

/**
 * The model reads documents with js-yaml (src/openapi/source.ts); fix and detect read positions with the
 * `yaml` package (docs/architecture.md says why both). Both must see the same data in every real document.
 */
function documents(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return documents(full);
    return /\.(ya?ml|json)$/.test(entry.name) ? [full] : [];
  });
}

const files = documents(CORPUS_DIR);

describe('js-yaml (model) and yaml (fix positions) read the corpus to the same data', () => {
  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it.each(files.map((file) => [path.relative(CORPUS_DIR, file), file]))('%s', (_name, file) => {
    const model = readSourceFile(file).data;
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    // YAML 1.2 core schema with merge keys: the model's schema (src/openapi/source.ts).
    const doc = parseDocument(text, {
      schema: 'core',
      merge: true,
      uniqueKeys: false,
      prettyErrors: false,
    });
    expect(doc.errors.map((e) => e.message)).toEqual([]);
    expect(doc.toJS({ maxAliasCount: -1 })).toEqual(model);
  });
});
