import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 33 (issue 9 part 2): route modules called through a table by a key computed at run time, no --mount.
// NodeBB's `_mounts[original](router, mount, …)` over `const _mounts = { user: require('./user') }` plus
// `_mounts.main = …`, where `mount` is what a plugin hook answers: a path built from it is unknown, named at the
// call, and never a `:name` segment (session 32's attempt read `/api/${name}/:pid` as `/api/:name/:pid` and matched
// 38 unrelated NodeBB operations). Where the call fixes the argument (a table's own key, a string), it is read.
describe('migrate --spec: route modules called by a computed key', () => {
  it('reads the functions of a table the code spells out; a path built from an argument the call does not fix is named at the call', async () => {
    // main 6784a697: 0 of 9 operations handled; every route "not mounted anywhere" or on an untraced `r`, the
    // module paths read as `/api/:name/…`, and the 403 of `/popular` reported nowhere.
    const { report } = await runSpecProject('spellings-computed-mounts');
    expect(
      report.coverage.handled
        .flatMap((h) => h.routes.map((r) => `${h.operation} <- ${r.method} ${r.path} ${r.file}:${r.line}`))
        .sort(),
    ).toEqual([
      'GET /api/groups/{slug} <- GET /api/groups/:slug src/app.js:44', // fn(router, 'groups'), placed at the call
      'GET /api/main/status <- GET /api/main/status src/app.js:12',
      'GET /api/popular <- GET /api/popular src/app.js:24',
      'GET /api/reports/{id} <- GET /api/reports/:id src/app.js:40', // sections[key](router, key): the key
      'GET /api/users/{id} <- GET /api/users/:id src/routes/user.js:2',
    ]);
    // Never a `:name` route: nothing answers the topic or feeds operations, nothing is ambiguous.
    expect(report.coverage.ambiguous).toEqual([]);
    expect(report.coverage.noHandler.map((n) => n.operation).sort()).toEqual([
      'GET /api/admin/dashboard',
      'GET /api/feeds/{id}',
      'GET /api/topic/{tid}',
    ]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    const unresolved = report.coverage.unresolved.map((u) => `${u.method} ${u.file}:${u.line} ${u.reason}`);
    expect(unresolved.every((u) => !u.includes(':name'))).toBe(true);
    // Each route whose path reads `mount` is named, with the call that passes it (src/app.js:33).
    expect(unresolved.sort()).toEqual([
      'GET src/app.js:33 the path this call passes to the route helper is computed at run time (src/app.js:33; the route at src/app.js:18)',
      'GET src/app.js:33 the path this call passes to the route helper is computed at run time (src/app.js:33; the route at src/helpers.js:3, through the call at src/routes/admin.js:4)',
      'GET src/app.js:33 the path this call passes to the route helper is computed at run time (src/app.js:33; the route at src/routes/admin.js:12, through the call at src/routes/admin.js:8)',
    ]);
  });
});
