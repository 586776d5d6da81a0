import ts from '../../typescript.cjs';
import { importedFrom, isFunctionNode, unwrap, type Project } from './project.js';
import type { CodeRoute } from './model.js';
import type { Reach } from './reach.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/**
 * A member a route's handler chain names that mtls-fix could not follow to its code (`auth.isAdmin` of
 * `app.get('/admin', [auth.isAdmin], h)` where `auth` is a project module whose exports do not show the name):
 * the 403s of `modules` may answer the route, so they are never "left alone" (breaker35 #03).
 */
export interface UnfollowedChain {
  route: CodeRoute;
  /** The expression as written (`auth.isAdmin`). */
  expression: string;
  file: string;
  line: number;
  /** The project files the member's owner resolves to (relative paths). */
  modules: string[];
}

/**
 * The members named in the handler chains of `routes` (arrays, arguments, route options such as Fastify's
 * `preHandler: [auth.isAdmin]` and hapi's `pre: [{ method: auth.isAdmin }]`; function bodies are not read, they
 * are followed by reference) whose owner is a project module or object but which `reach` resolves to nothing.
 */
export function unfollowedChains(
  project: Project,
  reach: Reach,
  routes: readonly CodeRoute[],
): UnfollowedChain[] {
  const out: UnfollowedChain[] = [];
  for (const route of routes)
    for (const span of route.handlers) {
      const file = project.byRelative(span.file);
      if (!file) continue;
      for (const access of memberReads(file.sourceFile, span.start, span.end)) {
        if (reach.membersRead(file, access).length) continue;
        const owner = unwrap(access.expression);
        if (!ts.isIdentifier(owner)) continue;
        const modules = project
          .lookup(file, owner, owner.text)
          // an import left as it is names a package (or a file outside the scan): not project code
          .filter((d) => importedFrom(d.node) === undefined)
          .map((d) => d.file.relative);
        if (!modules.length) continue;
        const at = access.getStart(file.sourceFile);
        out.push({
          route,
          expression: access.getText(file.sourceFile),
          file: file.relative,
          line: lineAndCharacterAt(file.sourceFile, at).line + 1,
          modules: [...new Set(modules)],
        });
      }
    }
  return out;
}

/** The outermost `a.b` reads inside `[start, end)`, outside function bodies. */
function memberReads(sourceFile: ts.SourceFile, start: number, end: number): ts.PropertyAccessExpression[] {
  const out: ts.PropertyAccessExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (node.end <= start || node.getStart(sourceFile) >= end || isFunctionNode(node)) return;
    if (ts.isPropertyAccessExpression(node) && node.getStart(sourceFile) >= start && node.end <= end) {
      // `auth.isAdmin` as a value, not the callee of a call (`auth.requireRole('admin')` makes a value at load time)
      if (!ts.isCallExpression(node.parent) || node.parent.expression !== node) out.push(node);
      return;
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  return out;
}
