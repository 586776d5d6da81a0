import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Session 47, server47. A 403 held in a CommonJS export (`exports.DENIED = 403`, `module.exports.DENIED = 403`,
// `module.exports = { DENIED: 403 }`, `Object.assign(module.exports, { DENIED: 403 })`, `const DENIED = 403;
// module.exports = { DENIED }`) whose every read this run writes as 401 was "a 403 in a shape mtls-fix does not
// know" (or a `declaration`), unlinked to the reads: now it is named with them, as `export const DENIED = 403` is.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-cjs-exports-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

const PACKAGE = JSON.stringify({ name: 'p', dependencies: { express: '^4', koa: '^2', fastify: '^4' } });

const manual = (report: MigrateReport): MigrateReport['sites'] =>
  report.sites.filter((s) => s.action === 'manual');

const DEFINITIONS: [string, string][] = [
  ['exports.X', 'exports.DENIED = 403;\nexports.OK = 200;\n'],
  ['module.exports.X', 'module.exports.DENIED = 403;\n'],
  ["exports['X']", "exports['DENIED'] = 403;\n"],
  ['module.exports = { X }', 'module.exports = { OK: 200, DENIED: 403 };\n'],
  ['module.exports = Object.freeze({ X })', 'module.exports = Object.freeze({ DENIED: 403 });\n'],
  ['Object.assign(module.exports, { X })', 'Object.assign(module.exports, { DENIED: 403 });\n'],
  ['Object.assign(exports, { X })', 'Object.assign(exports, { DENIED: 403 });\n'],
  ['a shorthand of a const', 'const DENIED = 403;\nmodule.exports = { DENIED };\n'],
  ['exports.X = a const', 'const DENIED = 403;\nexports.DENIED = DENIED;\n'],
];

const SERVERS: [string, (read: string) => string][] = [
  [
    'express',
    (r) =>
      `const express = require("express");\nconst app = express();\napp.get("/a", (req, res) => res.status(${r}).end());\n`,
  ],
  [
    'koa',
    (r) =>
      `const Koa = require("koa");\nconst app = new Koa();\napp.use(async (ctx) => { ctx.status = ${r}; });\n`,
  ],
  [
    'fastify',
    (r) =>
      `const app = require("fastify")();\napp.get("/a", async (req, reply) => reply.code(${r}).send());\n`,
  ],
];

const READS: [string, string, string][] = [
  ['a member of the module', 'const codes = require("./codes");\n', 'codes.DENIED'],
  ['a destructured name', 'const { DENIED } = require("./codes");\n', 'DENIED'],
  ['a renamed key', 'const { DENIED: NO } = require("./codes");\n', 'NO'],
];

describe('a 403 held in a CommonJS export, every read rewritten', () => {
  const cases = DEFINITIONS.flatMap(([shape, codes]) =>
    SERVERS.flatMap(([server, text]) =>
      READS.map(
        ([read, load, name]) => [`${shape} / ${server} / ${read}`, codes, load + text(name)] as const,
      ),
    ),
  );
  it.each(cases)('%s: named at the definition with its reads', async (_name, codes, server) => {
    const cwd = project({ 'package.json': PACKAGE, 'src/codes.js': codes, 'src/server.js': server });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(report.sites.filter((s) => s.action === 'would-rewrite').map((s) => s.file)).toEqual([
      'src/server.js',
    ]);
    const left = manual(report);
    expect(left.map((s) => s.file)).toEqual(['src/codes.js']);
    expect(left[0]?.reason).toMatch(/still holds 403.*\(src\/server\.js:\d+ .+\)/);
    expect(left[0]?.reason).not.toMatch(/shape mtls-fix does not know/);
    expect(report.census.notAnEmit.declaration ?? 0).toBe(0);
  });
});

describe('the name of a CommonJS export', () => {
  // chepash/movies-explorer-api: `module.exports.ERR_STATUS_FORBIDDEN = 403` and `module.exports.ERR_MESSAGE_FORBIDDEN
  // = '…'` were each "names a 403 in a shape mtls-fix does not know", as the name of `export const` never is.
  it.each([
    [
      'exports.X',
      'module.exports.ERR_STATUS_FORBIDDEN = 403;\nmodule.exports.ERR_MESSAGE_FORBIDDEN = "Not yours";\n',
    ],
    ['exports.X of a message', 'exports.ERR_MESSAGE_FORBIDDEN = `Not yours`;\n'],
  ])('%s: a declaration, never an unknown shape', async (_name, codes) => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/codes.js': codes,
      'src/server.js':
        'const express = require("express");\nconst c = require("./codes");\nconst app = express();\n' +
        'app.get("/a", (req, res) => res.status(c.ERR_STATUS_FORBIDDEN ?? 403).send(c.ERR_MESSAGE_FORBIDDEN));\n',
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(manual(report).filter((s) => /names a 403 in a shape/.test(s.reason ?? ''))).toEqual([]);
  });
});

