import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempProject } from '../helpers/cli.js';
import { lint } from '../../src/lint/run.js';
import { configOf, runFix } from '../fix/helpers.js';

/**
 * Session 24, OBIE's split Swagger sources (OpenBankingUK/account-info-api-spec `apis/v1.1/swagger/index.yaml`):
 * root maps written as a `$ref` to another file (`securityDefinitions: {$ref: ./security.yaml}`, `responses:
 * {$ref: ./responses.yaml}`), which json-refs bundlers resolve. On 0c33c5f a `$ref: '#/responses/403Error'` through
 * such a map was "not found" (exit 2), the schemes were "not defined; defined: $ref", and `paths: {$ref}` read as
 * a path named `$ref` ("'$ref' must be a map, not the string").
 */
const SWAGGER =
  "swagger: '2.0'\ninfo: {title: t, version: '1'}\nhost: api.bank.example\nbasePath: /open-banking/v1.1\n" +
  'securityDefinitions:\n  $ref: ./security.yaml\nresponses:\n  $ref: ./responses.yaml\npaths:\n  /accounts:\n' +
  "    get:\n      security:\n        - TPPOAuth2Security: [accounts]\n      responses:\n        '200': {description: ok}\n" +
  "        '403':\n          $ref: '#/responses/403Error'\n";
const FILES = {
  'index.yaml': SWAGGER,
  'security.yaml':
    'TPPOAuth2Security:\n  type: oauth2\n  flow: application\n  tokenUrl: https://x/token\n  scopes: {accounts: a}\n',
  'responses.yaml': '403Error:\n  description: Forbidden\n',
};

async function results(folder: string, options: Parameters<typeof configOf>[0]): Promise<string[]> {
  const report = await lint({ files: ['index.yaml'], config: configOf(options), cwd: folder });
  return report.results.map((result) => `${result.code} ${result.range.start.line + 1} ${result.message}`);
}

describe('root maps written as a $ref to another file', () => {
  it('a pointer through a $ref map (#/responses/403Error), and schemes in a $ref container', async () => {
    const folder = tempProject(FILES);
    const found = await results(folder, { mtlsSchemes: ['TPPOAuth2Security'] });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^mtls-no-403 16 GET \/accounts is mTLS-secured \(scheme 'TPPOAuth2Security'\) and documents 403 through \$ref '#\/responses\/403Error'/,
    );
    // Without config: the hint names the scheme read through the container's $ref.
    const unchecked = await results(folder, {});
    expect(unchecked).toHaveLength(1);
    expect(unchecked[0]).toContain('schemes here: TPPOAuth2Security');
    expect(runFix(folder, 'index.yaml', { mtlsSchemes: ['TPPOAuth2Security'] }).errors).toEqual([]);
    expect(readFileSync(path.join(folder, 'index.yaml'), 'utf8')).toBe(
      SWAGGER.replace("'403':\n          $ref", "'401':\n          $ref"),
    );
    expect(readFileSync(path.join(folder, 'responses.yaml'), 'utf8')).toBe(FILES['responses.yaml']);
  });

  it('OAS 3.1 components.securitySchemes as a $ref: its mutualTLS scheme counts', async () => {
    const folder = tempProject({
      'index.yaml':
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      security: [{clientCert: []}]\n" +
        "      responses:\n        '403': {description: no}\ncomponents:\n  securitySchemes:\n    $ref: ./schemes.yaml\n",
      'schemes.yaml': 'clientCert:\n  type: mutualTLS\n',
    });
    const found = await results(folder, {});
    expect(found.map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual(['mtls-no-403 8']);
    expect(found[0]).toContain("is mTLS-secured (scheme 'clientCert')");
  });

  it('paths as a $ref: one error naming it and what to do, no path named $ref', async () => {
    const folder = tempProject({
      ...FILES,
      'index.yaml': SWAGGER.slice(0, SWAGGER.indexOf('paths:')) + 'paths:\n  $ref: ./paths.yaml\n',
      'paths.yaml': '/accounts: {get: {responses: {403: {description: no}}}}\n',
    });
    const report = await lint({
      files: ['index.yaml'],
      config: configOf({ mtlsEverywhere: true }),
      cwd: folder,
    });
    expect(
      report.results.map((result) => [result.code, result.range.start.line + 1, result.message]),
    ).toEqual([
      [
        'mtls-fix-input',
        10,
        "'paths' is a $ref ('./paths.yaml'), which the OpenAPI specification does not allow there (only a path item may be one), so no operation was read. Bundle the document first (npx @redocly/cli bundle, or swagger-cli bundle) and check the bundle, or write the path items under paths.",
      ],
    ]);
  });
});
