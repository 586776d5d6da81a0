import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/index.js';
import { tempProject } from '../helpers/cli.js';

// trial39 #05: express-oauth2-jwt-bearer's requiredScopes was told to "Use failWithError", an option of
// express-jwt-authz that express-oauth2-jwt-bearer does not have (its scope checks always pass an
// InsufficientScopeError, status 403, to next(err)). Each package now gets its own advice.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function reasons(dependency: string, app: string): Promise<string[]> {
  const cwd = tempProject({
    'package.json': JSON.stringify({ dependencies: { express: '4', [dependency]: '1' } }),
    'src/app.js': app,
  });
  temps.push(cwd);
  const { report } = await migrate({ cwd, status: 401, mode: 'check' });
  return report.sites.filter((s) => s.action === 'manual').map((s) => s.reason ?? '');
}

describe('scope-check advice names only options the package has', () => {
  it.each(['requiredScopes', 'scopeIncludesAny'])(
    'express-oauth2-jwt-bearer %s: map err.status 403 in an error handler, no failWithError',
    async (name) => {
      const found = await reasons(
        'express-oauth2-jwt-bearer',
        `const express = require('express');
const { auth, ${name} } = require('express-oauth2-jwt-bearer');
const app = express();
app.use(auth({ audience: 'a', issuerBaseURL: 'https://x/' }));
app.get('/api/scoped', ${name}('read:messages'), (req, res) => res.json({}));
`,
      );
      expect(found).toHaveLength(1);
      expect(found[0]).toContain('InsufficientScopeError');
      expect(found[0]).toContain('err.status === 403');
      expect(found[0]).toContain('WWW-Authenticate');
      expect(found[0]).not.toContain('failWithError');
    },
  );

  it('express-jwt-authz keeps its failWithError advice', async () => {
    const found = await reasons(
      'express-jwt-authz',
      `const express = require('express');
const jwtAuthz = require('express-jwt-authz');
const app = express();
app.get('/api/scoped', jwtAuthz(['read:messages']), (req, res) => res.json({}));
`,
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('failWithError: true');
    expect(found[0]).not.toContain('express-oauth2-jwt-bearer');
  });
});

// The same check over the other kinds' advice (remaps.ts): hono/ip-restriction's onError is its third argument,
// which the advice wrote as an option key (`Pass onError: …`), a key its rules object does not have.
describe('hono/ip-restriction advice', () => {
  it('passes the handler as the third argument', async () => {
    const found = await reasons(
      'hono',
      `import { Hono } from 'hono';
import { getConnInfo } from 'hono/bun';
import { ipRestriction } from 'hono/ip-restriction';
const app = new Hono();
app.use('*', ipRestriction(getConnInfo, { denyList: ['10.0.0.1'] }));
export default app;
`,
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(
      "ipRestriction(getConnInfo, rules, (remote, c) => c.text('Unauthorized', 401))",
    );
    expect(found[0]).not.toContain('Pass onError:');
  });
});
