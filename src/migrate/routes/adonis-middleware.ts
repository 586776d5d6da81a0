import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from '../../typescript.cjs';
import { classMethod } from './adonis-classes.js';
import type { Span } from './model.js';
import { staticString, unwrap, type Project, type ProjectFile } from './project.js';
import { span } from './syntax.js';

/** The middleware an AdonisJS kernel registers: by name for routes, and for every route. */
export interface AdonisMiddleware {
  /** The code of the middleware registered under `name` (empty when none is, or it is a package's). */
  named(name: string): Span[];
  /** The code of the middleware that runs for every route. */
  global: Span[];
}

/** Kernel files: AdonisJS 6 / 5 `start/kernel.ts`, AdonisJS 4 `start/kernel.js`. */
const KERNEL = /(?:^|\/)start\/kernel\.[cm]?[jt]s$/;

/**
 * The middleware of the project's AdonisJS kernel(s): AdonisJS 6 `router.named({ auth: () =>
 * import('#middleware/auth_middleware') })`, `router.use([...])` and `server.use([...])`; AdonisJS 5
 * `Server.middleware.registerNamed({...})` and `Server.middleware.register([...])`; AdonisJS 4 `const
 * namedMiddleware = { admin: 'App/Middleware/Admin' }` and `const globalMiddleware = [...]`. A middleware is its
 * class's `handle` method; so is the app's exception handler, which answers every route's errors (AdonisJS 6
 * `server.errorHandler(() => import('#exceptions/handler'))`, AdonisJS 5 the `exceptionHandlerNamespace` of
 * `.adonisrc.json`, AdonisJS 4 `app/Exceptions/Handler.js`). One from a package (`@ioc:Adonis/Core/BodyParser`, `Adonis/Middleware/Session`) is not
 * in the project and adds nothing. Source: AdonisJS docs, "Middleware" (named and global / router middleware).
 */
export function adonisMiddleware(project: Project): AdonisMiddleware {
  const named = new Map<string, Span[]>();
  const global: Span[] = [];
  for (const file of project.files) {
    if (!KERNEL.test(file.relative)) continue;
    for (const call of project.calls(file)) {
      const callee = call.expression;
      if (!ts.isPropertyAccessExpression(callee)) continue;
      const argument = call.arguments[0] && unwrap(call.arguments[0]);
      if (!argument) continue;
      const name = callee.name.text;
      if ((name === 'registerNamed' || name === 'named') && ts.isObjectLiteralExpression(argument))
        addNamed(project, file, argument, named);
      if ((name === 'register' || name === 'use') && ts.isArrayLiteralExpression(argument))
        for (const element of argument.elements) global.push(...moduleSpans(project, file, unwrap(element)));
      // AdonisJS 6: `server.errorHandler(() => import('#exceptions/handler'))`, run for every route's errors.
      if (name === 'errorHandler') global.push(...moduleSpans(project, file, argument));
    }
    global.push(...exceptionHandler(project, file));
    // AdonisJS 4: `const namedMiddleware = {...}`, `const globalMiddleware = [...]`.
    for (const statement of file.sourceFile.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const d of statement.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || !d.initializer) continue;
        const init = unwrap(d.initializer);
        if (d.name.text === 'namedMiddleware' && ts.isObjectLiteralExpression(init))
          addNamed(project, file, init, named);
        if (d.name.text === 'globalMiddleware' && ts.isArrayLiteralExpression(init))
          for (const element of init.elements) global.push(...moduleSpans(project, file, unwrap(element)));
      }
    }
  }
  return { named: (name) => named.get(name) ?? [], global };
}

function addNamed(
  project: Project,
  file: ProjectFile,
  object: ts.ObjectLiteralExpression,
  named: Map<string, Span[]>,
): void {
  for (const p of object.properties) {
    if (!ts.isPropertyAssignment(p)) continue;
    const key = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : undefined;
    if (key) named.set(key, moduleSpans(project, file, unwrap(p.initializer)));
  }
}

/** `() => import('App/Middleware/Auth')`, `'App/Middleware/Admin'` (AdonisJS 4): the class's `handle`. */
function moduleSpans(project: Project, file: ProjectFile, node: ts.Expression): Span[] {
  let specifier: string | undefined;
  if (ts.isArrowFunction(node)) {
    const body = unwrap(node.body as ts.Expression);
    if (ts.isCallExpression(body) && body.expression.kind === ts.SyntaxKind.ImportKeyword)
      specifier = staticString(body.arguments[0]);
  } else specifier = staticString(node);
  if (specifier === undefined || /^@ioc:|^@adonisjs\/|^Adonis\//.test(specifier)) return [];
  const target = project.resolveModule(file, specifier) ?? underPackage(project, file, specifier);
  if (!target) return [];
  const handle = classMethod(project, target, 'handle');
  return [span(target, handle ?? target.sourceFile)];
}

/** `App/Middleware/Admin` under the folder above `start/` (AdonisJS 4's autoload of `App` from `./app`). */
function underPackage(project: Project, kernel: ProjectFile, specifier: string): ProjectFile | undefined {
  if (!/^App\//.test(specifier)) return undefined;
  const root = path.dirname(path.dirname(kernel.relative));
  const base = `${root === '.' ? '' : `${root}/`}${specifier.replace(/^App\//, 'app/')}`;
  return project.byRelative(`${base}.ts`) ?? project.byRelative(`${base}.js`);
}

/** AdonisJS 5 / 4: the exception handler `.adonisrc.json` names (`exceptionHandlerNamespace`), else `App/Exceptions/Handler`. */
function exceptionHandler(project: Project, kernel: ProjectFile): Span[] {
  const rc = path.join(path.dirname(path.dirname(kernel.absolute)), '.adonisrc.json');
  let namespace = 'App/Exceptions/Handler';
  if (existsSync(rc))
    try {
      const parsed = JSON.parse(readFileSync(rc, 'utf8')) as { exceptionHandlerNamespace?: unknown };
      if (typeof parsed.exceptionHandlerNamespace === 'string') namespace = parsed.exceptionHandlerNamespace;
    } catch {
      // an unparsable .adonisrc.json: the default namespace
    }
  const target = project.resolveModule(kernel, namespace) ?? underPackage(project, kernel, namespace);
  if (!target) return [];
  const handle = classMethod(project, target, 'handle');
  return [span(target, handle ?? target.sourceFile)];
}
