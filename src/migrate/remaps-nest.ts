import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { propertyValue, skipOuter } from './analysis/syntax.js';
import { namedClass } from './remaps-handlers.js';
import { writtenValue } from './local-values.js';
import { remapOf, statusReader, type CodeRemap } from './remaps-hooks.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * NestJS exception filters registered for the whole app that map 403 to one status, as code remaps (session 37):
 * `app.useGlobalFilters(new F())` (or a local holding `new F()`), `{ provide: APP_FILTER, useClass: F }` and
 * `{ provide: APP_FILTER, useValue: new F() }` ({@link globalFilters}), with `F` declared in the file or imported. Only a filter that catches everything (`@Catch()` with no class) counts: the 403 of an Express or
 * Fastify middleware on a Nest app (`app.use(csurf())`) is no HttpException, and Nest hands it to its exception
 * filters through the error handler it registers on the platform at start-up (NestJS "Exception filters": a
 * filter with an empty `@Catch()` catches every unhandled exception). Its `catch` method is read as any hook is
 * (remaps-hooks.ts). A NestJS guard's 403 (a ForbiddenException) is settled by nest-guard-sites.ts, not here.
 */
export function nestFilterRemaps(
  analysis: FileAnalysis,
  analysisOf?: (file: string) => FileAnalysis | undefined,
): CodeRemap[] {
  const out: CodeRemap[] = [];
  const sourceFile = analysis.sourceFile;
  const add = (call: ts.CallExpression, name: string, how: string): void => {
    const found = namedClass(name, analysis);
    if (!found || !catchesAll(found.declaration)) return;
    const method = found.declaration.members.find(
      (m): m is ts.MethodDeclaration =>
        ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === 'catch' && !!m.body,
    );
    const remap =
      method && remapOf(method, statusReader({ fn: method, file: found.file }, analysis, analysisOf));
    if (!method || !remap) return;
    const line = (s: ts.SourceFile, node: ts.Node) => lineAndCharacterAt(s, node.getStart(s)).line + 1;
    const classSource = found.declaration.getSourceFile();
    out.push({
      family: 'nest',
      how,
      status: remap.status,
      layers: ['error-handler'],
      tests: remap.tests,
      call,
      file: analysis.file,
      line: line(sourceFile, call),
      fnFile: found.file,
      start: method.getStart(classSource),
      end: method.getEnd(),
      via: `${name} (${found.file}:${line(classSource, found.declaration)})`,
    });
  };
  for (const registration of globalFilters(analysis)) {
    const { node, kind, filterClass } = registration;
    const call = ts.isCallExpression(node) ? node : enclosingCall(node);
    if (call && ts.isIdentifier(filterClass))
      add(
        call,
        filterClass.text,
        kind === 'useGlobalFilters' ? 'global exception filter' : 'APP_FILTER exception filter',
      );
  }
  return out;
}

/** A NestJS exception filter registered for the whole app (see {@link globalFilters}). */
export interface GlobalFilter {
  /** The `useGlobalFilters` call, or the `APP_FILTER` provider object. */
  node: ts.CallExpression | ts.ObjectLiteralExpression;
  kind: 'useGlobalFilters' | 'APP_FILTER';
  /** The filter's class as written (`F` of `new F(o)` or `useClass: F`), outer parentheses and casts skipped. */
  filterClass: ts.Expression;
  /** The first argument of `new F(o)`; undefined for `useClass: F` (Nest constructs it with none). */
  options?: ts.Expression;
}

/** The text a file registering a global exception filter holds: {@link globalFilters} reads no other file. */
export const GLOBAL_FILTER_TEXT = /useGlobalFilters|APP_FILTER/;

/**
 * The global exception filter registrations of a file, for the filters a user writes (above) and mtls-fix's own
 * `MtlsGuardFilter` (remaps-runtime.ts): `app.useGlobalFilters(new F(o), …)`, each argument written in place or
 * held by a local (local-values.ts `writtenValue`), and `{ provide: APP_FILTER, useClass: F }` /
 * `{ provide: APP_FILTER, useValue: new F(o) }`. One walk of the file; none in a file whose text names neither.
 */
export function globalFilters(analysis: FileAnalysis): GlobalFilter[] {
  if (!GLOBAL_FILTER_TEXT.test(analysis.text)) return [];
  const sourceFile = analysis.sourceFile;
  const out: GlobalFilter[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'useGlobalFilters'
    )
      for (const argument of node.arguments) {
        const made = writtenValue(argument, sourceFile);
        if (made && ts.isNewExpression(made))
          out.push({
            node,
            kind: 'useGlobalFilters',
            filterClass: skipOuter(made.expression),
            options: made.arguments?.[0],
          });
      }
    if (ts.isObjectLiteralExpression(node)) {
      const provide = value(node, 'provide');
      if (provide && ts.isIdentifier(provide) && provide.text === 'APP_FILTER') {
        const useClass = value(node, 'useClass');
        const made = value(node, 'useValue');
        if (useClass) out.push({ node, kind: 'APP_FILTER', filterClass: useClass });
        else if (made && ts.isNewExpression(made))
          out.push({
            node,
            kind: 'APP_FILTER',
            filterClass: skipOuter(made.expression),
            options: made.arguments?.[0],
          });
      }
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  return out;
}

/** `@Catch()` with no argument: every exception, an Express middleware's http-errors 403 too. */
function catchesAll(declaration: ts.ClassDeclaration): boolean {
  return (ts.getDecorators(declaration) ?? []).some((d) => {
    const e = d.expression;
    return (
      ts.isCallExpression(e) &&
      ts.isIdentifier(e.expression) &&
      e.expression.text === 'Catch' &&
      !e.arguments.length
    );
  });
}

function value(object: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  const found = propertyValue(object, key);
  return found && skipOuter(found);
}

/** The call an `APP_FILTER` provider sits in (`@Module({ providers: [ … ] })`), for the report's line. */
function enclosingCall(node: ts.Node): ts.CallExpression | undefined {
  for (let up: ts.Node | undefined = node.parent; up; up = up.parent) if (ts.isCallExpression(up)) return up;
  return undefined;
}
