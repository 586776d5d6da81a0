import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { MtlsFixError } from '../errors.js';
import { SOURCE_EXTENSIONS } from './parse.js';

/** Never source code of the project itself. */
const ALWAYS_EXCLUDED = [
  '**/node_modules/**',
  '**/.git/**',
  '**/dist/**',
  '**/build/**',
  '**/.next/**',
  '**/coverage/**',
  '**/*.d.ts',
  '**/*.d.mts',
  '**/*.d.cts',
  '**/*.min.js',
];

export interface DiscoveredFile {
  absolute: string;
  /** Relative to the working folder, `/`-separated (the report's paths). */
  relative: string;
  test: boolean;
}

/** The source files under `paths` (files or folders), sorted, minus the excluded globs. */
export function discoverFiles(
  cwd: string,
  paths: readonly string[],
  exclude: readonly string[],
): DiscoveredFile[] {
  const found = new Set<string>();
  const pattern = `**/*.{${SOURCE_EXTENSIONS.map((e) => e.slice(1)).join(',')}}`;
  for (const entry of paths) {
    const absolute = path.resolve(cwd, entry);
    if (!existsSync(absolute)) {
      throw new MtlsFixError('ENOENT', `path not found: ${entry}`, 'Pass files or folders that exist.', {
        file: entry,
      });
    }
    if (statSync(absolute).isFile()) {
      found.add(absolute);
      continue;
    }
    for (const file of globSync(pattern, {
      cwd: absolute,
      absolute: true,
      ignore: [...ALWAYS_EXCLUDED, ...exclude],
      dot: false,
    })) {
      found.add(path.resolve(file));
    }
  }
  const excluded = exclude.length
    ? globSync(exclude, { cwd, absolute: true, dot: true }).map((f) => path.resolve(f))
    : [];
  const excludedSet = new Set(excluded);
  return [...found]
    .filter((f) => !excludedSet.has(f))
    .sort()
    .map((absolute) => {
      const relative = path.relative(cwd, absolute).split(path.sep).join('/');
      return { absolute, relative, test: isTestFile(relative) };
    });
}

/** jest/vitest default test locations and Nest's e2e specs. */
export function isTestFile(relative: string): boolean {
  return (
    /(^|\/)(__tests__|__mocks__|test|tests|e2e|spec)\//.test(relative) ||
    /\.(test|spec|e2e-spec)\.[cm]?[jt]sx?$/.test(relative)
  );
}

/** Dependency names of the project's package.json in `cwd`, for framework detection. */
export function projectDependencies(cwd: string): Set<string> {
  const file = path.join(cwd, 'package.json');
  if (!existsSync(file)) return new Set();
  try {
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const names = ['dependencies', 'devDependencies', 'peerDependencies'].flatMap((key) =>
      pkg[key] && typeof pkg[key] === 'object' ? Object.keys(pkg[key]) : [],
    );
    return new Set(names);
  } catch {
    return new Set();
  }
}
