import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MtlsFixError } from '../errors.js';
import { fileIdentity } from './file-identity.js';
import { decodePointer, encodePointer, getAtPath, isObject, undecodable, type JsonPath } from './pointer.js';
import { parseSource, readSourceFile, type SourceFile } from './source.js';

/** A node and where it lives: which file, at which path. */
export interface Located<T = unknown> {
  file: SourceFile;
  path: JsonPath;
  value: T;
}

/**
 * Where each `$ref` string written in a file leads, for {@link DocumentSet.follow}. Only valid while the data
 * does not change: make one per pass (e.g. one analysis of a document), never keep it across edits.
 */
export type RefCache = Map<SourceFile, Map<string, Located | undefined>>;

/** A node reached through zero or more `$ref`s; `refs` lists them in order, as written. */
export interface Followed<T = unknown> extends Located<T> {
  refs: string[];
}

export interface DocumentSetOptions {
  /** Remote (http/https) `$ref`s are an error unless allowed; allowed ones are never fetched, only skipped. */
  allowRemoteRefs?: boolean;
  /** Base for the relative file names in messages. */
  cwd?: string;
  /**
   * Texts to read instead of the disk, by absolute path (BOM included, as a write would store it): the files a
   * `fix --dry-run`/`--check` run has edited for an earlier document of the run but not written, so a later
   * document that shares them sees what a write would have left there.
   */
  texts?: ReadonlyMap<string, string>;
}

/**
 * The root document and every file reached through `$ref`, each parsed once.
 * Only the refs a caller follows are read: no whole-document resolve (DESIGN §7).
 */
export class DocumentSet {
  private readonly files = new Map<string, SourceFile>();
  /**
   * The same files by {@link fileIdentity}: one file reached under two names (a symlinked folder, a hard link)
   * is one SourceFile, read once, so its keys are shared (and edited) as one, never as two copies.
   */
  private readonly byIdentity = new Map<string, SourceFile>();
  /**
   * Every remote `$ref` skipped under `allowRemoteRefs` (never fetched), where it is written, first time each:
   * the parts behind them were not read, and the commands say so (see `remoteRefsSkipped` in src/openapi).
   */
  readonly skippedRemote: Located<string>[] = [];
  private readonly skippedKeys = new Set<string>();

  constructor(
    readonly root: SourceFile,
    private readonly options: DocumentSetOptions = {},
  ) {
    this.files.set(root.path, root);
    this.byIdentity.set(fileIdentity(root.path), root);
  }

  /** The files read so far (the root first), each once. */
  loadedFiles(): SourceFile[] {
    return [...new Set(this.files.values())];
  }

  static load(file: string, options: DocumentSetOptions = {}): DocumentSet {
    const cwd = options.cwd ?? process.cwd();
    return new DocumentSet(readFile(path.resolve(cwd, file), file, options.texts), options);
  }

  /** A path relative to the working folder, `/`-separated, for messages. */
  displayPath(file: SourceFile | string): string {
    const absolute = typeof file === 'string' ? file : file.path;
    const relative = path.relative(this.options.cwd ?? process.cwd(), absolute);
    return (relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative)
      .split(path.sep)
      .join('/');
  }

  /**
   * Follows `$ref` chains from a node until a node without `$ref`; detects cycles. Undefined for skipped remote
   * refs. `cache` (one per caller's pass over unchanging data, see {@link RefCache}) remembers where each
   * `$ref` string of a file leads, so a response shared by thousands of operations is resolved once.
   */
  follow<T = unknown>(start: Located, cache?: RefCache): Followed<T> | undefined {
    let current: Located = start;
    const refs: string[] = [];
    // The nodes visited so far: a chain is short, so comparing paths beats building a key string per hop.
    const visited: Located[] = [];
    for (;;) {
      const ref = isObject(current.value) ? current.value.$ref : undefined;
      if (typeof ref !== 'string') return { ...current, value: current.value as T, refs };
      if (visited.some((node) => node.file === current.file && samePath(node.path, current.path))) {
        throw this.error(
          'ECYCLE',
          `circular $ref chain: ${[...refs, ref].join(' -> ')}.`,
          'Break the cycle.',
          current,
        );
      }
      visited.push(current);
      let next: Located | undefined;
      const known = cache?.get(current.file);
      if (known?.has(ref)) next = known.get(ref);
      else {
        next = this.resolve(current.file, ref, [...current.path, '$ref']);
        if (cache) {
          if (known) known.set(ref, next);
          else cache.set(current.file, new Map([[ref, next]]));
        }
      }
      if (!next) return undefined;
      refs.push(ref);
      current = next;
    }
  }

