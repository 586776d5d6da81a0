import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { fix } from '../../src/fix/index.js';
import type { FixChange } from '../../src/fix/types.js';
import { runCliAsync, tempProject } from '../helpers/cli.js';

/**
 * Issue 14 §5: a file shared between documents. `common/status.yaml` holds two path items: `/status`, which both
 * the partner (mTLS) and the public document use, and `/partner-only`, which only the partner document uses.
 */
const COMMON =
  'status:\n  get:\n    responses:\n      "200": {description: ok}\n      "403": {description: no}\n' +
  'partnerOnly:\n  get:\n    responses:\n      "403": {description: no}\n';

const PARTNER =
  'openapi: 3.1.0\ninfo: {title: partner, version: "1"}\nsecurity: [{clientCert: []}]\n' +
  'paths:\n  /status:\n    $ref: "common/status.yaml#/status"\n' +
  '  /partner-only:\n    $ref: "common/status.yaml#/partnerOnly"\n' +
  'components:\n  securitySchemes:\n    clientCert: {type: mutualTLS}\n';

const PUBLIC =
  'openapi: 3.1.0\ninfo: {title: public, version: "1"}\n' +
  'paths:\n  /health:\n    $ref: "common/status.yaml#/status"\n';

/** A second mTLS document using the same path item: it migrates the key too, so the key may change. */
const OTHER_MTLS = PARTNER.replace('title: partner', 'title: other').replace(
  '  /partner-only:\n    $ref: "common/status.yaml#/partnerOnly"\n',
  '',
);

function project(extra: Record<string, string> = {}): string {
  return tempProject({
    'partner-api.yaml': PARTNER,
    'public-api.yaml': PUBLIC,
    'common/status.yaml': COMMON,
    ...extra,
  });
}

function changesOf(
  folder: string,
  files: string[],
  spec: string[] = [],
  sharedWith?: string[],
): { changes: FixChange[]; common: string } {
  const config = { ...resolveConfig({}), spec };
  const report = fix({ files, config, cwd: folder, mode: 'write', sharedWith });
  expect(report.errors).toEqual([]);
  return {
    changes: report.documents.flatMap((document) => document.changes),
    common: readFileSync(path.join(folder, 'common/status.yaml'), 'utf8'),
  };
}

const SHARED_KEY = {
  action: 'skipped',
  file: 'common/status.yaml',
  pointer: '/status/get/responses/403',
  reason: expect.stringContaining('shared with GET /health of public-api.yaml') as unknown,
};
const OWN_KEY = { action: 'renamed', file: 'common/status.yaml', pointer: '/partnerOnly/get/responses/403' };

describe('fix: files shared between documents (issue 14 §5)', () => {
  it('both documents in the run: the shared key is skipped naming the other document; the partner-only key is fixed', () => {
    const folder = project();
    const { changes, common } = changesOf(folder, ['partner-api.yaml', 'public-api.yaml']);
    expect(changes).toEqual([expect.objectContaining(SHARED_KEY), expect.objectContaining(OWN_KEY)]);
    expect(common).toBe(
      COMMON.replace(
        'partnerOnly:\n  get:\n    responses:\n      "403"',
        'partnerOnly:\n  get:\n    responses:\n      "401"',
      ),
    );
  });

  it('the public document listed last or first makes no difference', () => {
    const folder = project();
    const { changes } = changesOf(folder, ['public-api.yaml', 'partner-api.yaml']);
    expect(changes).toEqual([expect.objectContaining(SHARED_KEY), expect.objectContaining(OWN_KEY)]);
  });

  it('the public document only in config `spec` counts as well', () => {
    const folder = project();
    const { changes } = changesOf(folder, ['partner-api.yaml'], [path.join(folder, 'public-api.yaml')]);
    expect(changes).toEqual([expect.objectContaining(SHARED_KEY), expect.objectContaining(OWN_KEY)]);
  });

  it('without the public document anywhere, the shared key is fixed (nothing says it is shared)', () => {
    const folder = project();
    const { changes } = changesOf(folder, ['partner-api.yaml']);
    expect(changes.map((change) => change.action)).toEqual(['renamed', 'renamed']);
  });

  it('another document that migrates the same key does not hold it back', () => {
    const folder = project({ 'other-api.yaml': OTHER_MTLS });
    const { changes } = changesOf(folder, ['partner-api.yaml'], [], [path.join(folder, 'other-api.yaml')]);
    expect(changes.map((change) => change.action)).toEqual(['renamed', 'renamed']);
  });

  it('a webhook of another document that reads the key holds it back too', () => {
    const hooks =
      'openapi: 3.1.0\ninfo: {title: hooks, version: "1"}\npaths: {}\n' +
      'webhooks:\n  statusChanged:\n    $ref: "common/status.yaml#/status"\n';
    const folder = project({ 'hooks-api.yaml': hooks });
    const { changes } = changesOf(folder, ['partner-api.yaml'], [], [path.join(folder, 'hooks-api.yaml')]);
    expect(changes[0]).toMatchObject({
      action: 'skipped',
      reason: expect.stringContaining('shared with webhook statusChanged GET of hooks-api.yaml') as unknown,
    });
  });

  it('files that are not documents (fragments a `spec` glob matches) or do not parse are not readers', () => {
    const folder = project({ 'broken.yaml': 'openapi: 3.1.0\npaths: [\n' });
    const sharedWith = ['common/status.yaml', 'broken.yaml', 'missing.yaml'].map((f) => path.join(folder, f));
    const { changes } = changesOf(folder, ['partner-api.yaml'], [], sharedWith);
    expect(changes.map((change) => change.action)).toEqual(['renamed', 'renamed']);
  });

  it('end to end: config `spec` as a glob; the summary counts the skip, the reason names the document, exit 1', async () => {
    const folder = project({ 'mtls-fix.config.yaml': "spec: ['*-api.yaml']\n" });
    const run = await runCliAsync(['fix', 'partner-api.yaml'], { cwd: folder });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1); // a skipped key is work left for a person
    expect(run.stdout).toContain('shared with GET /health of public-api.yaml, which is not migrated');
    expect(run.stdout).toMatch(/2 403 keys: 1 renamed, .*1 skipped; 1 file written\./);
    expect(readFileSync(path.join(folder, 'common/status.yaml'), 'utf8')).toContain(
      'status:\n  get:\n    responses:\n      "200": {description: ok}\n      "403"',
    );
  }, 120_000);
});

