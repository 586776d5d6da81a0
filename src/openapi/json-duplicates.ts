import { closingQuote } from './locate-json.js';
import type { JsonPath } from './pointer.js';

/**
 * How many object members a JSON text writes (one `:` outside strings each), in one scan that jumps over string
 * contents. JSON.parse keeps the last of duplicate keys without a word, so when this count exceeds the members
 * of the parsed data ({@link countMembers}) the text repeats a key; {@link firstDuplicateKey} says where.
 * The text is known to parse.
 */
export function countJsonMembers(text: string): number {
  const significant = /[":]/g;
  let members = 0;
  while (significant.test(text)) {
    const i = significant.lastIndex - 1;
    if (text.charCodeAt(i) === 0x22) significant.lastIndex = closingQuote(text, i) + 1;
    else members++;
  }
  return members;
}

/** Every own key of every object in `data` (parsed JSON: no cycles), counted without recursion. */
export function countMembers(data: unknown): number {
  let members = 0;
  const stack: unknown[] = [data];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (item !== null && typeof item === 'object') stack.push(item);
      continue;
    }
    for (const key in value) {
      members++;
      const child = (value as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object') stack.push(child);
    }
  }
  return members;
}

/** A key written twice in one JSON object: the second occurrence, and the path of the object holding both. */
export interface DuplicateKey {
  key: string;
  /** Offset of the second occurrence's opening quote. */
  offset: number;
  /** Path of the object that holds the key twice. */
  path: JsonPath;
}

interface Frame {
  path: JsonPath;
  /** Keys seen so far (objects), undefined for arrays. */
  keys: Set<string> | undefined;
  /** Index of the current item (arrays). */
  index: number;
  /** The key of the member being read (objects). */
  pending: string | undefined;
}

/**
 * The first key written twice in one object of a JSON text that parses, or undefined. A tokenizing pass that
 * keeps every key of every open object: run it only when {@link countJsonMembers} says there is a duplicate.
 */
export function firstDuplicateKey(text: string): DuplicateKey | undefined {
  const significant = /["[\]{},:]/g;
  const frames: Frame[] = [];
  let expectKey = false;
  while (significant.test(text)) {
    const i = significant.lastIndex - 1;
    const c = text.charCodeAt(i);
    const top = frames[frames.length - 1];
    if (c === 0x22) {
      const end = closingQuote(text, i);
      significant.lastIndex = end + 1;
      if (top?.keys && expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return { key, offset: i, path: top.path };
        top.keys.add(key);
        top.pending = key;
        expectKey = false;
      }
    } else if (c === 0x7b || c === 0x5b) {
      const path: JsonPath = !top
        ? []
        : top.keys
          ? [...top.path, top.pending ?? '']
          : [...top.path, top.index];
      frames.push({ path, keys: c === 0x7b ? new Set() : undefined, index: 0, pending: undefined });
      expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      frames.pop();
      expectKey = false;
    } else if (c === 0x2c && top) {
      if (top.keys) expectKey = true;
      else top.index++;
    }
  }
  return undefined;
}
