import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';
import { siteOutcomes, specMarkers } from '../../helpers/spec-markers.js';

// Session 32 (boxyhq/jackson): a handler calls a method on a receiver whose value no declaration shows
// (`const { oauthController } = await jackson()`, a field set from options): the reach stopped there, so the
// 403s of the controllers behind 32 matched mTLS operations were "left alone" under --spec --mtls-everywhere.
const root = path.resolve(import.meta.dirname, '../../fixtures/spec-projects');
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Report {
  sites: { file: string; line: number; action: string; reason?: string }[];
  coverage: { handled: { operation: string }[]; noHandler: { operation: string }[] };
}

describe('migrate --spec: a receiver named after its class', () => {
  it('reaches the method of the class the receiver is named after, and only on its own routes', async () => {
    const dir = tempProject({}, path.join(root, 'spellings-namesake-receivers'));
    temps.push(dir);
    const result = await runCliAsync(['migrate', '--json', '--check', '--spec', 'openapi.yaml'], {
      cwd: dir,
    });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as Report;
    expect(report.coverage.handled.map((h) => h.operation).sort()).toEqual([
      'GET /accounts/{id}',
      'POST /payments',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    const expected = specMarkers(dir, 'plain');
    const actual = siteOutcomes(report.sites);
    for (const [where, outcome] of expected)
      expect([where, actual.get(where) ?? 'none']).toEqual([where, outcome]);
    for (const where of actual.keys()) expect(expected.has(where), where).toBe(true);
  });
});
