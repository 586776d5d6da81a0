// A V8 code cache for the TypeScript compiler, the one large module mtls-fix loads (typescript.js, ~9 MB): V8
// compiles it from source on every start (~0.4 s of CPU on this project's 2-core machines) and then compiles
// each parser function again the first time it runs. The compiled code is kept on disk between runs instead.
// CommonJS, because src/typescript.cts calls it before requiring the compiler.
//
// Why not a library: v8-compile-cache-lib (the hook ts-node uses) was measured here first. It asks V8 for new
// cached data on every start and rewrites the blob every run, so the start-up it saves is spent again
// serializing (typescript.js load, 10 interleaved runs: 0.60 s CPU with it vs 0.65 s without). This module
// writes the cache once, after the run, so it also holds the functions the run compiled lazily.
// On Node.js >= 22.1 the runtime's own module.enableCompileCache() is used instead.
import { isAscii } from 'node:buffer';
import crypto from 'node:crypto';
import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';

/**
 * Where the cache lives: `NODE_COMPILE_CACHE` when set (the variable Node.js >= 22.1 reads for its own compile
 * cache), else `<os tmpdir>/mtls-fix-compile-cache-<uid>`. Undefined when `NODE_DISABLE_COMPILE_CACHE` is set
 * (Node's switch, honoured on Node 20 too).
 */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  if (env.NODE_COMPILE_CACHE) return path.resolve(env.NODE_COMPILE_CACHE);
  const user = typeof process.getuid === 'function' ? `-${process.getuid()}` : '';
  return path.join(os.tmpdir(), `mtls-fix-compile-cache${user}`);
}

interface ModuleWithCache {
  enableCompileCache?: (directory?: string) => unknown;
}

/**
 * Loads the CommonJS package `id` (resolved from mtls-fix's own folder) into Node's module cache from a V8 code
 * cache, so the `require(id)` that follows returns it without compiling it from source. The first run writes the
 * cache when the process exits (the main thread only: workers load the same file); a cache V8 rejects (another
 * Node.js, other V8 flags, a changed package) is replaced the same way. Never throws: on any failure the package
 * is left to the ordinary `require`, which then compiles it as usual.
 *
 * @param minifiedIn a folder that may hold a minified copy of the package's main file, named
 * `<id>-<installed version>.js` (scripts/bundle-typescript.mjs writes `dist/vendor/typescript-5.9.3.js`): when it
 * is there, its code is compiled in place of the package file's (fewer bytes to read and keep), still as the
 * package's module (`__filename`, `__dirname` and `require` are the package file's). Absent, or for another
 * version, the package file is used.
 */
