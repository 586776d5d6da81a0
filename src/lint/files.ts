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
    return found;
  }
  const files: string[] = [];
  for (const pattern of patterns) {
    if (!isGlob(pattern, cwd)) {
      files.push(path.resolve(cwd, pattern)); // a missing file is reported when it is read, with its name
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
    files.push(...matches.sort());
  }
  return [...new Set(files)];
}

/** Glob characters, unless a file of that very name exists (relative to the working folder given). */
function isGlob(pattern: string, cwd: string): boolean {
  return /[*?[\]{}]/.test(pattern) && !existsSync(path.resolve(cwd, pattern));
}
