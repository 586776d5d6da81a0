import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigOverrides } from '../../src/config/index.js';
import { lint } from '../../src/lint/run.js';
import { runCli } from '../helpers/cli.js';
import { parseSarif } from '../helpers/sarif.js';
import { tempDirs } from '../helpers/temp-dirs.js';

// Session 39 (newuser39): two mTLS schemes read without a word.
// 1. `type: mutualTLS` in an OAS 3.0 / Swagger 2.0 document (an OAS 3.1 type those versions' tools reject or
//    ignore) was read as mTLS silently: now an mtls-config warning at its `type`, and its operations still checked.
// 2. A scheme that means mTLS but that no operation's security names, in a document where another operation is
//    mTLS-secured, was silent (mtls-unchecked speaks only when none is): now a warning once at the scheme.

const VERSIONS = ['2.0', '3.0.3', '3.1.0', '3.2.0'] as const;
type Version = (typeof VERSIONS)[number];
const head = (version: Version): string => (version === '2.0' ? "swagger: '2.0'" : `openapi: ${version}`);
const container = (version: Version): string =>
  version === '2.0' ? 'securityDefinitions' : 'components.securitySchemes';
const versionName = (version: Version): string => (version === '2.0' ? 'Swagger 2.0' : 'OAS 3.0');

/** A document: GET /a secured by `used`, GET /b by `key`; schemes written in the version's container. */
function documentOf(version: Version, schemes: Record<string, string>): string {
  const lines = [
    head(version),
    "info: { title: t, version: '1' }",
    'paths:',
    '  /a:',
    '    get:',
    '      security: [{ used: [] }]',
    '      responses:',
    "        '403': { description: no }",
    '  /b:',
    '    get:',
    '      security: [{ key: [] }]',
    '      responses:',
    "        '200': { description: ok }",
  ];
  if (version === '2.0') lines.push('securityDefinitions:');
  else lines.push('components:', '  securitySchemes:');
  const indent = version === '2.0' ? '  ' : '    ';
  for (const [name, scheme] of Object.entries({
    key: '{ type: apiKey, in: header, name: X-Key }',
    ...schemes,
  }))
    lines.push(`${indent}${name}: ${scheme}`);
  return `${lines.join('\n')}\n`;
}

const { temp } = tempDirs('scheme-warnings');

async function resultsOf(text: string, options: ConfigOverrides = {}, name = 'openapi.yaml') {
  const folder = temp({ [name]: text });
  const config = resolveConfig({}, options);
  const files = [path.join(folder, name)];
  const direct = await lint({ files, config, cwd: folder });
  const viaSpectral = await lint({ files, config, cwd: folder, engine: 'spectral' });
  expect(viaSpectral.results).toEqual(direct.results);
  return direct.results.map((result) => ({
    code: result.code,
    path: result.path.join('.'),
    line: result.range.start.line + 1,
    message: result.message,
  }));
}

describe('type: mutualTLS outside OAS 3.1+ is an mtls-config warning at its type; still read as mTLS', () => {
  const cases: { version: Version; warns: boolean }[] = VERSIONS.map((version) => ({
    version,
    warns: version === '2.0' || version === '3.0.3',
  }));
  for (const { version, warns } of cases) {
    it(`${version}: ${warns ? 'warns' : 'says nothing'}, and GET /a's 403 is an mtls-no-403 error`, async () => {
      const results = await resultsOf(documentOf(version, { used: '{ type: mutualTLS }' }));
      expect(results.filter((result) => result.code === 'mtls-no-403').map((result) => result.path)).toEqual([
        'paths./a.get.responses.403',
      ]);
      const config = results.filter((result) => result.code === 'mtls-config');
      if (!warns) {
        expect(config).toEqual([]);
        return;
      }
      expect(config).toEqual([
        {
          code: 'mtls-config',
          path: `${container(version)}.used.type`,
          line: version === '2.0' ? 16 : 17,
          message:
            `security scheme 'used' has type: mutualTLS, an OpenAPI 3.1 type: ${versionName(version)} has no such ` +
            `type, so ${versionName(version)} validators reject the document and ${versionName(version)} tools ` +
            `(code generators, gateway importers) ignore the scheme. mtls-fix still reads it as mTLS and checks ` +
            `the operations it secures. To keep a valid ${versionName(version)} document, give it a type ` +
            `${versionName(version)} has and list 'used' in mtls.schemes (--mtls-scheme used) or mark it x-mtls: ` +
            `true; or ${version === '2.0' ? 'convert it to OpenAPI 3.1' : 'declare openapi: 3.1.0'}.`,
        },
      ]);
    });
  }

  it('3.0: a mutualTLS scheme written through a $ref is warned at the type it leads to', async () => {
    const text = documentOf('3.0.3', { used: "{ $ref: '#/components/securitySchemes/real' }" }).concat(
      '    real: { type: mutualTLS }\n',
    );
    const results = await resultsOf(text);
    expect(
      results.filter((result) => result.code === 'mtls-config').map((result) => [result.path, result.line]),
    ).toEqual([['components.securitySchemes.real.type', 18]]);
  });
});

