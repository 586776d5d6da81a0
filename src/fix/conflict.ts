import { isDeepStrictEqual } from 'node:util';
import { isObject } from '../openapi/pointer.js';

/**
 * What a response held that the one kept in its place lacks: description, content types, schemas, headers,
 * examples, links. Both responses are given with their `$ref`s already followed. Items read as
 * `header X-RateLimit-Limit`, `content application/problem+json`, so a person can fold them in.
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
  }
  return missing;
}

/** Names in `removed` (a map) that `kept` (a map) does not have. */
function missingNames(what: string, removed: unknown, kept: unknown, caseInsensitive: boolean): string[] {
  if (!isObject(removed)) return [];
  const fold = (name: string): string => (caseInsensitive ? name.toLowerCase() : name);
  const have = new Set(Object.keys(isObject(kept) ? kept : {}).map(fold));
  return Object.keys(removed)
    .filter((name) => !have.has(fold(name)))
    .map((name) => `${what} ${name}`);
}

function quote(text: string): string {
  const line = text.trim().replace(/\s+/g, ' ');
  return JSON.stringify(line.length > 60 ? `${line.slice(0, 57)}...` : line);
}
