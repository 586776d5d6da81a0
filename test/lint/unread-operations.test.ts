import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { explainDocuments } from '../../src/explain/index.js';
import { fix } from '../../src/fix/index.js';
import { lint } from '../../src/lint/run.js';
import { runCli, tempProject } from '../helpers/cli.js';

// Session 13: a path item or operation that cannot be read made the whole document an input error, and only the
// first such place was named; the 403s of every other operation went unchecked ("checked 0 documents"). Now each
// place that cannot be read is named (mtls-fix-input, exit 2), and every other operation is still checked; `fix`
// leaves such a document as it is (which operations read a shared 403 cannot be told) and names each place.

type Version = 'swagger2' | 'oas30' | 'oas31' | 'oas32';
const VERSIONS: Version[] = ['swagger2', 'oas30', 'oas31', 'oas32'];

/**
 * One kind of unreadable place: the `paths` entry written for `/b` and `/c` (each broken the same way), the
 * pointer named in the error for `/b` (and `/c`), and what the message says. `only` limits it to some versions.
 */
interface Kind {
  kind: string;
  entry: unknown;
  pointer: (pathKey: string) => string;
  message: RegExp;
  only?: Version[];
}

const KINDS: Kind[] = [
  {
    kind: 'a path item that is a number',
    entry: 5,
    pointer: (key) => `/paths/~1${key}`,
    message: /must be a map, not the number 5/,
  },
  {
    kind: 'a path item left empty',
    entry: null,
    pointer: (key) => `/paths/~1${key}`,
    message: /must be a map, not an empty value/,
  },
  {
    kind: "a path item's $ref that leads nowhere",
    entry: { $ref: '#/x-paths/nope' },
    pointer: (key) => `/paths/~1${key}/$ref`,
    message: /unresolvable \$ref '#\/x-paths\/nope'/,
  },
  {
    kind: 'an operation written as a string',
    entry: { get: 'oops' },
    pointer: (key) => `/paths/~1${key}/get`,
    message: /'get' must be a map, not the string "oops"/,
  },
  {
    kind: "an operation's security written as a map",
    entry: { get: { security: { cert: [] }, responses: { '200': { description: 'ok' } } } },
    pointer: (key) => `/paths/~1${key}/get/security`,
    message: /'security' must be a list, not a map/,
  },
  {
    kind: 'a 403 written as a string',
    entry: { get: { responses: { '403': 'Forbidden' } } },
    pointer: (key) => `/paths/~1${key}/get/responses/403`,
    message: /'403' must be a map, not the string "Forbidden"/,
  },
  {
    kind: "a 403's $ref that leads nowhere",
    entry: { get: { responses: { '403': { $ref: '#/x-responses/nope' } } } },
    pointer: (key) => `/paths/~1${key}/get/responses/403/$ref`,
    message: /unresolvable \$ref '#\/x-responses\/nope'/,
  },
  {
    kind: "a `default`'s $ref into a file that does not exist",
    entry: { get: { responses: { default: { $ref: 'missing.yaml#/Error' } } } },
    pointer: (key) => `/paths/~1${key}/get/responses/default/$ref`,
    message: /unresolvable \$ref 'missing\.yaml#\/Error': file not found/,
  },
  {
    kind: 'an OAS 3.2 additional operation written as a list',
    entry: { additionalOperations: { LINK: [] } },
    pointer: (key) => `/paths/~1${key}/additionalOperations/LINK`,
    message: /'LINK' must be a map, not a list/,
    only: ['oas32'],
  },
];

/**
 * A document in `version` (YAML or JSON) where every operation is mTLS-secured (`x-mtls: true`): `GET /a`
 * documents a 403 and can be read; `/b` and `/c` are written as `entry`.
 */
function documentText(version: Version, syntax: 'yaml' | 'json', entry: unknown): string {
  const head =
    version === 'swagger2'
      ? { swagger: '2.0' }
      : { openapi: { oas30: '3.0.3', oas31: '3.1.0', oas32: '3.2.0' }[version] };
  const data = {
    ...head,
    info: { title: 't', version: '1' },
    'x-mtls': true,
    paths: { '/a': { get: { responses: { '403': { description: 'no' } } } }, '/b': entry, '/c': entry },
  };
  if (syntax === 'json') return JSON.stringify(data, null, 2) + '\n';
  const yaml = (value: unknown, indent: string): string =>
    Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) =>
        inner !== null && typeof inner === 'object' && !(Array.isArray(inner) && inner.length === 0)
          ? `${indent}'${key}':\n${yaml(inner, indent + '  ')}`
          : `${indent}'${key}': ${inner === null ? '' : JSON.stringify(inner)}\n`,
      )
      .join('');
  return yaml(data, '');
}

