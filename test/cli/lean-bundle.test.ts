import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

// bin/run.js runs `lint` from the bundle scripts/bundle-lean.mjs builds (dist/src/cli/lean-bundle/): the same
// compiled modules, in a few files. Every case here runs twice, through the bundle and through oclif
// (MTLS_FIX_LEAN=0, which loads dist/src module by module), and must print and exit alike.
const MTLS_403 = `openapi: 3.1.0
info: { title: t, version: '1' }
components:
  securitySchemes:
    clientCert: { type: mutualTLS }
security: [{ clientCert: [] }]
paths:
  /a:
    get:
      responses:
        '403': { description: no }
        '4XX': { description: other }
  /b~1c:
    post:
      responses:
        '200': { description: ok }
`;
/** Findings only when config says every operation is mTLS-secured. */
const PLAIN_403 =
  "openapi: 3.1.0\ninfo: { title: t, version: '1' }\npaths:\n  /a: { get: { responses: { '403': { description: no } } } }\n";
const CLEAN =
  "openapi: 3.1.0\ninfo: { title: t, version: '1' }\npaths:\n  /a: { get: { responses: { '200': { description: ok } } } }\n";

const project = () =>
  tempProject({
    'specs/api.yaml': MTLS_403,
    'specs/clean.yaml': CLEAN,
    'specs/broken.yaml': 'openapi: 3.1.0\npaths: [\n',
    'js-config/mtls-fix.config.cjs': 'module.exports = { status: 401, mtls: { everywhere: true } };\n',
    'js-config/api.yaml': PLAIN_403,
    'esm-config/mtls-fix.config.mjs': 'export default { mtls: { everywhere: true } };\n',
    'esm-config/api.yaml': PLAIN_403,
    'bad-config/mtls-fix.config.yaml': 'mtls: [\n',
    'bad-config/api.yaml': CLEAN,
  });

/** Name, arguments, expected exit code, extra environment. */
const CASES: [string, string[], number, Record<string, string>?][] = [
  ['stylish, findings', ['lint', 'specs/api.yaml'], 1],
  ['stylish in colour', ['lint', 'specs/api.yaml', '-f', 'stylish'], 1, { FORCE_COLOR: '1', NO_COLOR: '' }],
  ['clean document', ['lint', 'specs/clean.yaml'], 0],
  ['a glob', ['lint', 'specs/*.yaml', '-f', 'json'], 2],
  ['unparsable document', ['lint', 'specs/broken.yaml'], 2],
  ['sarif', ['lint', 'specs/api.yaml', '-f', 'sarif'], 1],
  ['text (Spectral)', ['lint', 'specs/api.yaml', '-f', 'text'], 1],
  ['junit (Spectral)', ['lint', 'specs/api.yaml', '-f', 'junit'], 1],
  ['github-actions', ['lint', 'specs/api.yaml', '-f', 'github-actions'], 1],
  ['quiet', ['lint', 'specs/api.yaml', '-q'], 1],
  ['CommonJS config', ['lint', 'js-config/api.yaml', '-f', 'json'], 1],
  ['ES module config', ['lint', 'esm-config/api.yaml', '-f', 'json'], 1],
  ['broken config', ['lint', 'bad-config/api.yaml'], 2],
  ['usage error', ['lint', 'specs/api.yaml', '--status', '403'], 2],
];

describe('lint from the bundle prints and exits as through oclif', () => {
  it('bin/run.js loads the bundle', () => {
    expect(readFileSync(path.join(REPO_ROOT, 'bin/run.js'), 'utf8')).toContain(
      "import('../dist/src/cli/lean-bundle/lean.js')",
    );
  });

  it.each(CASES)('%s', async (_name, args, code, env = {}) => {
    const cwd = project();
    const [bundled, viaOclif] = await Promise.all([
      runCliAsync(args, { cwd, env }),
      runCliAsync(args, { cwd, env: { ...env, MTLS_FIX_LEAN: '0' } }),
    ]);
    expect(bundled.stderr).toBe(viaOclif.stderr);
    expect(bundled.stdout).toBe(viaOclif.stdout);
    expect(bundled.code).toBe(viaOclif.code);
    expect(bundled.code).toBe(code);
  });

  it('a report written to a file has no colour, with FORCE_COLOR=1 (chalk loads after FORCE_COLOR is set)', async () => {
    const cwd = project();
    const run = await runCliAsync(['lint', 'specs/api.yaml', '-f', 'stylish', '-o', 'out.txt'], {
      cwd,
      env: { FORCE_COLOR: '1', NO_COLOR: '' },
    });
    expect(run.code).toBe(1);
    const report = readFileSync(path.join(cwd, 'out.txt'), 'utf8');
    expect(report).toContain('mtls-no-403');
    expect(report).not.toContain('\u001b[');
  });
});
