import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../../helpers/cli.js';
import { runSpecProject } from '../../helpers/spec-run.js';
import type { SpecCoverage } from '../../../src/migrate/types.js';

// AdonisJS routes under --spec (session 51, limpid-dev/api.limpid.kz@3b4c0c7: 0/98 operations matched before,
// 95/98 after). Session 49 named each registration for review by hand; none matched an operation, so every 403 its
// handler reached was left alone. They are now read: group prefixes, resources, controller strings and lazy
// imports, named middleware of the kernel. Every 403 line of the fixtures carries an `// expect:` marker; no --mount.
interface Report {
  sites: { file: string; line: number; action: string; reason: string | null }[];
  coverage: SpecCoverage;
}

const handledOf = (coverage: SpecCoverage): string[][] =>
  coverage.handled.map((h) => [
    h.operation,
    ...h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`),
  ]);

describe('migrate --spec reads AdonisJS routes', () => {
  it('AdonisJS 6: nested group prefixes, a resource, lazy controllers, a #controllers string, router.named middleware', async () => {
    const { report } = await runSpecProject<Report>('spellings-adonis6-routes');
    expect(handledOf(report.coverage)).toEqual([
      ['GET /api/v1/partners/{id}', 'GET /api/v1/partners/:id start/routes.ts:11'],
      ['POST /api/v1/orders', 'POST /api/v1/orders start/routes.ts:12'],
      ['POST /api/v1/payments', 'POST /api/v1/payments start/routes.ts:13'],
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });

  it('AdonisJS 5: a nested resource with only / paramFor / per-action middleware, :>param, a group namespace', async () => {
    const { report } = await runSpecProject<Report>('spellings-adonis5-routes');
    expect(handledOf(report.coverage)).toEqual([
      ['POST /api/v1/venues/{venue}/fields', 'POST /api/v1/venues/:venue/fields start/routes.ts:7'],
      [
        'PATCH /api/v1/venues/{venue}/fields/{id}',
        'PATCH /api/v1/venues/:venue/fields/:id start/routes.ts:7',
      ],
      ['POST /api/v1/bookings/{booking}/join', 'POST /api/v1/bookings/:booking/join start/routes.ts:11'],
      ['GET /admin/reports', 'GET /admin/reports start/routes.ts:16'],
    ]);
    // The resource's update answers PUT too, which the document lacks: its 403 is shared (manual).
    expect(report.coverage.unmatchedRoutes.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /api/v1/venues/:venue/fields/:id',
    ]);
    const shared = report.sites.find(
      (s) => s.file === 'app/Controllers/Http/FieldsController.ts' && s.action === 'manual',
    );
    expect(shared?.reason).toContain('non-mTLS PUT /api/v1/venues/:venue/fields/:id');
  });

  it('bouncer policies a controller checks are reached from its routes: by registered name (5) or class (6)', async () => {
    // limpid: `bouncer.with('ProfilesPolicy')` through start/bouncer.ts `registerPolicies`; before, the policies'
    // implicit 403s were "left alone" though mTLS operations reach them (12 of its 14 left-alone sites).
    for (const name of ['spellings-adonis5-routes', 'spellings-adonis6-routes']) {
      const { report } = await runSpecProject<Report>(name);
      const policies = report.sites.filter((s) => /[Pp]olic/.test(s.file));
      expect(policies.map((s) => [s.file, s.action])).toEqual([
        [name.includes('5') ? 'app/Policies/BookingPolicy.ts' : 'app/policies/partner_policy.ts', 'manual'],
      ]);
      expect(policies[0]?.reason).toMatch(/Implicit 403/);
    }
  });

  it('the exception handler answers every route: .adonisrc.json (5) or server.errorHandler (6)', async () => {
    // luizxsoto/wiser-challenge-shortener: its handler's `ctx.response.status(parsedError.status)` was left alone.
    for (const [name, file] of [
      ['spellings-adonis5-routes', 'app/Exceptions/Handler.ts'],
      ['spellings-adonis6-routes', 'app/exceptions/handler.ts'],
    ]) {
      const { report } = await runSpecProject<Report>(name ?? '');
      const site = report.sites.find((s) => s.file === file);
      expect([site?.action, site?.reason]).toEqual([
        'manual',
        expect.stringMatching(/^Shared by mTLS .* and non-mTLS /),
      ]);
    }
  });
});

// AdonisJS 4 and the registrations that stay unread, on small projects made here (spawns bin/run.js).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const DOCUMENT = [
  'openapi: 3.0.3',
  "info: { title: t, version: '1' }",
  'components: { securitySchemes: { mtls: { type: mutualTLS } } }',
  'security: [ { mtls: [] } ]',
  'paths:',
  "  /v1/docs/{id}: { get: { responses: { '200': { description: ok } } } }",
  '',
].join('\n');

function run(files: Record<string, string>): { coverage: SpecCoverage; sites: Report['sites'] } {
  const dir = tempProject({ 'openapi.yaml': DOCUMENT, ...files });
  temps.push(dir);
  const json = runCli(['migrate', '.', '--spec', 'openapi.yaml', '--dry-run', '--json'], { cwd: dir });
  return JSON.parse(json.stdout) as Report;
}

describe('migrate --spec: AdonisJS 4, and what is still named for review', () => {
  it("AdonisJS 4 (use('Route')): a group prefix and a controller under app/Controllers/Http", () => {
    const { coverage, sites } = run({
      'package.json': JSON.stringify({ dependencies: { '@adonisjs/framework': '^5.0.0' } }),
      'start/routes.js': [
        "const Route = use('Route')",
        'Route.group(() => {',
        "  Route.get('docs/:id', 'DocController.show')",
        "}).prefix('v1')",
        '',
      ].join('\n'),
      'app/Controllers/Http/DocController.js': [
        'class DocController {',
        '  async show ({ response }) {',
        "    return response.status(403).send('no')",
        '  }',
        '}',
        'module.exports = DocController',
        '',
      ].join('\n'),
    });
    expect(handledOf(coverage)).toEqual([['GET /v1/docs/{id}', 'GET /v1/docs/:id start/routes.js:3']]);
    expect(sites.map((s) => [s.file, s.line, s.action])).toEqual([
      ['app/Controllers/Http/DocController.js', 3, 'would-rewrite'],
    ]);
  });

  it('AdonisJS 5: a controller string built from a constant, relative to the controllers namespace', () => {
    // luizxsoto/wiser-challenge-shortener@8a22ae3: `${ROOT_DIR}/app/Modules/Urls/Infra/Http/Controllers/Url.show`
    // with `const ROOT_DIR = '../../..'`; before, the template itself was taken as the handler, its controller unread.
    const { coverage, sites } = run({
      'package.json': JSON.stringify({ dependencies: { '@adonisjs/core': '^5.9.0' } }),
      'app/Modules/Docs/Routes/Doc.routes.ts': [
        "import Route from '@ioc:Adonis/Core/Route'",
        "const ROOT_DIR = '../../..'",
        'Route.get(`v1/docs/:id`, `${ROOT_DIR}/app/Modules/Docs/Controllers/Doc.show`)',
        '',
      ].join('\n'),
      'app/Modules/Docs/Controllers/Doc.ts': [
        'export default class DocController {',
        '  public async show({ response }) {',
        "    return response.forbidden('no')",
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    expect(handledOf(coverage)).toEqual([
      ['GET /v1/docs/{id}', 'GET /v1/docs/:id app/Modules/Docs/Routes/Doc.routes.ts:3'],
    ]);
    expect(sites.map((s) => [s.file, s.line, s.action])).toEqual([
      ['app/Modules/Docs/Controllers/Doc.ts', 3, 'would-rewrite'],
    ]);
  });

  it('a path computed at run time and a controller it cannot find are named, never dropped', () => {
    const { coverage } = run({
      'package.json': JSON.stringify({ dependencies: { '@adonisjs/core': '*' } }),
      'start/routes.ts': [
        "import router from '@adonisjs/core/services/router'",
        "router.get(process.env.DOCS_PATH + '/x', async () => 'x')",
        "router.get('/v1/docs/:id', '#controllers/missing_controller.show')",
        '',
      ].join('\n'),
    });
    expect(coverage.unresolved.map((u) => [u.line, u.framework, u.byHand])).toEqual([[2, 'adonis', true]]);
    expect(coverage.unresolved[0]?.reason).toContain('its path is computed at run time');
    // Read and matched, its unseen handler said where coverage lists the operation.
    expect(coverage.handled.map((h) => h.operation)).toEqual(['GET /v1/docs/{id}']);
    expect(JSON.stringify(coverage)).toContain(
      '#controllers/missing_controller.show is not a file mtls-fix finds',
    );
  });
});
