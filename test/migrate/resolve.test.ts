import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ModuleResolver } from '../../src/migrate/resolve.js';

// Bare specifiers are answered once per config and package scope (and not asked of TypeScript at all when no
// config maps names and no node_modules above holds the package): each case asks from two folders, so a shared
// answer that was wrong for one of them fails here.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = realpathSync(mkdtempSync(path.join(tmpdir(), 'mtls-fix-resolve-')));
  temps.push(cwd);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return cwd;
}

describe('module resolution of bare specifiers', () => {
  it('resolves a tsconfig paths alias from every folder', () => {
    const cwd = project({
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['src/*'] } } }),
      'src/routes/items.ts': 'export const items = 1;\n',
      'src/app.ts': '',
      'src/deep/er/x.ts': '',
    });
    const resolver = new ModuleResolver();
    const target = path.join(cwd, 'src/routes/items.ts');
    expect(resolver.resolve('@/routes/items', path.join(cwd, 'src/app.ts'))).toBe(target);
    expect(resolver.resolve('@/routes/items', path.join(cwd, 'src/deep/er/x.ts'))).toBe(target);
    expect(resolver.resolve('express', path.join(cwd, 'src/app.ts'))).toBeUndefined();
  });

  it('resolves a workspace package linked into node_modules, and only below that node_modules', () => {
    const cwd = project({
      'packages/shared/package.json': JSON.stringify({ name: '@acme/shared', main: 'index.ts' }),
      'packages/shared/index.ts': 'export const forbidden = 403;\n',
      'packages/api/package.json': JSON.stringify({ name: '@acme/api' }),
      'packages/api/src/app.ts': '',
      'packages/api/src/routes/a.ts': '',
      'packages/web/package.json': JSON.stringify({ name: '@acme/web' }),
      'packages/web/src/app.ts': '',
    });
    mkdirSync(path.join(cwd, 'packages/api/node_modules/@acme'), { recursive: true });
    symlinkSync(path.join(cwd, 'packages/shared'), path.join(cwd, 'packages/api/node_modules/@acme/shared'));
    const resolver = new ModuleResolver();
    const target = path.join(cwd, 'packages/shared/index.ts');
    expect(resolver.resolve('@acme/shared', path.join(cwd, 'packages/api/src/app.ts'))).toBe(target);
    expect(resolver.resolve('@acme/shared', path.join(cwd, 'packages/api/src/routes/a.ts'))).toBe(target);
    // packages/web has no node_modules holding it: not the same answer.
    expect(resolver.resolve('@acme/shared', path.join(cwd, 'packages/web/src/app.ts'))).toBeUndefined();
  });

  it('resolves a package importing itself by name, from its own folders only', () => {
    const cwd = project({
      'package.json': JSON.stringify({
        name: 'self-named',
        type: 'module',
        exports: { './errors': './src/errors.ts' },
      }),
      'tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' },
      }),
      'src/errors.ts': 'export const forbidden = 403;\n',
      'src/app.ts': '',
      'other/package.json': JSON.stringify({ name: 'other' }),
      'other/app.ts': '',
    });
    const resolver = new ModuleResolver();
    expect(resolver.resolve('self-named/errors', path.join(cwd, 'src/app.ts'))).toBe(
      path.join(cwd, 'src/errors.ts'),
    );
    expect(resolver.resolve('self-named/errors', path.join(cwd, 'other/app.ts'))).toBeUndefined();
  });

  // lead50: typebot's Next.js builder (`paths: { "@/*": [...] }` and 44 referenced configs) asked TypeScript about
  // every package it imports, each a failed node_modules probe per folder up and per config: 24 s of 68 s CPU.
  it('asks TypeScript about a package only when a paths pattern matches it or a baseUrl is set', () => {
    const cwd = project({
      'apps/web/tsconfig.json': JSON.stringify({
        compilerOptions: { moduleResolution: 'bundler', module: 'esnext', paths: { '@/*': ['./src/*'] } },
        references: [{ path: '../../packages/lib' }],
      }),
      'apps/web/src/app.ts': '',
      'apps/web/src/routes/items.ts': 'export const items = 1;\n',
      'packages/lib/tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '#lib/*': ['./src/*'] } } }),
      'packages/lib/src/x.ts': '',
      'based/tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: 'src' } }),
      'based/src/app.ts': '',
      'based/src/services/s.ts': 'export const s = 1;\n',
    });
    const resolver = new ModuleResolver();
    const probes = [vi.spyOn(ts.sys, 'fileExists'), vi.spyOn(ts.sys, 'directoryExists')];
    const asked = (): number => probes.reduce((sum, probe) => sum + probe.mock.calls.length, 0);
    try {
      expect(resolver.resolve('react', path.join(cwd, 'apps/web/src/app.ts'))).toBeUndefined();
      expect(
        resolver.resolve('@tanstack/react-query', path.join(cwd, 'apps/web/src/app.ts')),
      ).toBeUndefined();
      expect(asked()).toBe(0);
      // What the patterns or a baseUrl map is still TypeScript's to answer.
      expect(resolver.resolve('@/routes/items', path.join(cwd, 'apps/web/src/app.ts'))).toBe(
        path.join(cwd, 'apps/web/src/routes/items.ts'),
      );
      expect(resolver.resolve('services/s', path.join(cwd, 'based/src/app.ts'))).toBe(
        path.join(cwd, 'based/src/services/s.ts'),
      );
      expect(asked()).toBeGreaterThan(0);
    } finally {
      for (const probe of probes) probe.mockRestore();
    }
  });
});

