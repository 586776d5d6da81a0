import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 50: a helper that receives the app, called as a member of a module required in place
// (`require('./routes/accounts').mount(app)`), was not followed (`const a = require(…); a.mount(app)` was): its
// routes were "registered on app, which mtls-fix could not trace to an app or router", their operations "no
// handler found". Every 403 line of the fixture carries an `// expect:` marker; no --mount.
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
    const { report } = await runSpecProject<Report>('spellings-required-member-helpers');
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
