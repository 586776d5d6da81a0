import { scriptAssertsForbidden } from './api-suites-lines.js';
import type { SuiteAssertion } from './types.js';
import { linesOfText } from '../util/lines.js';

/**
 * Postman / Newman collections (api-suites.ts): the test scripts of each request, folder and the collection
 * itself, read from the collection format (v2.0 / v2.1: `item[]` nested, `event[{ listen: 'test', script: { exec }
 * }]`, `request.method`, `request.url` as a string or `{ raw }`; v1: `requests[{ method, url, tests }]`), source:
 * https://schema.postman.com/collection/json/v2.1.0/draft-07/collection.json and the v1.0.0 schema beside it.
 * A folder's or the collection's own test script runs after every request under it: its request is named
 * `every request in <folder>`.
 */

interface Located {
  /** The script line, as the collection holds it. */
  line: string;
  request: string | undefined;
}

/**
 * The assertions on a 403 in a Postman collection's test scripts, 1-based line and column of the assertion in the
 * file. A text that is not JSON, or JSON that is not a collection (no `info` with a Postman schema or id, and no v1
 * `requests`), gives none.
 */
export function postmanAssertions(file: string, text: string): SuiteAssertion[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [];
  }
  if (!isCollection(json)) return [];
  const lines: Located[] = [];
  if (Array.isArray(json.requests)) {
    for (const request of json.requests) {
      if (!isRecord(request)) continue;
      for (const line of scriptLines(request.tests))
        lines.push({ line, request: describeRequest(request.method, request.url) });
    }
  } else collectItems(json, 'the collection', lines, true);
  const found: SuiteAssertion[] = [];
  let cursor = 0;
  const used = new Set<number>();
  for (const { line, request } of lines) {
    const column = scriptAssertsForbidden(line);
    if (column < 0) continue;
    // Where the line is in the file: its JSON spelling, searched from the last one found (lines repeat).
    const spelled = JSON.stringify(line).slice(1, -1);
    let at = text.indexOf(spelled, cursor);
    if (at < 0) at = text.indexOf(spelled);
    while (at >= 0 && used.has(at)) at = text.indexOf(spelled, at + 1);
    if (at >= 0) used.add(at);
    const offset = at < 0 ? firstToken(text, cursor) : at + JSON.stringify(line.slice(0, column)).length - 2;
    if (at >= 0) cursor = at + spelled.length;
    const place = linesOfText(text).at(offset);
    found.push({
      file,
      line: place.line + 1,
      column: place.character + 1,
      tool: 'Postman',
      ...(request ? { request } : {}),
      assertion: line.trim(),
    });
  }
  return found;
}

/** The offset of the next `403` (or `forbidden`) from `from`, for a line whose spelling the file escapes otherwise. */
function firstToken(text: string, from: number): number {
  const match = /403|forbidden/i.exec(text.slice(from)) ?? /403|forbidden/i.exec(text);
  if (!match) return 0;
  return text.indexOf(match[0], from) >= 0 ? text.indexOf(match[0], from) : match.index;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCollection(json: unknown): json is Record<string, unknown> {
  if (!isRecord(json)) return false;
  if (Array.isArray(json.requests)) return true;
  const info = json.info;
  if (!isRecord(info) || !Array.isArray(json.item)) return false;
  return (
    typeof info._postman_id === 'string' ||
    (typeof info.schema === 'string' && /getpostman\.com|postman\.com/.test(info.schema))
  );
}

/** A test script's lines: `exec` as an array of lines or one string (v2), or v1's `tests` string. */
function scriptLines(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\r?\n/);
  if (Array.isArray(value))
    return value.flatMap((line) => (typeof line === 'string' ? line.split(/\r?\n/) : []));
  return [];
}

/** `GET {{base}}/orders/:id` from a request's method and URL (a string or `{ raw }`). */
function describeRequest(method: unknown, url: unknown): string | undefined {
  const raw =
    typeof url === 'string' ? url : isRecord(url) && typeof url.raw === 'string' ? url.raw : undefined;
  const verb = typeof method === 'string' ? method.toUpperCase() : undefined;
  return raw ? (verb ? `${verb} ${raw}` : raw) : verb;
}

/** The test script lines of an item (request or folder) and everything under it, in document order. */
function collectItems(item: Record<string, unknown>, name: string, out: Located[], top = false): void {
  const request = isRecord(item.request)
    ? describeRequest(item.request.method, item.request.url)
    : typeof item.request === 'string'
      ? describeRequest('GET', item.request)
      : undefined;
  const folder = Array.isArray(item.item);
  const label = folder ? `every request in ${top ? 'the collection' : name}` : request;
  // In the order the file holds them (JSON.parse keeps the keys' order), so each line is found after the last.
  for (const key of Object.keys(item)) {
    if (key === 'event')
      for (const event of Array.isArray(item.event) ? item.event : []) {
        if (!isRecord(event) || event.listen !== 'test' || !isRecord(event.script)) continue;
        for (const line of scriptLines(event.script.exec)) out.push({ line, request: label });
      }
    if (key !== 'item' || !folder) continue;
    for (const child of item.item as unknown[]) {
      if (!isRecord(child)) continue;
      const childName = typeof child.name === 'string' ? child.name : 'a folder';
      collectItems(child, top ? childName : `${name} / ${childName}`, out);
    }
  }
}
