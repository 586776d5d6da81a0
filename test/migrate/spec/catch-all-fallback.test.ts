import { describe, expect, it } from 'vitest';
import type { MigrateReport } from '../../../src/migrate/types.js';
import { runCliAsync, type CliRun } from '../../helpers/cli.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

// trial37 (automatisch/automatisch @ 41f3c56a): the document's GET /users (its paths lack the `/v1` the code serves
// them under) was "handled" by the single-page app's fallback `app.get('*')`, so the real handler's 403 under
// /api/v1/users was left alone while no mTLS operation lacked a handler: `--check` passed. An operation only a
// catch-all answers, that a route of its own words serves under a prefix, is now listed with no handler found (and
// where it is served); a catch-all answering an operation no other route serves still handles it.
const { temp } = tempDirs('catch-all');

const APP =
  "const express = require('express');\nconst app = express();\nconst api = express.Router();\n" +
  "api.get('/users', (req, res) => {\n  if (!req.user) return res.status(403).json({ error: 'no' });\n  res.json([]);\n});\n" +
  "app.use('/api/v1', api);\n" +
  "app.get('*', (req, res) => res.sendFile('index.html', { root: 'web' }));\nmodule.exports = app;\n";
const DOC = (path: string): string =>
  "openapi: 3.1.0\ninfo: {title: a, version: '1'}\nservers: [{url: 'https://api.example/api'}]\n" +
  `components:\n  securitySchemes:\n    cert: {type: mutualTLS}\nsecurity: [{cert: []}]\npaths:\n  ${path}:\n    get:\n      responses: {'200': {description: ok}}\n`;

/**
 * `migrate --spec --check --json` on APP beside a document of one mTLS-secured `GET <path>`, in a temp folder outside
 * git (a check writes nothing, so no clean work tree is needed).
 */
async function checkDocumentOf(path: string): Promise<{ run: CliRun; coverage: MigrateReport['coverage'] }> {
  const cwd = temp({
    'package.json': '{"dependencies":{"express":"^4"}}',
    'src/app.js': APP,
    'openapi.yaml': DOC(path),
  });
  const run = await runCliAsync(['migrate', '--spec', 'openapi.yaml', '--check', '--json'], { cwd });
  return { run, coverage: (JSON.parse(run.stdout) as MigrateReport).coverage };
}

describe('migrate --spec: an operation only a catch-all answers', () => {
  it('is listed with no handler found when a route of its words serves it under a prefix; --check fails', async () => {
    const { run, coverage } = await checkDocumentOf('/users');
    expect(coverage?.handled.map((h) => h.operation)).toEqual([]);
    expect(coverage?.noHandler.map((n) => [n.operation, n.servedUnder?.map((s) => s.route.path)])).toEqual([
      ['GET /users', ['/api/v1/users']],
    ]);
    expect(coverage?.notReached).toBe(1);
    expect(run.code).toBe(1);
  });

  it('still handles an operation no other route serves (the fallback is its handler)', async () => {
    const { coverage } = await checkDocumentOf('/dashboard');
    expect(coverage?.handled.map((h) => [h.operation, h.routes.map((r) => r.path)])).toEqual([
      ['GET /dashboard', ['/*']],
    ]);
    expect(coverage?.noHandler).toEqual([]);
  });
});
