import { rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildDirs, builtPathOf } from '../../src/migrate/routes/build-dirs.js';
import { tempProject } from '../helpers/cli.js';

function project(files: Record<string, string>): string {
  const dir = tempProject(files);
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('build-dirs: where the compiled output of a source file runs from', () => {
  it.each([
    // [case, files, source, expected output (relative), expected pairs]
    [
      'rootDir and outDir',
      { 'tsconfig.json': '{"compilerOptions":{"rootDir":"src","outDir":"dist"}}' },
      'src/a/app.ts',
      'dist/a/app.js',
    ],
    [
      'rootDir "." (index.ts beside the tsconfig)',
      { 'tsconfig.json': '{"compilerOptions":{"rootDir":".","outDir":"./dist/"}}' },
      'index.ts',
      'dist/index.js',
    ],
    [
      'outDir in tsconfig.build.json',
      {
        'tsconfig.json': '{"compilerOptions":{"noEmit":true}}',
        'tsconfig.build.json': '{"compilerOptions":{"outDir":"build"},"include":["src"]}',
      },
      'src/app.mts',
      'build/app.mjs',
    ],
    [
      'outDir through extends, rootDir from include',
      {
        'tsconfig.json': '{"extends":"./configs/base.json","include":["src/**/*.ts"]}',
        'configs/base.json': '{"compilerOptions":{"outDir":"../lib"}}',
      },
      'src/app.ts',
      'lib/app.js',
    ],
    [
      'rootDir absent, no include: src/ when nothing is beside the tsconfig',
      { 'tsconfig.json': '{"compilerOptions":{"outDir":"dist"}}', 'src/app.ts': '' },
      'src/app.ts',
      'dist/app.js',
    ],
    [
      'rootDir absent, no include, a TypeScript file beside it: the package folder',
      { 'tsconfig.json': '{"compilerOptions":{"outDir":"dist"}}', 'src/app.ts': '', 'jest.config.ts': '' },
      'src/app.ts',
      'dist/src/app.js',
    ],
    [
      'the nearer config overrides extends',
      {
        'tsconfig.json': '{"extends":"./base.json","compilerOptions":{"outDir":"out"}}',
        'base.json': '{"compilerOptions":{"outDir":"dist","rootDir":"src"}}',
      },
      'src/app.ts',
      'out/app.js',
    ],
    ['no outDir', { 'tsconfig.json': '{"compilerOptions":{"noEmit":true}}' }, 'src/app.ts', undefined],
  ])('%s', (_, files, source, expected) => {
    const dir = project(files);
    const built = builtPathOf(path.join(dir, source), dir);
    expect(built === undefined ? undefined : path.relative(dir, built).split(path.sep).join('/')).toBe(
      expected,
    );
  });

  it('reads each config once per folder', () => {
    const dir = project({ 'tsconfig.json': '{"compilerOptions":{"rootDir":"src","outDir":"dist"}}' });
    expect(buildDirs(dir)).toBe(buildDirs(dir));
    expect(buildDirs(dir)).toEqual([{ outDir: 'dist', rootDir: 'src' }]);
  });
});
