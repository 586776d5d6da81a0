import type { MtlsFixError } from '../errors.js';
import type { DocumentSet, Located } from './document-set.js';
import { describeValue } from './shape.js';

/**
 * The `x-mtls` marker at `at` (its value and where it is written): `true`, `false`, or `undefined` when absent.
 * Any other value (`yes`, `on`, `'true'`, `1`: YAML 1.2 and JSON read them as strings or numbers, not booleans)
 * is an input error at the key (ESHAPE), never read as "no marker": a document saying `x-mtls: yes` declares
 * mTLS, and reading it as undeclared would pass its 403s as unchecked.
 */
export function markerValue(set: DocumentSet, at: Located): boolean | undefined {
  if (at.value === undefined || typeof at.value === 'boolean') return at.value;
  throw markerError(set, at);
}

function markerError(set: DocumentSet, at: Located): MtlsFixError {
  return set.error(
    'ESHAPE',
    `'x-mtls' must be true or false, not ${describeValue(at.value)}.`,
    'Write x-mtls: true (or false) without quotes: YAML reads yes, on and quoted values as strings.',
    at,
  );
}
