import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 28, silence28 (fault c). A status slot sending what a lookup gives for a run-time key: a function
// mapping an error code to a status (`res.status(statusOf(err.code))`), or a Map (`byCode.get(err.code)`). It
// was a bare "Dynamic status: it may pass a 403 through": the lookup that gives 403 went unnamed. Now the reason
// names the lookup and where it gives 403; a lookup that never gives 403 keeps the plain Dynamic reason.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const PACKAGE = JSON.stringify({
  name: 'p',
  dependencies: { express: '^4', koa: '^2', hono: '^4', fastify: '^4' },
});

const LOOKUPS =
  'export const codeToStatus: Record<string, number> = { denied: 403, bad: 400 };\n' +
  'export function statusOf(code: string): number {\n  switch (code) {\n    case "denied":\n      return 403;\n    default:\n      return 500;\n  }\n}\n' +
  'export const tableStatus = (code: string) => codeToStatus[code] ?? 500;\n' +
  'export function neverForbidden(code: string): number {\n  return code === "x" ? 400 : 500;\n}\n';

async function reasons(server: string): Promise<string[]> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-lookups-'));
  temps.push(cwd);
  mkdirSync(path.join(cwd, 'src'));
  writeFileSync(path.join(cwd, 'package.json'), PACKAGE);
  writeFileSync(path.join(cwd, 'src/codes.ts'), LOOKUPS);
  writeFileSync(path.join(cwd, 'src/server.ts'), server);
  const { report } = await migrate({ cwd, status: 401, mode: 'check' });
  return report.sites.filter((s) => s.file === 'src/server.ts').map((s) => `${s.action} ${s.reason}`);
}

const named = (lookup: string, at: string, gives: string) =>
  `manual Computed status: sent from ${lookup}, a lookup by a key known only at run time; ${at} answers 403 ${gives}. Where that key can be it on an mTLS route, answer 401 instead (map it where the key is chosen), or add a central remap.`;

describe('a status sent from a lookup by a run-time key', () => {
  it.each([
    [
      'express, an imported function with a switch',
      'import express from "express";\nimport { statusOf } from "./codes";\nconst app = express();\napp.use((err: any, req: any, res: any, next: any) => res.status(statusOf(err.code)).end());\n',
      named('statusOf(err.code)', 'statusOf (src/codes.ts:2)', 'for "denied" (src/codes.ts:5)'),
    ],
    [
      'koa, a local function reading a table',
      'import Koa from "koa";\nconst table: Record<string, number> = { denied: 403 };\nconst lookup = (c: string) => table[c];\nconst app = new Koa();\napp.use(async (ctx, next) => { try { await next(); } catch (e: any) { ctx.status = lookup(e.code); } });\n',
      named('lookup(e.code)', 'lookup (line 3)', "for 'denied' of table (line 3)"),
    ],
    [
      'hono, a Map with a fallback',
      'import { Hono } from "hono";\nconst byCode = new Map([["denied", 403], ["gone", 410]]);\nconst app = new Hono();\napp.onError((err: any, c) => c.json({ e: 1 }, (byCode.get(err.code) ?? 500) as any));\n',
      named('byCode.get(err.code)', 'byCode.get (line 2)', 'for "denied" (line 2)'),
    ],
    [
      'fastify, a local function declaration',
      'import Fastify from "fastify";\nfunction statusFor(code: string) {\n  return code === "denied" ? 403 : 500;\n}\nconst app = Fastify();\napp.setErrorHandler((err: any, req, reply) => reply.code(statusFor(err.code)).send());\n',
      named('statusFor(err.code)', 'statusFor (line 2)', 'at line 3'),
    ],
  ])('%s', async (_name, server, reason) => {
    const found = await reasons(server);
    expect(found.filter((r) => r.startsWith('manual Computed'))).toEqual([reason]);
  });

  it('a lookup that never gives 403 keeps the plain Dynamic reason', async () => {
    const found = await reasons(
      'import express from "express";\nimport { neverForbidden } from "./codes";\nconst app = express();\napp.use((err: any, req: any, res: any, next: any) => res.status(neverForbidden(err.code)).end());\n',
    );
    expect(found).toEqual([
      'manual Dynamic status: it may pass a 403 through (e.g. from an upstream or an error object). Map 403 to the agreed status where the value is produced, or add a central remap.',
    ]);
  });
});
