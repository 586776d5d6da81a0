import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

// Session 13: a document giving every mTLS-secured operation only a `default` response got one `mtls-4xx-range`
// warning per operation in every format (Plaid: 283 lines of the same advice). Human reports (stylish, text,
// github-actions) now group more than three of one document into one line that counts them, names the first
// three and says how to list each; `--explain`, json and sarif list each, and the stylish total counts each.

type Version = 'swagger2' | 'oas30' | 'oas31' | 'oas32';
const VERSIONS: Version[] = ['swagger2', 'oas30', 'oas31', 'oas32'];

/**
 * A document where every operation is mTLS-secured (`x-mtls: true`): `defaults` operations documenting only
 * `default` (every other one through a `$ref`), and `GET /range` documenting `4XX` (never grouped).
 */
function documentText(version: Version, syntax: 'yaml' | 'json', defaults: number): string {
  const swagger = version === 'swagger2';
  const head = swagger
    ? { swagger: '2.0' }
    : { openapi: { oas30: '3.0.3', oas31: '3.1.0', oas32: '3.2.0' }[version] };
  const shared = swagger ? '#/responses/Error' : '#/components/responses/Error';
  const paths: Record<string, unknown> = {
    '/range': { get: { responses: { '4XX': { description: 'client error' } } } },
  };
  for (let index = 0; index < defaults; index++) {
    paths[`/d${index}`] = {
      get: { responses: { default: index % 2 ? { $ref: shared } : { description: 'error' } } },
    };
  }
  const error = { Error: { description: 'error' } };
  const data = {
    ...head,
    info: { title: 't', version: '1' },
    'x-mtls': true,
    paths,
    ...(swagger ? { responses: error } : { components: { responses: error } }),
  };
  if (syntax === 'json') return JSON.stringify(data, null, 2) + '\n';
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

const GROUPED =
  /5 mTLS-secured operations document 'default' and neither 403 nor 4XX \(GET \/d0, GET \/d1, GET \/d2 and 2 more\), so a 403 they answer is documented only by 'default'; iOS reports .* Make sure they answer 401 \(the agreed status\) instead of 403\. Run with --explain/;

describe('many default-only warnings of one document are one line in human reports; machine formats list each', () => {
  for (const version of VERSIONS) {
    for (const syntax of ['yaml', 'json'] as const) {
      it(`${version} ${syntax}: stylish groups 5, json lists 5, --explain lists 5, 3 are not grouped`, async () => {
        const name = `spec.${syntax}`;
        const cwd = tempProject({
          [name]: documentText(version, syntax, 5),
          [`three.${syntax}`]: documentText(version, syntax, 3),
        });
        const stylish = await runCliAsync(['lint', name, '-f', 'stylish'], { cwd });
        expect(stylish.code).toBe(0);
        const warnings = stylish.stdout.split('\n').filter((line) => /warning\s+mtls-4xx-range/.test(line));
        expect(warnings).toHaveLength(2);
        expect(warnings.filter((line) => GROUPED.test(line))).toHaveLength(1);
        expect(warnings.filter((line) => line.includes("documents '4XX'"))).toHaveLength(1);
        // The total still counts every finding.
        expect(stylish.stdout).toContain('✖ 6 problems (0 errors, 6 warnings, 0 infos, 0 hints)');

        const json = await runCliAsync(['lint', name, '-f', 'json'], { cwd });
        const results = JSON.parse(json.stdout) as { code: string; operation?: { path: string } }[];
        expect(results.map((result) => result.operation?.path).sort()).toEqual([
          '/d0',
          '/d1',
          '/d2',
          '/d3',
          '/d4',
          '/range',
        ]);

        const explained = await runCliAsync(['lint', name, '--explain'], { cwd });
        expect(explained.stdout.match(/warning\s+mtls-4xx-range/g)).toHaveLength(6);
        expect(explained.stdout).not.toMatch(GROUPED);

        const three = await runCliAsync(['lint', `three.${syntax}`], { cwd });
        expect(three.stdout.match(/documents 'default' and neither 403 nor 4XX/g)).toHaveLength(3);
      });
    }
  }

  it('text and github-actions group too; sarif lists each', async () => {
    const cwd = tempProject({ 'spec.yaml': documentText('oas31', 'yaml', 5) });
    const text = await runCliAsync(['lint', 'spec.yaml', '-f', 'text'], { cwd });
    expect(text.stdout.split('\n').filter((line) => GROUPED.test(line))).toHaveLength(1);
    expect(text.stdout.match(/mtls-4xx-range/g)).toHaveLength(2);
    const actions = await runCliAsync(['lint', 'spec.yaml', '-f', 'github-actions'], { cwd });
    expect(actions.stdout.match(/^::warning /gm)).toHaveLength(2);
    expect(actions.stdout).toMatch(GROUPED);
    const sarif = await runCliAsync(['lint', 'spec.yaml', '-f', 'sarif'], { cwd });
    const parsed = JSON.parse(sarif.stdout) as { runs: { results: unknown[] }[] };
    expect(parsed.runs[0]?.results).toHaveLength(6);
  });
});
