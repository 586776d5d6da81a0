import { isObject } from '../openapi/pointer.js';
import type { SpecVersion } from '../openapi/version.js';

/**
 * The kept response with the removed 403's documentation folded in: descriptions joined, missing content
 * types, headers and examples added, differing schemas as `oneOf` (OAS 3 only; Swagger 2.0 has no oneOf, so
 * its schema stays and a note says so).
 */
export function mergeResponses(
  kept: Record<string, unknown>,
  removed: Record<string, unknown>,
  version: SpecVersion,
): { merged: Record<string, unknown>; notes: string[] } {
  const merged = structuredClone(kept);
  const notes: string[] = [];
  if (typeof removed.description === 'string' && removed.description !== kept.description) {
    merged.description =
      typeof kept.description === 'string'
        ? `${kept.description}\n\n${removed.description}`
        : removed.description;
  }
  addMissing(merged, 'headers', removed.headers);
  if (version.kind === 'swagger2') {
    addMissing(merged, 'examples', removed.examples);
    if (removed.schema !== undefined && kept.schema === undefined) merged.schema = removed.schema;
    else if (removed.schema !== undefined && !sameJson(removed.schema, kept.schema)) {
      notes.push('the 403 schema differs and Swagger 2.0 has no oneOf: fold it in by hand');
    }
    return { merged, notes };
  }
  if (isObject(removed.content)) {
    const content = isObject(merged.content) ? merged.content : {};
    for (const [type, media] of Object.entries(removed.content)) {
      const existing = content[type];
      if (!isObject(existing) || !isObject(media)) {
        if (existing === undefined) content[type] = media;
        continue;
      }
      if (media.schema !== undefined && existing.schema === undefined) existing.schema = media.schema;
      else if (media.schema !== undefined && !sameJson(media.schema, existing.schema)) {
        existing.schema = { oneOf: [existing.schema, media.schema] };
      }
      addMissing(existing, 'examples', media.examples);
      if (media.example !== undefined && existing.example === undefined && existing.examples === undefined) {
        existing.example = media.example;
      }
    }
    merged.content = content;
  }
  return { merged, notes };
}

function addMissing(target: Record<string, unknown>, key: string, from: unknown): void {
  if (!isObject(from)) return;
  const into = isObject(target[key]) ? target[key] : {};
  for (const [name, value] of Object.entries(from)) if (into[name] === undefined) into[name] = value;
  if (Object.keys(into).length > 0) target[key] = into;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
