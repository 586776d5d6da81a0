import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';
import { runSpecProject, SPEC_PROJECTS, type SpecReport } from '../../helpers/spec-run.js';

// Session 29: prefixes read from settings (the environment, a configuration object or file) with a default the
// code or the configuration writes (identfy-entity-service's `process.env.API_PATH || nconf.get(…) || '/api'`
// joined by its own `url.join`), no --mount.
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const routesOf = (report: SpecReport): string[] =>
  report.coverage.handled.map((h) => `${h.operation} <- ${h.routes.map((r) => r.path).join(', ')}`).sort();

describe('migrate --spec: a prefix read from a setting with a default', () => {
  it('takes the default the code or node-config writes, names it, and names a prefix with none', async () => {
    const { report, human } = await runSpecProject('spellings-setting-defaults', { human: true });
    // c5b5a354: 0 of 2 mTLS operations with a default handled: `V1 + '/accounts'` (`V1` the env read) "is computed
    // at run time" (its 403 manual), `url.join(SERVER.apiPath, '/cards')` read as middleware, the cards router at
    // the root (GET /:id unmatched, its 403 left alone), the node-config prefix computed at run time.
    expect(routesOf(report)).toEqual([
      'GET /api/cards/{id} <- /api/cards/:id',
      'GET /v1/accounts/{id} <- /v1/accounts/:id',
    ]);
    expect(report.coverage.noHandler).toEqual([
      { operation: 'POST /admin/keys', why: "scheme 'clientCert'" },
    ]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.unresolved).toMatchObject([
      {
        method: 'POST',
        path: '/keys',
        file: 'src/routes/admin.ts',
        reason:
          'mount path process.env.ADMIN_PREFIX is read from the environment with no default written (src/app.ts:17)',
        mountFile: 'src/routes/admin.ts',
      },
    ]);
    expect(report.coverage.settingDefaults).toEqual([
      { setting: 'process.env.API_PREFIX', value: '/v1', file: 'src/app.ts', line: 11 },
      {
        setting: "config.get('server.publicPrefix')",
        value: '/public',
        file: 'src/app.ts',
        line: 15,
        from: 'config/default.json',
      },
      {
        setting: "process.env.API_PATH || nconf.get('server:api_path')",
        value: '/api',
        file: 'src/settings.ts',
        line: 5,
      },
    ]);
    expect(human).toContain(
      `process.env.API_PREFIX (src/app.ts:11) is read at run time: taken as "/v1", the default the code writes`,
    );
  });
});

describe('migrate --spec: a prefix from an environment file or a NestJS configuration factory', () => {
  it('reads .env / .env.example for a variable the code reads with no default, and ConfigModule load factories', async () => {
    const { report, human } = await runSpecProject('spellings-setting-files', { human: true });
    // ea611885: 0 of 3 mTLS operations handled; the Express prefixes "read from the environment with no default
    // written" or "computed at run time", the Nest global prefix `config.get('http.prefix')` "computed at run
    // time", every 403 manual ("pass --mount").
    expect(routesOf(report)).toEqual([
      'GET /api/v1/orders/{id} <- /api/v1/orders/:id',
      'GET /partner/payments/{id} <- /partner/payments/:id',
      'POST /admin/keys <- /admin/keys',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.settingDefaults).toEqual([
      {
        setting: 'process.env.API_PREFIX',
        value: '/api/v1',
        file: 'src/express/app.ts',
        line: 9,
        from: '.env.example',
      },
      {
        setting: 'process.env.PUBLIC_PREFIX',
        value: '/public',
        file: 'src/express/app.ts',
        line: 10,
        from: '.env',
      },
      {
        setting: 'process.env.ADMIN_PREFIX',
        value: '/admin',
        file: 'src/express/app.ts',
        line: 11,
        from: '.env.example',
      },
      {
        setting: 'process.env.HTTP_PREFIX',
        value: 'partner',
        file: 'src/nest/config/http.config.ts',
        line: 4,
      },
      {
        setting: 'config.get<string>(ConfigKeys.HttpPrefix)',
        value: 'partner',
        file: 'src/nest/main.ts',
        line: 9,
        from: 'src/nest/config/http.config.ts',
      },
    ]);
    expect(human).toContain(
      `process.env.API_PREFIX (src/express/app.ts:9) is read at run time: taken as "/api/v1", the default .env.example gives`,
    );
  });
});

describe('migrate --include-tests: a setting default the test follower takes', () => {
  it('is named in the warnings, as --spec coverage names its own', async () => {
    const dir = tempProject({}, path.join(SPEC_PROJECTS, 'spellings-setting-defaults-tests'));
    temps.push(dir);
    const result = await runCliAsync(['migrate', '--include-tests', '--dry-run', '--json', '--force'], {
      cwd: dir,
    });
    const report = JSON.parse(result.stdout) as {
      warnings: string[];
      sites: { file: string; line: number; action: string }[];
    };
    // The request to /docs/index.html reaches the middleware mounted under `process.env.DOCS_PATH ?? '/docs'`.
    expect(report.sites.map((s) => `${s.file}:${s.line} ${s.action}`)).toEqual([
      'src/app.ts:8 would-rewrite',
      'test/app.test.ts:8 would-rewrite',
    ]);
    // ea611885: no warning; the assertion followed a prefix taken from a default no line of the report named.
    expect(report.warnings).toEqual([
      'process.env.DOCS_PATH (src/app.ts:4) is read at run time: taken as "/docs", the default the code writes, ' +
        'to link test requests to routes; a deployment that sets it otherwise serves other paths',
    ]);
  });
});
