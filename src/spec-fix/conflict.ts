import type { DocumentSet, Located } from '../openapi/index.js';
import { isObject } from '../openapi/pointer.js';

/**
 * What the removed 403 entry documents that the kept entry (the agreed status) does not: a person folds it in
 * by hand, or `--on-conflict merge` would. Both are read through their `$ref`s.
 */
export function lostInformation(set: DocumentSet, removed: Located, kept: Located): string[] {
  const from = set.follow(removed)?.value;
  const into = set.follow(kept)?.value;
  if (!isObject(from)) return [];
  const target = isObject(into) ? into : {};
  const lost: string[] = [];
  if (typeof from.description === 'string' && from.description !== target.description) {
    lost.push(`description "${oneLine(from.description)}"`);
  }
  const headers = missingKeys(from.headers, target.headers);
  if (headers.length) lost.push(`headers ${headers.join(', ')}`);
  const fromContent = isObject(from.content) ? from.content : {};
  const intoContent = isObject(target.content) ? target.content : {};
  for (const [type, media] of Object.entries(fromContent)) {
    const other = intoContent[type];
    if (other === undefined) {
      lost.push(`content ${type}`);
      continue;
    }
    if (!isObject(media) || !isObject(other)) continue;
    const examples = missingKeys(media.examples, other.examples);
    if (examples.length) lost.push(`${type} examples ${examples.join(', ')}`);
    if (media.example !== undefined && other.example === undefined) lost.push(`${type} example`);
    if (media.schema !== undefined && JSON.stringify(media.schema) !== JSON.stringify(other.schema)) {
      lost.push(`${type} schema`);
    }
  }
  // Swagger 2.0 responses carry schema and examples directly.
  if (from.schema !== undefined && JSON.stringify(from.schema) !== JSON.stringify(target.schema))
    lost.push('schema');
  const examples = missingKeys(from.examples, target.examples);
  if (examples.length) lost.push(`examples ${examples.join(', ')}`);
  return lost;
}

function missingKeys(from: unknown, into: unknown): string[] {
  if (!isObject(from)) return [];
  const present = isObject(into) ? into : {};
  return Object.keys(from).filter((key) => present[key] === undefined);
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}
