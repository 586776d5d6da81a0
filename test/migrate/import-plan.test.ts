import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import ts from '../../src/typescript.cjs';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { importNeed } from '../../src/migrate/import-edits.js';
import { collectImports } from '../../src/migrate/imports.js';
import { migrate } from '../../src/migrate/index.js';
import { planFile, migrateSource } from '../../src/migrate/transform.js';
import { tempProject } from '../helpers/cli.js';
import type { ImportNeed, Site } from '../../src/migrate/types.js';

const root = path.resolve(import.meta.dirname, '../fixtures');
const SOURCE = /\.(?:input|output)\.[cm]?[jt]sx?$/;

/** TS2300 (duplicate identifier), TS2440 (import conflicts with a local declaration), TS2451 (redeclared). */
const DUPLICATES = new Set([2300, 2440, 2451]);

/** The duplicate-name diagnostics TypeScript gives one file on its own (no lib, no module resolution). */
function duplicateNames(file: string, text: string): string[] {
  const host = ts.createCompilerHost({});
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const program = ts.createProgram({
    rootNames: [file],
    options: { noLib: true, noResolve: true, allowJs: true, checkJs: true, types: [], noEmit: true },
    host: {
      ...host,
      getSourceFile: (name) => (name === file ? sourceFile : undefined),
      fileExists: (name) => name === file,
    },
  });
  return program
    .getSemanticDiagnostics(sourceFile)
    .filter((d) => DUPLICATES.has(d.code))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** Every fixture whose output has an import its input has not: the rewrites that add or rename one. */
function importFixtures(): { dir: string; input: string }[] {
  const out: { dir: string; input: string }[] = [];
  for (const dir of readdirSync(root)) {
    let files: string[];
    try {
      files = readdirSync(path.join(root, dir));
    } catch {
      continue;
    }
    for (const input of files.filter((f) => SOURCE.test(f) && f.includes('.input.'))) {
      const output = input.replace('.input.', '.output.');
      if (!files.includes(output)) continue;
      const importsOf = (name: string) =>
        readFileSync(path.join(root, dir, name), 'utf8')
          .split('\n')
          .filter((line) => /\bimport\b|\brequire\(/.test(line))
          .join('\n');
      if (importsOf(input) !== importsOf(output)) out.push({ dir, input });
    }
  }
  return out;
}

describe('one import plan per file (breaker28 #02)', () => {
  const fixtures = importFixtures();

  it('finds the import-editing fixtures', () => {
    // Nest, Feathers, http-errors and Boom fixtures of this fault among them.
    expect(fixtures.map((f) => `${f.dir}/${f.input}`)).toEqual(
      expect.arrayContaining([
        'nestjs/import-shared.input.ts',
        'feathers/import-shared.input.ts',
        'http-errors/import-shared.input.ts',
        'hapi/import-shared.input.ts',
      ]),
    );
  });

  it.each(fixtures.map((f) => [`${f.dir}/${f.input}`, f] as const))(
    '%s: the output binds no name twice',
    (_name, { dir, input }) => {
      const text = readFileSync(path.join(root, dir, input), 'utf8');
      const output = readFileSync(path.join(root, dir, input.replace('.input.', '.output.')), 'utf8');
      const file = input.replace('.input.', '.');
      expect(duplicateNames(file, output)).toEqual(duplicateNames(file, text));
    },
  );

  it('adds a name once whatever number of sites and local names need it', () => {
    const text = [
      "import { Controller, Get, ForbiddenException as Denied, ForbiddenException as No, ForbiddenException } from '@nestjs/common';",
      'export const is = (e: unknown) => e instanceof Denied || e instanceof No || e instanceof ForbiddenException;',
      "@Controller('c')",
      'export class C {',
      "  @Get('a') a() { throw new Denied(); }",
      "  @Get('b') b() { throw new No(); }",
      "  @Get('c') c() { throw new ForbiddenException(); }",
      '}',
      '',
    ].join('\n');
    const result = migrateSource('c.controller.ts', text, {
      target: 401,
      frameworks: FRAMEWORKS,
      testFile: false,
    });
    expect(result.text.split('\n')[0]).toBe(
      "import { Controller, Get, ForbiddenException as Denied, ForbiddenException as No, ForbiddenException, UnauthorizedException } from '@nestjs/common';",
    );
    expect(result.sites.filter((s) => s.kind === 'rewrite')).toHaveLength(3);
    expect(duplicateNames('c.controller.ts', result.text)).toEqual([]);
  });

  it('reuses the name under which the file already imports the new class, from any import of the module', () => {
    const text = [
      "import { Forbidden } from '@feathersjs/errors';",
      "import { NotAuthenticated as Anonymous } from '@feathersjs/errors';",
      "export const login = () => new Anonymous('x');",
      "export const get = async () => { throw new Forbidden('a'); };",
      "export const find = async () => { throw new Forbidden('b'); };",
      '',
    ].join('\n');
    const result = migrateSource('s.ts', text, { target: 401, frameworks: FRAMEWORKS, testFile: false });
    expect(result.text).toBe(
      [
        // The emptied declaration goes whole, not left as `import '@feathersjs/errors';` (breaker30 #08).
        "import { NotAuthenticated as Anonymous } from '@feathersjs/errors';",
        "export const login = () => new Anonymous('x');",
        "export const get = async () => { throw new Anonymous('a'); };",
        "export const find = async () => { throw new Anonymous('b'); };",
        '',
      ].join('\n'),
    );
  });

  it('an aliased import that only a rewritten constant used is dropped, not renamed to its alias', () => {
    // `drop` needs (from === to) are removals once unused, never a rename of `FORBIDDEN as NO` to `NO`.
    const text = "import { A as NO } from './codes';\nexport const x = NO;\n";
    const sourceFile = ts.createSourceFile('a.ts', text, ts.ScriptTarget.Latest, true);
    const source = {
      imports: collectImports(sourceFile),
      sourceFile,
      text,
      replace: (node: ts.Node, replacement: string) => ({
        start: node.getStart(),
        end: node.getEnd(),
        text: replacement,
      }),
    };
    const need = importNeed(source, 'NO', 'NO');
    expect(need).toBeDefined();
    const start = text.indexOf('NO;');
    const plan = planFile(text, 'a.ts', [site(start, start + 2, '401', need ? [need] : [])]);
    expect(plan.text).toBe('export const x = 401;\n');
  });

  it('constants imported from another file: two local names of FORBIDDEN, an alias of UNAUTHORIZED reused', async () => {
    const cwd = tempProject({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      'src/constants.ts': 'export const FORBIDDEN = 403;\nexport const UNAUTHORIZED = 401;\n',
      'src/a.ts': [
        "import express from 'express';",
        "import { FORBIDDEN as NO, FORBIDDEN } from './constants';",
        'const app = express();',
        "app.get('/a', (req, res) => res.status(NO).end());",
        "app.get('/b', (req, res) => res.status(FORBIDDEN).end());",
        '',
      ].join('\n'),
      'src/b.ts': [
        "import express from 'express';",
        "import { FORBIDDEN as NO, UNAUTHORIZED as U } from './constants';",
        'const app = express();',
        "app.get('/a', (req, res) => res.status(NO).end());",
        '',
      ].join('\n'),
    });
    try {
      await migrate({ cwd, status: 401, mode: 'write', force: true });
      const a = readFileSync(path.join(cwd, 'src/a.ts'), 'utf8');
      const b = readFileSync(path.join(cwd, 'src/b.ts'), 'utf8');
      expect(a.split('\n')[1]).toBe("import { UNAUTHORIZED } from './constants';");
      expect(a).toContain("app.get('/a', (req, res) => res.status(UNAUTHORIZED).end());");
      expect(b.split('\n')[1]).toBe("import { UNAUTHORIZED as U } from './constants';");
      expect(b).toContain("app.get('/a', (req, res) => res.status(U).end());");
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('the binder check refuses a site whose name the file would import twice (safety net)', () => {
    // Two modules asked for the same local name: adding both would be TS2300.
    const text = "import { A } from 'a';\nimport { B } from 'b';\nexport const x = [A, B];\n";
    const need = (module: string, from: string, at: number): ImportNeed => ({
      module,
      from,
      to: 'U',
      present: false,
      rename: { start: at, end: at + 1, text: 'U' },
      add: { start: at + 1, end: at + 1, text: ', U' },
      remove: { start: at, end: at + 1, text: '' },
    });
    const a = text.indexOf('A,');
    const b = text.indexOf('B]');
    const plan = planFile(text, 'a.ts', [
      site(a, a + 1, 'U', [need('a', 'A', text.indexOf('A }'))]),
      site(b, b + 1, 'U', [need('b', 'B', text.indexOf('B }'))]),
    ]);
    expect(plan.refused.length).toBeGreaterThan(0);
    expect(duplicateNames('a.ts', plan.text)).toEqual([]);
  });
});

function site(start: number, end: number, replacement: string, imports: ImportNeed[]): Site {
  return {
    file: 'a.ts',
    start,
    end,
    span: { start, end },
    framework: 'test',
    form: replacement,
    kind: 'rewrite',
    edits: [{ start, end, text: replacement }],
    imports,
    replacement,
    reason: null,
    scope: { functionStart: 0, functionEnd: 1000 },
    operation: null,
  };
}
