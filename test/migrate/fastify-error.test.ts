import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { migrateSource } from '../../src/migrate/transform.js';

// @fastify/error `createError(code, message, 403)` defines an error class whose every throw answers 403
// (fastify/csrf-protection's FST_CSRF_INVALID_TOKEN). It is a Fastify site with the remap for shared
// definitions, not "a 403 in a shape mtls-fix does not know".
const root = path.resolve(import.meta.dirname, '../fixtures/fastify');

describe('@fastify/error definitions', () => {
  it.each(['error-factory.unchanged.js', 'error-factory-esm.unchanged.ts'])('%s', (name) => {
    const text = readFileSync(path.join(root, name), 'utf8');
    const result = migrateSource(name, text, { target: 401, frameworks: FRAMEWORKS, testFile: false });
    const sites = result.sites.filter((s) => /403\)$/.test(s.form));
    expect(sites.length).toBeGreaterThan(0);
    for (const site of sites) {
      expect(site.framework).toBe('fastify');
      expect(site.kind).toBe('manual');
      expect(site.reason).toMatch(/^The @fastify\/error class FST_\w+ answers 403 wherever it is thrown\. /);
      expect(site.reason).toContain('add a sibling error with status 401');
    }
  });

  it('a definition whose status comes from a caller is a helper slot', () => {
    const name = 'error-factory.unchanged.js';
    const text = readFileSync(path.join(root, name), 'utf8');
    const result = migrateSource(name, text, { target: 401, frameworks: FRAMEWORKS, testFile: false });
    const helper = result.sites.find((s) => s.form.startsWith("createError(code, 'Denied'"));
    expect(helper?.reason).toMatch(/^Shared helper: the status comes from its caller \(parameter 'status'\)/);
  });
});
