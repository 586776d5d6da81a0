import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { skipOuter } from './analysis/syntax.js';
import { calleeDeclaration, memberOf, unproven, where } from './handler-reach.js';
import { DOC_FRAMEWORKS, pendingDocumentation } from './doc-route-follow.js';
import type { Site } from './types.js';

/**
 * Decides the documentation rewrites of a route registration (an `@openapi` JSDoc block above
 * `app.get('/x', [validApiKey], handler)`, a swagger-autogen comment in its handler), once every file is
 * analysed. The route's 403s are the sites inside the registration and those of the middleware it names (an
 * identifier, a member `auth.required`, a factory call `requireRole('admin')`, each in an array or not), resolved
 * in this file or, through its import, in another analysed file:
 * - one of them still open (manual), or an open site the handler reaches by name (declarations-held.ts
 *   `unproven`): the documentation stays 403, reported with where the route can still answer it;
 * - at least one, all rewritten: the rename stands;
 * - none: nothing this run read answers the 403 the documentation declares (app-level middleware, a package): the
 *   site is removed, and the census reports the comment as before.
 * Mutates the analyses' sites.
 *
 * @param analyses the run's server analyses by absolute path.
 * @param open whether a site is still open: manual and not ignored (transform.ts `ignoreReason`).
 */
export function settleDocumentedRoutes(
  analyses: ReadonlyMap<string, FileAnalysis>,
  open: (analysis: FileAnalysis, site: Site) => boolean,
): void {
  for (const [absolute, analysis] of analyses) {
    const dropped = new Set<Site>();
    for (const site of analysis.sites) {
      const waiting = site.kind === 'rewrite' ? pendingDocumentation(site) : undefined;
      if (!waiting) continue;
      const verdict = routeVerdict(analyses, absolute, analysis, waiting.registration, open);
      if (verdict === 'rewritten') continue;
      if (verdict === 'none') {
        dropped.add(site);
        continue;
      }
      site.kind = 'manual';
      site.reason = `Documented 403 kept: ${verdict.why}. The document must say 403 while the route can answer it: rename this response to ${analysis.target} once those are rewritten (by hand or by a next run).`;
    }
    if (dropped.size) analysis.removeSites(dropped);
  }
}

type Verdict = 'rewritten' | 'none' | { why: string };

/** What the middleware of `registration` (and the functions its handler names) make of the route's 403. */
function routeVerdict(
  analyses: ReadonlyMap<string, FileAnalysis>,
  absolute: string,
  analysis: FileAnalysis,
  registration: ts.CallExpression,
  open: (analysis: FileAnalysis, site: Site) => boolean,
): Verdict {
  let rewritten = 0;
  const start = registration.getStart(analysis.sourceFile);
  for (const site of analysis.sites) {
    if (site.start < start || site.end > registration.getEnd() || DOC_FRAMEWORKS.has(site.framework))
      continue;
    if (open(analysis, site))
      return {
        why: `the route still answers 403 where migrate could not rewrite it (${where(analysis, site)})`,
      };
    if (site.kind === 'rewrite') rewritten++;
  }
  for (const argument of middlewareArguments(registration)) {
    if (ts.isArrowFunction(argument) || ts.isFunctionExpression(argument)) {
      const why = unproven(analyses, absolute, analysis, argument, open);
      if (why) return { why: why.replace(/^the handler/, 'the route') };
      continue;
    }
    const named = middlewareName(argument);
    const declared = named && calleeDeclaration(analyses, absolute, analysis, named.name);
    if (!declared) continue;
    const node = memberOf(declared.node, named.member);
    const start = node.getStart(declared.analysis.sourceFile);
    for (const site of declared.analysis.sites) {
      if (site.start < start || site.end > node.getEnd()) continue;
      if (open(declared.analysis, site))
        return {
          why: `the route still answers 403 through ${argument.getText(analysis.sourceFile)} (${where(declared.analysis, site)}), which migrate could not rewrite`,
        };
      if (site.kind === 'rewrite') rewritten++;
    }
  }
  return rewritten ? 'rewritten' : 'none';
}

/** The registration's arguments that may answer for the route: all but strings and option objects; arrays spread. */
function middlewareArguments(registration: ts.CallExpression): ts.Expression[] {
  const out: ts.Expression[] = [];
  const add = (expression: ts.Expression): void => {
    const value = skipOuter(expression);
    if (ts.isArrayLiteralExpression(value)) value.elements.forEach(add);
    else if (
      !ts.isStringLiteralLike(value) &&
      !ts.isObjectLiteralExpression(value) &&
      !ts.isSpreadElement(value)
    )
      out.push(value);
  };
  registration.arguments.forEach(add);
  return out;
}

/** `validApiKey`, `auth.required` (name and member), `requireRole('admin')` (the factory's name). */
function middlewareName(expression: ts.Expression): { name: ts.Identifier; member?: string } | undefined {
  const value = ts.isCallExpression(expression) ? skipOuter(expression.expression) : expression;
  if (ts.isIdentifier(value)) return { name: value };
  if (ts.isPropertyAccessExpression(value) && ts.isIdentifier(value.expression))
    return { name: value.expression, member: value.name.text };
  return undefined;
}
