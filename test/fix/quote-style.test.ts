import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempProject } from '../helpers/cli.js';
import { runFix } from './helpers.js';

/**
 * Session 24: every key and value `fix` writes keeps the quoting the user wrote (YAML single, double or plain;
 * JSON always double). On 0c33c5f a YAML 1.1 status `statusCode: 4_03` became `statusCode: "401"`, and gateway
 * responses added to a file that quotes its keys `'403':` (values plain) were written `statusCode: "401"`: the
 * file's quote preference counted `key: '...'` values only.
 */
const HEAD = 'openapi: 3.0.3\ninfo:\n  title: t\n  version: 1.0.0\nx-mtls: true\npaths:\n  /a:\n    get:\n';

function fixed(text: string, options: { wwwAuthenticate?: string } = {}): string {
  const folder = tempProject({ 'openapi.yaml': text });
  const report = runFix(folder, 'openapi.yaml', options);
  expect(report.errors).toEqual([]);
  return readFileSync(path.join(folder, 'openapi.yaml'), 'utf8');
}

describe('fix keeps the quoting style the user wrote', () => {
  const integration = (code: string, quote: string): string =>
    `${HEAD}      responses:\n        ${quote}200${quote}: {description: ok}\n        ${quote}401${quote}: {description: no}\n` +
    '      x-amazon-apigateway-integration:\n        type: http\n        httpMethod: GET\n' +
    `        uri: https://backend.example/a\n        responses:\n          default:\n            statusCode: ${quote}200${quote}\n` +
    `          .*Forbidden.*:\n            statusCode: ${code}   # the backend's denial\n` +
    'x-amazon-apigateway-gateway-responses:\n  MISSING_AUTHENTICATION_TOKEN:\n    statusCode: 404\n';

  for (const [code, quote, written] of [
    ['4_03', "'", '401'],
    ['0623', "'", '401'],
    ['6:43', '"', '401'],
    ['4,03', '', '401'],
    ["'403'", "'", "'401'"],
    ['"403"', "'", '"401"'],
    ['403', '"', '401'],
  ]) {
    it(`integration statusCode ${code} (keys quoted ${quote || 'plain'}) becomes ${written}, nothing else changes`, () => {
      const text = integration(code, quote);
      expect(fixed(text)).toBe(text.replace(`statusCode: ${code}   #`, `statusCode: ${written}   #`));
    });
  }

  const gateway = (quote: string): string =>
    `${HEAD}      security:\n        - key: []\n      responses:\n        ${quote}200${quote}:\n          description: ok\n` +
    `        ${quote}403${quote}:\n          description: no\n` +
    '      x-amazon-apigateway-integration:\n        type: http\n        httpMethod: GET\n' +
    '        uri: https://backend.example/a\ncomponents:\n  securitySchemes:\n    key:\n      type: apiKey\n' +
    '      in: header\n      name: x-api-key\n';

  for (const [quote, status] of [
    ["'", "'401'"],
    ['"', '"401"'],
  ]) {
    it(`gateway responses added beside keys written ${quote}403${quote} quote their status the same way`, () => {
      const text = gateway(quote);
      const after = fixed(text);
      expect(after.startsWith(text.slice(0, text.indexOf(`${quote}403${quote}`)))).toBe(true);
      expect(after).toContain(`${quote}401${quote}:\n          description: no\n`);
      const added = after.slice(after.indexOf('x-amazon-apigateway-gateway-responses:'));
      expect(added).toBe(
        'x-amazon-apigateway-gateway-responses:\n' +
          `  MISSING_AUTHENTICATION_TOKEN:\n    statusCode: ${status}\n` +
          `  INVALID_API_KEY:\n    statusCode: ${status}\n`,
      );
    });
  }

  it('a $ref rewritten by --rename-components keeps its quotes, each as written', () => {
    const text =
      `${HEAD}      responses:\n        '403':\n          $ref: '#/components/responses/Forbidden'\n` +
      '  /b:\n    get:\n      responses:\n        "403": {$ref: "#/components/responses/Forbidden"}\n' +
      'components:\n  responses:\n    Forbidden:\n      description: no\n';
    const folder = tempProject({ 'openapi.yaml': text });
    expect(runFix(folder, 'openapi.yaml', { renameComponents: true }).errors).toEqual([]);
    expect(readFileSync(path.join(folder, 'openapi.yaml'), 'utf8')).toBe(
      text
        .replace(
          "'403':\n          $ref: '#/components/responses/Forbidden'",
          "'401':\n          $ref: '#/components/responses/Unauthorized'",
        )
        .replace(
          '"403": {$ref: "#/components/responses/Forbidden"}',
          '"401": {$ref: "#/components/responses/Unauthorized"}',
        )
        .replace('    Forbidden:', '    Unauthorized:'),
    );
  });
});