// Test runners and bundlers map names TypeScript's resolver does not know (module-aliases.ts): a test that
// imports `@/services/x` through them was linked to no unit (docs/migrate-spec.md, "Trials, session 12").
describe('module resolution through test runner and bundler aliases', () => {
  const target = (cwd: string): string => path.join(cwd, 'src/services/gate.ts');
  const files = {
    'src/services/gate.ts': 'export const gate = 1;\n',
    'test/a/gate.test.ts': '',
    '.git/HEAD': '',
  };

  it.each([
    ['jest.config.js', "module.exports = { moduleNameMapper: { '^@/(.*)$': '<rootDir>/src/$1' } };\n"],
    [
      'jest.config.ts',
      "export default { rootDir: '.', moduleNameMapper: { '^~services/(.*)$': ['<rootDir>/nope/$1', '<rootDir>/src/services/$1'] } };\n",
    ],
    ['package.json', JSON.stringify({ jest: { moduleNameMapper: { '^@app/(.*)$': '<rootDir>/src/$1' } } })],
    [
      'vitest.config.ts',
      "import path from 'node:path';\nexport default defineConfig({ resolve: { alias: { '@': path.resolve(__dirname, './src') } } });\n",
    ],
    [
      'vite.config.mts',
      "import { fileURLToPath } from 'node:url';\nexport default { resolve: { alias: [{ find: /^#\\//, replacement: fileURLToPath(new URL('./src/', import.meta.url)) }] } };\n",
    ],
    ['vitest.config.js', "export default { test: { alias: { '~': '/src' } } };\n"],
    [
      '.babelrc',
      JSON.stringify({ plugins: [['module-resolver', { alias: { '^@(\\w+)/(.+)$': './src/\\1/\\2' } }]] }),
    ],
    [
      'babel.config.js',
      "module.exports = { plugins: [['babel-plugin-module-resolver', { root: ['./src'] }]] };\n",
    ],
  ])('%s', (config, text) => {
    const cwd = project({ ...files, [config]: text });
    const resolver = new ModuleResolver();
    const from = path.join(cwd, 'test/a/gate.test.ts');
    const specifier = {
      'jest.config.js': '@/services/gate',
      'jest.config.ts': '~services/gate',
      'package.json': '@app/services/gate',
      'vitest.config.ts': '@/services/gate',
      'vite.config.mts': '#/services/gate',
      'vitest.config.js': '~/services/gate',
      '.babelrc': '@services/gate',
      'babel.config.js': 'services/gate',
    }[config];
    expect(resolver.resolve(specifier ?? '', from)).toBe(target(cwd));
    // A name no rule maps is still a package.
    expect(resolver.resolve('express', from)).toBeUndefined();
  });

  it('a const of the config file (`const dirname = typeof __dirname !== ... : path.dirname(fileURLToPath(import.meta.url))`)', () => {
    const cwd = project({
      ...files,
      'vitest.config.ts': [
        "import path from 'node:path';",
        "import { fileURLToPath } from 'node:url';",
        "const dirname = typeof __dirname !== 'undefined' ? __dirname : path.dirname(fileURLToPath(import.meta.url));",
        'const here = path.dirname(fileURLToPath(import.meta.url));',
        "const resolveAlias = { alias: { $services: path.resolve(dirname, 'src/services'), $gate: path.join(here, 'src/services/gate') } };",
        'export default defineConfig({ test: { projects: [{ resolve: resolveAlias }] }, resolve: resolveAlias });',
      ].join('\n'),
    });
    const from = path.join(cwd, 'test/a/gate.test.ts');
    expect(new ModuleResolver().resolve('$services/gate', from)).toBe(target(cwd));
    expect(new ModuleResolver().resolve('$gate', from)).toBe(target(cwd));
  });

  it('a config computed at run time maps nothing', () => {
    const cwd = project({
      ...files,
      'jest.config.js':
        'module.exports = { moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths) };\n',
    });
    expect(
      new ModuleResolver().resolve('@/services/gate', path.join(cwd, 'test/a/gate.test.ts')),
    ).toBeUndefined();
  });
});

