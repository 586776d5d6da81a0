import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// breaker48 (masslight/ottehr, a health monorepo of Lambda handlers): `return lambdaResponse(403,
// NO_READ_ACCESS_TO_PATIENT_ERROR)` became `lambdaResponse(401, …)` while the body, a shared
// `{ code, message, statusCode: 403 }` imported from the utils package, still said 403; the declaration's site
// promised "uses are listed too", and this use was not (its name holds no 403 text). A shared result sent as the
// body of a rewritten response is now named where it is sent, in every sender.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-bodies-'));
  temps.push(cwd);
  writeFileSync(
    path.join(cwd, 'package.json'),
    JSON.stringify({ name: 'p', dependencies: { express: '*', hono: '*', '@types/aws-lambda': '*' } }),
  );
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return cwd;
}

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

describe('a shared 403 result sent as the body of a rewritten response (breaker48)', () => {
  it('is named where it is sent: a Lambda helper, Express, Hono, a nested value; not a 200 body', async () => {
    const cwd = project({
      'src/errors.ts': lines(
        "export const NO_READ_ACCESS_ERROR = { code: 4010, message: 'Not your patient', statusCode: 403 };",
        "export const OK_BODY = { message: 'fine', statusCode: 200 };",
      ),
      'src/lambda.ts': lines(
        "import type { APIGatewayProxyResult } from 'aws-lambda';",
        'export const lambdaResponse = (statusCode: number, body: unknown): APIGatewayProxyResult => ({',
        '  statusCode,',
        '  body: JSON.stringify(body),',
        '});',
      ),
      'src/join.ts': lines(
        "import { lambdaResponse } from './lambda';",
        "import { NO_READ_ACCESS_ERROR } from './errors';",
        'export const handler = async (event: { ok: boolean }) => {',
        '  if (!event.ok) return lambdaResponse(403, NO_READ_ACCESS_ERROR);',
        '  return lambdaResponse(200, { ok: true });',
        '};',
      ),
      'src/app.ts': lines(
        "import express from 'express';",
        "import { NO_READ_ACCESS_ERROR, OK_BODY } from './errors';",
        "const DENIED = { error: 'no', status: 403 };",
        'const app = express();',
        "app.get('/a', (req, res) => res.status(403).json(NO_READ_ACCESS_ERROR));",
        "app.get('/b', (req, res) => res.status(403).json({ error: DENIED }));",
        "app.get('/c', (req, res) => res.status(403).json(OK_BODY));",
      ),
      'src/hono.ts': lines(
        "import { Hono } from 'hono';",
        "import { NO_READ_ACCESS_ERROR } from './errors';",
        'const app = new Hono();',
        "app.get('/h', (c) => c.json(NO_READ_ACCESS_ERROR, 403));",
      ),
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    const named = report.sites
      .filter((s) => s.reason?.startsWith('Sends '))
      .map((s) => [s.file, s.line, s.reason?.slice(0, 40)]);
    expect(named).toEqual([
      ['src/app.ts', 5, "Sends 'NO_READ_ACCESS_ERROR', a result d"],
      ['src/app.ts', 6, "Sends 'DENIED', a result declared with s"],
      ['src/hono.ts', 4, "Sends 'NO_READ_ACCESS_ERROR', a result d"],
      ['src/join.ts', 4, "Sends 'NO_READ_ACCESS_ERROR', a result d"],
    ]);
    expect(report.sites.find((s) => s.file === 'src/join.ts' && s.action === 'would-rewrite')).toBeDefined();
  });
});
