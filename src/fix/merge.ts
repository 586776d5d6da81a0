import { isDeepStrictEqual } from 'node:util';
import { isObject, type JsonPath } from '../openapi/pointer.js';
import { DIFFERS, MEDIA_PARTS } from './conflict.js';
import type { DataOp } from './ops.js';

/** Response keys {@link mergeOps} folds in field by field, by version; every other key is folded in whole. */
const MERGED_PARTS = {
  swagger2: new Set(['$ref', 'description', 'headers', 'links', 'schema', 'examples']),
  openapi3: new Set(['$ref', 'description', 'headers', 'links', 'content']),
};

export interface MergePlan {
  ops: DataOp[];
  /** What was folded in, e.g. `header X-RateLimit-Limit`, `schema of application/json (oneOf)`. */
  added: string[];
  /** What could not be folded in and still needs a person. */
  left: string[];
}

/**
 * Folds the removed 403 into the kept response at `keptPath` (`--on-conflict merge`): descriptions joined,
 * differing schemas as `oneOf`, missing content types, headers, links and examples added, and every other key
 * the kept response lacks (extensions such as `x-error-codes`, a media type's `encoding`) copied. What both hold
 * with different values (a header of the same name, an extension) is left for a person. `removed` has its
 * `$ref` followed; `kept` is the inline response object as written.
 */
export function mergeOps(
  keptPath: JsonPath,
  kept: Record<string, unknown>,
  removed: Record<string, unknown>,
  swagger2: boolean,
): MergePlan {
  const plan: MergePlan = { ops: [], added: [], left: [] };
  const description = typeof removed.description === 'string' ? removed.description.trim() : '';
  if (description !== '' && description !== kept.description) {
    if (typeof kept.description === 'string' && kept.description.trim() !== '') {
      const joined = `${kept.description.trim()}\n\n${description}`;
      plan.ops.push({ kind: 'replace-value', path: [...keptPath, 'description'], value: joined });
    } else if (kept.description === undefined) {
      plan.ops.push({ kind: 'add-key', map: keptPath, key: 'description', value: description });
    }
    plan.added.push('description');
  }
  addNamed(plan, keptPath, kept, removed, 'headers', 'header', true);
  addNamed(plan, keptPath, kept, removed, 'links', 'link', false);
  addOthers(plan, keptPath, kept, removed, swagger2 ? MERGED_PARTS.swagger2 : MERGED_PARTS.openapi3, '');
  if (swagger2) {
    if (removed.schema !== undefined && !isDeepStrictEqual(removed.schema, kept.schema)) {
      if (kept.schema === undefined) addWhole(plan, keptPath, 'schema', removed.schema, 'schema');
      else plan.left.push('schema (Swagger 2.0 has no oneOf)');
    }
    addNamed(plan, keptPath, kept, removed, 'examples', 'example', false);
    return plan;
  }
  if (!isObject(removed.content)) return plan;
  if (!isObject(kept.content)) {
    if (kept.content === undefined) addWhole(plan, keptPath, 'content', removed.content, 'content');
    else plan.left.push('content');
    return plan;
  }
  const contentPath = [...keptPath, 'content'];
  for (const [mediaType, media] of Object.entries(removed.content)) {
    const keptMedia = kept.content[mediaType];
    if (keptMedia === undefined) {
      plan.ops.push({ kind: 'add-key', map: contentPath, key: mediaType, value: media });
      plan.added.push(`content ${mediaType}`);
    } else if (isObject(media) && isObject(keptMedia)) {
      mergeMedia(plan, [...contentPath, mediaType], keptMedia, media, mediaType);
    }
  }
  return plan;
}

