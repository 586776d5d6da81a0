import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from '../../typescript.cjs';
import { sourceOfBuilt } from './workspace-packages.js';
import { importedFrom, type Declaration, type Project, type ProjectFile } from './project.js';
import { runCache } from '../../util/run-caches.js';

// A framework read from its own source: in the framework's repository (expressjs/express's examples and tests
// `require('../../')`, hono's `import { Hono } from '../../hono'`, hapi's `require('..')`) or in a workspace whose
// package of that name is linked by path, the app factory is a project file, not an import of the package.

/** Package names by folder (`null`: no package.json there), read once per folder. */
const NAMES = runCache<string, string | null>();

/**
 * The package a declaration belongs to, as its users import it: `{ module: 'express', name: 'default' }` for
 * `module.exports = function createApplication() {...}` in expressjs/express, `{ module: 'hono', name: 'Hono' }`
 * for `export class Hono` in honojs/hono. `module` is the `name` of the nearest package.json above the
 * declaration's file (up to `root`), returned only when `known(name)` (a package the route graph reads apps
 * from); `name` is the declared name of an exported class, function or variable, else `default` (the module's
 * exports object or its `module.exports` value). Undefined for any other declaration.
 */
export function ownPackageExport(
  declaration: Declaration,
  root: string,
  known: (module: string) => boolean,
): { module: string; name: string } | undefined {
  const found = packageOf(path.dirname(declaration.file.absolute), root);
  const module = found?.name;
  if (!found || !module || !known(module)) return undefined;
  const node = declaration.node;
  const named =
    (ts.isClassDeclaration(node) || ts.isFunctionDeclaration(node)) &&
    node.name &&
    !node.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)
      ? node.name.text
      : ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)
        ? node.name.text
        : undefined;
  // The package's default export is its entry's (`module.exports = require('./lib/express')` in index.js), not
  // any module's of the repository (koa's `lib/context.js`).
  if (named === undefined && !isEntry(found.folder, declaration.file.absolute)) return undefined;
  return { module, name: named ?? 'default' };
}

/** Whether `file` is the entry of the package in `folder`: its `main`, `exports['.']`, or `index`, source or built. */
function isEntry(folder: string, file: string): boolean {
  const stem = (p: string): string => p.replace(/\.[cm]?[jt]sx?$/, '').replace(/[\\/]index$/, '');
  const want = stem(file);
  let manifest: { main?: unknown; exports?: unknown } = {};
  try {
    manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as typeof manifest;
  } catch {
    // no manifest: index only
  }
  const dot =
    typeof manifest.exports === 'string'
      ? manifest.exports
      : manifest.exports && typeof manifest.exports === 'object'
        ? (manifest.exports as Record<string, unknown>)['.']
        : undefined;
  const targets = [
    manifest.main,
    dot,
    ...(dot && typeof dot === 'object' ? Object.values(dot as Record<string, unknown>) : []),
    'index',
  ]
    .filter((t): t is string => typeof t === 'string')
    .map((t) => path.resolve(folder, t));
  return targets.some((t) => stem(t) === want || stem(sourceOfBuilt(t, folder) ?? '') === want);
}

function packageOf(folder: string, root: string): { name: string; folder: string } | undefined {
  for (let at = folder; ; at = path.dirname(at)) {
    let name = NAMES.get(at);
    if (name === undefined) {
      name = readName(path.join(at, 'package.json'));
      NAMES.set(at, name);
    }
    if (name !== null) return name ? { name, folder: at } : undefined;
    if (at === root || path.dirname(at) === at || !at.startsWith(root)) return undefined;
  }
}

/** The `name` of a package.json ('' when it has none), or null when the folder has no readable one. */
function readName(file: string): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const name = (JSON.parse(text) as { name?: unknown }).name;
    return typeof name === 'string' ? name : '';
  } catch {
    return '';
  }
}

/**
 * The external package a top-level import of `file` named `name` comes from through project files that re-export
 * it (a workspace package `@acme/http` holding `export { default as express } from 'express'`, a barrel's
 * `import { Hono } from 'hono'; export { Hono }`): `{ module: 'express', name: 'default' }`. Undefined when the
 * chain ends in project code, in nothing, or after five files.
 */
export function reExportedPackage(
  project: Project,
  file: ProjectFile,
  name: string,
  depth = 0,
): { module: string; name: string } | undefined {
  if (depth > 4) return undefined;
  const binding = topLevelBinding(file.sourceFile, name);
  const imported = binding && importedFrom(binding);
  if (!imported) return undefined;
  const target = project.resolveModule(file, imported.module);
  if (!target) return /^[@\w]/.test(imported.module) ? imported : undefined;
  return exportedFrom(project, target, imported.name, depth + 1);
}

function exportedFrom(
  project: Project,
  file: ProjectFile,
  name: string,
  depth: number,
): { module: string; name: string } | undefined {
  if (depth > 4 || name === '*') return undefined;
  for (const statement of file.sourceFile.statements) {
    if (!ts.isExportDeclaration(statement) || statement.isTypeOnly) continue;
    const specifier =
      statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
        ? statement.moduleSpecifier.text
        : undefined;
    const clause = statement.exportClause;
    const target = specifier === undefined ? undefined : project.resolveModule(file, specifier);
    // `export * from './impl'`: the name may be among its exports.
    if (!clause) {
      const found = target ? exportedFrom(project, target, name, depth + 1) : undefined;
      if (found) return found;
      continue;
    }
    if (!ts.isNamedExports(clause)) continue;
    for (const element of clause.elements) {
      if (element.name.text !== name || element.isTypeOnly) continue;
      const original = (element.propertyName ?? element.name).text;
      if (specifier === undefined) return reExportedPackage(project, file, original, depth + 1);
      if (target) return exportedFrom(project, target, original, depth + 1);
      return /^[@\w]/.test(specifier) ? { module: specifier, name: original } : undefined;
    }
  }
  return undefined;
}

/** The import (or `require()`) declaration of `file` that binds `name` at its top level. */
function topLevelBinding(sourceFile: ts.SourceFile, name: string): ts.Node | undefined {
  return topLevelBindings(sourceFile).get(name);
}

/**
 * Every name `topLevelBinding` answers for, with the first statement's node that binds it, made once per file:
 * the route graph asks it for each call it reads, and a declaration file of thousands of statements made that
 * quadratic.
 */
const bindingsByFile = new WeakMap<ts.SourceFile, ReadonlyMap<string, ts.Node>>();
function topLevelBindings(sourceFile: ts.SourceFile): ReadonlyMap<string, ts.Node> {
  let bindings = bindingsByFile.get(sourceFile);
  if (bindings) return bindings;
  const found = new Map<string, ts.Node>();
  const bind = (name: string, node: ts.Node): void => {
    if (!found.has(name)) found.set(name, node);
  };
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause && !statement.importClause.isTypeOnly) {
      const clause = statement.importClause;
      if (clause.name) bind(clause.name.text, clause);
      const named = clause.namedBindings;
      if (named && ts.isNamespaceImport(named)) bind(named.name.text, named);
      if (named && ts.isNamedImports(named))
        for (const element of named.elements) bind(element.name.text, element);
    }
    if (ts.isImportEqualsDeclaration(statement)) bind(statement.name.text, statement);
    if (ts.isVariableStatement(statement))
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) bind(declaration.name.text, declaration);
        if (ts.isObjectBindingPattern(declaration.name))
          for (const element of declaration.name.elements)
            if (ts.isIdentifier(element.name)) bind(element.name.text, element);
      }
  }
  bindings = found;
  bindingsByFile.set(sourceFile, bindings);
  return bindings;
}
