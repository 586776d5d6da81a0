import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { explainDocuments } from '../../src/explain/index.js';
import { fix } from '../../src/fix/index.js';
import { lint } from '../../src/lint/run.js';
import { runCli, tempProject } from '../helpers/cli.js';

// Session 17 (newuser17): operations written where the model did not look were not operations at all. A Path
// Item key `GET:` / `Post:` (the method in another case) and AWS API Gateway's `x-amazon-apigateway-any-method`
// (its `ANY` operation, Swagger 2.0 and OAS 3.0 exports) were skipped: `lint` printed "checked 1 document,
// 0 operations" and exit 0 for a document whose every 403 was on an mTLS-secured operation, `fix` changed nothing.
// A key written like an operation that is no method (`gett: {responses: ...}`) was skipped silently as well. And
// `fix` did not see a webhook's or callback's OAS 3.2 `additionalOperations` entry as a reader of a shared 403,
// so it renamed a key a webhook still documents.

type Version = 'swagger2' | 'oas30' | 'oas31' | 'oas32';
const VERSIONS: Version[] = ['swagger2', 'oas30', 'oas31', 'oas32'];

/** A document in `version`, every operation mTLS-secured (`x-mtls: true`), with `/a` written as `pathItem`. */
function documentText(version: Version, syntax: 'yaml' | 'json', pathItem: Record<string, unknown>): string {
  const head =
    version === 'swagger2'
      ? { swagger: '2.0' }
      : { openapi: { oas30: '3.0.3', oas31: '3.1.0', oas32: '3.2.0' }[version] };
  const data = { ...head, info: { title: 't', version: '1' }, 'x-mtls': true, paths: { '/a': pathItem } };
  if (syntax === 'json') return JSON.stringify(data, null, 2) + '\n';
  // Block YAML, every key quoted, so the 403 keys are written `'403':` (what fix must turn into `'401':`).
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

const forbidden = { responses: { '403': { description: 'no' } } };

/** Each spelling: the Path Item, the method findings name, and the key under the Path Item. */
const SPELLINGS: { kind: string; key: string; method: string }[] = [
  { kind: 'a method written in upper case', key: 'GET', method: 'GET' },
  { kind: 'a method written in mixed case', key: 'Post', method: 'POST' },
  { kind: "AWS API Gateway's catch-all operation", key: 'x-amazon-apigateway-any-method', method: 'ANY' },
];

const config = resolveConfig({});

describe('every place a Path Item writes an operation is read (lint, fix, explain, Spectral)', () => {
  for (const version of VERSIONS) {
    for (const syntax of ['yaml', 'json'] as const) {
      for (const { kind, key, method } of SPELLINGS) {
        it(`${version} ${syntax}: ${kind} (${key})`, async () => {
          const name = `spec.${syntax}`;
          const text = documentText(version, syntax, { [key]: forbidden });
          const folder = tempProject({ [name]: text });

          const report = await lint({ files: [name], cwd: folder, config });
          expect(report.results.map((result) => [result.code, result.message.split(' is ')[0]])).toEqual([
            ['mtls-no-403', `${method} /a`],
          ]);
          expect(report.results[0]?.path).toEqual(['paths', '/a', key, 'responses', '403']);
          expect(report.summary).toMatchObject({ documents: 1, operations: 1, mtlsSecured: 1 });

          const spectral = await lint({ files: [name], cwd: folder, config, engine: 'spectral' });
          expect(spectral.results.map((result) => [result.code, result.range.start.line])).toEqual(
            report.results.map((result) => [result.code, result.range.start.line]),
          );

          const explained = explainDocuments({ files: [name], config, cwd: folder });
          expect(
            explained[0]?.operations.map((operation) => `${operation.method} ${operation.path}`),
          ).toEqual([`${method} /a`]);

          // fix renames exactly that key, nothing else.
          const fixed = fix({ files: [name], cwd: folder, config, mode: 'write' });
          expect(fixed.errors).toEqual([]);
          const quote = syntax === 'json' ? '"' : "'";
          expect(readFileSync(path.join(folder, name), 'utf8')).toBe(
            text.replace(`${quote}403${quote}:`, `${quote}401${quote}:`),
          );
        });
      }

      it(`${version} ${syntax}: a key written like an operation that is no method is named, the others still checked`, async () => {
        const name = `spec.${syntax}`;
        const text = documentText(version, syntax, { gett: forbidden, get: forbidden });
        const folder = tempProject({ [name]: text });
        const report = await lint({ files: [name], cwd: folder, config });
        expect(report.results.map((result) => result.code).sort()).toEqual(['mtls-fix-input', 'mtls-no-403']);
        expect(report.inputErrors.map((error) => error.location?.key)).toEqual(['/paths/~1a/gett']);
        expect(report.inputErrors[0]?.message).toMatch(/'gett' is written like an operation .* not checked/);
        expect(report.summary).toMatchObject({ operations: 1, operationsUnread: 1 });
        const fixed = fix({ files: [name], cwd: folder, config, mode: 'write' });
        expect(fixed.unread.map((error) => error.location?.key)).toEqual(['/paths/~1a/gett']);
        expect(readFileSync(path.join(folder, name), 'utf8')).toBe(text);
      });
    }
  }

  it('keys that are not operations stay unread: x- extensions, Path Item fields, maps without responses', async () => {
    const text = documentText('oas31', 'json', {
      get: forbidden,
      'x-internal': forbidden,
      summary: 's',
      parameters: [],
      servers: [{ url: 'https://api.example.test' }],
      notes: { text: 'no responses here' },
    });
    const folder = tempProject({ 'spec.json': text });
    const report = await lint({ files: ['spec.json'], cwd: folder, config });
    expect(report.results.map((result) => result.code)).toEqual(['mtls-no-403']);
    expect(report.summary).toMatchObject({ operations: 1 });
  });

  it('the command line: the upper-case method is found (exit 1), the stray key is named (exit 2)', () => {
    const cwd = tempProject({
      'aws.yaml': documentText('swagger2', 'yaml', { 'x-amazon-apigateway-any-method': forbidden }),
      'stray.yaml': documentText('oas30', 'yaml', { connect: forbidden }),
    });
    const aws = runCli(['lint', 'aws.yaml'], { cwd });
    expect(aws.code).toBe(1);
    expect(aws.stdout).toMatch(/mtls-no-403\s+ANY \/a is mTLS-secured/);
    expect(aws.stdout).toContain('mtls-fix: checked 1 document, 1 operation, 1 mTLS-secured (extension: 1)');
    const stray = runCli(['lint', 'stray.yaml'], { cwd });
    expect(stray.code).toBe(2);
    expect(stray.stderr.trim()).toMatch(
      /^mtls-fix: stray\.yaml:\d+:\d+ \(\/paths\/~1a\/connect\): 'connect' is written like an operation/,
    );
  });
});

describe('fix: an OAS 3.0 x-webhooks entry sharing a path item keeps its 403', () => {
  // `x-webhooks` (the OAS 3.0 form of webhooks: Okta, Redocly) reusing an operation's path item: `fix` renamed
  // the key the webhook still documents.
  for (const syntax of ['yaml', 'json'] as const) {
    it(syntax, () => {
      const data = {
        openapi: '3.0.3',
        info: { title: 't', version: '1' },
        'x-mtls': true,
        paths: { '/a': { post: { responses: { '403': { description: 'no' } } } } },
        'x-webhooks': { ev: { $ref: '#/paths/~1a' } },
      };
      const name = `spec.${syntax}`;
      const text =
        syntax === 'json'
          ? JSON.stringify(data, null, 2)
          : `openapi: 3.0.3\ninfo: { title: t, version: '1' }\nx-mtls: true\npaths:\n  /a:\n    post:\n      responses:\n        '403': { description: no }\nx-webhooks:\n  ev: { $ref: '#/paths/~1a' }\n`;
      const folder = tempProject({ [name]: text });
      const fixed = fix({ files: [name], cwd: folder, config, mode: 'write' });
      expect(fixed.documents[0]?.changes.map((change) => [change.action, change.reason])).toEqual([
        ['skipped', expect.stringContaining('shared with x-webhook ev POST, which is not migrated')],
      ]);
      expect(readFileSync(path.join(folder, name), 'utf8')).toBe(text);
    });
  }
});

describe('fix: a webhook or callback reading a 403 through any operation field keeps it', () => {
  const shared = (readers: string): string => `openapi: 3.2.0
info: { title: t, version: '1' }
x-mtls: true
paths:
  /a:
    $ref: '#/components/pathItems/P'
${readers}
components:
  pathItems:
    P:
      additionalOperations:
        LINK:
          responses:
            '403': { description: no }
`;
  const cases: { kind: string; readers: string; reader: string }[] = [
    {
      kind: "a webhook's additionalOperations",
      readers: `webhooks:\n  ev:\n    $ref: '#/components/pathItems/P'`,
      reader: 'webhook ev LINK',
    },
    {
      kind: "a callback's additionalOperations",
      readers: `  /b:
    get:
      x-mtls: false
      responses: { '200': { description: ok } }
      callbacks:
        done:
          '{$request.body#/url}':
            $ref: '#/components/pathItems/P'`,
      reader: 'callback done LINK of GET /b',
    },
  ];
  for (const { kind, readers, reader } of cases) {
    it(kind, () => {
      const text = shared(readers);
      const folder = tempProject({ 'spec.yaml': text });
      const fixed = fix({ files: ['spec.yaml'], cwd: folder, config, mode: 'write' });
      expect(fixed.documents[0]?.changes.map((change) => [change.action, change.reason])).toEqual([
        ['skipped', expect.stringContaining(`shared with ${reader}, which is not migrated`)],
      ]);
      expect(readFileSync(path.join(folder, 'spec.yaml'), 'utf8')).toBe(text);
    });
  }
});
