import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';
import { configError, itNamesConfigErrors, type ConfigErrorScenario } from '../helpers/config-error.js';

/**
 * Session 37 (carried over): a `.json` config file written in YAML was refused with the JSON error at its first
 * character only ("'s' where a value is due. Fix the syntax."), which names no cause. It is now named as YAML, with
 * the `.yaml` name to give it; a real JSON file with a comment or a trailing comma keeps its precise JSON error (line,
 * column, what is wrong). Each scenario: the file name, its text, and the one-line error, by search and by `--config`.
 */
const SCENARIOS: Record<string, ConfigErrorScenario> = {
  'YAML block syntax in mtls-fix.config.json': {
    name: 'mtls-fix.config.json',
    text: 'status: 401\nmtls:\n  schemes: [clientCert]\n',
    error:
      "mtls-fix.config.json:1:1: invalid config file: JSON syntax error: 's' where a value is due: the file is written in YAML, and a .json config must be JSON. Rename it mtls-fix.config.yaml, or write it as JSON.",
  },
  'YAML after a comment and a blank line in .mtls-fixrc.json': {
    name: '.mtls-fixrc.json',
    text: '# mTLS settings\n\nmtls:\n  everywhere: true\n',
    error: '.mtls-fixrc.json:1:1: invalid config file: JSON syntax error: ',
  },
  'JSON with a // comment: the JSON error, at its line and column': {
    name: '.mtls-fixrc.json',
    text: '{\n  // ours\n  "status": 401\n}\n',
    error:
      '.mtls-fixrc.json:2:3: invalid config file: JSON syntax error: a comment (JSON allows none). Fix the syntax.',
  },
  'JSON with a trailing comma: the JSON error, at its line and column': {
    name: 'mtls-fix.config.json',
    text: '{\n  "mtls": { "schemes": ["clientCert"], },\n  "status": 401\n}\n',
    error:
      "mtls-fix.config.json:2:38: invalid config file: JSON syntax error: a trailing comma before '}' (JSON allows none). Fix the syntax.",
  },
  'JSON after a YAML comment stays a JSON error': {
    name: 'mtls-fix.config.json',
    text: '# ours\n{"status": 401}\n',
    error: 'mtls-fix.config.json:1:1: invalid config file: JSON syntax error: ',
  },
};

describe('a .json config written in YAML is named as YAML; JSON errors stay precise', () => {
  itNamesConfigErrors(SCENARIOS);

  it('the YAML case says what to do only when the file is YAML', async () => {
    expect(
      await configError({ '.mtls-fixrc.json': '# mTLS settings\n\nmtls:\n  everywhere: true\n' }),
    ).toContain('Rename it .mtls-fixrc.yaml, or write it as JSON.');
    expect(await configError({ 'mtls-fix.config.json': '# ours\n{"status": 401}\n' })).not.toContain('YAML');
  });

  it('the CLI prints one line naming the file and exits 2', () => {
    const cwd = tempProject({
      'mtls-fix.config.json': 'status: 401\n',
      'api.yaml': 'openapi: 3.0.0\ninfo: {title: a, version: "1"}\npaths: {}\n',
    });
    const run = runCli(['lint', 'api.yaml'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('mtls-fix.config.json:1:1:');
    expect(run.stderr).toContain('Rename it mtls-fix.config.yaml, or write it as JSON.');
  });
});
