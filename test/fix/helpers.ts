import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { copyWritable } from '../helpers/cli.js';
import { resolveConfig, type ConfigOverrides, type ResolvedConfig } from '../../src/config/resolve.js';
import { fix } from '../../src/fix/index.js';
import type { ConflictMode, FixMode, FixReport } from '../../src/fix/types.js';
import { lint } from '../../src/lint/run.js';

/** What a fixture's options.json may say: config overrides plus the fix options. */
export interface FixtureOptions extends ConfigOverrides {
  onConflict?: ConflictMode;
  renameComponents?: boolean | string;
  wwwAuthenticate?: string;
  /** The document, relative to the fixture's input folder (default: the only openapi.* file). */
  document?: string;
}

export function configOf(options: FixtureOptions): ResolvedConfig {
  return resolveConfig({}, options);
}

/** A temp copy of a folder. */
export function tempCopy(folder: string): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'mtls-fix-fix-'));
  copyWritable(folder, copy);
  return copy;
}

/** Every file under `folder`, relative path -> bytes. */
export function readTree(folder: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(path.relative(folder, full).split(path.sep).join('/'), readFileSync(full));
    }
  };
  walk(folder);
  return files;
}

export function runFix(
  cwd: string,
  document: string,
  options: FixtureOptions,
  mode: FixMode = 'write',
): FixReport {
  return fix({
    files: [document],
    config: configOf(options),
    cwd,
    mode,
    onConflict: options.onConflict,
    renameComponents: options.renameComponents,
    wwwAuthenticate: options.wwwAuthenticate,
  });
}

/** The mtls-no-403 findings lint reports for a document. */
export async function no403Findings(
  cwd: string,
  document: string,
  options: FixtureOptions,
): Promise<string[]> {
  const report = await lint({ files: [document], config: configOf(options), cwd });
  return report.results
    .filter((result) => result.code === 'mtls-no-403')
    .map((result) => `${result.operation?.method} ${result.operation?.path}`);
}
