import type { IgnoreEntry } from '../config/schema.js';
import type { Located } from '../openapi/document-set.js';
import { operationName, type Operation } from '../openapi/operations.js';
import { isObject } from '../openapi/pointer.js';

/** The document extension that suppresses the findings of an operation, path item or response. */
export const IGNORE_EXTENSION = 'x-mtls-fix-ignore';

/** Why a finding is suppressed, and who said so. */
export interface Suppression {
  reason: string;
  /** `x-mtls-fix-ignore` on the operation, path item or response; or an entry of config `ignore`. */
  by: 'operation' | 'path-item' | 'response' | 'config';
}

/** A suppression, or a note for the message when an `x-mtls-fix-ignore` is there but gives no reason. */
export type IgnoreDecision = { suppression: Suppression } | { note: string } | undefined;

/**
 * Decides whether the finding of `rule` on `operation` (its response entry `response`) is suppressed:
 * `x-mtls-fix-ignore: "<reason>"` on the response (the entry or the response it refs), the operation
 * or its path item, else a config `ignore` entry naming the operation (and the rule, if it names one).
 * The reason is required: a marker without one suppresses nothing and says so.
 */
export function ignoreDecision(
  /** The rule id (`mtls-no-403`, `mtls-4xx-range`); findings.ts imports this module, so not its type. */
  rule: string,
  operation: Operation,
  response: Located,
  followedResponse: unknown,
  entries: readonly IgnoreEntry[],
): IgnoreDecision {
  const markers: [Suppression['by'], unknown][] = [
    ['response', isObject(response.value) ? response.value[IGNORE_EXTENSION] : undefined],
    ['response', isObject(followedResponse) ? followedResponse[IGNORE_EXTENSION] : undefined],
    ['operation', operation.location.value[IGNORE_EXTENSION]],
    ['path-item', operation.pathItem[IGNORE_EXTENSION]],
  ];
  let note: string | undefined;
  for (const [by, value] of markers) {
    if (value === undefined) continue;
    if (typeof value === 'string' && value.trim() !== '')
      return { suppression: { reason: value.trim(), by } };
    note ??= `${IGNORE_EXTENSION} on the ${by.replace('-', ' ')} has no reason: write the reason as its string value`;
  }
  if (entries.length === 0) return note ? { note } : undefined;
  const name = operationName(operation).toLowerCase();
  const entry = entries.find(
    (candidate) =>
      (candidate.rule === undefined || candidate.rule === rule) &&
      normalizeOperation(candidate.operation) === name,
  );
  if (entry) return { suppression: { reason: entry.reason, by: 'config' } };
  return note ? { note } : undefined;
}

/** `get  /x` and `GET /x` name the same operation (the form config `ignore` entries are compared in). */
export function normalizeOperation(text: string): string {
  return text.trim().replace(/\s+/, ' ').toLowerCase();
}
