import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 52, trials52. Elysia answers 403 for the status name 'Forbidden' (`set.status = 'Forbidden'`,
// `status('Forbidden')`). In a hook whose file does not import Elysia (declared apart and handed to
// `.onBeforeHandle(admin)` in another file), no module claims the form, and the name was counted as a text
// (not an emit, kind string): the run read clean. It is now manual naming the slot.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-status-names-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

const PACKAGE = JSON.stringify({ name: 'p', dependencies: { elysia: '^1' } });
const APP =
  "import { Elysia } from 'elysia';\nimport { admin } from './admin';\nexport const app = new Elysia().onBeforeHandle(admin).get('/a', () => 'ok');\n";

/** Each spelling of the hook: the file `src/admin.*` and the slot its reason names. */
const HOOKS: [string, string, string][] = [
  [
    'ctx.set.status (ESM, untyped)',
    'src/admin.js',
    "export const admin = async (ctx) => {\n  if (!ctx.user) {\n    ctx.set.status = 'Forbidden';\n    return 'no';\n  }\n};\n",
  ],
  [
    'destructured set (TypeScript)',
    'src/admin.ts',
    "export function admin({ set, user }: { set: { status?: number | string }; user?: string }) {\n  if (!user) set.status = ('Forbidden' as const);\n}\n",
  ],
  [
    "set['status'] (CommonJS)",
    'src/admin.js',
    "function admin(context) {\n  if (!context.user) context.set['status'] = 'Forbidden';\n}\nmodule.exports = { admin };\n",
  ],
  [
    'status helper',
    'src/admin.ts',
    "export const admin = ({ status, user }: { status: (s: string, b?: string) => unknown; user?: string }) =>\n  user ? undefined : status('Forbidden', 'no');\n",
  ],
  [
    'ctx.error helper',
    'src/admin.js',
    'export const admin = (ctx) => (ctx.user ? undefined : ctx.error(`Forbidden`));\n',
  ],
];

describe("the status name 'Forbidden' in a form no module claims", () => {
  for (const [shape, file, text] of HOOKS)
    it(`${shape}: manual naming the slot, never a text`, async () => {
      const cwd = project({ 'package.json': PACKAGE, 'src/app.ts': APP, [file]: text });
      const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', explain: true });
      const named = report.sites.filter(
        (s) =>
          s.file === file &&
          s.action === 'manual' &&
          /The status name .Forbidden. given to/.test(s.reason ?? ''),
      );
      expect(named).toHaveLength(1);
      expect(named[0]?.reason).toContain("change it to 'Unauthorized' (401) by hand");
      expect((report.notAnEmit ?? []).filter((n) => n.file === file && /Forbidden/.test(n.text))).toEqual([]);
    });

  it('a message, a logged name and a name beside no status slot stay texts', async () => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/app.ts': APP,
      'src/admin.js':
        "export const admin = (ctx) => {\n  console.error('Forbidden');\n  ctx.set.status = 'Forbidden: admins only';\n  ctx.body = { title: 'Forbidden' };\n};\n",
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', explain: true });
    expect(report.sites.filter((s) => /The status name/.test(s.reason ?? ''))).toEqual([]);
  });
});
