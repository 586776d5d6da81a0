import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { lint } from '../../src/lint/run.js';
import { CORPUS_DIR } from '../helpers/paths.js';

/** Rows of EXPECTED.md: `| \`file\` | default | --mtls-everywhere |`. */
function expectedCounts(): { file: string; byDefault: number; everywhere: number }[] {
  const text = readFileSync(path.join(CORPUS_DIR, 'EXPECTED.md'), 'utf8');
  return [...text.matchAll(/^\| `([^`]+)` \| (\d+) \| (\d+) \|$/gm)].map((match) => ({
    file: match[1],
    byDefault: Number(match[2]),
    everywhere: Number(match[3]),
  }));
}

const rows = expectedCounts();

describe('corpus: 21 published OpenAPI documents', () => {
  it('EXPECTED.md lists every document', () => {
    expect(rows).toHaveLength(21);
  });

  describe.each(rows)('$file', ({ file, byDefault, everywhere }) => {
    it(`default reading: ${byDefault} mtls-no-403`, async () => {
      const report = await lint({ files: [path.join(CORPUS_DIR, file)], config: resolveConfig({}) });
      expect(report.results.filter((result) => result.code === 'mtls-no-403')).toHaveLength(byDefault);
    });

    it(`--mtls-everywhere: ${everywhere} mtls-no-403, each at a line holding its 403 key`, async () => {
      const config = resolveConfig({}, { mtlsEverywhere: true });
      const report = await lint({ files: [path.join(CORPUS_DIR, file)], config });
      const findings = report.results.filter((result) => result.code === 'mtls-no-403');
      expect(findings).toHaveLength(everywhere);
      const lines = new Map<string, string[]>();
      for (const finding of findings) {
        if (!lines.has(finding.source))
          lines.set(finding.source, readFileSync(finding.source, 'utf8').split('\n'));
        expect(lines.get(finding.source)![finding.range.start.line]).toMatch(/["']?403["']?\s*:/);
        expect(finding.operation).toBeDefined();
      }
      // One result per operation.
      const operations = findings.map((finding) => `${finding.operation!.method} ${finding.operation!.path}`);
      expect(new Set(operations).size).toBe(operations.length);
    });
  });
});
