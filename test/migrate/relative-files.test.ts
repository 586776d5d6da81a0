import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import ts from '../../src/typescript.cjs';
import { RelativeFiles } from '../../src/migrate/relative-files.js';
import { ModuleResolver } from '../../src/migrate/resolve.js';

// The folder-listing answer for relative specifiers must be TypeScript's own, under each module resolution the
// resolver tries; where it cannot be sure it answers nothing (the resolver then asks TypeScript).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = realpathSync(mkdtempSync(path.join(tmpdir(), 'mtls-fix-relative-')));
  temps.push(cwd);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return cwd;
}

/** TypeScript's answer, as resolve.ts takes it: a declaration file names no source. */
function typescriptAnswer(
  specifier: string,
  from: string,
  moduleResolution: ts.ModuleResolutionKind,
): string | undefined {
  const options: ts.CompilerOptions = { allowJs: true, module: ts.ModuleKind.ESNext, moduleResolution };
  const found = ts.resolveModuleName(specifier, from, options, ts.sys).resolvedModule?.resolvedFileName;
  return found && !/\.d\.ts$/.test(found) ? path.resolve(found) : undefined;
}

const LAYOUT = {
  'src/app.ts': '',
  'src/a.ts': '',
  'src/b.tsx': '',
  'src/c.js': '',
  'src/d.js': '',
  'src/d/index.ts': '',
  'src/e.js': '',
  'src/e.d.ts': '',
  'src/f.ts': '',
  'src/f.d.ts': '',
  'src/g/index.ts': '',
  'src/i.service.ts': '',
  'src/j.ts': '',
  'src/j.js': '',
  'src/k.tsx': '',
  'src/k.ts': '',
  'src/h.ts/index.ts': '',
  'lib/up.ts': '',
};

// specifier -> the answer the listing must give (a path under the project), or null: leave it to TypeScript.
const CASES: [string, string | null][] = [
  ['./a', 'src/a.ts'],
  ['./a.js', 'src/a.ts'],
  ['./b', 'src/b.tsx'],
  ['./b.js', 'src/b.tsx'],
  ['./c', 'src/c.js'],
  ['./c.js', 'src/c.js'],
  ['./d', null],
  ['./e', null],
  ['./f', 'src/f.ts'],
  ['./g', null],
  ['./g/index', 'src/g/index.ts'],
  ['./i.service', null],
  ['./j', 'src/j.ts'],
  ['./k', 'src/k.ts'],
  ['./h', null],
  ['./missing', null],
  ['../lib/up', 'lib/up.ts'],
  ['./', null],
  ['.', null],
  ['..', null],
  ['./a.ts', null],
  ['./a.mjs', null],
];

describe('relative specifiers read from folder listings', () => {
  it.each(CASES)('%s answers %s, and agrees with TypeScript', (specifier, expected) => {
    const cwd = project(LAYOUT);
    const from = path.join(cwd, 'src/app.ts');
    const answer = new RelativeFiles().resolve(specifier, path.dirname(from));
    expect(answer).toBe(expected === null ? undefined : path.join(cwd, expected));
    if (answer === undefined) return;
    for (const kind of [ts.ModuleResolutionKind.Node10, ts.ModuleResolutionKind.Bundler])
      expect(typescriptAnswer(specifier, from, kind)).toBe(answer);
  });

  it('leaves a symbolic link to TypeScript', () => {
    const cwd = project({ 'src/app.ts': '', 'src/real.ts': '' });
    symlinkSync(path.join(cwd, 'src/real.ts'), path.join(cwd, 'src/linked.ts'));
    expect(new RelativeFiles().resolve('./linked', path.join(cwd, 'src'))).toBeUndefined();
    expect(new ModuleResolver().resolve('./linked', path.join(cwd, 'src/app.ts'))).toBe(
      path.join(cwd, 'src/linked.ts'),
    );
  });

  it('is not used when the config sets moduleSuffixes (TypeScript prefers the suffixed file)', () => {
    const cwd = project({
      'tsconfig.json': JSON.stringify({ compilerOptions: { moduleSuffixes: ['.ios', ''] } }),
      'src/app.ts': '',
      'src/view.ts': '',
      'src/view.ios.ts': '',
    });
    expect(new ModuleResolver().resolve('./view', path.join(cwd, 'src/app.ts'))).toBe(
      path.join(cwd, 'src/view.ios.ts'),
    );
  });

  it('answers the resolver for a plain tsconfig project as TypeScript does', () => {
    const cwd = project({
      'tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' },
      }),
      'package.json': JSON.stringify({ type: 'module' }),
      ...LAYOUT,
    });
    const resolver = new ModuleResolver();
    const from = path.join(cwd, 'src/app.ts');
    expect(resolver.resolve('./a', from)).toBe(path.join(cwd, 'src/a.ts'));
    expect(resolver.resolve('./a.js', from)).toBe(path.join(cwd, 'src/a.ts'));
    expect(resolver.resolve('./e', from)).toBeUndefined();
    expect(resolver.resolve('./g', from)).toBe(path.join(cwd, 'src/g/index.ts'));
  });
});