export function preloadWithCodeCache(id: string, minifiedIn?: string): void {
  const directory = compileCacheDir();
  if (!directory) return;
  const runtime = Module as unknown as ModuleWithCache;
  if (typeof runtime.enableCompileCache === 'function') {
    try {
      runtime.enableCompileCache(directory);
    } catch {
      // The runtime compiles from source, as without a cache.
    }
    return;
  }
  let filename: string;
  try {
    filename = require.resolve(id);
    if (require.cache[filename]) return;
  } catch {
    return;
  }
  try {
    const compiled = (minifiedIn && minifiedCopy(id, filename, minifiedIn)) || filename;
    const stat = fs.statSync(compiled);
    const key = crypto
      .createHash('sha1')
      .update(JSON.stringify([process.version, process.arch, compiled, stat.size, stat.mtimeMs]))
      .digest('hex')
      .slice(0, 20);
    const cacheFile = path.join(directory, `${path.basename(id)}-${key}.v8cache`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(readWrappedSource(compiled), { filename: compiled, cachedData });
    const loaded = new Module(filename, module);
    loaded.filename = filename;
    const requireFromPackage = Module.createRequire(filename);
    loaded.paths = requireFromPackage.resolve.paths(id) ?? [];
    require.cache[filename] = loaded;
    try {
      const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
      wrapper.call(
        loaded.exports,
        loaded.exports,
        requireFromPackage,
        loaded,
        filename,
        path.dirname(filename),
      );
      loaded.loaded = true;
    } catch (error) {
      delete require.cache[filename];
      throw error;
    }
    if ((!cachedData || script.cachedDataRejected) && isMainThread)
      process.once('exit', () => writeCache(directory, cacheFile, script));
    else if (isMainThread) markUsed(cacheFile);
  } catch {
    // Left to the ordinary require: it compiles the package from source (and reports its own errors).
  }
}

/**
 * The minified copy of package `id`'s main file `filename` in `folder` (`<id>-<version>.js`, the version read from
 * the package's package.json, next to `lib/` or the main file), or undefined when there is none for the installed
 * version.
 */
function minifiedCopy(id: string, filename: string, folder: string): string | undefined {
  try {
    let directory = path.dirname(filename);
    let manifest: string | undefined;
    for (let up = 0; up < 2 && !manifest; up++, directory = path.dirname(directory)) {
      const candidate = path.join(directory, 'package.json');
      if (fs.existsSync(candidate)) manifest = candidate;
    }
    if (!manifest) return undefined;
    const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: unknown };
    if (typeof version !== 'string') return undefined;
    const copy = path.join(folder, `${path.basename(id)}-${version}.js`);
    return fs.existsSync(copy) ? copy : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The file's source wrapped as a CommonJS module (`Module.wrap`), as `fs.readFileSync(filename, 'utf8')` gives the
 * source. An ASCII file (typescript.js is) is read into one buffer between the wrapper's two halves and decoded as
 * Latin-1, the same string made by one copy and no UTF-8 decode; and flat, where wrapping a string read whole
 * made a concatenation V8 then copied again (another 9 MB of fresh memory) before compiling it. Any other byte in
 * the file and it is decoded as UTF-8, then wrapped.
 */
function readWrappedSource(filename: string): string {
  const [head, tail] = Module.wrap('\u0000').split('\u0000');
  const descriptor = fs.openSync(filename, 'r');
  let bytes: Buffer;
  try {
    const size = fs.fstatSync(descriptor).size;
    bytes = Buffer.allocUnsafeSlow(head.length + size + tail.length);
    let read = 0;
    while (read < size) {
      const count = fs.readSync(descriptor, bytes, head.length + read, size - read, read);
      if (count === 0) break;
      read += count;
    }
    // A file that shrank while read: left to the ordinary require (the caller catches this).
    if (read < size) throw new Error(`${filename} changed while it was read`);
  } finally {
    fs.closeSync(descriptor);
  }
  const body = bytes.subarray(head.length, bytes.length - tail.length);
  if (!isAscii(body) || !isAscii(Buffer.from(head + tail))) return Module.wrap(body.toString('utf8'));
  bytes.write(head, 0, 'latin1');
  bytes.write(tail, bytes.length - tail.length, 'latin1');
  return bytes.toString('latin1');
}

/** A cache file unused this long (by its mtime, which `markUsed` keeps recent) is removed when another is written. */
const UNUSED_MS = 30 * 24 * 60 * 60 * 1000;

/** How old an mtime may get before a run that uses the cache moves it to now (one write a day at most). */
const TOUCH_MS = 24 * 60 * 60 * 1000;

/** Records that a cache file was used (its mtime), at most once a day; never throws. */
function markUsed(cacheFile: string): void {
  try {
    const now = Date.now();
    if (now - fs.statSync(cacheFile).mtimeMs > TOUCH_MS) fs.utimesSync(cacheFile, now / 1000, now / 1000);
  } catch {
    // Only the pruning of other caches reads it.
  }
}

/**
 * Removes the folder's other cache files no run has used for {@link UNUSED_MS} (each mtls-fix install, Node.js
 * version and compiler version has its own; without this they pile up). Never throws.
 */
function pruneUnused(directory: string, keep: string): void {
  try {
    const now = Date.now();
    for (const name of fs.readdirSync(directory)) {
      const file = path.join(directory, name);
      if (file === keep || !name.endsWith('.v8cache')) continue;
      if (now - fs.statSync(file).mtimeMs > UNUSED_MS) fs.rmSync(file, { force: true });
    }
  } catch {
    // Left for a later run.
  }
}

/** Writes the cache (temporary file, then rename: a concurrent run reads the old file or the new one, whole). */
function writeCache(directory: string, cacheFile: string, script: vm.Script): void {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
    fs.writeFileSync(temporary, script.createCachedData());
    fs.renameSync(temporary, cacheFile);
    pruneUnused(directory, cacheFile);
  } catch {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // Nothing to clean up.
    }
  }
}
