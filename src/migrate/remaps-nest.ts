import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { propertyValue, skipOuter } from './analysis/syntax.js';
import { namedClass } from './remaps-handlers.js';
import { remapOf, type CodeRemap } from './remaps-hooks.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * NestJS exception filters registered for the whole app that map 403 to one status, as code remaps (session 37):
 * `app.useGlobalFilters(new F())` and `{ provide: APP_FILTER, useClass: F }`, with `F` declared in the file or
 * imported. Only a filter that catches everything (`@Catch()` with no class) counts: the 403 of an Express or
 * Fastify middleware on a Nest app (`app.use(csurf())`) is no HttpException, and Nest hands it to its exception
 * filters through the error handler it registers on the platform at start-up (NestJS "Exception filters": a
 * filter with an empty `@Catch()` catches every unhandled exception). Its `catch` method is read as any hook is
 * (remaps-hooks.ts). A NestJS guard's 403 (a ForbiddenException) is settled by nest-guard-sites.ts, not here.
 */
export function nestFilterRemaps(analysis: FileAnalysis): CodeRemap[] {
  const text = analysis.text;
  if (!text.includes('useGlobalFilters') && !text.includes('APP_FILTER')) return [];
  const out: CodeRemap[] = [];
  const sourceFile = analysis.sourceFile;
  const add = (call: ts.CallExpression, name: string, how: string): void => {
    const found = namedClass(name, analysis);
    if (!found || !catchesAll(found.declaration)) return;
    const method = found.declaration.members.find(
      (m): m is ts.MethodDeclaration =>
        ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === 'catch' && !!m.body,
    );
    const remap = method && remapOf(method);
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
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'useGlobalFilters'
    )
      for (const argument of node.arguments) {
        const inner = skipOuter(argument);
        if (ts.isNewExpression(inner) && ts.isIdentifier(inner.expression))
          add(node, inner.expression.text, 'global exception filter');
      }
    if (ts.isObjectLiteralExpression(node)) {
      const provide = value(node, 'provide');
      const useClass = value(node, 'useClass');
      if (
        provide &&
        ts.isIdentifier(provide) &&
        provide.text === 'APP_FILTER' &&
        useClass &&
        ts.isIdentifier(useClass)
      ) {
        const call = enclosingCall(node);
        if (call) add(call, useClass.text, 'APP_FILTER exception filter');
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