describe('a 403 held in a CommonJS export, read otherwise too', () => {
  it('a read the run keeps (a comparison) leaves no claim that nothing reads it', async () => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/codes.js': 'exports.DENIED = 403;\n',
      'src/server.js':
        'const express = require("express");\nconst codes = require("./codes");\nconst app = express();\n' +
        'app.get("/a", (req, res) => res.status(codes.DENIED).end());\n' +
        'app.use((err, req, res, next) => { if (err.status === codes.DENIED) console.log("no"); next(err); });\n',
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    const site = report.sites.find((s) => s.file === 'src/codes.js');
    expect(site?.reason ?? '').not.toMatch(/no file of this run reads it|shape mtls-fix does not know/);
  });

  it('no file of the run reads it: named as a name of 403 nothing reads', async () => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/codes.js': 'module.exports = { DENIED: 403 };\n',
      'src/server.js': 'const express = require("express");\nmodule.exports = express();\n',
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(manual(report).map((s) => s.reason)).toEqual([
      expect.stringMatching(/^'module\.exports\.DENIED' still holds 403 and no file of this run reads it\./),
    ]);
  });

  it('beside an exported 401 the reads are no lie about the definition: it stays a name of the table', async () => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/codes.js': 'module.exports = { UNAUTHORIZED: 401, FORBIDDEN: 403 };\n',
      'src/server.js':
        'const express = require("express");\nconst codes = require("./codes");\nconst app = express();\n' +
        'app.get("/a", (req, res) => res.status(codes.FORBIDDEN).end());\n',
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(manual(report)).toEqual([]);
    expect(report.sites.map((s) => s.replacement)).toEqual(['res.status(codes.UNAUTHORIZED)']);
  });
});

describe('a CommonJS export is named as the file spells it', () => {
  // Session 48, server48: every shape was named `module.exports.DENIED` in the reasons, whatever the file wrote.
  const read = (name: string): string =>
    'const express = require("express");\nconst codes = require("./codes");\nconst app = express();\n' +
    `app.get("/a", (req, res) => res.status(${name}).end());\n`;
  it.each([
    ['exports.X', 'exports.DENIED = 403;\n', 'codes.DENIED', 'exports.DENIED'],
    ['module.exports.X', 'module.exports.DENIED = 403;\n', 'codes.DENIED', 'module.exports.DENIED'],
    ["exports['X']", "exports['DENIED'] = 403;\n", 'codes.DENIED', "exports['DENIED']"],
    [
      'module.exports = { X }',
      'module.exports = { DENIED: 403 };\n',
      'codes.DENIED',
      'module.exports.DENIED',
    ],
    [
      'Object.assign(exports, { X })',
      'Object.assign(exports, { DENIED: 403 });\n',
      'codes.DENIED',
      'exports.DENIED',
    ],
  ])('%s', async (_name, codes, name, written) => {
    const cwd = project({ 'package.json': PACKAGE, 'src/codes.js': codes, 'src/server.js': read(name) });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(manual(report).map((s) => s.reason)).toEqual([
      expect.stringContaining(`'${written}' still holds 403`),
    ]);
  });

  it('a status table held by an export (`exports.STATUS = { FORBIDDEN: 403 }`) is one, as `export const` is', async () => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/codes.js':
        'exports.STATUS = { FORBIDDEN: 403, OK: 200 };\nexports.DENIED = { status: 403, message: "No" };\n',
      'src/server.js': read('codes.STATUS.FORBIDDEN'),
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    const reasons = manual(report).map((s) => `${s.line} ${s.reason ?? ''}`);
    // The table's entry is read and rewritten: no unknown shape; the result beside it stays named.
    expect(reasons.filter((r) => r.startsWith('1 '))).toEqual([]);
    expect(reasons.filter((r) => r.startsWith('2 '))).toHaveLength(1);
  });

  it.each([
    ['exports.X', 'exports.DENIED = { status: 403, message: "No" };\n', 'exports.DENIED'],
    ['module.exports.X', 'module.exports.DENIED = { statusCode: 403 };\n', 'module.exports.DENIED'],
    ["exports['X']", "exports['DENIED'] = Object.freeze({ status: 403 });\n", "exports['DENIED']"],
  ])("a result held by an export (%s) is named as `export const`'s is", async (_name, codes, written) => {
    const cwd = project({ 'package.json': PACKAGE, 'src/codes.js': codes, 'src/server.js': read('200') });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(manual(report).map((s) => s.reason)).toEqual([
      expect.stringMatching(
        new RegExp(`^The result '${written.replace(/[[\]]/g, '\\$&')}' is declared once with status 403`),
      ),
    ]);
  });
});
