import { linkSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { fix } from '../../src/fix/index.js';
import { lint } from '../../src/lint/run.js';
import { runCli, tempProject } from '../helpers/cli.js';

// Session 17 (newuser17): one file reached under two names (`sub/common.yaml` and `link/common.yaml` through a
// symlinked folder, or a hard link `hard.yaml`) was two files to the model. `fix` then renamed a 403 key that a
// non-mTLS operation still reads under the other name (the shared-key check compared paths), refused the write
// when both names had keys to change ("is being written by another mtls-fix run", every run, no way out), and
// `--dry-run` printed two diffs of one file. Now a file is one file whatever name reaches it, within a document
// and across the documents of a run.

const COMMON = "ra:\n  '403': { description: a }\nrb:\n  '403': { description: b }\n";

const config = resolveConfig({});

/** A project: `sub/common.yaml`, `link` -> `sub` (a symlinked folder), `hard.yaml` a hard link to it. */
function project(files: Record<string, string>): string {
  const cwd = tempProject({ 'sub/common.yaml': COMMON, ...files });
  symlinkSync('sub', path.join(cwd, 'link'));
  linkSync(path.join(cwd, 'sub/common.yaml'), path.join(cwd, 'hard.yaml'));
  return cwd;
}

const doc = (paths: string, mtls = true): string =>
  `openapi: 3.1.0\ninfo: { title: t, version: '1' }\n${mtls ? 'x-mtls: true\n' : ''}paths:\n${paths}`;

/** The other names of `sub/common.yaml` a `$ref` can use. */
const ALIASES: { kind: string; ref: (pointer: string) => string }[] = [
  { kind: 'a symlinked folder', ref: (pointer) => `link/common.yaml#${pointer}` },
  { kind: 'a hard link', ref: (pointer) => `hard.yaml#${pointer}` },
];

describe('one file under two names is one file (fix, lint)', () => {
  for (const { kind, ref } of ALIASES) {
    it(`${kind}: a non-mTLS operation reading the key under the other name keeps it`, () => {
      const text = doc(
        `  /a: { get: { x-mtls: true, responses: { $ref: 'sub/common.yaml#/ra' } } }\n  /b: { get: { responses: { $ref: '${ref('/ra')}' } } }\n`,
        false,
      );
      const cwd = project({ 'openapi.yaml': text });
      const fixed = fix({ files: ['openapi.yaml'], cwd, config, mode: 'write' });
      expect(fixed.documents[0]?.changes.map((change) => [change.action, change.reason])).toEqual([
        ['skipped', expect.stringContaining('shared with GET /b, which is not migrated')],
      ]);
      expect(readFileSync(path.join(cwd, 'sub/common.yaml'), 'utf8')).toBe(COMMON);
    });

    it(`${kind}: keys reached under both names are fixed in one write; dry-run shows one diff`, async () => {
      const text = doc(
        `  /a: { get: { responses: { $ref: 'sub/common.yaml#/ra' } } }\n  /b: { get: { responses: { $ref: '${ref('/rb')}' } } }\n`,
      );
      const cwd = project({ 'openapi.yaml': text });
      const report = await lint({ files: ['openapi.yaml'], cwd, config });
      expect(new Set(report.results.map((result) => result.source))).toEqual(
        new Set([path.join(cwd, 'sub/common.yaml')]),
      );
      const dry = runCli(['fix', 'openapi.yaml', '--dry-run'], { cwd });
      expect(dry.code).toBe(0);
      expect(dry.stdout.match(/^\+\+\+ /gm)).toHaveLength(1);
      const run = runCli(['fix', 'openapi.yaml'], { cwd });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('2 renamed');
      expect(readFileSync(path.join(cwd, 'sub/common.yaml'), 'utf8')).toBe(
        COMMON.replaceAll("'403'", "'401'"),
      );
      expect(runCli(['fix', 'openapi.yaml', '--check'], { cwd }).code).toBe(0);
    });

    it(`${kind}: two documents editing the file under two names: --dry-run shows one diff of both edits`, () => {
      const cwd = project({
        'a.yaml': doc(`  /a: { get: { responses: { $ref: 'sub/common.yaml#/ra' } } }\n`),
        'b.yaml': doc(`  /b: { get: { responses: { $ref: '${ref('/rb')}' } } }\n`),
      });
      const dry = runCli(['fix', 'a.yaml', 'b.yaml', '--dry-run'], { cwd });
      expect(dry.code).toBe(0);
      expect(dry.stdout.match(/^\+\+\+ .*$/gm)).toEqual(['+++ b/sub/common.yaml']);
      expect(dry.stdout.match(/^\+ {2}'401'/gm)).toHaveLength(2);
      expect(readFileSync(path.join(cwd, 'sub/common.yaml'), 'utf8')).toBe(COMMON);
      expect(runCli(['fix', 'a.yaml', 'b.yaml'], { cwd }).code).toBe(0);
      expect(readFileSync(path.join(cwd, 'sub/common.yaml'), 'utf8')).toBe(
        COMMON.replaceAll("'403'", "'401'"),
      );
    });

    it(`${kind}: another document of the run reading the key under the other name keeps it`, () => {
      const cwd = project({
        'a.yaml': doc(`  /a: { get: { responses: { $ref: 'sub/common.yaml#/ra' } } }\n`),
        'b.yaml': doc(`  /b: { get: { responses: { $ref: '${ref('/ra')}' } } }\n`, false),
      });
      const fixed = fix({ files: ['a.yaml', 'b.yaml'], cwd, config, mode: 'write' });
      expect(fixed.documents[0]?.changes.map((change) => [change.action, change.reason])).toEqual([
        ['skipped', expect.stringContaining('shared with GET /b of b.yaml, which is not migrated')],
      ]);
      expect(readFileSync(path.join(cwd, 'sub/common.yaml'), 'utf8')).toBe(COMMON);
    });
  }
});
