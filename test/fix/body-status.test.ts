import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { tempProject } from '../helpers/cli.js';
import { runFix } from './helpers.js';

/**
 * breaker35 #04 (XeroAPI/Xero-OpenAPI xero_bankfeeds.yaml): `fix` renamed a 403 to 401 and left the response's own
 * problem details body saying 403 (`status: 403` in its example, `enum: [403]` in its schema). RFC 9457 §3.1.2:
 * the body's `status` must be the response's. The members of the renamed response's own body follow the key; what
 * is reached through a `$ref` or a YAML alias (maybe another response's) is left alone.
 */
const OAS3 = (response: string, extra = ''): string =>
  'openapi: 3.1.0\ninfo: {title: t, version: "1"}\nx-mtls: true\npaths:\n  /statements:\n    post:\n' +
  `      responses:\n        "200": {description: ok}\n        "403":\n${response}${extra}`;

const PROBLEM = '          description: denied\n          content:\n            application/problem+json:\n';

const PJ = 'application/problem+json';

/** The value at `path` in parsed data (undefined where the path leaves it). */
function valueAt(data: unknown, path: (string | number)[]): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[String(segment)];
  }
  return node;
}

interface Case {
  name: string;
  text: string;
  /** Values after the fix, by path under the operation's (renamed) 401 response. */
  expected: [(string | number)[], unknown][];
  /** The labels the report gives (`change.body`). */
  body: string[] | undefined;
}

const cases: Case[] = [
  {
    name: 'OAS 3.1 example and inline schema (flow style)',
    text: OAS3(
      PROBLEM +
        '              schema:\n                type: object\n                properties:\n' +
        '                  status: {type: integer, enum: [403]}\n                  title: {type: string, const: Forbidden}\n' +
        '              example: {type: about:blank, title: Forbidden, status: 403, detail: no}\n',
    ),
    expected: [
      [['content', PJ, 'schema', 'properties', 'status', 'enum'], [401]],
      [['content', PJ, 'schema', 'properties', 'title', 'const'], 'Unauthorized'],
      [['content', PJ, 'example'], { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'no' }],
    ],
    body: [
      'application/problem+json schema status enum',
      'application/problem+json schema title const',
      'application/problem+json example status',
      'application/problem+json example title',
    ],
  },
  {
    name: 'named examples, a string status, a title that is not the reason phrase',
    text: OAS3(
      PROBLEM +
        "              examples:\n                denied:\n                  value:\n                    status: '403'\n" +
        '                    title: Access to this feed is not allowed\n' +
        '                other:\n                  value: {status: 400, title: Forbidden}\n',
    ),
    expected: [
      [
        ['content', PJ, 'examples', 'denied', 'value'],
        { status: '401', title: 'Access to this feed is not allowed' },
      ],
      // Another status's example is not this response's status: left as written.
      [['content', PJ, 'examples', 'other', 'value'], { status: 400, title: 'Forbidden' }],
    ],
    body: ['application/problem+json examples.denied status'],
  },
  {
    name: 'an enum that already holds the agreed status, default and example keywords',
    text: OAS3(
      PROBLEM +
        '              schema:\n                properties:\n' +
        '                  status: {type: integer, enum: [401, 403], default: 403, example: 403}\n',
    ),
    expected: [
      [
        ['content', PJ, 'schema', 'properties', 'status'],
        { type: 'integer', enum: [401, 403], default: 401, example: 401 },
      ],
    ],
    body: [
      'application/problem+json schema status default',
      'application/problem+json schema status example',
    ],
  },
  {
    name: 'a $ref schema and a $ref example are left alone',
    text: OAS3(
      PROBLEM +
        "              schema: {$ref: '#/components/schemas/Problem'}\n" +
        "              examples:\n                denied: {$ref: '#/components/examples/Denied'}\n",
      'components:\n  schemas:\n    Problem:\n      properties:\n        status: {enum: [403]}\n' +
        '  examples:\n    Denied:\n      value: {status: 403}\n',
    ),
    expected: [[['content', PJ, 'schema'], { $ref: '#/components/schemas/Problem' }]],
    body: undefined,
  },
  {
    name: 'a YAML alias shared with another response is left alone',
    text:
      'openapi: 3.0.3\ninfo: {title: t, version: "1"}\nx-mtls: true\npaths:\n  /a:\n    get:\n      responses:\n' +
      '        "200": {description: ok}\n        "403":\n          description: denied\n' +
      '          content:\n            application/json:\n              example: &denied {status: 403}\n' +
      '  /b:\n    get:\n      x-mtls: false\n      responses:\n        "403":\n          description: denied\n' +
      '          content:\n            application/json:\n              example: *denied\n',
    expected: [],
    body: undefined,
  },
  {
    name: 'Swagger 2.0 examples and schema',
    text:
      'swagger: "2.0"\ninfo: {title: t, version: "1"}\nx-mtls: true\npaths:\n  /statements:\n    post:\n' +
      '      responses:\n        "403":\n          description: denied\n          schema:\n' +
      '            properties:\n              status: {type: integer, const: 403}\n' +
      '          examples:\n            application/json: {status: 403, title: Forbidden}\n',
    expected: [
      [['schema', 'properties', 'status', 'const'], 401],
      [['examples', 'application/json'], { status: 401, title: 'Unauthorized' }],
    ],
    body: ['schema status const', 'examples.application/json status', 'examples.application/json title'],
  },
];

describe('fix: a renamed response whose own body says 403 follows the key', () => {
  for (const c of cases) {
    it(c.name, () => {
      const folder = tempProject({ 'openapi.yaml': c.text });
      const report = runFix(folder, 'openapi.yaml', {});
      expect(report.errors).toEqual([]);
      const change = report.documents[0].changes.find((x) => x.operations.includes('POST /statements'));
      if (change) {
        expect(change.action).toBe('renamed');
        expect(change.body).toEqual(c.body);
      }
      const text = readFileSync(path.join(folder, 'openapi.yaml'), 'utf8');
      const response = ['paths', '/statements', 'post', 'responses', '401'];
      for (const [at, value] of c.expected) expect(valueAt(load(text), [...response, ...at])).toEqual(value);
      if (c.name.startsWith('a YAML alias')) {
        // The anchored example is another response's too: the text keeps it, and the key is still renamed.
        expect(text).toContain('example: &denied {status: 403}');
        expect(text).toContain('"401":');
      }
      if (c.name.startsWith('a $ref')) expect(text).toContain('status: {enum: [403]}');
      // A second run has nothing left to change.
      const again = runFix(folder, 'openapi.yaml', {}, 'check');
      expect(again.documents[0].changes.filter((x) => x.action !== 'skipped')).toEqual([]);
    });
  }

  it('JSON keeps its layout: only the values change', () => {
    const document = {
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      'x-mtls': true,
      paths: {
        '/a': {
          get: {
            responses: {
              '403': {
                description: 'denied',
                content: { 'application/problem+json': { example: { status: 403, title: 'Forbidden' } } },
              },
            },
          },
        },
      },
    };
    const written = JSON.stringify(document, null, 4) + '\n';
    const folder = tempProject({ 'openapi.json': written });
    runFix(folder, 'openapi.json', {});
    const text = readFileSync(path.join(folder, 'openapi.json'), 'utf8');
    expect(text).toBe(
      written
        .replace('"403"', '"401"')
        .replace('"status": 403', '"status": 401')
        .replace('"title": "Forbidden"', '"title": "Unauthorized"'),
    );
  });
});
