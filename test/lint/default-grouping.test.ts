import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';
import { documentText, VERSIONS } from '../helpers/default-documents.js';

// Session 13: a document giving every mTLS-secured operation only a `default` response got one `mtls-4xx-range`
// warning per operation in every format (Plaid: 283 lines of the same advice). Human reports (stylish, text,
// github-actions) now group more than three of one document into one line that counts them, names the first
// three and says how to list each; `--explain`, json and sarif list each, and the stylish total counts each.

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