describe('an mTLS scheme used by no operation is warned once at the scheme', () => {
  const schemes: { written: string; reason: string }[] = [
    { written: '{ type: mutualTLS }', reason: 'type mutualTLS' },
    {
      written: '{ type: apiKey, in: header, name: X-Forwarded-Client-Cert }',
      reason: "apiKey header 'X-Forwarded-Client-Cert'",
    },
    { written: '{ type: apiKey, in: header, name: X-Other, x-mtls: true }', reason: 'x-mtls: true' },
  ];
  for (const version of VERSIONS) {
    for (const { written, reason } of schemes) {
      it(`${version}: 'spare' ${written}, beside an mTLS-secured GET /a`, async () => {
        const results = await resultsOf(
          documentOf(version, { used: '{ type: apiKey, in: header, name: Client-Cert }', spare: written }),
        );
        expect(results.filter((result) => result.code === 'mtls-no-403')).toHaveLength(1);
        const config = results.filter(
          (result) => result.code === 'mtls-config' && result.path === `${container(version)}.spare`,
        );
        expect(config).toHaveLength(1);
        expect(config[0]).toMatchObject({
          path: `${container(version)}.spare`,
          line: version === '2.0' ? 17 : 18,
        });
        expect(config[0]?.message).toContain(
          `security scheme 'spare' (${reason}) is defined but used by no operation`,
        );
        expect(config[0]?.message).toContain('no operation is checked as mTLS through it');
      });
    }
  }

  it('not warned: a used mTLS scheme, a non-mTLS scheme nobody uses, a scheme every operation opts out of is', async () => {
    const used = await resultsOf(
      documentOf('3.1.0', { used: '{ type: mutualTLS }', spare: '{ type: http, scheme: bearer }' }),
    );
    expect(used.filter((result) => result.code === 'mtls-config')).toEqual([]);
    // Root security names it, every operation overrides with its own: used by none.
    const overridden = await resultsOf(
      documentOf('3.1.0', {
        used: '{ type: apiKey, in: header, name: Client-Cert }',
        spare: '{ type: mutualTLS }',
      }).replace(
        "info: { title: t, version: '1' }",
        "info: { title: t, version: '1' }\nsecurity: [{ spare: [] }]",
      ),
    );
    expect(overridden.filter((result) => result.code === 'mtls-config').map((result) => result.path)).toEqual(
      ['components.securitySchemes.spare'],
    );
  });

  it('a configured scheme keeps its own message, once', async () => {
    const results = await resultsOf(
      documentOf('3.0.3', {
        used: '{ type: apiKey, in: header, name: Client-Cert }',
        spare: '{ type: apiKey, in: header, name: X-Y }',
      }),
      { mtlsSchemes: ['spare'] },
    );
    const config = results.filter((result) => result.code === 'mtls-config');
    expect(config.map((result) => result.message)).toEqual([
      "scheme 'spare' (--mtls-scheme) is defined in openapi.yaml but no operation's security names it, so it selects nothing. Add security: [{spare: []}] at the root or on the operations served over mTLS.",
    ]);
  });

  it('end to end: bin/run.js lint names it in stylish and SARIF output', () => {
    const folder = temp({
      'openapi.yaml': documentOf('3.1.0', { used: '{ type: mutualTLS }', spare: '{ type: mutualTLS }' }),
    });
    const stylish = runCli(['lint', 'openapi.yaml'], { cwd: folder });
    expect(stylish.stdout).toMatch(
      /18:5\s+warning\s+mtls-config\s+security scheme 'spare' \(type mutualTLS\) is defined but used by no operation/,
    );
    const sarif = runCli(['lint', '--format', 'sarif', 'openapi.yaml'], { cwd: folder });
    const log = parseSarif(sarif.stdout);
    const spare = log.runs[0].results.filter((result) => result.ruleId === 'mtls-config');
    expect(
      spare.map((result) => [result.level, result.locations[0].physicalLocation.region.startLine]),
    ).toEqual([['warning', 18]]);
  });
});
