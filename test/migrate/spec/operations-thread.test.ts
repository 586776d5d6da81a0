import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';

/**
 * Issue 9 §3: a large `--spec` document loads on a worker thread while the code is parsed
 * (src/migrate/routes/operations-thread.ts). The report must be the one the in-place load gives, and a
 * document that cannot be loaded must fail the same way (exit 2, the same one-line message). The size rule
 * is overridden with MTLS_FIX_SPEC_WORKER so small fixtures take each path; these tests spawn bin/run.js
 * (the worker runs from dist: `npm run build` first).
 */
const SPEC =
  "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n" +
  'components: {securitySchemes: {clientCert: {type: mutualTLS}}}\npaths:\n' +
  "  /accounts/{id}: {get: {security: [{clientCert: []}], responses: {'403': {description: no}}}}\n" +
  "  /public: {get: {responses: {'403': {description: no}}}}\n";

const APP = `import express from 'express';
const app = express();
const accounts = express.Router();
accounts.get('/:id', (req, res) => {
  res.status(403).send('mtls');
});
app.use('/accounts', accounts);
app.get('/public', (req, res) => {
  res.sendStatus(403);
});
export default app;
`;

const project = (spec: string): string =>
  tempProject({
    'package.json': '{"name":"x","dependencies":{"express":"4"}}',
    'src/app.ts': APP,
    'openapi.yaml': spec,
  });

const run = (folder: string, worker: 'always' | 'never') =>
  runCliAsync(['migrate', '--spec', 'openapi.yaml', '--json', '--dry-run', '--force', '.'], {
    cwd: folder,
    env: { MTLS_FIX_SPEC_WORKER: worker },
  });

describe('migrate --spec: the document loaded on a worker thread', () => {
  it('gives the report the in-place load gives', async () => {
    const folder = project(SPEC);
    const [threaded, inPlace] = [await run(folder, 'always'), await run(folder, 'never')];
    expect(threaded.code).toBe(0);
    expect(threaded.stderr).toBe('');
    const strip = (stdout: string): unknown => {
      const report = JSON.parse(stdout) as Record<string, unknown>;
      delete report.elapsedMs;
      return report;
    };
    expect(strip(threaded.stdout)).toEqual(strip(inPlace.stdout));
    const report = JSON.parse(threaded.stdout) as {
      sites: { line: number; action: string; operation: string | null }[];
    };
    expect(report.sites.map(({ line, action, operation }) => ({ line, action, operation }))).toEqual([
      { line: 5, action: 'would-rewrite', operation: 'GET /accounts/{id}' },
    ]);
  }, 300_000);

  it('fails the same way on a document that does not parse', async () => {
    const folder = project(`${SPEC}  /broken: {get: [\n`);
    const [threaded, inPlace] = [await run(folder, 'always'), await run(folder, 'never')];
    expect(threaded.code).toBe(2);
    expect(threaded.stderr).toMatch(/openapi\.yaml/);
    expect(threaded.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(threaded.stderr).toBe(inPlace.stderr);
  }, 300_000);

  it('fails the same way on a document that is missing', async () => {
    const folder = project(SPEC);
    const args = ['migrate', '--spec', 'missing.yaml', '--json', '--dry-run', '--force', '.'];
    const threaded = await runCliAsync(args, { cwd: folder, env: { MTLS_FIX_SPEC_WORKER: 'always' } });
    const inPlace = await runCliAsync(args, { cwd: folder, env: { MTLS_FIX_SPEC_WORKER: 'never' } });
    expect(threaded.code).toBe(2);
    expect(threaded.stderr).toMatch(/missing\.yaml/);
    expect(threaded.stderr).toBe(inPlace.stderr);
  }, 300_000);
});
