import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { normalizeModule } from './imports.js';
import { runCache } from '../util/run-caches.js';

/** A SvelteKit universal route file (`+page.ts`, `+layout.js`): its `load` runs on the server unless `ssr = false`. */
const UNIVERSAL_ROUTE = /^\+(page|layout)\.(?:[cm]?[jt]s)$/;

/** The route files of a folder that may set the `ssr` page option (universal and server ones). */
const OPTION_FILES = (kind: 'page' | 'layout'): string[] =>
  ['ts', 'js', 'mjs', 'server.ts', 'server.js', 'server.mjs'].map((ext) => `+${kind}.${ext}`);

/** SvelteKit's client hooks file: it runs only in the browser (SvelteKit docs, "Hooks: Shared hooks"). */
const CLIENT_HOOKS = /^hooks\.client\.(?:[cm]?[jt]s)$/;

/** Remix / React Router route exports that run only in the browser (Remix docs, "clientLoader", "clientAction"). */
const CLIENT_EXPORTS = new Set(['clientLoader', 'clientAction']);

/** The `ssr` option a file exports as a boolean literal (`export const ssr = false`), else undefined. */
function ssrOption(sourceFile: ts.SourceFile): boolean | undefined {
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    if (!ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const d of statement.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || d.name.text !== 'ssr' || !d.initializer) continue;
      if (d.initializer.kind === ts.SyntaxKind.FalseKeyword) return false;
      if (d.initializer.kind === ts.SyntaxKind.TrueKeyword) return true;
    }
  }
  return undefined;
}

const fileOptions = runCache<string, boolean | null>();

/** {@link ssrOption} of a file on disk (undefined when it is absent or sets none), cached for the run. */
function ssrOptionOf(file: string): boolean | undefined {
  const cached = fileOptions.get(file);
  if (cached !== undefined) return cached ?? undefined;
  let found: boolean | undefined;
  try {
    const text = readFileSync(file, 'utf8');
    if (/\bssr\b/.test(text)) found = ssrOption(ts.createSourceFile(file, text, ts.ScriptTarget.Latest));
  } catch {
    found = undefined;
  }
  fileOptions.set(file, found ?? null);
  return found;
}

/** The first `ssr` setting among a folder's route files of one kind, else undefined. */
function folderOption(folder: string, kind: 'page' | 'layout'): boolean | undefined {
  for (const name of OPTION_FILES(kind)) {
    const setting = ssrOptionOf(path.join(folder, name));
    if (setting !== undefined) return setting;
  }
  return undefined;
}

/**
 * The `ssr` setting a route file inherits from the layouts above it: the nearest `+layout.*` that sets one, from
 * its own folder (for a page) or its parent's (for a layout) up to the `routes` folder, the repository root or the
 * file system root. Undefined when none sets it (SvelteKit's default: true).
 */
function inheritedOption(folder: string): boolean | undefined {
  let current = folder;
  for (;;) {
    const setting = folderOption(current, 'layout');
    if (setting !== undefined) return setting;
    const parent = path.dirname(current);
    if (parent === current || path.basename(current) === 'routes') return undefined;
    if (existsSync(path.join(current, '.git'))) return undefined;
    current = parent;
  }
}

/** Whether a route file under `folder` (its own or any below it) sets `ssr = true`, turning SSR back on. */
function reenabledBelow(folder: string, depth = 0): boolean {
  if (depth > 30) return false;
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.') && reenabledBelow(full, depth + 1))
        return true;
    } else if (/^\+(page|layout)\./.test(entry.name) && ssrOptionOf(full) === true) return true;
  }
  return false;
}

/**
 * Whether a SvelteKit universal route file (`+page.ts` / `+layout.js`, not `.server`) runs only in the browser:
 * the page option `ssr` it sets, or the one it inherits (a page: its own folder's `+page.server.*`, then the
 * layouts above), is `false`; a layout's only when no page or layout below turns `ssr` back on (then its `load`
 * runs on the server for that page). Its `error(403)` then never reaches the wire: SvelteKit renders it in the
 * browser. Also SvelteKit's `hooks.client.*`. Source: SvelteKit docs, "Page options: ssr", "Loading data:
 * Universal vs server".
 */
export function isClientOnlyRoute(analysis: FileAnalysis): boolean {
  const file = analysis.options.link?.absolute ?? path.resolve(analysis.sourceFile.fileName);
  const base = path.basename(file);
  if (CLIENT_HOOKS.test(base)) return true;
  const match = UNIVERSAL_ROUTE.exec(base);
  if (!match) return false;
  const folder = path.dirname(file);
  const kind = match[1] === 'page' ? 'page' : 'layout';
  let setting = ssrOption(analysis.sourceFile);
  if (setting === undefined && kind === 'page') setting = folderOption(folder, 'page');
  if (setting === undefined) setting = inheritedOption(kind === 'page' ? folder : path.dirname(folder));
  if (setting !== false) return false;
  if (kind === 'layout') {
    for (const entry of safeEntries(folder))
      if (entry.isDirectory() && reenabledBelow(path.join(folder, entry.name))) return false;
    if (folderOption(folder, 'page') === true) return false;
  }
  return true;
}

function safeEntries(folder: string): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Whether the file is a Remix / React Router route module: it imports a Remix or React Router package. */
function isRouteModule(analysis: FileAnalysis): boolean {
  for (const binding of analysis.imports.values()) {
    const module = normalizeModule(binding.module);
    if (
      module === 'remix' ||
      module.startsWith('@remix-run/') ||
      module === 'react-router' ||
      module.startsWith('react-router/') ||
      module.startsWith('@react-router/')
    )
      return true;
  }
  return /[\\/]routes[\\/]/.test(analysis.sourceFile.fileName);
}

/**
 * The spans of a Remix / React Router route module's exported `clientLoader` / `clientAction` bodies (function
 * declarations, or `const` arrow / function expressions): code the browser runs, whose thrown or returned 403
 * `Response` never reaches the wire. Empty for other files.
 */
export function clientExportSpans(analysis: FileAnalysis): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  const { sourceFile } = analysis;
  if (!/\bclient(?:Loader|Action)\b/.test(analysis.text) || !isRouteModule(analysis)) return spans;
  for (const statement of sourceFile.statements) {
    const exported =
      ts.canHaveModifiers(statement) &&
      ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name && CLIENT_EXPORTS.has(statement.name.text))
      spans.push({ start: statement.getStart(sourceFile), end: statement.end });
    if (ts.isVariableStatement(statement))
      for (const d of statement.declarationList.declarations)
        if (
          ts.isIdentifier(d.name) &&
          CLIENT_EXPORTS.has(d.name.text) &&
          d.initializer &&
          (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))
        )
          spans.push({ start: d.initializer.getStart(sourceFile), end: d.initializer.end });
  }
  return spans;
}
