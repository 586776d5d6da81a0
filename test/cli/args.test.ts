import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';
import { BIN } from '../helpers/paths.js';

// OAS 3.0: mTLS only through --mtls-scheme / --mtls-server, so a swallowed positional shows as a wrong result.
const SPEC = `openapi: 3.0.3
info: { title: t, version: '1' }
servers: [ { url: 'https://gw.example.com' } ]
security: [ { gatewayCert: [] } ]
paths:
  /a: { get: { responses: { '403': { description: no } } } }
components: { securitySchemes: { gatewayCert: { type: http, scheme: bearer } } }
`;
const ROUTES =
  "import express from 'express';\nconst app = express();\napp.get('/a', (req, res) => res.status(403).send());\n";

function project(): string {
  return tempProject({
    'spec/openapi.yaml': SPEC,
    'package.json': JSON.stringify({ dependencies: { express: '4' } }),
    'src/routes.ts': ROUTES,
  });
}

describe('a repeatable flag takes one value per occurrence and never swallows a positional', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'lint --mtls-scheme NAME FILE',
      ['lint', '--mtls-scheme', 'gatewayCert', 'spec/openapi.yaml'],
      /mtls-no-403/,
    ],
    [
      'lint --mtls-scheme=NAME FILE',
      ['lint', '--mtls-scheme=gatewayCert', 'spec/openapi.yaml'],
      /mtls-no-403/,
    ],
    [
      'lint --mtls-server REGEX FILE',
      ['lint', '--mtls-server', '^https://gw\\.', 'spec/openapi.yaml'],
      /mtls-no-403/,
    ],
    [
      'fix --mtls-scheme NAME FILE',
      ['fix', '--dry-run', '--mtls-scheme', 'gatewayCert', 'spec/openapi.yaml'],
      /403 -> 401/,
    ],
    [
      'fix --mtls-server REGEX FILE',
      ['fix', '--dry-run', '--mtls-server', '^https://gw\\.', 'spec/openapi.yaml'],
      /403 -> 401/,
    ],
    [
      'migrate --framework NAME PATH',
      ['migrate', '--dry-run', '--framework', 'express', 'src'],
      /res\.status\(401\)/,
    ],
    [
      'migrate --spec FILE --mtls-scheme NAME PATH',
      ['migrate', '--dry-run', '--spec', 'spec/openapi.yaml', '--mtls-scheme', 'gatewayCert', 'src'],
      /res\.status\(401\)/,
    ],
    [
      'migrate --mount FILE=PREFIX PATH',
      [
        'migrate',
        '--dry-run',
        '--spec',
        'spec/openapi.yaml',
        '--mount',
        'src/routes.ts=/',
        '--mtls-scheme',
        'gatewayCert',
        'src',
      ],
      /res\.status\(401\)/,
    ],
  ];
  for (const [name, args, expected] of cases) {
    it(name, () => {
      const run = runCli(args, { cwd: project() });
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(expected);
    });
  }
});

