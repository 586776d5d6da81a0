import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { READ_AHEAD_MIN_FILES } from '../../src/migrate/read-ahead.js';
import { runCli, tempProject } from '../helpers/cli.js';

// The outside-import pass (workspace-scan.ts) takes a file's specifiers from the thread that read it
// (read-ahead.ts `ReadFile.imports`) instead of reading its text again. On a tree big enough for the reading
// thread, both readers (the API's read-ahead thread, the CLI's sources thread) must still find the importers of a
// 403 class fixed outside the run, whatever spelling names the module, and nothing else.
const FILLERS = READ_AHEAD_MIN_FILES + 40;

function project(): string {
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*', 'apps/*'] }),
    'packages/shared/package.json': JSON.stringify({ name: '@acme/shared', main: 'dist/index.js' }),
    'packages/shared/src/index.ts': "export * from './errors';\n",
    'packages/shared/src/errors.ts':
      'export class HttpError extends Error {\n  status = 500;\n}\nexport class PermissionError extends HttpError {\n  status = 403;\n}\n',
    'apps/api/package.json': JSON.stringify({
      name: 'api',
      dependencies: { '@acme/shared': 'workspace:*', express: '*' },
    }),
    // Importers far down the list, each spelling of the module: ES import, require, re-export + use, dynamic import.
    'apps/api/src/z1.ts':
      "import { PermissionError } from '@acme/shared';\nexport const a = (ok: boolean) => {\n  if (!ok) throw new PermissionError();\n};\n",
    'apps/api/src/z2.js':
      "const { PermissionError } = require('@acme/shared');\nexports.b = (ok) => {\n  if (!ok) throw new PermissionError();\n};\n",
    'apps/api/src/z3.ts':
      "import * as shared from '../../../packages/shared/src';\nexport const c = (ok: boolean) => {\n  if (!ok) throw new shared.PermissionError();\n};\n",
    // Imports the package but not the 403 class: not an importer.
    'apps/api/src/z4.ts':
      "import { HttpError } from '@acme/shared';\nexport const d = () => {\n  throw new HttpError();\n};\n",
  };
  for (let i = 0; i < FILLERS; i++)
    files[`apps/api/src/f${String(i).padStart(3, '0')}.ts`] =
      `import express from 'express';\nimport { x } from './f000';\nexport const v${i} = express;\n`;
  return tempProject(files);
}

const expected = [
  expect.stringMatching(/^apps\/api\/src\/z1\.ts:3 manual PermissionError answers 403 wherever it is thrown/),
  expect.stringMatching(/^apps\/api\/src\/z2\.js:3 manual PermissionError answers 403 wherever it is thrown/),
  expect.stringMatching(
    /^apps\/api\/src\/z3\.ts:3 manual shared\.PermissionError answers 403 wherever it is thrown/,
  ),
];

describe('importers of a 403 class fixed outside the run, on a tree the reading thread reads', () => {
  it('through the API (the texts are read in process for the test-folder rules)', async () => {
    const cwd = project();
    const { report } = await migrate({ cwd, paths: ['apps/api/src'], status: 401, mode: 'dry-run' });
    expect(report.sites.map((s) => `${s.file}:${s.line} ${s.action} ${s.reason ?? ''}`)).toEqual(expected);
  });

  it('through the CLI (sources thread)', () => {
    const cwd = project();
    const run = runCli(['migrate', '--dry-run', '--json', '--force', 'apps/api/src'], { cwd });
    const report = JSON.parse(run.stdout) as {
      sites: { file: string; line: number; action: string; reason?: string }[];
    };
    expect(report.sites.map((s) => `${s.file}:${s.line} ${s.action} ${s.reason ?? ''}`)).toEqual(expected);
  });
});
