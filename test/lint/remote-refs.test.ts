import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { explainDocuments } from '../../src/explain/index.js';
import { lint } from '../../src/lint/run.js';
import { runCli, tempProject } from '../helpers/cli.js';

/**
 * Session 9: under --allow-remote-refs a remote `$ref` is skipped, never fetched. What it points to was not
 * checked, and a run must say so instead of reading clean: each skipped ref is named with what it hid (a path
 * item's operations, an operation, whether a security scheme means mTLS), in the summary, as a hint, and in
 * `explain`.
 */
const HEAD = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";
const OK = "      responses:\n        '200': {description: ok}\n";

const scenarios: { name: string; document: string; what: RegExp[] }[] = [
  {
    name: 'a path item behind a remote $ref: its operations were not checked',
    document: `${HEAD}paths:\n  /local:\n    get:\n${OK}  /remote:\n    $ref: 'https://example.invalid/paths.yaml#/remote'\n`,
    what: [
      /path item \/remote: its operations were not checked \('https:\/\/example\.invalid\/paths\.yaml#\/remote' at openapi\.yaml:9\)/,
    ],
  },
  {
    name: 'an operation behind a remote $ref: not checked',
    document: `${HEAD}paths:\n  /a:\n    get:\n      $ref: 'https://example.invalid/ops.yaml#/get'\n    post:\n${OK.replace(/^ {6}/gm, '      ')}`,
    what: [
      /operation GET \/a: not checked \('https:\/\/example\.invalid\/ops\.yaml#\/get' at openapi\.yaml:6\)/,
    ],
  },
  {
    name: 'a security scheme behind a remote $ref: whether it means mTLS is unknown',
    document:
      `${HEAD}security: [{partner: []}]\npaths:\n  /a:\n    get:\n${OK}` +
      "        '403': {description: no}\ncomponents:\n  securitySchemes:\n    partner:\n      $ref: 'https://example.invalid/schemes.yaml#/partner'\n",
    what: [
      /security scheme partner: whether it means mTLS is unknown \('https:\/\/example\.invalid\/schemes\.yaml#\/partner' at openapi\.yaml:13\)/,
    ],
  },
];

describe('remote $refs skipped under --allow-remote-refs are named (session 9)', () => {
  const config = { ...resolveConfig({}), allowRemoteRefs: true };

  for (const scenario of scenarios) {
    it(`lint: ${scenario.name}`, async () => {
      const cwd = tempProject({ 'openapi.yaml': scenario.document });
      const report = await lint({ files: ['openapi.yaml'], config, cwd });
      expect(report.inputErrors).toEqual([]);
      expect(report.summary.remoteRefsSkipped).toBe(1);
      const remote = report.hints.find((hint) => hint.message.includes('remote $ref'));
      for (const what of scenario.what) expect(remote?.message).toMatch(what);
    });

    it(`explain: ${scenario.name}`, () => {
      const cwd = tempProject({ 'openapi.yaml': scenario.document });
      const [document] = explainDocuments({ files: ['openapi.yaml'], config, cwd });
      expect(document.notRead).toHaveLength(1);
      for (const what of scenario.what) expect(document.notRead[0]).toMatch(what);
    });
  }

  it('a document without remote $refs has no such hint and no such count', async () => {
    const cwd = tempProject({ 'openapi.yaml': `${HEAD}paths:\n  /a:\n    get:\n${OK}` });
    const report = await lint({ files: ['openapi.yaml'], config, cwd });
    expect(report.summary.remoteRefsSkipped).toBeUndefined();
    expect(report.hints.filter((hint) => !hint.noMtls)).toEqual([]);
  });

  it('end to end: the summary line says what was not checked, for lint (every format) and fix', () => {
    const cwd = tempProject({ 'openapi.yaml': scenarios[0].document });
    const stylish = runCli(['lint', '--allow-remote-refs'], { cwd });
    expect(stylish.code).toBe(0);
    expect(stylish.stdout).toContain(
      'mtls-fix: checked 1 document, 1 operation, 0 mTLS-secured; not checked: 1 remote $ref (--allow-remote-refs, never fetched)',
    );
    expect(stylish.stdout).toMatch(
      /^hint: openapi\.yaml:9: 1 remote \$ref was skipped, .*path item \/remote/m,
    );
    const json = runCli(['lint', '--allow-remote-refs', '-f', 'json'], { cwd });
    expect((JSON.parse(json.stdout) as { code: string }[]).map((result) => result.code)).toEqual([
      'mtls-unchecked',
    ]);
    expect(json.stderr).toMatch(/^mtls-fix: hint: openapi\.yaml:9: 1 remote \$ref was skipped/);
    const github = runCli(['lint', '--allow-remote-refs', '-f', 'github-actions'], { cwd });
    expect(github.stdout).toMatch(/^::notice file=openapi\.yaml,line=9,.*path item \/remote/m);
    const fixed = runCli(['fix', '--allow-remote-refs', '--dry-run'], { cwd });
    expect(fixed.stdout).toContain('not checked: 1 remote $ref (--allow-remote-refs, never fetched)');
    expect(fixed.stdout).toMatch(/^hint: openapi\.yaml:9: 1 remote \$ref was skipped/m);
    const explained = runCli(['explain', '--allow-remote-refs'], { cwd });
    expect(explained.stdout).toContain('  not read (remote $ref, never fetched): path item /remote');
  }, 60_000);
});
