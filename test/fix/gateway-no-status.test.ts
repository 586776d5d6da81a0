import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempProject } from '../helpers/cli.js';
import { lint } from '../../src/lint/run.js';
import { configOf, runFix } from './helpers.js';

/**
 * Session 25: an API Gateway REST API document whose `x-amazon-apigateway-gateway-responses` entry writes a
 * `statusCode` that is no HTTP status (`'0623'`: quoted, a string to every YAML reader; `abc`, `4030`, `623`, a
 * boolean, a map). API Gateway's StatusCode takes `[1-5]\d\d` only, so such a value replaces no default 403. On
 * 433619b any value but null counted as a status: `lint` read clean (exit 0) while `detect` said the same
 * spelling in a SAM template keeps the 403. Now the default 403 is a finding whose message names the value and
 * its line, and `fix` replaces the value where it is written.
 */
const DOC = (access: string, fallback?: string): string =>
  'openapi: 3.0.1\ninfo: {title: claims, version: "1"}\nx-mtls: true\n' +
  'x-amazon-apigateway-gateway-responses:\n' +
  `  ACCESS_DENIED:\n    statusCode: ${access}\n` +
  '  MISSING_AUTHENTICATION_TOKEN:\n    statusCode: 404\n' +
  (fallback === undefined ? '' : `  DEFAULT_4XX:\n    statusCode: ${fallback}   # all other 4XX\n`) +
  'paths:\n  /claims:\n    get:\n      security: [{lambda: []}]\n' +
  "      responses:\n        '200': {description: ok}\n" +
  '      x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: arn:x}\n' +
  'components:\n  securitySchemes:\n    lambda:\n      type: apiKey\n      name: Authorization\n' +
  '      in: header\n      x-amazon-apigateway-authorizer: {type: token, authorizerUri: arn:x}\n';

async function results(folder: string): Promise<{ code: string; message: string }[]> {
  const report = await lint({ files: ['openapi.yaml'], config: configOf({}), cwd: folder });
  return report.results.map((result) => ({ code: result.code, message: result.message }));
}

