import ts from '../typescript.cjs';
import { shorten, type FileAnalysis } from './analysis.js';
import { staticMember } from './analysis/syntax.js';
import { astroFrontmatter } from './astro.js';
import type { Occurrence } from './census.js';
import { readerSite, statusComparison } from './readers.js';
import { enclosingFunction } from './scope.js';
import type { Site } from './types.js';
import { compareText } from '../util/compare.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * Server code that reads its OWN response status after the handler set it: an audit on
 * `res.on('finish', () => res.statusCode === 403)`, Koa/Hono/Oak middleware after `await next()`
 * (`ctx.status`, `c.res.status`, `ctx.response.status`), a Fastify `onResponse` hook (`reply.statusCode`), a
 * hapi `onPreResponse` extension (`request.response.statusCode`), h3 (`getResponseStatus(event)`,
 * `event.node.res.statusCode`), a NestJS interceptor (`…getResponse().statusCode`), an Astro page
 * (`Astro.response.status`, in the frontmatter or the template). Once the run rewrites the 403s, such a check
 * never fires again; client readers (readers.ts) are matched by route, these by what they read: each becomes a
 * manual site (framework `reader`) naming the rewritten sites, nearest first.
 */
export interface OwnStatusInput {
  analyses: Iterable<FileAnalysis>;
  /** The census's occurrences by file: a comparison that becomes a reader site loses its not-an-emit kind. */
  occurrences: ReadonlyMap<string, Occurrence[]>;
  /** Sites this run rewrites (or would), in server code. */
  rewritten: readonly Site[];
  target: number;
}

/** The reader sites for comparisons with 403 of a server's own response status (none when nothing is rewritten). */
export function findOwnStatusReaders(input: OwnStatusInput): Site[] {
  if (!input.rewritten.length) return [];
  const analyses = [...input.analyses];
  const byFile = new Map(analyses.map((a) => [a.file, a]));
  const lineOf = (site: Site): number => {
    const sourceFile = byFile.get(site.file)?.sourceFile;
    return sourceFile ? lineAndCharacterAt(sourceFile, site.start).line + 1 : 0;
  };
  const sites: Site[] = [];
  for (const analysis of analyses) {
    if (analysis.options.testFile || analysis.mockFile) continue;
    const astro = analysis.file.endsWith('.astro');
    for (const occurrence of input.occurrences.get(analysis.file) ?? []) {
      if (occurrence.kind === 'comparison') {
        const comparison = statusComparison(analysis.sourceFile, occurrence.start);
        const read = comparison && comparedValue(comparison, occurrence.start);
        const what = read && ownStatusRead(read);
        if (!comparison || !what) continue;
        occurrence.kind = undefined;
        sites.push(readerSite(analysis, comparison, reason(what, analysis.file, input, lineOf), null));
      } else if (astro && occurrence.kind === 'comment') {
        const site = astroTemplateReader(analysis, occurrence, input, lineOf);
        if (!site) continue;
        occurrence.kind = undefined;
        sites.push(site);
      }
    }
    const counted = input.occurrences.get(analysis.file) ?? [];
    for (const { comparison, what } of namedComparisons(analysis, counted))
      sites.push(readerSite(analysis, comparison, reason(what, analysis.file, input, lineOf), null));
  }
  return sites;
}

/**
 * Text that may read a server's own status or a handled error's: a file with none holds no comparison
 * {@link namedComparisons} could report, and is not walked.
 */
const OWN_STATUS_TEXT =
  /\.getStatus\s*\(\s*\)|\.statusCode\b|\b(?:ctx|context|c|res|response|reply)\s*\.\s*(?:res\s*\.\s*)?status\b|getResponseStatus/;

/**
 * `exception.getStatus() === DENIED`, `ctx.status === NO_ACCESS`: an equality whose one side is a name (no 403
 * spelled, so no census occurrence) the analysis values as 403 (an imported constant, `export const DENIED =
 * HttpStatus.FORBIDDEN`), the other a read {@link ownStatusRead} knows. A comparison holding a counted occurrence
 * is the census's (handled above).
 */
