import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkspacePackages } from '../../../src/migrate/routes/workspace-packages.js';

// Workspace packages found by name in a clone with no node_modules (route-factories' contracts, growthbook's
// `shared/validators`): the package manager's globs, then Node's and TypeScript's order inside the package.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'mtls-fix-ws-'));
  temps.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe('WorkspacePackages.resolve', () => {
  it('npm/yarn workspaces: exports (conditions, * patterns), a .js target with a TypeScript twin, negated globs', () => {
    const root = tree({
      'package.json': JSON.stringify({ workspaces: ['packages/*', '!packages/ignored'] }),
      'packages/a/package.json': JSON.stringify({
        name: '@x/a',
        exports: {
          '.': { types: './src/index.ts', default: './dist/index.js' },
          './sub/*': './src/sub/*.ts',
        },
      }),
      'packages/a/src/index.ts': 'export const a = 1;\n',
      'packages/a/src/sub/y.ts': 'export const y = 1;\n',
      // A declaration file that declares (not a re-export shim) holds no code: `main`'s twin is taken instead.
      'packages/b/package.json': JSON.stringify({ name: 'b', types: 'lib/index.d.ts', main: 'src/main.js' }),
      'packages/b/lib/index.d.ts': 'export declare const b: number;\n',
      'packages/b/src/main.ts': 'export const b = 1;\n',
      'packages/ignored/package.json': JSON.stringify({ name: 'ignored', main: 'index.js' }),
      'packages/ignored/index.js': 'module.exports = {};\n',
      'apps/web/src/page.ts': '',
    });
    const from = path.join(root, 'apps/web/src/page.ts');
    const packages = new WorkspacePackages();
    expect(packages.resolve('@x/a', from)).toBe(path.join(root, 'packages/a/src/index.ts'));
    expect(packages.resolve('@x/a/sub/y', from)).toBe(path.join(root, 'packages/a/src/sub/y.ts'));
    // Not listed in `exports`: Node refuses it, and so does this.
    expect(packages.resolve('@x/a/src/index', from)).toBeUndefined();
    expect(packages.resolve('b', from)).toBe(path.join(root, 'packages/b/src/main.ts'));
    expect(packages.resolve('ignored', from)).toBeUndefined();
    expect(packages.resolve('unknown', from)).toBeUndefined();
  });

  it('pnpm: a subpath file that only re-exports sources (growthbook shared/validators.d.ts)', () => {
    const root = tree({
      'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n",
      'package.json': '{}',
      'packages/shared/package.json': JSON.stringify({ name: 'shared', main: 'dist/index.js' }),
      'packages/shared/validators.d.ts': "export * from './src/validators';\n",
      'packages/shared/src/validators/index.ts': "export * from './items';\n",
      'packages/back-end/src/app.ts': '',
    });
    const from = path.join(root, 'packages/back-end/src/app.ts');
    expect(new WorkspacePackages().resolve('shared/validators', from)).toBe(
      path.join(root, 'packages/shared/validators.d.ts'),
    );
  });

  it('no workspace above the file: nothing', () => {
    const root = tree({ 'package.json': '{}', 'src/app.ts': '', '.git/HEAD': '' });
    expect(new WorkspacePackages(root).resolve('shared', path.join(root, 'src/app.ts'))).toBeUndefined();
  });
});
