import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Session 39 (fix39a): breaker39 02 (oauth2-server scopes read clean) and 06 (a status alias left at 400 | 403 while
// its callers became 404). Each case fails on 41e4c794.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(
  files: Record<string, string>,
  status = 401,
): Promise<{ cwd: string; report: MigrateReport }> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-fix39a-'));
  temps.push(cwd);
  const dependencies = { express: '*', '@node-oauth/express-oauth-server': '*' };
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'p', dependencies }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return { cwd, report: (await migrate({ cwd, status, mode: 'write' })).report };
}

describe('the oauth2-server family: a scope checked by authenticate answers 403', () => {
  it('names the call in the file that builds the server and in a routes file that only uses it', async () => {
    const { report } = await run({
      'src/oauth.js':
        "const OAuthServer = require('@node-oauth/express-oauth-server');\nmodule.exports = new OAuthServer({ model: {}, useErrorHandler: true });\n",
      'src/routes.js':
        "const express = require('express');\nconst app = express();\napp.oauth = require('./oauth');\napp.get('/a', app.oauth.authenticate({ scope: 'accounts:read' }), (req, res) => res.json([]));\napp.get('/b', app.oauth.authenticate(), (req, res) => res.json([]));\nmodule.exports = app;\n",
    });
    const manual = report.sites.filter((s) => s.action === 'manual');
    expect(manual).toHaveLength(1);
    expect(manual[0]?.file).toBe('src/routes.js');
    expect(manual[0]?.reason).toContain('insufficient_scope');
  });
});

describe('a status parameter typed as a literal union', () => {
  it('a same-file alias is widened in a written run', async () => {
    const { cwd, report } = await run(
      {
        'src/types.ts': 'export type DeniedStatus = 400 | 403;\n',
        'src/deny.ts':
          "import type { DeniedStatus } from './types';\ntype Local = 400 | 403;\ninterface Res { status(code: number): { end(): void } }\nexport function deny(status: DeniedStatus, res: Res) { res.status(status).end(); }\nexport function refuse(status: Local, res: Res) { res.status(status).end(); }\nexport const a = (res: Res) => deny(403, res);\nexport const b = (res: Res) => refuse(403, res);\n",
      },
      404,
    );
    // The imported alias is named where the parameter names it (its file is not edited): two shared-helper notes
    // and the alias.
    const manual = report.sites.filter((s) => s.action === 'manual');
    expect(manual).toHaveLength(3);
    expect(manual.find((s) => s.reason?.includes('typed DeniedStatus (src/types.ts)'))?.line).toBe(4);
    const text = readFileSync(path.join(cwd, 'src/deny.ts'), 'utf8');
    expect(text).toContain('type Local = 400 | 403 | 404;');
    expect(text).toContain('refuse(404, res)');
  });
});
