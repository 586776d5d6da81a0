import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { migrateSource } from '../../src/migrate/transform.js';

// `CODES[K]` rewritten to the target's literal leaves `const K = 'FORBIDDEN'` unread when that was its only read
// (TS6133 under noUnusedLocals). Session 37: with a target row in the table K's value moves there (fixture
// express/constant-key-sibling); otherwise the rewrite's site says K is left unread, never silently.
const fixture = path.resolve(import.meta.dirname, '../fixtures/express/constant-key-sibling.input.ts');

describe('computed keys left unread by a rewrite', () => {
  it('notes the key a rewrite leaves unread, and only that one', () => {
    const text = readFileSync(fixture, 'utf8');
    const { sites } = migrateSource('app.ts', text, { target: 401, frameworks: FRAMEWORKS, testFile: false });
    const rewrites = sites.filter((s) => s.kind === 'rewrite');
    expect(rewrites).toHaveLength(3);
    const noted = rewrites.filter((s) => s.reason?.includes('is left unread'));
    expect(noted.map((s) => s.form)).toEqual(['res.status(CODES[FORBIDDEN_KEY])']);
    expect(noted[0].reason).toContain("The key 'FORBIDDEN_KEY' (line 7)");
  });

  it('notes a key whose table has no row for the target', () => {
    const text = [
      "import express from 'express';",
      'const CODES = { OK: 200, FORBIDDEN: 403 } as const;',
      "const K = 'FORBIDDEN';",
      'const app = express();',
      "app.get('/a', (req, res) => res.status(CODES[K]).end());",
      '',
    ].join('\n');
    const result = migrateSource('app.ts', text, { target: 401, frameworks: FRAMEWORKS, testFile: false });
    expect(result.text).toContain('res.status(401)');
    const site = result.sites.find((s) => s.kind === 'rewrite');
    expect(site?.reason).toContain("The key 'K' (line 3) is read only by rewritten reads");
  });
});
