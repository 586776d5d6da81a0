import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentSet, detectVersion, listOperations } from '../../src/openapi/index.js';
import { markerKeyTypos, mtlsNearMisses } from '../../src/openapi/near-misses.js';

// Review of session 37: each marker key slip (`x-mTLS` on an operation) was placed by `rangeOf` on its own, and a
// path not placed before makes the source file scan its whole text: a document with the slip on each of 8,000
// operations took 100 s to lint (quadratic). The slips are placed in one scan per file; counted here as the
// scans the root file is asked for, which must not grow with the operations.

const folder = mkdtempSync(path.join(tmpdir(), 'mtls-fix-near-miss-cost-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Scans of the root file asked while listing and placing the near misses of `count` slipped operations. */
function scans(count: number): { scans: number; misses: number } {
  const operations = Array.from(
    { length: count },
    (_, i) =>
      `  /p${i}:\n    get:\n      x-mTLS: true\n      responses:\n        '403': { description: no }\n`,
  );
  const file = path.join(folder, `typo-${count}.yaml`);
  writeFileSync(file, `openapi: 3.1.0\ninfo: { title: t, version: '1' }\npaths:\n${operations.join('')}`);
  const set = DocumentSet.load(file, { cwd: folder, allowRemoteRefs: false });
  const version = detectVersion(set.root.data, file);
  const listed = listOperations(set);
  let asked = 0;
  const prepare = set.root.prepareRanges.bind(set.root);
  set.root.prepareRanges = (paths) => {
    asked++;
    prepare(paths);
  };
  const misses = mtlsNearMisses(set, version, listed, []);
  // A second reader (lint's mtls-config warnings) places the same keys again: free.
  for (const typo of markerKeyTypos(set, version, listed)) typo.file.rangeOf(typo.path, true);
  return { scans: asked, misses: misses.length };
}

describe('near misses of many operations', () => {
  it('are placed in a number of scans that does not grow with the operations', () => {
    const few = scans(50);
    const many = scans(200);
    expect([few.misses, many.misses]).toEqual([50, 200]);
    expect(many.scans).toBe(few.scans);
    expect(many.scans).toBeLessThanOrEqual(3);
  });
});
