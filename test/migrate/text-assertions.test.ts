import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// `--include-tests`: an assertion on a text that holds the status (`expect(line).toMatch(/^403 /)`,
// `assert.match(out, /403/)`, `expect(msg).toContain('403')`) checks the 403 as surely as `.toBe(403)` does, but
// mtls-fix does not rewrite texts: each is a manual item, never "not an emit" (growthbook's permission tests).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-ta-'));
  temps.push(cwd);
  writeFileSync(
    path.join(cwd, 'package.json'),
    JSON.stringify({ name: 'p', dependencies: { express: '*' } }),
  );
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run', includeTests: true })).report;
}

const SERVER =
  "import express from 'express';\nexport const app = express();\napp.get('/a', (req, res) => res.sendStatus(200));\n";

describe('assertions on a text holding 403 are listed', () => {
  it.each([
    ['jest toMatch with a regular expression', 'expect(`${res.status} ${res.text}`).toMatch(/^403 /);'],
    ['jest toContain with a string', "expect(line).toContain('403 Forbidden');"],
    ['vitest expect.soft with a template', 'expect.soft(summary).toEqual(`403 for ${user}`);'],
    ['node:assert match', 'assert.match(output, /status 403/);'],
    ['chai expect to.match', 'chai.expect(text).to.match(/403/);'],
    ['chai assert.include', "assert.include(message, '403');"],
  ])('%s', async (_name, line) => {
    const report = await run({
      'src/app.ts': SERVER,
      'test/app.test.ts': `import assert from 'node:assert';\nit('denies', async () => {\n  ${line}\n});\n`,
    });
    const manual = report.sites.filter((s) => s.file === 'test/app.test.ts');
    expect(manual.map((s) => [s.action, s.line])).toEqual([['manual', 3]]);
    expect(manual[0].reason).toMatch(/asserts on a text that holds 403/);
  });

  it('a 403 text outside an assertion stays "not an emit"', async () => {
    const report = await run({
      'src/app.ts': SERVER,
      'test/app.test.ts':
        "it('labels', () => {\n  const label = 'error 403 page';\n  expect(label).toBeDefined();\n});\n",
    });
    expect(report.sites.filter((s) => s.file === 'test/app.test.ts')).toEqual([]);
  });
});
