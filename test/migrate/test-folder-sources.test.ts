import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate as runMigrate } from '../../src/migrate/index.js';
import { checkFails } from '../../src/migrate/report.js';
import { tempProject } from '../helpers/cli.js';

// breaker27 #01 and #06: server files counted as tests by a folder or an import were skipped unnamed ("skipped 4
// test", exit 0). Route files of file-system routers and route folders are sources wherever their route path goes;
// a file in a test folder below another folder that holds no test code and that nothing imports is scanned and
// reported by hand; an entry point that starts a server stays a source though it imports an assertion library.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Report {
  sites: { file: string; line: number; action: string; reason: string | null }[];
  skipped: Record<string, number>;
}

/** `migrate --check` on a temp project: the report, and whether the check fails. */
async function migrate(files: Record<string, string>): Promise<{ report: Report; fails: boolean }> {
  const dir = tempProject(files);
  temps.push(dir);
  const { report } = await runMigrate({ cwd: dir, status: 401, mode: 'check' });
  return { report, fails: checkFails(report) };
}

const outcomes = (report: Report): string[] =>
  report.sites.map((s) => `${s.file}:${s.line} ${s.action}`).sort();

describe('server files in folders named like test folders', () => {
  it('rewrites route files of file-system routers whose route path holds a test folder', async () => {
    const { report, fails } = await migrate({
      'package.json': '{"dependencies":{"next":"15.0.0","astro":"4.0.0","fastify":"4.0.0"}}',
      'app/test/page.tsx':
        'import { forbidden } from "next/navigation";\nexport default function Page() {\n  forbidden();\n}\n',
      'src/pages/test/index.ts':
        'export function GET() {\n  return new Response(null, { status: 403 });\n}\n',
      'routes/test/index.js':
        'module.exports = async function (fastify) {\n  fastify.get("/", async (req, reply) => reply.code(403).send());\n};\n',
      // A fixture below a top-level test folder stays a test.
      'test/fixtures/app/test/page.tsx':
        'import { forbidden } from "next/navigation";\nexport default () => forbidden();\n',
    });
    expect(outcomes(report)).toEqual([
      'app/test/page.tsx:3 would-rewrite',
      'routes/test/index.js:2 would-rewrite',
      'src/pages/test/index.ts:2 would-rewrite',
    ]);
    expect(report.skipped.test).toBe(1);
    expect(fails).toBe(true);
  });

  it('reports by hand a file in a test folder that nothing imports and that holds no test code', async () => {
    const { report, fails } = await migrate({
      'package.json': '{"dependencies":{"express":"^4"}}',
      'server.js':
        'const express = require("express");\nconst fs = require("fs");\nconst app = express();\n' +
        'for (const d of fs.readdirSync(__dirname + "/routes2")) app.use("/" + d, require(__dirname + "/routes2/" + d));\napp.listen(3000);\n',
      'routes2/tests/index.js':
        'const router = require("express").Router();\nrouter.get("/:id", (req, res) => {\n  if (!req.user) return res.status(403).json({ error: "no" });\n  res.json({});\n});\nmodule.exports = router;\n',
      // Imported by a test: test support, skipped.
      'src/spec/helper.js': 'module.exports = (res) => res.status(403);\n',
      'src/spec/a.test.js': 'const h = require("./helper");\ntest("x", () => h);\n',
      // Imported by a test through an alias (outline's `@server/test/factories`): test support too.
      'server/test/support.ts':
        'export const deny = (res: { status(n: number): void }) => res.status(403);\n',
      'server/a.test.ts': 'import { deny } from "@server/test/support";\ntest("x", () => deny);\n',
    });
    expect(outcomes(report)).toEqual(['routes2/tests/index.js:3 manual']);
    expect(report.sites[0]?.reason).toContain('It sits in a test folder (routes2/tests/)');
    expect(report.skipped.test).toBe(4);
    expect(fails).toBe(true);
  });

  it('keeps an entry point that starts a server as a source although it imports an assertion library', async () => {
    for (const library of ['chai', 'supertest', 'vitest', '@playwright/test']) {
      const { report, fails } = await migrate({
        'package.json': '{"dependencies":{"express":"^4"}}',
        'server/index.js':
          `const express = require("express");\nconst { expect } = require("${library}");\nconst app = express();\n` +
          'app.post("/x", (req, res) => {\n  try { expect(req.body).to.be.an("object"); } catch { return res.status(400).end(); }\n' +
          '  if (!req.user) return res.status(403).end();\n  res.end();\n});\napp.listen(3000);\n',
        // A helper that imports supertest and starts nothing stays test support, even when nothing imports it
        // relatively (tests may reach it through an alias).
        'testing/request.js':
          'const request = require("supertest");\nmodule.exports = (app) => request(app).get("/").expect(403);\n',
      });
      expect([library, outcomes(report)]).toEqual([library, ['server/index.js:6 would-rewrite']]);
      expect(fails).toBe(true);
    }
  });
});
