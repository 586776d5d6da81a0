import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigOverrides } from '../../src/config/index.js';
import { fixSpecs, type ConflictMode } from '../../src/spec-fix/index.js';
import { tempProject } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/spec-fix');

/** Every file below `folder`, relative, `/`-separated. */
function filesBelow(folder: string, prefix = ''): string[] {
  return readdirSync(path.join(folder, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesBelow(folder, path.join(prefix, entry.name)) : [path.join(prefix, entry.name)],
  );
}

/**
 * Fixture cases: `<case>/input/` is copied to a temp folder, `fix` runs on its root document
 * (`openapi.yaml` or `openapi.json`) with `<case>/options.json` as flags (and `wwwAuthenticate`, `onConflict`, `renameComponents`), and every file must then equal
 * `<case>/output/` byte for byte. A second run must change nothing.
 */
describe.each(readdirSync(FIXTURES))('mtls-fix fix fixture %s', (name) => {
  const caseDir = path.join(FIXTURES, name);
  const optionsFile = path.join(caseDir, 'options.json');
  const { wwwAuthenticate, onConflict, renameComponents, ...overrides } = existsSync(optionsFile)
    ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as ConfigOverrides & {
        wwwAuthenticate?: string;
        onConflict?: ConflictMode;
        renameComponents?: boolean;
      })
    : {};
  const fixOptions = { wwwAuthenticate, onConflict, renameComponents };
  const config = resolveConfig({}, overrides);

  it('gives the expected files byte for byte, and a second run changes nothing', () => {
    const cwd = tempProject();
    cpSync(path.join(caseDir, 'input'), cwd, { recursive: true });
    const root = existsSync(path.join(cwd, 'openapi.json')) ? 'openapi.json' : 'openapi.yaml';
    fixSpecs({ files: [root], config, cwd, mode: 'write', ...fixOptions });
    const expected = filesBelow(path.join(caseDir, 'output'));
    expect(filesBelow(cwd).sort()).toEqual(expected.sort());
    for (const file of expected) {
      expect(readFileSync(path.join(cwd, file)).toString('latin1'), file).toBe(
        readFileSync(path.join(caseDir, 'output', file)).toString('latin1'),
      );
    }
    const again = fixSpecs({ files: [root], config, cwd, mode: 'write', ...fixOptions });
    expect(again.filesChanged).toEqual([]);
  });
});