describe('the command line', () => {
  it("oclif's errors become the one-line format with the reason", () => {
    const run = runCli(['fix', '--dry-run', '--check', 'spec/openapi.yaml'], { cwd: project() });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'mtls-fix: --check=true cannot also be provided when using --dry-run; --dry-run=true cannot also be provided when using --check. See --help.\n',
    );
  });

  // Session 26: with one reason oclif writes "The following error occurred:" (singular), which was kept in the line.
  it("oclif's single error loses its heading too", () => {
    const run = runCli(['migrate', '--json', '--format', 'sarif', '.'], { cwd: project() });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'mtls-fix: --json=true cannot also be provided when using --format. See --help.\n',
    );
  });

  it('help, -h, -v and --version', () => {
    const cwd = project();
    expect(runCli(['help'], { cwd }).stdout).toMatch(/COMMANDS[\s\S]*lint/);
    expect(runCli(['-h'], { cwd }).stdout).toMatch(/COMMANDS[\s\S]*lint/);
    expect(runCli(['lint', '-h'], { cwd }).stdout).toMatch(/USAGE[\s\S]*--mtls-scheme/);
    for (const flag of ['-v', '--version']) expect(runCli([flag], { cwd }).stdout).toMatch(/^mtls-fix\/\d/);
  });

  it('a mistyped command suggests the closest one, exit 2', () => {
    const run = runCli(['lnt', 'spec/openapi.yaml'], { cwd: project() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^mtls-fix: 'lnt' is not a mtls-fix command\. Did you mean 'mtls-fix lint'\?/);
  });

  // Session 18 (newuser18): `proxy nginx` said "'proxy' is not a mtls-fix command. Did you mean 'mtls-fix proxy'?".
  it('a command that takes no arguments, given one: one line naming the flag, exit 2', () => {
    const proxy = runCli(['proxy', 'nginx'], { cwd: project() });
    expect(proxy.code).toBe(2);
    expect(proxy.stderr).toBe(
      "mtls-fix: proxy takes no arguments, got 'nginx'. Did you mean 'mtls-fix proxy --target nginx'? See 'mtls-fix proxy --help'.\n",
    );
    const init = runCli(['init', 'openapi.yaml'], { cwd: project() });
    expect(init.code).toBe(2);
    expect(init.stderr).toBe(
      "mtls-fix: init takes no arguments, got 'openapi.yaml'. See 'mtls-fix init --help'.\n",
    );
  });

  it('NO_COLOR turns colour off', () => {
    const run = runCli(['lint', '--mtls-scheme', 'gatewayCert', 'spec/openapi.yaml'], {
      cwd: project(),
      env: { NO_COLOR: '1', FORCE_COLOR: '1' },
    });
    expect(run.stdout).toMatch(/mtls-no-403/);
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('--quiet prints errors only', () => {
    const cwd = project();
    const text = SPEC.replace("'403': { description: no }", "'4XX': { description: no }");
    writeFileSync(path.join(cwd, 'spec/openapi.yaml'), text);
    const quiet = runCli(['lint', '-q', '--mtls-scheme', 'gatewayCert', 'spec/openapi.yaml'], { cwd });
    expect([quiet.stdout, quiet.stderr]).toEqual(['', '']);
    const loud = runCli(['lint', '--mtls-scheme', 'gatewayCert', 'spec/openapi.yaml'], { cwd });
    expect(loud.stdout).toMatch(/mtls-4xx-range/);
  });

  it('fix --dry-run on an absolute path prints a diff git apply accepts', () => {
    const cwd = project();
    const file = path.join(cwd, 'spec/openapi.yaml');
    const dry = runCli(['fix', '--dry-run', '--mtls-scheme', 'gatewayCert', file], { cwd });
    expect(dry.code).toBe(0);
    const diff = dry.stdout.slice(0, dry.stdout.indexOf('\nspec/openapi.yaml\n') + 1);
    expect(diff).toMatch(/^--- a\/spec\/openapi\.yaml\n\+\+\+ b\/spec\/openapi\.yaml$/m);
    writeFileSync(path.join(cwd, 'fix.patch'), diff);
    const apply = spawnSync('git', ['apply', 'fix.patch'], { cwd, encoding: 'utf8' });
    expect([apply.status, apply.stderr]).toEqual([0, '']);
    expect(readFileSync(file, 'utf8')).toContain("'401'");
  });

  it('piped standard input is never taken as a file argument', () => {
    const result = spawnSync(
      process.execPath,
      [BIN, 'lint', '--mtls-scheme', 'gatewayCert', 'spec/openapi.yaml'],
      {
        cwd: project(),
        input: 'x\n',
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/mtls-no-403/);
  });

  it('a closed output pipe ends quietly (no EPIPE error)', () => {
    const cwd = project();
    const paths = Array.from(
      { length: 3000 },
      (_, index) => `  /a${index}: { get: { responses: { '403': { description: no } } } }`,
    );
    writeFileSync(path.join(cwd, 'big.yaml'), SPEC.replace(/paths:\n.*\n/, `paths:\n${paths.join('\n')}\n`));
    const result = spawnSync(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${BIN}" lint --mtls-scheme gatewayCert -f json big.yaml 2>err.txt | head -c 1; echo " \${PIPESTATUS[0]}"`,
      ],
      { cwd, encoding: 'utf8' },
    );
    expect(result.stdout).toBe('[ 1\n');
    // No EPIPE error: stderr holds only what was checked (a json report on stdout says it there, session 13).
    expect(readFileSync(path.join(cwd, 'err.txt'), 'utf8')).toBe(
      'mtls-fix: checked 1 document, 3000 operations, 3000 mTLS-secured (scheme: 3000)\n',
    );
  });
});
