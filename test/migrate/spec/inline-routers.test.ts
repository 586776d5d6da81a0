import { describe, expect, it } from 'vitest';
import { runSpecProject, type SpecReport } from '../../helpers/spec-run.js';

// Session 29: routers made in the call that hands them to a helper, the helper exported with no name and its
// prefix a parameter default (renpass-projeto-final: `car(server, new Router())`), no --mount.

const routesOf = (report: SpecReport): string[] =>
  report.coverage.handled.map((h) => `${h.operation} <- ${h.routes.map((r) => r.path).join(', ')}`).sort();

describe('migrate --spec: a router made in the call that hands it to a helper', () => {
  it("links new Router() / Router() arguments, reads the default of an exported helper's prefix", async () => {
    const { report } = await runSpecProject('spellings-inline-routers');
    // c5b5a354: both routes "registered on routes, which mtls-fix could not trace to an app or router", the
    // public GET /status's 403 manual; renpass-projeto-final 0 of 27 operations handled.
    expect(routesOf(report)).toEqual(['GET /accounts/{id} <- /api/v1/accounts/:id']);
    expect(report.coverage.noHandler).toEqual([]);
    // The router made for the helper is no unmounted root of its own (it is the helper's parameter, mounted).
    expect(report.coverage.unresolved).toEqual([]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
  });
});
