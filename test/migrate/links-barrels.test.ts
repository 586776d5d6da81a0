import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProjectLinks } from '../../src/migrate/links.js';
import { parseSource } from '../../src/migrate/parse.js';
import { ModuleResolver } from '../../src/migrate/resolve.js';

// A barrel of `export *` lines (dokploy's `@dokploy/server` index: 145 of them) is searched by the modules' text
// first: a module whose text cannot export the name is not parsed, and every name is still found where it is.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-links-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

const FILES: Record<string, string> = {
  'server/index.ts': [
    "export * from './users';",
    "export * from './projects';",
    "export * from './nested';",
    "export * from './legacy';",
    "export * from './listed';",
    "export * from './compiled';",
    '',
  ].join('\n'),
  // Names `forbidden` and `findProject` but exports neither.
  'server/users.ts':
    "import { forbidden } from './codes';\nconst local = forbidden;\nexport const findUser = (id: string) => ({ id, local });\nconst findProject = 1;\nvoid findProject;\n",
  'server/projects.ts':
    'export const findProject = async (id: string) => {\n  const x = 1;\n  return { id, x };\n};\n',
  'server/nested.ts': "export * from './deeper';\n",
  'server/deeper.ts': 'export const DENIED = 403;\n',
  'server/legacy.ts': 'exports.LEGACY_DENIED = 403;\n',
  'server/listed.ts':
    'const LISTED = 403;\nconst other = 1;\nexport {\n  other,\n  LISTED as LISTED_DENIED,\n};\n',
  'server/compiled.ts': 'var __exportStar = () => {};\n__exportStar(require("./deeper"), exports);\n',
  'server/codes.ts': 'export const forbidden = 403;\n',
  'app.ts': "import { DENIED, findProject } from './server';\n",
};

describe('links: modules behind export * are read by their text first', () => {
  it('finds every name where it is declared, parsing only modules whose text can export it', () => {
    const cwd = project(FILES);
    const parsed: string[] = [];
    const links = new ProjectLinks(new ModuleResolver(), (absolute) => {
      parsed.push(path.relative(cwd, absolute).split(path.sep).join('/'));
      return parseSource(absolute, readFileSync(absolute, 'utf8'));
    });
    const from = path.join(cwd, 'app.ts');
    const at = (found: { file: string; name: string } | undefined) =>
      found && { file: path.relative(cwd, found.file).split(path.sep).join('/'), name: found.name };
    expect(at(links.definition(from, './server', 'findProject'))).toEqual({
      file: 'server/projects.ts',
      name: 'findProject',
    });
    // users.ts names findProject (a local) but exports it in no statement: never parsed. projects.ts declares it
    // by `export const findProject = async (…) => …` and names it nowhere else: its text shows that (session 45,
    // plain-declarations.ts), so it is not parsed either.
    expect(parsed).toEqual(['server/index.ts']);
    expect(at(links.definition(from, './server', 'DENIED'))).toEqual({
      file: 'server/deeper.ts',
      name: 'DENIED',
    });
    expect(parsed).not.toContain('server/users.ts');
    expect(links.lookup(from, './server', 'LEGACY_DENIED')).toMatchObject({ kind: 'number', value: 403 });
    expect(links.lookup(from, './server', 'LISTED_DENIED')).toMatchObject({ kind: 'number', value: 403 });
    expect(links.lookup(from, './server', 'forbidden')).toBeUndefined();
    expect(parsed).not.toContain('server/users.ts');
    expect(links.lookup(from, './server', 'findUser')).toBeUndefined();
    expect(at(links.definition(from, './server', 'findUser'))).toEqual({
      file: 'server/users.ts',
      name: 'findUser',
    });
  });
});
