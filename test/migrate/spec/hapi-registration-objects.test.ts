import { describe, expect, it } from 'vitest';
import { runSpecProject, type SpecReport } from '../../helpers/spec-run.js';

// Session 37 (trials37): hapi registration objects held by a name (`const router = { plugin: { name, register } }`,
// imported, as DEFRA's CDP template writes every plugin), spread into another (`{ ...admin, routes: { prefix } }`),
// and the plugin list a project function returns (`server.register(getPlugins(options))`). No --mount.

const routesOf = (report: SpecReport): string[] =>
  report.coverage.handled
    .map((h) => `${h.operation} <- ${h.routes.map((r) => `${r.path} ${r.file}:${r.line}`).join(', ')}`)
    .sort();

describe('migrate --spec: hapi registration objects and plugin lists built by a function', () => {
  it('reads { plugin } objects held by a name, spread, and returned in a list by getPlugins()', async () => {
    const { report } = await runSpecProject('spellings-hapi-registration-objects', {
      args: ['--mtls-everywhere'],
    });
    // 55949e84: 0 of 4 handled; "registration of getPlugins(options) … loads a plugin mtls-fix cannot read" and the
    // three routes "not mounted anywhere" (DEFRA grants-ui-backend: 0 of 9, farming-grants-agreements-api: 0 of 11).
    expect(routesOf(report)).toEqual([
      'DELETE /state <- /state src/routes/state.js:11',
      'GET /health <- /health src/routes/health.js:1',
      'GET /state <- /state src/routes/state.js:11',
      'POST /admin/jobs <- /admin/jobs src/plugins/admin.js:7',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    // A plugin registered only by a plugin no one registers: its route is named, not dropped (55949e84 dropped it:
    // the server of `{ name, register(server) }` in a file importing no hapi module was guessed Express's).
    expect(report.coverage.unresolved).toMatchObject([
      {
        method: 'GET',
        path: '/reports',
        file: 'src/routes/reports.js',
        reason: 'router is not mounted anywhere in the scanned code (src/plugins/legacy.js:7)',
      },
    ]);
  });
});