function namedComparisons(
  analysis: FileAnalysis,
  counted: readonly Occurrence[],
): { comparison: ts.BinaryExpression; what: string }[] {
  if (!OWN_STATUS_TEXT.test(analysis.text)) return [];
  const out: { comparison: ts.BinaryExpression; what: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind)) {
      // The syntactic question first (a read of an own status), the value of the name (which may follow an
      // import) only then.
      for (const [read, other] of [
        [node.left, node.right],
        [node.right, node.left],
      ] as const) {
        const inner = unwrap(other);
        if (!ts.isIdentifier(inner) && !ts.isPropertyAccessExpression(inner)) continue;
        const what = ownStatusRead(read);
        if (!what || analysis.forbiddenEdits(inner) === undefined) continue;
        const start = node.getStart(analysis.sourceFile);
        if (!counted.some((o) => start <= o.start && o.end <= node.end)) out.push({ comparison: node, what });
        break;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(analysis.sourceFile);
  return out;
}

const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

function reason(what: string, file: string, input: OwnStatusInput, lineOf: (site: Site) => number): string {
  const near = (site: Site): number =>
    site.file === file ? 0 : site.file.split('/')[0] === file.split('/')[0] ? 1 : 2;
  const sorted = [...input.rewritten].sort(
    (a, b) => near(a) - near(b) || compareText(a.file, b.file) || a.start - b.start,
  );
  // The file's own rewrites when it has some (what the check most likely watches), else the nearest ones.
  const shown = sorted.filter((s) => near(s) === 0);
  const list = shown.length ? shown : sorted;
  const named = list
    .slice(0, 3)
    .map((s) => `${s.file}:${lineOf(s)} ${s.form}`)
    .join(', ');
  const rest = sorted.length - Math.min(list.length, 3);
  const more = rest > 0 ? `; ${rest} more in ${shown.length ? 'other files' : 'the run'}` : '';
  return `Reads ${what} and compares it with 403, which this run changes to ${input.target} (${named}${more}): after the run this check no longer fires; compare with ${input.target} here too (or instead), or mark it // mtls-fix-ignore: <why>.`;
}

/** The value a comparison compares with the 403 at `position`: the other side, the switch's value, the argument. */
function comparedValue(comparison: ts.Node, position: number): ts.Expression | undefined {
  if (ts.isBinaryExpression(comparison))
    return comparison.left.getEnd() <= position ? comparison.left : comparison.right;
  if (ts.isCallExpression(comparison)) return comparison.arguments[0];
  // `case 403:`: statusComparison gives the clause's expression.
  const clause = comparison.parent;
  if (ts.isCaseClause(clause) && ts.isSwitchStatement(clause.parent.parent))
    return clause.parent.parent.expression;
  return undefined;
}

function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isAwaitExpression(current) ||
    ts.isSatisfiesExpression(current)
  )
    current = current.expression;
  return current;
}

/** `a?.b.c` as its root and the names after it (`['b', 'c']`), calls included as `name()`; else undefined. */
function chainOf(node: ts.Expression): { root: ts.Expression; names: string[] } {
  const names: string[] = [];
  let current = unwrap(node);
  for (;;) {
    // `res['statusCode']` is `res.statusCode` (syntax.ts `staticMember`).
    const member = staticMember(current);
    const called = ts.isCallExpression(current) ? staticMember(current.expression) : undefined;
    if (member) {
      names.unshift(member.name);
      current = unwrap(member.owner);
    } else if (called) {
      names.unshift(`${called.name}()`);
      current = unwrap(called.owner);
    } else return { root: current, names };
  }
}

const REQUEST = /^_*(?:req|request|ctx|context|event|evt|c)$/i;
const RESPONSE = /^_*(?:res|resp|response|reply|rep|ctx|context|c)$/i;
const CONTEXT = /^_*(?:ctx|context|c)$/i;

/**
 * What a compared value reads when it is the server's own response status (`res.statusCode` of a handler's
 * `(req, res)`, `ctx.status` of a `(ctx, next)` middleware …), described for the message; else undefined.
 */
