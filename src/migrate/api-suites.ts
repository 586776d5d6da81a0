import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { postmanAssertions } from './api-suites-postman.js';
import { brunoAssertions, gherkinAssertions, hurlAssertions, tavernAssertions } from './api-suites-lines.js';
import type { SuiteAssertion, SuiteTool } from './types.js';

/**
 * API test suites kept outside code: files a test runner other than a JavaScript one reads, whose assertions on a
 * 403 break (silently, as far as `migrate` could tell before) once the server answers the agreed status. They are
 * never rewritten: `migrate` cannot prove which route a request reaches, so it names each assertion instead.
 *
 * - Postman / Newman collections (JSON, v1 `requests[].tests` and v2.x `item[].event[].script.exec`): the
 *   collection format, https://schema.postman.com/collection/json/v2.1.0/draft-07/collection.json;
 * - Hurl files (`*.hurl`: `HTTP 403`, `status == 403`), https://hurl.dev/docs/asserting-response.html;
 * - Bruno requests (`*.bru`: `assert { res.status: eq 403 }`, `tests { ... }`), https://docs.usebruno.com/;
 * - Gherkin features (`*.feature`): Karate's `Then status 403` / `match responseStatus == 403`
 *   (https://karatelabs.github.io/karate/#status) and Cucumber steps or example rows naming 403;
 * - Tavern tests (`*.tavern.yaml`: `status_code: 403`), https://tavern.readthedocs.io/.
 */

/**
 * Glob patterns (tinyglobby, case-insensitive) for the walk: the suite files by extension, and every JSON file, as
 * a Postman or Newman collection can have any name (`finalspace.json`). A JSON file is a suite only when its name
 * says so (postman, newman, collection) or its first 4 KB hold a collection's marks (`_postman_id`, the Postman
 * schema URL), `collectionHead`; its text is then read as a collection (`postmanAssertions`).
 */
export const SUITE_PATTERNS: readonly string[] = [
  '**/*.{hurl,bru,feature}',
  '**/*.tavern.{yaml,yml}',
  '**/*.json',
];

/** How much of a JSON file is read to tell a collection (bytes): Postman writes `info` with its id first. */
const HEAD_BYTES = 4096;

/** A collection's marks near its start: v2.x `info._postman_id` / `info.schema`, v1's top-level `id` + `requests`. */
const COLLECTION_MARK = /"_postman_id"|schema\.getpostman\.com|schema\.postman\.com|"requests"\s*:/;

/** Suite files larger than this are not read (bytes): a collection of that size is an export of data, not tests. */
const MAX_SUITE_BYTES = 20 * 1024 * 1024;

/**
 * The tool a file is a suite of, by its name alone (`SUITE_PATTERNS` decides which names the walk gives):
 * undefined for a file no suite tool reads. A JSON file answers `Postman` before its text is checked.
 *
 * @param relative the file's path, `/`-separated.
 */
export function suiteToolOf(relative: string): SuiteTool | undefined {
  const name = relative.slice(relative.lastIndexOf('/') + 1).toLowerCase();
  if (name.endsWith('.hurl')) return 'Hurl';
  if (name.endsWith('.bru')) return 'Bruno';
  if (name.endsWith('.feature')) return 'Gherkin';
  if (name.endsWith('.tavern.yaml') || name.endsWith('.tavern.yml')) return 'Tavern';
  if (name.endsWith('.json') && name !== 'package.json' && !name.endsWith('-lock.json')) return 'Postman';
  return undefined;
}

/** A suite file the walk found: absolute path, path relative to the working folder (`/`-separated), its tool. */
export interface SuiteFile {
  absolute: string;
  relative: string;
  tool: SuiteTool;
}

/** What `readSuiteAssertions` found: the assertions, and the suite files it could not read, each with why. */
export interface SuiteReading {
  assertions: SuiteAssertion[];
  /** `file` relative to the working folder; `reason` one clause (`larger than 20 MB`, `not JSON: …`). */
  unread: { file: string; tool: SuiteTool; reason: string }[];
}

/**
 * Every assertion on a 403 in the suite files, sorted by file, line and column, and the files it could not read:
 * one that cannot be read, is larger than 20 MB, or (a JSON file named after Postman, Newman or a collection) is
 * not JSON. A JSON file in a test folder that is not a collection is data, not a suite: neither.
 *
 * @param files the suite files, as the walk found them.
 * @param read a file's text (the default reads it from disk as UTF-8); may throw, which names the file as unread.
 */
export function readSuiteAssertions(
  files: readonly SuiteFile[],
  read: (absolute: string) => string = (absolute) => readFileSync(absolute, 'utf8'),
): SuiteReading {
  const assertions: SuiteAssertion[] = [];
  const unread: SuiteReading['unread'] = [];
  for (const file of files) {
    let text: string;
    try {
      // Any JSON file of the tree is walked: a collection is known by its name or its first bytes.
      if (
        file.tool === 'Postman' &&
        !namedCollection(file.relative) &&
        !COLLECTION_MARK.test(head(file.absolute))
      )
        continue;
      if (statSync(file.absolute).size > MAX_SUITE_BYTES) {
        unread.push({ file: file.relative, tool: file.tool, reason: 'larger than 20 MB' });
        continue;
      }
      text = read(file.absolute);
    } catch (error) {
      unread.push({
        file: file.relative,
        tool: file.tool,
        reason: `not readable (${(error as Error).message})`,
      });
      continue;
    }
    // Every form read below spells the status with its digits, or as Postman's `forbidden`.
    if (!/403|forbidden/i.test(text)) continue;
    if (file.tool === 'Postman' && namedCollection(file.relative) && !parsesAsJson(text)) {
      unread.push({ file: file.relative, tool: file.tool, reason: 'named as a collection but not JSON' });
      continue;
    }
    assertions.push(...assertionsOf(file, text));
  }
  assertions.sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column,
  );
  return { assertions, unread };
}

/** A JSON file whose name says it is a Postman / Newman collection (`orders.postman_collection.json`). */
function namedCollection(relative: string): boolean {
  return /postman|newman|collection/i.test(relative.slice(relative.lastIndexOf('/') + 1));
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function assertionsOf(file: SuiteFile, text: string): SuiteAssertion[] {
  switch (file.tool) {
    case 'Postman':
      return postmanAssertions(file.relative, text);
    case 'Hurl':
      return hurlAssertions(file.relative, text);
    case 'Bruno':
      return brunoAssertions(file.relative, text);
    case 'Tavern':
      return tavernAssertions(file.relative, text);
    case 'Gherkin':
    case 'Karate':
      return gherkinAssertions(file.relative, text);
  }
}

/** The first `HEAD_BYTES` of a file, as UTF-8 (a character cut at the end does not matter to `COLLECTION_MARK`). */
function head(absolute: string): string {
  const fd = openSync(absolute, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, HEAD_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}
