import ts from '../typescript.cjs';
import { numericValue, shorten, type FileAnalysis } from './analysis.js';
import { isExpect, isObjectFreeze, literalNumber } from './analysis/syntax.js';
import { keyHelperOf, type KeyHelper } from './key-helpers.js';
import { linkOf, linkTo, type ImportedDeclarations } from './references.js';
import { installedMethodOf, type InstalledMethods } from './installed-methods.js';
import type { NotAnEmitKind, Site } from './types.js';
import { OCCURRENCE_SOURCE } from './occurrence-source.js';
import { statusCheckAt } from './status-checks.js';
import { escapeRegExp } from '../util/regexp.js';
import { REASON_PHRASES } from './status-names.js';

/**
 * The census (DESIGN §4, §6 "Nothing silent"): every 403 occurrence in a parsed file's text ends in exactly one
 * class. Occurrences are found by text (so nothing the parser or a framework module overlooks can escape), then
 * placed on the syntax tree:
 * - inside a site's `span`: the site's class (rewritten, manual, ignored; out of scope under `--spec`);
 * - inside a range a module marked with `FileAnalysis.notAnEmit()`: that kind;
 * - else a syntactic classifier decides a not-an-emit kind (comparison, import, declaration, type, comment...),
 *   or adds a **manual** site: an unknown use of a 403 is never dropped.
 */

// The spellings a 403 takes in source text (occurrence-source.ts). Each match is placed on the token (or comment)
// holding it.
export { OCCURRENCE_SOURCE };
const OCCURRENCE = new RegExp(OCCURRENCE_SOURCE, 'gi');
const HOLDS_403 = new RegExp(OCCURRENCE_SOURCE, 'i');
const holds403 = (text: string): boolean => HOLDS_403.test(text);

/** A reason phrase as a whole string: `'Forbidden'`, `'FORBIDDEN'`, `'403 Forbidden'`, `'Forbidden.'`. */
const PHRASE = /^\s*(?:403\s+)?forbidden[.!]?\s*$/i;

export type OccurrenceForm = 'number' | 'string' | 'identifier' | 'comment';

/** One 403 occurrence: the token (or whole comment) that holds it. Offsets are in the file text. */
export interface Occurrence {
  start: number;
  end: number;
  /** The token as written, shortened. */
  text: string;
  form: OccurrenceForm;
  /** Set when the classifier decided it is not an emit. */
  kind?: NotAnEmitKind;
  /** Kind `reference`: the definition the name refers to (`src/errors.ts:3`), whose 403 is accounted there. */
  via?: string;
  /** Kind `comparison` in a server file: the status check it is part of (`error.status === 403`; status-checks.ts). */
  check?: string;
}

/** Each analysed file's occurrences, found once (off-modules.ts reads them during the analysis, the census after). */
const FOUND = new WeakMap<FileAnalysis, readonly Occurrence[]>();

/**
 * Finds every 403 occurrence of a parsed file, one per token or comment. A number is an occurrence only when
 * its value is 403 (`1.403` is not); identifiers count when their name holds Forbidden/PermissionDenied. The
 * text is searched once per analysis; each call gets its own copies (the census writes their kinds).
 */
export function findOccurrences(analysis: FileAnalysis): Occurrence[] {
  let found = FOUND.get(analysis);
  if (!found) {
    found = searchOccurrences(analysis);
    FOUND.set(analysis, found);
  }
  return found.map((occurrence) => ({ ...occurrence }));
}

function searchOccurrences(analysis: FileAnalysis): Occurrence[] {
  const { text, sourceFile } = analysis;
  const seen = new Set<number>();
  const out: Occurrence[] = [];
  for (const match of text.matchAll(OCCURRENCE)) {
    const position = match.index;
    const placed = place(sourceFile, text, position);
    if (!placed || seen.has(placed.start)) continue;
    seen.add(placed.start);
    if (placed.form === 'number' && placed.node && numericValue(placed.node as ts.NumericLiteral) !== 403)
      continue;
    out.push({
      start: placed.start,
      end: placed.end,
      text: shorten(text.slice(placed.start, placed.end)),
      form: placed.form,
    });
  }
  return out;
}

interface Placed {
  start: number;
  end: number;
  form: OccurrenceForm;
  node?: ts.Node;
}

/** The token or comment at `position`: descend to the innermost node; text outside every child is trivia. */
function place(sourceFile: ts.SourceFile, text: string, position: number): Placed | undefined {
  const node: ts.Node = tokenNode(sourceFile, position) ?? sourceFile;
  const start = node === sourceFile ? sourceFile.end : node.getStart(sourceFile);
  if (position < start || !isLeaf(node)) return comment(text, position);
  if (ts.isNumericLiteral(node)) return { start, end: node.end, form: 'number', node };
  if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node))
    return { start, end: node.end, form: 'identifier', node };
  return { start, end: node.end, form: 'string', node };
}

