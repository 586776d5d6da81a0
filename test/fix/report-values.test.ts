import { describe, expect, it } from 'vitest';
import { tempProject } from '../helpers/cli.js';
import { formatFixReport } from '../../src/fix/format.js';
import { runFix } from './helpers.js';

/**
 * Session 26: the human `fix` report names a status value (API Gateway gateway and integration responses) as the
 * file writes it. On bb195d3 the written value, which already holds its quotes, was quoted again:
 * `statusCode (default) "'0623'" -> 401`, `"\"0623\""` in JSON, `"4_03"` for a plain YAML 1.1 value; and a
 * status set in place in `statusCode: ~` was reported as `added: gateway response ACCESS_DENIED`.
 */
const DOC = (access: string, integration = "'200'"): string =>
  'openapi: 3.0.1\ninfo: {title: claims, version: "1"}\nx-mtls: true\n' +
  'x-amazon-apigateway-gateway-responses:\n' +
  `  ACCESS_DENIED:\n    statusCode: ${access}\n` +
  '  MISSING_AUTHENTICATION_TOKEN:\n    statusCode: 404\n' +
  'paths:\n  /claims:\n    get:\n      security: [{lambda: []}]\n' +
  "      responses:\n        '200': {description: ok}\n        '401': {description: no}\n" +
  '      x-amazon-apigateway-integration:\n        type: aws\n        httpMethod: POST\n        uri: arn:x\n' +
  `        responses:\n          '.*Denied.*':\n            statusCode: ${integration}\n` +
  'components:\n  securitySchemes:\n    lambda:\n      type: apiKey\n      name: Authorization\n' +
  '      in: header\n      x-amazon-apigateway-authorizer: {type: token, authorizerUri: arn:x}\n';

function humanReport(text: string): string[] {
  const folder = tempProject({ 'openapi.yaml': text });
  const report = runFix(folder, 'openapi.yaml', {}, 'dry-run');
  expect(report.errors).toEqual([]);
  return formatFixReport(report)
    .split('\n')
    .filter((line) => line.startsWith('  GET') || line.startsWith('      added'));
}

describe('fix names a status value as it is written', () => {
  for (const written of ["'0623'", '"0623"', '!!str 0623', 'abc', '623']) {
    it(`gateway response statusCode: ${written}`, () => {
      expect(humanReport(DOC(written))).toEqual([
        `  GET /claims  gateway response ACCESS_DENIED statusCode (default) ${written} -> 401  (openapi.yaml:29)`,
      ]);
    });
  }

  it('a status set in place in an empty statusCode adds nothing', () => {
    for (const written of ['~', '']) {
      expect(humanReport(DOC(written)), written).toEqual([
        '  GET /claims  gateway response ACCESS_DENIED statusCode (default) 403 -> 401  (openapi.yaml:29)',
      ]);
    }
  });

  it('an integration response statusCode YAML 1.1 reads as 403 (4_03, 0623) is named as written', () => {
    for (const written of ['4_03', '0623']) {
      expect(humanReport(DOC('401', written)), written).toEqual([
        `  GET /claims  integration response ".*Denied.*" statusCode ${written} -> 401  (openapi.yaml:22)`,
      ]);
    }
  });
});
