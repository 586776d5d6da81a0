import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { moduleExports } from '../../src/migrate/declarations.js';
import type { ImportBinding } from '../../src/migrate/imports.js';
import { ProjectLinks } from '../../src/migrate/links.js';
import { parseSource } from '../../src/migrate/parse.js';
import { declaresPlainCall, plainlyDeclaredNames } from '../../src/migrate/plain-declarations.js';
import { ModuleResolver } from '../../src/migrate/resolve.js';

// Session 45: a module imported only to look one name up (`import { router0 } from './routes/module0'`) is not
// parsed when its text shows that name declared by a plain call and used only as a member's owner. Every row
// that answers true must read, parsed, as declared there with no status value and no module handed on whole.
const ROWS: { name: string; text: string; plain: boolean }[] = [
  {
    name: 'router0',
    text: "import { Router } from 'express';\nexport const router0 = Router();\nrouter0.get('/a', h);\n",
    plain: true,
  },
  { name: 'app', text: 'export const app = new Hono();\napp?.use(x);\n', plain: true },
  {
    name: 'api',
    text: "export let api = express.Router({ strict: true });\napi\n  .get('/', h);\n",
    plain: true,
  },
  { name: 'typed', text: 'export const typed: Router = Router();\n', plain: true },
  // Functions: `async (…) =>` and `function (…)` read as a call's head, and neither is a status value either.
  { name: 'f', text: 'export const f = async (code: number) => code;\n', plain: true },
  { name: 'g', text: 'export const g = function (code) {\n  return code;\n};\n', plain: true },
  // Comments naming `module 0` are no namespace.
  { name: 'r', text: '// Handler of module 0\nexport const r = Router();\n', plain: true },
  // A value declarations.ts reads: a number, a table, a frozen table, an import, a copy.
  { name: 'DENIED', text: 'export const DENIED = 403;\n', plain: false },
  { name: 'Codes', text: 'export const Codes = Object.freeze({ DENIED: 403 });\n', plain: false },
  { name: 'Codes', text: 'export const Codes = Object . assign({}, { DENIED: 403 });\n', plain: false },
  { name: 'codes', text: "export const codes = require('./codes');\n", plain: false },
  {
    name: 'D',
    text: "import { FORBIDDEN } from 'http-status-codes';\nexport const D = FORBIDDEN;\n",
    plain: false,
  },
  // Named again elsewhere: an export list, a rename, an argument, a comment, a string, a reassignment.
  { name: 'r', text: 'export const r = Router();\nexport { r as routes };\n', plain: false },
  { name: 'r', text: 'export const r = Router();\nuse(r);\n', plain: false },
  { name: 'r', text: 'export const r = Router();\n// r is the router\n', plain: false },
  { name: 'r', text: 'let r2 = 1;\nexport let r = Router();\nr = 403;\n', plain: false },
  { name: 'r', text: 'export const r = Router();\nexport default r;\n', plain: false },
  { name: 'r', text: 'export const r = Router();\nx.r.y = 1;\n', plain: false },
  // Declared twice, or in a list with others, or not at the start of a statement.
  { name: 'r', text: 'export const a = f(), r = 403;\n', plain: false },
  { name: 'r', text: 'export const r = Router();\nexport const r = Router();\n', plain: false },
  // Modules whose exports this test does not see: stars, CommonJS, `export =`, namespaces, ambient declarations.
  { name: 'r', text: "export const r = Router();\nexport * from './codes';\n", plain: false },
  { name: 'r', text: 'export const r = Router();\nmodule.exports.DENIED = 403;\n', plain: false },
  { name: 'r', text: 'export const r = Router();\nexport = { DENIED: 403 };\n', plain: false },
  { name: 'r', text: 'namespace N {\n  export const r = Router();\n}\n', plain: false },
  { name: 'r', text: "declare module 'x' {\n  export const r = Router();\n}\n", plain: false },
  { name: 'r', text: 'module Legacy {\n  export const r = Router();\n}\n', plain: false },
  // A type annotation holding `=` is not read.
  { name: 'r', text: 'export const r: Map<string, A = B> = Router();\n', plain: false },
  { name: 'default', text: 'export const x = Router();\n', plain: false },
  { name: 'absent', text: 'export const x = Router();\n', plain: false },
  // Session 49 (left49b): a call passing a status may make an error class of it (analysis/class-factories.ts).
  { name: 'Denied', text: "import { make } from './h';\nexport const Denied = make(403);\n", plain: false },
  { name: 'Locked', text: "export const Locked = make('locked', 423, true);\n", plain: false },
  {
    name: 'Gone',
    text: "import { StatusCodes } from 'http-status-codes';\nexport const Gone = make(StatusCodes.FORBIDDEN);\n",
    plain: false,
  },
  { name: 'limit', text: 'export const limit = rateLimit({ max: 1000 });\n', plain: true },
  // Session 50: a status another module exports (declarations.ts `classOfImportedStatus`).
  { name: 'Denied', text: "export const Denied = make(codes.DENIED, 'x');\n", plain: false },
  { name: 'Denied', text: 'export const Denied = make(DENIED);\n', plain: false },
  { name: 'Denied', text: "export const Denied = make('x', DENIED);\n", plain: false },
];

