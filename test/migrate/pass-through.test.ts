import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// A status passed through an error constructor or helper (an upstream's or an error object's), in a file with no
// 403 form and no `res.status(x)` slot: the file must be read and the slot reported, as any dynamic status is.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a status passed through an error constructor is reported', () => {
  it.each([
    [
      'koa',
      ['koa'],
      "import Koa from 'koa';\nconst app = new Koa();\napp.use(async (ctx) => {\n  const r = await fetch('http://up/x');\n  if (!r.ok) ctx.throw(r.status, 'upstream');\n});\n",
    ],
    [
      'http-errors',
      ['express', 'http-errors'],
      "const createError = require('http-errors');\nmodule.exports = async (req, res, next) => {\n  const r = await fetch('http://up/x');\n  if (!r.ok) return next(createError(r.status, 'upstream'));\n  next();\n};\n",
    ],
    [
      'nestjs',
      ['@nestjs/common'],
      "import { HttpException, Injectable } from '@nestjs/common';\n@Injectable()\nexport class Proxy {\n  async get() {\n    const r = await fetch('http://up/x');\n    if (!r.ok) throw new HttpException(await r.text(), r.status);\n  }\n}\n",
    ],
    [
      'h3',
      ['h3'],
      "import { createError, defineEventHandler } from 'h3';\nexport default defineEventHandler(async () => {\n  const r = await fetch('http://up/x');\n  throw createError({ statusCode: r.status, statusMessage: r.statusText });\n});\n",
    ],
  ])('%s', async (framework, dependencies, text) => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-pt-'));
    temps.push(cwd);
    const pkg = { dependencies: Object.fromEntries(dependencies.map((d) => [d, '*'])) };
    writeFileSync(path.join(cwd, 'package.json'), JSON.stringify(pkg));
    mkdirSync(path.join(cwd, 'src'));
    writeFileSync(path.join(cwd, 'src/a.ts'), text);
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    expect(report.summary.filesParsed).toBe(1);
    expect(report.sites.map((s) => [s.framework, s.action])).toEqual([[framework, 'manual']]);
    expect(report.sites[0].reason).toMatch(/^Dynamic status: it may pass a 403 through/);
  });
});
