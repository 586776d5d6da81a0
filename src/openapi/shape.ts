import type { MtlsFixError } from '../errors.js';
import type { DocumentSet, Located } from './document-set.js';
import { isObject } from './pointer.js';

/** What a value is, in the words of a message: `a list`, `the number 5`, `an empty value`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  const text = JSON.stringify(value) ?? typeof value;
  return `the ${typeof value} ${text.length > 30 ? `${text.slice(0, 30)}...` : text}`;
}

/**
 * An `ESHAPE` error at the node (`file:line:col (pointer): 'responses' must be a map, not a list.`): a
 * structurally broken document is an input error, never read as if the part were absent.
 */
export function shapeError(set: DocumentSet, at: Located, expected: 'a map' | 'a list'): MtlsFixError {
  const key = at.path.length > 0 ? `'${String(at.path[at.path.length - 1])}'` : 'the document';
  return set.error(
    'ESHAPE',
    `${key} must be ${expected}, not ${describeValue(at.value)}.`,
    'Fix the document structure (see the OpenAPI specification for this object).',
    at,
  );
}

/** Throws unless the node is a map; `undefined` (absent) passes when `optional`. */
export function expectMap(set: DocumentSet, at: Located, optional = true): void {
  if (optional && at.value === undefined) return;
  if (!isObject(at.value)) throw shapeError(set, at, 'a map');
}

/** Throws unless the node is a list; `undefined` (absent) passes when `optional`. */
export function expectList(set: DocumentSet, at: Located, optional = true): void {
  if (optional && at.value === undefined) return;
  if (!Array.isArray(at.value)) throw shapeError(set, at, 'a list');
}

/**
 * Throws unless the node is a list of maps (`security`, `servers`); `undefined` (absent) passes. The item at
 * fault is named: `'0' must be a map, not the string "m"`.
 */
export function expectListOfMaps(set: DocumentSet, at: Located): void {
  expectList(set, at);
  if (!Array.isArray(at.value)) return;
  at.value.forEach((item: unknown, index) =>
    expectMap(set, { file: at.file, path: [...at.path, index], value: item }, false),
  );
}
