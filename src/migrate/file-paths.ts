import { lstatSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';

// Path arithmetic for the discovery walk's thousands of files: the cheap forms of path.relative/resolve/join
// and real paths resolved once per folder.

/** `file` relative to `from`, `/`-separated (both absolute and normal). */
export function toRelative(from: string, file: string): string {
  return slashed(relativePath(from, file));
}

/** A path with `/` as its separator: itself on a `/`-separated system (no split and join for thousands of files). */
export function slashed(file: string): string {
  return path.sep === '/' ? file : file.split(path.sep).join('/');
}

/** Matches what `path.resolve` changes in an absolute POSIX path: `//`, `/./`, `/../`, or a trailing `/`, `/.`, `/..`. */
const NOT_NORMAL = /\/\.{0,2}\/|\/\.{0,2}$/;

/**
 * `path.resolve(file)`, without its normalising pass over a path that is already absolute and normal on a
 * `/`-separated system (each of the walk's thousands of paths is).
 */
export function resolvedPath(file: string): string {
  return path.sep === '/' && file.startsWith('/') && !NOT_NORMAL.test(file) ? file : path.resolve(file);
}

/**
 * `path.join(folder, name)` for a real (normal, absolute) folder and a file's own name: joined with a `/` on a
 * `/`-separated system, without path.join's normalising pass.
 */
export function joinName(folder: string, name: string): string {
  if (path.sep !== '/' || name === '.' || name === '..' || name.includes('/')) return path.join(folder, name);
  return folder.endsWith('/') ? folder + name : `${folder}/${name}`;
}

/**
 * `path.relative(from, file)` for absolute, normalised paths (path.resolve's), without its two resolves when
 * `file` lies under `from` on a `/`-separated system: thousands of files each ask it two or three times.
 */
export function relativePath(from: string, file: string): string {
  if (path.sep === '/') {
    const prefix = from.endsWith('/') ? from : `${from}/`;
    if (file.startsWith(prefix) && file.length > prefix.length) return file.slice(prefix.length);
  }
  return path.relative(from, file);
}

/** The real path of `file` (one realpath(3) call), or `file` itself when it cannot be resolved. */
export function safeRealPath(file: string): string {
  try {
    // One realpath(3) call; the JavaScript realpathSync lstat()s every folder of every one of thousands of files.
    return realpathSync.native(file);
  } catch {
    return file;
  }
}

/**
 * Real paths, memoised: a file's folder is resolved once per folder (realpath(3) walks every component), and
 * whether the file itself is a link is read from its folder's listing, one readdir per folder instead of one
 * lstat per file (a file the listing does not name is lstat()ed as before). Same answers as `safeRealPath` for
 * each file.
 */
export function realPaths(): (file: string) => string {
  const folders = new Map<string, string>();
  const files = new Map<string, string>();
  const listings = new Map<string, Map<string, boolean> | undefined>();
  return (file) => {
    let real = files.get(file);
    if (real !== undefined) return real;
    const folder = path.dirname(file);
    const name = path.basename(file);
    const link =
      isLink(listings, folder, name) ?? lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink();
    if (link !== false) real = safeRealPath(file);
    else {
      let realFolder = folders.get(folder);
      if (realFolder === undefined) {
        realFolder = safeRealPath(folder);
        folders.set(folder, realFolder);
      }
      real = joinName(realFolder, name);
    }
    files.set(file, real);
    return real;
  };
}

/**
 * Whether `name` in `folder` is a symbolic link, from the folder's listing (read once, kept in `listings`);
 * undefined when the folder cannot be listed or does not name it.
 */
function isLink(
  listings: Map<string, Map<string, boolean> | undefined>,
  folder: string,
  name: string,
): boolean | undefined {
  let listing = listings.get(folder);
  if (!listings.has(folder)) {
    try {
      listing = new Map(
        readdirSync(folder, { withFileTypes: true }).map((entry) => [entry.name, entry.isSymbolicLink()]),
      );
    } catch {
      listing = undefined;
    }
    listings.set(folder, listing);
  }
  return listing?.get(name);
}

/** Whether the absolute path `file` lies outside the folder `root` (both real, normal paths). */
export function outside(root: string, file: string): boolean {
  if (file === root) return false;
  const within = relativePath(root, file);
  return within === '..' || within.startsWith(`..${path.sep}`) || path.isAbsolute(within);
}
