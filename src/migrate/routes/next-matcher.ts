import ts from '../../typescript.cjs';
import { OPTIONAL_WILDCARD, PARAM, parseCodePath, WILDCARD, type Segments } from './paths.js';
import { propertyName, unwrap, type Project, type ProjectFile } from './project.js';

/**
 * Next.js middleware (`middleware.ts`, Next 16 `proxy.ts`) `config.matcher`: the paths it runs for. Sources:
 * nextjs.org/docs/app/api-reference/file-conventions/middleware, "Matcher" (a string, an array of strings or of
 * `{ source, has, missing, locale }` objects, path-to-regexp syntax, applied under `basePath`), and its
 * "Negative matching" example `/((?!api|_next/static|_next/image|favicon.ico).*)`.
 */

/** One matcher entry read: the path patterns it covers, or every path but those starting with `except`. */
export type MatcherPath = { patterns: Segments[] } | { except: string[] };

/** What `config.matcher` says: the entries read, or why it cannot be read (then it is read as every path). */
export type Matcher = { paths: MatcherPath[] } | { unreadable: string };

/**
 * The matcher of the `config` a middleware file exports: undefined when it exports none (every path), or the
 * entries; `has` / `missing` conditions are not read (the middleware may run: reach may only grow).
 */
export function readMatcher(project: Project, file: ProjectFile): Matcher | undefined {
  const configs = project.exportOf(file, 'config');
  if (!configs.length) return undefined;
  for (const config of configs) {
    const value = ts.isVariableDeclaration(config.node) ? config.node.initializer : undefined;
    const object = value ? unwrap(value) : undefined;
    if (!object || !ts.isObjectLiteralExpression(object))
      return { unreadable: 'its exported config is not an object literal' };
    const matcher = property(object, 'matcher');
    if (!matcher) return undefined;
    return readEntries(project, config.file, matcher);
  }
  return undefined;
}

function readEntries(project: Project, file: ProjectFile, matcher: ts.Expression): Matcher {
  const node = unwrap(matcher);
  const elements = ts.isArrayLiteralExpression(node) ? node.elements.map((e) => unwrap(e)) : [node];
  const paths: MatcherPath[] = [];
  for (const element of elements) {
    const source = ts.isObjectLiteralExpression(element) ? property(element, 'source') : element;
    const text = source ? project.stringOf(file, source) : undefined;
    if (text === undefined)
      return {
        unreadable: `matcher ${element.getText(file.sourceFile).slice(0, 60)} is computed at run time`,
      };
    paths.push(matcherPath(text));
  }
  return { paths };
}

/** `/((?!a|b).*)`: every path whose text (after the first `/`) does not start with one of the alternatives. */
const NEGATIVE = /^\/\(\(\?!([^()]*)\)\.\*\)\/?$/;

/** A path-to-regexp source as patterns: a group that can span `/` (`(.*)`, `:path((?!login).*)`) ends in a wildcard. */
function matcherPath(source: string): MatcherPath {
  const negative = NEGATIVE.exec(source);
  if (negative)
    return {
      // Only plain alternatives exclude (`api`, `_next/static`, `favicon.ico`); others (`.*\\.png$`) may not.
      except: (negative[1] ?? '')
        .split('|')
        .map((a) => a.replace(/\\\./g, '.'))
        .filter((a) => /^[\w./-]+$/.test(a)),
    };
  const segments = source.split('/');
  const cut = segments.findIndex((s) => s.includes('(') && /\.[*+]|\//.test(s.slice(s.indexOf('('))));
  const kept = cut < 0 ? source : [...segments.slice(0, cut), ':rest*'].join('/');
  return { patterns: parseCodePath(kept, 'colon') };
}

/** Whether a route path (segments as paths.ts parses it) may be one the matcher entry runs for. */
export function matcherCovers(entry: MatcherPath, route: Segments): boolean {
  if ('except' in entry) {
    const literal: string[] = [];
    for (const segment of route) {
      if (segment === WILDCARD || segment === OPTIONAL_WILDCARD || segment.includes(PARAM)) break;
      literal.push(segment);
    }
    const whole = literal.length === route.length;
    const text = literal.join('/');
    return !entry.except.some((alternative) => {
      // A route whose known head is shorter than the alternative may still be outside it (`/:slug`).
      if (!whole && text.length < alternative.length) return false;
      return startsWith(text, alternative.toLowerCase());
    });
  }
  return entry.patterns.some((pattern) => mayOverlap(pattern, route));
}

/** `.` in an alternative is a regex's any-character. */
function startsWith(text: string, alternative: string): boolean {
  if (text.length < alternative.length) return false;
  for (let i = 0; i < alternative.length; i++)
    if (alternative[i] !== '.' && alternative[i] !== text[i]) return false;
  return true;
}

/** Whether two segment patterns may match one concrete path (a parameter or wildcard on either side). */
function mayOverlap(a: Segments, b: Segments): boolean {
  const head = a[0];
  const other = b[0];
  if (head === undefined) return b.every((s) => s === OPTIONAL_WILDCARD);
  if (other === undefined) return a.every((s) => s === OPTIONAL_WILDCARD);
  if (head === WILDCARD || head === OPTIONAL_WILDCARD) {
    for (let take = head === WILDCARD ? 1 : 0; take <= b.length; take++)
      if (mayOverlap(a.slice(1), b.slice(take))) return true;
    // A wildcard on the other side too (`/api/:path*` against `/:rest*`) may take what is left.
    return b.some((s) => s === WILDCARD || s === OPTIONAL_WILDCARD);
  }
  if (other === WILDCARD || other === OPTIONAL_WILDCARD) return mayOverlap(b, a);
  return sameSegment(head, other) && mayOverlap(a.slice(1), b.slice(1));
}

function sameSegment(a: string, b: string): boolean {
  if (a === b || a.includes(PARAM) || b.includes(PARAM)) return true;
  return false;
}

function property(object: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && propertyName(p.name) === key) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === key) return p.name;
  }
  return undefined;
}
