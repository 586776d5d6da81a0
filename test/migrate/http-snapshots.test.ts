import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// trial39 #07: a test's inline snapshot of an HTTP reply (jest-axios-snapshot: `HTTP/1.1 403 Forbidden` then the
// headers and body) was named "A raw HTTP status line … the bytes go to the socket as written", and followed no
// server. It is an assertion of the request before it now: rewritten with its server under --include-tests (status
// line and phrase, body statusCode), listed with its replacement by a plain run, and a stored snapshot holding such
// a status line is named as one. No test file gets the socket advice. The case is test/fixtures/follow/http-snapshots.
const fixture = path.resolve(import.meta.dirname, '../fixtures/follow/http-snapshots');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copy(): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-http-snapshots-'));
  temps.push(cwd);
  cpSync(fixture, cwd, { recursive: true });
  return cwd;
}

describe("a test's snapshot of an HTTP reply", () => {
  it('is never given the socket advice, with or without --include-tests', async () => {
    const cwd = copy();
    for (const includeTests of [true, false]) {
      const { report } = await migrate({ cwd, status: 401, mode: 'check', includeTests });
      const reasons = report.sites.map((s) => s.reason ?? '');
      expect(reasons.filter((r) => r.includes('socket'))).toEqual([]);
    }
  });

  it('is listed by a plain run with what --include-tests writes', async () => {
    const { report } = await migrate({ cwd: copy(), status: 401, mode: 'check' });
    const listed = (report.skippedTestAssertions ?? []).map(
      (a) =>
        `${a.file}:${a.line} ${a.replacement?.includes('HTTP/1.1 401 Unauthorized') ? 'status line' : '-'}`,
    );
    expect(listed).toEqual(['src/app.test.js:8 status line', 'src/app.test.js:22 status line']);
  });

  it('held in a stored snapshot, is named with its snapshot entry', async () => {
    const cwd = copy();
    mkdirSync(path.join(cwd, 'src/__snapshots__'));
    writeFileSync(
      path.join(cwd, 'src/stored.test.js'),
      `const { request, setTestApp } = require('axios-test-instance');
const app = require('./app');
beforeAll(() => setTestApp(app));
it('denies', async () => {
  const response = await request.get('/api/other');
  expect(response).toMatchSnapshot();
});
`,
    );
    writeFileSync(
      path.join(cwd, 'src/__snapshots__/stored.test.js.snap'),
      '// Jest Snapshot v1\n\nexports[`denies 1`] = `\nHTTP/1.1 403 Forbidden\nContent-Type: text/plain; charset=utf-8\n\nNope\n`;\n',
    );
    const { report } = await migrate({ cwd, status: 401, mode: 'check', includeTests: true });
    const stored = report.sites.filter((s) => s.file === 'src/stored.test.js');
    expect(stored.map((s) => `${s.line} ${s.action}`)).toEqual(['6 manual']);
    expect(stored[0]?.reason).toContain('through its stored snapshot (`denies 1`');
  });
});
