import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// A status written through a name (session 26): `const code = 403; res.status(code)` became `res.status(401)`
// beside an unread `const code = 403` (TS6133 under noUnusedLocals), and `Http.Forbidden` / `STATUS.denied` of
// an imported enum or object became 401 beside an unused import. Now a constant only rewritten reads use keeps
// its name with the new value, and an import left unused is dropped: the output type-checks.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const head =
  'type Res = { status(code: number): Res; end(): void };\ntype Req = { user?: string };\n' +
  'declare const app: { get(path: string, h: (req: Req, res: Res) => void): void };\n';

function typeErrors(cwd: string): string[] {
  const files = ['src/app.ts', 'src/constants.ts'].map((f) => path.join(cwd, f));
  const program = ts.createProgram(files, {
    strict: true,
    noUnusedLocals: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) => `${d.file?.fileName ?? ''} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    );
}

it('keeps names and leaves no unused declaration or import under noUnusedLocals', async () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-kn-'));
  temps.push(cwd);
  writeFileSync(
    path.join(cwd, 'package.json'),
    JSON.stringify({ name: 'p', dependencies: { express: '*' } }),
  );
  mkdirSync(path.join(cwd, 'src'));
  writeFileSync(
    path.join(cwd, 'src/constants.ts'),
    'export const FORBIDDEN_STATUS = 403;\nexport enum Http {\n  Ok = 200,\n  Forbidden = 403,\n}\n' +
      'export const STATUS = { denied: 403, ok: 200 } as const;\n',
  );
  writeFileSync(
    path.join(cwd, 'src/app.ts'),
    `${head}import { FORBIDDEN_STATUS, Http, STATUS } from './constants';\n` +
      "app.get('/1', (req, res) => res.status(FORBIDDEN_STATUS).end());\n" +
      "app.get('/2', (req, res) => res.status(Http.Forbidden).end());\n" +
      "app.get('/3', (req, res) => res.status(STATUS.denied).end());\n" +
      "app.get('/4', (req, res) => {\n  const code = 403;\n  if (!req.user) res.status(code).end();\n});\n" +
      "app.get('/5', (req, res) => {\n  const opts = { status: 403 };\n  res.status(opts.status).end();\n});\n",
  );
  expect(typeErrors(cwd)).toEqual([]);
  const { report } = await migrate({ cwd, status: 401, mode: 'write' });
  // The imported constant's only reader is inlined: its definition keeps 403 and nothing reads it any more, so
  // it is named (session 28), as a second run would name it. So are the enum member and the table entry whose
  // only reads are written as 401 (session 29): they have no 401 sibling to be renamed to.
  const named = ['src/constants.ts:1', 'src/constants.ts:4', 'src/constants.ts:6'];
  expect(report.sites.filter((s) => s.action !== 'rewritten').map((s) => `${s.file}:${s.line}`)).toEqual(
    named,
  );
  const second = await migrate({ cwd, status: 401, mode: 'check' });
  expect(second.report.sites.map((s) => `${s.file}:${s.line} ${s.action}`)).toEqual(
    named.map((n) => `${n} manual`),
  );
  const app = readFileSync(path.join(cwd, 'src/app.ts'), 'utf8');
  // Every name it imported was inlined: the import goes whole, never left as `import './constants';`, a
  // side-effect import the user never wrote (breaker30 #08, session 30).
  expect(app).not.toContain('./constants');
  expect(app).toContain('const code = 401;');
  expect(app).toContain('const opts = { status: 401 };');
  expect(app).not.toContain('403');
  expect(typeErrors(cwd)).toEqual([]);
});

// Session 27: a variable whose name says 403 had its uses inlined (`res.status(401)` beside an unread `const
// FORBIDDEN = 403`, TS6133) or, when the name was no status word the table knows (`FORBIDDEN_CODE`, `HTTP_403`,
// `kForbidden`), its value edited under a name that now lies (`const FORBIDDEN_CODE = 401`). Now such a variable,
// read only by rewritten statuses, is renamed with its value in its own spelling.
it('renames a variable whose name says 403 with its value', async () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-kn-'));
  temps.push(cwd);
  writeFileSync(
    path.join(cwd, 'package.json'),
    JSON.stringify({ name: 'p', dependencies: { express: '*' } }),
  );
  mkdirSync(path.join(cwd, 'src'));
  writeFileSync(path.join(cwd, 'src/constants.ts'), 'export const OK = 200;\n');
  writeFileSync(
    path.join(cwd, 'src/app.ts'),
    `${head}const FORBIDDEN = 403;\nconst FORBIDDEN_CODE = 403;\nconst HTTP_403 = 403;\n` +
      'const statusForbidden = 403;\nconst forbidden = 403;\nconst HTTP_FORBIDDEN = 403;\n' +
      "app.get('/1', (req, res) => res.status(FORBIDDEN).end());\n" +
      "app.get('/2', (req, res) => res.status(FORBIDDEN_CODE).end());\n" +
      "app.get('/3', (req, res) => res.status(HTTP_403).end());\n" +
      "app.get('/4', (req, res) => res.status(statusForbidden).end());\n" +
      "app.get('/5', (req, res) => res.status(forbidden).end());\n" +
      "app.get('/6', (req, res) => res.status(HTTP_FORBIDDEN).end());\n" +
      "app.get('/7', (req, res) => {\n  if (!req.user) res.status(HTTP_FORBIDDEN).end();\n});\n",
  );
  expect(typeErrors(cwd)).toEqual([]);
  const { report } = await migrate({ cwd, status: 401, mode: 'write' });
  expect(report.sites.filter((s) => s.action !== 'rewritten')).toEqual([]);
  const app = readFileSync(path.join(cwd, 'src/app.ts'), 'utf8');
  for (const [declared, read] of [
    ['const UNAUTHORIZED = 401;', 'res.status(UNAUTHORIZED)'],
    ['const UNAUTHORIZED_CODE = 401;', 'res.status(UNAUTHORIZED_CODE)'],
    ['const HTTP_401 = 401;', 'res.status(HTTP_401)'],
    ['const statusUnauthorized = 401;', 'res.status(statusUnauthorized)'],
    ['const unauthorized = 401;', 'res.status(unauthorized)'],
    ['const HTTP_UNAUTHORIZED = 401;', 'res.status(HTTP_UNAUTHORIZED)'],
  ]) {
    expect(app).toContain(declared);
    expect(app).toContain(read);
  }
  expect(app).not.toMatch(/403|forbidden/i);
  expect(typeErrors(cwd)).toEqual([]);
});

it('keeps a 403 name read elsewhere, or whose new name is taken: only the uses change', async () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-kn-'));
  temps.push(cwd);
  writeFileSync(
    path.join(cwd, 'package.json'),
    JSON.stringify({ name: 'p', dependencies: { express: '*' } }),
  );
  mkdirSync(path.join(cwd, 'src'));
  writeFileSync(path.join(cwd, 'src/constants.ts'), 'export const OK = 200;\n');
  writeFileSync(
    path.join(cwd, 'src/app.ts'),
    `${head}const FORBIDDEN_CODE = 403;\nexport const isDenied = (code: number) => code === FORBIDDEN_CODE;\n` +
      "app.get('/1', (req, res) => res.status(FORBIDDEN_CODE).end());\n",
  );
  const { report } = await migrate({ cwd, status: 401, mode: 'write' });
  expect(report.sites.map((s) => s.action)).toEqual(['rewritten']);
  const app = readFileSync(path.join(cwd, 'src/app.ts'), 'utf8');
  expect(app).toContain('const FORBIDDEN_CODE = 403;');
  expect(app).toContain('code === FORBIDDEN_CODE');
  expect(app).toContain('res.status(401)');
  expect(typeErrors(cwd)).toEqual([]);
});
