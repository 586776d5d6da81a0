import { describe, expect, it } from 'vitest';
import { collectImports } from '../../src/migrate/imports.js';
import { parseSource } from '../../src/migrate/parse.js';
import { countKindReads } from '../helpers/statement-reads.js';

// Review of session 38 (rv-remaps): session 38 cached a file's imports for two callers (remaps-handlers.ts,
// outside-holds.ts) while four others (middleware-403.ts's base classes, error-classes.ts's tables,
// status-param-types.ts's types, code-map-helpers.ts's followed files) still walked the whole file once per lookup.
// The cache is collectImports' own now, so every caller shares it.

describe('collectImports', () => {
  it('walks a file once however often its imports are asked for', () => {
    const sourceFile = parseSource(
      'app.js',
      "import express from 'express';\nconst { a } = require('./a');\nfunction f() { const { b } = require('./b'); return b; }\n",
    );
    const first = collectImports(sourceFile);
    const reads = countKindReads(sourceFile.statements);
    const second = collectImports(sourceFile);
    expect(second).toBe(first);
    expect(reads.reads).toBe(0);
    expect([...second.keys()]).toEqual(['express', 'a', 'b']);
  });
});
