import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';

/**
 * Session 14 (CalloraOrg/Callora-Backend): a factory returns an object holding its router
 * (`return { router, _resetCache }`), mounted as `router.use('/limits', createLimitsRouter(limiter).router)` or
 * destructured first (`const { router } = createTenants()`). The router was "not mounted anywhere", its
 * operation had no handler and its sites were manual with `--mount` advice.
 */
const SPEC =
  "openapi: 3.1.0\ninfo: {title: x, version: '1'}\nx-mtls: true\npaths:\n" +
  "  /api/limits/check: {get: {responses: {'200': {description: ok}}}}\n" +
  "  /api/tenants: {get: {responses: {'200': {description: ok}}}}\n" +
  "  /admin/stats: {get: {responses: {'200': {description: ok}}}}\n";

describe('migrate --spec: a router held by the object a factory returns', () => {
  it('Express `f(x).router` and `const { router } = f()`, Hono `f().app`', async () => {
    const folder = tempProject({
      'package.json': '{"name":"x","dependencies":{"express":"4","hono":"4"}}',
      'openapi.yaml': SPEC,
      'src/app.ts': `import express from 'express';
import { createLimitsRouter } from './limits';
import { createTenants } from './tenants';
const app = express();
app.use('/api/limits', createLimitsRouter(10).router);
const { router: tenants } = createTenants();
app.use('/api/tenants', tenants);
export default app;
`,
      'src/limits.ts': `import { Router } from 'express';
export function createLimitsRouter(max: number) {
  const router = Router();
  router.get('/check', (req, res) => {
    res.status(403).json({ max });
  });
  return { router, reset: () => max };
}
`,
      'src/tenants.ts': `import { Router } from 'express';
export const createTenants = () => {
  const router = Router();
  router.get('/', (req, res) => {
    res.sendStatus(403);
  });
  return { router };
};
`,
      'src/hono.ts': `import { Hono } from 'hono';
function makeAdmin() {
  const app = new Hono();
  app.get('/stats', (c) => c.json({ error: 'denied' }, 403));
  return { app, name: 'admin' };
}
const root = new Hono();
root.route('/admin', makeAdmin().app);
export default root;
`,
    });
    const run = await runCliAsync(
      ['migrate', '--spec', 'openapi.yaml', '--json', '--dry-run', '--force', '.'],
      {
        cwd: folder,
      },
    );
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as {
      sites: { file: string; line: number; action: string; operation: string | null }[];
      coverage: { noHandler: unknown[]; unresolved: unknown[] };
    };
    expect(report.sites.map((s) => [s.file, s.line, s.action, s.operation])).toEqual([
      ['src/hono.ts', 4, 'would-rewrite', 'GET /admin/stats'],
      ['src/limits.ts', 5, 'would-rewrite', 'GET /api/limits/check'],
      ['src/tenants.ts', 5, 'would-rewrite', 'GET /api/tenants'],
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  }, 180_000);
});
