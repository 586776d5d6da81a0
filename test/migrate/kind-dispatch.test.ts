import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS, type Framework } from '../../src/migrate/frameworks/index.js';
import { migrateSource } from '../../src/migrate/transform.js';

// The walker (transform.ts analyzeSource) calls a module's `visit` only for the node kinds it declares
// (Framework `kinds`). A kind left out of a declaration would silently drop the module's sites for that kind:
// every fixture file must give the same result as when every module sees every node.

const root = path.resolve(import.meta.dirname, '../fixtures');
const SOURCE = /\.(?:[cm]?[jt]sx?|astro)$/;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return SOURCE.test(entry.name) ? [full] : [];
  });
}

/** The same modules, each seeing every node. */
const EVERY_NODE: readonly Framework[] = FRAMEWORKS.map((f) => ({
  id: f.id,
  title: f.title,
  enablers: f.enablers,
  visit: (node, analysis) => f.visit(node, analysis),
}));

const files = sourceFiles(root);

describe('framework modules see the node kinds they declare', () => {
  it('every module declares its kinds', () => {
    for (const framework of FRAMEWORKS) expect(framework.kinds?.length, framework.id).toBeGreaterThan(0);
  });

  it('finds fixture files', () => {
    expect(files.length).toBeGreaterThan(300);
  });

  it.each(files.map((f) => path.relative(root, f)))(
    '%s: same result as every module on every node',
    (file) => {
      const text = readFileSync(path.join(root, file), 'utf8');
      const target = Number(/\/\/ fixture:.*\bstatus=(\d+)/.exec(text)?.[1] ?? 401);
      for (const testFile of [false, true]) {
        const options = { target, testFile, wwwAuthenticate: 'Bearer' };
        const dispatched = migrateSource(file, text, { ...options, frameworks: FRAMEWORKS });
        const everyNode = migrateSource(file, text, { ...options, frameworks: EVERY_NODE });
        expect(JSON.stringify(dispatched)).toBe(JSON.stringify(everyNode));
      }
    },
  );
});
