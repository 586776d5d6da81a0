import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 35 (wikimedia/mediawiki-services-mobileapps: `app.all('*', (req, res, next) => { res.header(…); … next() })`
// "handled" 23 of its 24 operations while their routers were unmounted): a catch-all that passes the request on is
// middleware, not the handler of every operation.

describe('migrate --spec: catch-all registrations that call next', () => {
  it('reads Express and Hono pass-throughs as middleware, and a catch-all that answers as a route', async () => {
    const { report } = await runSpecProject('spellings-pass-through-catch-all');
    // 17dd109d: GET /orders "handled" by ALL /* (src/app.ts:8); GET /hono/loans by ALL /hono/* at :22 and :31.
    expect(
      report.coverage.handled.map(
        (h) => `${h.operation} <- ${h.routes.map((r) => `${r.method} ${r.path} :${r.line}`).join(', ')}`,
      ),
    ).toEqual([
      'GET /accounts/{id} <- GET /accounts/:id :13',
      'GET /hono/cards <- GET /hono/cards :26',
      'GET /hono/loans <- ALL /hono/* :31',
    ]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /orders']);
  });
});
