import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocumentSet, SourceFile } from '../openapi/index.js';
import { DEFAULT_RANGE, type JsonPath, type Range } from '../openapi/index.js';
import type { LintHint, LintResult } from './types.js';

/** Spectral's code for a `$ref` its resolver cannot follow (stock `spectral lint` reports it with any ruleset). */
export const INVALID_REF_RULE = 'invalid-ref';

/** A remote (`http:` / `https:` / `//`) `$ref`: never fetched by mtls-fix (no network at run time). */
export interface RemoteRefNotFollowed {
  ref: string;
  /** Absolute path of the file where it is written. */
  source: string;
  /** 1-based line of the `$ref`. */
  line: number;
}

/** What {@link brokenRefs} found: the `invalid-ref` results and the remote `$ref`s it did not follow. */
export interface BrokenRefs {
  results: LintResult[];
  remote: RemoteRefNotFollowed[];
}

const REMOTE = /^(https?:)?\/\//i;

/**
 * The `$ref`s of a document that lead nowhere, as stock Spectral 6 reports them (`invalid-ref`, error), checked in
 * what Spectral's resolver crawls: the whole root file, and in other files the parts a `$ref` leads to (and what
 * their own `$ref`s lead to), each once. Messages and places are Spectral 6.16's, measured with `spectral lint` on
 * fixtures (test/lint/broken-refs.test.ts):
 * - a local `#/x` of the root that points at nothing: `'#/x' does not exist`, at the `$ref` value;
 * - a local `#/x` in another file: the same message, the path inside that file, range 0:0, source the root;
 * - a pointer missing in an existing file: `'#/x' does not exist @ '<absolute file>'`, the path of the pointer plus
 *   `$ref`, range 0:0, source the root;
 * - a file that does not exist: `ENOENT: no such file or directory, open '<absolute file>'`, at the `$ref` value
 *   when written in the root, else at 0:0 with that file as source.
 * Remote `$ref`s are not fetched (Spectral would fetch them, or report a FetchError offline): they are returned in
 * `remote`, for lint to name as not followed. mtls-fix lint resolves `$ref`s only where it reads (responses,
 * security), so before session 32 a broken local one elsewhere passed unnamed, and before session 33 one into
 * another file (`./schemas.yaml#/Foo` to a missing file or pointer) too, while `spectral lint` with the same
 * ruleset reported it.
 */
export function brokenRefs(set: DocumentSet): BrokenRefs {
  const root = set.root;
  const results: LintResult[] = [];
  const remote: RemoteRefNotFollowed[] = [];
  const seen = new Set<string>();
  const pending: { file: SourceFile; at: JsonPath; node: unknown }[] = [
    { file: root, at: [], node: root.data },
  ];
  const invalid = (message: string, where: JsonPath, source: string, range: Range): void => {
    results.push({ code: INVALID_REF_RULE, message, path: where, severity: 0, source, range });
  };
  const onRef = (file: SourceFile, ref: string, at: JsonPath): void => {
    const inRoot = file === root;
    const hash = ref.indexOf('#');
    const target = hash === -1 ? ref : ref.slice(0, hash);
    const fragment = hash === -1 ? '' : ref.slice(hash);
    if (REMOTE.test(target)) {
      remote.push({ ref, source: file.path, line: (file.rangeOf(at, true) ?? DEFAULT_RANGE).start.line + 1 });
      return;
    }
    if (/^[a-z][a-z0-9+.-]+:/i.test(target) && !/^file:/i.test(target)) return;
    // A fragment that is not a JSON pointer (`#components/x`): Spectral's message, at 0:0 under `$ref`.
    if (fragment.length > 1 && !fragment.startsWith('#/')) {
      invalid(`'${fragment}' JSON pointer is invalid`, ['$ref'], root.path, DEFAULT_RANGE);
      return;
    }
    if (target === '') {
      if (!resolves(file.data, fragment))
        invalid(`'${ref}' does not exist`, at, root.path, inRoot ? valueRange(file, at) : DEFAULT_RANGE);
      else if (!inRoot) queue(file, fragment);
      return;
    }
    let absolute: string;
    try {
      absolute = /^file:/i.test(target)
        ? fileURLToPath(target)
        : path.resolve(path.dirname(file.path), decodeURIComponent(target));
    } catch {
      // Not percent-decodable (`comm%ZZon.yaml`): Spectral opens the name as written (and reports ENOENT).
      absolute = path.resolve(path.dirname(file.path), target);
    }
    if (!existsSync(absolute)) {
      invalid(
        `ENOENT: no such file or directory, open '${absolute}'`,
        at,
        file.path,
        inRoot ? valueRange(file, at) : DEFAULT_RANGE,
      );
      return;
    }
    let other: SourceFile;
    try {
      const located = set.resolve(file, target, at);
      if (!located) return;
      other = located.file;
    } catch (error) {
      // Not data (invalid YAML, not UTF-8...): the readers name it when they need it; Spectral reports its parse error.
      invalid(
        error instanceof Error ? error.message : String(error),
        at,
        file.path,
        inRoot ? valueRange(file, at) : DEFAULT_RANGE,
      );
      return;
    }
    const pointer = fragment === '' ? '#' : fragment;
    if (!resolves(other.data, pointer)) {
      invalid(
        `'${pointer}' does not exist @ '${other.path}'`,
        [...pointerPath(pointer), '$ref'],
        root.path,
        DEFAULT_RANGE,
      );
      return;
    }
    if (other !== root) queue(other, pointer);
  };
  const queue = (file: SourceFile, pointer: string): void => {
    const key = `${file.path}\0${pointer}`;
    if (seen.has(key)) return;
    seen.add(key);
    const at = pointerPath(pointer);
    pending.push({ file, at, node: nodeAt(file.data, at) });
  };
  const visit = (file: SourceFile, node: unknown, at: JsonPath): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(file, item, [...at, index]));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === '$ref' && typeof value === 'string') onRef(file, value, [...at, key]);
      else visit(file, value, [...at, key]);
    }
  };
  for (let next = pending.shift(); next; next = pending.shift()) visit(next.file, next.node, next.at);
  return { results, remote };
}

