import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';
import { siteOutcomes, specMarkers } from '../../helpers/spec-markers.js';

// Session 41 (spec41): the security handlers OpenAPI-first libraries call for each operation requiring a scheme
// (swagger-tools `swaggerSecurity`, the a127 runners, oas3-tools' `openApiValidator.validateSecurity`,
// express-openapi `securityHandlers`, exegesis `authenticators`, fastify-openapi-glue `securityHandlers`). Before,
// a handler written in another module was "reached by no mTLS operation" and its 403 left alone (or, written
// inline, read as middleware of every route after it and named shared); now each is reached by exactly the
// operations requiring its scheme, and one mtls-fix cannot read is named. Each fixture mixes mTLS and other
// operations; `// expect:` marks every 403 line (docs/migrate-spec.md, "Security hooks").
const root = path.resolve(import.meta.dirname, '../../fixtures/spec-projects');
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Report {
  sites: { file: string; line: number; action: string; operation: string | null; reason: string | null }[];
  coverage: {
    handled: { operation: string; routes: { method: string; path: string; file: string; line: number }[] }[];
    noHandler: { operation: string }[];
    unresolved: {
      method: string;
      path: string;
      file: string;
      line: number;
      reason: string;
      byHand?: boolean;
    }[];
  };
}

/** `migrate --spec` on a copy of the fixture, every marked 403 checked; the report. */
async function run(name: string, folder = '.', spec = 'openapi.yaml'): Promise<Report> {
  const dir = tempProject({}, path.join(root, name));
  temps.push(dir);
  const cwd = path.join(dir, folder);
  const result = await runCliAsync(['migrate', '--json', '--check', '--spec', spec], { cwd });
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as Report;
  const expected = specMarkers(cwd, 'plain');
  const actual = siteOutcomes(report.sites);
  for (const [where, outcome] of expected)
    expect([where, actual.get(where) ?? 'none']).toEqual([where, outcome]);
  for (const where of actual.keys()) expect(expected.has(where), where).toBe(true);
  return report;
}

/** A run without `--spec` on a copy of the fixture: every marked 403 is rewritten or named, none left. */
async function plainRun(name: string, folder = '.'): Promise<void> {
  const dir = tempProject({}, path.join(root, name));
  temps.push(dir);
  const cwd = path.join(dir, folder);
  const result = await runCliAsync(['migrate', '--json', '--check'], { cwd });
  const report = JSON.parse(result.stdout) as Report;
  const actual = siteOutcomes(report.sites);
  for (const where of specMarkers(cwd, 'plain').keys())
    expect([where, actual.has(where)]).toEqual([where, true]);
}

