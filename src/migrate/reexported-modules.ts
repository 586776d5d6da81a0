import { readFileSync } from 'node:fs';
import { runCache } from '../util/run-caches.js';

/** `export { a } from 'x'`, `export * from 'x'`, `export * as n from 'x'`, `export type { T } from 'x'`. */
const REEXPORT = /\bexport\s+(?:type\s+)?(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*(['"])([^'"\n]+)\1/g;

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
  const modules = text.includes('from') ? [...text.matchAll(REEXPORT)].map((m) => m[2]) : [];
  cache.set(absolute, modules);
  return modules;
}