function mergeMedia(
  plan: MergePlan,
  mediaPath: JsonPath,
  kept: Record<string, unknown>,
  removed: Record<string, unknown>,
  mediaType: string,
): void {
  if (removed.schema !== undefined && !isDeepStrictEqual(removed.schema, kept.schema)) {
    if (kept.schema === undefined) {
      plan.ops.push({ kind: 'add-key', map: mediaPath, key: 'schema', value: removed.schema });
    } else {
      const alternatives = onlyOneOf(kept.schema) ?? [kept.schema];
      if (!alternatives.some((schema) => isDeepStrictEqual(schema, removed.schema))) {
        const value = { oneOf: [...alternatives, removed.schema] };
        plan.ops.push({ kind: 'replace-value', path: [...mediaPath, 'schema'], value });
      }
    }
    plan.added.push(`schema of ${mediaType} (oneOf)`);
  }
  if (removed.example !== undefined && !isDeepStrictEqual(removed.example, kept.example)) {
    if (kept.example === undefined && kept.examples === undefined) {
      plan.ops.push({ kind: 'add-key', map: mediaPath, key: 'example', value: removed.example });
      plan.added.push(`example of ${mediaType}`);
    } else {
      plan.left.push(`example of ${mediaType}`);
    }
  }
  if (isObject(removed.examples)) {
    if (kept.example !== undefined) plan.left.push(`examples of ${mediaType} (the kept one has 'example')`);
    else addNamed(plan, mediaPath, kept, removed, 'examples', `example of ${mediaType}:`, false);
  }
  addOthers(plan, mediaPath, kept, removed, MEDIA_PARTS, ` of ${mediaType}`);
}

/**
 * Copies the keys of `removed` outside `parts` that `kept` lacks (`x-error-codes`, `encoding`); one both hold with
 * another value goes to `left`, named `x-error-codes<suffix> (differs from the kept one)`.
 */
function addOthers(
  plan: MergePlan,
  keptPath: JsonPath,
  kept: Record<string, unknown>,
  removed: Record<string, unknown>,
  parts: ReadonlySet<string>,
  suffix: string,
): void {
  for (const [key, value] of Object.entries(removed)) {
    if (parts.has(key) || isDeepStrictEqual(value, kept[key])) continue;
    if (kept[key] === undefined) {
      plan.ops.push({ kind: 'add-key', map: keptPath, key, value });
      plan.added.push(`${key}${suffix}`);
    } else {
      plan.left.push(`${key}${suffix} ${DIFFERS}`);
    }
  }
}

/** The alternatives of a schema that is nothing but `oneOf`. */
function onlyOneOf(schema: unknown): unknown[] | undefined {
  if (!isObject(schema) || !Array.isArray(schema.oneOf) || Object.keys(schema).length !== 1) return undefined;
  return schema.oneOf as unknown[];
}

/** Adds the entries of map `field` that the kept object lacks (or the whole map when it has none). */
function addNamed(
  plan: MergePlan,
  keptPath: JsonPath,
  kept: Record<string, unknown>,
  removed: Record<string, unknown>,
  field: string,
  what: string,
  caseInsensitive: boolean,
): void {
  const incoming = removed[field];
  if (!isObject(incoming) || Object.keys(incoming).length === 0) return;
  const existing = kept[field];
  if (existing === undefined) {
    plan.ops.push({ kind: 'add-key', map: keptPath, key: field, value: incoming });
    plan.added.push(...Object.keys(incoming).map((name) => `${what} ${name}`));
    return;
  }
  if (!isObject(existing)) {
    plan.left.push(field);
    return;
  }
  const fold = (name: string): string => (caseInsensitive ? name.toLowerCase() : name);
  const have = new Map(Object.entries(existing).map(([name, value]) => [fold(name), value]));
  for (const [name, value] of Object.entries(incoming)) {
    if (have.has(fold(name))) {
      if (!isDeepStrictEqual(value, have.get(fold(name)))) plan.left.push(`${what} ${name} ${DIFFERS}`);
      continue;
    }
    plan.ops.push({ kind: 'add-key', map: [...keptPath, field], key: name, value });
    plan.added.push(`${what} ${name}`);
  }
}

function addWhole(plan: MergePlan, keptPath: JsonPath, key: string, value: unknown, what: string): void {
  plan.ops.push({ kind: 'add-key', map: keptPath, key, value });
  plan.added.push(what);
}
