import { readdirSync } from 'node:fs';
import path from 'node:path';

/** What a folder's listing says of one name: a regular file, a folder, or anything else (a link, a socket). */
type EntryKind = 'file' | 'folder' | 'other';

/**
 * The file a relative specifier names, read from folder listings (one `readdir` per folder) rather than by
 * `ts.resolveModuleName`, which asks the file system about each candidate name of each specifier in turn (a
 * project's entry that imports 5,000 routers asks 5,000 times). Only specifiers whose answer is certain are
 * answered; for every other one `resolve` gives `undefined` and the caller asks TypeScript.
 *
 * The answer is TypeScript's own (typescript.js `tryAddingExtensions`, TS 5.x), under every `moduleResolution`
 * the resolver tries (resolve.ts falls back to `bundler` when `node16`/`nodenext` refuse an extensionless
 * specifier), for a specifier `./a/b` or `./a/b.js` whose last segment has no other dot:
 * - `b.ts` is tried first, then `b.tsx`: the first that is a regular file is the answer;
 * - else `b.js`, when no `b.d.ts` (which TypeScript prefers) and no folder `b` (whose `index.ts` `node10` tries
 *   before `.js`, `bundler` after) stand beside it.
 * Compiler options that change relative resolution (`rootDirs`, `moduleSuffixes`) turn it off (`usable`).
 * Symbolic links, names whose case differs and anything under `node_modules` are left to TypeScript.
 */
export class RelativeFiles {
  private readonly listings = new Map<string, ReadonlyMap<string, EntryKind> | undefined>();

  /** Whether `options` leave relative resolution as the file-name rules above say. */
  static usable(options: { rootDirs?: readonly string[]; moduleSuffixes?: readonly string[] }): boolean {
    return !options.rootDirs?.length && !options.moduleSuffixes?.length;
  }

  /**
   * The absolute path `specifier` names from files in `folder` (absolute), or undefined when the listing cannot
   * say for certain (the caller then asks TypeScript). Never throws: an unreadable folder answers undefined.
   */
  resolve(specifier: string, folder: string): string | undefined {
    if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
    if (specifier.endsWith('/') || specifier.includes('\\')) return undefined;
    const target = path.resolve(folder, specifier);
    // Under `node_modules` TypeScript answers with the real path of a linked package (and resolve.ts drops it).
    if (/[\\/]node_modules[\\/]/.test(target)) return undefined;
    const base = path.basename(target);
    const js = base.endsWith('.js');
    const stem = js ? base.slice(0, -3) : base;
    if (!stem || stem === '.' || stem === '..' || stem.includes('.')) return undefined;
    const listing = this.listing(path.dirname(target));
    if (!listing) return undefined;
    const kind = (name: string): EntryKind | undefined => listing.get(name);
    for (const extension of ['.ts', '.tsx']) {
      const found = kind(stem + extension);
      if (found === 'file') return path.join(path.dirname(target), stem + extension);
      if (found) return undefined;
    }
    if (kind(`${stem}.d.ts`) !== undefined || kind(stem) !== undefined) return undefined;
    return kind(`${stem}.js`) === 'file' ? path.join(path.dirname(target), `${stem}.js`) : undefined;
  }

  private listing(folder: string): ReadonlyMap<string, EntryKind> | undefined {
    if (this.listings.has(folder)) return this.listings.get(folder);
    let listing: Map<string, EntryKind> | undefined;
    try {
      listing = new Map();
      for (const entry of readdirSync(folder, { withFileTypes: true }))
        listing.set(entry.name, entry.isFile() ? 'file' : entry.isDirectory() ? 'folder' : 'other');
    } catch {
      listing = undefined;
    }
    this.listings.set(folder, listing);
    return listing;
  }
}