/**
 * Session 9 (3GPP 5GC_APIs, 298 documents in one run): documents of one run that edit the same file. A write
 * fixes them one after the other, each reading what the earlier ones left; --dry-run and --check must say
 * exactly that, not plan every document against the untouched files (keys counted twice, one file's diff
 * printed twice with hunks that cannot both apply).
 */
describe('fix: several documents of one run edit the same file (session 9)', () => {
  /** `other-api.yaml` uses `/status` (which partner-api also fixes) and `/other-only`, in the same file. */
  const COMMON_3 = COMMON + 'otherOnly:\n  post:\n    responses:\n      "403": {description: no}\n';
  const OTHER_DOC = OTHER_MTLS.replace(
    'paths:\n  /status:\n    $ref: "common/status.yaml#/status"\n',
    'paths:\n  /status:\n    $ref: "common/status.yaml#/status"\n  /other-only:\n    $ref: "common/status.yaml#/otherOnly"\n',
  );
  const files = ['partner-api.yaml', 'other-api.yaml'];
  const setUp = (): string =>
    tempProject({
      'partner-api.yaml': PARTNER,
      'other-api.yaml': OTHER_DOC,
      'common/status.yaml': COMMON_3,
    });
  const config = { ...resolveConfig({}), spec: [] };
  const summaryOf = (report: ReturnType<typeof fix>): string[] =>
    report.documents.flatMap((document) =>
      document.changes.map((change) => `${document.document} ${change.action} ${change.pointer}`),
    );

  it('--dry-run and --check plan what the write does: each key once, in the document that reaches it first', () => {
    const written = setUp();
    const write = fix({ files, config, cwd: written, mode: 'write' });
    for (const mode of ['dry-run', 'check'] as const) {
      const folder = setUp();
      const planned = fix({ files, config, cwd: folder, mode });
      expect(summaryOf(planned)).toEqual(summaryOf(write));
      expect(readFileSync(path.join(folder, 'common/status.yaml'), 'utf8')).toBe(COMMON_3);
    }
    expect(summaryOf(write)).toEqual([
      'partner-api.yaml renamed /status/get/responses/403',
      'partner-api.yaml renamed /partnerOnly/get/responses/403',
      'other-api.yaml renamed /otherOnly/post/responses/403',
    ]);
  });

  it('--dry-run prints one diff per file, from before the run to after it: applied, it gives the written files', async () => {
    const folder = setUp();
    const dry = await runCliAsync(['fix', ...files, '--dry-run'], { cwd: folder });
    expect(dry.code).toBe(0);
    expect(dry.stdout.match(/^\+\+\+ b\/common\/status\.yaml$/gm)).toHaveLength(1);
    expect(dry.stdout).toMatch(/3 403 keys: 3 renamed, .*; 1 file would change; nothing written\./);
    // The diff comes first; the report follows it, from the first file's name and its first change on.
    const diff = dry.stdout.slice(0, dry.stdout.search(/^common\/status\.yaml\n {2}GET/m));
    const patched = applyPatch(COMMON_3, diff.slice(diff.indexOf('--- a/common/status.yaml')));
    const write = await runCliAsync(['fix', ...files], { cwd: folder });
    expect(write.code).toBe(0);
    expect(write.stdout).toMatch(/3 403 keys: 3 renamed, .*; 1 file written\./);
    const after = readFileSync(path.join(folder, 'common/status.yaml'), 'utf8');
    expect(after).not.toContain('"403"');
    expect(patched).toBe(after);
  }, 120_000);

  it('--dry-run of a shared file with a BOM and CRLF: the diff carries the BOM on its first line, so it applies', async () => {
    const bomCrlf = '\uFEFF' + COMMON_3.replace(/\n/g, '\r\n');
    const folder = tempProject({
      'partner-api.yaml': PARTNER,
      'other-api.yaml': OTHER_DOC,
      'common/status.yaml': bomCrlf,
    });
    const dry = await runCliAsync(['fix', ...files, '--dry-run'], { cwd: folder });
    const diff = dry.stdout.slice(0, dry.stdout.search(/^common\/status\.yaml\n {2}GET/m));
    const patched = applyPatch(bomCrlf, diff.slice(diff.indexOf('--- a/common/status.yaml')));
    await runCliAsync(['fix', ...files], { cwd: folder });
    const after = readFileSync(path.join(folder, 'common/status.yaml'), 'utf8');
    expect(after.startsWith('\uFEFFstatus:\r\n')).toBe(true);
    expect(after).not.toContain('"403"');
    expect(patched).toBe(after);
  }, 120_000);
});
