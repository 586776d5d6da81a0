import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// A 403 fixed in a module the run does not scan (a workspace package, a folder above the scanned one): its
// throw sites in a file with no 403 text of its own were never read (phase 2 of the prefilter took names from
// analysed files only). Each case but the last (a guard) lists no site on 0c33c5f.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>, paths: string[]): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-or-'));
  temps.push(cwd);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, paths, status: 401, mode: 'dry-run' })).report;
}

/** `file:line action reason` of every site. */
function sites(report: MigrateReport): string[] {
  return report.sites.map((s) => `${s.file}:${s.line} ${s.action} ${s.reason ?? ''}`);
}

const workspace = {
  'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*', 'apps/*'] }),
  'packages/shared/package.json': JSON.stringify({ name: '@acme/shared', main: 'dist/index.js' }),
  'packages/shared/src/index.ts': "export * from './util';\n",
  'packages/shared/src/util/index.ts': "export * from './strings';\nexport * from './errors';\n",
  'packages/shared/src/util/strings.ts': 'export const trim = (s: string) => s.trim();\n',
  'packages/shared/src/util/errors.ts':
    'export class HttpError extends Error {\n  status = 500;\n}\nexport class PermissionError extends HttpError {\n  status = 403;\n}\n',
  'apps/api/package.json': JSON.stringify({
    name: 'api',
    dependencies: { '@acme/shared': 'workspace:*', express: '*' },
  }),
};

describe('a 403 class fixed outside the run, thrown in a file with no 403 text', () => {
  it.each([
    ['an ES import from a workspace package', "import { PermissionError } from '@acme/shared';\n"],
    ['a require of a workspace package', "const { PermissionError } = require('@acme/shared');\n"],
  ])('%s', async (_name, head) => {
    const report = await run(
      {
        ...workspace,
        'apps/api/src/items.ts': `${head}export function remove(admin: boolean) {\n  if (!admin) throw new PermissionError();\n}\n`,
      },
      ['apps/api/src'],
    );
    expect(sites(report)).toEqual([
      expect.stringMatching(
        /^apps\/api\/src\/items\.ts:3 manual PermissionError answers 403 wherever it is thrown \(its status is set in packages\/shared\/src\/util\/errors\.ts:4, outside this run\)/,
      ),
    ]);
  });

  it('a folder above the scanned one: a namespace import, a default export, a destructured require', async () => {
    const report = await run(
      {
        'package.json': JSON.stringify({ name: 'p', dependencies: { express: '*' } }),
        'src/lib/errors.ts':
          'export class Denied extends Error {\n  constructor(m: string) {\n    super(m);\n  }\n  statusCode = 403;\n}\n',
        'src/lib/denied.js':
          "class NoAccess extends Error {\n  constructor() {\n    super('no');\n    this.status = 403;\n  }\n}\nmodule.exports = NoAccess;\n",
        'src/api/a.ts':
          "import * as errors from '../lib/errors';\nexport function a(ok: boolean) {\n  if (!ok) throw new errors.Denied('no');\n}\n",
        'src/api/b.js':
          "const Refused = require('../lib/denied');\nconst { Denied } = require('../lib/errors');\nexports.b = (ok) => {\n  if (!ok) throw new Refused();\n  if (ok === 2) throw new Denied('x');\n};\n",
      },
      ['src/api'],
    );
    expect(sites(report).map((s) => s.replace(/\): on an mTLS route.*$/, ')'))).toEqual([
      'src/api/a.ts:3 manual errors.Denied answers 403 wherever it is thrown (its status is set in src/lib/errors.ts:1, outside this run)',
      'src/api/b.js:4 manual Refused answers 403 wherever it is thrown (its status is set in src/lib/denied.js:1, outside this run)',
      'src/api/b.js:5 manual Denied answers 403 wherever it is thrown (its status is set in src/lib/errors.ts:1, outside this run)',
    ]);
  });

  it('the same class in the run reads as before (declared in …), with no outside note', async () => {
    const report = await run(
      {
        ...workspace,
        'apps/api/src/items.ts':
          "import { PermissionError } from '@acme/shared';\nexport const f = () => {\n  throw new PermissionError();\n};\n",
      },
      ['.'],
    );
    expect(sites(report)).toContainEqual(
      expect.stringMatching(
        /^apps\/api\/src\/items\.ts:3 manual PermissionError answers 403 wherever it is thrown \(declared in packages\/shared\/src\/util\/errors\.ts:4\)/,
      ),
    );
  });
});

describe('an outside declaration that answers 403 from inside, imported by the run', () => {
  // growthbook: `context.permissions.throwPermissionError()` 619 times in packages/back-end, the method in
  // packages/shared; nothing named it when only back-end was scanned. Each case lists no site on 0c33c5f.
  it('a class whose method throws the 403 class, through a barrel of a workspace package', async () => {
    const report = await run(
      {
        ...workspace,
        'packages/shared/src/index.ts': "export * from './util';\nexport * from './permissions';\n",
        'packages/shared/src/permissions.ts':
          "import { PermissionError } from './util/errors';\nexport class Permissions {\n  check(ok: boolean) {\n    if (!ok) this.deny();\n  }\n  deny(): never {\n    throw new PermissionError();\n  }\n}\n",
        'apps/api/src/context.ts':
          "import { Permissions, trim } from '@acme/shared';\nexport const context = { permissions: new Permissions(), name: trim(' a ') };\n",
        'apps/api/src/route.ts':
          "import { context } from './context';\nexport const remove = () => context.permissions.check(false);\n",
      },
      ['apps/api/src'],
    );
    expect(sites(report)).toEqual([
      expect.stringMatching(
        /^apps\/api\/src\/context\.ts:1 manual Permissions \(imported from '@acme\/shared'\) throws PermissionError \(a 403 class\) at packages\/shared\/src\/permissions\.ts:7, outside this run: its callers here answer 403/,
      ),
    ]);
  });

  it('a CommonJS function holding a 403, required from a folder above', async () => {
    const report = await run(
      {
        'package.json': JSON.stringify({ name: 'p', dependencies: { express: '*' } }),
        'src/lib/auth.js':
          'exports.deny = function (res) {\n  res.status(403).end();\n};\nexports.trim = (s) => s.trim();\n',
        'src/api/r.js':
          "const { deny, trim } = require('../lib/auth');\nmodule.exports = (req, res) => (req.ok ? res.send(trim(req.q)) : deny(res));\n",
      },
      ['src/api'],
    );
    expect(sites(report)).toEqual([
      expect.stringMatching(
        /^src\/api\/r\.js:1 manual deny \(imported from '\.\.\/lib\/auth'\) holds a 403 form \(403\) at src\/lib\/auth\.js:2, outside this run/,
      ),
    ]);
  });
});