function isLeaf(node: ts.Node): boolean {
  return (
    ts.isNumericLiteral(node) ||
    ts.isBigIntLiteral(node) ||
    ts.isIdentifier(node) ||
    ts.isPrivateIdentifier(node) ||
    ts.isStringLiteral(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    ts.isTemplateHead(node) ||
    ts.isTemplateMiddle(node) ||
    ts.isTemplateTail(node) ||
    ts.isRegularExpressionLiteral(node) ||
    ts.isJsxText(node)
  );
}

/** The comment holding `position` (known to be in trivia): the nearest `/*` not closed before it, else `//`. */
function comment(text: string, position: number): Placed {
  const block = text.lastIndexOf('/*', position);
  const closed = block >= 0 ? text.indexOf('*/', block + 2) : -1;
  if (block >= 0 && (closed === -1 || closed + 2 > position)) {
    return { start: block, end: closed === -1 ? text.length : closed + 2, form: 'comment' };
  }
  const lineStart = text.lastIndexOf('\n', position) + 1;
  const slash = text.indexOf('//', lineStart);
  const start = slash >= 0 && slash < position ? slash : lineStart;
  const lineEnd = text.indexOf('\n', position);
  return { start, end: lineEnd === -1 ? text.length : lineEnd, form: 'comment' };
}

/** Whether the range is inside a site's span (the innermost such site, when several). */
export function siteAt(sites: readonly Site[], start: number, end: number): Site | undefined {
  let best: Site | undefined;
  for (const site of sites) {
    if (site.file === undefined || site.span.start > start || site.span.end < end) continue;
    if (!best || site.span.end - site.span.start < best.span.end - best.span.start) best = site;
  }
  return best;
}

/**
 * Classifies the occurrences of one analysed file (after every module and the helper-call pass ran): those no
 * site covers get a not-an-emit kind, or a manual site is added to `analysis.sites`. Returns the occurrences;
 * their final class (for those under a site) is read off the sites once the run has decided them.
 */
export function takeCensus(
  analysis: FileAnalysis,
  usedBySite: (name: string) => boolean = namesInSites(analysis.sites, analysis.text),
  imported?: ImportedDeclarations,
  installed?: InstalledMethods,
): Occurrence[] {
  const occurrences = findOccurrences(analysis);
  // The modules' sites, before the census adds its own: what a name's definition is linked to.
  const moduleSites = [...analysis.sites];
  const context: ClassifyContext = { usedBySite, moduleSites, imported, installed };
  for (const occurrence of occurrences) {
    const site = siteAt(analysis.sites, occurrence.start, occurrence.end);
    if (site) {
      leftPhrase(analysis, occurrence, site);
      continue;
    }
    const mark = markAt(analysis, occurrence);
    if (mark) {
      occurrence.kind = mark;
      continue;
    }
    const verdict = classify(analysis, occurrence, context);
    if (typeof verdict === 'string') {
      occurrence.kind = verdict;
      if (verdict === 'comparison' && !analysis.options.testFile) checkAt(analysis, occurrence);
      continue;
    }
    if ('via' in verdict) {
      occurrence.kind = 'reference';
      occurrence.via = verdict.via;
      continue;
    }
    analysis.addSite({
      node: verdict.node,
      at: verdict.at,
      framework: verdict.framework ?? 'unknown',
      manual: true,
      reason: verdict.reason,
      range: verdict.range,
      cover: { start: occurrence.start, end: occurrence.end },
    });
    // addSite declines only a mock in a test file, which it marks: take that kind. 'unclassified' is a bug
    // the census test catches.
    if (!siteAt(analysis.sites, occurrence.start, occurrence.end))
      occurrence.kind = markAt(analysis, occurrence) ?? 'unclassified';
  }
  return occurrences;
}

/** Sets `occurrence.check` when its comparison reads a response status (status-checks.ts). */
function checkAt(analysis: FileAnalysis, occurrence: Occurrence): void {
  if (occurrence.form === 'comment') return;
  const token = tokenNode(analysis.sourceFile, occurrence.start);
  const check = token && statusCheckAt(token, analysis.sourceFile);
  if (check) occurrence.check = check;
}

function markAt(analysis: FileAnalysis, occurrence: Occurrence): NotAnEmitKind | undefined {
  return analysis.notAnEmitRanges.find((r) => r.start <= occurrence.start && occurrence.end <= r.end)?.kind;
}

/** A reason phrase inside a rewritten form that no edit changes: the body would still say Forbidden. */
function leftPhrase(analysis: FileAnalysis, occurrence: Occurrence, site: Site): void {
  if (site.kind === 'rewrite' && occurrence.form === 'identifier')
    return leftName(analysis, occurrence, site);
  if (site.kind !== 'rewrite' || occurrence.form !== 'string') return;
  const raw = analysis.text.slice(occurrence.start, occurrence.end);
  if (!PHRASE.test(raw.slice(1, -1))) return;
  // Changed by this site, or by the enclosing response's site (a result helper's call inside its body).
  const edited = (s: Site): boolean =>
    s.kind === 'rewrite' && s.edits.some((e) => e.start <= occurrence.start && occurrence.end <= e.end);
  if (edited(site) || analysis.sites.some(edited)) return;
  const node = tokenNode(analysis.sourceFile, occurrence.start);
  if (!node) return;
  analysis.addSite({
    node,
    framework: site.framework,
    manual: true,
    reason: `The text ${raw} goes with a status that becomes ${analysis.target}: change it to match (e.g. '${reasonWord(analysis.target)}'), or keep it on purpose with // mtls-fix-ignore: <why>.`,
  });
}

/**
 * A documentation comment's site: located at the line that holds the 403 (`offset` in the comment), owned by
 * the code the block documents (or the file's end).
 */
function documentationLine(
  analysis: FileAnalysis,
  occurrence: Occurrence,
  offset: number,
  reason: string,
): ManualVerdict {
  const { text } = analysis;
  const at = occurrence.start + offset;
  // Any line end: `\n`, `\r\n`, or the `\r` alone of a file saved with old Mac line ends.
  const lineStart = Math.max(text.lastIndexOf('\n', at), text.lastIndexOf('\r', at)) + 1;
  const lineEnd = /[\r\n]/.exec(text.slice(at))?.index;
  const line = text.slice(lineStart, lineEnd === undefined ? text.length : at + lineEnd);
  const lead = /^[\s*]*/.exec(line)?.[0].length ?? 0;
  const node = nodeAfter(analysis.sourceFile, occurrence.end) ?? analysis.sourceFile.endOfFileToken;
  return {
    node,
    at: node,
    range: { start: lineStart + lead, end: lineStart + line.trimEnd().length },
    reason,
  };
}

/**
 * The offset of the first 403 in a comment that an apiDoc tag owns (`@apiError (Forbidden 403) ...`, the
 * `HTTP/1.1 403 Forbidden` line of an `@apiErrorExample`): the last `@tag` before it is `@api` or `@apiXxx`.
 * Undefined for prose and other tags. Source: apidocjs.com, "apiError", "apiErrorExample".
 */
function apidocDeclaration(body: string): number | undefined {
  const tags = [...body.matchAll(/@([A-Za-z]+)/g)];
  for (const found of body.matchAll(/\b403\b/g)) {
    const index = found.index;
    const owner = tags.filter((t) => t.index < index).pop();
    if (owner && /^api(?:[A-Z]\w*)?$/.test(owner[1] ?? '')) return index;
  }
  return undefined;
}

/**
 * A name holding Forbidden that a rewrite leaves as it is inside its own span: the response type of a renamed
 * swagger decorator (`@ApiUnauthorizedResponse({ type: errors.ForbiddenException })`), a body built from a
 * Forbidden class in a response whose status becomes the target. Counted as rewritten, it would read as done;
 * it becomes a manual site naming the name.
 */
function leftName(analysis: FileAnalysis, occurrence: Occurrence, site: Site): void {
  // Changed by this site, or by the enclosing response's site (a result helper's call inside its body).
  const edited = (s: Site): boolean =>
    s.kind === 'rewrite' && s.edits.some((e) => e.start <= occurrence.start && occurrence.end <= e.end);
  if (edited(site) || analysis.sites.some(edited)) return;
  const node = tokenNode(analysis.sourceFile, occurrence.start);
  if (!node || !ts.isIdentifier(node)) return;
  let named: ts.Node = node;
  while (ts.isPropertyAccessExpression(named.parent) && named.parent.name === named) named = named.parent;
  analysis.addSite({
    node: named,
    framework: site.framework,
    manual: true,
    reason: `'${shorten(named.getText(analysis.sourceFile))}' names a 403 and stays where the status becomes ${analysis.target}: change it to match (e.g. an Unauthorized type or message), or keep it on purpose with // mtls-fix-ignore: <why>.`,
  });
}

function times(body: string): string {
  const n = body.match(/\b403\b/g)?.length ?? 0;
  return n > 1 ? ` (${n} times, from this line on)` : '';
}

function reasonWord(status: number): string {
  return status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : `${status}`;
}

interface ManualVerdict {
  node: ts.Node;
  at: ts.Node;
  reason: string;
  /** The site's `framework` label when the census knows what the shape is (default `unknown`). */
  framework?: string;
  range?: { start: number; end: number };
}

/** A use of a project declaration whose 403 is accounted where it is declared (kind `reference`). */
interface ReferenceVerdict {
  via: string;
}

interface ClassifyContext {
  usedBySite: (name: string) => boolean;
  moduleSites: readonly Site[];
  imported?: ImportedDeclarations;
  installed?: InstalledMethods;
}

const COMPARISON_OPERATORS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.InstanceOfKeyword,
  ts.SyntaxKind.InKeyword,
]);

