import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from '../../typescript.cjs';
import type { CodeRoute } from './model.js';
import { joinPaths } from './paths.js';
import { propertyName, staticString, unwrap } from './project.js';
import { returnedExpressions } from './syntax.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/**
 * Next.js `rewrites()` of next.config.*: a public path served by another route of the app (`{ source:
 * '/v1/payments/:id', destination: '/api/payments/:id' }`), so a document that describes the public paths
 * matches the API route the request reaches. Read from the config's source (never run): the `rewrites` method,
 * property or function of the exported config, returning an array of `{ source, destination }` objects or an
 * object of `beforeFiles` / `afterFiles` / `fallback` arrays, with literal strings. A rewrite to another origin
 * (`https://…`) is served by another service, not this app. Source: nextjs.org/docs, next.config.js `rewrites`
 * (`basePath: false` on an entry: its source and destination do not take the basePath).
 */

const CONFIG_NAMES = [
  'next.config.js',
  'next.config.mjs',
  'next.config.ts',
  'next.config.cjs',
  'next.config.mts',
];

interface Rewrite {
  source: string;
  destination: string;
  /** Whether the app's basePath applies (`basePath: false` on the entry turns it off). */
  basePath: boolean;
}

/** A part of `rewrites()` whose source or destination is not a literal: named, never skipped. */
interface Unread {
  file: string;
  line: number;
  text: string;
}

/**
 * The routes the app's rewrites add: for each rewrite whose destination is a route of `routes` (segment by
 * segment; a parameter of the destination stands for any value, a catch-all route takes the rest), a route at
 * the rewrite's source with that route's method and handlers. Rewrites to pages or other origins add nothing.
 * `cwd` is the app's folder (where its next.config.* sits); `folder` the same folder relative to the working
 * folder, which the files named for unread rewrites are given under.
 */
export function nextRewriteRoutes(
  cwd: string,
  basePath: string,
  routes: readonly CodeRoute[],
  folder = '',
): CodeRoute[] {
  const out: CodeRoute[] = [];
  const { rewrites, unread } = nextRewrites(cwd);
  for (const part of unread)
    out.push({
      framework: 'nextjs',
      method: 'ALL',
      path: '/*',
      syntax: 'colon',
      file: path.posix.join(folder, part.file),
      line: part.line,
      handlers: [],
      unresolved: `next.config rewrites() entry ${part.text} is computed at run time: the routes it serves a public path by are not known (${path.posix.join(folder, part.file)}:${part.line})`,
      unreadable: true,
    });
  for (const rewrite of rewrites) {
    if (!rewrite.destination.startsWith('/')) continue;
    const prefix = rewrite.basePath ? basePath : '';
    const destination = segments(joinPaths(prefix, rewrite.destination.split(/[?#]/)[0] ?? ''));
    const source = joinPaths(prefix, rewrite.source);
    for (const route of routes)
      if (reaches(destination, segments(route.path))) out.push({ ...route, path: source });
  }
  return out;
}

function segments(routePath: string): string[] {
  return routePath.split('/').filter(Boolean);
}

/** Whether a destination path names the route: literal segments equal, a parameter on either side any value. */
function reaches(destination: string[], route: string[]): boolean {
  for (let i = 0; i < route.length; i++) {
    const segment = route[i] ?? '';
    const wanted = destination[i];
    // `:slug+` / `:slug*`: the rest of the destination (one segment or more, zero or more).
    if (/^:\w+[+*]$/.test(segment)) return segment.endsWith('*') || wanted !== undefined;
    if (wanted === undefined) return false;
    if (wanted.startsWith(':') || segment.startsWith(':')) continue;
    if (wanted !== segment) return false;
  }
  return destination.length === route.length;
}

/**
 * The literal rewrites of the project's next.config.*, read from its source, and the parts of `rewrites()` that
 * are not literal (an entry built from variables, a list made by a call); none when it has no rewrites.
 */
export function nextRewrites(cwd: string): { rewrites: Rewrite[]; unread: Unread[] } {
  const rewrites: Rewrite[] = [];
  const unread: Unread[] = [];
  for (const name of CONFIG_NAMES) {
    const file = path.join(cwd, name);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    if (!text.includes('rewrites')) break;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const miss = (node: ts.Node): void => {
      const snippet = node.getText(source).replace(/\s+/g, ' ');
      unread.push({
        file: name,
        line: lineAndCharacterAt(source, node.getStart(source)).line + 1,
        text: snippet.length > 60 ? `${snippet.slice(0, 60)}…` : snippet,
      });
    };
    const visit = (node: ts.Node): void => {
      const body = rewritesBody(node);
      if (body)
        for (const returned of returnedExpressions({ node: { body } })) collect(returned, rewrites, miss);
      node.forEachChild(visit);
    };
    source.forEachChild(visit);
    break;
  }
  return { rewrites, unread };
}

/** The body of `rewrites() {…}`, `rewrites: async () => …`, `async function rewrites() {…}`. */
function rewritesBody(node: ts.Node): ts.Node | undefined {
  if ((ts.isMethodDeclaration(node) || ts.isFunctionDeclaration(node)) && node.name) {
    return propertyName(node.name) === 'rewrites' ? node.body : undefined;
  }
  if (ts.isPropertyAssignment(node) && propertyName(node.name) === 'rewrites') {
    const value = unwrap(node.initializer);
    return ts.isArrowFunction(value) || ts.isFunctionExpression(value) ? value.body : undefined;
  }
  return undefined;
}

/**
 * An array of rewrites, or `{ beforeFiles, afterFiles, fallback }` of arrays; spreads of arrays followed. What
 * is neither (a call, a variable, an entry whose source or destination is no literal) goes to `miss`.
 */
function collect(expression: ts.Expression, out: Rewrite[], miss: (node: ts.Node) => void): void {
  const node = unwrap(expression);
  if (ts.isArrayLiteralExpression(node)) {
    for (const element of node.elements) {
      if (ts.isSpreadElement(element)) collect(element.expression, out, miss);
      else {
        const rewrite = rewriteOf(unwrap(element));
        if (rewrite) out.push(rewrite);
        else miss(element);
      }
    }
    return;
  }
  if (ts.isObjectLiteralExpression(node)) {
    for (const p of node.properties)
      if (
        ts.isPropertyAssignment(p) &&
        ['beforeFiles', 'afterFiles', 'fallback'].includes(propertyName(p.name) ?? '')
      )
        collect(p.initializer, out, miss);
    return;
  }
  miss(node);
}

function rewriteOf(node: ts.Expression): Rewrite | undefined {
  if (!ts.isObjectLiteralExpression(node)) return undefined;
  let source: string | undefined;
  let destination: string | undefined;
  let basePath = true;
  for (const p of node.properties) {
    if (!ts.isPropertyAssignment(p)) continue;
    const key = propertyName(p.name);
    if (key === 'source') source = staticString(p.initializer);
    if (key === 'destination') destination = staticString(p.initializer);
    if (key === 'basePath' && p.initializer.kind === ts.SyntaxKind.FalseKeyword) basePath = false;
  }
  return source !== undefined && destination !== undefined ? { source, destination, basePath } : undefined;
}
