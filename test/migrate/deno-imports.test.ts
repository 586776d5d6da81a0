import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { specifierPackage } from '../../src/migrate/frameworks/specifier-packages.js';
import { aliasedModule } from '../../src/migrate/frameworks/deno-config.js';
import { runCli, tempProject } from '../helpers/cli.js';

// Deno and edge code import frameworks as `npm:` / `jsr:` specifiers or CDN URLs. Read as "imports none of the
// frameworks", a file of a project whose package.json names another framework had its 403s reported as an off
// module's ("declare the dependency"), which a Deno project has no package.json for.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('specifierPackage', () => {
  it.each([
    ['npm:hono', 'hono'],
    ['npm:hono@4.6.1/jsx', 'hono/jsx'],
    ['npm:@hono/zod-openapi@0.18', '@hono/zod-openapi'],
    ['jsr:@hono/hono@^4', '@hono/hono'],
    ['jsr:/@oak/oak@17/router', '@oak/oak/router'],
    ['https://deno.land/x/oak/mod.ts', 'oak/mod.ts'],
    ['https://deno.land/x/oak@v12.6.1/mod.ts', 'oak/mod.ts'],
    ['https://esm.sh/hono@4', 'hono'],
    ['https://esm.sh/v135/hono@4.0.0/cors?target=deno', 'hono/cors'],
    ['https://esm.sh/jsr/@hono/hono@4', '@hono/hono'],
    ['https://cdn.jsdelivr.net/npm/h3@1/dist/index.mjs', 'h3/dist/index.mjs'],
    ['https://ga.jspm.io/npm:elysia@1.1.0/dist/index.mjs', 'elysia/dist/index.mjs'],
    ['https://jsr.io/@oak/oak/17.1.0/mod.ts', '@oak/oak/17.1.0/mod.ts'],
    ['node:http', 'http'],
    ['hono', 'hono'],
    ['./deps.ts', './deps.ts'],
    ['https://example.com/hono/mod.ts', 'https://example.com/hono/mod.ts'],
  ])('%s -> %s', (specifier, name) => {
    expect(specifierPackage(specifier)).toBe(name);
  });
});

describe('a Deno import enables its framework', () => {
  it.each([
    [
      'npm:hono',
      'import { Hono } from "npm:hono@4";\nconst app = new Hono();\napp.get("/b", (c) => c.json({ e: 1 }, 403));\n',
      'c.json({ e: 1 }, 401)',
    ],
    [
      'jsr:@hono/hono',
      'import { Hono } from "jsr:@hono/hono";\nconst app = new Hono();\napp.get("/c", (c) => c.text("no", 403));\n',
      'c.text("no", 401)',
    ],
    [
      'esm.sh hono',
      'import { Hono } from "https://esm.sh/hono@4";\nconst app = new Hono();\napp.get("/d", (c) => c.body(null, 403));\n',
      'c.body(null, 401)',
    ],
    [
      'deno.land/x oak',
      'import { Router } from "https://deno.land/x/oak/mod.ts";\nconst router = new Router();\nrouter.get("/a", (ctx) => { ctx.response.status = 403; });\n',
      'ctx.response.status = 401',
    ],
    [
      'jsr:@oak/oak',
      'import { Router } from "jsr:@oak/oak@17";\nconst router = new Router();\nrouter.get("/a", (ctx) => { ctx.response.status = 403; });\n',
      'ctx.response.status = 401',
    ],
  ])('%s', async (_name, text, replacement) => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-deno-'));
    temps.push(cwd);
    // A package.json naming another framework: only what the file imports can switch its module on.
    writeFileSync(
      path.join(cwd, 'package.json'),
      JSON.stringify({ name: 'p', dependencies: { express: '*' } }),
    );
    mkdirSync(path.join(cwd, 'src'));
    writeFileSync(path.join(cwd, 'src/server.ts'), text);
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    expect(report.sites.map((s) => [s.action, s.replacement])).toEqual([['would-rewrite', replacement]]);
  });
});

