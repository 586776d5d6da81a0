import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';
import { SPEC_PROJECTS } from '../helpers/spec-run.js';

// Japa's api-client (AdonisJS 5 and 6, session 51): `const response = await client.get('/x').loginAs(user)` then
// `response.assertStatus(403)`. Before, the assertion was "a 403 in a shape mtls-fix does not know" without
// --spec, and left out (listed as left alone) with --spec even when its route's server 403 was rewritten. It
// now follows its request's server as supertest's `.expect(403)` does. The fixtures' exception handlers answer
// 403 for every route (manual under --spec): each copy replaces its handler with one that does not.
interface Report {
  sites: { file: string; line: number; action: string; reason: string | null }[];
}

const HANDLER = 'export default class ExceptionHandler {}\n';

const ADONIS6_TEST = `import { test } from '@japa/runner'

test.group('Orders', () => {
  test('store without partner', async ({ client }) => {
    const response = await client.post('/api/v1/orders').json({}).loginAs(user)
    response.assertStatus(403)
  })
  test('update is refused', async ({ client }) => {
    const response = await client.put('/api/v1/orders/1').form({ a: 1 }).withGuard('api').loginAs(user)
    response.assertStatus(403)
  })
  test('unknown route', async ({ client }) => {
    const response = await client.get('/api/v1/nowhere').header('x-a', 'b')
    response.assertStatus(403)
  })
})
`;

const ADONIS5_TEST = `import { test } from '@japa/runner'

test.group('Reports', () => {
  test('admins only', async ({ client }) => {
    const response = await client.get('/admin/reports')
    response.assertStatus(403)
  })
  test('fields are read-only', async ({ client }) => {
    const response = await client.patch('/api/v1/venues/1/fields/2').json({ name: 'x' })
    response.assertStatus(403)
  })
  test('unknown route', async ({ client }) => {
    const response = await client.delete('/api/v1/nowhere')
    response.assertStatus(403)
  })
})
`;

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function run(fixture: string, files: Record<string, string>, spec: boolean): Promise<Report> {
  const cwd = tempProject(files, path.join(SPEC_PROJECTS, fixture));
  folders.push(cwd);
  const args = [
    'migrate',
    '.',
    '--dry-run',
    '--json',
    '--include-tests',
    ...(spec ? ['--spec', 'openapi.yaml'] : []),
  ];
  const result = await runCliAsync(args, { cwd });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Report;
}

const testSites = (report: Report): [number, string, string][] =>
  report.sites.filter((s) => s.file.startsWith('tests/')).map((s) => [s.line, s.action, s.reason ?? '']);

const NOT_FOUND: unknown = expect.stringContaining('whose server could not be found');

describe('Japa api-client requests follow their server (--include-tests)', () => {
  it("AdonisJS 6 with --spec: rewritten with its server, unknown route manual, a non-mTLS server's test left alone", async () => {
    const report = await run(
      'spellings-adonis6-routes',
      { 'app/exceptions/handler.ts': HANDLER, 'tests/functional/orders.spec.ts': ADONIS6_TEST },
      true,
    );
    // Line 10's PUT /api/v1/orders/1 is no mTLS operation: its server keeps its 403 and so does its test, as
    // supertest's `.expect(403)` on it does.
    expect(testSites(report)).toEqual([
      [6, 'would-rewrite', ''],
      [14, 'manual', NOT_FOUND],
    ]);
  });

  it('AdonisJS 6 with --spec: manual naming the server site still emitting 403 (the shared exception handler)', async () => {
    const report = await run(
      'spellings-adonis6-routes',
      { 'tests/functional/orders.spec.ts': ADONIS6_TEST },
      true,
    );
    expect(testSites(report)[0]).toEqual([
      6,
      'manual',
      expect.stringMatching(/still emitted by .*\(app\/exceptions\/handler\.ts:5\)/),
    ]);
  });

  it('AdonisJS 6 without --spec: rewritten with its server, unknown route manual', async () => {
    const report = await run(
      'spellings-adonis6-routes',
      { 'tests/functional/orders.spec.ts': ADONIS6_TEST },
      false,
    );
    expect(testSites(report)).toEqual([
      [6, 'would-rewrite', ''],
      [10, 'would-rewrite', ''],
      [14, 'manual', NOT_FOUND],
    ]);
  });

  it('AdonisJS 5 with --spec: rewritten with its server, manual naming the shared server, unknown route manual', async () => {
    const report = await run(
      'spellings-adonis5-routes',
      { 'app/Exceptions/Handler.ts': HANDLER, 'tests/functional/reports.spec.ts': ADONIS5_TEST },
      true,
    );
    expect(testSites(report)).toEqual([
      [6, 'would-rewrite', ''],
      [10, 'manual', expect.stringContaining('app/Controllers/Http/FieldsController.ts:19')],
      [14, 'manual', NOT_FOUND],
    ]);
  });

  it('AdonisJS 5 without --spec: rewritten with its server, unknown route manual', async () => {
    const report = await run(
      'spellings-adonis5-routes',
      { 'tests/functional/reports.spec.ts': ADONIS5_TEST },
      false,
    );
    expect(testSites(report)).toEqual([
      [6, 'would-rewrite', ''],
      [10, 'would-rewrite', ''],
      [14, 'manual', NOT_FOUND],
    ]);
  });
});