const config = resolveConfig({});

describe('every path item or operation that cannot be read is named; the others are still checked', () => {
  for (const version of VERSIONS) {
    for (const syntax of ['yaml', 'json'] as const) {
      for (const { kind, entry, pointer, message, only } of KINDS) {
        if (only && !only.includes(version)) continue;
        it(`${version} ${syntax}: ${kind}`, async () => {
          const name = `spec.${syntax}`;
          const text = documentText(version, syntax, entry);
          const folder = tempProject({ [name]: text });

          // lint: the 403 of GET /a is reported; /b and /c are each named; exit 2 (the CLI) and never clean.
          const report = await lint({ files: [name], cwd: folder, config });
          // A $ref that leads nowhere (local, or into a file that does not exist: session 33) is also stock Spectral's
          // invalid-ref, one per place (session 32).
          const brokenRefs = /leads nowhere|does not exist/.test(kind) ? ['invalid-ref', 'invalid-ref'] : [];
          expect(report.results.map((result) => result.code).sort()).toEqual([
            ...brokenRefs,
            'mtls-fix-input',
            'mtls-fix-input',
            'mtls-no-403',
          ]);
          expect(report.inputErrors.map((error) => error.location?.key)).toEqual([
            pointer('b'),
            pointer('c'),
          ]);
          for (const error of report.inputErrors) expect(error.message).toMatch(message);
          expect(report.summary).toMatchObject({ documents: 1, operations: 1, operationsUnread: 2 });

          // fix: nothing in the document changes; each place is named.
          const fixed = fix({ files: [name], cwd: folder, config, mode: 'write' });
          expect(fixed.errors.map((error) => error.message)).toEqual([
            expect.stringMatching(/^2 path items or operations cannot be read \(named below\), so nothing/),
          ]);
          expect(fixed.unread.map((error) => error.location?.key)).toEqual([pointer('b'), pointer('c')]);
          expect(readFileSync(path.join(folder, name), 'utf8')).toBe(text);

          // explain: GET /a is explained, /b and /c are listed as unread.
          const explained = explainDocuments({ files: [name], config, cwd: folder });
          expect(
            explained[0]?.operations.map((operation) => `${operation.method} ${operation.path}`),
          ).toEqual(['GET /a']);
          expect(explained[0]?.unread).toEqual([
            expect.stringContaining(`(${pointer('b')})`),
            expect.stringContaining(`(${pointer('c')})`),
          ]);
        });
      }
    }
  }

  it('the command line: one line per place on stderr, the summary says what was not read, exit 2', () => {
    const text = documentText('oas31', 'yaml', { get: 'oops' });
    const cwd = tempProject({ 'spec.yaml': text });
    const run = runCli(['lint', 'spec.yaml'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/mtls-no-403\s+GET \/a is mTLS-secured/);
    expect(run.stdout).toContain(
      'mtls-fix: checked 1 document, 1 operation, 1 mTLS-secured (extension: 1); not read: 2 operations (each an mtls-fix-input error)',
    );
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^mtls-fix: spec\.yaml:\d+:\d+ \(\/paths\/~1b\/get\): 'get' must be a map/),
      expect.stringMatching(/^mtls-fix: spec\.yaml:\d+:\d+ \(\/paths\/~1c\/get\): 'get' must be a map/),
    ]);
    const fixed = runCli(['fix', 'spec.yaml'], { cwd });
    expect(fixed.code).toBe(2);
    expect(fixed.stderr.trim().split('\n')).toEqual([
      'mtls-fix: spec.yaml: 2 path items or operations cannot be read (named below), so nothing in this document was changed. Fix them and run again.',
      expect.stringMatching(/^mtls-fix: spec\.yaml:\d+:\d+ \(\/paths\/~1b\/get\)/),
      expect.stringMatching(/^mtls-fix: spec\.yaml:\d+:\d+ \(\/paths\/~1c\/get\)/),
    ]);
    expect(fixed.stdout).toContain('2 parts could not be read (errors on stderr).');
    expect(readFileSync(path.join(cwd, 'spec.yaml'), 'utf8')).toBe(text);
  });

  it("the Spectral engine gives the same results (the unread places are mtls-fix's own input results)", async () => {
    const text = documentText('oas30', 'yaml', { get: { responses: { '403': 'Forbidden' } } });
    const folder = tempProject({ 'spec.yaml': text });
    const plain = await lint({ files: ['spec.yaml'], cwd: folder, config });
    const spectral = await lint({ files: ['spec.yaml'], cwd: folder, config, engine: 'spectral' });
    const codes = (results: typeof plain.results) =>
      results.map((result) => [result.code, result.range.start.line]);
    expect(codes(spectral.results)).toEqual(codes(plain.results));
  });
});
