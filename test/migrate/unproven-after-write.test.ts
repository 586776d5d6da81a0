import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { formatHuman } from '../../src/migrate/report.js';

// Session 41 (fastify41; AppQuality/unguess-core @ 7ed073e, trial39 "noticed, not fixed"): after a server-only write
// (`migrate`, then `migrate --check`), a test whose request reaches a status mtls-fix cannot prove (the app's
// `res.status(parseInt(header))`, a handler registered under a name computed at run time) was no longer listed,
// though the code it reaches now answers 401 (the rewritten key check, openapi-backend's `unauthorizedHandler`):
// the dynamic site was read as "still emitted", so the test as passing unchanged, and a run that rewrites nothing
// listed only the tests whose server already answers 401 for certain. The fixture is the state after that write.
const fixture = path.resolve(import.meta.dirname, '../fixtures/projects/unproven-after-write');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copy(): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-unproven-'));
  temps.push(cwd);
  cpSync(fixture, cwd, { recursive: true });
  return cwd;
}

describe('a test whose 403 rests on a status mtls-fix cannot prove, after a server-only write', () => {
  it('is listed by a plain --check when the code it reaches sends the agreed status', async () => {
    const cwd = copy();
    const result = await migrate({ cwd, status: 401, mode: 'check' });
    expect(result.report.summary.rewritten).toBe(0);
    const listed = result.report.skippedTestsMayFail ?? [];
    // The public route reaches only the dynamic status, and nothing that sends 401: it passes as before.
    expect(listed.map((a) => `${a.file}:${a.line}`)).toEqual([
      'test/services.test.js:3',
      'test/services.test.js:4',
      'test/services.test.js:6',
    ]);
    expect(listed[0]?.reason).toContain(
      'whose server may already answer 401: route POST /services (src/app.js:24) sends 401 at src/app.js:21',
    );
    expect(listed[0]?.reason).toContain(
      'reaches no 403 but res.status(parseInt(wanted)) (src/app.js:16), whose status could not be proven',
    );
    expect(listed[2]?.reason).toContain(
      'which a route whose code mtls-fix cannot read may serve (GET /quests: openapi-backend has no handler registered for getQuests',
    );
    expect(listed[2]?.reason).toContain(
      "the code it reaches sends 401 at src/unauthorized.js:2 (module.exports = (c, req, res) => res.status(401).json({ err: 'unauthorized' }))",
    );
    // The head says who changed the server: not this run, which changes none.
    expect(formatHuman(result, 'check')).toContain(
      'Tests that may fail (3 assertions in 1 test file): each asserts a 403 in a test file skipped without --include-tests, whose server mtls-fix could not pair with one it leaves at 403, so it may now get 401 from a server an earlier run changed',
    );
  });

  it('is named with what its route answers under --include-tests', async () => {
    const cwd = copy();
    const { report } = await migrate({ cwd, status: 401, mode: 'check', includeTests: true });
    const reasons = new Map(
      report.sites.filter((s) => s.framework === 'tests').map((s) => [s.line, s.reason ?? '']),
    );
    expect(reasons.get(3)).toContain('whose server may already answer 401: route POST /services');
    expect(reasons.get(4)).toContain('whose server may already answer 401: route POST /steps/:id');
    expect(reasons.get(5)).toContain('that is still emitted by res.status(parseInt(wanted)) (src/app.js:16)');
    expect(reasons.get(6)).toContain('the code it reaches sends 401 at src/unauthorized.js:2');
  });
});
