import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';
import { siteOutcomes, specMarkers } from '../../helpers/spec-markers.js';

// Session 50: a helper that receives the app, called as a member of a module required in place
// (`require('./routes/accounts').mount(app)`), was not followed (`const a = require(…); a.mount(app)` was): its
// routes were "registered on app, which mtls-fix could not trace to an app or router", their operations "no
// handler found". Every 403 line of the fixture carries an `// expect:` marker; no --mount.
const root = path.resolve(import.meta.dirname, '../../fixtures/spec-projects');
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Report {
  sites: { file: string; line: number; action: string; operation: string | null; reason: string | null }[];
  coverage: {
    handled: { operation: string; routes: { method: string; path: string; file: string; line: number }[] }[];
    noHandler: { operation: string }[];
    unresolved: unknown[];
  };
}

describe('migrate --spec follows helpers read as members of an in-place require', () => {
  it('exports.mount, module.exports = { register } and module.exports.mount, mTLS and public', async () => {
    const dir = tempProject({}, path.join(root, 'spellings-required-member-helpers'));
    temps.push(dir);
    const result = await runCliAsync(['migrate', '--json', '--check', '--spec', 'openapi.yaml'], {
      cwd: dir,
    });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as Report;
    const expected = specMarkers(dir, 'plain');
    const actual = siteOutcomes(report.sites);
    for (const [where, outcome] of expected)
      expect([where, actual.get(where) ?? 'none']).toEqual([where, outcome]);
    for (const where of actual.keys()) expect(expected.has(where), where).toBe(true);
    const routes = report.coverage.handled
      .flatMap((h) => h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`))
      .sort();
    expect(routes).toEqual([
      'GET /accounts/:id src/routes/accounts.js:4', // require('./routes/accounts').mount(app), exports.mount
      'POST /payments src/routes/payments.js:4', // require('./routes/payments').register(app), module.exports = { register }
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });
});
