import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { migrateSource } from '../../src/migrate/transform.js';

// 403s of another protocol (session 32): a Meteor (DDP) error and a socket.io message are named as such, with a
// reason of their own, never as an unknown shape, and never rewritten as an HTTP status.
function manualReasons(file: string, text: string): string[] {
  const result = migrateSource(file, text, { target: 401, frameworks: FRAMEWORKS, testFile: false });
  expect(result.text).toBe(text);
  return result.sites.filter((s) => s.kind === 'manual').map((s) => s.reason ?? '');
}

describe('403s that are no HTTP status', () => {
  it('names a Meteor.Error(403) as a DDP error, whatever its spelling', () => {
    const reasons = manualReasons(
      'methods.js',
      [
        "import { Meteor } from 'meteor/meteor';",
        'Meteor.methods({',
        '  remove(id) {',
        "    if (!this.userId) throw new Meteor.Error(403, 'Access denied');",
        "    if (!id) throw new Meteor.Error('403', 'no');",
        '  },',
        '});',
        "Meteor.publish('all', function () { if (!this.userId) this.error(new Meteor.Error(0x193)); });",
      ].join('\n'),
    );
    expect(reasons).toHaveLength(3);
    for (const reason of reasons)
      expect(reason).toMatch(/^A Meteor \(DDP\) error, not an HTTP status \(new Meteor\.Error/);
  });

  it('names what a socket.io handler sends, and leaves an HTTP route of the same file to its module', () => {
    const text = [
      "import { Server } from 'socket.io';",
      "import express from 'express';",
      'const app = express();',
      "app.get('/a', (req, res) => { res.status(403).end(); });",
      'const io = new Server();',
      "io.on('connection', (socket) => {",
      "  socket.on('x', (cb) => cb({ statusCode: 403 }));",
      "  socket.emit('error', { code: 403 });",
      '});',
    ].join('\n');
    const result = migrateSource('io.ts', text, { target: 401, frameworks: FRAMEWORKS, testFile: false });
    expect(result.text).toContain('res.status(401)');
    const reasons = result.sites.filter((s) => s.kind === 'manual').map((s) => s.reason ?? '');
    expect(reasons).toEqual([
      expect.stringMatching(/^A socket\.io message, not an HTTP status \(cb\(\{ statusCode: 403 \}\)\)/),
      expect.stringMatching(
        /^A socket\.io message, not an HTTP status \(socket\.emit\('error', \{ code: 403 \}\)\)/,
      ),
    ]);
  });

  it('names what any module matches inside a socket.io handler (an http-errors call, a library constant)', () => {
    const reasons = manualReasons(
      'acks.ts',
      [
        "import { Server } from 'socket.io';",
        "import createError from 'http-errors';",
        "import { StatusCodes } from 'http-status-codes';",
        'const io = new Server();',
        "io.on('connection', (socket) => {",
        "  socket.on('b', (data, ack) => ack(createError(403, 'no')));",
        "  socket.on('c', (data, ack) => ack({ status: StatusCodes.FORBIDDEN }));",
        '});',
      ].join('\n'),
    );
    expect(reasons).toEqual([
      expect.stringMatching(/^A socket\.io message, not an HTTP status \(createError\(403, 'no'\)\)/),
      expect.stringMatching(
        /^A socket\.io message, not an HTTP status \(ack\(\{ status: StatusCodes\.FORBIDDEN \}\)\)/,
      ),
    ]);
  });

  it('a Meteor-like Error of another object stays an unknown shape', () => {
    const reasons = manualReasons(
      'other.ts',
      "import { Thing } from 'thing';\nexport const e = new Thing.Error(403);",
    );
    expect(reasons).toEqual([expect.stringMatching(/^A 403 in a shape mtls-fix does not know/)]);
  });
});