// Session 49 (edcilo/edc_bookmarks_deno): a `response` destructured from Oak's context was read as Koa's, whose
// module is off without a package.json naming koa: "declare the dependency", on a Deno project.
describe("Oak: a response destructured from the context, in a project that depends on no framework's package", () => {
  it('a context parameter pattern, typed or not, and const { response: res } = ctx', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-deno-'));
    temps.push(cwd);
    writeFileSync(path.join(cwd, 'deno.json'), JSON.stringify({ imports: { '/': './src/' } }));
    mkdirSync(path.join(cwd, 'src'));
    writeFileSync(
      path.join(cwd, 'src/authorize.ts'),
      [
        'import { RouterContext, Status, Context } from "https://deno.land/x/oak@v12.1.0/mod.ts";',
        'export const authorize = async ({ response, state }: RouterContext<string>, next: () => Promise<unknown>) => {',
        '  if (!state.user) {',
        '    response.status = 403;',
        '    return;',
        '  }',
        '  await next();',
        '};',
        'export function admin(ctx: Context) {',
        '  const { response: res } = ctx;',
        '  res.status = Status.Forbidden;',
        '}',
        'export const untyped = ({ response }) => {',
        '  response.status = 403;',
        '};',
        '',
      ].join('\n'),
    );
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    expect(report.sites.map((s) => [s.action, s.framework, s.replacement])).toEqual([
      ['would-rewrite', 'oak', 'response.status = 401'],
      ['would-rewrite', 'oak', 'res.status = Status.Unauthorized'],
      ['would-rewrite', 'oak', 'response.status = 401'],
    ]);
  });
});

describe("a local module's re-exports enable their framework (Deno's deps.ts)", () => {
  it('oak and hono handed on by deps.ts', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-deno-'));
    temps.push(cwd);
    writeFileSync(
      path.join(cwd, 'package.json'),
      JSON.stringify({ name: 'p', dependencies: { express: '*' } }),
    );
    mkdirSync(path.join(cwd, 'src'));
    writeFileSync(
      path.join(cwd, 'src/deps.ts'),
      'export { Application, Router } from "https://deno.land/x/oak@v12.6.1/mod.ts";\nexport * from "npm:hono@4";\n',
    );
    writeFileSync(
      path.join(cwd, 'src/server.ts'),
      'import { Router, Hono } from "./deps.ts";\nconst router = new Router();\nrouter.get("/a", (ctx) => { ctx.response.status = 403; });\nconst app = new Hono();\napp.get("/b", (c) => c.json({ e: 1 }, 403));\n',
    );
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    expect(report.sites.map((s) => [s.action, s.replacement])).toEqual([
      ['would-rewrite', 'ctx.response.status = 401'],
      ['would-rewrite', 'c.json({ e: 1 }, 401)'],
    ]);
  });
});

// Session 47: the CLI's reading thread takes what each file without a 403 form re-exports, and a hub (a file naming
// 32 or more local modules) is analysed once every file has been read, so its analysis asks no file again. The
// answers must be the ones a run reading everything here gives.
describe('a hub naming many local modules, on the reading thread (bin/run.js)', () => {
  it('a framework handed on by deps.ts is seen as the in-place run sees it', async () => {
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'p', dependencies: { express: '*' } }),
      'src/deps.ts': 'export { Application, Router } from "https://deno.land/x/oak@v12.6.1/mod.ts";\n',
    };
    const imports: string[] = [];
    for (let i = 0; i < 40; i++) {
      files[`src/routes/r${i}.ts`] = `export const r${i} = ${i};\n`;
      imports.push(`import { r${i} } from './routes/r${i}';`);
    }
    for (let i = 0; i < 220; i++) files[`src/z/filler${i}.ts`] = `export const f${i} = ${i};\n`;
    files['src/app.ts'] = [
      ...imports,
      'import { Router } from "./deps.ts";',
      'const router = new Router();',
      'router.get("/a", (ctx) => { ctx.response.status = 403; });',
      '',
    ].join('\n');
    const cwd = tempProject(files);
    temps.push(cwd);
    const run = runCli(['migrate', '.', '--dry-run', '--force', '--json'], { cwd });
    expect(run.stderr).toBe('');
    const cli = JSON.parse(run.stdout) as { sites: { file: string; replacement?: string }[] };
    expect(cli.sites.map((s) => [s.file, s.replacement])).toEqual([
      ['src/app.ts', 'ctx.response.status = 401'],
    ]);
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    expect(cli.sites).toEqual(JSON.parse(JSON.stringify(report.sites)));
  });
});

