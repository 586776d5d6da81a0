import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/paths.js';
import { spawnAsync } from './helpers/spawn.js';

/**
 * README's command reference is oclif's readme generator output for the built commands (`npm run readme`:
 * `oclif readme --no-source-links`, then Prettier). The generator runs here in --dry-run (it prints the
 * README it would write, changing nothing); any difference from README.md is drift. Offline: the update
 * check of oclif's own CLI is switched off.
 */
const README = path.join(REPO_ROOT, 'README.md');
const OCLIF = path.join(REPO_ROOT, 'node_modules/oclif/bin/run.js');

describe('README command reference', () => {
  it('is what `oclif readme` generates from the commands (run `npm run readme` after changing one)', async () => {
    const run = await spawnAsync(process.execPath, [OCLIF, 'readme', '--dry-run', '--no-source-links'], {
      cwd: REPO_ROOT,
      env: { ...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
      timeout: 300_000,
    });
    expect(run.code, run.stderr).toBe(0);
    // The generator logs what it replaces on stdout before the README itself.
    const generated = run.stdout.replace(/^replacing <!-- \w+ --> in .*\n/gm, '');
    expect(generated).toContain('## `mtls-fix lint [FILES]`');
    const options = (await prettier.resolveConfig(README)) ?? {};
    const formatted = await prettier.format(generated, { ...options, filepath: README });
    const current = readFileSync(README, 'utf8');
    const section = (text: string) =>
      text.slice(text.indexOf('<!-- commands -->'), text.indexOf('<!-- commandsstop -->'));
    // The section first, for a readable diff; then the whole file (nothing else may change).
    expect(section(current)).toBe(section(formatted));
    expect(current).toBe(formatted);
  }, 300_000);
});