  /** Resolves one `$ref` written at `at` in `from`. */
  resolve(from: SourceFile, ref: string, at: JsonPath): Located | undefined {
    const hash = ref.indexOf('#');
    const target = hash === -1 ? ref : ref.slice(0, hash);
    const pointer = hash === -1 ? '' : ref.slice(hash + 1);
    const where: Located = { file: from, path: at, value: ref };
    if (/^(https?:)?\/\//i.test(target)) {
      if (this.options.allowRemoteRefs) {
        const key = `${from.path}\0${encodePointer(at)}`;
        if (!this.skippedKeys.has(key)) {
          this.skippedKeys.add(key);
          this.skippedRemote.push({ file: from, path: at, value: ref });
        }
        return undefined;
      }
      throw this.error(
        'EREMOTE',
        `remote $ref '${ref}' is not fetched.`,
        'Bundle the document, or pass --allow-remote-refs to skip remote parts.',
        where,
      );
    }
    if (/^[a-z][a-z0-9+.-]+:/i.test(target) && !/^file:/i.test(target)) {
      throw this.error(
        'EREF',
        `unsupported $ref '${ref}'.`,
        'Use a local or relative file reference.',
        where,
      );
    }
    let file = from;
    if (target !== '') {
      const problem = /^file:/i.test(target) ? undefined : undecodable(target, false);
      if (problem)
        throw this.error(
          'EREF',
          `$ref '${ref}' cannot be decoded: ${problem}.`,
          'Percent-encode the file name correctly.',
          where,
        );
      let filePath: string;
      try {
        filePath = /^file:/i.test(target)
          ? fileURLToPath(target)
          : path.resolve(path.dirname(from.path), decodeURIComponent(target));
      } catch {
        throw this.error(
          'EREF',
          `malformed file reference in $ref '${ref}'.`,
          'Percent-encode it correctly.',
          where,
        );
      }
      file = this.file(filePath, ref, where);
    }
    const problem = pointer.startsWith('/') ? undecodable(pointer, true) : undefined;
    if (problem)
      throw this.error(
        'EREF',
        `$ref '${ref}' cannot be decoded: ${problem}.`,
        'Write the pointer as RFC 6901 says (~0 for ~, ~1 for /, %25 for %), as strict readers decode it.',
        where,
      );
    let targetPath: JsonPath;
    try {
      targetPath = decodePointer(pointer);
    } catch {
      throw this.error('EREF', `invalid JSON pointer in $ref '${ref}'.`, "Use '#/path/to/node'.", where);
    }
    const value = getAtPath(file.data, targetPath);
    if (value === undefined) {
      // `#/responses/403Error` where `responses` is itself `{$ref: ./responses.yaml}` (split Swagger sources such
      // as OBIE's, bundled by json-refs tools): the pointer goes on in the file that `$ref` leads to.
      const through = this.throughRef(file, targetPath);
      if (through) return through;
      throw this.error(
        'EREF',
        `unresolvable $ref '${ref}': ${pointer || '/'} not found in ${this.displayPath(file)}.`,
        'Fix the reference.',
        where,
      );
    }
    return { file, path: targetPath, value };
  }

