import type { DiscoveredFile } from './discover.js';
import type { ProjectLinks } from './links.js';
import { readFileSync } from 'node:fs';
import type ts from '../typescript.cjs';
import { escapeRegExp } from '../util/regexp.js';
import { outsideSpecifiers } from './import-specifiers.js';
import { declarationHold } from './outside-holds.js';
import { parseSource } from './parse.js';

/** How many `export *` hops are followed from an outside module (a barrel of barrels). */
const MAX_STARS = 6;

/**
 * Phase 2 of the prefilter for 403s fixed outside the run: a file with no 403 form of its own that imports,
 * from a module the run does not scan (a workspace package such as `packages/shared` while the run scans
 * `apps/api`, or a folder above the scanned one), a name that module exports with a fixed 403 (`class
 * PermissionError extends HttpError { status = 403 }`, `export const NO_ACCESS = 403`, through `export *`
 * barrels), or its whole/default export when that is a 403 class. Phase 2 of engine.ts takes names from
 * analysed files only, so `throw new PermissionError()` in such a file was never read.
 *
 * A file's text is read only when one of its specifiers leads to a module that exports such a name (most files:
 * never, when `importsOf` knows their specifiers).
 *
 * @param waiting files the first two phases did not analyse
 * @param inRun whether an absolute path is one of the run's files
 * @param importsOf the specifiers of a file that may lead outside the scanned folder, when already known
 *   (import-specifiers.ts `outsideSpecifiers`, taken by the thread that read the file); else they are read from
 *   its text
 * @returns the waiting files to analyse, in their order
 */
export function outsideImporters(
  waiting: readonly DiscoveredFile[],
  links: ProjectLinks,
  textOf: (absolute: string) => string,
  inRun: (absolute: string) => boolean,
  importsOf: (absolute: string) => readonly string[] | undefined = () => undefined,
): DiscoveredFile[] {
  const names = new Map<string, RegExp | 'whole' | undefined>();
  const parsed = treeReader();
  const bearing = (file: string): RegExp | 'whole' | undefined => {
    if (names.has(file)) return names.get(file);
    names.set(file, undefined);
    const found = outsideNames(links, file, parsed);
    const value = links.bearingSpecifiers(file).length
      ? 'whole'
      : found.size
        ? new RegExp(`(?<![\\w$])(?:${[...found].map(escapeRegExp).join('|')})(?![\\w$])`)
        : undefined;
    names.set(file, value);
    return value;
  };
  return waiting.filter((file) => {
    // `./x` stays in the scanned folder; `../x`, a package, an alias or a workspace package may not.
    const specifiers = importsOf(file.absolute) ?? outsideSpecifiers(textOf(file.absolute));
    for (const specifier of specifiers) {
      const target = links.resolve(specifier, file.absolute);
      if (!target || inRun(target)) continue;
      const test = bearing(target);
      if (test === 'whole' || test?.test(textOf(file.absolute))) return true;
    }
    return false;
  });
}

/** The 403-bearing names `file` exports, its `export *` targets' included (at most MAX_STARS hops deep). */
function outsideNames(
  links: ProjectLinks,
  file: string,
  parsed: (file: string) => ts.SourceFile | undefined,
  seen = new Set<string>(),
  depth = 0,
): Set<string> {
  const out = new Set<string>();
  if (seen.has(file) || depth > MAX_STARS) return out;
  seen.add(file);
  for (const name of links.bearingNames(file)) out.add(name);
  for (const name of holdingNames(links, file, parsed)) out.add(name);
  for (const star of links.exportsOf(file)?.stars ?? []) {
    const target = links.resolve(star, file);
    if (target) for (const name of outsideNames(links, target, parsed, seen, depth + 1)) out.add(name);
  }
  return out;
}

/**
 * The names `file` exports whose declaration answers 403 from inside (outside-holds.ts: a class whose method
 * throws a 403 class, a function holding a 403 form), its own declarations and its named re-exports.
 */
function holdingNames(
  links: ProjectLinks,
  file: string,
  parsed: (file: string) => ts.SourceFile | undefined,
): string[] {
  const exports = links.exportsOf(file);
  if (!exports) return [];
  const out: string[] = [];
  const holds = (where: string, name: string): boolean => {
    const sourceFile = parsed(where);
    const link = links.forFile(where);
    return (
      sourceFile !== undefined &&
      declarationHold(sourceFile, name, (binding) => link.classStatus(binding)?.value) !== undefined
    );
  };
  for (const name of exports.declared) if (holds(file, name)) out.push(name);
  for (const [name, value] of exports.names) {
    if (value.kind !== 'reexport') continue;
    const defined = links.definition(file, value.module, value.name);
    if (defined && holds(defined.file, defined.name)) out.push(name);
  }
  return out.filter((name) => name !== 'default' && name !== '*');
}

/** A reader of outside files' trees, each parsed once (one per run). */
function treeReader(): (file: string) => ts.SourceFile | undefined {
  const trees = new Map<string, ts.SourceFile | undefined>();
  return (file) => {
    if (trees.has(file)) return trees.get(file);
    let tree: ts.SourceFile | undefined;
    try {
      tree = parseSource(file, readFileSync(file, 'utf8'));
    } catch {
      tree = undefined;
    }
    trees.set(file, tree);
    return tree;
  };
}