describe('an absolute specifier only a test runner maps', () => {
  it("jest's moduleNameMapper for a Lambda layer path (`require('/opt/base')`)", () => {
    const cwd = project({
      'layers/base/base.js': 'module.exports = { Exception: class {} };\n',
      'lambda/handler.js': '',
      'jest.config.js':
        "module.exports = { moduleNameMapper: { '^/opt/base$': '<rootDir>/layers/base/base.js' } };\n",
      '.git/HEAD': '',
    });
    const resolver = new ModuleResolver();
    expect(resolver.resolve('/opt/base', path.join(cwd, 'lambda/handler.js'))).toBe(
      path.join(cwd, 'layers/base/base.js'),
    );
  });
});

// wekan (a Meteor app): `import { sendJsonResult } from '/server/apiMiddleware'` names a file from the app's root
// (the folder of .meteor/release); its 40 `sendJsonResult(res, { code: 403 })` calls were "a shape mtls-fix does
// not know" while the helper was found.
describe('a Meteor application root', () => {
  it("resolves '/server/x' and require('/imports/y') from the folder of .meteor/release, and nothing elsewhere", () => {
    const cwd = project({
      'app/.meteor/release': 'METEOR@3.0\n',
      'app/server/apiMiddleware.js': 'module.exports = { sendJsonResult() {} };\n',
      'app/imports/lib/codes.js': 'export const DENIED = 403;\n',
      'app/server/models/boards.js': '',
      'app/models/export.js': '',
      'other/server/apiMiddleware.js': '',
      'other/x.js': '',
      '.git/HEAD': '',
    });
    const resolver = new ModuleResolver();
    expect(resolver.resolve('/server/apiMiddleware', path.join(cwd, 'app/server/models/boards.js'))).toBe(
      path.join(cwd, 'app/server/apiMiddleware.js'),
    );
    expect(resolver.resolve('/imports/lib/codes', path.join(cwd, 'app/models/export.js'))).toBe(
      path.join(cwd, 'app/imports/lib/codes.js'),
    );
    // Outside the Meteor app an absolute specifier is the file system's.
    expect(resolver.resolve('/server/apiMiddleware', path.join(cwd, 'other/x.js'))).toBeUndefined();
  });
});

