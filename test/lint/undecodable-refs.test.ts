import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { fix } from '../../src/fix/index.js';
import { lint } from '../../src/lint/run.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 34 (newuser34), carried over from session 33: a `$ref` whose target cannot be decoded (a `%` that is not a
 * percent-encoded byte, a JSON pointer `~` escape other than `~0` / `~1`, RFC 6901 §3-4) was silent. The readers
 * decoded it leniently: `#/components/responses/For~2bidden` led to a key written `For~2bidden` (a strict reader
 * finds nothing there), a pointer that led nowhere said only "not found", and `lint` named no `$ref` into a file whose
 * name could not be decoded (`comm%ZZon.yaml`) outside the parts it reads, while stock Spectral 6.16.3 reports it.
 * Now the readers name each such `$ref` (mtls-fix-input, what cannot be decoded, exit 2) in every OpenAPI version,
 * YAML and JSON, local and into another file; and invalid-ref reports what Spectral reports.
 */

const config = resolveConfig({});

type Format = 'yaml' | 'json';

/** One mTLS-secured operation whose 403 is `$ref: ref`; components hold keys spelled as the refs are written. */
function document(version: string, format: Format, ref: string): string {
  const head = version === '2.0' ? { swagger: '2.0' } : { openapi: version };
  const responses = { 'For~2bidden': { description: 'no' }, '100%': { description: 'no' } };
  const data = {
    ...head,
    info: { title: 't', version: '1' },
    'x-mtls': true,
    paths: { '/a': { get: { responses: { '200': { description: 'ok' }, '403': { $ref: ref } } } } },
    ...(version === '2.0' ? { responses } : { components: { responses } }),
  };
  if (format === 'json') return `${JSON.stringify(data, null, 2)}\n`;
  const where = version === '2.0' ? '' : 'components:\n';
  const pad = version === '2.0' ? '' : '  ';
  return `${version === '2.0' ? "swagger: '2.0'" : `openapi: ${version}`}
info: { title: t, version: '1' }
x-mtls: true
paths:
  /a:
    get:
      responses:
        '200': { description: ok }
        '403':
          $ref: '${ref}'
${where}${pad}responses:
${pad}  For~2bidden: { description: no }
${pad}  100%: { description: no }
`;
}

const COMMON = "For~2bidden: { description: no }\n'100%': { description: no }\n";

const CASES = [
  {
    name: "a '~2' escape (a key spelled so exists)",
    local: (base: string) => `#/${base}/For~2bidden`,
    file: 'common.yaml#/For~2bidden',
    says: "'~2' is not a JSON pointer escape (~0 stands for ~, ~1 for /)",
  },
  {
    name: "a '%' that is not a percent-encoded byte (a key spelled so exists)",
    local: (base: string) => `#/${base}/100%`,
    file: 'common.yaml#/100%',
    says: "'%' is not a percent-encoded byte (a literal % is written %25)",
  },
  {
    name: 'percent-encoded bytes that are not UTF-8',
    local: (base: string) => `#/${base}/%FF`,
    file: 'common.yaml#/%FF',
    says: "'%FF' is not percent-encoded UTF-8",
  },
  {
    name: 'a file name that cannot be decoded',
    local: undefined,
    file: 'comm%ZZon.yaml#/For~0bidden',
    says: "'%ZZ' is not a percent-encoded byte (a literal % is written %25)",
  },
];

describe.each(
  (['2.0', '3.0.3', '3.1.0'] as const).flatMap((version) =>
    (['yaml', 'json'] as const).map((format) => [version, format] as const),
  ),
)('OAS %s, %s: a 403 $ref that cannot be decoded', (version, format) => {
  const base = version === '2.0' ? 'responses' : 'components/responses';
  for (const entry of CASES) {
    for (const ref of [entry.local?.(base), entry.file].filter((item) => item !== undefined)) {
      it(`${entry.name}: ${ref}`, async () => {
        const file = `openapi.${format}`;
        const cwd = tempProject({ [file]: document(version, format, ref), 'common.yaml': COMMON });
        const report = await lint({ files: [file], cwd, config });
        const input = report.results.filter((result) => result.code === 'mtls-fix-input');
        expect(input.map((result) => result.message)).toEqual([
          expect.stringContaining(`$ref '${ref}' cannot be decoded: ${entry.says}.`),
        ]);
        expect(report.results.some((result) => result.code === 'mtls-no-403')).toBe(false);
        // fix names it with its place and changes nothing (exit 2 in the command).
        const fixed = fix({ files: [file], cwd, config, mode: 'check' });
        expect(fixed.documents.flatMap((document) => document.changes)).toEqual([]);
        expect(fixed.unread.map((error) => error.message).join('\n')).toContain(
          `$ref '${ref}' cannot be decoded`,
        );
      });
    }
  }
});

describe('invalid-ref reports what stock Spectral 6.16.3 reports for such $refs (measured with spectral lint -f json)', () => {
  const files = {
    'api.yaml': `openapi: 3.1.0
info: { title: t, version: '1' }
x-mtls: false
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: 'comm%ZZon.yaml#/A' }
        '201':
          $ref: 'common.yaml#/responses/a%ZZb'
        '202':
          $ref: '#components/responses/Ok'
        '204':
          $ref: 'common.yaml#responses/Ok'
components:
  responses:
    Ok: { description: ok }
`,
    'common.yaml': 'responses:\n  Ok: { description: ok }\n',
  };

  it('a file name that cannot be decoded, a pointer into another file, a fragment that is not a pointer', async () => {
    const cwd = tempProject(files);
    const report = await lint({ files: ['api.yaml'], cwd, config });
    const broken = report.results
      .filter((result) => result.code === 'invalid-ref')
      .map((result) => [result.path, result.message, result.range.start, path.basename(result.source ?? '')]);
    expect(broken).toEqual(
      expect.arrayContaining([
        [
          ['paths', '/a', 'get', 'responses', '200', 'content', 'application/json', 'schema', '$ref'],
          `ENOENT: no such file or directory, open '${path.join(cwd, 'comm%ZZon.yaml')}'`,
          { line: 11, character: 30 },
          'api.yaml',
        ],
        [
          ['responses', 'a%ZZb', '$ref'],
          `'#/responses/a%ZZb' does not exist @ '${path.join(cwd, 'common.yaml')}'`,
          { line: 0, character: 0 },
          'api.yaml',
        ],
        [
          ['$ref'],
          "'#components/responses/Ok' JSON pointer is invalid",
          { line: 0, character: 0 },
          'api.yaml',
        ],
        [['$ref'], "'#responses/Ok' JSON pointer is invalid", { line: 0, character: 0 }, 'api.yaml'],
      ]),
    );
    expect(broken).toHaveLength(4);
  });
});

describe('fix: a reader of a shared 403 whose $ref cannot be decoded still counts', () => {
  it('the shared responses map is left for the non-mTLS operation that reads it leniently', () => {
    const text = `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /a: { get: { x-mtls: true, responses: { $ref: '#/components/x-maps/100%25' } } }
  /b: { get: { responses: { $ref: '#/components/x-maps/100%' } } }
components:
  x-maps:
    100%:
      '200': { description: ok }
      '403': { description: no }
`;
    const cwd = tempProject({ 'openapi.yaml': text });
    const fixed = fix({ files: ['openapi.yaml'], cwd, config, mode: 'check' });
    expect(JSON.stringify(fixed)).toContain('GET /b');
  });
});
