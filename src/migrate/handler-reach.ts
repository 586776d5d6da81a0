import path from 'node:path';
import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { heldClass, skipOuter } from './analysis/syntax.js';
import type { Site } from './types.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * What a route handler reaches by name across the run's analysed files (declarations-held.ts,
 * doc-routes-settle.ts): the project functions and classes it calls or constructs, and the open 403 sites inside
 * them. Reads the analyses; changes nothing.
 */

/**
 * Why a handler may still answer 403: the `file:line` of the first open site (a manual one, not ignored) inside it
 * or inside a function or class of the project it calls or constructs by name; undefined when there is none.
 *
 * @param open whether a site is still open (manual and not ignored).
 */
export function unproven(
  analyses: ReadonlyMap<string, FileAnalysis>,
  absolute: string,
  analysis: FileAnalysis,
  handler: ts.Node,
  open: (analysis: FileAnalysis, site: Site) => boolean,
): string | undefined {
  const start = handler.getStart(analysis.sourceFile);
  const inside = analysis.sites.find((s) => s.start >= start && s.end <= handler.end && open(analysis, s));
  if (inside)
    return `the handler still answers 403 where migrate could not rewrite it (${where(analysis, inside)})`;
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    const named = namedTarget(node);
    if (named) {
      // A call inside a rewritten site is rewritten with it (the documenting decorator itself is no such call).
      const rewritten = analysis.sites.some(
        (s) =>
          !ts.isTypeReferenceNode(node) &&
          s.kind === 'rewrite' &&
          s.span.start <= node.getStart(analysis.sourceFile) &&
          node.end <= s.span.end,
      );
      const declared = rewritten ? undefined : calleeDeclaration(analyses, absolute, analysis, named.name);
      const target = declared && { analysis: declared.analysis, node: memberOf(declared.node, named.member) };
      const site =
        target &&
        target.analysis.sites.find(
          (s) =>
            s.start >= target.node.getStart(target.analysis.sourceFile) &&
            s.end <= target.node.end &&
            open(target.analysis, s),
        );
      if (site)
        found = `the handler still answers 403 via ${named.name.text}${named.member ? `.${named.member}` : ''} (${where(target.analysis, site)}), which migrate could not rewrite`;
    }
    ts.forEachChild(node, visit);
  };
  visit(handler);
  return found;
}

/**
 * The project declaration a node of a handler leads to: the name a call or `new` uses (`f(…)`, `new AppError(…)`),
 * the object and member of a member call (`EventFacade.getEvents(…)`: a static method, a method of an object
 * literal; `this.events.getEvents(…)` on a service the class holds, `new EventFacade().getEvents(…)`), or a class a decorator names in its type arguments (tsoa `@Response<ForbiddenError>(403, …)`: the
 * error that response documents). Undefined for anything else.
 */
function namedTarget(node: ts.Node): { name: ts.Identifier; member?: string } | undefined {
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
    const callee = skipOuter(node.expression);
    if (ts.isIdentifier(callee)) return { name: callee };
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    if (ts.isIdentifier(callee.expression)) return { name: callee.expression, member: callee.name.text };
    // `this.eventsService.getEvents(…)` (a constructor-injected service), `new EventFacade().getEvents(…)`.
    let cls: ts.Node | undefined = node.parent;
    while (cls && !ts.isClassLike(cls)) cls = cls.parent;
    const held = cls && heldClass(callee.expression, cls);
    return held && ts.isIdentifier(held) ? { name: held, member: callee.name.text } : undefined;
  }
  const call = node.parent;
  if (
    ts.isTypeReferenceNode(node) &&
    ts.isIdentifier(node.typeName) &&
    call &&
    ts.isCallExpression(call) &&
    call.typeArguments?.some((t) => t === node) &&
    ts.isDecorator(call.parent)
  )
    return { name: node.typeName };
  return undefined;
}

/**
 * The member `member` of a class or of an object literal held by a variable (`getEvents` of `class EventFacade`,
 * of `const facade = { getEvents() {…} }`); the whole declaration when there is no member name or it is not found
 * there (an inherited method: every site of the declaration may be it).
 */
export function memberOf(declaration: ts.Node, member: string | undefined): ts.Node {
  if (member === undefined) return declaration;
  const named = (m: ts.ClassElement | ts.ObjectLiteralElementLike): boolean =>
    !!m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) && m.name.text === member;
  if (ts.isClassDeclaration(declaration)) return declaration.members.find(named) ?? declaration;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
    const value = skipOuter(declaration.initializer);
    if (ts.isObjectLiteralExpression(value)) return value.properties.find(named) ?? declaration;
  }
  return declaration;
}

/** `file:line` of a site, 1-based line. */
export function where(analysis: FileAnalysis, site: Site): string {
  return `${site.file}:${lineAndCharacterAt(analysis.sourceFile, site.start).line + 1}`;
}

/**
 * The top-level function, class or variable declaration a name calls, in this file or (through the link) in
 * another analysed file, with that file's analysis; undefined when it is neither (a package's, a parameter).
 */
export function calleeDeclaration(
  analyses: ReadonlyMap<string, FileAnalysis>,
  absolute: string,
  analysis: FileAnalysis,
  name: ts.Identifier,
): { analysis: FileAnalysis; node: ts.Node } | undefined {
  const binding = analysis.importOf(name.text);
  if (!binding) {
    const node = topLevel(analysis.sourceFile, name.text);
    return node ? { analysis, node } : undefined;
  }
  const declared = analysis.options.link?.declaration?.(binding);
  const other = declared && analyses.get(path.resolve(declared.file));
  const node = other && topLevel(other.sourceFile, declared.name);
  return other && node && other !== analyses.get(absolute) ? { analysis: other, node } : undefined;
}

/** The top-level function, class or variable declaration of `name` in a file; undefined when there is none. */
export function topLevel(sourceFile: ts.SourceFile, name: string): ts.Node | undefined {
  for (const statement of sourceFile.statements) {
    if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) &&
      statement.name?.text === name
    )
      return statement;
    if (ts.isVariableStatement(statement))
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return declaration;
  }
  return undefined;
}
