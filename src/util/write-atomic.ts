import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fsyncSync,
  ftruncateSync,
  lstatSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as ProperLockfile from 'proper-lockfile';
import type * as SignalExit from 'signal-exit';
import { MtlsFixError } from '../errors.js';
import { firstInvalidUtf8, lineAndColumnOfByte, utf8Chunks } from './utf8.js';

export interface FileToWrite {
  /** The file to replace (or create). A symbolic link is written through: its target is replaced. */
  path: string;
  /** The new text, written as UTF-8 (include a BOM in it to keep one). */
  text: string;
  /** The name in messages. */
  display: string;
  /**
   * The exact text the edit was computed from (as read, BOM included). When given, the file must still hold
   * exactly this text, as valid UTF-8, just before it is replaced; otherwise nothing is written.
   */
  original?: string;
}

/** Why a write was refused; `file` is the display name of the first file it concerns. */
export type WriteRefusal = 'changed' | 'read-only' | 'not-a-file' | 'not-utf8' | 'locked' | 'io';

/** The error thrown by {@link writeFilesAtomic}: a MtlsFixError (code `EWRITE`) that says which check failed. */
export class WriteRefusedError extends MtlsFixError {
  constructor(
    readonly refusal: WriteRefusal,
    message: string,
    hint: string,
    file: string,
    line?: number,
    column?: number,
  ) {
    super('EWRITE', message, hint, { file, line, column });
  }
}

interface Target {
  file: FileToWrite;
  /** Where the bytes go: the link target for a symbolic link. */
  real: string;
  /** The existing file, or undefined for a new one. */
  stats?: Stats;
  temp?: string;
}

/** Temp files not yet renamed, removed if the process is ended by a signal or exits early. */
const pendingTemps = new Set<string>();
let cleanupRegistered = false;
const require = createRequire(import.meta.url);

/**
 * Replaces files so that each one is either wholly old or wholly new, and a set of files (one multi-file
 * document) is replaced together or not at all. Keeps what a plain in-place write keeps:
 *
 * - a symbolic link stays a link (its target is replaced), the mode, and the owner and group (where the
 *   process may set them); a file with several hard links is written in place once its new text is safe in the
 *   fsynced temp file (so every link sees the new text; that one step is not atomic);
 * - refuses, before anything is written: a read-only file (no write bit, or no write access), something that is
 *   not a regular file, a file that is no longer UTF-8 or no longer holds `original` ("changed while mtls-fix
 *   ran"), and a file another mtls-fix run holds the lock on;
 * - writes each temp file beside its target, fsyncs it, re-checks `original` under an advisory lock
 *   (proper-lockfile: `<file>.lock`, so two runs on one file cannot interleave), then renames (as npm's
 *   write-file-atomic, the folder is not fsynced: that doubled the cost per file). Temp files are removed on failure and, for SIGINT/SIGTERM/SIGHUP, by a signal-exit handler (the
 *   write itself is synchronous, so a signal lands after it, never half way through).
 *
 * Throws {@link WriteRefusedError} (an `EWRITE` MtlsFixError) naming the first file concerned; then no file
 * of the set has changed, except after a failed rename (each rename is atomic; the message names what was written).
 */
export function writeFilesAtomic(files: readonly FileToWrite[]): void {
  if (files.length === 0) return;
  const targets = files.map(inspect);
  registerCleanup();
  const releases: (() => void)[] = [];
  try {
    for (const target of targets) releases.push(lockFile(target));
    for (const target of targets) target.temp = writeTemp(target);
    // Checked as late as possible (under the lock): an edit made while we ran must not be lost.
    for (const target of targets) checkUnchanged(target);
    const done: string[] = [];
    for (const target of targets) {
      try {
        if (hardLinked(target)) copyIntoPlace(target, target.temp as string);
        else renameSync(target.temp as string, target.real);
      } catch (error) {
        throw ioError(
          target.file,
          error,
          done.length ? `; already written: ${done.join(', ')}` : '; nothing was written',
        );
      }
      if (hardLinked(target)) removeQuietly(target.temp as string);
      pendingTemps.delete(target.temp as string);
      done.push(target.file.display);
    }
  } finally {
    for (const target of targets) {
      if (target.temp && pendingTemps.has(target.temp)) removeQuietly(target.temp);
    }
    for (const release of releases) release();
  }
}

/**
 * What a write of `file` would be refused for, checked now without writing anything or taking its lock: the file
 * is not a regular file, is read-only, no longer holds `original`, or is not UTF-8 (the checks `writeFilesAtomic`
 * makes before its first byte). `--dry-run` and `--check` ask it so they promise only what a real run would do.
 *
 * @returns the {@link WriteRefusedError} a write would give, or undefined when the write would start.
 * Throws only what is not a refusal (a bug).
 */
