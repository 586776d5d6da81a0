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
