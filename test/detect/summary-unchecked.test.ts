import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectCheck } from '../../src/detect/check.js';
import { formatDetectReport } from '../../src/detect/format.js';
import { detectMtls } from '../../src/detect/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

// breaker36 #04, detect's side: with no mTLS termination found, the first line read "No mTLS termination found in
// 1 file." even when 403s were left that `detect --check` fails on (not checked, not placed): it must not read
// clean while the gate says work is left.

const KAFKA = path.join(REPO_ROOT, 'test/fixtures/detect/non-http');

describe('detect: the first line does not read clean over 403s the gate counts (breaker36 #04)', () => {
  const cases = [
    {
      name: 'a 403 not checked',
      notChecked: ['app/server.go:12 code (a Go server whose 403s are not read)'],
    },
    { name: 'nothing left', notChecked: [] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const report = await detectMtls({ cwd: KAFKA, paths: ['envoy/kafka.json'] });
      report.forbiddenNotChecked = c.notChecked;
      const first = formatDetectReport(report).split('\n')[0];
      const failing = detectCheck(report).exitCode !== 0;
      expect(failing).toBe(c.notChecked.length > 0);
      expect(first).toBe(
        failing
          ? 'No mTLS termination found in 1 file, but 1 403 could not be checked (listed below): not a clean result.'
          : 'No mTLS termination found in 1 file.',
      );
    });
  }

  // Session 42 review: a file not read beside them is said too (`--check` exits 2 on it).
  it('a 403 not checked and a file not read', async () => {
    const report = await detectMtls({ cwd: KAFKA, paths: ['envoy/kafka.json'] });
    report.forbiddenNotChecked = ['app/server.go:12 code (a Go server whose 403s are not read)'];
    report.skipped.push({ file: 'chart/values.yaml', unreadable: true, reason: 'cannot parse' });
    expect(detectCheck(report).exitCode).toBe(2);
    expect(formatDetectReport(report).split('\n')[0]).toBe(
      'No mTLS termination found in 1 file, but 1 403 could not be checked (listed below), and 1 file could not be ' +
        'read (under "Not read" below): not a clean result.',
    );
  });
});
