import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// A helper loaded inside a function (`const { quickError } = await import('./hono.ts')`, capgo's
// requirePermission; `const { quickError: fail } = require('./hono')`): its calls passing 403 were an unknown
// shape (manual) while the same call of a top-level import is rewritten.
const project = path.resolve(import.meta.dirname, '../fixtures/projects/nested-loads');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('helpers loaded inside a function', () => {
  it('rewrites the calls of a helper bound by a nested dynamic import or require', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-nested-loads-'));
    temps.push(cwd);
    cpSync(project, cwd, { recursive: true });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    const rewrites = report.sites
      .filter((s) => s.action === 'would-rewrite')
      .map((s) => `${s.file}:${s.line}`);
    expect(rewrites).toEqual(['src/rbac.ts:4', 'src/rbac.ts:9']);
    // A file that also declares the name elsewhere keeps it unbound: its 403s stay reported, none rewritten.
    const local = report.sites.filter((s) => s.file === 'src/local.ts');
    expect(local.map((s) => `${s.line} ${s.action}`)).toEqual(['3 manual']);
  });
});
