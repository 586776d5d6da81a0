import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';
import { siteOutcomes, specMarkers } from '../../helpers/spec-markers.js';

// Session 30: an operation several routes could serve names them (file:line each) in the site's reason, and a
// code prefix is no longer inferred from a route parameter taking the document's literal segment (didsecplus's
// `/contacts` read as `/api/v1/alerts/:id`, `/api/v1/tickets/:id`, `/api/v1/users/:id`).
const root = path.resolve(import.meta.dirname, '../../fixtures/spec-projects');
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

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
    const dir = tempProject({}, path.join(root, 'spellings-ambiguous-candidates'));
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
