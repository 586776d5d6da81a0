import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/index.js';
import { runCli, tempProject } from '../helpers/cli.js';

// bknd (trials18): a package importing itself by name through a tsconfig path (`import type { T } from 'bknd'`)
// in a module that the package's index re-exports with `export type * from`, the module re-exporting the binding
// (`export type { T }`): each import started a fresh cycle guard, and every run that looked the name up (the test
// follower, --spec) ended in "Maximum call stack size exceeded", with no report at all.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const dir = tempProject({
    'package.json': JSON.stringify({ name: 'acme', dependencies: { hono: '^4' } }),
    'tsconfig.json': JSON.stringify({
      compilerOptions: { baseUrl: '.', paths: { acme: ['./src/index.ts'] } },
    }),
    'src/index.ts': [
      "export type * from './modules/api';",
      "export * from './modules/other';",
      "export { type PrimaryFieldType, config } from './core/config';",
      '',
    ].join('\n'),
    'src/core/config.ts': [
      'export type PrimaryFieldType = string | number;',
      "export const config = 'x';",
      '',
    ].join('\n'),
    // The same cycle with values and `export { x }` of an import, in CommonJS-free ESM.
    'src/modules/other.ts': ["import { config } from 'acme';", 'export { config as settings };', ''].join(
      '\n',
    ),
    'src/modules/api.ts': [
      "import type { PrimaryFieldType } from 'acme';",
      "import { settings } from 'acme';",
      "import { Hono } from 'hono';",
      'export type { PrimaryFieldType };',
      'export type Id = PrimaryFieldType;',
      'const app = new Hono();',
      "app.get('/items/:id', (c) => c.json({ error: settings }, 403));",
      'export default app;',
      '',
    ].join('\n'),
    'test/api.test.ts': [
      "import type { PrimaryFieldType } from 'acme';",
      "import app from '../src/modules/api';",
      "it('denies', async () => {",
      '  const id: PrimaryFieldType = 1;',
      '  const res = await app.request(`/items/${id}`);',
      '  expect(res.status).toBe(403);',
      '});',
      '',
    ].join('\n'),
    'openapi.yaml': [
      'openapi: 3.0.0',
      'info: { title: t, version: "1" }',
      'paths:',
      '  /items/{id}:',
      '    get:',
      '      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]',
      "      responses: { '200': { description: ok }, '403': { description: no } }",
      '',
    ].join('\n'),
  });
  temps.push(dir);
  return dir;
}

describe('re-export cycles through import bindings', () => {
  it('a run with --include-tests finishes: the handler and its test assertion are rewritten', async () => {
    const cwd = project();
    const { report } = await migrate({
      cwd,
      paths: ['src', 'test'],
      status: 401,
      mode: 'check',
      includeTests: true,
    });
    expect(report.sites.map((s) => [s.file, s.action])).toEqual([
      ['src/modules/api.ts', 'would-rewrite'],
      ['test/api.test.ts', 'would-rewrite'],
    ]);
  });

  it('a --spec run finishes and finds the handler of the operation', () => {
    const cwd = project();
    const result = runCli(
      [
        'migrate',
        'src',
        'test',
        '--include-tests',
        '--spec',
        'openapi.yaml',
        '--mtls-everywhere',
        '--json',
        '--dry-run',
      ],
      { cwd },
    );
    expect(result.stderr).not.toMatch(/unexpected error/);
    const report = JSON.parse(result.stdout) as {
      summary: { rewritten: number; manual: number };
      coverage: { handled: unknown[] };
    };
    expect(report.coverage.handled).toHaveLength(1);
    expect(report.summary).toMatchObject({ rewritten: 2, manual: 0 });
  });
});
