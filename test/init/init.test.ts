import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

const PRE_COMMIT = `# our hooks
repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.6.0
    hooks:
      - id: trailing-whitespace # keep
`;

describe('mtls-fix init', () => {
  it('writes the config, a .spectral.yaml for a Spectral project and the hooks; prints what it wrote; lint reads the config', () => {
    const cwd = tempProject({
      'package.json': '{"devDependencies":{"@stoplight/spectral-cli":"^6"}}\n',
      '.pre-commit-config.yaml': PRE_COMMIT,
    });
    copyFileSync(path.join(REPO_ROOT, 'examples/openapi.yaml'), path.join(cwd, 'openapi.yaml'));
    const run = runCli(['init', '--yes', '--status', '404', '--mtls-scheme', 'clientCert'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^wrote\s+mtls-fix\.config\.yaml/m);
    expect(run.stdout).toMatch(/^wrote\s+\.spectral\.yaml/m);
    expect(run.stdout).toMatch(/^updated\s+\.pre-commit-config\.yaml/m);
    expect(jsYaml.load(readFileSync(path.join(cwd, 'mtls-fix.config.yaml'), 'utf8'))).toEqual({
      status: 404,
      mtls: { schemes: ['clientCert'] },
      spec: ['openapi.yaml'],
    });
    expect(readFileSync(path.join(cwd, '.spectral.yaml'), 'utf8')).toContain('mtls-fix/ruleset');
    const preCommit = readFileSync(path.join(cwd, '.pre-commit-config.yaml'), 'utf8');
    expect(preCommit).toContain('# our hooks');
    expect(preCommit).toContain('- id: trailing-whitespace # keep');
    const hooks = (jsYaml.load(preCommit) as { repos: { hooks: { id: string }[] }[] }).repos.flatMap((repo) =>
      repo.hooks.map((hook) => hook.id),
    );
    expect(hooks).toEqual(['trailing-whitespace', 'mtls-fix-lint', 'mtls-fix-migrate-check']);
    expect(runCli(['lint', '-f', 'json'], { cwd }).stdout).toContain('Answer 404');
  });

  // breaker27 #05: init wrote mtls-fix.config.yaml beside a package.json `mtls-fix` key; every command then read
  // the key (status 404) and ignored the file init wrote (401).
  it('leaves the config file unwritten beside another config source, and says where the settings go', () => {
    const cwd = tempProject({ 'package.json': '{"name": "x", "mtls-fix": {"status": 404}}' });
    const run = runCli(['init', '--yes', '--no-detect', '--status', '401'], { cwd });
    expect(run.code).toBe(0);
    expect(existsSync(path.join(cwd, 'mtls-fix.config.yaml'))).toBe(false);
    expect(run.stdout).toContain('not written: package.json holds an "mtls-fix" key');
  });

  // Session 20: init wrote the hooks for UK Open Banking's 12 documents (FAPI words, no mTLS declared) without
  // saying that the lint hook would fail on 10 of them.
  it('names the spec documents the lint hook will fail on (no mTLS declared, a 403 documented)', () => {
    const undeclared =
      "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: {get: {responses: {'403': {description: no}}}}\n";
    const cwd = tempProject({
      'openapi.yaml': undeclared,
      '.pre-commit-config.yaml': 'repos: []\n',
    });
    const run = runCli(['init', '--yes', '--no-detect'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^note {5}1 of them declares no mTLS while documenting 403s \(openapi\.yaml\): the lint hook and fix --check fail on them/m,
    );
    const declared = tempProject({ 'openapi.yaml': undeclared });
    const everywhere = runCli(['init', '--yes', '--no-detect', '--mtls-everywhere'], { cwd: declared });
    expect(everywhere.stdout).not.toContain('note');
  });

  // Session 20: `repos: []` took the hooks in flow style spread over lines (`[\n    {\n        repo: ...`).
  // Session 21: the comment stays on the line it was written on (test/init/pre-commit-edit.test.ts).
  it('adds the hooks to `repos: []` as a block list', () => {
    const cwd = tempProject({ '.pre-commit-config.yaml': 'repos: [] # filled by init\n' });
    expect(runCli(['init', '--yes', '--no-detect'], { cwd }).code).toBe(0);
    expect(readFileSync(path.join(cwd, '.pre-commit-config.yaml'), 'utf8')).toBe(
      [
        'repos: # filled by init',
        '  - repo: https://github.com/mtls-fix/mtls-fix',
        '    rev: v0.1.0',
        '    hooks:',
        '      - id: mtls-fix-lint',
        '      - id: mtls-fix-migrate-check',
        '',
      ].join('\n'),
    );
  });

  it('offers what detect finds as the default mTLS answers, and names where it read them; --no-detect does not', () => {
    const openapi = [
      'openapi: 3.1.0',
      'info: { title: t, version: "1" }',
      'servers: [ { url: "https://mtls.bank.example/v1" }, { url: "https://www.bank.example/v1" } ]',
      'paths: {}',
      '',
    ].join('\n');
    const cwd = tempProject({ 'specs/accounts.yaml': openapi });
    copyFileSync(path.join(REPO_ROOT, 'test/fixtures/detect/nginx/api.conf'), path.join(cwd, 'api.conf'));
    const run = runCli(['init', '--yes'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^detected mTLS termination in api\.conf:\d+ "ssl_verify_client on;", /m);
    const config = jsYaml.load(readFileSync(path.join(cwd, 'mtls-fix.config.yaml'), 'utf8')) as {
      mtls: { servers: string[] };
      spec: string[];
    };
    expect(config.spec).toEqual(['specs/accounts.yaml']);
    const servers = config.mtls.servers.map((source) => new RegExp(source));
    expect(servers.some((re) => re.test('https://mtls.bank.example/v1'))).toBe(true);
    expect(servers.some((re) => re.test('https://www.bank.example/v1'))).toBe(false);

    const plain = tempProject({ 'openapi.yaml': openapi });
    copyFileSync(path.join(REPO_ROOT, 'test/fixtures/detect/nginx/api.conf'), path.join(plain, 'api.conf'));
    const without = runCli(['init', '--yes', '--no-detect'], { cwd: plain });
    expect(without.stdout).not.toContain('detected');
    expect(jsYaml.load(readFileSync(path.join(plain, 'mtls-fix.config.yaml'), 'utf8'))).toEqual({
      status: 401,
      spec: ['openapi.yaml'],
    });
  });

  // Session 19 (luikyv/go-open-finance, ConsumerDataRight/mock-register): init printed where mTLS is terminated
  // and wrote the config, but not that the proxy itself answers 403 there (`return 403` on the mTLS server, which
  // no config fixes), nor that a file holds mTLS settings detect does not read: the set-up read as complete.
  it('names the 403s the proxy answers itself and the mTLS settings detect cannot read', () => {
    const cwd = tempProject({
      'nginx.conf': [
        'events {}',
        'http {',
        '  server {',
        '    listen 443 ssl;',
        '    server_name matls.bank.example;',
        '    ssl_client_certificate /etc/ssl/ca.crt;',
        '    ssl_verify_client optional;',
        '    location / {',
        '      if ($ssl_client_verify != "SUCCESS") { return 403; }',
        '      proxy_pass http://app;',
        '    }',
        '  }',
        '}',
        '',
      ].join('\n'),
      'gateway/Program.cs': 'options.ClientCertificateMode = ClientCertificateMode.RequireCertificate;\n',
    });
    const run = runCli(['init', '--yes'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'detected the proxy itself answers 403 on those mTLS endpoints: nginx.conf:9 "return 403;"; run `mtls-fix detect` for the change to the agreed status (the config does not change them)',
    );
    expect(run.stdout).toContain(
      'detected 1 file holds mTLS server settings in a form mtls-fix does not read (gateway/Program.cs:1), so they are not in the config',
    );
  });

  it('never replaces a file without --force, and says so', () => {
    const cwd = tempProject({
      'mtls-fix.config.yaml': 'status: 410\n',
      '.spectral.yaml': 'extends: spectral:oas\n',
    });
    const run = runCli(['init', '--yes'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^left\s+mtls-fix\.config\.yaml\s+\(exists; --force replaces it\)/m);
    expect(run.stdout).toMatch(
      /^left\s+\.spectral\.yaml\s+\(exists; add "mtls-fix\/ruleset" to its extends/m,
    );
    expect(readFileSync(path.join(cwd, 'mtls-fix.config.yaml'), 'utf8')).toBe('status: 410\n');
    const forced = runCli(['init', '--yes', '--force', '--mtls-everywhere'], { cwd });
    expect(forced.stdout).toMatch(/^replaced\s+mtls-fix\.config\.yaml/m);
    expect(jsYaml.load(readFileSync(path.join(cwd, 'mtls-fix.config.yaml'), 'utf8'))).toEqual({
      status: 401,
      mtls: { everywhere: true },
    });
    expect(readFileSync(path.join(cwd, '.spectral.yaml'), 'utf8')).toBe('extends: spectral:oas\n');
  });

  it('a bad --status is an exit-2 error and writes nothing', () => {
    const cwd = tempProject();
    const run = runCli(['init', '--yes', '--status', '403'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^mtls-fix: .*--status/);
    expect(existsSync(path.join(cwd, 'mtls-fix.config.yaml'))).toBe(false);
  });

  it('documents outside the root or under other names become `spec` (session 9: mojaloop/api-snippets, digitalocean/openapi); lint then runs without FILES', () => {
    const doc = (title: string) =>
      `openapi: 3.0.3\ninfo: {title: ${title}, version: '1'}\npaths:\n  /a:\n    $ref: 'paths/a.yaml'\n`;
    const fragment = "get:\n  responses:\n    '200': {description: ok}\n";
    const cwd = tempProject({
      'specification/public.v2.yaml': doc('public'),
      'specification/paths/a.yaml': fragment,
      'README.md': '# api\n',
    });
    const run = runCli(['init', '--yes'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'spec     specification/public.v2.yaml  (what lint and fix read without FILES)',
    );
    const config = jsYaml.load(readFileSync(path.join(cwd, 'mtls-fix.config.yaml'), 'utf8')) as {
      spec: string[];
    };
    expect(config.spec).toEqual(['specification/public.v2.yaml']);
    const lint = runCli(['lint'], { cwd });
    expect(lint.code).toBe(0);
    expect(lint.stdout).toContain('specification/public.v2.yaml');
    expect(lint.stdout.trim()).toMatch(
      /mtls-unchecked[^]*\nmtls-fix: checked 1 document, 1 operation, 0 mTLS-secured$/,
    );
  });

  it('documents published in dist/ are the documents when none is elsewhere; a build copy never doubles a source one (session 11: Nebras-Open-Finance/api-specs, OpenBankingUK/read-write-api-specs)', () => {
    const doc = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n";
    const published = tempProject({
      'dist/standards/v2.1/accounts.yaml': doc,
      'dist/standards/v2.1/payments.json':
        '{"openapi": "3.0.0", "info": {"title": "p", "version": "1"}, "paths": {}}',
      'dist/standards/v2.1/notes.yaml': 'title: not a document\n',
      'node_modules/lib/dist/openapi.yaml': doc,
    });
    const run = runCli(['init', '--yes'], { cwd: published });
    expect(run.stdout).toContain(
      'spec     dist/standards/v2.1/accounts.yaml, dist/standards/v2.1/payments.json  (what lint and fix read without FILES)',
    );
    expect(runCli(['lint'], { cwd: published }).stdout).toContain(
      'mtls-fix: checked 2 documents, 0 operations',
    );
    const built = tempProject({ 'src/openapi.yaml': doc, 'dist/openapi.yaml': doc });
    expect(runCli(['init', '--yes'], { cwd: built }).stdout).toContain(
      'spec     src/openapi.yaml  (what lint',
    );
  });

  it('many documents become one glob per folder; none found is said, not left to lint to find', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 13; i++)
      files[`TS${i}.yaml`] = `openapi: 3.0.0\ninfo: {title: t${i}, version: '1'}\npaths: {}\n`;
    files['other/openapi.json'] = '{"openapi": "3.1.0", "info": {"title": "o", "version": "1"}, "paths": {}}';
    const many = tempProject(files);
    expect(runCli(['init', '--yes'], { cwd: many }).stdout).toContain('spec     *.yaml, other/*.json');
    const none = tempProject({ 'README.md': '# nothing\n' });
    expect(runCli(['init', '--yes'], { cwd: none }).stdout).toContain(
      'spec     none: no OpenAPI document found here; pass FILES to lint and fix, or add `spec` to the config',
    );
  });

  // Session 12: where real repositories keep their documents. Each layout's documents become `spec`; nothing is
  // passed over: a document larger than the 2 MB scan limit (GitHub's, Stripe's: 5-15 MB) is still one.
  const doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
  /** A YAML text over the 2 MB scan limit, `head` first. */
  const big = (head: string): string =>
    head +
    'x-padding:\n' +
    Array.from({ length: 30_000 }, (_, i) => `  - line ${i} ${'x'.repeat(70)}\n`).join('');
  const LAYOUTS: [string, Record<string, string>, string][] = [
    ['docs/', { 'docs/openapi.yaml': doc, 'docs/index.md': '# docs\n' }, 'docs/openapi.yaml'],
    ['api/ and *.openapi.yaml', { 'api/orders.openapi.yaml': doc }, 'api/orders.openapi.yaml'],
    ['openapi/ with .yml', { 'openapi/v1.yml': doc }, 'openapi/v1.yml'],
    ['spec/ (not test code: a document is read wherever it is)', { 'spec/api.yaml': doc }, 'spec/api.yaml'],
    [
      'swagger.json under src/',
      {
        'src/main/resources/static/swagger.json':
          '{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}',
      },
      'src/main/resources/static/swagger.json',
    ],
    ['a YAML document larger than 2 MB', { 'spec/github.yaml': big(doc) }, 'spec/github.yaml'],
    [
      'a JSON document larger than 2 MB',
      {
        'api/stripe.json': `{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}, "x-padding": [${Array.from({ length: 30_000 }, () => `"${'x'.repeat(80)}"`).join(',')}]}`,
      },
      'api/stripe.json',
    ],
    [
      'Maven output only (target/)',
      { 'target/openapi.json': '{"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": {}}' },
      'target/openapi.json',
    ],
    ['a large document published in dist/', { 'dist/openapi.yaml': big(doc) }, 'dist/openapi.yaml'],
  ];
  for (const [name, files, spec] of LAYOUTS) {
    it(`finds the documents of a repository that keeps them in ${name}`, () => {
      const cwd = tempProject(files);
      const run = runCli(['init', '--yes'], { cwd });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`spec     ${spec}  (what lint and fix read without FILES)`);
    });
  }
  it('a large YAML or JSON file that is no OpenAPI document is named as not read by detect, not a document', () => {
    const cwd = tempProject({ 'data/big.yaml': big('title: data\n'), 'openapi.yaml': doc });
    const run = runCli(['detect', '--json'], { cwd });
    const report = JSON.parse(run.stdout) as {
      documents: string[];
      skipped: { file: string; reason: string }[];
    };
    expect(report.documents).toEqual(['openapi.yaml']);
    // Named as not read, and a file `detect --check` cannot pass over (it may hold configuration).
    expect(report.skipped).toContainEqual({
      file: 'data/big.yaml',
      unreadable: true,
      reason: 'larger than 2 MB',
    });
  });
});
