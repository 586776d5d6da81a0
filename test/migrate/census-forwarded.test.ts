import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { migrateSource } from '../../src/migrate/transform.js';

const run = (text: string) =>
  migrateSource('app.ts', text, { target: 401, frameworks: FRAMEWORKS, testFile: false });
const EXPRESS = "import express from 'express';\nconst app = express();\n";

describe('403s handed through .call/.apply/.bind/Reflect.apply (session 39)', () => {
  it('rewrites a forwarded call whose this is the sender itself, every forwarder', () => {
    const text = `${EXPRESS}app.get('/a', (req, res) => {\n  res.status.call(res, 403);\n  res.status.apply(res, [403]);\n  res.status.bind(res)(403);\n  Reflect.apply(res.status, res, [403]);\n});\n`;
    const result = run(text);
    expect(result.text).not.toContain('403');
    expect(result.sites.filter((s) => s.kind === 'manual')).toHaveLength(0);
  });

  it('names a forwarded call it cannot prove, with the call and why', () => {
    const text = `${EXPRESS}app.get('/a', (req, res) => {\n  res.status.call(req.res, 403);\n  res.status.apply(other, [403]);\n  send.call(null, 403);\n});\n`;
    const reasons = run(text)
      .sites.filter((s) => s.kind === 'manual')
      .map((s) => s.reason ?? '');
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toContain('Sends 403 through res.status.call(req.res, 403) (a forwarded call, .call)');
    expect(reasons[0]).toContain('with `this` set to req.res, not res');
    expect(reasons[1]).toContain('(a forwarded call, .apply)');
    expect(reasons[2]).toContain('send is no method of a response object');
    for (const reason of reasons) expect(reason).not.toContain('shape mtls-fix does not know');
  });
});

describe('a factory chosen by a run-time key (session 39)', () => {
  it('names Boom[this.errorType]() with file:line, and says what a typed key may hold', () => {
    const text = `import Boom from '@hapi/boom';\ntype Kind = 'forbidden' | 'notFound';\nexport class G {\n  errorType = 'x';\n  a() { throw Boom[this.errorType]('m'); }\n  b(kind: Kind) { throw Boom[kind]('m'); }\n}\n`;
    const reasons = run(text)
      .sites.filter((s) => s.kind === 'manual')
      .map((s) => s.reason ?? '');
    expect(reasons[0]).toContain(
      'A Boom factory chosen at run time (this.errorType, app.ts:5): may be forbidden() (403)',
    );
    expect(reasons[1]).toContain("kind holds one of 'forbidden', 'notFound'");
  });
});

describe('a response status read by a string key (session 39)', () => {
  it("names res['statusCode'] === 403 as reading its own response status, as res.statusCode is", async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'own-status-keyed-'));
    try {
      const text = `${EXPRESS}app.get('/a', (req, res) => {\n  if (res['statusCode'] === 403) return;\n  res.status(403).end();\n});\n`;
      writeFileSync(path.join(cwd, 'app.ts'), text);
      const { report } = await migrate({ cwd, status: 401, mode: 'check' });
      const reasons = report.sites.map((s) => s.reason ?? '');
      expect(reasons.some((r) => r.startsWith("Reads its own response status (res['statusCode'])"))).toBe(
        true,
      );
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
