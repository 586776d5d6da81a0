import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { migrateSource } from '../../src/migrate/transform.js';

// Session 35 (kinds35b): manual reasons that named the wrong thing. A status map's computed key was printed `''`
// (status-mappings.ts), and restify's own `res.send(code, body)` was called "the Express 4 legacy form"
// (express.ts).
function reasons(file: string, text: string): string[] {
  const result = migrateSource(file, text, { target: 401, frameworks: FRAMEWORKS, testFile: false });
  return result.sites.flatMap((s) => (s.kind === 'manual' && s.reason ? [s.reason] : []));
}

describe('manual reasons name what the code wrote', () => {
  it.each([
    ["const K = 'forbidden';", '[K]', "K ('forbidden')"],
    ['', "['forbidden']", "'forbidden'"],
    ['', '[`forbidden`]', "'forbidden'"],
    ['', '[keys.denied]', '[keys.denied]'],
  ])('a status map keyed %s %s names its key %s', (before, key, label) => {
    const text = [
      "import express from 'express';",
      before,
      `const CODES = { ok: 200, ${key}: 403 };`,
      'const app = express();',
      "app.get('/a', (req, res) => { res.status(CODES[req.query.k as string]).send('no'); });",
    ].join('\n');
    const map = reasons('app.ts', text).find((r) => r.startsWith('Status map:'));
    expect(map).toBe(
      `Status map: ${label} maps to 403 and the map is read with a run-time key. Map the client-certificate failure to 401.`,
    );
  });

  it("words restify's res.send(code, body) as restify's form, Express's as its legacy form", () => {
    const body = [
      'const DENIED = 403;',
      "server.get('/a', (req, res, next) => { res.send(DENIED, { error: 'no' }); return next(); });",
    ];
    const restify = reasons(
      'server.ts',
      ["import restify from 'restify';", 'const server = restify.createServer();', ...body].join('\n'),
    );
    expect(restify).toContain(
      "res.send(…) sets status 403 here through restify's res.send(code, body) form (DENIED is 403): write res.send(401, …) instead.",
    );
    expect(restify.join('\n')).not.toContain('Express');
    const express = reasons(
      'server.ts',
      ["import express from 'express';", 'const server = express();', ...body].join('\n'),
    );
    expect(express).toContain(
      'res.send(…) sets status 403 here through the Express 4 legacy form (DENIED is 403): write res.status(401).send(…) instead.',
    );
  });
});
