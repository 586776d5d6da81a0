import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 34 (rapharw/template-fastify-api: `fastify.register(require(path.resolve('app/bootstrap')))`, 0 of 6
// operations before): a module required by a path built with path.resolve / path.join. No --mount.

describe('migrate --spec: modules required by a built path', () => {
  it('reads path.resolve from the working folder and path.join from __dirname or process.cwd()', async () => {
    const { report } = await runSpecProject('spellings-working-folder-requires');
    // b2c1e7aa: 0 of 2 mTLS operations handled; "registration of require(path.resolve('app/bootstrap')) … loads
    // a plugin mtls-fix cannot read", every route below it "not mounted anywhere", the three 403s manual.
    expect(
      report.coverage.handled.map((h) => `${h.operation} <- ${h.routes.map((r) => r.file).join(', ')}`),
    ).toEqual(['GET /accounts/{id} <- app/routes/accounts.js', 'POST /cards <- app/routes/cards.js']);
    // A part computed at run time stays named where it is registered.
    expect(report.coverage.unresolved.map((u) => `${u.file}:${u.line} ${u.reason}`)).toEqual([
      "server.js:8 registration of require(path.resolve(process.env.EXTRA_PLUGIN || 'app/extra')) at server.js:8 loads a plugin mtls-fix cannot read",
    ]);
    expect(report.coverage.noHandler).toEqual([]);
  });
});
