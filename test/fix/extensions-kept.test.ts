import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempProject } from '../helpers/cli.js';
import { runFix, type FixtureOptions } from './helpers.js';

/**
 * Session 27 (breaker27 #17): with the 401 already documented, `--on-conflict keep` and `merge` dropped
 * specification extensions (`x-error-codes`, any `x-*`) of the 403 response, and a media type's `encoding`, and
 * named neither; a header of the same name with another definition went the same way. Keep must name each,
 * merge must fold in what the 401 lacks and name what differs.
 */
function fixText(text: string, options: FixtureOptions = {}, name = 'openapi.yaml') {
  const folder = tempProject({ [name]: text });
  const report = runFix(folder, name, options);
  const written = readFileSync(path.join(folder, name), 'utf8');
  return { change: report.documents[0].changes[0], text: written, data: parse(written) as Doc };
}

interface Doc {
  paths: Record<string, { get: { responses: Record<string, Record<string, unknown>> } }>;
}

const HEAD =
  'openapi: 3.1.0\ninfo: {title: t, version: "1"}\nx-mtls: true\npaths:\n  /a:\n    get:\n      responses:\n';

const EXTENSIONS =
  HEAD +
  "        '401':\n          description: Unauthorized\n          x-internal-note: who are you\n" +
  "        '403':\n          description: Unauthorized\n          x-error-codes: [CONSENT_REVOKED, SCOPE_MISSING]\n" +
  '          x-internal-note: consent revoked\n';

describe('fix: extensions of a removed 403 are never lost silently', () => {
  it('keep names every x-* key the 401 lacks or holds with another value', () => {
    const { change, data } = fixText(EXTENSIONS);
    expect(change.action).toBe('removed');
    expect(change.lost).toEqual(['x-error-codes', 'x-internal-note (differs from the kept one)']);
    expect(data.paths['/a'].get.responses['403']).toBeUndefined();
  });

  it('merge copies the x-* keys the 401 lacks and names the ones that differ', () => {
    const { change, data } = fixText(EXTENSIONS, { onConflict: 'merge' });
    expect(change.action).toBe('merged');
    expect(change.added).toEqual(['x-error-codes']);
    expect(change.lost).toEqual(['x-internal-note (differs from the kept one)']);
    expect(data.paths['/a'].get.responses['401']).toEqual({
      description: 'Unauthorized',
      'x-internal-note': 'who are you',
      'x-error-codes': ['CONSENT_REVOKED', 'SCOPE_MISSING'],
    });
  });

  it('a 403 that differs from the 401 only by an extension is merged, not dropped', () => {
    const input =
      HEAD +
      "        '401': {description: no}\n        '403':\n          description: no\n          x-trace: {level: 2}\n";
    const { change, data } = fixText(input, { onConflict: 'merge' });
    expect(change).toMatchObject({ action: 'merged', added: ['x-trace'], lost: [] });
    expect(data.paths['/a'].get.responses['401']).toEqual({ description: 'no', 'x-trace': { level: 2 } });
  });

  it('media type encoding and x-* keys: named by keep, copied by merge', () => {
    const input =
      HEAD +
      "        '401':\n          description: no\n          content:\n            multipart/form-data:\n" +
      '              schema: {type: object}\n' +
      "        '403':\n          description: no\n          content:\n            multipart/form-data:\n" +
      '              schema: {type: object}\n              encoding: {file: {contentType: image/png}}\n' +
      '              x-sample-size: 3\n';
    expect(fixText(input).change.lost).toEqual([
      'encoding of multipart/form-data',
      'x-sample-size of multipart/form-data',
    ]);
    const merged = fixText(input, { onConflict: 'merge' });
    expect(merged.change.added).toEqual([
      'encoding of multipart/form-data',
      'x-sample-size of multipart/form-data',
    ]);
    const content = merged.data.paths['/a'].get.responses['401'].content as Record<string, unknown>;
    expect(content['multipart/form-data']).toEqual({
      schema: { type: 'object' },
      encoding: { file: { contentType: 'image/png' } },
      'x-sample-size': 3,
    });
  });

  it('a header of the same name with another definition is named by keep and merge', () => {
    const input =
      HEAD +
      "        '401':\n          description: no\n          headers:\n            Retry-After: {schema: {type: integer}}\n" +
      "        '403':\n          description: no\n          headers:\n            retry-after:\n" +
      '              schema: {type: integer}\n              x-unit: seconds\n';
    expect(fixText(input).change.lost).toEqual(['header retry-after (differs from the kept one)']);
    const merged = fixText(input, { onConflict: 'merge' });
    expect(merged.change).toMatchObject({
      action: 'merged',
      lost: ['header retry-after (differs from the kept one)'],
    });
  });

  it('Swagger 2.0 and JSON: merge copies the extension', () => {
    const input = JSON.stringify(
      {
        swagger: '2.0',
        info: { title: 't', version: '1' },
        'x-mtls': true,
        paths: {
          '/a': {
            get: {
              responses: {
                '401': { description: 'no' },
                '403': { description: 'no', 'x-error-codes': ['SCOPE_MISSING'] },
              },
            },
          },
        },
      },
      null,
      2,
    );
    const kept = fixText(input, {}, 'openapi.json');
    expect(kept.change.lost).toEqual(['x-error-codes']);
    const merged = fixText(input, { onConflict: 'merge' }, 'openapi.json');
    expect(merged.change.added).toEqual(['x-error-codes']);
    expect(merged.data.paths['/a'].get.responses['401']).toEqual({
      description: 'no',
      'x-error-codes': ['SCOPE_MISSING'],
    });
  });
});
