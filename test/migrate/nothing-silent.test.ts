import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateOptions, MigrateReport } from '../../src/migrate/types.js';

// "A result that reads clean must mean clean" (nt): scenarios on small projects written to a temp folder, each
// checking what the report says about a shape that used to be reported wrongly or not at all.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (relative path -> text) with a package.json naming `dependencies`, runs a dry run. */
async function run(
  files: Record<string, string>,
  dependencies: string[] = ['express'],
  options: Partial<MigrateOptions> = {},
): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-nt-'));
  temps.push(cwd);
  const pkg = { name: 'p', dependencies: Object.fromEntries(dependencies.map((d) => [d, '*'])) };
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify(pkg));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run', ...options })).report;
}

describe('JSON replacement shows what changes', () => {
  it.each([
    [
      'a local constant rewritten where it is declared',
      "import type { Response } from 'express';\nexport function deny(res: Response, ok: boolean) {\n  const code = ok ? 200 : 403;\n  res.status(code).end();\n}\n",
      'line 3: const code = ok ? 200 : 401;',
    ],
    [
      'a variable assigned 403 on one branch',
      "import type { Response } from 'express';\nexport function deny(res: Response, ok: boolean) {\n  let code = 200;\n  if (!ok) code = 403;\n  res.sendStatus(code);\n}\n",
      'line 4: if (!ok) code = 401;',
    ],
  ])('%s', async (_name, text, replacement) => {
    const report = await run({ 'src/a.ts': text });
    expect(report.sites.map((s) => [s.action, s.replacement])).toEqual([['would-rewrite', replacement]]);
  });

  it('a form that changes itself keeps its replacement as before', async () => {
    const report = await run({
      'src/a.ts':
        "import type { Response } from 'express';\nexport const f = (res: Response) => res.status(403).end();\n",
    });
    expect(report.sites.map((s) => s.replacement)).toEqual(['res.status(401)']);
  });
});