// A fresh clone of a monorepo: workspace packages are not linked into node_modules, and their `main` /
// `exports` name build output that is not there; the code is in their sources (docs/migrate-spec.md,
// "Trials, session 12").
describe('workspace packages whose entry points are build output', () => {
  const workspace = (core: Record<string, string>): string =>
    project({
      'package.json': JSON.stringify({ private: true, workspaces: ['packages/*'] }),
      'packages/api/package.json': JSON.stringify({ name: '@acme/api' }),
      'packages/api/test/gate.test.ts': '',
      '.git/HEAD': '',
      ...Object.fromEntries(Object.entries(core).map(([f, t]) => [`packages/core/${f}`, t])),
    });
  const from = (cwd: string): string => path.join(cwd, 'packages/api/test/gate.test.ts');

  it('`exports` into dist/, read back through the tsconfig outDir and rootDir', () => {
    const cwd = workspace({
      'package.json': JSON.stringify({
        name: '@acme/core',
        exports: {
          '.': { types: './dist/index.d.ts', import: './dist/index.js' },
          './gate': './dist/gate/index.js',
        },
      }),
      'tsconfig.build.json': JSON.stringify({ compilerOptions: { rootDir: './lib-src', outDir: './dist' } }),
      'lib-src/index.ts': "export * from './gate';\n",
      'lib-src/gate/index.ts': 'export const gate = 1;\n',
    });
    const resolver = new ModuleResolver();
    expect(resolver.resolve('@acme/core', from(cwd))).toBe(path.join(cwd, 'packages/core/lib-src/index.ts'));
    expect(resolver.resolve('@acme/core/gate', from(cwd))).toBe(
      path.join(cwd, 'packages/core/lib-src/gate/index.ts'),
    );
    expect(resolver.fromWorkspace(path.join(cwd, 'packages/core/lib-src/index.ts'))).toBe(true);
  });

  it.each([
    ['main', { main: 'lib/index.js' }, 'src/index.ts'],
    ['types', { types: 'dist/types/index.d.ts' }, 'src/types/index.ts'],
    ['module', { module: 'dist/esm/index.mjs' }, 'src/index.mts'],
    ['main, sources at the package root', { main: 'build/index.js' }, 'index.js'],
  ])('`%s` into a build folder, no tsconfig', (_, fields, source) => {
    const cwd = workspace({
      'package.json': JSON.stringify({ name: '@acme/core', ...fields }),
      [source]: 'export const gate = 1;\n',
    });
    expect(new ModuleResolver().resolve('@acme/core', from(cwd))).toBe(
      path.join(cwd, 'packages/core', source),
    );
  });

  it('a package name no workspace folder holds stays a package', () => {
    const cwd = workspace({ 'package.json': JSON.stringify({ name: '@acme/core', main: 'dist/index.js' }) });
    expect(new ModuleResolver().resolve('@acme/other', from(cwd))).toBeUndefined();
    // dist/ is not built and no source stands behind it
    expect(new ModuleResolver().resolve('@acme/core', from(cwd))).toBeUndefined();
  });
});

// motora-dev/angular-nestjs-realworld-example-app (docs/migrate-spec.md, "Trials, session 12"): the app's
// tsconfig extends `@monorepo/typescript-config`, a workspace package not linked in a fresh clone; its
// `moduleResolution: bundler` was lost, TypeScript fell back to classic resolution, and `$errors` (a folder's
// index) resolved to nothing.
describe('a tsconfig that extends a workspace package', () => {
  it('reads the base from the package folder, so its moduleResolution applies', () => {
    const cwd = project({
      'pnpm-workspace.yaml': 'packages:\n  - apps/*\n  - packages/*\n',
      'packages/tsconfig/package.json': JSON.stringify({ name: '@acme/tsconfig', exports: './base.json' }),
      'packages/tsconfig/base.json': JSON.stringify({
        compilerOptions: { module: 'esnext', moduleResolution: 'bundler' },
      }),
      'apps/api/tsconfig.json': JSON.stringify({
        extends: '@acme/tsconfig',
        compilerOptions: { target: 'ES2023', baseUrl: './', paths: { $errors: ['src/errors'] } },
      }),
      'apps/api/src/errors/index.ts': 'export class Denied extends Error {}\n',
      'apps/api/src/app.ts': '',
      '.git/HEAD': '',
    });
    const from = path.join(cwd, 'apps/api/src/app.ts');
    expect(new ModuleResolver().resolve('$errors', from)).toBe(
      path.join(cwd, 'apps/api/src/errors/index.ts'),
    );
  });

  it('a base no folder holds: resolved as a bundler would, not by the classic default', () => {
    const cwd = project({
      'apps/api/tsconfig.json': JSON.stringify({
        extends: '@acme/missing',
        compilerOptions: { target: 'ES2023', baseUrl: './', paths: { $errors: ['src/errors'] } },
      }),
      'apps/api/src/errors/index.ts': 'export class Denied extends Error {}\n',
      'apps/api/src/app.ts': '',
      '.git/HEAD': '',
    });
    const from = path.join(cwd, 'apps/api/src/app.ts');
    expect(new ModuleResolver().resolve('$errors', from)).toBe(
      path.join(cwd, 'apps/api/src/errors/index.ts'),
    );
  });
});
