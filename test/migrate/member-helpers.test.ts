import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// A shared helper held as a member (`helpers.deny(res, 403)`, `Http.deny(reply, 403)`, `lib.helpers.deny(…)`):
// its callers that pass 403 are rewritten as a plain helper's are, in every file, not left an unknown shape.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mtls-fix-member-helpers-'));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function run(files: Record<string, string>) {
  const cwd = project(files);
  return migrate({ cwd, status: 401, mode: 'dry-run' });
}

describe('helpers held as members, called from another file', () => {
  it('an object literal method, a shorthand property, a static method and a default-exported object (TS)', async () => {
    const result = await run({
      'package.json': JSON.stringify({ dependencies: { express: '^4', fastify: '^4' } }),
      'src/h.ts': [
        "import type { Response } from 'express';",
        "import type { FastifyReply } from 'fastify';",
        'function refuse(res: Response, code: number) { res.status(code).end(); }',
        'export const helpers = {',
        '  deny(res: Response, msg: string, code: number) { res.status(code).send(msg); },',
        '  refuse,',
        '  other: refuse,',
        '};',
        'export class Http {',
        '  static deny(reply: FastifyReply, code: number) { return reply.code(code).send(); }',
        '}',
        'export default { fail(res: Response, code: number) { res.sendStatus(code); } };',
        '',
      ].join('\n'),
      'src/use.ts': [
        "import express from 'express';",
        "import fastify from 'fastify';",
        "import h, { helpers, Http } from './h';",
        "import * as lib from './h';",
        'const app = express();',
        "app.get('/a', (req, res) => helpers.deny(res, 'no', 403));",
        "app.get('/b', (req, res) => helpers.refuse(res, 403));",
        "app.get('/c', (req, res) => helpers.other(res, 403));",
        "app.get('/d', (req, res) => h.fail(res, 403));",
        "app.get('/e', (req, res) => lib.helpers.deny(res, 'no', 403));",
        "fastify().get('/f', (req, reply) => Http.deny(reply, 403));",
        "fastify().get('/g', (req, reply) => lib.Http.deny(reply, 403));",
        '',
      ].join('\n'),
    });
    for (const call of [
      "helpers.deny(res, 'no', 401)",
      'helpers.refuse(res, 401)',
      'helpers.other(res, 401)',
      'h.fail(res, 401)',
      "lib.helpers.deny(res, 'no', 401)",
      'Http.deny(reply, 401)',
      'lib.Http.deny(reply, 401)',
    ])
      expect(result.diff).toContain(call);
    const rewritten = result.report.sites.filter(
      (s) => s.file === 'src/use.ts' && s.action === 'would-rewrite',
    );
    expect(rewritten.map((s) => s.line)).toEqual([6, 7, 8, 9, 10, 11, 12]);
    expect(result.report.sites.filter((s) => s.file === 'src/use.ts' && s.action === 'manual')).toEqual([]);
    expect(result.report.census.manual).toBe(0);
  });

  it('CommonJS: a static method of a class in module.exports, reached through a whole require()', async () => {
    const result = await run({
      'package.json': JSON.stringify({ dependencies: { express: '^4' } }),
      'src/h.js': [
        'class Http {',
        '  static send(res, code) { res.sendStatus(code); }',
        '}',
        'const helpers = { deny: (res, code) => res.status(code).end() };',
        'module.exports = { Http, helpers };',
        '',
      ].join('\n'),
      'src/app.js': [
        "const express = require('express');",
        "const h = require('./h');",
        "const { helpers } = require('./h');",
        'const app = express();',
        "app.get('/a', (req, res) => h.Http.send(res, 403));",
        "app.get('/b', (req, res) => helpers.deny(res, 403));",
        "app.get('/c', (req, res) => h.helpers.deny(res, 403));",
        '',
      ].join('\n'),
    });
    expect(result.diff).toContain("+app.get('/a', (req, res) => h.Http.send(res, 401));");
    expect(result.diff).toContain("+app.get('/b', (req, res) => helpers.deny(res, 401));");
    expect(result.diff).toContain("+app.get('/c', (req, res) => h.helpers.deny(res, 401));");
    expect(result.report.census.manual).toBe(0);
  });

  it('the same file: a static method and a shorthand property', async () => {
    const result = await run({
      'package.json': JSON.stringify({ dependencies: { express: '^4' } }),
      'src/app.ts': [
        "import express, { type Response } from 'express';",
        'class Http {',
        '  static deny(res: Response, code: number) { res.status(code).end(); }',
        '}',
        'function refuse(res: Response, code: number) { res.sendStatus(code); }',
        'const helpers = { refuse };',
        'const app = express();',
        "app.get('/a', (req, res) => Http.deny(res, 403));",
        "app.get('/b', (req, res) => helpers.refuse(res, 403));",
        '',
      ].join('\n'),
    });
    expect(result.diff).toContain("+app.get('/a', (req, res) => Http.deny(res, 401));");
    expect(result.diff).toContain("+app.get('/b', (req, res) => helpers.refuse(res, 401));");
    expect(result.report.census.manual).toBe(0);
  });
});
