import { readFileSync } from 'node:fs';
import { runCache } from '../util/run-caches.js';

/**
 * `export { a } from 'x'`, `export * from 'x'`, `export * as n from 'x'`, `export type { T } from 'x'`: the
 * source of the pattern, for a reading thread that builds its own (read-ahead.ts); group 2 is the specifier.
 */
export const REEXPORT_SOURCE = String.raw`\bexport\s+(?:type\s+)?(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*(['"])([^'"\n]+)\1`;

const REEXPORT = new RegExp(REEXPORT_SOURCE, 'g');

const cache = runCache<string, readonly string[]>();

/**
 * The modules a local file re-exports (`export { Application } from "https://deno.land/x/oak/mod.ts"`): Deno's
 * `deps.ts` convention, and any barrel that hands a framework on. A file importing from it uses those modules as
 * if it imported them itself (frameworks/index.ts `selectFrameworks`). One level only; an unreadable file
 * re-exports nothing. Cached per absolute path for the run's process.
 *
 * @param absolute the re-exporting file's absolute path (as `ImportLink.resolve` gives it).
 * @param textOf the run's reader (`ImportLink.peekText`), which gives the run's copy of a text it holds; default
 *   `readFileSync`. What it throws reads as an unreadable file.
 */
export function reexportedModules(
  absolute: string,
  textOf: (absolute: string) => string = (file) => readFileSync(file, 'utf8'),
): readonly string[] {
  const known = cache.get(absolute);
  if (known) return known;
  let text = '';
  try {
    text = textOf(absolute);
  } catch {
    // Unreadable (removed, a folder): nothing is handed on.
  }
  const modules = reexportsIn(text);
  cache.set(absolute, modules);
  return modules;
}

/**
 * The specifiers `text` re-exports from (REEXPORT_SOURCE), in order, repeats kept: what
 * {@link reexportedModules} answers for a file with that text.
 */
export function reexportsIn(text: string): string[] {
  return text.includes('from') ? [...text.matchAll(REEXPORT)].map((m) => m[2]) : [];
}

/**
 * Records what a reading thread found a file to re-export (read-ahead.ts `ReadFile.reexports`), so that
 * {@link reexportedModules} answers for it without reading it again on this thread. For this run only.
 *
 * @param absolute the file's absolute path.
 * @param modules `reexportsIn` of its text.
 */
export function noteReexports(absolute: string, modules: readonly string[]): void {
  cache.set(absolute, modules);
}
