import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from '../../typescript.cjs';
import type { Declaration } from './project.js';

// A framework read from its own source: in the framework's repository (expressjs/express's examples and tests
// `require('../../')`, hono's `import { Hono } from '../../hono'`, hapi's `require('..')`) or in a workspace whose
// package of that name is linked by path, the app factory is a project file, not an import of the package.

/** Package names by folder (`null`: no package.json there), read once per folder. */
const NAMES = new Map<string, string | null>();

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
  const module = packageName(path.dirname(declaration.file.absolute), root);
  if (!module || !known(module)) return undefined;
  const node = declaration.node;
  const named =
    (ts.isClassDeclaration(node) || ts.isFunctionDeclaration(node)) &&
    node.name &&
    !node.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)
      ? node.name.text
      : ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)
        ? node.name.text
        : undefined;
  return { module, name: named ?? 'default' };
}

function packageName(folder: string, root: string): string | undefined {
  for (let at = folder; ; at = path.dirname(at)) {
    let name = NAMES.get(at);
    if (name === undefined) {
      name = readName(path.join(at, 'package.json'));
      NAMES.set(at, name);
    }
    if (name !== null) return name || undefined;
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
