import type { DocumentSet, Located, RefCache } from './document-set.js';
import type { Operation } from './operations.js';
import { isObject } from './pointer.js';
import { shapeError } from './shape.js';
import type { JsonPath } from './pointer.js';
import type { SourceFile } from './source.js';
import { yaml11ForbiddenKey } from './yaml11.js';

/** A response key of an operation that matters to us, where it is written, and the refs behind its value. */
export interface ResponseEntry {
  /** As written, normalised to a string: `403`, `4XX`; `4_03` for a key only YAML 1.1 reads as 403. */
  code: string;
  /**
   * The status it stands for: `code`, except `403` for a plain YAML key that YAML 1.1 readers read as 403 while
   * YAML 1.2 does not (`4_03`, `0623`, `6:43`; see src/openapi/yaml11.ts).
   */
  status: string;
  /** Where the key sits (the operation's own `responses`, or a shared responses map it refs). */
  location: Located;
  /** `$ref`s followed from the entry to its definition, in order; empty for an inline response. */
  refs: string[];
  /** The Response Object the entry is, after its `$ref`s; undefined behind a skipped remote `$ref`. */
  response: Record<string, unknown> | undefined;
}

/**
 * The operation's `responses` entries for which `select(code)` holds; `$ref` chains are followed and checked
 * (a broken one throws the MtlsFixError that names it). `refs`: see {@link DocumentSet.follow}. `others`, when
 * given, is called with every other entry (not followed): the caller decides what a broken one of those means.
 */
export function responseEntries(
  set: DocumentSet,
  operation: Operation,
  select: (code: string) => boolean,
  refs?: RefCache,
  others?: (entry: Located) => void,
): ResponseEntry[] {
  const written: Located = {
    file: operation.location.file,
    path: [...operation.location.path, 'responses'],
    value: operation.location.value.responses,
  };
  const responses =
    isObject(written.value) && typeof written.value.$ref === 'string' ? set.follow(written, refs) : written;
  if (!responses || responses.value === undefined) return [];
  if (!isObject(responses.value)) throw shapeError(set, responses, 'a map');
  const entries: ResponseEntry[] = [];
  const map = responses.value;
  // Object.keys' order and keys (the enumerable check runs for selected codes only). Not Object.keys itself:
  // js-yaml stores `200`..`404` keys as sparse array elements, and listing them allocates ~10 KB a map.
  for (const code of Object.getOwnPropertyNames(map)) {
    const yaml11 = yaml11ForbiddenKey(responses.file, responses.path, code);
    const status = yaml11 ? '403' : code;
    const selected = select(status);
    if ((!selected && !others) || !Object.prototype.propertyIsEnumerable.call(map, code)) continue;
    const location: Located = { file: responses.file, path: [...responses.path, code], value: map[code] };
    if (!selected) {
      others?.(location);
      continue;
    }
    const followed = set.follow(location, refs);
    if (followed && !isObject(followed.value)) throw shapeError(set, followed, 'a map');
    entries.push({
      code,
      status,
      location,
      refs: followed?.refs ?? [],
      response: followed?.value as Record<string, unknown> | undefined,
    });
  }
  return entries;
}

/** `403` written as `'403'`, `"403"` or the YAML integer `403` (all become the key "403"). */
export function isForbiddenCode(code: string): boolean {
  return code.trim() === '403';
}

/**
 * The keys of a responses map (at `mapPath` in `file`) that stand for 403: {@link isForbiddenCode}, and in YAML
 * a plain key YAML 1.1 readers read as 403 (`4_03`, `0623`). In the map's key order.
 */
export function forbiddenKeys(file: SourceFile, mapPath: JsonPath, map: Record<string, unknown>): string[] {
  return Object.keys(map).filter((code) => isForbiddenCode(code) || yaml11ForbiddenKey(file, mapPath, code));
}

/**
 * The line of a range or `default` response's `description` that names a 403 (`| 403 | FORBIDDEN | The sender
 * does not have permissions… |`, `403: not allowed`), trimmed and cut to 80 characters; undefined when its
 * description names none. Such a response documents a 403 in words: the status the code answers and this text
 * change together, so a report that reads "may answer an undocumented 403" would hide it.
 */
export function forbiddenInDescription(response: Record<string, unknown> | undefined): string | undefined {
  const description = response?.description;
  if (typeof description !== 'string') return undefined;
  const line = description.split(/\r\n|\r|\n/).find((text) => /(?<![\w.])403(?![\w.])/.test(text));
  if (line === undefined) return undefined;
  const trimmed = line.trim().replace(/\s+/g, ' ');
  return trimmed.length > 80 ? `${trimmed.slice(0, 79)}…` : trimmed;
}

/** `default`: the response for every status the operation does not list, a 403 included. */
export function isDefaultCode(code: string): boolean {
  return code.trim() === 'default';
}

/** The `4XX` range (case-insensitive: `4xx` is invalid but written in the wild). */
export function isClientErrorRange(code: string): boolean {
  const trimmed = code.trim();
  // `trimmed.toUpperCase() === '4XX'` without a new string per response code.
  return trimmed.length === 3 && trimmed[0] === '4' && isX(trimmed[1]) && isX(trimmed[2]);
}

function isX(char: string): boolean {
  return char === 'X' || char === 'x';
}
