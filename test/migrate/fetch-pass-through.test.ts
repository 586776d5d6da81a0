import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { mayHoldSite } from '../../src/migrate/prefilter.js';
import { migrateSource } from '../../src/migrate/transform.js';

// Web handlers that return an upstream's Response (test/fixtures/fetch-pass-through): each line marked
// `// pass-through` is one manual site, `Implicit 403`, with the remap; no other line is. Before session 21 none
// was a site and every file but one was not even parsed (no 403 form in its text).
const root = path.resolve(import.meta.dirname, '../fixtures/fetch-pass-through');
const files = readdirSync(root).filter((f) => f.endsWith('.ts'));

describe('fetch pass-through', () => {
  it.each(files)('%s: a site on each marked line, none elsewhere', (name) => {
    const text = readFileSync(path.join(root, name), 'utf8');
    const lines = text.split('\n');
    const marked = lines.flatMap((line, i) => (line.includes('// pass-through') ? [i + 1] : []));
    const result = migrateSource(name, text, { target: 401, frameworks: FRAMEWORKS, testFile: false });
    const sites = result.sites.filter((s) =>
      /^Implicit 403: this (?:handler returns the upstream's|middleware rewrites the request)/.test(
        s.reason ?? '',
      ),
    );
    const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length;
    expect(sites.map((s) => lineOf(s.span.start))).toEqual(marked);
    for (const site of sites)
      expect(site.reason).toMatch(/res\.status === 403 \? new (?:Next)?Response\(res\.body, \{ status: 401/);
    // The prefilter reads every file that has one.
    if (marked.length) expect(mayHoldSite(text)).toBe(true);
  });

  it('names the framework whose handler it is', () => {
    const text = readFileSync(path.join(root, 'file-routes.unchanged.ts'), 'utf8');
    const result = migrateSource('src/routes/+server.ts', text, {
      target: 401,
      frameworks: FRAMEWORKS,
      testFile: false,
    });
    expect(result.sites.map((s) => s.framework)).toEqual(['sveltekit', 'remix', 'h3', 'h3']);
  });
});
