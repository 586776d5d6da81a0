import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 30: an operation several routes could serve names them (file:line each) in the site's reason, and a
// code prefix is no longer inferred from a route parameter taking the document's literal segment (didsecplus's
// `/contacts` read as `/api/v1/alerts/:id`, `/api/v1/tickets/:id`, `/api/v1/users/:id`).

interface Route {
  method: string;
  path: string;
  file: string;
  line: number;
}

interface Report {
  sites: { file: string; line: number; action: string; reason?: string }[];
  coverage: {
    noHandler: { operation: string }[];
    ambiguous: { operation: string; routes: Route[] }[];
    codePrefixes?: { prefix: string; operations: number }[];
  };
}

describe('migrate --spec: operations several routes could serve', () => {
  it('names the candidates in the reason, and takes no prefix a route parameter explains', async () => {
    const { report } = await runSpecProject<Report>('spellings-ambiguous-candidates');
    // ea611885: `/api/v1/alerts` and `/api/v1/tickets` were taken as prefixes (their `/:id` taking "contacts" and
    // "items"): GET/DELETE /contacts and GET /items ambiguous between those routes, alerts.ts's 403 manual, and
    // the /v1 and /v2 mounts of the items routers not found (GET /items/{id} "no handler").
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /contacts', 'DELETE /contacts']);
    expect(report.coverage.codePrefixes?.map((c) => c.prefix)).toEqual(['/api/v1', '/v1', '/v2']);
    expect(
      report.coverage.ambiguous.map((a) => `${a.operation} <- ${a.routes.map((r) => r.path).join(', ')}`),
    ).toEqual([
      'GET /items/{id} <- /v1/items/:id, /v2/items/:id',
      'GET /items <- /v1/items, /v2/items',
      'GET /users/{id} <- /users/:key',
      'GET /users/{name} <- /users/:key',
    ]);
    const reason = (file: string): string | undefined => report.sites.find((s) => s.file === file)?.reason;
    // before: "Its route matches mTLS operation(s) GET /items/{id} ambiguously (several routes or operations fit
    // equally): check which one answers." with no route named
    expect(reason('src/routes/items.ts')).toBe(
      'Its route matches mTLS operation GET /items/{id} ambiguously: 2 routes fit it equally, GET /v1/items/:id ' +
        '(src/routes/items.ts:5), GET /v2/items/:id (src/routes/items.ts:12): check which one serves it.',
    );
    expect(reason('src/routes/users.ts')).toBe(
      'Its route GET /users/:key (src/routes/users.ts:5) matches mTLS operation GET /users/{id} ambiguously: it ' +
        'fits GET /users/{name} as well: check which one it serves.',
    );
  });
});
