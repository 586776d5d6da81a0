import path from 'node:path';
import { isTestName, type DiscoveredFile } from './discover.js';

const EXTENSION = /\.[cm]?[jt]sx?$/;
/** `from './x'`, `import('./x')`, `require('./x')`, `import './x'`, `export … from './x'`: relative ones only. */
const RELATIVE_SPECIFIER =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"\n]*)\1/g;

/**
 * Files counted as tests only because a folder on their path is named like a test folder (`src/test/`,
 * `spec/`), yet imported by a non-test source file, are source files: Nest's `nest g resource test` puts a
 * production controller in `src/test/test.controller.ts`, and a module imports it. Followed to a fixed point
 * (a promoted module's own imports count too), through relative specifiers only. A file named as a test
 * (`x.spec.ts`) stays a test.
 *
 * @param textOf the text of a file by absolute path (the engine's cached reader).
 * @returns the same list, with `test: false` on the files promoted (the others unchanged, same order).
 */
export function sourcesInTestFolders(
  files: readonly DiscoveredFile[],
  textOf: (absolute: string) => string,
): DiscoveredFile[] {
  const candidates = new Map<string, DiscoveredFile>();
  for (const file of files)
    if (file.test && !isTestName(file.relative)) candidates.set(file.absolute.replace(EXTENSION, ''), file);
  if (!candidates.size) return [...files];
  const promoted = new Set<string>();
  let frontier = files.filter((f) => !f.test);
  while (frontier.length && candidates.size) {
    const next: DiscoveredFile[] = [];
    for (const file of frontier) {
      for (const match of textOf(file.absolute).matchAll(RELATIVE_SPECIFIER)) {
        const target = path.resolve(path.dirname(file.absolute), match[2] ?? '').replace(EXTENSION, '');
        for (const key of [target, path.join(target, 'index')]) {
          const found = candidates.get(key);
          if (!found) continue;
          candidates.delete(key);
          promoted.add(found.absolute);
          next.push(found);
        }
      }
    }
    frontier = next;
  }
  return files.map((f) => (promoted.has(f.absolute) ? { ...f, test: false } : f));
}
