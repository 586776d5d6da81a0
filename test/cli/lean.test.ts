import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from '@oclif/core';
import { describe, expect, it } from 'vitest';
import { parseLean, type ManifestFlag } from '../../src/cli/lean.js';
import Lint from '../../src/commands/lint.js';
import { runCliAsync, tempProject } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

// The lean `lint` path must parse exactly as oclif does, or leave the arguments to oclif.
const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, { flags: Record<string, ManifestFlag> }>;
};
const leanFlags = manifest.commands.lint.flags;

async function oclifParse(argv: string[]): Promise<{ argv: unknown[]; flags: Record<string, unknown> }> {
  const parsed = await Parser.parse(argv, {
    flags: { ...Lint.baseFlags, ...Lint.flags },
    args: Lint.args,
    strict: Lint.strict,
  });
  return { argv: parsed.argv, flags: parsed.flags };
}

/** Argument lists the lean path takes on: its parse must equal oclif's. */
const LEAN: string[][] = [
  [],
  ['openapi.yaml'],
  ['a.yaml', 'b.json', '-f', 'json'],
  ['--format', 'sarif', 'spec/*.yaml', '--output', 'out.sarif'],
  ['--format=json', '-q', 'x.yaml'],
  ['--mtls-scheme', 'a', 'x.yaml', '--mtls-scheme', 'b', 'y.yaml'],
  ['--mtls-scheme=a', '--mtls-server', '^https://mtls\\.', 'x.yaml'],
  ['--mtls-everywhere', '--allow-remote-refs', '--status', '404', '--fail-severity', 'warn', 'x.yaml'],
  ['--config', 'cfg.yaml', '--skip-non-openapi', '--debug', 'x.yaml', '-o', 'r.txt'],
  // --format/--output are repeatable (one value per occurrence), paired in order; --explain is a switch.
  ['-f', 'json', '-f', 'sarif', 'x.yaml', '-o', 'a.json', '-o', 'b.sarif', '--explain'],
];

/** Argument lists left to oclif (help, usage errors, forms the lean parser does not read). */
const OCLIF: string[][] = [
  ['--help'],
  ['-h'],
  ['--version'],
  ['x.yaml', '--bogus'],
  ['--format', 'xml'],
  ['--format'],
  ['-f', 'json', '-o', '-'],
  ['--quiet=true'],
  ['-fjson'],
  ['--', 'x.yaml'],
  ['-'],
  ['--status', '-1'],
  ['--output', ''],
];

describe('the lean lint path parses as oclif does', () => {
  it.each(LEAN.map((argv) => [argv.join(' '), argv]))('%s', async (_, argv) => {
    const lean = parseLean(argv, leanFlags);
    expect(lean).toBeDefined();
    expect(lean).toEqual(await oclifParse(argv));
  });

  it.each(OCLIF.map((argv) => [argv.join(' '), argv]))('%s: left to oclif', (_, argv) => {
    expect(parseLean(argv, leanFlags)).toBeUndefined();
  });

  it('a flag with a default or an environment variable leaves the whole command to oclif', () => {
    const withDefault = { ...leanFlags, extra: { name: 'extra', type: 'option', default: 'x' } };
    expect(parseLean(['x.yaml'], withDefault as Record<string, ManifestFlag>)).toBeUndefined();
  });

  it('the lean run reports, exits and fails as the oclif run does', async () => {
    const cwd = tempProject({
      'openapi.yaml':
        "openapi: 3.1.0\ninfo: { title: t, version: '1' }\npaths:\n  /a: { get: { responses: { '403': { description: no } } } }\n",
    });
    // MTLS_FIX_LEAN=0 sends the same run through oclif.
    const lean = await runCliAsync(['lint', 'openapi.yaml', '--mtls-everywhere', '-f', 'json'], { cwd });
    const viaOclif = await runCliAsync(['lint', 'openapi.yaml', '--mtls-everywhere', '-f', 'json'], {
      cwd,
      env: { MTLS_FIX_LEAN: '0' },
    });
    expect(lean.code).toBe(1);
    expect(viaOclif.code).toBe(1);
    expect(lean.stdout).toBe(viaOclif.stdout);
    const bad = await runCliAsync(['lint', 'openapi.yaml', '--status', '403'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^mtls-fix: --status: status 403 is the status being replaced/);
  });
});
