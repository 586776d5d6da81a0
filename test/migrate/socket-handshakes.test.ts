import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Session 33: engine.io answers a handshake `allowRequest` rejects with HTTP 403 (polling transport), and ws
// answers `verifyClient`'s `cb(false, code)` with that code; both read clean, their files not even parsed.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>, dependencies: string[]): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-sock-'));
  temps.push(cwd);
  const pkg = { name: 'p', dependencies: Object.fromEntries(dependencies.map((d) => [d, '*'])) };
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify(pkg));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run' })).report;
}

const io = (options: string, before = ''): string =>
  `const { Server } = require('socket.io');\n${before}const io = new Server(require('http').createServer(), ${options});\nmodule.exports = io;\n`;

describe('engine.io / Socket.IO allowRequest', () => {
  it.each([
    ['an arrow rejecting with a message', io("{ allowRequest: (req, cb) => cb('Forbidden', false) }")],
    [
      'a method passing a check on',
      io('{\n  allowRequest(req, callback) {\n    callback(null, ok(req));\n  },\n}'),
    ],
    [
      'a callback called with one argument',
      io('{ allowRequest: (req, cb) => (ok(req) ? cb(null, true) : cb(null)) }'),
    ],
    [
      'a function of the file, by shorthand',
      io(
        '{ allowRequest }',
        'function allowRequest(req, fn) {\n  fn(null, req.headers.origin === "https://a");\n}\n',
      ),
    ],
    [
      'a const arrow handing the callback on',
      io('{ allowRequest: check }', 'const check = (req, cb) => verify(req, cb);\n'),
    ],
    [
      'an imported function',
      io('{ allowRequest: checkOrigin }', "const { checkOrigin } = require('./auth');\n"),
    ],
    [
      'an assignment on options',
      'const opts = {};\nopts.allowRequest = (req, cb) => cb(null, false);\nmodule.exports = opts;\n',
    ],
  ])('%s is a manual Implicit 403', async (_name, text) => {
    const report = await run({ 'src/a.js': text }, ['socket.io']);
    expect(report.summary.filesParsed).toBe(1);
    expect(report.sites.map((s) => [s.framework, s.action])).toEqual([['socket.io', 'manual']]);
    expect(report.sites[0].reason).toMatch(/^Implicit 403: engine\.io .* HTTP 403 on the polling transport/);
  });

  it('options written in a file that does not import socket.io, handed on through a parameter', async () => {
    const report = await run(
      {
        'src/options.js':
          "module.exports = { cors: { origin: '*' }, allowRequest: (req, cb) => cb(null, Boolean(req.headers.cookie)) };\n",
        'src/server.js':
          "const { Server } = require('socket.io');\nconst options = require('./options');\nfunction start(http, opts) {\n  return new Server(http, opts);\n}\nmodule.exports = start(require('http').createServer(), options);\n",
      },
      ['engine.io'],
    );
    expect(report.sites.map((s) => [s.file, s.framework, s.action])).toEqual([
      ['src/options.js', 'socket.io', 'manual'],
    ]);
  });

  it.each([
    ['always accepting', io('{ allowRequest: (req, cb) => cb(null, true) }')],
    ['no allowRequest', io('{ cors: { origin: "*" } }')],
  ])('%s is no site', async (_name, text) => {
    const report = await run({ 'src/a.js': text }, ['socket.io']);
    expect(report.sites).toEqual([]);
  });

  it('a test file is no site', async () => {
    const report = await run({ 'test/a.test.js': io("{ allowRequest: (req, cb) => cb('no', false) }") }, [
      'socket.io',
    ]);
    expect(report.sites.filter((s) => s.framework === 'socket.io')).toEqual([]);
  });
});

const ws = (verify: string): string =>
  `const { WebSocketServer } = require('ws');\nconst wss = new WebSocketServer({ noServer: true, verifyClient: ${verify} });\nmodule.exports = wss;\n`;

describe('ws verifyClient', () => {
  it('cb(false, 403) is rewritten with its message', async () => {
    const report = await run(
      { 'src/a.js': ws("(info, cb) => (info.secure ? cb(true) : cb(false, 403, 'Forbidden'))") },
      ['ws'],
    );
    expect(report.sites.map((s) => [s.framework, s.action, s.replacement])).toEqual([
      ['ws', 'would-rewrite', "cb(false, 401, 'Unauthorized')"],
    ]);
  });

  it('a code passed through is a dynamic status, in a file with no 403', async () => {
    const report = await run({ 'src/a.js': ws('(info, done) => done(false, info.req.code)') }, ['ws']);
    expect(report.summary.filesParsed).toBe(1);
    expect(report.sites.map((s) => [s.framework, s.action])).toEqual([['ws', 'manual']]);
    expect(report.sites[0].reason).toMatch(/^Dynamic status/);
  });

  it.each([
    ['cb(false) (ws answers 401)', '(info, cb) => cb(false)'],
    ['a one-parameter verifyClient returning false (401)', '(info) => false'],
    ['another code', "(info, cb) => cb(false, 429, 'Slow down')"],
  ])('%s is no site', async (_name, verify) => {
    const report = await run({ 'src/a.js': ws(verify) }, ['ws']);
    expect(report.sites).toEqual([]);
  });
});
