import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// breaker50: two of three Sails apps tried (YazanRawashdeh/yardk-sails, jcharrell/sailsjs-api-boilerplate) have
// their own api/responses/unauthorized.js, and every res.forbidden() was told "Sails has no built-in response for
// 401: add api/responses/unauthorized.js". Where the app has one, the reason names it and says to call it (never
// rewritten: an app's own response may redirect a browser); the shared forbidden.js names it too.

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>, status = 401): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-sails-'));
  temps.push(cwd);
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'p', dependencies: { sails: '*' } }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, status, mode: 'dry-run' })).report;
}

const POLICY = `module.exports = async function (req, res, proceed) {\n  if (!req.me.isAdmin) return res.forbidden();\n  return proceed();\n};\n`;
const FORBIDDEN = `module.exports = function forbidden() {\n  return this.res.status(403).send('Forbidden');\n};\n`;

function reasonAt(report: MigrateReport, file: string): string {
  return report.sites.find((s) => s.file === file)?.reason ?? '';
}

describe("a Sails app's own response for the agreed status", () => {
  it.each(['js', 'ts'])(
    'api/responses/unauthorized.%s is named at res.forbidden() and in forbidden.js',
    async (ext) => {
      const report = await run({
        'api/policies/is-admin.js': POLICY,
        'api/responses/forbidden.js': FORBIDDEN,
        [`api/responses/unauthorized.${ext}`]: `module.exports = function unauthorized() {\n  return this.res.sendStatus(401);\n};\n`,
      });
      expect(reasonAt(report, 'api/policies/is-admin.js')).toContain(
        `this app has its own (api/responses/unauthorized.${ext}): on mTLS routes call res.unauthorized() here`,
      );
      expect(reasonAt(report, 'api/responses/forbidden.js')).toContain(
        `Use the app's own api/responses/unauthorized.${ext} (res.unauthorized()) on mTLS routes`,
      );
      expect(report.summary.rewritten).toBe(0);
    },
  );

  it('an app without one is told to add it, as before', async () => {
    const report = await run({ 'api/policies/is-admin.js': POLICY, 'api/responses/forbidden.js': FORBIDDEN });
    expect(reasonAt(report, 'api/policies/is-admin.js')).toContain('add api/responses/unauthorized.js');
    expect(reasonAt(report, 'api/responses/forbidden.js')).toContain('Add a sibling response for 401');
  });

  it('a target Sails has built in (404) is still rewritten to res.notFound()', async () => {
    const report = await run(
      { 'api/policies/is-admin.js': POLICY, 'api/responses/notFound.js': FORBIDDEN.replace('403', '404') },
      404,
    );
    expect(report.sites.find((s) => s.file === 'api/policies/is-admin.js')?.replacement).toBe(
      'res.notFound()',
    );
  });
});
