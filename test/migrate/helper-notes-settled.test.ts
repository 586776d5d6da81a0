import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateOptions, MigrateReport } from '../../src/migrate/types.js';
import { tempDirs } from '../helpers/temp-dirs.js';

// house37b: a shared helper's note was worded when the helper calls were matched (run-helpers.ts), before the run
// decided them: under --include-tests it said "2 calls ... rewritten (src/app.js:8, test/app.test.js:11)" though
// the test's own call was then demoted to a test fixture, and an ignored call was counted as rewritten. It now
// counts the calls the run rewrote (analysis/helper-notes.ts, settled again in engine.ts).
const follow = path.resolve(import.meta.dirname, '../fixtures/follow');
const { temp, copy } = tempDirs('helper-settled');

async function noteOf(cwd: string, options: Partial<MigrateOptions> = {}): Promise<string> {
  const report: MigrateReport = (await migrate({ cwd, status: 401, mode: 'dry-run', ...options })).report;
  return report.sites.find((s) => (s.reason ?? '').startsWith('Shared helper'))?.reason ?? '';
}

const HELPER = 'export function deny(res, status, message) {\n  res.status(status).json({ message });\n}\n';

function project(files: Record<string, string>): string {
  const dependencies = { express: '*', vitest: '*' };
  const manifest = JSON.stringify({ name: 'p', dependencies });
  return temp({ 'package.json': manifest, 'src/respond.js': HELPER, ...files });
}

describe('a shared helper note counts the calls the run rewrote', () => {
  it('--include-tests: a test calling the helper to build its own reply is no rewritten call', async () => {
    const cwd = copy(path.join(follow, 'aside-parity'));
    const note = await noteOf(cwd, { includeTests: true });
    expect(note).toContain('The 1 call passing 403 that this run links to it is rewritten (src/app.js:8);');
    expect(note).toContain('1 more linked call is not rewritten (test/app.test.js:11: a test');
    // The plain run reads the test aside: its call is no call of the run.
    expect(await noteOf(cwd)).toBe(
      "Shared helper: the status comes from its caller (parameter 'status'). The 1 call passing 403 that this run links to it is rewritten (src/app.js:8); check the other callers and any default value.",
    );
  });

  it('only a test calls it: none is rewritten through it', async () => {
    const cwd = project({
      'test/deny.test.js':
        "import { expect, it, vi } from 'vitest';\nimport { deny } from '../src/respond.js';\n\nit('answers', () => {\n  const res = { status: vi.fn().mockReturnThis(), json: vi.fn() };\n  deny(res, 403, 'no');\n  expect(res.status).toHaveBeenCalledWith(403);\n});\n",
      'src/app.js':
        "import { deny } from './respond.js';\n\nexport const other = (res) => deny(res, 400, 'bad');\n",
    });
    const note = await noteOf(cwd, { includeTests: true });
    expect(note).toContain(
      'The 1 call passing 403 that this run links to it is not rewritten (test/deny.test.js:6: a test',
    );
    expect(note).toContain('None is rewritten through it');
    expect(note).not.toMatch(/is rewritten \(/);
  });

  it('a call marked mtls-fix-ignore is no rewritten call', async () => {
    const cwd = project({
      'src/app.js':
        "import express from 'express';\nimport { deny } from './respond.js';\n\nconst app = express();\napp.get('/a', (req, res) => deny(res, 403, 'a'));\napp.get('/b', (req, res) => {\n  // mtls-fix-ignore: the upstream's own refusal\n  deny(res, 403, 'b');\n});\n",
    });
    const note = await noteOf(cwd);
    expect(note).toContain('The 1 call passing 403 that this run links to it is rewritten (src/app.js:5);');
    expect(note).toContain('1 more linked call is not rewritten (src/app.js:8:');
  });
});
