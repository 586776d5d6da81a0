import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { explainDocuments } from '../../src/explain/index.js';
import { fix } from '../../src/fix/index.js';
import { lint } from '../../src/lint/run.js';
import { runCli, tempProject } from '../helpers/cli.js';

// Session 12: a response of an mTLS-secured operation that cannot be read is never passed over in silence.
// The 403, `4XX` and `default` entries decide the verdict: a broken one is the document's input error. Any other
// entry (`404`, `200`) cannot document a 403, so the document is still linted and fixed, but each unreadable one is
// an input error of its own (mtls-fix-input at the `$ref`, exit 2).

type Version = 'swagger2' | 'oas30' | 'oas31' | 'oas32';
const VERSIONS: Version[] = ['swagger2', 'oas30', 'oas31', 'oas32'];

/**
 * A document in `version`, as YAML or JSON, whose mTLS-secured `GET /a` documents a 403 and the given extra
 * responses (`responses`: code -> value). Every operation is mTLS-secured through `x-mtls: true`.
 */
function documentText(version: Version, syntax: 'yaml' | 'json', responses: Record<string, unknown>): string {
  const head =
    version === 'swagger2'
      ? { swagger: '2.0' }
      : { openapi: { oas30: '3.0.3', oas31: '3.1.0', oas32: '3.2.0' }[version] };
  const data = {
    ...head,
    info: { title: 't', version: '1' },
    'x-mtls': true,
    paths: { '/a': { get: { responses: { '403': { description: 'no' }, ...responses } } } },
  };
  if (syntax === 'json') return JSON.stringify(data, null, 2) + '\n';
  // YAML: block style, one key a line, so the line of each key is known.
  const yaml = (value: unknown, indent: string): string =>
    Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) =>
        inner !== null && typeof inner === 'object'
          ? `${indent}'${key}':\n${yaml(inner, indent + '  ')}`
          : `${indent}'${key}': ${JSON.stringify(inner)}\n`,
      )
      .join('');
  return yaml(data, '');
}

/** The 1-based line of the first line holding `needle`. */
function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

/** Unreadable kinds: the `404` entry's value, extra files, and what the message says. */
const UNREADABLE: { kind: string; value: unknown; files?: Record<string, string>; message: RegExp }[] = [
  {
    kind: 'a file that does not exist',
    value: { $ref: 'missing.yaml#/NotFound' },
    message: /unresolvable \$ref 'missing\.yaml#\/NotFound': .*not found/,
  },
  {
    kind: 'a pointer that leads nowhere in the document',
    value: { $ref: '#/components/responses/Nope' },
    message: /unresolvable \$ref '#\/components\/responses\/Nope': \/components\/responses\/Nope not found/,
  },
  {
    kind: 'a pointer that leads nowhere in another file',
    value: { $ref: 'common.yaml#/responses/Nope' },
    files: { 'common.yaml': 'responses: {}\n' },
    message: /\/responses\/Nope not found in common\.yaml/,
  },
  {
    kind: 'a JSON pointer without its leading slash',
    value: { $ref: '#components/responses/NotFound' },
    message: /invalid JSON pointer in \$ref '#components\/responses\/NotFound'/,
  },
  {
    kind: 'a file that does not parse',
    value: { $ref: 'broken.yaml#/NotFound' },
    files: { 'broken.yaml': 'NotFound: {description: [\n' },
    message: /invalid YAML: .*\(reached through \$ref 'broken\.yaml#\/NotFound' at spec\.(yaml|json):\d+\)/,
  },
  {
    kind: 'a circular $ref',
    value: { $ref: 'loop.yaml#/a' },
    files: { 'loop.yaml': "a: {$ref: '#/b'}\nb: {$ref: '#/a'}\n" },
    message: /circular \$ref chain/,
  },
  {
    kind: 'a remote $ref (not fetched)',
    value: { $ref: 'https://example.com/responses.yaml#/NotFound' },
    message: /remote \$ref 'https:\/\/example\.com\/responses\.yaml#\/NotFound' is not fetched/,
  },
  {
    kind: 'a response that is not a map',
    value: 'Not found',
    message: /'404' must be a map, not the string "Not found"/,
  },
];

const config = resolveConfig({}, {});

