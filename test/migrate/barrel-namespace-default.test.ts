import { rmSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

// Session 38 (breaker38 01, nocobase @ 916a11c0, packages/core/actions): a helper called through a default export
// that is a namespace import of a barrel (`import * as actions from './actions'; export default actions;` then
// `actions.deny(ctx, 403)`) crashed every run, exit 2 "Invalid regular expression": the namespace's name '*' was
// looked for through the barrel's `export *` in a module whose text holds a `*` (a doc comment), and written into a
// RegExp unescaped. `export *` hands on no namespace (nor a default export), and a name is escaped.

describe('migrate: a helper called through a default-exported namespace of a barrel', () => {
  it('runs to its report, naming the call, and a module of the barrel holding a `*` does not crash it', async () => {
    const dir = tempProject({
      'package.json': '{"name":"r01","dependencies":{"koa":"^2"}}',
      'src/actions/list.ts': '/** Lists things. */\nexport function list() { return []; }\n',
      'src/actions/deny.ts':
        'export function deny(ctx: { throw(s: number): never }, status: number) {\n  ctx.throw(status);\n}\n',
      'src/actions/index.ts': "export * from './list';\nexport * from './deny';\n",
      'src/lib.ts': "import * as actions from './actions';\nexport default actions;\n",
      'src/app.ts':
        "import Koa from 'koa';\nimport actions from './lib';\nconst app = new Koa();\n" +
        'app.use(async (ctx) => actions.deny(ctx, 403));\n',
    });
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const run = await runCliAsync(['migrate', '--json', '--dry-run', 'src'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { sites: { file: string; line: number; action: string }[] };
    // The call passing 403 is never silent: named where it is written (and the helper at its status).
    expect(report.sites.map((s) => `${s.file}:${s.line}`)).toContain('src/app.ts:4');
  });
});