/** Calls that read a collection (`[401, 403].includes(s)`), never send. */
const READ_METHODS = new Set(['includes', 'indexOf', 'lastIndexOf', 'has', 'some', 'every', 'find']);

/** A swagger-autogen response declaration for 403: `#swagger.responses[403]`, `['403']`, `["403"]`. */
const SWAGGER_AUTOGEN_403 = /#swagger\.responses\s*\[\s*(['"`]?)403\1\s*\]/;

/** Callees whose numeric arguments are durations or sizes, not statuses. */
const NON_STATUS_CALLS = new Set([
  'setTimeout',
  'setInterval',
  'setImmediate',
  'sleep',
  'delay',
  'wait',
  'timeout',
  'slice',
  'substring',
  'substr',
  'padStart',
  'padEnd',
  'repeat',
  'toFixed',
  'Array',
  'Buffer',
  'alloc',
  'allocUnsafe',
]);

/** Words that end a property or variable name holding a number that is not a status (`retryAfterMs`). */
const NON_STATUS_WORDS =
  /^(?:width|height|top|left|right|bottom|x|y|z|size|length|len|timeout|delay|ttl|port|count|limit|offset|page|pageSize|max|min|margin|padding|fontSize|zIndex|line|column|col|row|index|idx|version|weight|duration|retries|interval|radius|opacity|year|month|day|hours?|minutes?|seconds?|ms|bytes|amount|price|quantity|qty|retries|attempts|capacity|depth|level|score|total)$/i;

/** Whether a name's last word (camelCase, snake_case) says it is not a status: `retryAfterMs`, `max_width`. */
function isNonStatusName(name: string): boolean {
  const words = name.split(/(?<=[a-z0-9])(?=[A-Z])|[-_$]+/).filter(Boolean);
  return NON_STATUS_WORDS.test(words[words.length - 1] ?? '');
}

/** Why a 403 occurrence that no site covers is not an emit, or the manual site it becomes. */
function classify(
  analysis: FileAnalysis,
  occurrence: Occurrence,
  context: ClassifyContext,
): NotAnEmitKind | ManualVerdict | ReferenceVerdict {
  const { usedBySite } = context;
  const { text } = analysis;
  if (occurrence.form === 'comment') {
    const body = text.slice(occurrence.start, occurrence.end);
    const declared = /\b403\b/.exec(body);
    if (/@(?:openapi|swagger)\b/i.test(body) && declared)
      return documentationLine(
        analysis,
        occurrence,
        declared.index,
        `Declares 403 in an @openapi/@swagger JSDoc block${times(body)}: the document generated from it will list 403 again. Change it to ${analysis.target} there.`,
      );
    // swagger-autogen (`#swagger.responses[403] = { ... }` in the handler's comment) writes the committed
    // document from these comments. Source: swagger-autogen README, "Responses" (`#swagger.responses[statusCode]`).
    const autogen = SWAGGER_AUTOGEN_403.exec(body);
    if (autogen)
      return {
        ...documentationLine(
          analysis,
          occurrence,
          autogen.index + autogen[0].indexOf('403'),
          `Declares 403 in a swagger-autogen comment (#swagger.responses[403])${times(body)}: the document swagger-autogen generates from it will list 403 again. Change it to ${analysis.target} there.`,
        ),
        framework: 'swagger-autogen',
      };
    const apidoc = apidocDeclaration(body);
    if (apidoc !== undefined)
      return {
        ...documentationLine(
          analysis,
          occurrence,
          apidoc,
          `Documents 403 in an apiDoc block (@apiError, @apiErrorExample)${times(body)}: the documentation apidoc generates from it will still say 403. Change it to ${analysis.target} (${reasonWord(analysis.target)}) there.`,
        ),
        framework: 'apidoc',
      };
    return 'comment';
  }
  const node = tokenNode(analysis.sourceFile, occurrence.start);
  if (!node) return 'comment';
  if (occurrence.form === 'identifier') return classifyName(analysis, node as ts.Identifier, context);
  const raw = text.slice(occurrence.start, occurrence.end);
  if (occurrence.form === 'string') {
    const value = stringValue(node);
    // `expect(line).toMatch(/^403 /)`: a test checks the status through a text holding the number, which
    // mtls-fix never rewrites (a reason phrase such as `forbidden` is classifyPhrase's).
    if (analysis.options.testFile && /\b403\b/.test(raw) && inAssertion(node))
      return manual(
        node,
        `The test asserts on a text that holds 403 (${shorten(raw)}): where the server now answers ${analysis.target}, change the expected text by hand.`,
      );
    if (value === '403' && isNameList(node)) return 'string';
    if (value === '403') return classifyValue(analysis, node, usedBySite, context.imported);
    if (value !== undefined && /\bHTTP\/\d(?:\.\d)?\s+403\b/i.test(value))
      return manual(
        node,
        `A raw HTTP status line with 403 (${shorten(raw)}): write the agreed status ${analysis.target} by hand.`,
      );
    // `"Forbidden!": { pt: 'Proibido!' }`: a message key of a translation table, not a status map's entry.
    if (isPropertyName(node) && value !== undefined && isMessageKey(node, value)) return 'string';
    if (isPropertyName(node))
      return manual(
        node,
        `An entry keyed ${shorten(raw)}: a status map or a response declaration for 403. Review it: a value sent for 403 should move to ${analysis.target}.`,
      );
    // `res.writeStatus('403 Forbidden')` (uWebSockets.js), `{ statusLine: '403 Forbidden' }`: a status text.
    const slot = value !== undefined && /^\s*403\b/.test(value) ? statusTextSlot(node) : undefined;
    if (slot && !inComparison(node))
      return manual(
        node,
        `A status text with 403 (${shorten(raw)}) given to ${slot}: if it is sent as the status (uWebSockets.js writeStatus, a Status header), write '${analysis.target} ${reasonWord(analysis.target)}' by hand; if not, mark it // mtls-fix-ignore: <why>.`,
      );
    if (value !== undefined && PHRASE.test(value)) return classifyPhrase(analysis, node);
    if (inComparison(node)) return 'comparison';
    return 'string';
  }
  return classifyValue(analysis, node, usedBySite, context.imported);
}

