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
  expect(report.sites.filter((s) => s.action !== 'rewritten')).toEqual([]);
  const app = readFileSync(path.join(cwd, 'src/app.ts'), 'utf8');
  expect(app).toContain("import './constants';\n");
  expect(app).toContain('const code = 401;');
  expect(app).toContain('const opts = { status: 401 };');
  expect(app).not.toContain('403');
  expect(typeErrors(cwd)).toEqual([]);
});