describe('gateway responses whose statusCode is no HTTP status', () => {
  const NONE: [string, string][] = [
    ["'0623'", "'0623'"],
    ['"4_03"', '"4_03"'],
    ['!!str 0623', '!!str 0623'],
    ['abc', 'abc'],
    ["'4030'", "'4030'"],
    ['623', '623'],
    ['true', 'true'],
  ];
  for (const [written, named] of NONE) {
    it(`ACCESS_DENIED statusCode: ${written} keeps the default 403; fix replaces it`, async () => {
      const folder = tempProject({ 'openapi.yaml': DOC(written) });
      const found = await results(folder);
      expect(found.map((result) => result.code)).toEqual(['mtls-no-403']);
      expect(found[0]?.message).toContain(
        `gateway response ACCESS_DENIED is left at its default status (the statusCode of ACCESS_DENIED, ${named} at line 6, is no HTTP status, so it does not replace the default 403)`,
      );
      const fixed = runFix(folder, 'openapi.yaml', {});
      expect(fixed.errors).toEqual([]);
      expect(fixed.documents[0]?.changes.map((change) => [change.action, change.from, change.to])).toEqual([
        ['replaced', named, '401'],
      ]);
      const text = readFileSync(path.join(folder, 'openapi.yaml'), 'utf8');
      const lines = text.split('\n');
      expect(lines[5]).toMatch(/^ {4}statusCode: (?:!!str )?(?:'401'|"401"|401)$/);
      expect(lines.filter((_, index) => index !== 5)).toEqual(
        DOC(written)
          .split('\n')
          .filter((_, index) => index !== 5),
      );
      expect(await results(folder)).toEqual([]);
    });
  }

  it('DEFAULT_4XX with no status does not hide the default 403 of the types without their own', async () => {
    const folder = tempProject({ 'openapi.yaml': DOC('~', "'0623'") });
    const found = await results(folder);
    expect(found.map((result) => result.code)).toEqual(['mtls-no-403']);
    expect(found[0]?.message).toContain(
      "(the statusCode of DEFAULT_4XX, '0623' at line 10, is no HTTP status, so it does not replace the default 403)",
    );
    const fixed = runFix(folder, 'openapi.yaml', {});
    expect(fixed.errors).toEqual([]);
    expect(readFileSync(path.join(folder, 'openapi.yaml'), 'utf8')).toContain(
      "  DEFAULT_4XX:\n    statusCode: '0623'   # all other 4XX\n",
    );
    expect(await results(folder)).toEqual([]);
  });

  it('a statusCode written empty (`statusCode:`, `~`, null) is set in place, not added a second time', async () => {
    for (const written of ['', '~', 'null']) {
      const folder = tempProject({ 'openapi.yaml': DOC(written) });
      expect((await results(folder)).map((result) => result.code)).toEqual(['mtls-no-403']);
      const fixed = runFix(folder, 'openapi.yaml', {});
      expect(fixed.errors).toEqual([]);
      expect(
        fixed.documents[0]?.changes.map((change) => change.action),
        written,
      ).toEqual(['replaced']);
      expect(readFileSync(path.join(folder, 'openapi.yaml'), 'utf8')).toBe(
        DOC(written).replace(`statusCode: ${written}\n`, 'statusCode: 401\n'),
      );
      expect(await results(folder)).toEqual([]);
    }
  });

  it('a status as API Gateway reads it replaces the default: quoted, integer, plain YAML 1.1 (4_01, 0401)', async () => {
    for (const written of ["'401'", '401', '4_01', '0401', '"404"', '!!str 401']) {
      const folder = tempProject({ 'openapi.yaml': DOC(written) });
      expect(await results(folder), written).toEqual([]);
    }
    const folder = tempProject({ 'openapi.yaml': DOC('~', '404') });
    expect(await results(folder)).toEqual([]);
  });

  it('JSON: a string that is no status is named as written, and replaced', async () => {
    const text = JSON.stringify(
      {
        openapi: '3.0.1',
        info: { title: 'c', version: '1' },
        'x-mtls': true,
        'x-amazon-apigateway-gateway-responses': { ACCESS_DENIED: { statusCode: '0623' } },
        paths: {
          '/{proxy+}': { 'x-amazon-apigateway-any-method': { responses: { '200': { description: 'ok' } } } },
          '/': {
            'x-amazon-apigateway-any-method': {
              security: [{ lambda: [] }],
              responses: { '200': { description: 'ok' } },
            },
          },
        },
        components: {
          securitySchemes: {
            lambda: {
              type: 'apiKey',
              name: 'Authorization',
              in: 'header',
              'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: 'arn:x' },
            },
          },
        },
      },
      null,
      2,
    );
    const folder = tempProject({ 'openapi.json': text });
    const report = await lint({ files: ['openapi.json'], config: configOf({}), cwd: folder });
    expect(report.results.map((result) => result.code)).toEqual(['mtls-no-403']);
    expect(report.results[0]?.message).toContain(
      '(the statusCode of ACCESS_DENIED, "0623" at line 10, is no HTTP status',
    );
    expect(runFix(folder, 'openapi.json', {}).errors).toEqual([]);
    expect(readFileSync(path.join(folder, 'openapi.json'), 'utf8')).toBe(
      text.replace('"statusCode": "0623"', '"statusCode": "401"'),
    );
  });

  it('a gateway response shared through a YAML anchor with another type is skipped, not edited for both', () => {
    // On 433619b `statusCode: "401"` was added to the anchored map: DEFAULT_5XX, the same map, answered 401 too.
    const text = DOC("'0623'")
      .replace('  ACCESS_DENIED:\n', '  ACCESS_DENIED: &denied\n')
      .replace(
        '  MISSING_AUTHENTICATION_TOKEN:\n',
        '  DEFAULT_5XX: *denied\n  MISSING_AUTHENTICATION_TOKEN:\n',
      );
    const folder = tempProject({ 'openapi.yaml': text });
    const fixed = runFix(folder, 'openapi.yaml', {});
    expect(fixed.documents[0]?.changes.map((change) => [change.action, change.from, change.reason])).toEqual([
      [
        'skipped',
        "'0623'",
        'the gateway response ACCESS_DENIED is the same map as DEFAULT_5XX (a YAML anchor and alias), whose status ' +
          'would change too; give ACCESS_DENIED a map of its own, then run again',
      ],
    ]);
    expect(readFileSync(path.join(folder, 'openapi.yaml'), 'utf8')).toBe(text);
  });
});