/**
 * A `'403'` among names: an array of string literals where most are words, not numbers or phrases (a list of
 * reserved URL slugs, `['403', '404', '500', 'about', 'account', 'admin', …]`, as Documenso keeps for team and
 * organisation URLs): a path segment no one may take, not a status.
 */
function isNameList(node: ts.Node): boolean {
  const list = node.parent;
  if (!ts.isArrayLiteralExpression(list)) return false;
  const strings = list.elements.filter(ts.isStringLiteralLike).map((e) => e.text);
  if (strings.length !== list.elements.length) return false;
  const words = strings.filter((t) => /^[a-z][\w-]*$/i.test(t) && !PHRASE.test(t) && !/^[A-Z_]+$/.test(t));
  return words.length >= 3 && words.length * 2 > strings.length;
}

/**
 * A key of a table of reason phrases: every entry a status number with its RFC 9110 phrase as a string, 403
 * with `'Forbidden'` (`{ 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }`, as an uptime monitor
 * describes the statuses it observes). The table names each status and sends none; the 401 entry is there.
 */
function isPhraseTable(key: ts.Node): boolean {
  const entry = key.parent;
  if (!ts.isPropertyAssignment(entry) || !ts.isObjectLiteralExpression(entry.parent)) return false;
  let matched = 0;
  for (const property of entry.parent.properties) {
    if (!ts.isPropertyAssignment(property) || !ts.isNumericLiteral(property.name)) return false;
    if (!ts.isStringLiteralLike(property.initializer)) return false;
    const phrase = REASON_PHRASES[Number(property.name.text)];
    if (phrase === undefined) continue;
    if (phrase.toLowerCase() !== property.initializer.text.toLowerCase()) return false;
    matched++;
  }
  return matched >= 3;
}

/** Methods of loggers (console, pino, winston, bunyan, Nest's Logger, `request.log`). */
const LOG_METHODS = new Set([
  'trace',
  'debug',
  'info',
  'log',
  'warn',
  'warning',
  'error',
  'fatal',
  'verbose',
]);
/** The last name of a logger receiver: `log`, `logger`, `this.logger`, `request.log`, `console`, `auditLogger`. */
const LOGGER = /^(?:console|_?log|_?logger|\w*Logger|\w*Log)$/;

/**
 * Inside the arguments of a logging call (`log.warn({ statusCode: 403, clientId }, 'denied')`): the 403 is a
 * recorded field, never a response. Stops at the enclosing function: a callback passed to a logger is not a log.
 */
function inLogCall(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) || ts.isStatement(current)) return false;
    if (!ts.isCallExpression(current) || !ts.isPropertyAccessExpression(current.expression)) continue;
    if (current.arguments.every((a) => a.end < node.getStart() || a.pos > node.getEnd())) continue;
    const { expression: receiver, name } = current.expression;
    const owner = ts.isPropertyAccessExpression(receiver) ? receiver.name : receiver;
    if (LOG_METHODS.has(name.text) && ts.isIdentifier(owner) && LOGGER.test(owner.text)) return true;
  }
  return false;
}

/** A 403 value (number or `'403'`) that no module claimed. */
function classifyValue(
  analysis: FileAnalysis,
  node: ts.Node,
  usedBySite: (name: string) => boolean,
  imported?: ImportedDeclarations,
): NotAnEmitKind | ManualVerdict {
  if (isInType(node)) return 'type';
  if (inComparison(node)) return 'comparison';
  if (inLogCall(node)) return 'log';
  if (isPropertyName(node) && isPhraseTable(node)) return 'string';
  if (isPropertyName(node))
    return manual(
      node,
      `An entry keyed 403: a status map or a response declaration for 403. Review it: what is sent for 403 should move to ${analysis.target}.`,
    );
  const parent = skipWrappers(node.parent);
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
    const callee = calleeName(parent.expression);
    if (callee && NON_STATUS_CALLS.has(callee)) return 'unrelated-number';
  }
  const keyHelper = ts.isCallExpression(node.parent)
    ? keyHelperOf(analysis, node.parent, node, imported)
    : undefined;
  if (keyHelper)
    return {
      ...manual(node, keyHelperReason(keyHelper, analysis.target), parent),
      framework: keyHelper.responses ? 'openapi' : 'key-helper',
    };
  const holder = holderName(node);
  if (holder && isNonStatusName(holder)) return 'unrelated-number';
  if (isLocalNonHelperCall(analysis, parent, node)) return 'unrelated-number';
  const asserted = assertedName(node);
  if (asserted && isNonStatusName(asserted)) return 'unrelated-number';
  const declared =
    ts.isVariableDeclaration(parent) || ts.isEnumMember(parent) || ts.isPropertyDeclaration(parent)
      ? parent
      : ts.isPropertyAssignment(parent) && isConstantTable(parent.parent)
        ? parent
        : undefined;
  const defaulted = defaultOfStatusParameter(analysis, parent, node);
  if (defaulted) return defaulted;
  if (declared) {
    const name = declared.name.getText(analysis.sourceFile).replace(/^['"]|['"]$/g, '');
    // A constant a rewritten or reported site uses: that use is counted there; the definition stays.
    if (usedBySite(name)) return 'declaration';
    return manual(
      node,
      `'${name}' holds 403 and no status slot using it was rewritten here: check where '${name}' is used; if a response sends it, the use should send ${analysis.target}.`,
    );
  }
  return manual(
    node,
    `A 403 in a shape mtls-fix does not know (${shorten(nearestShape(node).getText(analysis.sourceFile))}): if it is a response status, change it to ${analysis.target} by hand; if not, mark it // mtls-fix-ignore: <why>.`,
  );
}

/**
 * The reason for a 403 passed to a key helper: the same text for every call of one helper (whatever the other
 * statuses passed), so the report groups them into one item.
 */
function keyHelperReason(helper: KeyHelper, target: number): string {
  const table = `${helper.table}${helper.tableAt ? ` (${helper.tableAt})` : ''}`;
  if (helper.responses)
    return `Declares 403 in the API description: ${helper.name} (${helper.at}) only selects the 403 entry of ${table}, a table of OpenAPI Response Objects; nothing is sent here. Where the route answers ${target} on mTLS, pass ${target} instead of 403, or the generated document lists 403 again.`;
  return `The 403 only selects an entry: ${helper.name} (${helper.at}) uses it as a key of ${table}, never as a status. Review what ${helper.table} holds for 403; where it is a response on mTLS, it should be ${target}.`;
}

/** `'Forbidden'` that no module claimed: a body or message text. */
function classifyPhrase(analysis: FileAnalysis, node: ts.Node): NotAnEmitKind | ManualVerdict {
  if (comparesErrorCode(node)) return 'string';
  if (inComparison(node)) return 'comparison';
  if (isDecoratorName(node)) return 'declaration';
  if (isInType(node)) return 'type';
  if (inLogCall(node)) return 'log';
  // The same response: a rewritten status in this statement (`res.status(403).json({ message: 'Forbidden' })`)
  // or in the statement right before it (`res.writeHead(403); res.end('Forbidden')`).
  const statement = enclosingStatement(node);
  if (statement) {
    const previous = previousStatement(statement);
    const rewrites = analysis.sites.filter((s) => s.kind === 'rewrite');
    const within = (n: ts.Node) =>
      rewrites.some((s) => s.span.start < n.getEnd() && s.span.end > n.getStart(analysis.sourceFile));
    if (within(statement) || (previous && within(previous))) {
      const raw = node.getText(analysis.sourceFile);
      return manual(
        node,
        `The text ${raw} goes with a status that becomes ${analysis.target}: change it to match (e.g. '${reasonWord(analysis.target)}'), or keep it on purpose with // mtls-fix-ignore: <why>.`,
      );
    }
  }
  return 'string';
}

/**
 * The status-named slot a text is given to, shown as written (`writeStatus(…)`, `statusLine:`), or undefined:
 * the argument of a call whose name holds "status", the value of a property or member assignment so named.
 */
function statusTextSlot(node: ts.Node): string | undefined {
  const parent = node.parent;
  if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) {
    const callee = parent.expression;
    const name = ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : ts.isIdentifier(callee)
        ? callee.text
        : undefined;
    return name && /status/i.test(name) ? `${name}(…)` : undefined;
  }
  if (ts.isPropertyAssignment(parent) && parent.initializer === node) {
    const name = ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name) ? parent.name.text : '';
    return /status/i.test(name) ? `${name}:` : undefined;
  }
  if (
    ts.isBinaryExpression(parent) &&
    parent.right === node &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isPropertyAccessExpression(parent.left) &&
    /status/i.test(parent.left.name.text)
  )
    return `${parent.left.name.text} =`;
  return undefined;
}

