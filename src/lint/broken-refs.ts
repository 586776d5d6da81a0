import type { SourceFile } from '../openapi/index.js';
import { DEFAULT_RANGE, type Range } from '../openapi/index.js';
import type { LintResult } from './types.js';

/** Spectral's code for a `$ref` its resolver cannot follow (stock `spectral lint` reports it with any ruleset). */
export const INVALID_REF_RULE = 'invalid-ref';

/**
 * The local `$ref`s (`#/...`) of a document's root file that point at nothing, as stock Spectral reports them
 * (`invalid-ref`, error, `'#/components/schemas/x' does not exist`, at the `$ref` value): mtls-fix lint resolves
 * `$ref`s only where it reads (responses, security), so a broken one elsewhere (a schema) passed unnamed, and
 * `spectral lint` with the same ruleset reported one result more (session 32, Berlin Group's
 * psd2-confirmation-of-funds-consent document in adorsys/xs2a). References to other files are not checked here.
 */
export function brokenLocalRefs(root: SourceFile): LintResult[] {
  const results: LintResult[] = [];
  const visit = (node: unknown, path: (string | number)[]): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...path, index]));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === '$ref' && typeof value === 'string') {
        if (value.startsWith('#') && !resolves(root.data, value))
          results.push({
            code: INVALID_REF_RULE,
            message: `'${value}' does not exist`,
            path: [...path, key],
            severity: 0,
            source: root.path,
            range: valueRange(root, [...path, key]),
          });
        continue;
      }
      visit(value, [...path, key]);
    }
  };
  visit(root.data, []);
  return results;
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
  let pointer: string;
  try {
    pointer = decodeURIComponent(ref.slice(1));
  } catch {
    return false;
  }
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
