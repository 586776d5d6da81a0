import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
});