function enclosingStatement(node: ts.Node): ts.Statement | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) || ts.isClassLike(current)) return undefined;
    if (ts.isStatement(current) && !ts.isBlock(current)) return current;
  }
  return undefined;
}

function previousStatement(statement: ts.Statement): ts.Statement | undefined {
  const parent = statement.parent;
  if (!ts.isBlock(parent) && !ts.isSourceFile(parent) && !ts.isCaseClause(parent)) return undefined;
  const index = parent.statements.indexOf(statement);
  return index > 0 ? parent.statements[index - 1] : undefined;
}

/**
 * A property name that is a sentence rather than a status or its name (`'Forbidden!'`, `'You are forbidden to
 * edit'`) and whose value is no number: a translation or message key. `'403'`, `'Forbidden'`, `'FORBIDDEN'` and
 * `'permission_denied'` keys stay entries to review.
 */
function isMessageKey(node: ts.Node, key: string): boolean {
  if (/^\s*(?:403|forbidden|permission[_ -]?denied)\s*$/i.test(key)) return false;
  const holder = node.parent;
  if (!ts.isPropertyAssignment(holder)) return false;
  return literalNumber(holder.initializer) === undefined;
}

/** `process.env.NAME` (also `import.meta.env.NAME`, Deno/Bun `Bun.env.NAME`): NAME is an environment variable's name. */
function isEnvironmentName(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (!ts.isPropertyAccessExpression(parent) || parent.name !== node) return false;
  const owner = parent.expression;
  return (
    ts.isPropertyAccessExpression(owner) &&
    owner.name.text === 'env' &&
    /^(process|import\.meta|Bun)$/.test(owner.expression.getText())
  );
}

/**
 * `ERROR_MESSAGES.PermissionDenied` where the project's enum or object (in this file or imported) gives that
 * member another number: an application error code (`PermissionDenied = 1006`), not a status. Numbers up to 16
 * stay unknown: they may be gRPC codes (7 is PERMISSION_DENIED, which gateways answer with 403).
 */
function isApplicationCode(analysis: FileAnalysis, node: ts.Identifier): boolean {
  const parent = node.parent;
  if (!ts.isPropertyAccessExpression(parent) || parent.name !== node) return false;
  const value = (analysis.localMember(parent) ?? analysis.importedMember(parent))?.value;
  return value !== undefined && value !== 403 && value > 16;
}

/**
 * Whether a range a module classified as not an emit uses `name` (`new AF(m)` of Apollo's `ForbiddenError`
 * destructured as `AF`, kind graphql-error): the name's uses are accounted there.
 */
function usedInMark(analysis: FileAnalysis, name: string): boolean {
  const word = new RegExp(`(?<![\\w$])${escapeRegExp(name)}(?![\\w$])`);
  return analysis.notAnEmitRanges.some((r) => word.test(analysis.text.slice(r.start, r.end)));
}

/**
 * A GraphQL error code, which a GraphQL server answers in a 200 response's `errors[].extensions.code` (Apollo
 * Server 4, graphql-yoga; only `extensions.http.status` sets the HTTP status, graphql.ts): the value of a GraphQL
 * error's `extensions: { code: … }`, or a member of a project enum or object named for GraphQL
 * (`GraphQLErrorCode.Forbidden = 'FORBIDDEN'`, as Rafiki's resolvers and error maps use it) that holds no number.
 */
function isGraphqlCode(analysis: FileAnalysis, node: ts.Identifier): boolean {
  let value: ts.Node = node;
  if (ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) {
    const owner = node.parent.expression;
    const named = ts.isIdentifier(owner) && /graph_?ql/i.test(owner.text);
    const number = (analysis.localMember(node.parent) ?? analysis.importedMember(node.parent))?.value;
    if (named && number === undefined) return true;
    value = node.parent;
  }
  const code = value.parent;
  if (!ts.isPropertyAssignment(code) || code.initializer !== value || !ts.isIdentifier(code.name))
    return false;
  if (code.name.text !== 'code') return false;
  const holder = code.parent.parent;
  return ts.isPropertyAssignment(holder) && ts.isIdentifier(holder.name) && holder.name.text === 'extensions';
}

/**
 * Things that are not allowed, named so: `forbiddenArgs`, `FORBIDDEN_PATHS`, `isForbiddenPath`,
 * `forbiddenMicrosoftQueryOperators` (a list, or a check, of arguments, paths, characters... a caller may not
 * use). The name ends in a noun for data after the word Forbidden; error and response names (`ForbiddenError`,
 * `forbiddenResponse`, `sendForbidden`, `forbiddenRoute`) do not, and stay unknown shapes unless linked.
 */
