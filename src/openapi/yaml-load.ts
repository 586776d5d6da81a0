import jsYaml, { type EventType, type LoadOptions, type State } from 'js-yaml';

/**
 * Parses `text` as the model does (js-yaml with `options` and {@link compactSparseIndexKeys}) and returns the
 * data with a text equal to `text` that shares js-yaml's copy of it. Throws what js-yaml throws.
 *
 * Why: js-yaml parses its own copy of the input (`input + '\0'`, flattened: one more copy of the file), and its
 * string values of 13 characters or more are slices of that copy, which the data keeps alive. Keeping the
 * caller's text as well held the file twice (2 x 41 MB for gen-spec 20000). The returned text is a slice of
 * js-yaml's copy, checked equal to `text` (one comparison of the two); when it is not (another js-yaml), `text`
 * itself is returned.
 */
export function loadYamlSharingText(
  text: string,
  options: Omit<LoadOptions, 'listener'>,
): { data: unknown; text: string } {
  let input: string | undefined;
  const data = jsYaml.load(text, {
    ...options,
    listener(event, state) {
      input ??= state.input;
      compactSparseIndexKeys(event, state);
    },
  });
  const shared =
    input !== undefined && input !== text && input.startsWith(text) ? input.slice(0, text.length) : text;
  return { data, text: shared };
}

/**
 * A js-yaml `listener` that keeps maps with sparse integer-like keys small: a `responses` map (`'200'`, `'403'`,
 * `'404'`) costs ~4.8 KB instead of ~0.3 KB otherwise.
 *
 * Why: V8 stores keys that read as array indices (`'403'`) as elements. An object js-yaml has just created
 * (`{}`, young generation) that receives the key `'200'` gets a fast elements store sized from the index (~317
 * slots), grown again for `'400'`: about 600 slots of 8 bytes for four keys. V8 converts such a store to a
 * dictionary only when it is grown in the old generation or by a gap of 1,024 or more. Measured on gen-spec
 * 20000 (43 MB YAML, 80,000 responses maps, Node 20): the parsed data held 547 MB live, 187 MB with this
 * listener, and js-yaml's load took 5.8 s CPU instead of 3.6 s (less to copy and collect).
 *
 * What it does: when js-yaml closes a mapping whose integer-like keys are sparse (the largest is at least
 * {@link MIN_INDEX} and more than {@link SPARSENESS} times their count), it adds and deletes the key
 * `'4294967294'` (the largest array index: a gap past V8's limit), which converts the elements to a
 * dictionary in place. The map's keys, values, order (integer-like keys first, ascending, as for any object)
 * and identity (anchors, aliases) stay as they were; a map that has that key itself is left alone.
 */
export function compactSparseIndexKeys(event: EventType, state: State): void {
  if (event !== 'close' || state.kind !== 'mapping') return;
  const map = state.result as unknown;
  if (map === null || typeof map !== 'object') return;
  let count = 0;
  let largest = -1;
  // Integer-like keys come first in enumeration order, ascending: stop at the first other key.
  for (const key in map) {
    if (!isArrayIndex(key)) break;
    count++;
    largest = Number(key);
  }
  if (largest < MIN_INDEX || largest < SPARSENESS * count) return;
  const record = map as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(record, LARGEST_INDEX)) return;
  record[LARGEST_INDEX] = null;
  delete record[LARGEST_INDEX];
}

/** Below this largest key, the elements store is small whatever it holds. */
const MIN_INDEX = 32;
/** Sparse: the largest key exceeds the number of integer-like keys this many times (V8's own factor is 3). */
const SPARSENESS = 4;
/** 2^32 - 2, the largest array index. */
const LARGEST_INDEX = '4294967294';

/** True for a canonical array index: `0`, or digits without a leading zero, below 2^32 - 1. */
function isArrayIndex(key: string): boolean {
  const length = key.length;
  if (length === 0 || length > 10) return false;
  const first = key.charCodeAt(0);
  if (first < 48 || first > 57 || (first === 48 && length > 1)) return false;
  for (let i = 1; i < length; i++) {
    const code = key.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return length < 10 || Number(key) < 4294967295;
}