  /**
   * The node at `targetPath` of `file` when a map on the way is a `$ref` (`{$ref: ./responses.yaml}`): the rest of
   * the pointer is read in the node that `$ref` leads to (again through any such map). Undefined when the pointer
   * does not lead anywhere that way either. Before session 24 such a pointer was "not found".
   */
  private throughRef(file: SourceFile, targetPath: JsonPath, depth = 0): Located | undefined {
    let node: unknown = file.data;
    for (let index = 0; index < targetPath.length; index++) {
      if (!isObject(node)) return undefined;
      const segment = String(targetPath[index]);
      if (segment in node) {
        node = node[segment];
        continue;
      }
      if (typeof node.$ref !== 'string' || depth > 20) return undefined;
      const here = this.follow({ file, path: targetPath.slice(0, index), value: node });
      if (!here) return undefined;
      const rest = targetPath.slice(index);
      const value = getAtPath(here.value, rest);
      if (value !== undefined) return { file: here.file, path: [...here.path, ...rest], value };
      const deeper = this.throughRef(here.file, [...here.path, ...rest], depth + 1);
      return deeper;
    }
    return undefined;
  }

  private file(filePath: string, ref: string, where: Located): SourceFile {
    const cached = this.files.get(filePath);
    if (cached) return cached;
    const identity = fileIdentity(filePath);
    const same = this.byIdentity.get(identity);
    if (same) {
      this.files.set(filePath, same);
      return same;
    }
    let file: SourceFile;
    try {
      file = readFile(filePath, this.displayPath(filePath), this.options.texts);
    } catch (error) {
      if (error instanceof MtlsFixError && (error.code === 'ENOENT' || error.code === 'EREAD')) {
        throw this.error('EREF', `unresolvable $ref '${ref}': ${error.message}`, 'Fix the reference.', where);
      }
      // A file that cannot be read as data (invalid YAML, not UTF-8...): its own line, and the `$ref` that led
      // there, so the document the user named is in the message.
      if (error instanceof MtlsFixError) {
        const range = where.file.rangeOf(where.path, true);
        const from = `${this.displayPath(where.file)}${range ? `:${range.start.line + 1}` : ''}`;
        throw new MtlsFixError(
          error.code,
          `${error.message.replace(/\.$/, '')} (reached through $ref '${ref}' at ${from}).`,
          error.hint,
          error.location,
        );
      }
      throw error;
    }
    this.files.set(filePath, file);
    this.byIdentity.set(identity, file);
    return file;
  }

  /** An error located at a node, with 1-based line and column when the locator finds it. */
  error(code: MtlsFixError['code'], message: string, hint: string, at: Located): MtlsFixError {
    const range = at.file.rangeOf(at.path, true);
    return new MtlsFixError(code, message, hint, {
      file: this.displayPath(at.file),
      line: range ? range.start.line + 1 : undefined,
      column: range ? range.start.character + 1 : undefined,
      key: encodePointer(at.path) || '/',
    });
  }
}

/** The file at `absolute`: its text from `texts` when given there, else from the disk (errors as readSourceFile). */
function readFile(absolute: string, displayName: string, texts?: ReadonlyMap<string, string>): SourceFile {
  const text = texts === undefined || texts.size === 0 ? undefined : stagedText(absolute, texts);
  return text === undefined
    ? readSourceFile(absolute, displayName)
    : parseSource(Buffer.from(text, 'utf8'), absolute, displayName);
}

/** The staged text of the file at `absolute`, also when it was staged under another name of the same file. */
function stagedText(absolute: string, texts: ReadonlyMap<string, string>): string | undefined {
  const direct = texts.get(absolute);
  if (direct !== undefined) return direct;
  const identity = fileIdentity(absolute);
  for (const [staged, text] of texts) if (fileIdentity(staged) === identity) return text;
  return undefined;
}

/** Whether two paths name the same node (`0` and `'0'` are the same segment, as in a JSON pointer). */
function samePath(a: JsonPath, b: JsonPath): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && String(a[i]) !== String(b[i])) return false;
  return true;
}