export function namesForbiddenThings(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_$]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  const at = words.indexOf('forbidden');
  if (at < 0 || at === words.length - 1) return false;
  return DATA_NOUNS.test(words[words.length - 1] ?? '');
}

const DATA_NOUNS =
  /^(?:args?|arguments?|tools?|paths?|words?|chars?|characters?|keys?|fields?|ids?|hosts?|domains?|globs?|operators?|names?|patterns?|tags?|types?|values?|props?|propert(?:y|ies)|headers?|methods?|extensions?|files?|dirs?|director(?:y|ies)|urls?|emails?|usernames?|terms?|tokens?|params?|options?|commands?|modules?|imports?|packages?|labels?|attributes?|elements?|nodes?|symbols?|strings?|regex(?:es)?|regexps?|sets?|lists?|maps?|arrays?|prefixes|prefix|suffix(?:es)?|actions?|scopes?)$/;

/** An identifier whose name holds Forbidden / PermissionDenied. */
function classifyName(
  analysis: FileAnalysis,
  node: ts.Identifier,
  context: ClassifyContext,
): NotAnEmitKind | ManualVerdict | ReferenceVerdict {
  const parent = node.parent;
  if (
    ts.isImportSpecifier(parent) ||
    ts.isImportClause(parent) ||
    ts.isNamespaceImport(parent) ||
    ts.isExportSpecifier(parent) ||
    ts.isImportEqualsDeclaration(parent)
  )
    return 'import';
  if (isInType(node)) return 'type';
  if (isDeclarationName(node)) return 'declaration';
  // `const { FORBIDDEN: DENIED } = StatusCodes`: the key read into another name; its uses are counted where a
  // site uses that name, else nothing shows them.
  if (ts.isBindingElement(parent) && parent.propertyName === node && ts.isIdentifier(parent.name)) {
    const local = parent.name.text;
    if (context.usedBySite(local) || usedInMark(analysis, local)) return 'declaration';
    return manual(
      node,
      `'${node.text}' is read into '${local}' by destructuring and no status slot using '${local}' was found here: check where '${local}' is used; if a response sends it, the use should send ${analysis.target}.`,
    );
  }
  if (inComparison(node)) return 'comparison';
  if (isValidatorCall(analysis, node)) return 'validator';
  // `process.env.CMD_FORBIDDEN_NOTE_IDS`: the name of an environment variable, a lookup key.
  if (isEnvironmentName(node)) return 'string';
  // `this.forbidden(id)`, `throw forbiddenError`: a project declaration whose 403 is accounted where it lives.
  const link = linkOf(analysis, node, context.moduleSites, holds403, context.imported);
  if (link) return { via: link.site ? `${link.via} (${link.site.form})` : link.via };
  // `res.forbidden('no')` of `app.response.forbidden = function () { this.status(403) … }` (installed-methods.ts).
  const access = node.parent;
  const method =
    context.installed && ts.isPropertyAccessExpression(access) && access.name === node
      ? installedMethodOf(analysis, access, context.installed)
      : undefined;
  const installed = method && linkTo(method, holds403);
  if (installed) return { via: installed.site ? `${installed.via} (${installed.site.form})` : installed.via };
  if (isInstalledMethodName(node)) return 'declaration';
  if (isApplicationCode(analysis, node)) return 'app-code';
  if (isGraphqlCode(analysis, node)) return 'graphql-error';
  if (namesForbiddenThings(node.text)) return 'name';
  const name = node.text;
  // The whole expression the name belongs to: `new ForbiddenError(...)`, `Boom.forbidden(...)`.
  let form: ts.Node = node;
  while (
    form.parent &&
    ((ts.isPropertyAccessExpression(form.parent) && form.parent.name === form) ||
      ((ts.isCallExpression(form.parent) || ts.isNewExpression(form.parent)) &&
        form.parent.expression === form) ||
      (ts.isPropertyAccessExpression(form.parent) && form.parent.expression === form))
  ) {
    form = form.parent;
    if (ts.isCallExpression(form) || ts.isNewExpression(form)) break;
  }
  return manual(
    node,
    `'${name}' names a 403 in a shape mtls-fix does not know (${shorten(form.getText(analysis.sourceFile))}): check the status it sends; if it is a response, answer ${analysis.target} there by hand; if not, mark it // mtls-fix-ignore: <why>.`,
    form,
  );
}

const VALIDATOR_MODULES = new Set(['joi', '@hapi/joi', 'celebrate', 'yup', 'zod', 'superstruct', 'valibot']);
const VALIDATOR_ROOTS = new Set(['Joi', 'joi', 'Yup', 'yup', 'z', 'Segments']);

/** `Joi.string().forbidden()`, `schema.forbidden()` from a validator library: "this key must be absent". */
function isValidatorCall(analysis: FileAnalysis, node: ts.Identifier): boolean {
  const access = node.parent;
  if (!ts.isPropertyAccessExpression(access) || access.name !== node) return false;
  if (!ts.isCallExpression(access.parent) || access.parent.expression !== access) return false;
  let root: ts.Expression = access.expression;
  while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = root.expression;
  if (!ts.isIdentifier(root)) return false;
  const binding = analysis.importOf(root.text);
  if (binding) return VALIDATOR_MODULES.has(binding.module);
  return VALIDATOR_ROOTS.has(root.text) || analysis.importsModule(...VALIDATOR_MODULES);
}

function manual(at: ts.Node, reason: string, form?: ts.Node): ManualVerdict {
  return { node: form ?? at, at, reason };
}

/**
 * The small expression a value sits in, for a reason a person can read: `status = 403`, `code: '403'`,
 * `deny(403)`, not the whole object literal or module-level table around it.
 */
function nearestShape(node: ts.Node): ts.Node {
  let current = node;
  for (let depth = 0; current.parent && depth < 4; depth++) {
    current = current.parent;
    if (
      ts.isCallExpression(current) ||
      ts.isNewExpression(current) ||
      ts.isPropertyAssignment(current) ||
      ts.isBinaryExpression(current) ||
      ts.isVariableDeclaration(current) ||
      ts.isReturnStatement(current) ||
      ts.isArrayLiteralExpression(current)
    )
      return current;
  }
  return node;
}

/** Word-tokens of every site's span in this file: a constant's name among them means a site uses it. */
export function namesInSites(sites: readonly Site[], text: string): (name: string) => boolean {
  let words: Set<string> | undefined;
  return (name) => {
    words ??= wordsOf(sites, () => text);
    return words.has(name);
  };
}

