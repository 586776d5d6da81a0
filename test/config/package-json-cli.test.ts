import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';

// breaker33: `migrate` in a folder whose package.json has a trailing comma said "invalid config file: unexpected
// end of the stream within a flow collection" (a YAML reader's words, calling package.json a config file).
describe('a package.json that is not JSON', () => {
  it('is one line naming the JSON error and its place, exit 2, no stack trace', () => {
    const cwd = tempProject({
      'package.json': '{"name":"z","dependencies":{"express":"*"},\n',
      'app.js': 'require("express")().get("/a", (q, r) => r.status(403).end());\n',
    });
    const run = runCli(['migrate', '.', '--check'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      `mtls-fix: ${cwd}/package.json:2:1: JSON syntax error in package.json: the file ends inside an object (a '}' missing for line 1). Fix package.json (npm and Node cannot read it either), then run again.`,
    ]);
  });
});
