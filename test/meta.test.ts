import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import ruleset from '../rules/index.js';
import { RULES } from '../src/findings/meta.js';
import { REPO_ROOT } from './helpers/paths.js';

describe('every rule is complete', () => {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

  it.each(Object.keys(RULES))('%s has a function file, a scenario table and a README section', (id) => {
    expect(existsSync(path.join(REPO_ROOT, 'rules/functions', `${id}.ts`))).toBe(true);
    expect(existsSync(path.join(REPO_ROOT, 'test/rules', `${id}.test.ts`))).toBe(true);
    expect(readme).toContain(`### ${id}\n`);
    expect(RULES[id as keyof typeof RULES].documentationUrl).toMatch(new RegExp(`#${id}$`));
  });

  it('the Spectral ruleset has exactly the rules of src/findings/meta.ts', () => {
    expect(Object.keys(ruleset.rules)).toEqual(Object.keys(RULES));
  });
});
