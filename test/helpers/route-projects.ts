import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { SOURCE_EXTENSIONS } from '../../src/migrate/parse.js';
import type { CodeRoute } from '../../src/migrate/routes/model.js';
import ts from '../../src/typescript.cjs';

/** test/fixtures, absolute. */
export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

/** Every fixture project with routes: the spec projects, the follow projects, the projects, the reach aliases. */
export const ROUTE_PROJECT_ROOTS: readonly string[] = [
  ...readdirSync(path.join(FIXTURES, 'spec-projects')).map((d) => path.join(FIXTURES, 'spec-projects', d)),
  ...['express', 'hapi', 'nest', 'suite'].map((d) => path.join(FIXTURES, 'follow', d)),
  ...readdirSync(path.join(FIXTURES, 'projects')).map((d) => path.join(FIXTURES, 'projects', d)),
  path.join(FIXTURES, 'reach', 'aliases'),
].filter((d) => statSync(d).isDirectory());

/** The source files under `root` (no node_modules, no declaration files): absolute, and relative with `/`. */
export function projectSources(root: string): { absolute: string; relative: string }[] {
  const out: { absolute: string; relative: string }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const absolute = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(absolute);
      else if (SOURCE_EXTENSIONS.some((e) => entry.name.endsWith(e)) && !entry.name.endsWith('.d.ts'))
        out.push({ absolute, relative: path.relative(root, absolute).split(path.sep).join('/') });
    }
  };
  walk(root);
  return out;
}

/** Routes as sorted `METHOD path file:line` lines, for comparing two extractions. */
export const describeRoutes = (routes: Iterable<CodeRoute>): string[] =>
  [...routes].map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`).sort();

/** Every node's kind and range, depth first: two trees print the same when they have the same shape. */
export function shape(sourceFile: ts.SourceFile): string {
  const out: string[] = [];
  const visit = (node: ts.Node, depth: number): void => {
    out.push(`${depth} ${ts.SyntaxKind[node.kind]} ${node.pos}-${node.end}`);
    node.forEachChild((child) => visit(child, depth + 1));
  };
  visit(sourceFile, 0);
  return out.join('\n');
}
