import { existsSync } from 'node:fs';
import path from 'node:path';
import { MtlsFixError } from '../errors.js';

const DEFAULT_NAMES = [
  'openapi.yaml',
  'openapi.yml',
  'openapi.json',
  'swagger.yaml',
  'swagger.yml',
  'swagger.json',
];

/**
 * The documents to lint: the arguments (files or globs), else the config's `spec`, else
 * `openapi.*` / `swagger.*` in the working folder. Returns absolute paths, each once, in order.
 */
export async function resolveSpecFiles(args: readonly string[], configSpecs: readonly string[], cwd: string) {
  return (await resolveSpecInputs(args, configSpecs, cwd)).files;
}

export interface SpecInputs {
  /** Absolute paths, each once, in order. */
  files: string[];
  /** The files only a glob found (not named by the user): one that is not OpenAPI is skipped, not an error. */
  globbed: Set<string>;
}

/** {@link resolveSpecFiles}, also saying which files a glob found. Throws EUSAGE when nothing is found. */
export async function resolveSpecInputs(
  args: readonly string[],
  configSpecs: readonly string[],
  cwd: string,
): Promise<SpecInputs> {
  const patterns = args.length > 0 ? args : configSpecs;
  if (patterns.length === 0) {
    const found = DEFAULT_NAMES.map((name) => path.join(cwd, name)).filter((file) => existsSync(file));
    if (found.length === 0) {
      throw new MtlsFixError(
        'EUSAGE',
        `no OpenAPI document given and none found in ${cwd} (${DEFAULT_NAMES.join(', ')}).`,
        'Pass FILES, or set `spec` in mtls-fix.config.yaml.',
      );
    }
    return { files: found, globbed: new Set() };
  }
  const files: string[] = [];
  const named = new Set<string>();
  const globbed = new Set<string>();
  for (const pattern of patterns) {
    if (!isGlob(pattern, cwd)) {
      const file = path.resolve(cwd, pattern);
      files.push(file); // a missing file is reported when it is read, with its name
      named.add(file);
      continue;
    }
    const { glob } = await import('tinyglobby');
    const matches = await glob(pattern, { cwd, absolute: true, ignore: ['**/node_modules/**'] });
    if (matches.length === 0) {
      throw new MtlsFixError(
        'EUSAGE',
        `no file matches '${pattern}'.`,
        'Check the pattern (quote it to stop the shell).',
      );
    }
    for (const match of matches.sort()) {
      const file = path.resolve(match);
      files.push(file);
      globbed.add(file);
    }
  }
  for (const file of named) globbed.delete(file);
  return { files: [...new Set(files)], globbed };
}

/** Glob characters, unless a file of that very name exists (relative to the working folder given). */
function isGlob(pattern: string, cwd: string): boolean {
  return /[*?[\]{}]/.test(pattern) && !existsSync(path.resolve(cwd, pattern));
}