export function writeRefusal(file: FileToWrite): WriteRefusedError | undefined {
  try {
    checkUnchanged(inspect(file));
    return undefined;
  } catch (error) {
    if (error instanceof WriteRefusedError) return error;
    throw error;
  }
}

/**
 * Writes each file as its own set, exactly as `writeFilesAtomic([file])` would (same checks, lock, temp file,
 * fsync, re-check and rename), with up to `concurrency` files in flight at once: every step that waits on the
 * disk (the lock folder, the temp file, its fsync, the rename, the unlock) runs in libuv's thread pool, so
 * the disk waits overlap each other and whatever the process does meanwhile. A file refused does not stop
 * the others.
 *
 * @returns per file, in order: undefined when written, else the {@link WriteRefusedError} that refused it.
 * Throws only what writeFilesAtomic would throw that is not a refusal (a bug).
 */
export async function writeEachAtomic(
  files: readonly FileToWrite[],
  concurrency = 16,
): Promise<(WriteRefusedError | undefined)[]> {
  const queue = new AtomicWriteQueue(concurrency);
  for (const file of files) queue.add(file);
  return queue.drain();
}

/**
 * {@link writeEachAtomic} fed one file at a time: `add` starts a file's write at once (or as soon as fewer than
 * `concurrency` are in flight), so the writes proceed while the caller prepares the next files; `drain` waits
 * for every file added so far. The caller lets the writes move on by yielding to the event loop
 * (`await queue.pace()` between its own steps).
 */
export class AtomicWriteQueue {
  private readonly waiting: { file: FileToWrite; done: (outcome: WriteOutcome) => void }[] = [];
  private outcomes: Promise<WriteOutcome>[] = [];
  private active = 0;

  constructor(private readonly concurrency = 16) {}

  /** Queues `file`; its write starts now when a lane is free. */
  add(file: FileToWrite): void {
    registerCleanup();
    this.outcomes.push(new Promise<WriteOutcome>((done) => this.waiting.push({ file, done })));
    this.pump();
  }

