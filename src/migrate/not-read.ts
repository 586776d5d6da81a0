import { readFileSync } from 'node:fs';
import path from 'node:path';
import { notSourceFormat } from './not-source.js';
import { countOccurrences } from './minified.js';
import { TOO_DEEP_MESSAGE } from './parse.js';
import { textReadings, wideSource } from './wide-sources.js';
import type { MinifiedFile, ReportError, UnparsedFile } from './types.js';

/**
 * Why a file holding a 403 form was not read, as the census's `notRead` keys it: `parse-error` (the file does
 * not parse), `too-deep` (it nests deeper than migrate's walks can follow: parse.ts `isTooDeep`), `not-utf8` (UTF-16 or UTF-32 text), `unsupported-language` (Svelte, Vue, CoffeeScript, Java, Go,
 * ...: unscanned.ts), `not-source` (a JSON or YAML file named on the command line: not-source.ts), `minified` (a bundle, by its name or its text), `node-modules` (a file git tracks under a
 * node_modules folder), `generated` (a file in an output folder, `build/` or `dist/`, that git does not ignore),
 * `ignored-by-git` (a file git ignores that a scanned file loads: ignored-loads.ts).
 */
export type NotReadReason =
  | 'parse-error'
  | 'too-deep'
  | 'not-utf8'
  | 'unsupported-language'
  | 'not-source'
  | 'minified'
  | 'node-modules'
  | 'generated'
  | 'ignored-by-git';

/** What the run named as not read (engine.ts gathers it from discovery and the run's files). */
export interface NotReadInput {
  /** The run's folder (absolute): the files below are relative to it. */
  cwd: string;
  /** The run's errors; those of files that were analysed (a write that failed) are left out by `analysed`. */
  errors: readonly ReportError[];
  /** Whether a file (relative path) was analysed: its 403s are in the census already. */
  analysed: (relative: string) => boolean;
  /** Files in a language migrate does not parse that hold a 403 form or a check answering 403. */
  unparsed: readonly UnparsedFile[];
  /** Minified files holding a 403 form (by name or by text). */
  minified: readonly MinifiedFile[];
  /** Files git tracks under node_modules that hold a 403 form (not walked). */
  nodeModules?: readonly string[];
  /** Files in output folders that git does not ignore holding a 403 form (not scanned). */
  generated?: readonly MinifiedFile[];
  /** Files git ignores that a scanned file loads, holding a 403 form (ignored-loads.ts). */
  ignoredLoads?: readonly MinifiedFile[];
  /** A file's text (the run's reader); throws when the file cannot be read. */
  textOf?: (absolute: string) => string;
}

/**
 * The census's `notRead` bucket: 403 occurrences, found by text (the census's own pattern, occurrence-source.ts),
 * in the files the run named but could not read, by reason. A file named for a check that answers 403 with no
 * 403 form in its text (a Spring `@PreAuthorize`, an authorizer's `Deny`), or one that cannot be read again,
 * counts once. Keys with no occurrence are left out; sorted by key.
 *
 * @returns e.g. `{ 'parse-error': 1, 'unsupported-language': 2 }` for a broken `.ts` file with one 403 and a
 *   Svelte component with two.
 */
export function notReadCensus(input: NotReadInput): Record<string, number> {
  const counts: Partial<Record<NotReadReason, number>> = {};
  const add = (reason: NotReadReason, n: number): void => {
    if (n > 0) counts[reason] = (counts[reason] ?? 0) + n;
  };
  const read = (relative: string): string | undefined => {
    const absolute = path.resolve(input.cwd, relative);
    try {
      return input.textOf ? input.textOf(absolute) : readFileSync(absolute, 'utf8');
    } catch {
      return undefined;
    }
  };
  // In every reading of its bytes (a NUL in the text: UTF-16 or UTF-32, or ASCII among zero bytes).
  const formsIn = (relative: string, text: string): number =>
    Math.max(...textReadings(path.resolve(input.cwd, relative), text).map(countOccurrences));
  // A file named for a 403 form (or a check answering 403) counts once at least, even when it cannot be read again.
  const named = (relative: string): number => {
    const text = read(relative);
    return Math.max(1, text === undefined ? 0 : formsIn(relative, text));
  };
  const failed = new Set(input.errors.map((e) => e.file).filter((file) => !input.analysed(file)));
  const tooDeep = new Set(input.errors.filter((e) => e.message === TOO_DEEP_MESSAGE).map((e) => e.file));
  for (const file of failed) {
    const text = read(file);
    if (text === undefined) continue;
    let wide;
    try {
      wide = wideSource(path.resolve(input.cwd, file), text);
    } catch {
      wide = undefined;
    }
    // A wide file is an error only when it holds a 403 form or a check that may answer one.
    if (wide) add('not-utf8', Math.max(1, wide.forms));
    else add(tooDeep.has(file) ? 'too-deep' : 'parse-error', formsIn(file, text));
  }
  for (const file of input.unparsed) {
    // A named JSON or YAML file (not-source.ts) is not source at all, not a language migrate lacks.
    const reason = notSourceFormat(file.file) ? 'not-source' : 'unsupported-language';
    add(reason, file.line === undefined ? 1 : named(file.file));
  }
  for (const file of input.minified) add('minified', named(file.file));
  for (const file of input.nodeModules ?? []) add('node-modules', named(file));
  for (const file of input.generated ?? []) add('generated', named(file.file));
  for (const file of input.ignoredLoads ?? []) add('ignored-by-git', named(file.file));
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export { countOccurrences };
