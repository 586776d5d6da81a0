import ts from '../../typescript.cjs';
import type { EggTargets } from './egg-targets.js';
import type { Span } from './model.js';
import { staticString, unwrap, type Project, type ProjectFile } from './project.js';

/** An app-wide egg middleware (`config.middleware = ['auth']`): its code, and the route paths it runs for. */
export interface EggAppMiddleware {
  name: string;
  spans: Span[];
  /** Whether it runs for a request to `path` (a route path in koa-router syntax); `true` when that may be. */
  runsFor(path: string): boolean;
}

/** A path pattern of `match` / `ignore`: a string, a regex, or anything else (a function: decided at run time). */
type Pattern = { kind: 'string'; value: string } | { kind: 'regex'; value: RegExp } | { kind: 'unknown' };

/** One config file's options for a middleware (`config.auth = { match: '/api', enable: true }`). */
interface Options {
  enable: boolean;
  match?: Pattern[];
  ignore?: Pattern[];
}

/**
 * The app-wide middleware the config files of an egg app list (`config.middleware = ['auth']`, `exports.middleware`,
 * or `{ middleware: ['auth'] }` in `config/config.*.js|ts`), with the options each file gives under the same name
 * (`config.auth = { match: '/api' }`): `enable: false` turns it off, `match` makes it run only for the paths a
 * pattern matches, `ignore` for the others. As egg-path-matching reads them (egg's middleware loader): a string
 * is a path prefix (path-to-regexp with `end: false`, `:param` matching a segment), a RegExp is tested on the
 * path, an array is any of its patterns; a function decides at run time, so it may match any path. Options of
 * several files (`config.default.js`, `config.prod.js`) are taken together: the middleware runs where any of them
 * lets it. Nothing said about a path that is only known at run time (a route parameter against a literal) keeps
 * the middleware running there.
 */
export function eggAppMiddleware(project: Project, root: string, targets: EggTargets): EggAppMiddleware[] {
  const base = `${root ? `${root}/` : ''}config/config.`;
  const names = new Set<string>();
  const options = new Map<string, Options[]>();
  for (const file of project.files) {
    if (!file.relative.startsWith(base)) continue;
    const visit = (node: ts.Node): void => {
      const named = namedValue(file, node);
      if (named?.name === 'middleware') {
        const array = unwrap(named.value);
        if (ts.isArrayLiteralExpression(array))
          for (const element of array.elements) {
            const name = staticString(element);
            if (name) names.add(name);
          }
      } else if (named) {
        const read = readOptions(named.value);
        if (read) options.set(named.name, [...(options.get(named.name) ?? []), read]);
      }
      node.forEachChild(visit);
    };
    visit(file.sourceFile);
  }
  return [...names].sort().map((name) => {
    const given = options.get(name) ?? [];
    return {
      name,
      spans: targets.middleware(name),
      runsFor: (path) => !given.length || given.some((o) => runsUnder(o, path)),
    };
  });
}

/** `x.name = value` (`config.auth = {...}`, `exports.auth = {...}`) or `name: value` in an object literal. */
function namedValue(file: ProjectFile, node: ts.Node): { name: string; value: ts.Expression } | undefined {
  if (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isPropertyAccessExpression(node.left)
  )
    return { name: node.left.name.text, value: node.right };
  if (ts.isPropertyAssignment(node) && ts.isObjectLiteralExpression(node.parent))
    return { name: node.name.getText(file.sourceFile).replace(/^['"]|['"]$/g, ''), value: node.initializer };
  return undefined;
}

/** The options a middleware's config entry gives, if it is an object holding `enable`, `match` or `ignore`. */
function readOptions(expression: ts.Expression): Options | undefined {
  const node = unwrap(expression);
  if (!ts.isObjectLiteralExpression(node)) return undefined;
  const out: Options = { enable: true };
  let found = false;
  for (const property of node.properties) {
    const key = property.name && ts.isIdentifier(property.name) ? property.name.text : undefined;
    if (key === 'enable' && ts.isPropertyAssignment(property)) {
      found = true;
      out.enable = unwrap(property.initializer).kind !== ts.SyntaxKind.FalseKeyword;
    } else if (key === 'match' || key === 'ignore') {
      found = true;
      out[key] = ts.isPropertyAssignment(property) ? patterns(property.initializer) : [{ kind: 'unknown' }];
    }
  }
  return found ? out : undefined;
}

function patterns(expression: ts.Expression): Pattern[] {
  const node = unwrap(expression);
  if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap((e) => patterns(e));
  const text = staticString(node);
  if (text !== undefined) return [{ kind: 'string', value: text }];
  if (ts.isRegularExpressionLiteral(node)) {
    const literal = /^\/(.*)\/([a-z]*)$/s.exec(node.text);
    try {
      if (literal)
        return [
          { kind: 'regex', value: new RegExp(literal[1] ?? '', (literal[2] ?? '').replace(/[gy]/g, '')) },
        ];
    } catch {
      // a flag or syntax this Node does not know: decided as a function is
    }
  }
  return [{ kind: 'unknown' }];
}

/** Whether one file's options let the middleware run for `path` (`true` when that cannot be ruled out). */
function runsUnder(options: Options, path: string): boolean {
  if (!options.enable) return false;
  if (options.match) return options.match.some((p) => matches(p, path) !== 'no');
  if (options.ignore) return !options.ignore.some((p) => matches(p, path) === 'yes');
  return true;
}

/** Whether a pattern matches every request to a route path (`yes`), none (`no`), or some (`maybe`). */
function matches(pattern: Pattern, path: string): 'yes' | 'no' | 'maybe' {
  const segments = path.split('/').filter(Boolean);
  const dynamic = (s: string): boolean => /[:*(]/.test(s);
  if (pattern.kind === 'string') {
    // A prefix, segment by segment (`end: false`), case-insensitive as path-to-regexp's default.
    const head = pattern.value.split('/').filter(Boolean);
    if (head.some((s) => /[*(?+]/.test(s))) return 'maybe';
    let answer: 'yes' | 'maybe' = 'yes';
    for (let i = 0; i < head.length; i++) {
      const want = head[i] ?? '';
      const have = segments[i];
      if (have === undefined) return segments.some(dynamic) ? 'maybe' : 'no';
      if (want.startsWith(':')) continue;
      if (dynamic(have)) answer = 'maybe';
      else if (want.toLowerCase() !== have.toLowerCase()) return 'no';
    }
    return answer;
  }
  if (pattern.kind === 'regex') {
    const first = segments.findIndex(dynamic);
    if (first < 0) return pattern.value.test(`/${segments.join('/')}`) ? 'yes' : 'no';
    // A parameter in the path: the match holds for every value only when it lies in the literal part before it.
    const literal = `/${segments.slice(0, first).join('/')}/`;
    const found = pattern.value.exec(`${literal}x`);
    return found && found.index + found[0].length <= literal.length ? 'yes' : 'maybe';
  }
  return 'maybe';
}
