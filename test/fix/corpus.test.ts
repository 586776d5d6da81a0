import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { diffLines } from 'diff';
import { describe, expect, it } from 'vitest';
import { decodePointer, parseSource, type JsonPath } from '../../src/openapi/index.js';
import type { FixChange } from '../../src/fix/types.js';
import { copyWritable } from '../helpers/cli.js';
import { CORPUS_DIR } from '../helpers/paths.js';
import { no403Findings, runFix } from './helpers.js';

const MULTI_FILE = 'gematik-zeta-client-management';
const MULTI_FILE_ROOT = `${MULTI_FILE}/openapi/zeta-guard-client-management.yaml`;

function corpusDocuments(): string[] {
  if (!existsSync(CORPUS_DIR)) return [];
  const single = readdirSync(CORPUS_DIR).filter((name) => /\.(ya?ml|json)$/.test(name));
  return [...single.sort(), MULTI_FILE_ROOT];
}

const EVERYWHERE = { mtlsEverywhere: true };

/** EXPECTED.md: `| \`file\` | default | --mtls-everywhere |`, the mtls-no-403 operations per document. */
function expectedCounts(): Map<string, { byDefault: number; everywhere: number }> {
  const counts = new Map<string, { byDefault: number; everywhere: number }>();
  const file = path.join(CORPUS_DIR, 'EXPECTED.md');
  if (!existsSync(file)) return counts;
  for (const match of readFileSync(file, 'utf8').matchAll(/^\| `([^`]+)` \| (\d+) \| (\d+) \|/gm)) {
    counts.set(match[1], { byDefault: Number(match[2]), everywhere: Number(match[3]) });
  }
  return counts;
}

const EXPECTED = expectedCounts();

function operationsOf(changes: FixChange[]): number {
  return new Set(changes.flatMap((change) => change.operations)).size;
}

describe.skipIf(corpusDocuments().length === 0)('fix --mtls-everywhere on every corpus document', () => {
  for (const document of corpusDocuments()) {
    it(document, async () => {
      const work = mkdtempSync(path.join(tmpdir(), 'mtls-fix-corpus-'));
      const top = document.split('/')[0];
      copyWritable(path.join(CORPUS_DIR, top), path.join(work, top));
      const before = snapshot(work);
      const expected = EXPECTED.get(document);
      expect(expected, 'a row in EXPECTED.md').toBeDefined();

      // The fix acts on exactly the findings lint counts, under the default reading and --mtls-everywhere.
      const byDefault = runFix(work, document, {}, 'check');
      expect(operationsOf(byDefault.documents.flatMap((d) => d.changes))).toBe(expected!.byDefault);
      expect(snapshot(work)).toEqual(before);

      const report = runFix(work, document, EVERYWHERE);
      const changes = report.documents.flatMap((d) => d.changes);
      const applied = changes.filter((change) => change.action === 'renamed' || change.action === 'removed');
      const skipped = changes.filter((change) => change.action === 'skipped');
      expect(skipped, JSON.stringify(skipped, null, 2)).toEqual([]);
      expect(operationsOf(changes)).toBe(expected!.everywhere);

      // Lint is clean of mtls-no-403 afterwards.
      expect(await no403Findings(work, document, EVERYWHERE)).toEqual([]);

      const after = snapshot(work);
      for (const [file, text] of before) {
        const edited = after.get(file)!;
        const mine = applied.filter((change) => path.join(work, change.file) === file);
        if (mine.length === 0) {
          expect(edited, file).toBe(text);
          continue;
        }
        expectOnlyResponsesChanged(text, edited, file, mine, String(report.status));
        expectTextOnlyRenamesOrRemoves403(text, edited, String(report.status));
      }

      // A second run changes nothing.
      const again = runFix(work, document, EVERYWHERE);
      expect(again.documents.flatMap((d) => d.files)).toEqual([]);
    });
  }
});

function snapshot(folder: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, name.name);
      if (name.isDirectory()) walk(full);
      else files.set(full, readFileSync(full, 'latin1'));
    }
  };
  walk(folder);
  return files;
}

/** Parsed data: identical outside the affected `responses` maps; inside them, 403 renamed or removed only. */
function expectOnlyResponsesChanged(
  before: string,
  after: string,
  file: string,
  changes: FixChange[],
  status: string,
): void {
  const oldData = parseSource(Buffer.from(before, 'latin1'), file).data;
  const newData = parseSource(Buffer.from(after, 'latin1'), file).data;
  for (const change of changes) {
    const mapPath = decodePointer(change.pointer).slice(0, -1);
    const oldMap = { ...(at(oldData, mapPath) as Record<string, unknown>) };
    const newMap = at(newData, mapPath);
    if (change.action === 'renamed') oldMap[status] = oldMap[change.from];
    delete oldMap[change.from];
    expect(newMap, change.pointer).toEqual(oldMap);
    blank(oldData, mapPath);
    blank(newData, mapPath);
  }
  expect(isDeepStrictEqual(oldData, newData)).toBe(true);
}

/**
 * Line diff: an added line is a removed line with `403` turned into the status (a key rename) or without its
 * trailing comma (JSON, when the last member goes); every other removed line belongs to a removed 403 entry.
 */
function expectTextOnlyRenamesOrRemoves403(before: string, after: string, status: string): void {
  const parts = diffLines(before, after);
  for (let index = 0; index < parts.length; index++) {
    if (!parts[index].added && !parts[index].removed) continue;
    const removed: string[] = [];
    const added: string[] = [];
    for (; index < parts.length && (parts[index].added || parts[index].removed); index++) {
      (parts[index].added ? added : removed).push(...lines(parts[index].value));
    }
    for (const line of added) {
      const match = removed.findIndex(
        (old) => old.replace('403', status) === line || old.replace(/,\s*$/, '') === line,
      );
      expect(match, `added line ${JSON.stringify(line)}`).toBeGreaterThanOrEqual(0);
      removed.splice(match, 1);
    }
    // What is left is whole 403 entries: each run starts at a 403 key.
    if (removed.length > 0) expect(removed[0], removed.join('\n')).toMatch(/^\s*["']?403["']?\s*:/);
  }
}

function lines(value: string): string[] {
  return value.replace(/\r?\n$/, '').split(/\r?\n/);
}

function at(data: unknown, path: JsonPath): unknown {
  let node = data;
  for (const segment of path) node = (node as Record<string, unknown>)[String(segment)];
  return node;
}

function blank(data: unknown, path: JsonPath): void {
  const parent = at(data, path.slice(0, -1)) as Record<string, unknown>;
  parent[String(path[path.length - 1])] = null;
}
