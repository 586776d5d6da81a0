import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// 403s that no 403 in the project's text announces: framework defaults switched on by config (Egg's security
// plugin), and error classes whose names hold neither 403 nor Forbidden (Ghost, Strapi). Each file must be read
// (the prefilter) and reported or rewritten.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>, dependencies: string[]): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-c403-'));
  temps.push(cwd);
  const pkg = { name: 'p', dependencies: Object.fromEntries(dependencies.map((d) => [d, '*'])) };
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify(pkg));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run' })).report;
}

const eggJs = (security: string) =>
  `module.exports = appInfo => {\n  const config = exports = {};\n  config.keys = appInfo.name + '_1';\n${security}  return config;\n};\n`;

describe("Egg.js's security plugin answers 403 on a bad CSRF token by default", () => {
  it.each([
    ['no security config (the default: on)', eggJs(''), 'appInfo'],
    [
      'csrf options that keep it on',
      eggJs("  config.security = { csrf: { headerName: 'x-csrf-token' } };\n"),
      'config.security',
    ],
    [
      'csrf narrowed by ignore',
      eggJs("  config.security = { csrf: { ignore: '/api' } };\n"),
      'config.security',
    ],
    [
      'a TypeScript config',
      "import { EggAppConfig, EggAppInfo, PowerPartial } from 'egg';\nexport default (appInfo: EggAppInfo) => {\n  const config = {} as PowerPartial<EggAppConfig>;\n  config.keys = appInfo.name;\n  return config;\n};\n",
      'appInfo: EggAppInfo',
    ],
    [
      'an Egg 4 defineConfig',
      "import { defineConfig } from 'egg';\nexport default defineConfig({\n  keys: 'my secret keys',\n});\n",
      'defineConfig',
    ],
    [
      'an exported function declaration',
      "import { EggAppConfig, PowerPartial } from 'egg';\nexport default function (appInfo: EggAppConfig) {\n  const config = {} as PowerPartial<EggAppConfig>;\n  return config;\n}\n",
      'appInfo: EggAppConfig',
    ],
    ['a plain object', "module.exports = {\n  keys: 'default keys',\n};\n", 'module.exports'],
    [
      'a plain exports config',
      "exports.keys = 'k';\nexports.security = {\n  xframe: { enable: false },\n};\n",
      'exports.security',
    ],
  ])('%s: one Implicit 403 site in config/config.default', async (_name, text, form) => {
    const ext = /EggApp|defineConfig/.test(text) ? 'ts' : 'js';
    const report = await run({ [`config/config.default.${ext}`]: text }, ['egg']);
    const sites = report.sites.filter((s) => s.framework === 'egg');
    expect(sites.map((s) => [s.file, s.form, s.action])).toEqual([
      [`config/config.default.${ext}`, form, 'manual'],
    ]);
    expect(sites[0].reason).toMatch(/^Implicit 403: Egg's security plugin \(on by default\) answers 403/);
  });

  it.each([
    ['csrf: false', eggJs('  config.security = { csrf: false };\n')],
    ['csrf: { enable: false }', eggJs('  config.security = {\n    csrf: { enable: false },\n  };\n')],
    ['config.security.csrf.enable = false', eggJs('  config.security.csrf.enable = false;\n')],
    ['config.security.csrf = false', eggJs('  config.security.csrf = false;\n')],
    [
      'a defaultMiddleware without csrf',
      eggJs("  config.security = { defaultMiddleware: 'hsts,nosniff' };\n"),
    ],
  ])('%s: no site', async (_name, text) => {
    const report = await run({ 'config/config.default.js': text }, ['egg']);
    expect(report.sites.filter((s) => s.framework === 'egg')).toEqual([]);
  });

  it('not in an app without egg, nor in another config file', async () => {
    const text = eggJs('');
    expect((await run({ 'config/config.default.js': text }, ['express'])).sites).toEqual([]);
    const report = await run({ 'config/config.prod.js': text, 'app/config.default.js': text }, ['egg']);
    expect(report.sites.filter((s) => s.framework === 'egg')).toEqual([]);
  });
});

describe('error classes named without 403 or Forbidden are read and rewritten', () => {
  it('Ghost NoPermissionError in a file with no other 403 form', async () => {
    const report = await run(
      {
        'core/server/api/posts.js':
          "const errors = require('@tryghost/errors');\nmodule.exports = {\n  permissions() {\n    throw new errors.NoPermissionError({message: 'no'});\n  },\n};\n",
      },
      ['@tryghost/errors'],
    );
    expect(report.sites.map((s) => [s.framework, s.action, s.replacement])).toEqual([
      ['ghost', 'would-rewrite', "new errors.UnauthorizedError({message: 'no'})"],
    ]);
  });

  it('a Strapi policy file and a controller throwing PolicyError', async () => {
    const report = await run(
      {
        'src/policies/is-owner.js':
          'module.exports = (policyContext, config, { strapi }) => {\n  return Boolean(policyContext.state.user);\n};\n',
        'src/api/post/controllers/post.js':
          "const { errors } = require('@strapi/utils');\nconst { PolicyError } = errors;\nmodule.exports = {\n  async find(ctx) {\n    throw new PolicyError('no');\n  },\n};\n",
      },
      ['@strapi/strapi'],
    );
    expect(report.sites.map((s) => [s.file, s.form, s.action]).sort()).toEqual([
      ['src/api/post/controllers/post.js', "new PolicyError('no')", 'would-rewrite'],
      ['src/policies/is-owner.js', 'policyContext', 'manual'],
    ]);
  });

  it('an AdonisJS policy importing bouncer', async () => {
    const report = await run(
      {
        'app/policies/post_policy.ts':
          "import { BasePolicy } from '@adonisjs/bouncer';\nexport default class PostPolicy extends BasePolicy {\n  edit(user: { id: number }, post: { userId: number }) {\n    return user.id === post.userId;\n  }\n}\n",
      },
      ['@adonisjs/core', '@adonisjs/bouncer'],
    );
    expect(report.sites.map((s) => [s.framework, s.action])).toEqual([['adonis', 'manual']]);
    expect(report.sites[0].reason).toContain('E_AUTHORIZATION_FAILURE');
  });

  it('an AdonisJS policy extending the project base policy, which extends bouncer', async () => {
    const base =
      "import { BasePolicy as BouncerBasePolicy } from '@adonisjs/bouncer';\nexport default class BasePolicy extends BouncerBasePolicy {\n  protected isAdmin(user: { roleId: number }) {\n    return user.roleId === 1;\n  }\n}\n";
    const report = await run(
      {
        'package.json': JSON.stringify({
          name: 'p',
          type: 'module',
          imports: { '#policies/*': './app/policies/*.js' },
          dependencies: { '@adonisjs/core': '*', '@adonisjs/bouncer': '*' },
        }),
        'tsconfig.json': JSON.stringify({
          compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' },
        }),
        'app/policies/base_policy.ts': base,
        // Two levels down, by a relative import: followed to the same base.
        'app/policies/admin_policy.ts':
          "import BasePolicy from '#policies/base_policy';\nexport default class AdminPolicy extends BasePolicy {\n  before(user: { roleId: number }) {\n    if (this.isAdmin(user)) return true;\n  }\n}\n",
        'app/policies/lesson_policy.ts':
          "import AdminPolicy from './admin_policy.js';\nexport default class LessonPolicy extends AdminPolicy {\n  approve() {\n    return false;\n  }\n}\n",
        // A class extending a project class that extends nothing from bouncer is no site.
        'app/models/base_model.ts': 'export default class BaseModel {}\n',
        'app/models/user_policy_note.ts':
          "import BaseModel from '../models/base_model.js';\nexport default class UserPolicy extends BaseModel {}\n",
      },
      [],
    );
    expect(report.sites.map((s) => [s.file, s.form, s.action]).sort()).toEqual([
      ['app/policies/admin_policy.ts', 'BasePolicy', 'manual'],
      [
        'app/policies/base_policy.ts',
        "import { BasePolicy as BouncerBasePolicy } from '@adonisjs/bouncer';",
        'manual',
      ],
      ['app/policies/lesson_policy.ts', 'AdminPolicy', 'manual'],
    ]);
    expect(report.sites.find((s) => s.file.endsWith('lesson_policy.ts'))?.reason).toContain(
      'extends AdminPolicy, which leads to @adonisjs/bouncer (app/policies/base_policy.ts extends its BouncerBasePolicy)',
    );
  });

  it("Strapi routes: each core router, and each custom route that keeps the content API's auth", async () => {
    const report = await run(
      {
        'src/api/post/routes/post.js':
          "'use strict';\nconst { createCoreRouter } = require('@strapi/strapi').factories;\nmodule.exports = createCoreRouter('api::post.post');\n",
        'src/api/post/routes/custom.js':
          "module.exports = {\n  routes: [\n    { method: 'GET', path: '/posts/feed', handler: 'post.feed' },\n    { method: 'GET', path: '/posts/public', handler: 'api::post.post.publicList', config: { auth: false } },\n  ],\n};\n",
        // Not a Strapi route file: the same shape elsewhere is no site.
        'src/config/menu.js': "module.exports = { routes: [{ path: '/a', handler: 'menu.open' }] };\n",
      },
      ['@strapi/strapi'],
    );
    expect(report.sites.map((s) => [s.file, s.form, s.action]).sort()).toEqual([
      ['src/api/post/routes/custom.js', "handler: 'post.feed'", 'manual'],
      ['src/api/post/routes/post.js', "createCoreRouter('api::post.post')", 'manual'],
    ]);
  });
});