describe('an unreadable response beside the 403 of an mTLS-secured operation', () => {
  for (const version of VERSIONS) {
    for (const syntax of ['yaml', 'json'] as const) {
      for (const { kind, value, files, message } of UNREADABLE) {
        it(`${version} ${syntax}: ${kind} under 404 is an input error at its key; the 403 is still reported and fixed`, async () => {
          const name = `spec.${syntax}`;
          const text = documentText(version, syntax, { '404': value });
          const folder = tempProject({ [name]: text, ...files });
          const report = await lint({ files: [name], cwd: folder, config });
          const line = lineOf(text, syntax === 'json' ? '"404"' : "'404'");
          expect(report.inputErrors.map((error) => error.message)).toEqual([expect.stringMatching(message)]);
          // Where the user must look: the broken file itself (with the `$ref` that led there in the message), the
          // file holding the loop, or the document at the `404`.
          const inOther = /does not parse/.test(kind)
            ? 'broken.yaml'
            : /circular/.test(kind)
              ? 'loop.yaml'
              : name;
          expect(report.inputErrors[0]?.location).toMatchObject({ file: inOther });
          const codes = report.results.map((result) => [result.code, result.range.start.line + 1]);
          expect(codes).toContainEqual(['mtls-no-403', lineOf(text, syntax === 'json' ? '"403"' : "'403'")]);
          const input = report.results.find((result) => result.code === 'mtls-fix-input');
          expect(input?.message).toMatch(message);
          if (!/does not parse|circular/.test(kind)) {
            // At the 404 entry (its `$ref`, or its value), where the user must look.
            expect(input?.range.start.line).toBeGreaterThanOrEqual(line - 1);
            expect(input?.range.start.line).toBeLessThanOrEqual(line);
          }
          expect(report.summary.documents).toBe(1);

          // fix: the 403 is renamed (the 404 cannot hold one), the unreadable response is named.
          const fixed = fix({ files: [name], cwd: folder, config, mode: 'write' });
          expect(fixed.errors).toEqual([]);
          expect(fixed.unread.map((error) => error.message)).toEqual([expect.stringMatching(message)]);
          expect(fixed.documents[0]?.changes.map((change) => change.action)).toEqual(['renamed']);
          const after = readFileSync(path.join(folder, name), 'utf8');
          expect(after).toBe(
            text.replace(syntax === 'json' ? '"403"' : "'403'", syntax === 'json' ? '"401"' : "'401'"),
          );

          // explain: the verdicts stand; the unreadable response is listed.
          const explained = explainDocuments({ files: [name], config, cwd: folder });
          expect(explained[0]?.operations.map((operation) => operation.mtls)).toEqual([true]);
          expect(explained[0]?.unread).toEqual([expect.stringMatching(message)]);
        });
      }
    }
  }

  it('under default (which may document the 403), the operation is the input error, as under 403 and 4XX (named, not checked)', async () => {
    for (const code of ['default', '4XX', '403 ']) {
      const folder = tempProject({
        'spec.yaml': documentText('oas31', 'yaml', { [code]: { $ref: '#/components/responses/Nope' } }),
      });
      const report = await lint({ files: ['spec.yaml'], cwd: folder, config });
      // Session 13: the document is read but that operation is not (others would still be checked).
      expect(report.summary).toMatchObject({ documents: 1, operations: 0, operationsUnread: 1 });
      // The $ref leads nowhere: stock Spectral's invalid-ref too (session 32).
      expect(report.results.map((result) => result.code)).toEqual(['mtls-fix-input', 'invalid-ref']);
      expect(report.inputErrors[0]?.location?.key).toBe(`/paths/~1a/get/responses/${code}/$ref`);
    }
  });

  it('fix keeps the 403 when the documented agreed status cannot be read (its content cannot be compared)', () => {
    const text = documentText('oas30', 'yaml', { '401': { $ref: 'missing.yaml#/Unauthorized' } });
    const folder = tempProject({ 'spec.yaml': text });
    const report = fix({ files: ['spec.yaml'], cwd: folder, config, mode: 'write' });
    expect(report.documents[0]?.changes).toMatchObject([
      {
        action: 'skipped',
        reason: expect.stringMatching(
          /^the documented 401 cannot be read \(spec\.yaml:\d+:\d+ .*missing\.yaml.*\); fix it and run again/,
        ) as unknown,
      },
    ]);
    expect(readFileSync(path.join(folder, 'spec.yaml'), 'utf8')).toBe(text);
  });

  it('operations that are not mTLS-secured: their other responses are not read (the verdict cannot use them)', async () => {
    const text = documentText('oas31', 'yaml', { '404': { $ref: 'missing.yaml#/NotFound' } }).replace(
      "'x-mtls': true",
      "'x-mtls': false",
    );
    const folder = tempProject({ 'spec.yaml': text });
    const report = await lint({ files: ['spec.yaml'], cwd: folder, config });
    expect(report.inputErrors).toEqual([]);
  });

  it('CLI: lint prints the findings and the input error, one stderr line, exit 2; fix and explain exit 2 too', () => {
    const text = documentText('oas31', 'yaml', { '404': { $ref: 'missing.yaml#/NotFound' } });
    const folder = tempProject({ 'spec.yaml': text });
    const linted = runCli(['lint', 'spec.yaml'], { cwd: folder });
    expect(linted.code).toBe(2);
    expect(linted.stdout).toMatch(/error\s+mtls-no-403/);
    expect(linted.stdout).toMatch(/error\s+mtls-fix-input\s+unresolvable \$ref 'missing\.yaml#\/NotFound'/);
    expect(linted.stderr).toMatch(
      /^mtls-fix: spec\.yaml:\d+:\d+ \(\/paths\/~1a\/get\/responses\/404\/\$ref\): unresolvable \$ref 'missing\.yaml#\/NotFound': .* Fix the reference\.\n$/,
    );
    const explained = runCli(['explain', 'spec.yaml'], { cwd: folder });
    expect(explained.code).toBe(2);
    expect(explained.stderr).toMatch(/unresolvable \$ref 'missing\.yaml#\/NotFound'/);
    const fixed = runCli(['fix', 'spec.yaml'], { cwd: folder });
    expect(fixed.code).toBe(2);
    expect(fixed.stdout).toMatch(/1 response could not be read \(errors on stderr\)\./);
    expect(fixed.stderr).toMatch(/unresolvable \$ref 'missing\.yaml#\/NotFound'/);
  });
});