/** How many remote `$ref`s the hint names one by one; the rest are counted. */
const REMOTE_NAMED = 5;

/**
 * The hint for the remote `$ref`s {@link brokenRefs} did not follow (mtls-fix never fetches): where each is, so a
 * run that could not look behind them does not read as if it had. Undefined when there is none.
 */
export function remoteRefsNotFollowedHint(
  remote: readonly RemoteRefNotFollowed[],
  display: (file: string) => string,
): LintHint | undefined {
  const first = remote[0];
  if (!first) return undefined;
  const named = remote
    .slice(0, REMOTE_NAMED)
    .map((ref) => `'${ref.ref}' at ${display(ref.source)}:${ref.line}`);
  const more = remote.length > REMOTE_NAMED ? `; and ${remote.length - REMOTE_NAMED} more` : '';
  const count = remote.length === 1 ? '1 remote $ref was' : `${remote.length} remote $refs were`;
  return {
    source: first.source,
    line: first.line,
    terms: [],
    message:
      `${display(first.source)}:${first.line}: ${count} not followed (mtls-fix never fetches), so whether it ` +
      `leads anywhere was not checked: ${named.join('; ')}${more}. Bundle the document with its remote parts ` +
      `(e.g. \`redocly bundle\`) and lint the bundle to check them.`,
  };
}

/** The path segments of a JSON pointer fragment (`#/a/b~1c`, percent-encoded); empty when it cannot be read. */
function pointerPath(fragment: string): JsonPath {
  const pointer = decodedAsSpectral(fragment.slice(1));
  if (!pointer.startsWith('/')) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * A fragment percent-decoded as Spectral's resolver does: as written when it cannot be decoded (`a%ZZb` is looked
 * up as the key `a%ZZb`). The readers name such a `$ref` instead (`cannot be decoded`, an mtls-fix-input error).
 */
function decodedAsSpectral(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The node at `at` of `data` (undefined on the way: undefined). */
function nodeAt(data: unknown, at: JsonPath): unknown {
  let node = data;
  for (const segment of at) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[String(segment)];
  }
  return node;
}

/**
 * The range of the `$ref` value (what Spectral ranges): the pair's range with the key and its `:` skipped when the
 * range starts at the key (`$ref: "#/x"` -> `"#/x"`).
 */
function valueRange(root: SourceFile, path: (string | number)[]): Range {
  const range = root.rangeOf(path, true) ?? DEFAULT_RANGE;
  const line = root.text.split('\n')[range.start.line] ?? '';
  const key = /^["']?\$ref["']?[ \t]*:[ \t]*/.exec(line.slice(range.start.character));
  return key
    ? { ...range, start: { ...range.start, character: range.start.character + key[0].length } }
    : range;
}

/**
 * Whether the JSON pointer of a local `$ref` (`#/a/b~1c`, percent-encoded) leads to a value in `data`, or passes
 * through a map written as a `$ref` (not followed here: taken as leading somewhere).
 */
function resolves(data: unknown, ref: string): boolean {
  const pointer = decodedAsSpectral(ref.slice(1));
  if (pointer === '') return true;
  if (!pointer.startsWith('/')) return false;
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    // A map written as a `$ref` (`responses: {$ref: ./responses.yaml}`, OBIE's split sources): the pointer goes on
    // in what it references, which is not checked here (the readers resolve it), so it is not called broken.
    if (
      node !== null &&
      typeof node === 'object' &&
      !Object.hasOwn(node, segment) &&
      Object.hasOwn(node, '$ref')
    )
      return true;
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) return false;
    node = (node as Record<string, unknown>)[segment];
  }
  return true;
}
