import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';

describe('the generated config validator', () => {
  it('is in sync with src/config/schema.ts (run `npm run build && npm run gen:config` if not)', async () => {
    const generator = path.join(REPO_ROOT, 'scripts/gen-config-validator.mjs');
    const { generateConfigValidator } = (await import(generator)) as {
      generateConfigValidator: () => Promise<string>;
    };
    const committed = readFileSync(path.join(REPO_ROOT, 'src/config/validate-config.generated.ts'), 'utf8');
    expect(committed).toBe(await generateConfigValidator());
  });
});

describe('the shipped config JSON Schema (config.schema.json, for editors)', () => {
  it('is in sync with src/config/schema.ts (run `npm run build && npm run gen:config` if not)', async () => {
    const generator = path.join(REPO_ROOT, 'scripts/gen-config-validator.mjs');
    const { generateConfigSchemaJson } = (await import(generator)) as {
      generateConfigSchemaJson: () => Promise<string>;
    };
    expect(readFileSync(path.join(REPO_ROOT, 'config.schema.json'), 'utf8')).toBe(
      await generateConfigSchemaJson(),
    );
  });

  it('is in the package and exported', () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      files: string[];
      exports: Record<string, unknown>;
    };
    expect(manifest.files).toContain('config.schema.json');
    expect(manifest.exports['./config.schema.json']).toBe('./config.schema.json');
  });
});
