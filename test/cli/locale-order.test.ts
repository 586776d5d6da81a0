import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

// The same run must print the same report whatever the machine's locale: `localeCompare` ordered files by
// LANG (under sv_SE `å.ts` after `z.ts`, under en_US before `b.ts`; under tr_TR `ı` before `I`).
const names = ['Zeta.ts', 'alpha.ts', 'å.ts', '_base.ts', 'beta-c.ts', 'betac.ts', 'I.ts', 'ı.ts'];
const files = Object.fromEntries(
  names.map((name) => [
    `src/${name}`,
    "import express from 'express';\nexport const r = express.Router();\nr.get('/x', (req, res) => res.sendStatus(403));\n",
  ]),
);
const ordinal = names.map((name) => `src/${name}`).sort();

/** The order the files' first mentions appear in a text. */
const orderIn = (text: string): string[] =>
  ordinal
    .map((file) => [file, text.indexOf(file)] as const)
    .filter(([, at]) => at >= 0)
    .sort((a, b) => a[1] - b[1])
    .map(([file]) => file);

describe('output order does not follow the locale', () => {
  it('migrate --dry-run prints its diffs in code-unit order of files under en_US, sv_SE and tr_TR alike', async () => {
    const cwd = tempProject(files);
    const outputs: string[] = [];
    for (const lang of ['en_US.UTF-8', 'sv_SE.UTF-8', 'tr_TR.UTF-8']) {
      const run = await runCliAsync(['migrate', 'src', '--dry-run', '--force'], {
        cwd,
        env: { LANG: lang, LC_ALL: lang },
      });
      expect(run.stderr).toBe('');
      outputs.push(run.stdout.replace(/^\s*time .*$/m, ''));
    }
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
    expect(orderIn(outputs[0])).toEqual(ordinal);
  }, 120_000);

  it('detect lists its findings in code-unit order of files under sv_SE and en_US alike', async () => {
    const nginx = (name: string): [string, string] => [
      `deploy/${name}.conf`,
      'server {\n  listen 443 ssl;\n  ssl_verify_client on;\n  ssl_client_certificate /etc/ca.pem;\n}\n',
    ];
    const cwd = tempProject(Object.fromEntries(['Zeta', 'alpha', 'å', '_base'].map(nginx)));
    const files = async (lang: string): Promise<string[]> => {
      const run = await runCliAsync(['detect', '--json'], { cwd, env: { LANG: lang, LC_ALL: lang } });
      const report = JSON.parse(run.stdout) as { findings: { file: string }[] };
      return report.findings.map((finding) => finding.file);
    };
    const expected = ['deploy/Zeta.conf', 'deploy/_base.conf', 'deploy/alpha.conf', 'deploy/å.conf'];
    expect(await files('sv_SE.UTF-8')).toEqual(expected);
    expect(await files('en_US.UTF-8')).toEqual(expected);
  }, 120_000);
});