// Session 28: a Deno project declares its dependencies in deno.json's import map and imports through its keys
// (`import { Hono } from "hono"` with `"hono": "jsr:@hono/hono@^4"`, or any alias). Those files read as importing
// no framework: their 403s were an off module's ("declare the dependency") or an unknown shape.
describe('aliasedModule', () => {
  const imports = new Map([
    ['hono', 'jsr:@hono/hono@^4'],
    ['server/', 'jsr:@hono/hono@^4/'],
    ['router', 'jsr:@oak/oak@^17/router'],
    ['web', 'npm:express@4'],
    ['oakx/', 'https://deno.land/x/oak@v12.6.1/'],
    ['@/', './src/'],
  ]);
  it.each([
    ['hono', 'hono'],
    ['server/http-exception', 'hono/http-exception'],
    ['router', '@oak/oak/router'],
    ['web', 'express'],
    ['oakx/mod.ts', 'https://deno.land/x/oak@v12.6.1/mod.ts'],
    ['@/routes/a.ts', '@/routes/a.ts'],
    ['./local.ts', './local.ts'],
    ['koa', 'koa'],
  ])('%s -> %s', (specifier, module) => {
    expect(aliasedModule(specifier, imports)).toBe(module);
  });
});

describe("deno.json's import map enables the frameworks imported through it", () => {
  const servers: Record<string, [string, string]> = {
    'src/hono.ts': [
      'import { Hono } from "server";\nconst app = new Hono();\napp.get("/a", (c) => c.text("no", 403));\n',
      'c.text("no", 401)',
    ],
    'src/routes/deny.ts': [
      'import type { Context } from "server";\nexport const deny = (c: Context) => c.json({ e: 1 }, 403);\n',
      'c.json({ e: 1 }, 401)',
    ],
    'src/exception.ts': [
      'import { HTTPException } from "server/http-exception";\nexport const f = () => { throw new HTTPException(403); };\n',
      'new HTTPException(401)',
    ],
    'src/oak.ts': [
      'import { Router } from "router";\nconst router = new Router();\nrouter.get("/a", (ctx) => { ctx.response.status = 403; });\n',
      'ctx.response.status = 401',
    ],
    'src/express.ts': [
      'import express from "web";\nconst app = express();\napp.get("/a", (req, res) => res.status(403).end());\n',
      'res.status(401)',
    ],
  };
  const expected = Object.entries(servers)
    .map(([file, [, replacement]]) => [file, 'would-rewrite', replacement])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));

  function deno(config: Record<string, string>): string {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-deno-'));
    temps.push(cwd);
    // A package.json naming another framework: only the import map can switch these modules on.
    writeFileSync(
      path.join(cwd, 'package.json'),
      JSON.stringify({ name: 'p', dependencies: { fastify: '*' } }),
    );
    for (const [name, text] of Object.entries({
      ...config,
      ...Object.fromEntries(Object.entries(servers).map(([f, [t]]) => [f, t])),
    })) {
      mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
      writeFileSync(path.join(cwd, name), text);
    }
    return cwd;
  }
  const imports = {
    '@/': './src/',
    server: 'jsr:@hono/hono@^4',
    'server/': 'jsr:@hono/hono@^4/',
    router: 'jsr:@oak/oak@^17/router',
    web: 'npm:express@4',
  };

  it.each([
    ['deno.json', { 'deno.json': JSON.stringify({ imports }) }],
    [
      'deno.jsonc with comments and trailing commas',
      {
        'deno.jsonc': `{\n  // the map\n  "imports": ${JSON.stringify(imports, null, 2).replace(/\n}$/, ',\n}')}, /* done */\n}\n`,
      },
    ],
    [
      'an importMap file',
      {
        'deno.json': JSON.stringify({ importMap: './import_map.json' }),
        'import_map.json': JSON.stringify({ imports }),
      },
    ],
    [
      'a deno.json in a parent folder',
      { 'deno.json': JSON.stringify({ imports }), 'src/deno.json': JSON.stringify({ tasks: {} }) },
    ],
  ])('%s', async (_name, config) => {
    const cwd = deno(config);
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    expect(
      report.sites
        .map((s) => [s.file, s.action, s.replacement])
        .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
    ).toEqual(expected);
  });

  it('without the import map the same files are reported, not rewritten', async () => {
    const cwd = deno({});
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    expect(report.sites.filter((s) => s.action === 'would-rewrite').map((s) => s.file)).toEqual([
      'src/express.ts',
    ]);
  });
});