export function ownStatusRead(value: ts.Expression): string | undefined {
  const node = unwrap(value);
  if (
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'getResponseStatus'
  )
    return `the response status (${shorten(node.getText())})`;
  const read = chainOf(node);
  // `const res = context.switchToHttp().getResponse(); res.statusCode`, `const res = event.node.res`: the
  // response held in a local constant reads as the chain it was taken from.
  const held = ts.isIdentifier(read.root) ? heldChain(read.root) : undefined;
  const { root, names } = held ? { root: held.root, names: [...held.names, ...read.names] } : read;
  const last = names[names.length - 1];
  const text = shorten(node.getText());
  const handled = handledErrorStatus(root, names);
  if (handled) return `${handled} (${text})`;
  if (last !== 'status' && last !== 'statusCode') return undefined;
  const own = `its own response status (${text})`;
  if (ts.isIdentifier(root) && root.text === 'Astro' && names[0] === 'response') return own;
  if (names.includes('getResponse()')) return own;
  if (names.join('.').endsWith('node.res.statusCode')) return own;
  if (!ts.isIdentifier(root)) return undefined;
  const param = parameterOf(root);
  if (!param) return undefined;
  const { index, fn } = param;
  const names0 = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
  const path = names.join('.');
  // A handler's or hook's response: `(req, res)`, `(request, reply)`, `(req, res, next)`.
  if (index === 1 && REQUEST.test(names0[0]) && RESPONSE.test(root.text)) {
    if (path === 'statusCode' || path === 'raw.statusCode' || path === 'status') return own;
  }
  // A context: Koa/Oak `(ctx, next)` `ctx.status` / `ctx.response.status`, Hono `(c, next)` `c.res.status`.
  if (index === 0 && (CONTEXT.test(root.text) || names0[1] === 'next')) {
    if (['status', 'response.status', 'res.status', 'res.statusCode', 'response.statusCode'].includes(path))
      return own;
  }
  // hapi `onPreResponse`: `(request, h)`, `request.response.statusCode` (a Boom error: `.output.statusCode`).
  if (index === 0 && /^_*(?:request|req)$/.test(root.text) && names0[1] === 'h') {
    if (path === 'response.statusCode' || path === 'response.output.statusCode') return own;
  }
  return undefined;
}

/**
 * `res` of `const res = context.switchToHttp().getResponse()` (or `= event.node.res`, `= ctx.response`): the
 * chain the constant holds, when it is a `const` of an enclosing block with such an initializer.
 */
function heldChain(name: ts.Identifier): { root: ts.Expression; names: string[] } | undefined {
  for (let scope: ts.Node | undefined = name.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const))
        continue;
      const declared = statement.declarationList.declarations.find(
        (d) => ts.isIdentifier(d.name) && d.name.text === name.text,
      );
      if (!declared?.initializer) continue;
      const chain = chainOf(declared.initializer);
      return chain.names.length && ts.isIdentifier(chain.root) && chain.root.text !== name.text
        ? chain
        : undefined;
    }
  }
  return undefined;
}

/**
 * The status of the error a handler answers, read where the handler decides the response: a NestJS exception
 * filter's `exception.getStatus()` (the first parameter of `catch` in a `@Catch` class), a Nitro `error` hook's
 * or an h3 `onError`'s `error.statusCode`. The run changes the 403 those errors carry (`ForbiddenException`,
 * `createError({ statusCode: 403 })`), so a check of it stops firing. Described for the message; else undefined.
 */
