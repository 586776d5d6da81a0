import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { migrateSource } from '../../src/migrate/transform.js';

const root = path.resolve(import.meta.dirname, '../fixtures');
const FIXTURE_DIRS = readdirSync(root).filter((dir) =>
  readdirSync(path.join(root, dir)).some((f) => /\.(input|unchanged)\.(?:[cm]?[jt]sx?|astro)$/.test(f)),
);

interface Header {
  status: number;
  testFile: boolean;
  wwwAuthenticate?: string;
  manual?: number;
  ignored?: number;
}

/**
 * First line `// fixture: status=404 tests www-authenticate=Bearer manual=2 ignored=1` sets the options (in an
 * `.astro` fixture, the first line of the frontmatter).
 */
function header(text: string): Header {
  const line = /^\uFEFF?(?:---\r?\n)?\/\/ fixture:(.*)/.exec(text)?.[1] ?? '';
  const value = (key: string) => new RegExp(`\\b${key}=(\\S+)`).exec(line)?.[1];
  return {
    status: Number(value('status') ?? 401),
    testFile: /\btests\b/.test(line),
    wwwAuthenticate: value('www-authenticate'),
    manual: value('manual') === undefined ? undefined : Number(value('manual')),
    ignored: value('ignored') === undefined ? undefined : Number(value('ignored')),
  };
}

function run(file: string, text: string) {
  const h = header(text);
  return migrateSource(file, text, {
    target: h.status,
    frameworks: FRAMEWORKS,
    testFile: h.testFile,
    wwwAuthenticate: h.wwwAuthenticate,
  });
}

describe.each(FIXTURE_DIRS)('%s', (dir) => {
  const files = readdirSync(path.join(root, dir));
  const inputs = files.filter((f) => /\.input\.(?:[cm]?[jt]sx?|astro)$/.test(f));
  const unchanged = files.filter((f) => /\.unchanged\.(?:[cm]?[jt]sx?|astro)$/.test(f));

  it('has at least one .unchanged case', () => {
    expect(unchanged.length).toBeGreaterThan(0);
  });

  it.each(inputs)('%s', (input) => {
    const text = readFileSync(path.join(root, dir, input), 'utf8');
    const expected = readFileSync(path.join(root, dir, input.replace('.input.', '.output.')), 'utf8');
    const first = run(input, text);
    expect(first.text).toBe(expected);
    const h = header(text);
    if (h.manual !== undefined)
      expect(first.sites.filter((s) => s.kind === 'manual' && !s.ignoreReason)).toHaveLength(h.manual);
    if (h.ignored !== undefined) expect(first.sites.filter((s) => s.ignoreReason)).toHaveLength(h.ignored);
    // Idempotency: a second run changes nothing.
    expect(run(input, first.text).text).toBe(first.text);
  });

  it.each(unchanged)('%s', (name) => {
    const text = readFileSync(path.join(root, dir, name), 'utf8');
    const result = run(name, text);
    expect(result.text).toBe(text);
    const h = header(text);
    if (h.manual !== undefined)
      expect(result.sites.filter((s) => s.kind === 'manual' && !s.ignoreReason)).toHaveLength(h.manual);
  });
});

describe('fixture coverage', () => {
  it('every framework module has a fixture folder', () => {
    for (const framework of FRAMEWORKS) expect(FIXTURE_DIRS).toContain(framework.id);
  });
});
