/**
 * The file extensions `migrate` parses, in the order the "no source files" message lists them. Kept apart from
 * parse.ts (which loads the TypeScript compiler) so that finding the files (discover.ts, on a worker thread
 * while the compiler loads: sources.ts) loads nothing heavy. parse.ts maps each to its script kind.
 */
export const SOURCE_EXTENSIONS = [
  '.ts',
  '.mts',
  '.cts',
  '.tsx',
  '.js',
  '.mjs',
  '.cjs',
  '.jsx',
  '.astro',
] as const;

/** One of {@link SOURCE_EXTENSIONS}. */
export type SourceExtension = (typeof SOURCE_EXTENSIONS)[number];

/**
 * The {@link SOURCE_EXTENSIONS} entry `file` ends with, compared without case (`server.JS` is `.js`: Node.js runs
 * a file of any other extension with its CommonJS loader, and a case-insensitive file system makes such names
 * common in older code); undefined for any other file.
 */
export function sourceExtensionOf(file: string): SourceExtension | undefined {
  const dot = file.lastIndexOf('.');
  if (dot < 0 || file.indexOf('/', dot) >= 0 || file.indexOf('\\', dot) >= 0) return undefined;
  const extension = file.slice(dot).toLowerCase();
  return (SOURCE_EXTENSIONS as readonly string[]).includes(extension)
    ? (extension as SourceExtension)
    : undefined;
}