/** Identifier-like words in the spans of `sites`, reading each site's file text through `textOf`. */
export function wordsOf(sites: readonly Site[], textOf: (site: Site) => string): Set<string> {
  const words = new Set<string>();
  for (const site of sites) {
    for (const word of textOf(site)
      .slice(site.span.start, site.span.end)
      .match(/[A-Za-z_$][\w$]*/g) ?? [])
      words.add(word);
  }
  return words;
}

/** An object literal held by a `const` (or exported as a whole): a table of named constants. */
function isConstantTable(node: ts.Node): boolean {
  if (!ts.isObjectLiteralExpression(node)) return false;
  // `Object.freeze({ FORBIDDEN: 403 })`: the frozen table is held the same way.
  const frozen = skipWrappers(node.parent);
  const parent = isObjectFreeze(frozen) ? skipWrappers(frozen.parent) : frozen;
  return ts.isVariableDeclaration(parent) || ts.isExportAssignment(parent);
}

/** The innermost node starting exactly at `position` (a token). */
function tokenNode(sourceFile: ts.SourceFile, position: number): ts.Node | undefined {
  let node: ts.Node = sourceFile;
  for (;;) {
    let next: ts.Node | undefined;
    node.forEachChild((child) => {
      if (!next && child.pos <= position && position < child.end) next = child;
    });
    if (!next) break;
    node = next;
  }
  return node === sourceFile ? undefined : node;
}

/** The first node that starts at or after `position` (what a JSDoc block documents). */
function nodeAfter(sourceFile: ts.SourceFile, position: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found || node.end <= position) return;
    if (node.getStart(sourceFile) >= position && node.kind !== ts.SyntaxKind.EndOfFileToken) {
      found = node;
      return;
    }
    node.forEachChild(visit);
  };
  sourceFile.forEachChild(visit);
  return found;
}

function stringValue(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) return node.text;
  if (ts.isJsxText(node)) return node.text;
  return undefined;
}

function skipWrappers(node: ts.Node): ts.Node {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isTypeAssertionExpression(current) ||
    ts.isPrefixUnaryExpression(current)
  ) {
    current = current.parent;
  }
  return current;
}

/** Reads, not writes: `x === 403`, `case 403:`, `[401, 403].includes(s)`, `if (e instanceof ForbiddenError)`. */
/** Assertion methods of node:assert, chai's assert and tap/ava's `t` that take an expected text or pattern. */
const TEXT_ASSERTIONS = new Set([
  'match',
  'doesNotMatch',
  'notMatch',
  'regex',
  'notRegex',
  'include',
  'includes',
  'notInclude',
  'equal',
  'equals',
  'strictEqual',
  'deepEqual',
  'deepStrictEqual',
  'notEqual',
  'is',
  'not',
  'same',
  'ok',
]);

/**
 * Whether `node` is (inside) an argument of an assertion: a matcher of an `expect(...)` chain (jest, vitest,
 * chai's `expect`, `expect.soft`, `Code.expect`) or a method of `assert` / tap's and ava's `t`.
 */
function inAssertion(node: ts.Node): boolean {
  let current: ts.Node = node;
  for (let depth = 0; current.parent && depth < 8; depth++) {
    const parent: ts.Node = current.parent;
    if (ts.isCallExpression(parent) && parent.arguments.some((a) => a === current))
      return isAssertionCall(parent);
    if (ts.isStatement(parent) || ts.isFunctionLike(parent)) return false;
    current = parent;
  }
  return false;
}

function isAssertionCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  // The subject itself: `expect('403 ...')`.
  if (isExpect(callee)) return true;
  if (ts.isIdentifier(callee)) return callee.text === 'assert';
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const owner = callee.expression;
  if (ts.isIdentifier(owner) && (owner.text === 'assert' || owner.text === 't'))
    return owner.text === 'assert' || TEXT_ASSERTIONS.has(callee.name.text);
  // A matcher: somewhere down the chain is a call of `expect` (`expect(x).not.toMatch`, `chai.expect(x).to.match`).
  let link: ts.Expression = owner;
  while (ts.isPropertyAccessExpression(link) || ts.isCallExpression(link)) {
    if (ts.isCallExpression(link) && isExpect(link.expression)) return true;
    link = link.expression;
  }
  return false;
}

/**
 * `case 'forbidden':` of `switch (error.code)`, `err.code === 'FORBIDDEN'`: a word compared with an error code
 * (Vercel's, GraphQL's, a project's), not with a status or its reason phrase. Only a comparison whose other side
 * reads a status or a status text (`res.statusText === 'Forbidden'`, `switch (status)`) reads what a route
 * answers (kind `comparison`; readers.ts may tie it to a rewritten route); this one is a `string`.
 */
function comparesErrorCode(node: ts.Node): boolean {
  // A text holding 403 (`'403'`, `'403 Forbidden'`, a status line) is a status, whatever it is compared with.
  if (!ts.isStringLiteralLike(node) || /\b403\b/.test(node.text)) return false;
  const parent = node.parent;
  let other: ts.Expression | undefined;
  if (ts.isCaseClause(parent) && parent.expression === node) other = parent.parent.parent.expression;
  else if (ts.isBinaryExpression(parent) && EQUALITY_OPERATORS.has(parent.operatorToken.kind))
    other = parent.left === node ? parent.right : parent.left;
  if (!other) return false;
  return !/status/i.test(lastName(other) ?? '');
}

const EQUALITY_OPERATORS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** The last name an expression reads: `code` in `error?.error?.code`, `statusText` in `res.statusText`. */
function lastName(expression: ts.Expression): string | undefined {
  let node: ts.Expression = expression;
  while (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node))
    node = node.expression;
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression))
    return node.argumentExpression.text;
  if (ts.isCallExpression(node)) return lastName(node.expression);
  return undefined;
}

function inComparison(node: ts.Node): boolean {
  let current: ts.Node = node;
  for (let depth = 0; current.parent && depth < 6; depth++) {
    const parent: ts.Node = current.parent;
    if (ts.isBinaryExpression(parent) && COMPARISON_OPERATORS.has(parent.operatorToken.kind)) return true;
    if (ts.isCaseClause(parent) && parent.expression === current) return true;
    if (
      ts.isArrayLiteralExpression(current) &&
      ts.isPropertyAccessExpression(parent) &&
      READ_METHODS.has(parent.name.text)
    )
      return true;
    if (
      (ts.isCallExpression(parent) &&
        ts.isPropertyAccessExpression(parent.expression) &&
        READ_METHODS.has(parent.expression.name.text) &&
        parent.arguments.includes(current as ts.Expression)) ||
      ((ts.isIfStatement(parent) || ts.isWhileStatement(parent)) && parent.expression === current) ||
      (ts.isConditionalExpression(parent) && parent.condition === current) ||
      (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken)
    )
      return true;
    if (
      !ts.isPropertyAccessExpression(parent) &&
      !ts.isParenthesizedExpression(parent) &&
      !ts.isArrayLiteralExpression(parent) &&
      !ts.isAsExpression(parent) &&
      !ts.isBinaryExpression(parent)
    )
      return false;
    current = parent;
  }
  return false;
}