  /** Yields to the event loop when writes are in flight, so their next steps run; free otherwise. */
  async pace(): Promise<void> {
    if (this.active) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /**
   * Waits for every file added so far. @returns per file, in the order added: undefined when written, else
   * the refusal. Throws what a write threw that is not a refusal (a bug), after every write has settled.
   */
  async drain(): Promise<(WriteRefusedError | undefined)[]> {
    const settled = await Promise.all(this.outcomes.splice(0));
    const failed = settled.find((o) => 'error' in o);
    if (failed && 'error' in failed) throw failed.error;
    return settled.map((o) => ('refusal' in o ? o.refusal : undefined));
  }

  private pump(): void {
    while (this.active < this.concurrency && this.waiting.length) {
      const { file, done } = this.waiting.shift() as (typeof this.waiting)[number];
      this.active++;
      writeOne(file)
        .then(
          (refusal) => done({ refusal }),
          (error: unknown) => done({ error }),
        )
        .finally(() => {
          this.active--;
          this.pump();
        });
    }
  }
}

type WriteOutcome = { refusal: WriteRefusedError | undefined } | { error: unknown };

/**
 * One file of {@link writeEachAtomic}: writeFilesAtomic's steps for a set of one, each step that changes the
 * folder or waits on the disk awaited in the thread pool (the checks before and the unchanged re-check read
 * only, synchronously).
 */
async function writeOne(file: FileToWrite): Promise<WriteRefusedError | undefined> {
  let release: (() => Promise<void>) | undefined;
  let temp: string | undefined;
  try {
    const target = inspect(file);
    release = await lockFileAsync(target);
    const opened = await openTempAsync(target);
    temp = opened.temp;
    try {
      await opened.handle.sync();
    } catch (error) {
      throw ioError(file, error, '; nothing was written');
    } finally {
      await opened.handle.close();
    }
    checkUnchanged(target);
    try {
      if (hardLinked(target)) copyIntoPlace(target, temp);
      else await rename(temp, target.real);
    } catch (error) {
      throw ioError(file, error, '; nothing was written');
    }
    if (hardLinked(target)) await unlink(temp).catch(() => undefined);
    pendingTemps.delete(temp);
    return undefined;
  } catch (error) {
    if (error instanceof WriteRefusedError) return error;
    throw error;
  } finally {
    if (temp && pendingTemps.has(temp)) {
      await unlink(temp).catch(() => undefined);
      pendingTemps.delete(temp);
    }
    await release?.();
  }
}

/** Resolves links and checks what can be checked before any byte is written. */
function inspect(file: FileToWrite): Target {
  let real: string;
  try {
    real = realpathSync(file.path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(file, error, '');
    // A new file (or a dangling link: refuse rather than create something unexpected).
    if (isLink(file.path)) {
      throw new WriteRefusedError(
        'not-a-file',
        'is a symbolic link to a missing file; nothing was written.',
        'Fix or remove the link.',
        file.display,
      );
    }
    return { file, real: path.resolve(file.path) };
  }
  const stats = statSync(real);
  if (!stats.isFile()) {
    throw new WriteRefusedError(
      'not-a-file',
      'is not a regular file; nothing was written.',
      'Pass a file.',
      file.display,
    );
  }
  if (!isWritable(real, stats)) {
    throw new WriteRefusedError(
      'read-only',
      'is read-only; nothing was written.',
      'Make it writable (chmod u+w) if it should change, or leave it out.',
      file.display,
    );
  }
  return { file, real, stats };
}

/** Like ESLint --fix and Prettier: a file without write permission is not replaced, even by root. */
function isWritable(file: string, stats: Stats): boolean {
  if ((stats.mode & 0o222) === 0) return false;
  try {
    accessSync(file, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** lstat sees the link itself even when its target is missing. */
function isLink(file: string): boolean {
  return lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
}

/** The file must still be valid UTF-8 holding exactly `original` (and, for a new file, still be absent). */
function checkUnchanged(target: Target): void {
  const { file, real } = target;
  if (file.original === undefined) return;
  // The common case, chunk by chunk: the bytes are exactly the UTF-8 of `original` (so valid UTF-8 too).
  try {
    if (holdsExactly(real, file.original)) return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw changed(file);
    throw ioError(file, error, '; nothing was written');
  }
  // Otherwise say why: not UTF-8, or changed.
  let bytes: Buffer;
  try {
    bytes = readFileSync(real);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw changed(file);
    throw ioError(file, error, '; nothing was written');
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad !== undefined) {
    const { line, column } = lineAndColumnOfByte(bytes, bad);
    throw new WriteRefusedError(
      'not-utf8',
      `is not UTF-8 text (byte 0x${bytes[bad].toString(16).padStart(2, '0')} at offset ${bad}); nothing was written.`,
      'Convert it to UTF-8 (e.g. iconv -f latin1 -t utf-8) and run again.',
      file.display,
      line,
      column,
    );
  }
  if (bytes.toString('utf8') !== file.original) throw changed(file);
}

/**
 * True when the file's bytes are exactly the UTF-8 encoding of `text`, read and compared a chunk at a time (a
 * 43 MB document is not read whole and decoded again). Throws what reading throws.
 */
function holdsExactly(file: string, text: string): boolean {
  const fd = openSync(file, 'r');
  try {
    let read = Buffer.alloc(0);
    let position = 0;
    for (const expected of utf8Chunks(text)) {
      if (read.length < expected.length) read = Buffer.alloc(expected.length);
      if (readFully(fd, read, expected.length, position) !== expected.length) return false;
      if (!read.subarray(0, expected.length).equals(expected)) return false;
      position += expected.length;
    }
    return readSync(fd, Buffer.alloc(1), 0, 1, position) === 0;
  } finally {
    closeSync(fd);
  }
}

/** Reads up to `length` bytes at `position` into `buffer`; fewer only at the end of the file. */
function readFully(fd: number, buffer: Buffer, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const count = readSync(fd, buffer, done, length - done, position + done);
    if (count === 0) break;
    done += count;
  }
  return done;
}

function changed(file: FileToWrite): WriteRefusedError {
  return new WriteRefusedError(
    'changed',
    'changed while mtls-fix ran; nothing was written.',
    'Run again.',
    file.display,
  );
}

/** An advisory lock (proper-lockfile's `<file>.lock` folder) held until the rename is done. */
function lockFile(target: Target): () => void {
  // Loaded on first write only: proper-lockfile installs signal handlers when it loads.
  const lockfile = require('proper-lockfile') as typeof ProperLockfile;
  try {
    return lockfile.lockSync(target.real, { realpath: false, stale: 10_000 });
  } catch (error) {
    throw lockError(target, error);
  }
}

function lockError(target: Target, error: unknown): WriteRefusedError {
  if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
    return new WriteRefusedError(
      'locked',
      'is being written by another mtls-fix run; nothing was written.',
      'Run again when it has finished.',
      target.file.display,
    );
  }
  return ioError(target.file, error, '; nothing was written');
}

/** {@link lockFile} with the lock folder made (and later removed) in the thread pool. */
async function lockFileAsync(target: Target): Promise<() => Promise<void>> {
  const lockfile = require('proper-lockfile') as typeof ProperLockfile;
  try {
    return await lockfile.lock(target.real, { realpath: false, stale: 10_000 });
  } catch (error) {
    throw lockError(target, error);
  }
}

/** Writes the temp file beside the target with its mode, owner and group, and fsyncs it. */
function writeTemp(target: Target): string {
  const { temp, fd } = openTemp(target);
  try {
    fsyncSync(fd);
  } catch (error) {
    throw ioError(target.file, error, '; nothing was written');
  } finally {
    closeSync(fd);
  }
  return temp;
}

/** Writes the temp file beside the target with its mode, owner and group; returns it open, not yet fsynced. */
function openTemp(target: Target): { temp: string; fd: number } {
  const { real, stats, file } = target;
  const temp = tempName(real);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', stats ? stats.mode & 0o7777 : 0o666);
    pendingTemps.add(temp);
    // A chunk at a time: a 43 MB document is not encoded whole beside its text.
    for (const bytes of utf8Chunks(file.text)) {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    }
    if (stats) {
      fchmodSync(fd, stats.mode & 0o7777); // open() applied the umask
      keepOwner(fd, stats);
    }
    return { temp, fd };
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    throw ioError(file, error, '; nothing was written');
  }
}

/** {@link openTemp} with each step in the thread pool; returns the temp file open, not yet fsynced. */
async function openTempAsync(target: Target): Promise<{ temp: string; handle: FileHandle }> {
  const { real, stats, file } = target;
  const temp = tempName(real);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx', stats ? stats.mode & 0o7777 : 0o666);
    pendingTemps.add(temp);
    const bytes = Buffer.from(file.text, 'utf8');
    let written = 0;
    while (written < bytes.length)
      written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
    if (stats) {
      await handle.chmod(stats.mode & 0o7777); // open() applied the umask
      keepOwner(handle.fd, stats);
    }
    return { temp, handle };
  } catch (error) {
    await handle?.close();
    if (pendingTemps.delete(temp)) await unlink(temp).catch(() => undefined);
    throw ioError(file, error, '; nothing was written');
  }
}

function tempName(real: string): string {
  return path.join(
    path.dirname(real),
    `.${path.basename(real)}.mtls-fix-${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`,
  );
}

/** A file with more than one hard link: a rename would leave its other names on the old text. */
function hardLinked(target: Target): boolean {
  return (target.stats?.nlink ?? 1) > 1;
}

/**
 * Writes the new text into the file itself, as editors do for a file with several hard links (vim's
 * `backupcopy=auto`): every name keeps pointing at it. Not atomic, so it runs only after the temp file holds the
 * whole new text, fsynced, and the caller removes that temp file only after this returns: if the copy fails half
 * way, the temp file is kept (not removed by the callers) and the error names it. Throws a WriteRefusedError ('io').
 */
function copyIntoPlace(target: Target, temp: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(target.real, 'r+');
    let position = 0;
    for (const bytes of utf8Chunks(target.file.text)) {
      let written = 0;
      while (written < bytes.length)
        written += writeSync(fd, bytes, written, bytes.length - written, position + written);
      position += bytes.length;
    }
    ftruncateSync(fd, position);
    fsyncSync(fd);
  } catch (error) {
    if (fd === undefined) throw error; // nothing was written to the file
    // Half written: the temp file, which holds the whole new text, is kept and named.
    pendingTemps.delete(temp);
    throw ioError(
      target.file,
      error,
      ` while writing it in place (it has several hard links); its new text is in ${temp}`,
    );
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Keeps uid/gid where the process may set them (root may; others may keep their own group). */
function keepOwner(fd: number, stats: Stats): void {
  const uid = process.getuid?.();
  const gid = process.getgid?.();
  if (uid === stats.uid && gid === stats.gid) return;
  try {
    fchownSync(fd, stats.uid, stats.gid);
  } catch {
    try {
      fchownSync(fd, uid ?? stats.uid, stats.gid); // at least the group, when we belong to it
    } catch {
      // not permitted: the file keeps our ownership, as a plain write by another user would not allow anyway
    }
  }
}

function registerCleanup(): void {
  if (cleanupRegistered) return;
  cleanupRegistered = true;
  // Registered once for the life of the process: removing the last handler would drop a signal that
  // arrived during a (synchronous) write before Node dispatched it.
  const { onExit } = require('signal-exit') as typeof SignalExit;
  onExit(() => {
    for (const temp of pendingTemps) removeQuietly(temp);
    pendingTemps.clear();
  });
}

function ioError(file: FileToWrite, error: unknown, tail: string): WriteRefusedError {
  if (error instanceof WriteRefusedError) return error;
  const { code, message } = error as NodeJS.ErrnoException;
  return new WriteRefusedError(
    'io',
    `cannot write (${code ?? message})${tail}.`,
    'Check the path, free space and permissions.',
    file.display,
  );
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // never created, or already gone
  }
  pendingTemps.delete(file);
}
