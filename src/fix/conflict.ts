import { isDeepStrictEqual } from 'node:util';
import { isObject } from '../openapi/pointer.js';

/** Keys of a response object that {@link missingParts} compares one by one; every other key is compared whole. */
export const RESPONSE_PARTS = new Set([
  '$ref',
  'description',
  'headers',
  'links',
  'schema',
  'examples',
  'content',
]);
/** Keys of a media type object compared one by one; every other key (`encoding`, `x-*`) is compared whole. */
export const MEDIA_PARTS = new Set(['schema', 'example', 'examples']);

/**
 * What a response held that the one kept in its place lacks: description, content types, schemas, headers,
 * examples, links, and every other key, specification extensions (`x-error-codes`) and `encoding` included.
 * Both responses are given with their `$ref`s already followed. Items read as `header X-RateLimit-Limit`,
 * `content application/problem+json`, `x-error-codes`, so a person can fold them in; a named entry or other key
 * both have but with another value reads `header X (differs from the kept one)`.
 */
export function missingParts(removed: unknown, kept: unknown): string[] {
  if (!isObject(removed)) return [];
  const have = isObject(kept) ? kept : {};
  const missing: string[] = [];
  const description = removed.description;
  if (typeof description === 'string' && description.trim() !== '' && description !== have.description) {
    missing.push(`description ${quote(description)}`);
  }
  missing.push(...missingNames('header', removed.headers, have.headers, true));
  missing.push(...missingNames('link', removed.links, have.links, false));
  // Swagger 2.0 keeps schema and examples (by media type) on the response itself.
  if (removed.schema !== undefined && !isDeepStrictEqual(removed.schema, have.schema)) missing.push('schema');
  missing.push(...missingNames('example', removed.examples, have.examples, false));
  missing.push(...otherKeys(removed, have, RESPONSE_PARTS, ''));
  const content = isObject(removed.content) ? removed.content : {};
  const keptContent = isObject(have.content) ? have.content : {};
  for (const [mediaType, media] of Object.entries(content)) {
    const keptMedia = keptContent[mediaType];
    if (!isObject(keptMedia)) {
      missing.push(`content ${mediaType}`);
      continue;
    }
    if (!isObject(media)) continue;
    if (media.schema !== undefined && !isDeepStrictEqual(media.schema, keptMedia.schema)) {
      missing.push(`schema of ${mediaType}`);
    }
    if (media.example !== undefined && !isDeepStrictEqual(media.example, keptMedia.example)) {
      missing.push(`example of ${mediaType}`);
    }
    for (const item of missingNames('example', media.examples, keptMedia.examples, false)) {
      missing.push(`${item} of ${mediaType}`);
    }
    missing.push(...otherKeys(media, keptMedia, MEDIA_PARTS, ` of ${mediaType}`));
  }
  return missing;
}

/** Names in `removed` (a map) that `kept` (a map) lacks or holds with another value. */
function missingNames(what: string, removed: unknown, kept: unknown, caseInsensitive: boolean): string[] {
  if (!isObject(removed)) return [];
  const fold = (name: string): string => (caseInsensitive ? name.toLowerCase() : name);
  const have = new Map(
    Object.entries(isObject(kept) ? kept : {}).map(([name, value]) => [fold(name), value]),
  );
  const missing: string[] = [];
  for (const [name, value] of Object.entries(removed)) {
    if (!have.has(fold(name))) missing.push(`${what} ${name}`);
    else if (!isDeepStrictEqual(value, have.get(fold(name)))) missing.push(`${what} ${name} ${DIFFERS}`);
  }
  return missing;
}

/** How an item both responses have, with different values, is named. */
export const DIFFERS = '(differs from the kept one)';

/**
 * The keys of `removed` outside `parts` (extensions such as `x-error-codes`, `encoding`, keys of a later
 * OpenAPI) that `kept` lacks or holds with another value, as `x-error-codes<suffix>`.
 */
export function otherKeys(
  removed: Record<string, unknown>,
  kept: Record<string, unknown>,
  parts: ReadonlySet<string>,
  suffix: string,
): string[] {
  const missing: string[] = [];
  for (const [key, value] of Object.entries(removed)) {
    if (parts.has(key) || isDeepStrictEqual(value, kept[key])) continue;
    missing.push(kept[key] === undefined ? `${key}${suffix}` : `${key}${suffix} ${DIFFERS}`);
  }
  return missing;
}

function quote(text: string): string {
  const line = text.trim().replace(/\s+/g, ' ');
  return JSON.stringify(line.length > 60 ? `${line.slice(0, 57)}...` : line);
}
