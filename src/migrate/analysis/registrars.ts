import ts from '../../typescript.cjs';
import { assignedValues } from './assigned-values.js';
import { FileImports } from './file-imports.js';
import { skipOuter } from './syntax.js';
import type { ImportLink } from './types.js';

/** The frameworks whose route handlers get their receiver at a known parameter (receivers.ts). */
export type RegistrarFramework = 'koa' | 'hono' | 'fastify' | 'express';

/** Packages whose app or router a registrar is made from, by the framework that hands its handlers over. */
const MAKERS: Record<string, RegistrarFramework> = {
  koa: 'koa',
  '@koa/router': 'koa',
  'koa-router': 'koa',
  hono: 'hono',
  fastify: 'fastify',
  express: 'express',
  router: 'express',
  connect: 'express',
};

/** Files followed from a registrar's import to its declaration at most (re-exports chained). */
const MAX_DEPTH = 4;

/**
 * The framework of a route registrar (`router` in `router.get('/x', (c) => …)`) from the value it holds: a
 * variable of the file, or of the project file it is imported from, made by `new Router()` (@koa/router),
 * `new Koa()`, `new Hono()`, `Fastify()`, `express()` / `express.Router()`, in its initializer or in any
 * later assignment (`let app; export function init() { app = new Koa(); }`: a singleton filled in later, session
 * 36). Undefined when no value it is given is made by one of those packages, or two disagree.
 *
 * @param link reads the declaring file of an imported registrar; without it an imported name is not followed.
 */
export function registrarFramework(
  expression: ts.Expression,
  imports: FileImports,
  link: ImportLink | undefined,
): RegistrarFramework | undefined {
  const root = skipOuter(expression);
  if (!ts.isIdentifier(root)) return undefined;
  return followRegistrar(root.text, root.getSourceFile(), imports, link, 0);
}

function followRegistrar(
  name: string,
  sourceFile: ts.SourceFile,
  imports: FileImports,
  link: ImportLink | undefined,
  depth: number,
): RegistrarFramework | undefined {
  const binding = imports.importOf(name);
  if (binding) {
    if (depth >= MAX_DEPTH || !/^(?:\.|\/|#|~|@\/)/.test(binding.module) || !link?.declaration)
      return undefined;
    const site = link.declaration(binding);
    if (!site) return undefined;
    return followRegistrar(
      site.name,
      site.sourceFile,
      new FileImports(site.sourceFile),
      site.link,
      depth + 1,
    );
  }
  const found = new Set<RegistrarFramework>();
  for (const value of assignedValues(sourceFile, name, false)) {
    const framework = madeBy(value, imports);
    if (framework) found.add(framework);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** `new Router()`, `Fastify({…})`, `express.Router()`, `require('koa')()`: the framework whose package makes it. */
function madeBy(value: ts.Expression, imports: FileImports): RegistrarFramework | undefined {
  const made = skipOuter(value);
  if (!ts.isNewExpression(made) && !ts.isCallExpression(made)) return undefined;
  let callee = skipOuter(made.expression);
  if (ts.isPropertyAccessExpression(callee)) callee = skipOuter(callee.expression);
  if (
    ts.isCallExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'require'
  ) {
    const [specifier] = callee.arguments;
    return specifier && ts.isStringLiteralLike(specifier) ? MAKERS[specifier.text] : undefined;
  }
  if (!ts.isIdentifier(callee)) return undefined;
  const binding = imports.importOf(callee.text);
  return binding ? MAKERS[binding.module] : undefined;
}
