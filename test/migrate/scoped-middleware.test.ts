import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Middleware mounted under a path (`router.use('/docs', express.static('docs'))`) runs only for the paths below
// it: a test of another route is not told its 403 "is still emitted by" that middleware
// (danielfsousa/express-rest-boilerplate: six tests of /v1/users blamed on express.static('docs')).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-sm-'));
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

const app = (docsPath: string): string =>
  [
    "import express from 'express';",
    "import { users } from './users';",
    'export const app = express();',
    'const v1 = express.Router();',
    // fallthrough: false: by default express.static passes its 403s on with next() (session 34).
    `v1.use(${docsPath}, express.static('docs', { fallthrough: false }));`,
    "v1.use('/users', users);",
    "app.use('/v1', v1);",
    '',
  ].join('\n');
const USERS = [
  "import express from 'express';",
  'export const users = express.Router();',
  // GET: express.static answers GET and HEAD only, so a POST never reaches its 403 (test-method-sites.ts).
  "users.get('/', (req, res) => res.sendStatus(403));",
  '',
].join('\n');
const test = (url: string): string =>
  [
    "import request from 'supertest';",
    "import { app } from '../src/app';",
    `it('denies', () => request(app).get('${url}').expect(403));`,
    '',
  ].join('\n');

describe('middleware under a path', () => {
  it('does not run for a route outside it', async () => {
    const report = await run({
      'src/app.ts': app("'/docs'"),
      'src/users.ts': USERS,
      'test/a.test.ts': test('/v1/users'),
    });
    const tests = report.sites.filter((s) => s.file === 'test/a.test.ts');
    expect(tests.map((s) => s.action)).toEqual(['would-rewrite']);
    expect(tests[0].replacement).toContain('.expect(401)');
  });

  it.each([
    ['the path the route is under', "'/users'"],
    ['a path it cannot read', 'docsRoot'],
  ])('still runs for %s', async (_name, docsPath) => {
    const files = {
      // No default written: a default would be read as the path (trials29, setting-reads.ts).
      'src/app.ts': `const docsRoot = process.env.DOCS;\n${app(docsPath)}`,
      'src/users.ts': USERS,
      'test/a.test.ts': test('/v1/users'),
    };
    const report = await run(files);
    const tests = report.sites.filter((s) => s.file === 'test/a.test.ts');
    expect(tests.map((s) => s.action)).toEqual(['manual']);
    expect(tests[0].reason).toMatch(/still emitted by express\.static\('docs', \{ fallthrough: false \}\)/);
  });
});
