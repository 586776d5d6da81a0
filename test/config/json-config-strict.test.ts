import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { runCli, tempProject } from '../helpers/cli.js';
import { itNamesConfigErrors, type ConfigErrorScenario } from '../helpers/config-error.js';

/**
 * Session 36 (carried over): a `.json` config file must be JSON. Before, it was read as YAML, which takes a trailing
 * comma in a flow mapping or sequence, comments and block syntax, so `{"status": 401,}` passed as a config. Each
 * scenario: the file name, its text, and the one-line error (`<file>:<line>:<column>: ...`), by search and by
 * `--config`.
 */
const SCENARIOS: Record<string, ConfigErrorScenario> = {
  'a trailing comma in an object': {
    name: 'mtls-fix.config.json',
    text: '{\n  "status": 401,\n}\n',
    error:
      "mtls-fix.config.json:2:16: invalid config file: JSON syntax error: a trailing comma before '}' (JSON allows none). Fix the syntax.",
  },
  'a trailing comma in an array': {
    name: '.mtls-fixrc.json',
    text: '{\n  "mtls": { "servers": ["^https://mtls\\\\.",] }\n}\n',
    error:
      ".mtls-fixrc.json:2:43: invalid config file: JSON syntax error: a trailing comma before ']' (JSON allows none). Fix the syntax.",
  },
  'a YAML comment': {
    name: 'mtls-fix.config.json',
    text: '# ours\n{"status": 401}\n',
    error: 'mtls-fix.config.json:1:1: invalid config file: JSON syntax error:',
  },
  'YAML block syntax in a .json file': {
    name: 'mtls-fix.config.json',
    text: 'status: 401\n',
    error: 'mtls-fix.config.json:1:1: invalid config file: JSON syntax error:',
  },
};

describe('a .json config that is not JSON is named by its JSON error', () => {
  itNamesConfigErrors(SCENARIOS);

  it('valid JSON still loads', async () => {
    const loaded = await loadConfig({ cwd: tempProject({ 'mtls-fix.config.json': '{"status": 404}\n' }) });
    expect(loaded.config.status).toBe(404);
  });

  it('the CLI prints one line and exits 2', () => {
    const cwd = tempProject({
      'mtls-fix.config.json': '{\n  "status": 401,\n}\n',
      'api.yaml': 'openapi: 3.0.0\ninfo: {title: a, version: "1"}\npaths: {}\n',
    });
    const run = runCli(['lint', 'api.yaml'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain("a trailing comma before '}' (JSON allows none)");
  });
});