function isInType(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isTypeNode(current) && !ts.isExpressionWithTypeArguments(current)) return true;
    if (
      ts.isTypeAliasDeclaration(current) ||
      ts.isInterfaceDeclaration(current) ||
      ts.isPropertySignature(current)
    )
      return true;
    if (ts.isExpression(current) || ts.isStatement(current)) return false;
  }
  return false;
}

function isPropertyName(node: ts.Node): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isEnumMember(parent)) &&
    parent.name === node
  );
}

function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isClassDeclaration(parent) ||
      ts.isClassExpression(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isFunctionExpression(parent) ||
      ts.isVariableDeclaration(parent) ||
      ts.isEnumDeclaration(parent) ||
      ts.isEnumMember(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isShorthandPropertyAssignment(parent) ||
      ts.isParameter(parent) ||
      ts.isBindingElement(parent) ||
      ts.isGetAccessorDeclaration(parent) ||
      ts.isSetAccessorDeclaration(parent)) &&
    (parent as ts.NamedDeclaration).name === node
  );
}

/**
 * `app.response.forbidden = function () { … }`, `app.context.deny = (…) => …`: the name of a method the project
 * installs on a framework object by assignment. The name sends nothing; the function's own 403s are counted
 * where they are written (`this.status(403)` in it is the response's, receivers.ts).
 */
function isInstalledMethodName(node: ts.Identifier): boolean {
  const access = node.parent;
  if (!ts.isPropertyAccessExpression(access) || access.name !== node) return false;
  const assignment = access.parent;
  if (
    !ts.isBinaryExpression(assignment) ||
    assignment.left !== access ||
    assignment.operatorToken.kind !== ts.SyntaxKind.EqualsToken
  )
    return false;
  let value = assignment.right;
  while (ts.isParenthesizedExpression(value)) value = value.expression;
  return ts.isFunctionExpression(value) || ts.isArrowFunction(value);
}

/**
 * `constructor(body?: unknown, statusCode = 403)` (a Lambda response class `Forbidden extends LambdaResponse`),
 * `function deny(res, status = 403)`: the default of a parameter the helper analysis saw reach a status slot.
 * Every call that leaves it out answers 403; the default is the helper's own decision, so it is reported (never
 * edited, as a shared declaration is not), under the helper's module.
 */
function defaultOfStatusParameter(
  analysis: FileAnalysis,
  parent: ts.Node,
  node: ts.Node,
): ManualVerdict | undefined {
  if (!ts.isParameter(parent) || parent.initializer === undefined || !ts.isIdentifier(parent.name))
    return undefined;
  // `parent` is the first ancestor past parentheses and casts: the 403 is (inside) the default itself.
  if (node.pos < parent.initializer.pos || node.end > parent.initializer.end) return undefined;
  const name = parent.name.text;
  const helper = analysis.helpers.find(
    (h) => h.fn === parent.parent && h.name === name && h.property === undefined,
  );
  if (!helper) return undefined;
  const fn = parent.parent;
  const owner =
    ts.isConstructorDeclaration(fn) && fn.parent.name
      ? `new ${fn.parent.name.text}(…)`
      : 'name' in fn && fn.name && ts.isIdentifier(fn.name)
        ? `${fn.name.text}(…)`
        : 'this function';
  return {
    ...manual(
      node,
      `The default of '${name}' is 403: every ${owner} that leaves it out answers 403. Where that answers an mTLS route, pass ${analysis.target}, or make the default ${analysis.target} if every use is such a route.`,
      parent,
    ),
    framework: helper.framework,
  };
}

/**
 * `fastify.decorateReply('forbidden', fn)` (also `decorate`, `decorateRequest`): the name a decorator is
 * installed under, which callers use (`reply.forbidden()`); renaming it would break them. Its function's 403s
 * are counted where they are written. Source: Fastify docs, Reference/Decorators.md.
 */
function isDecoratorName(node: ts.Node): boolean {
  const call = node.parent;
  if (!ts.isStringLiteralLike(node) || !call || !ts.isCallExpression(call) || call.arguments[0] !== node)
    return false;
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && /^decorate(?:Reply|Request)?$/.test(callee.name.text);
}

function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return undefined;
}

/**
 * `new Order(403)`, `price(403)`: a call to a function or class declared in this file whose parameter never
 * reaches a status slot (the helper analysis found none), so the number is data.
 */
function isLocalNonHelperCall(analysis: FileAnalysis, parent: ts.Node, node: ts.Node): boolean {
  if (!ts.isCallExpression(parent) && !ts.isNewExpression(parent)) return false;
  if (!ts.isIdentifier(parent.expression)) return false;
  const index = parent.arguments?.findIndex((a) => a === node || a.getStart() === node.getStart()) ?? -1;
  if (index < 0) return false;
  const name = parent.expression.text;
  const declared = analysis.sourceFile.statements.some(
    (s) => (ts.isClassDeclaration(s) || ts.isFunctionDeclaration(s)) && s.name?.text === name,
  );
  if (!declared) return false;
  return !analysis.helpers.some((h) => h.index === index && helperName(h.fn) === name);
}

function helperName(fn: ts.Node): string | undefined {
  if (ts.isConstructorDeclaration(fn) && ts.isClassLike(fn.parent)) return fn.parent.name?.text;
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text;
  return undefined;
}

/** `retries` in `expect(result.retries).toBe(403)` / `.to.equal(403)`: the value an assertion checks. */
function assertedName(node: ts.Node): string | undefined {
  let call: ts.Node = skipWrappers(node.parent);
  if (!ts.isCallExpression(call)) return undefined;
  let root: ts.Expression = call.expression;
  while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) {
    if (ts.isCallExpression(root) && /(?:^|\.)expect$/.test(root.expression.getText())) {
      call = root;
      break;
    }
    root = root.expression;
  }
  if (!ts.isCallExpression(call) || call === node.parent) return undefined;
  const subject = call.arguments[0];
  if (subject && ts.isPropertyAccessExpression(subject)) return subject.name.text;
  if (subject && ts.isIdentifier(subject)) return subject.text;
  return undefined;
}

/** The name a value is held under: `width` in `{ width: 403 }`, `const width = 403`, `x.width = 403`. */
function holderName(node: ts.Node): string | undefined {
  const parent = skipWrappers(node.parent);
  if (
    (ts.isPropertyAssignment(parent) ||
      ts.isVariableDeclaration(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isBindingElement(parent)) &&
    parent.name &&
    (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name))
  )
    return parent.name.text;
  if (
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isPropertyAccessExpression(parent.left)
  )
    return parent.left.name.text;
  return undefined;
}
