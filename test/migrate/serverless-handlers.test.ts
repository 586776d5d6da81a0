import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Session 34 (silence34): a function serverless.yml names as a Lambda handler (`functions.<name>.handler:
// src/x.run`) returns the response: its `{ statusCode: 403 }` with no other key was a result "a caller sends
// later" (manual) unless the handler was typed, took `event` or returned a body (frameworks/serverless-handlers.ts).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-sls-handlers-'));
  temps.push(cwd);
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'p' }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run' })).report;
}

const yml = (handler: string): string =>
  `service: p\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  fetch:\n    handler: ${handler}\n    events:\n      - httpApi:\n          path: /items/{id}\n          method: get\n`;
const HANDLER =
  "exports.run = async (req) => {\n  if (!req.headers.owner) return { statusCode: 403 };\n  return { statusCode: 200, body: '{}' };\n};\nexports.other = async (req) => ({ statusCode: 403 });\n";

describe('a handler serverless.yml names', () => {
  it.each([
    ['beside the file', { 'serverless.yml': yml('src/fetch.run'), 'src/fetch.js': HANDLER }, 'src/fetch.js'],
    [
      'in a service folder above it',
      {
        'services/items/serverless.yml': yml('handlers/fetch.run'),
        'services/items/handlers/fetch.ts': HANDLER,
      },
      'services/items/handlers/fetch.ts',
    ],
  ])('returns its response, %s', async (_name, files, file) => {
    const report = await run(files);
    const named = report.sites.find((s) => s.file === file && s.line === 2);
    expect(named?.action).toBe('would-rewrite');
    expect(named?.replacement).toBe('{ statusCode: 401 }');
    // An export no handler names stays a result its caller sends.
    expect(report.sites.find((s) => s.file === file && s.line === 5)?.action).toBe('manual');
  });

  it('names nothing for an export another file holds', async () => {
    const report = await run({ 'serverless.yml': yml('src/other.run'), 'src/fetch.js': HANDLER });
    expect(report.sites.filter((s) => s.action === 'would-rewrite')).toHaveLength(0);
  });
});
