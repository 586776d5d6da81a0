import ts from '../../typescript.cjs';
import { skipOuter } from '../analysis/syntax.js';
import type { SpecCoverage } from '../types.js';
import type { Project, ProjectFile } from './project.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/**
 * AdonisJS route registrations, which the `--spec` route readers do not read (session 49): `router.get('api/url',
 * '#controllers/urls_controller.get')` (AdonisJS 6, `@adonisjs/core/services/router`), `Route.post('/x',
 * 'UsersController.store')` (AdonisJS 5, `@ioc:Adonis/Core/Route`; AdonisJS 4, `use('Route')`), `[Controller,
 * 'method']` handlers and `resource(…)`. Before, a registration naming its controller by string or class was
 * dropped without a word and one with a function handler was listed as an Express route on a router that could not
 * be traced; each is now one by-hand coverage entry that says why, so "no handler found" never hides them.
 */

type Unresolved = SpecCoverage['unresolved'][number];

/** Where the router comes from, by AdonisJS version. */
const ROUTER_MODULES = new Set(['@adonisjs/core/services/router', '@ioc:Adonis/Core/Route']);

/** Router methods that register a route, and the method each answers (`ALL` for several). */
const REGISTRATIONS: Readonly<Record<string, string>> = {
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  any: 'ALL',
  route: 'ALL',
  resource: 'ALL',
  shallowResource: 'ALL',
};

/** One by-hand entry per AdonisJS route registration of the project. */
export function adonisRoutes(project: Project): Unresolved[] {
  const out: Unresolved[] = [];
  for (const file of project.files) {
    const routers = routerNames(file.sourceFile);
    if (!routers.size) continue;
    for (const call of project.calls(file)) {
      const callee = call.expression;
      if (!ts.isPropertyAccessExpression(callee)) continue;
      const receiver = skipOuter(callee.expression);
      if (!ts.isIdentifier(receiver) || !routers.has(receiver.text)) continue;
      const method = REGISTRATIONS[callee.name.text];
      if (method) out.push(entry(file, call, callee.name.text, method));
    }
  }
  return out;
}

/**
 * The names a file binds to the AdonisJS router: the default import of `@adonisjs/core/services/router` or
 * `@ioc:Adonis/Core/Route`, or `const Route = use('Route')` (AdonisJS 4's ioc container).
 */
function routerNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  if (
    !/Adonis\/Core\/Route|@adonisjs\/core\/services\/router|use\(\s*['"]Route['"]\s*\)/.test(sourceFile.text)
  )
    return names;
  for (const statement of sourceFile.statements) {
    if (
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      ROUTER_MODULES.has(statement.moduleSpecifier.text) &&
      statement.importClause?.name
    )
      names.add(statement.importClause.name.text);
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer && skipOuter(declaration.initializer);
      if (
        ts.isIdentifier(declaration.name) &&
        init &&
        ts.isCallExpression(init) &&
        ts.isIdentifier(init.expression) &&
        init.expression.text === 'use' &&
        init.arguments.length === 1 &&
        ts.isStringLiteralLike(init.arguments[0]) &&
        init.arguments[0].text === 'Route'
      )
        names.add(declaration.name.text);
    }
  }
  return names;
}

function entry(file: ProjectFile, call: ts.CallExpression, name: string, method: string): Unresolved {
  const sourceFile = file.sourceFile;
  const line = lineAndCharacterAt(sourceFile, call.getStart(sourceFile)).line + 1;
  const first = call.arguments[0];
  const written = first && ts.isStringLiteralLike(first) ? first.text : undefined;
  const path = written === undefined ? '/*' : written.startsWith('/') ? written : `/${written}`;
  const handler = call.arguments[name === 'route' ? 2 : 1];
  const shown = handler ? short(handler.getText(sourceFile)) : 'no handler';
  return {
    method,
    path,
    file: file.relative,
    line,
    framework: 'adonis',
    reason: `an AdonisJS route (${name}, handler ${shown}), which mtls-fix does not read: no operation is matched to it (nor to a group prefix around it), and the 403 sites its handler reaches are left alone`,
    mountFile: file.relative,
    byHand: true,
  };
}

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 60)}…` : flat;
}
