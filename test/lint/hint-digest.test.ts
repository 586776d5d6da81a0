import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DIGEST_NAMED, hintTexts, SEPARATE_HINTS } from '../../src/lint/hint-digest.js';
import type { LintHint } from '../../src/lint/types.js';
import { runCli, tempProject } from '../helpers/cli.js';

// Many documents with no mTLS-secured operation (a folder of 3GPP APIs: 250 of them) print one digest, one
// short line per document, instead of a paragraph each; a few keep their paragraphs; none is left unnamed.
const noMtls = (n: number, mentions = false): LintHint => ({
  source: `/d/api${n}.yaml`,
  line: 10 + n,
  terms: mentions ? [{ term: 'mutual TLS', line: 10 + n, text: 'mTLS' }] : [],
  message: `api${n}.yaml:${10 + n}: the whole paragraph for document ${n}.`,
  noMtls: {
    where: `api${n}.yaml:${10 + n}`,
    brief: `2 of its 2 operations document a 403`,
    document: `/d/api${n}.yaml`,
    forbidden: 2,
  },
});
const remote: LintHint = {
  source: '/d/r.yaml',
  line: 3,
  terms: [],
  message: 'r.yaml:3: 1 remote $ref was skipped.',
};

describe('hintTexts', () => {
  it(`keeps up to ${SEPARATE_HINTS} documents' paragraphs as they are`, () => {
    const hints = [noMtls(1), remote, noMtls(2), noMtls(3)];
    expect(hintTexts(hints)).toEqual(hints.map((h) => h.message));
  });

  it('makes one digest of more, naming the first ones and counting the rest, other hints after it', () => {
    const hints = [remote, ...Array.from({ length: DIGEST_NAMED + 5 }, (_, i) => noMtls(i, i < 2))];
    const [digest, ...rest] = hintTexts(hints);
    expect(rest).toEqual([remote.message]);
    const lines = digest.split('\n');
    expect(lines[0]).toBe(
      `${DIGEST_NAMED + 5} documents have no mTLS-secured operation, so no 403 in them was checked (2 of them mention mTLS):`,
    );
    expect(lines.slice(1, 1 + DIGEST_NAMED)).toEqual(
      Array.from(
        { length: DIGEST_NAMED },
        (_, i) => `  api${i}.yaml:${10 + i}: 2 of its 2 operations document a 403`,
      ),
    );
    expect(lines[1 + DIGEST_NAMED]).toBe('  and 5 more (`mtls-fix lint --explain` lists every one)');
    expect(lines.at(-1)).toMatch(/^ {2}If their endpoints are served over mTLS, try --mtls-everywhere/);
    expect(digest).not.toContain('the whole paragraph');
  });

  it('names every document with --explain', () => {
    const hints = Array.from({ length: DIGEST_NAMED + 5 }, (_, i) => noMtls(i));
    const [digest] = hintTexts(hints, true);
    for (let i = 0; i < DIGEST_NAMED + 5; i++) expect(digest).toContain(`  api${i}.yaml:${10 + i}: `);
    expect(digest).not.toContain('more (');
  });
});

describe('lint over many documents with no mTLS-secured operation', () => {
  const temps: string[] = [];
  afterEach(() => {
    for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const document = (name: string): string =>
    [
      'openapi: 3.1.0',
      `info: { title: ${name}, version: "1" }`,
      'paths:',
      '  /a:',
      '    get:',
      "      responses: { '200': { description: ok }, '403': { description: no } }",
      '',
    ].join('\n');

  // Session 31, Mastercard/open-banking-us-openapi gen/finicity-apimatic-20220106.yaml: its 84 operations document
  // no 403 but a `default` response each; the digest said "0 of its 84 operations document a 403, nothing about
  // mTLS", leaving out what the document's own result says (a 403 may be sent under `default`).
  it('a digest line names the operations with a 4XX range or default response', () => {
    const ranged = (name: string): string =>
      document(name).replace("'403': { description: no }", 'default: { description: error }');
    const dir = tempProject(Object.fromEntries([1, 2, 3, 4].map((n) => [`api${n}.yaml`, ranged(`a${n}`)])));
    temps.push(dir);
    const stylish = runCli(['lint', ...[1, 2, 3, 4].map((n) => `api${n}.yaml`)], { cwd: dir });
    for (const n of [1, 2, 3, 4])
      expect(stylish.stdout).toContain(
        `  api${n}.yaml:1: 0 of its 1 operation document a 403 (1 a 4XX range or default response, under which a 403 may be sent), nothing about mTLS`,
      );
  });

  it('prints one digest in stylish instead of five mtls-unchecked results; json lists each result', () => {
    const dir = tempProject(
      Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`api${n}.yaml`, document(`a${n}`)])),
    );
    temps.push(dir);
    const files = [1, 2, 3, 4, 5].map((n) => `api${n}.yaml`);
    const stylish = runCli(['lint', ...files], { cwd: dir });
    expect(stylish.code).toBe(0);
    const hintLines = stylish.stdout.split('\n').filter((l) => l.startsWith('hint: '));
    expect(hintLines).toEqual([
      'hint: 5 documents have no mTLS-secured operation, so no 403 in them was checked:',
    ]);
    for (const n of [1, 2, 3, 4, 5])
      expect(stylish.stdout).toContain(
        `  api${n}.yaml:6: 1 of its 1 operation documents a 403, nothing about mTLS`,
      );
    // The digest stands for the five mtls-unchecked results (said once); json lists each result, no hint.
    expect(stylish.stdout).not.toContain('mtls-unchecked');
    const json = runCli(['lint', '-f', 'json', ...files], { cwd: dir });
    const results = JSON.parse(json.stdout) as { code: string; source: string }[];
    expect(results.map((result) => result.code)).toEqual(Array(5).fill('mtls-unchecked'));
    expect(json.stderr).not.toContain('hint:');
    // --explain: each document's result, no digest.
    const explained = runCli(['lint', '--explain', ...files], { cwd: dir });
    expect(explained.stdout.match(/mtls-unchecked/g)).toHaveLength(5);
    expect(explained.stdout).not.toContain('hint:');
  });

  it('makes one notice annotation in github-actions, and keeps one per document up to three', () => {
    const dir = tempProject(
      Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`api${n}.yaml`, document(`a${n}`)])),
    );
    temps.push(dir);
    const many = runCli(['lint', '-f', 'github-actions', ...[1, 2, 3, 4, 5].map((n) => `api${n}.yaml`)], {
      cwd: dir,
    });
    expect(many.code).toBe(0);
    const notices = many.stdout.split('\n').filter((l) => l.startsWith('::notice'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /^::notice title=mtls-hint::5 documents have no mTLS-secured operation, so no 403 in them was checked:%0A {2}api1\.yaml:6: /,
    );
    for (const n of [1, 2, 3, 4, 5]) expect(notices[0]).toContain(`%0A  api${n}.yaml:6: `);
    const few = runCli(['lint', '-f', 'github-actions', 'api1.yaml', 'api2.yaml', 'api3.yaml'], { cwd: dir });
    expect(few.stdout.split('\n').filter((l) => l.startsWith('::notice file=api'))).toHaveLength(3);
  });
});
