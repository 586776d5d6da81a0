import { expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { MtlsFixError } from '../../src/errors.js';
import { tempProject } from './cli.js';

/**
 * The one-line error (`MtlsFixError.toLine()`, the project folder left out of its file name) that loading the
 * config of a temporary project holding `files` throws, found by the search from its folder or, with `configPath`,
 * given as `--config` would give it. Fails the test when loading throws something else or nothing.
 */
export async function configError(files: Record<string, string>, configPath?: string): Promise<string> {
  const cwd = tempProject(files);
  try {
    await loadConfig({ cwd, configPath });
  } catch (error) {
    expect(error).toBeInstanceOf(MtlsFixError);
    return (error as MtlsFixError).toLine().replace(`${cwd}/`, '');
  }
  throw new Error('expected a config error');
}

/** A config file (its name and text) and the start of the one-line error loading it must give. */
export interface ConfigErrorScenario {
  name: string;
  text: string;
  error: string;
}

/**
 * Two tests per scenario, inside the caller's `describe`: the file found by the search, and the file given as
 * `--config`; each error must contain the scenario's `error`.
 */
export function itNamesConfigErrors(scenarios: Record<string, ConfigErrorScenario>): void {
  for (const [title, { name, text, error }] of Object.entries(scenarios)) {
    it(`${title} (found by the search)`, async () => {
      expect(await configError({ [name]: text })).toContain(error);
    });
    it(`${title} (--config)`, async () => {
      expect(await configError({ [name]: text }, name)).toContain(error);
    });
  }
}
