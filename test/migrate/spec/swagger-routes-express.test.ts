import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 33 (trials on davesag/api-server-boilerplate): swagger-routes-express's `connector(api, definition)` then
// `connect(app)` registers each operation of the definition, handled by `api[operationId]`. Before, nothing of it
// was read or named: every operation "no handler", no unresolved entry, the handlers' 403s not reported.
describe('migrate --spec: swagger-routes-express', () => {
  it('reads each operation as a route to api[operationId], and names one whose member it cannot read', async () => {
    // main 6784a697: 0 of 3 mTLS operations handled, nothing unresolved, no 403 site reported.
    const { report } = await runSpecProject('spellings-swagger-routes-express', { spec: 'api.yml' });
    expect(
      report.coverage.handled
        .flatMap((h) => h.routes.map((r) => `${h.operation} <- ${r.method} ${r.path} ${r.file}:${r.line}`))
        .sort(),
    ).toEqual([
      'DELETE /keys/{id} <- DELETE /api/v1/keys/{id} src/api/index.js:5',
      'GET /cards/{id} <- GET /api/v1/cards/{id} src/api/cards.js:1',
    ]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /reports']);
    expect(
      report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line} ${u.reason}`),
    ).toEqual([
      "GET /api/v1/reports src/app.js:10 GET /reports: swagger-routes-express hands it to api['listReports'], which mtls-fix could not read (src/app.js:10)",
    ]);
  });
});
