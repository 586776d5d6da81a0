import { compareText } from '../util/compare.js';
import type { DocumentSet } from './document-set.js';
import { HTTP_METHODS } from './operations.js';
import { encodePointer, type JsonPath } from './pointer.js';

/** A remote `$ref` that was skipped (`allowRemoteRefs`), and what the model could not read because of it. */
export interface SkippedRemoteRef {
  ref: string;
  /** Absolute path of the file where the `$ref` is written. */
  source: string;
  /** 1-based line of the `$ref`, when the locator finds it. */
  line?: number;
  /** JSON pointer of the `$ref` key in its file. */
  pointer: string;
  /**
   * What was not read, in words: `path item /b: its operations were not checked`, `operation GET /a: not
   * checked`, `security scheme clientCert: whether it means mTLS is unknown`, `response 403: its content was
   * not read`, or the pointer.
   */
  what: string;
}

const METHODS: ReadonlySet<string> = new Set(HTTP_METHODS);

/**
 * Every remote `$ref` the document set skipped so far (remote refs are never fetched; under `allowRemoteRefs`
 * they are skipped instead of failing the run), in the order met, each with what it hid. Read it after the
 * analysis (and, for `fix`, the plan): a `$ref` is only met when something follows it.
 */
export function remoteRefsSkipped(set: DocumentSet): SkippedRemoteRef[] {
  const skipped = set.skippedRemote.map(({ file, path, value }): SkippedRemoteRef => {
    const range = file.rangeOf(path, true);
    return {
      ref: value,
      source: file.path,
      line: range ? range.start.line + 1 : undefined,
      pointer: encodePointer(path),
      what: describe(file === set.root, path),
    };
  });
  // In the order a reader meets them: file by file (the root first), line by line.
  const rank = (skip: SkippedRemoteRef): number => (skip.source === set.root.path ? 0 : 1);
  return skipped.sort(
    (a, b) => rank(a) - rank(b) || compareText(a.source, b.source) || (a.line ?? 0) - (b.line ?? 0),
  );
}

/** What the node holding the `$ref` at `path` (ending in `$ref`) is, read from where it is written. */
function describe(inRoot: boolean, path: JsonPath): string {
  const at = path.slice(0, -1).map(String);
  const last = at[at.length - 1];
  const parent = at[at.length - 2];
  if (inRoot && at.length === 2 && at[0] === 'paths')
    return `path item ${last}: its operations were not checked`;
  if (last !== undefined && METHODS.has(last)) {
    const where = inRoot && at[0] === 'paths' && at.length === 3 ? ` ${at[1]}` : '';
    return `operation ${last.toUpperCase()}${where}: not checked`;
  }
  if (parent === 'securitySchemes' || parent === 'securityDefinitions')
    return `security scheme ${last}: whether it means mTLS is unknown`;
  if (parent === 'responses') return `response ${last}: its content was not read`;
  return encodePointer(at) || '/';
}
