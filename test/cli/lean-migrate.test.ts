import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from '@oclif/core';
import { describe, expect, it } from 'vitest';
import { parseLean, type ManifestFlag } from '../../src/cli/lean.js';
import Migrate from '../../src/commands/migrate.js';
import { runCliAsync, tempProject } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

// `migrate` on the lean path (src/cli/lean.ts -> lean-migrate.ts): the same parse as oclif, the same output
// and exit codes as through oclif (MTLS_FIX_LEAN=0), with the git check, discovery and the reading on a worker
// thread (src/migrate/sources.ts) or in place (MTLS_FIX_SOURCES_WORKER=never).
const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, { flags: Record<string, ManifestFlag> }>;
};
const flags = manifest.commands.migrate.flags;

async function oclifParse(argv: string[]): Promise<{ argv: unknown[]; flags: Record<string, unknown> }> {
  const parsed = await Parser.parse(argv, {
    flags: { ...Migrate.baseFlags, ...Migrate.flags },
    args: Migrate.args,
    strict: Migrate.strict,
  });
  return { argv: parsed.argv, flags: parsed.flags };
}

const LEAN: string[][] = [
  [],
  ['src'],
  ['src', 'lib', '--dry-run'],
  ['--check', '--format', 'sarif'],
  ['--json', '--explain', '--include-tests', '--force'],
  ['--framework', 'express', 'src', '--framework', 'nestjs', '--status', '404'],
  ['--spec', 'a.yaml', '--mount', 'src/a.ts=/v1', '--mount=src/b.ts=/v2', '--www-authenticate', 'Bearer'],
  ['--config', 'c.yaml', '--mtls-everywhere', '--debug', '--format=github-actions'],
];

const OCLIF: string[][] = [
  ['--help'],
  ['--json', '--format', 'sarif'],
  ['--format', 'xml'],
  ['--framework', 'nosuch'],
  ['--bogus'],
  ['--no-json'],
  ['--status'],
  ['--', 'src'],
];

describe('the lean migrate path parses as oclif does', () => {
  it.each(LEAN.map((argv) => [argv.join(' '), argv]))('%s', async (_, argv) => {
    const lean = parseLean(argv, flags);
    expect(lean).toBeDefined();
    expect(lean).toEqual(await oclifParse(argv));
  });

  it.each(OCLIF.map((argv) => [argv.join(' '), argv]))('%s: left to oclif', (_, argv) => {
    expect(parseLean(argv, flags)).toBeUndefined();
  });
});

const SERVER = [
  "import express from 'express';",
  'const app = express();',
  "app.get('/a', (req, res) => res.status(403).json({ error: 'forbidden' }));",
  "app.get('/b', (req, res) => res.sendStatus(403));",
  '',
].join('\n');

function project(): string {
  return tempProject({
    'package.json': JSON.stringify({ dependencies: { express: '^4' } }),
    'src/app.ts': SERVER,
    'src/other.ts': 'export const x = 1;\n',
    'src/test/app.test.ts': 'expect(res.status).toBe(403);\n',
    'src/broken.ts': 'const = ;\n',
  });
}

function git(cwd: string, ...args: string[]): void {
  spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd });
}

/** Name, arguments, extra files or a dirty git tree. */
const CASES: [string, string[], 'plain' | 'git-dirty' | 'git-clean'][] = [
  ['json dry run', ['migrate', '--dry-run', '--json'], 'plain'],
  ['check, sites listed', ['migrate', '--check'], 'plain'],
  ['sarif', ['migrate', '--check', '--format', 'sarif'], 'plain'],
  ['tests included', ['migrate', '--dry-run', '--json', '--include-tests'], 'plain'],
  ['a path that does not exist', ['migrate', 'nowhere', '--dry-run'], 'plain'],
  ['dry-run with check', ['migrate', '--dry-run', '--check'], 'plain'],
  ['a dirty work tree', ['migrate'], 'git-dirty'],
  ['a clean work tree, written', ['migrate', '--json'], 'git-clean'],
];

describe('migrate prints, writes and exits alike on the lean path and through oclif', () => {
  it.each(CASES)('%s', async (_name, args, setup) => {
    const runs = [];
    const envs: Record<string, string>[] = [{}, { MTLS_FIX_SOURCES_WORKER: 'never' }, { MTLS_FIX_LEAN: '0' }];
    for (const env of envs) {
      const cwd = project();
      if (setup !== 'plain') {
        git(cwd, 'init', '-q');
        git(cwd, 'add', '-A');
        git(cwd, 'commit', '-qm', 'x');
        if (setup === 'git-dirty') writeFileSync(path.join(cwd, 'src/other.ts'), 'export const x = 2;\n');
      }
      const run = await runCliAsync(args, { cwd, env: { CI: '1', ...env } });
      const written = readFileSync(path.join(cwd, 'src/app.ts'), 'utf8');
      runs.push({
        code: run.code,
        stdout: run.stdout.replace(/^ {2}time .*$/m, ''),
        stderr: run.stderr,
        written,
      });
    }
    expect(runs[0]).toEqual(runs[2]);
    expect(runs[1]).toEqual(runs[2]);
    if (setup === 'git-dirty') {
      expect(runs[0].code).toBe(2);
      expect(runs[0].stderr).toMatch(/^mtls-fix: the git work tree has 1 uncommitted change/);
      expect(runs[0].written).toBe(SERVER);
    }
    if (setup === 'git-clean') expect(runs[0].written).toContain('res.status(401)');
  });
});
