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