function handledErrorStatus(root: ts.Expression, names: readonly string[]): string | undefined {
  if (!ts.isIdentifier(root)) return undefined;
  const param = parameterOf(root);
  if (!param || param.index !== 0) return undefined;
  const path = names.join('.');
  const fn = param.fn;
  if (ts.isMethodDeclaration(fn) && fn.name.getText() === 'catch' && ts.isClassLike(fn.parent)) {
    const decorators = ts.canHaveDecorators(fn.parent) ? (ts.getDecorators(fn.parent) ?? []) : [];
    const caught = decorators.some((d) => /^Catch\b/.test(d.expression.getText()));
    if (caught && ['getStatus()', 'status', 'statusCode', 'getResponse().statusCode'].includes(path))
      return 'the status of the exception its filter answers';
    return undefined;
  }
  if (path !== 'statusCode' && path !== 'status') return undefined;
  const holder = fn.parent;
  // `nitro.hooks.hook('error', (error) => …)`
  if (
    ts.isCallExpression(holder) &&
    holder.arguments[1] === fn &&
    ts.isPropertyAccessExpression(holder.expression) &&
    holder.expression.name.text === 'hook' &&
    ts.isStringLiteralLike(holder.arguments[0]) &&
    holder.arguments[0].text === 'error'
  )
    return "the status of the error its 'error' hook handles";
  // `createApp({ onError(error, event) { … } })`, `{ onError: (error) => … }`
  const named = ts.isMethodDeclaration(fn)
    ? fn.name
    : ts.isPropertyAssignment(holder)
      ? holder.name
      : undefined;
  if (named && named.getText() === 'onError' && fn.parameters.length >= 1)
    return 'the status of the error its onError handler answers';
  return undefined;
}

/** The function whose parameter `name` is (searched outward from the identifier), with its index. */
function parameterOf(name: ts.Identifier): { fn: ts.SignatureDeclaration; index: number } | undefined {
  for (let fn = enclosingFunction(name); fn; fn = enclosingFunction(fn)) {
    if (!('parameters' in fn)) continue;
    const index = fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === name.text);
    if (index >= 0) return { fn, index };
  }
  return undefined;
}

const ASTRO_STATUS = String.raw`Astro\s*\.\s*response\s*\.\s*status`;
const EQ = String.raw`(?:===?|!==?|[<>]=?)`;
const BEFORE = new RegExp(`${ASTRO_STATUS}\\s*${EQ}\\s*$`);
const AFTER = new RegExp(`^\\s*${EQ}\\s*${ASTRO_STATUS}\\b`);

/**
 * An Astro template expression (outside the frontmatter, which the parser never sees, so the census counts it a
 * comment) that compares `Astro.response.status` with this 403: `{Astro.response.status === 403 ? … : …}`.
 */
function astroTemplateReader(
  analysis: FileAnalysis,
  occurrence: Occurrence,
  input: OwnStatusInput,
  lineOf: (site: Site) => number,
): Site | undefined {
  const text = analysis.text;
  const frontmatter = astroFrontmatter(text);
  if (frontmatter && occurrence.start < frontmatter.offset + frontmatter.code.length) return undefined;
  // Outside the frontmatter the census's occurrence is the whole line: each 403 on it is tried.
  for (const match of text.slice(occurrence.start, occurrence.end).matchAll(/(?<![\w.])403(?![\w.])/g)) {
    const at = occurrence.start + match.index;
    const open = text.lastIndexOf('{', at);
    if (open < 0 || text.slice(open, at).includes('}')) continue;
    const before = BEFORE.exec(text.slice(open + 1, at));
    const after = AFTER.exec(text.slice(at + 3, at + 63));
    if (!before && !after) continue;
    const start = before ? open + 1 + before.index : at;
    const end = after ? at + 3 + after[0].length : at + 3;
    const site = astroSite(analysis, start, end, input, lineOf);
    // The census's occurrence is the line: the site covers it, so the census counts it here.
    site.span = { start: Math.min(start, occurrence.start), end: Math.max(end, occurrence.end) };
    return site;
  }
  return undefined;
}

function astroSite(
  analysis: FileAnalysis,
  start: number,
  end: number,
  input: OwnStatusInput,
  lineOf: (site: Site) => number,
): Site {
  const text = analysis.text;
  return {
    file: analysis.file,
    start,
    end,
    span: { start, end },
    framework: 'reader',
    form: shorten(text.slice(start, end)),
    kind: 'manual',
    edits: [],
    imports: [],
    replacement: null,
    reason: reason(
      "the page's own response status (Astro.response.status) in the template",
      analysis.file,
      input,
      lineOf,
    ),
    scope: { functionStart: 0, functionEnd: text.length },
    operation: null,
  };
}