/** The registrations named for review, as `METHOD path file:line`, sorted. */
function unresolved(report: Report): string[] {
  return report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line}`).sort();
}

describe('migrate --spec reads swagger-tools swaggerSecurity handlers', () => {
  it('each handler answers the operations requiring its scheme, routed or not; a package handler is named', async () => {
    const report = await run('spellings-security-hooks-swagger-tools');
    const site = (line: number) =>
      report.sites.find((s) => s.file === 'helpers/security.js' && s.line === line);
    // clientCert: GET /accounts/{id}, GET /events (no export found) and GET /profile, all mTLS.
    expect(site(7)?.operation?.split(', ').sort()).toEqual([
      'GET /accounts/{id}',
      'GET /events',
      'GET /profile',
    ]);
    // session: GET /accounts/{id} (mTLS) and GET /status, which no controller routes.
    expect(site(21)?.reason).toContain('non-mTLS GET /status');
    const token = report.coverage.unresolved.find((u) =>
      u.reason.includes("from the package '@acme/jwt-check'"),
    );
    expect([token?.method, token?.path, token?.byHand]).toEqual(['GET', '/v2/profile', true]);
    expect(token?.reason).toContain('its security handler for token is verifyToken');
    expect(unresolved(report)).toEqual(['GET /v2/events index.js:17', 'GET /v2/profile index.js:16']);
    // swagger-tools' own 403 (a callback error with no statusCode) is a site at its import, reached by the checks.
    const implicit = report.sites.find((s) => s.file === 'index.js' && s.line === 6);
    expect(implicit?.reason).toMatch(
      /^Implicit 403: swagger-tools answers 403 when a security handler calls back/,
    );
    expect(implicit?.operation).toBe('GET /accounts/{id}, GET /events, GET /profile');
  });

  it('without --spec every 403 of the handlers is rewritten or named', async () => {
    await plainRun('spellings-security-hooks-swagger-tools');
  });
});

describe('migrate --spec reads the a127 runners’ security handlers', () => {
  it('the module config/default.yaml names for the swagger_security fitting', async () => {
    const report = await run('spellings-security-hooks-swagger-node', 'by-module');
    const cert = report.sites.find((s) => s.file === 'api/helpers/securityHandlers.js');
    expect(cert?.operation).toBe('GET /orders/{id}');
    // module.exports = { getOrder: (req, res) => … }: the member's function handles it, seen (it read as hidden).
    expect(report.coverage.handled.map((h) => h.operation)).toEqual(['GET /orders/{id}']);
    expect(JSON.stringify(report.coverage)).not.toContain('cannot see');
  });

  it('swaggerSecurityHandlers in the create() config, one imported from another module', async () => {
    const report = await run('spellings-security-hooks-swagger-node', 'by-option');
    expect(report.sites.find((s) => s.file === 'security.js')?.operation).toBe('GET /orders/{id}');
  });

  it('without --spec every 403 of the handlers is rewritten or named', async () => {
    await plainRun('spellings-security-hooks-swagger-node', 'by-module');
    await plainRun('spellings-security-hooks-swagger-node', 'by-option');
  });
});

describe('migrate --spec reads oas3-tools openApiValidator.validateSecurity handlers', () => {
  it('each handler answers the operations requiring its scheme, one with no export found too', async () => {
    const report = await run('spellings-security-hooks-oas3-tools', '.', 'api/openapi.yaml');
    expect(
      report.sites
        .find((s) => s.file === 'security.js')
        ?.operation?.split(', ')
        .sort(),
    ).toEqual(['GET /pet/{petId}', 'POST /pet/{petId}/uploadImage']);
  });

  it('without --spec every 403 of the handlers is rewritten or named', async () => {
    await plainRun('spellings-security-hooks-oas3-tools');
  });
});

describe('migrate --spec reads express-openapi securityHandlers', () => {
  it('a module of handlers by scheme; an apiDoc built in code is named with its handlers; securityFilter answers the api doc route', async () => {
    const report = await run('spellings-security-hooks-express-openapi');
    const site = (file: string, line: number) => report.sites.find((s) => s.file === file && s.line === line);
    expect(site('security.js', 6)?.operation).toBe('GET /accounts/{id}, POST /accounts');
    expect(site('security.js', 11)?.reason).toContain('non-mTLS GET /status');
    expect(site('legacy/app.js', 15)?.reason).toContain('an apiDoc mtls-fix cannot read');
    const legacy = report.coverage.unresolved.find((u) => u.file === 'legacy/app.js');
    expect([legacy?.method, legacy?.path, legacy?.byHand]).toEqual(['ALL', '/*', true]);
  });

  it('without --spec every 403 of the handlers is rewritten or named', async () => {
    await plainRun('spellings-security-hooks-express-openapi');
  });
});

describe('migrate --spec reads exegesis authenticators and controllers', () => {
  it('x-exegesis-controller operations are routes; each authenticator answers the operations requiring its scheme', async () => {
    const report = await run('spellings-security-hooks-exegesis');
    expect(
      report.coverage.handled.flatMap((h) =>
        h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`),
      ),
    ).toEqual(['GET /api/greet src/controllers/greetController.js:3']);
    expect(report.sites.find((s) => s.file === 'src/auth/index.js')?.operation).toBe(
      'GET /greet, GET /reports',
    );
    expect(unresolved(report)).toEqual(['GET /api/reports src/server.js:15']);
  });

  it('without --spec every 403 of the authenticators is rewritten or named', async () => {
    await plainRun('spellings-security-hooks-exegesis');
  });

  // A document computed at run time: no operation is read, so the authenticators run for operations mtls-fix
  // cannot name; each 403 they answer is named with that document, never left alone.
  it('with its document computed at run time, every 403 of the authenticators is named', async () => {
    const fixture = path.join(root, 'spellings-security-hooks-exegesis');
    const cwd = tempProject({}, fixture);
    temps.push(cwd);
    const server = path.join(cwd, 'src/server.js');
    writeFileSync(
      server,
      readFileSync(server, 'utf8').replace("path.resolve(__dirname, '../openapi.yaml')", 'process.env.SPEC'),
    );
    const result = await runCliAsync(['migrate', '--json', '--check', '--spec', 'openapi.yaml'], { cwd });
    const report = JSON.parse(result.stdout) as Report;
    const named = report.sites
      .filter((s) => s.file === 'src/auth/index.js')
      .map((s) => `${s.line} ${s.action} ${/computed at run time/.test(s.reason ?? '')}`);
    expect(named).toEqual(['6 manual true', '14 manual true']);
  });
});

describe('migrate --spec: fastify-openapi-glue security handlers', () => {
  it('an operation with no operationId is routed as the plugin names it; x-no-fastify-config makes no route; a package handler and a run-time document are named', async () => {
    const report = await run('spellings-security-hooks-glue');
    expect(
      report.coverage.handled.flatMap((h) =>
        h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`),
      ),
    ).toEqual(['GET /user/{name} src/service.js:2', 'GET /audit src/service.js:6']);
    expect(report.sites.find((s) => s.file === 'src/security.js')?.operation).toBe(
      'GET /audit, GET /user/{name}',
    );
    const partner = report.coverage.unresolved.find((u) => u.reason.includes('partnerToken'));
    expect([partner?.method, partner?.path]).toEqual(['GET', '/audit']);
    expect(partner?.reason).toContain("from the package '@acme/fastify-auth'");
    expect(report.sites.find((s) => s.file === 'src/legacy.js')?.reason).toContain('computed at run time');
  });

  it('without --spec every 403 of the handlers is rewritten or named', async () => {
    await plainRun('spellings-security-hooks-glue');
  });
});

describe('migrate --spec: openapi-backend security handlers mtls-fix cannot read', () => {
  it('from a package, built at run time or registered under a computed name, they are named for each secured operation; what a project builder answers is reached', async () => {
    const report = await run('spellings-security-hooks-backend-unread');
    expect(report.sites.find((s) => s.file === 'src/handlers.js')?.operation).toBe('GET /b/quests');
    const named = report.coverage.unresolved
      .filter((u) => u.reason.includes('checks its security first'))
      .map((u) => `${u.method} ${u.path} ${u.file}:${u.line} ${u.byHand}`);
    expect(named).toEqual([
      'GET /a/quests src/app.js:29 true',
      'GET /a/keys src/app.js:29 true',
      'GET /a/keys src/app.js:29 true',
      'GET /b/quests src/app.js:30 true',
      'GET /b/quests src/app.js:30 true', // registerSecurityHandler(scheme, check) in a loop
    ]);
    expect(report.coverage.unresolved.map((u) => u.reason).join('\n')).toContain(
      "its security handlers are require('@acme/backend-auth') from the package '@acme/backend-auth'",
    );
  });
});
