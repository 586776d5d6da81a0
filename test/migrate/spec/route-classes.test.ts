import { describe, expect, it } from 'vitest';
import { runSpecProject, type SpecReport } from '../../helpers/spec-run.js';

// Session 27: wiring of typescript-express-starter (ljlm0402) and the many projects made from it, no --mount.

const routesOf = (report: SpecReport): string[] =>
  report.coverage.handled.map((h) => `${h.operation} <- ${h.routes.map((r) => r.path).join(', ')}`).sort();

describe('migrate --spec: route classes handed to the app in a list', () => {
  it('new App([new UserRoute(), …]) mounting route.router in a loop, paths from this.path', async () => {
    const { report } = await runSpecProject('spellings-route-classes');
    // 87e166c: every router "not mounted anywhere", paths `/*` ("computed at run time"), 0 of 4 mTLS handled.
    expect(routesOf(report)).toEqual([
      'DELETE /accounts/{id} <- /accounts/:id(\\d+)',
      'GET /accounts <- /accounts',
      'GET /accounts/{id} <- /accounts/:id(\\d+)',
      'GET /cards/{id} <- /cards/:id',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });

  it('Koa: controllers kept as a parameter property, mounted under their own path field in a for … of', async () => {
    const { report } = await runSpecProject('spellings-route-classes-koa');
    // 87e166c: the routers "not mounted anywhere", 0 of 2 mTLS handled, every 403 manual.
    expect(routesOf(report)).toEqual([
      'GET /api/payments/{id} <- /api/payments/:id',
      'POST /api/payments <- /api/payments',
    ]);
    expect(report.coverage.unresolved).toEqual([]);
  });

  it('Hono: route classes whose app is mounted under `/api${r.path}` from a field table', async () => {
    const { report } = await runSpecProject('spellings-route-classes-hono');
    // 87e166c: no operation handled and nothing listed (the sub-apps read as apps of their own at the root).
    expect(routesOf(report)).toEqual(['GET /api/users/{id} <- /api/users/:id']);
    expect(report.coverage.unresolved).toEqual([]);
  });
});
