import type { DocumentSet, Located } from './document-set.js';
import type { Operation } from './operations.js';
import { isObject } from './pointer.js';
import { shapeError } from './shape.js';

/** A response key of an operation that matters to us, where it is written, and the refs behind its value. */
export interface ResponseEntry {
  /** As written, normalised to a string: `403`, `4XX`. */
  code: string;
  /** Where the key sits (the operation's own `responses`, or a shared responses map it refs). */
  location: Located;
  /** `$ref`s followed from the entry to its definition, in order; empty for an inline response. */
  refs: string[];
}

/** The operation's `responses` entries for which `select(code)` holds; `$ref` chains are followed and checked. */
export function responseEntries(
  set: DocumentSet,
  operation: Operation,
  select: (code: string) => boolean,
): ResponseEntry[] {
  const written: Located = {
    file: operation.location.file,
    path: [...operation.location.path, 'responses'],
    value: operation.location.value.responses,
  };
  const responses =
    isObject(written.value) && typeof written.value.$ref === 'string' ? set.follow(written) : written;
  if (!responses || responses.value === undefined) return [];
  if (!isObject(responses.value)) throw shapeError(set, responses, 'a map');
  const entries: ResponseEntry[] = [];
  for (const [code, value] of Object.entries(responses.value)) {
    if (!select(code)) continue;
    const location: Located = { file: responses.file, path: [...responses.path, code], value };
    const followed = set.follow(location);
    if (followed && !isObject(followed.value)) throw shapeError(set, followed, 'a map');
    entries.push({ code, location, refs: followed?.refs ?? [] });
  }
  return entries;
}

/** `403` written as `'403'`, `"403"` or the YAML integer `403` (all become the key "403"). */
export function isForbiddenCode(code: string): boolean {
  return code.trim() === '403';
}

/** The `4XX` range (case-insensitive: `4xx` is invalid but written in the wild). */
export function isClientErrorRange(code: string): boolean {
  return code.trim().toUpperCase() === '4XX';
}