describe('declaresPlainCall', () => {
  it.each(ROWS)('$name in $text -> $plain', ({ name, text, plain }) => {
    expect(declaresPlainCall(text, name)).toBe(plain);
    if (!plain) return;
    const exports = moduleExports(parseSource('m.ts', text));
    expect(exports.declared.has(name)).toBe(true);
    expect(exports.names.has(name)).toBe(false);
    expect(exports.names.has('*')).toBe(false);
    expect(exports.stars).toEqual([]);
  });
});

// Session 48: the reading thread lists each file's plainly declared names as it reads it, so that the question
// above is answered without reading the file a second time on the main thread. The list is the same answer.
describe('plainlyDeclaredNames', () => {
  it.each(ROWS)('lists $name of $text exactly when declaresPlainCall is $plain', ({ name, text, plain }) => {
    expect(plainlyDeclaredNames(text).includes(name)).toBe(plain);
    for (const listed of plainlyDeclaredNames(text)) expect(declaresPlainCall(text, listed)).toBe(true);
  });

  it('lists every such name of a module once, and none of a module whose exports it cannot see', () => {
    const text =
      'export const a = Router();\nexport let b = new Hono();\nexport const DENIED = 403;\n' +
      'export var c = express.Router();\nexport const d = f();\nuse(d);\nb.get(x);\n';
    expect(plainlyDeclaredNames(text)).toEqual(['a', 'b', 'c']);
    expect(plainlyDeclaredNames(`${text}export * from './codes';\n`)).toEqual([]);
    expect(plainlyDeclaredNames('const a = Router();\n')).toEqual([]);
  });
});

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('links: a name plainly declared is looked up without parsing its module', () => {
  it('answers value, origin and definition as the parsed module does, parsing only the others', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-plain-'));
    temps.push(cwd);
    const files: Record<string, string> = {
      'routes/a.ts': "import { Router } from 'express';\nexport const a = Router();\na.get('/', h);\n",
      'routes/b.ts':
        "import { Router } from 'express';\nexport const b = Router();\nexport { b as other };\n",
      'codes.ts': 'export const DENIED = 403;\n',
      'app.ts':
        "import { a } from './routes/a';\nimport { b } from './routes/b';\nimport { DENIED } from './codes';\n",
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
      writeFileSync(path.join(cwd, name), text);
    }
    const parsed: string[] = [];
    const links = new ProjectLinks(new ModuleResolver(), (absolute) => {
      parsed.push(path.relative(cwd, absolute).split(path.sep).join('/'));
      return parseSource(absolute, readFileSync(absolute, 'utf8'));
    });
    const from = path.join(cwd, 'app.ts');
    const link = links.forFile(from);
    const binding = (name: string, module: string): ImportBinding => ({
      name,
      module,
      specifierStart: 0,
      specifierEnd: 0,
    });
    expect(link.constant(binding('a', './routes/a'))).toBeUndefined();
    expect(link.origin?.(binding('a', './routes/a'))).toBeUndefined();
    expect(links.definition(from, './routes/a', 'a')).toEqual({
      file: path.join(cwd, 'routes/a.ts'),
      name: 'a',
    });
    expect(link.constant(binding('b', './routes/b'))).toBeUndefined();
    expect(link.constant(binding('DENIED', './codes'))?.value).toBe(403);
    expect(parsed.sort()).toEqual(['codes.ts', 'routes/b.ts']);
  });

  it('takes the names a reading thread noted for a file instead of reading it again', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-plain-noted-'));
    temps.push(cwd);
    mkdirSync(path.join(cwd, 'routes'));
    writeFileSync(path.join(cwd, 'routes/a.ts'), 'export const a = Router();\n');
    writeFileSync(path.join(cwd, 'app.ts'), "import { a } from './routes/a';\n");
    const read: string[] = [];
    const parsed: string[] = [];
    const links = new ProjectLinks(
      new ModuleResolver(),
      (absolute) => {
        parsed.push(path.basename(absolute));
        return parseSource(absolute, readFileSync(absolute, 'utf8'));
      },
      undefined,
      (absolute) => {
        read.push(path.basename(absolute));
        return readFileSync(absolute, 'utf8');
      },
    );
    links.notePlainExports(path.join(cwd, 'routes/a.ts'), ['a']);
    const link = links.forFile(path.join(cwd, 'app.ts'));
    const binding = { name: 'a', module: './routes/a', specifierStart: 0, specifierEnd: 0 };
    expect(link.constant(binding)).toBeUndefined();
    expect(read).toEqual([]);
    expect(parsed).toEqual([]);
    // A name the note does not list is one the text does not declare plainly: the module is parsed.
    expect(link.constant({ ...binding, name: 'other' })).toBeUndefined();
    expect(read).toEqual([]);
    expect(parsed).toEqual(['a.ts']);
  });
});
