import type ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import type { Site } from './types.js';

/**
 * Whether a route's documented 403 (an `@openapi` JSDoc block above its registration, a swagger-autogen comment in
 * its handler) can follow the route, judged from the sites of the registration's own file:
 * - `'rewritten'`: the registration holds 403 sites and every one is a rewrite;
 * - `'open'`: one of them is manual (the route can still answer 403): the documentation stays, for the census;
 * - `'elsewhere'`: the registration holds no 403 site: its 403 comes from code elsewhere (a middleware it names,
 *   a helper its handler calls).
 * A registration's documentation is decided again once every file is analysed (doc-routes-settle.ts).
 */
export type LocalFollow = 'rewritten' | 'open' | 'elsewhere';

/** {@link LocalFollow} for `registration` (the call that registers the route), documentation sites left out. */
export function localFollow(analysis: FileAnalysis, registration: ts.Node): LocalFollow {
  const start = registration.getStart(analysis.sourceFile);
  const inside = analysis.sites.filter(
    (site) => site.start >= start && site.end <= registration.getEnd() && !DOC_FRAMEWORKS.has(site.framework),
  );
  if (!inside.length) return 'elsewhere';
  return inside.every((site) => site.kind === 'rewrite') ? 'rewritten' : 'open';
}

/** The frameworks of documentation sites (doc-block-sites.ts, swagger-autogen-sites.ts). */
export const DOC_FRAMEWORKS: ReadonlySet<string> = new Set(['openapi-jsdoc', 'swagger-autogen']);

/** A documentation rewrite waiting for the run to decide its route's 403s. */
export interface PendingDocumentation {
  analysis: FileAnalysis;
  /** The call that registers the route (`app.get(path, ...middleware, handler)`). */
  registration: ts.CallExpression;
}

const pending = new WeakMap<Site, PendingDocumentation>();

/**
 * Adds a documentation rewrite site to `analysis` (as `addSite` would) and, when the route's registration is
 * known, marks it to be decided by doc-routes-settle.ts once every file is analysed (the sites of the
 * registration may still change: a dynamic status found to carry no 403 is dropped, a rewrite held back). Returns
 * nothing; a site the registry refuses (its place already holds one) is not marked.
 */
export function addDocumentationSite(
  analysis: FileAnalysis,
  input: Parameters<FileAnalysis['addSite']>[0],
  registration: ts.CallExpression | undefined,
): void {
  const before = analysis.sites.length;
  analysis.addSite(input);
  const added = analysis.sites.length > before ? analysis.sites[analysis.sites.length - 1] : undefined;
  if (added && registration) pending.set(added, { analysis, registration });
}

/** The pending registration of a documentation site, or undefined when it was decided where it stands. */
export function pendingDocumentation(site: Site): PendingDocumentation | undefined {
  return pending.get(site);
}

/**
 * The range (offsets in `text`) of the line holding `position`, without its comment margin (white space, `*`,
 * `//`) and trailing white space: where a documentation site is located.
 */
export function commentLineRange(text: string, position: number): { start: number; end: number } {
  const lineStart = Math.max(text.lastIndexOf('\n', position - 1), text.lastIndexOf('\r', position - 1)) + 1;
  const next = /[\r\n]/.exec(text.slice(position));
  const line = text.slice(lineStart, next ? position + next.index : text.length);
  const lead = /^[\s*/]*/.exec(line)?.[0].length ?? 0;
  return { start: lineStart + lead, end: lineStart + line.trimEnd().length };
}
