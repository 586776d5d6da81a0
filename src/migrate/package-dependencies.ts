import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Dependency names (dependencies, devDependencies, peerDependencies, optionalDependencies) of every
 * package.json from `folder` up to the repository root (the first folder holding `.git`) or the file system
 * root: a workspace package sees its own and the workspace root's. Cached per folder; an unreadable
 * package.json counts as empty.
 */
export function dependenciesAbove(
  folder: string,
  cache: Map<string, ReadonlySet<string>>,
): ReadonlySet<string> {
  const cached = cache.get(folder);
  if (cached) return cached;
  const own = readDependencies(path.join(folder, 'package.json'));
  const parent = path.dirname(folder);
  const atTop = parent === folder || existsSync(path.join(folder, '.git'));
  const result = atTop ? own : new Set([...own, ...dependenciesAbove(parent, cache)]);
  cache.set(folder, result);
  return result;
}

/**
 * The dependency names (dependencies, devDependencies, peerDependencies, optionalDependencies) of one
 * package.json; empty when it is missing or unreadable.
 */
export function readDependencies(file: string): Set<string> {
  if (!existsSync(file)) return new Set();
  try {
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const names = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap(
      (key) => (pkg[key] && typeof pkg[key] === 'object' ? Object.keys(pkg[key]) : []),
    );
    return new Set(names);
  } catch {
    return new Set();
  }
}
