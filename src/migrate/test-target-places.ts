import ts from '../typescript.cjs';
import type { CodeRoute } from './routes/model.js';
import type { Project, ProjectFile } from './routes/project.js';
import type { Reach } from './routes/reach.js';
import { inComparison, inLogCall, isInType } from './census-syntax.js';
import { reasonPhrase } from './status-names.js';
import { parseSource } from './parse.js';
import { isTrimmed } from './routes/skeleton.js';
import { lineAndCharacterAt, linesOf } from '../util/lines.js';

// A test left behind by an earlier run: the server was written without `--include-tests`, so the route the
// assertion requests no longer reaches a 403 but answers the agreed status. The follower cannot pair the
// assertion with a site this run rewrote (there is none), yet "server could not be found" would send the user
// looking for a server that is right there: these places name it.

/** A place in server code that names the agreed status: `res.status(401)`, `'UNAUTHORIZED'`, `UnauthorizedException`. */
export interface TargetPlace {
  /** Path relative to the working folder. */
  file: string;
  /** 1-based line. */
  line: number;
  /** The line's code, trimmed and shortened. */
  text: string;
}

/**
 * What a place may be (`targetPlaces`): `limit` places at most (3); `strings: false` leaves out strings holding the
 * phrase (`err: "unauthorized"`, a body text a 403 answer may carry as well), for a reason that only says the
 * server may answer the agreed status (test-answered.ts), where a body text is no evidence.
 */
export interface PlaceOptions {
  limit?: number;
  strings?: boolean;
  /** `targetPlacesWithin`: whether a place (by its file and offset) may answer the request at hand. */
  keep?: (file: ProjectFile, position: number) => boolean;
}

/**
 * The places in non-test files that name status `target` (its number as a numeric literal, or its reason phrase
 * as a name or string: `UNAUTHORIZED`, `UnauthorizedException`, `Boom.unauthorized`) and that code of one of
 * `routes` reaches (`reach`), in file order. Comments and other numbers are not places.
 */
export function targetPlaces(
  project: Project,
  reach: Reach,
  routes: readonly CodeRoute[],
  target: number,
  isTest: (relative: string) => boolean,
  options: PlaceOptions = {},
): TargetPlace[] {
  const { limit = 3 } = options;
  const wanted = new Set(routes);
  const out: TargetPlace[] = [];
  for (const file of project.files) {
    if (out.length >= limit) break;
    if (isTest(file.relative)) continue;
    for (const position of candidates(file, target, 0, file.sourceFile.text.length, options.strings)) {
      const reached = reach.routesAt(file.relative, position);
      if ([...reached].some((r) => wanted.has(r))) add(out, file, position);
      if (out.length >= limit) break;
    }
  }
  return out;
}

/**
 * The places naming status `target` inside the given declarations of non-test files (the unit under test a
 * test names, test-follow-units.ts), in the order given (`options` as for `targetPlaces`).
 */
export function targetPlacesWithin(
  declarations: readonly { file: ProjectFile; node: ts.Node }[],
  target: number,
  isTest: (relative: string) => boolean,
  options: PlaceOptions = {},
): TargetPlace[] {
  const { limit = 3 } = options;
  const out: TargetPlace[] = [];
  for (const { file, node } of declarations) {
    if (isTest(file.relative)) continue;
    const start = node.getStart(file.sourceFile);
    for (const position of candidates(file, target, start, node.getEnd(), options.strings)) {
      if (options.keep && !options.keep(file, position)) continue;
      add(out, file, position);
      if (out.length >= limit) return out;
    }
  }
  return out;
}

/** Adds the place at `position` unless its line is already listed. */
function add(out: TargetPlace[], file: ProjectFile, position: number): void {
  const { line } = lineAndCharacterAt(file.sourceFile, position);
  if (out.some((p) => p.file === file.relative && p.line === line + 1)) return;
  const text = linesOf(file.sourceFile).textOf(line);
  out.push({ file: file.relative, line: line + 1, text: text.trim().slice(0, 80) });
}

/**
 * Offsets of the tokens of `file` between `start` and `end` that name status `target`: its number, or a name or
 * (unless `strings` is false) a string holding its reason phrase (`UNAUTHORIZED`, `UnauthorizedException`,
 * `'unauthorized'`).
 */
function candidates(file: ProjectFile, target: number, start: number, end: number, strings = true): number[] {
  const number = String(target);
  const words = reasonPhrase(target)
    .split(/\s+/)
    .map((w) => w.replace(/[^A-Za-z]/g, '').toLowerCase())
    .filter(Boolean);
  const phrase = words.length ? new RegExp(words.join('[_ -]?'), 'i') : undefined;
  const text = file.sourceFile.text.slice(start, end);
  if (!text.includes(number) && !(phrase && phrase.test(text))) return [];
  const tree = wholeTree(file);
  const out: number[] = [];
  const visit = (node: ts.Node): void => {
    if (node.getEnd() <= start || node.pos >= end) return;
    if (!sent(node)) {
      node.forEachChild(visit);
      return;
    }
    if (
      (ts.isNumericLiteral(node) && node.text === number) ||
      (ts.isIdentifier(node) &&
        !isDeclaredName(node) &&
        namesPhrase(node.text, words) &&
        sendsByName(node)) ||
      (strings &&
        (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
        isPhraseText(node.text, words))
    ) {
      const at = node.getStart(tree);
      if (at >= start && at < end) out.push(at);
    }
    node.forEachChild(visit);
  };
  visit(tree);
  return out;
}

/** Whole trees parsed again from the text of trimmed ones (`wholeTree`), kept while the trimmed tree lives. */
const WHOLE = new WeakMap<ts.SourceFile, ts.SourceFile>();

/**
 * The file's tree with every statement: its own, or, when the route graph trimmed it (routes/skeleton.ts: a
 * file with no 403 form, whose handler and decorator bodies that reference nothing outside themselves are
 * emptied), its text parsed again, once. Positions are the same in both. Before session 41 the places of a
 * server rewritten by an earlier run were looked for in the trimmed tree: a decorator's `reply.code(401)`
 * (`fastify.decorate('authenticate', async (request, reply) => …)`) was gone from it, and a test of a route
 * it guards read "no 403 site is reached" instead of "already answers 401".
 */
function wholeTree(file: ProjectFile): ts.SourceFile {
  if (!isTrimmed(file.sourceFile)) return file.sourceFile;
  let whole = WHOLE.get(file.sourceFile);
  if (!whole) {
    whole = parseSource(file.relative, file.sourceFile.text);
    WHOLE.set(file.sourceFile, whole);
  }
  return whole;
}

/**
 * Whether a name is the phrase (`words`, lower case) as a name of its own: a constant holding it as whole
 * segments (`UNAUTHORIZED`, `HTTP_UNAUTHORIZED`), or a name it starts (`UnauthorizedException`,
 * `unauthorized`, `Boom.unauthorized`). Not a name that only ends with it (`rejectUnauthorized`, a TLS option,
 * NodeBB's src/request.js): that sends nothing.
 */
function namesPhrase(name: string, words: readonly string[]): boolean {
  if (!words.length) return false;
  if (name === name.toUpperCase()) {
    const segments = name.toLowerCase().split('_');
    const joined = words.join('');
    return (
      segments.includes(joined) || segments.some((_, i) => words.every((word, j) => segments[i + j] === word))
    );
  }
  const parts = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_]+/)
    .map((p) => p.toLowerCase());
  return words.every((word, i) => parts[i] === word);
}

/**
 * Whether a name of the phrase sends it where it stands: a constant or a class (`UNAUTHORIZED`,
 * `UnauthorizedException`, `createError.Unauthorized`), or a function called there (`reply.unauthorized()`,
 * `Boom.unauthorized('…')`). A function only handed on by name (`{ unauthorizedHandler: middleware.unauthorized }`,
 * AppQuality/unguess-core, where that function still answered 403) sends nothing at that place.
 */
function sendsByName(node: ts.Identifier): boolean {
  if (/^[A-Z]/.test(node.text)) return true;
  const callee = ts.isPropertyAccessExpression(node.parent) && node.parent.name === node ? node.parent : node;
  return ts.isCallExpression(callee.parent) && callee.parent.expression === callee;
}

/** Whether a string is the phrase itself (`'Unauthorized'`, `'UNAUTHORIZED'`, `'401 Unauthorized.'`), not a sentence. */
function isPhraseText(text: string, words: readonly string[]): boolean {
  const bare = text
    .trim()
    .replace(/^\d{3}\s*/, '')
    .replace(/[.!]$/, '')
    .toLowerCase();
  return words.length > 0 && [' ', '_', ''].some((glue) => bare === words.join(glue));
}

/** A name being declared (a property key, a method's or a variable's name): it names, it does not send. */
function isDeclaredName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAssignment(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isVariableDeclaration(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isClassDeclaration(parent) ||
      ts.isParameter(parent)) &&
    parent.name === node
  );
}

/**
 * The words that open the reason {@link alreadyAnswers} gives (after `Asserts a 403 `): how a plain run after a
 * server-only write tells these assertions, which certainly fail, from those that only may (skipped-tests.ts).
 */
export const ALREADY_ANSWERS = 'whose server already answers';

/**
 * The reason for an assertion whose route or unit (`via`) reaches no 403 but names the agreed status at
 * `places`: its server was already rewritten (as by a run without `--include-tests`), and the assertion still
 * expects 403.
 */
export function alreadyAnswers(places: readonly TargetPlace[], target: number, via: string): string {
  return `${ALREADY_ANSWERS} ${target}: ${via} reaches no 403 and sends ${target}${placesAt(places)}, ${EARLIER_RUN}; make the assertion expect ${target} (and '${reasonPhrase(target)}' where it reads 'Forbidden') to follow it`;
}

/**
 * Words every reason holds that names where the code a test reaches already sends the agreed status
 * (`alreadyAnswers`, `mayAlreadyAnswer`, `reachedCodeAnswers`): after a run that rewrote servers only, a plain
 * run that changes no server site still lists these assertions (skipped-tests.ts), as they fail, or may, as the
 * code stands.
 */
export const EARLIER_RUN = 'as after a run that rewrote the server without --include-tests';

/**
 * The reason for an assertion whose route (`via`) reaches no 403 mtls-fix can prove, only `unproven` (a site
 * that passes on a status it is handed, "Dynamic status", or one whose status could not be proven), and names the
 * agreed status at `places`: whether the test still gets 403 depends on what that site is handed, so it may
 * already fail (AppQuality/unguess-core: a request without a key gets the rewritten middleware's 401 while the
 * app's `res.status(parseInt(...))` stays; before session 41 the site was read as "still emitted", and the test as
 * passing unchanged).
 */
export function mayAlreadyAnswer(
  places: readonly TargetPlace[],
  target: number,
  via: string,
  unproven: string,
): string {
  return `whose server may already answer ${target}: ${via} sends ${target}${placesAt(places)}, ${EARLIER_RUN}, and reaches no 403 but ${unproven}, whose status could not be proven; if that status is not 403 for this request, make the assertion expect ${target}`;
}

/**
 * The clause added to the reason of an assertion whose server mtls-fix cannot read in full (a route whose
 * handler it cannot read may serve the request) when the code the test reaches names the agreed status at
 * `places`: `; the code it reaches sends 401 at src/middleware/unauthorized.ts:9 (…), as after a run …`.
 */
export function reachedCodeAnswers(places: readonly TargetPlace[], target: number): string {
  return `; the code it reaches sends ${target}${placesAt(places)}, ${EARLIER_RUN}, so it may already fail`;
}

/** ` at src/a.ts:3 (res.status(401)) and 2 more`, or '' for no place. */
function placesAt(places: readonly TargetPlace[]): string {
  const first = places[0];
  const more = places.length > 1 ? ` and ${places.length - 1} more` : '';
  return first ? ` at ${first.file}:${first.line} (${first.text})${more}` : '';
}

/**
 * Whether a token may send what it names: not a comparison (`res.status === 401`, `case 401:`), a type, an
 * import or a log line (census-syntax.ts), each of which reads a status rather than answering one.
 */
function sent(node: ts.Node): boolean {
  if (!ts.isNumericLiteral(node) && !ts.isIdentifier(node) && !ts.isStringLiteralLike(node)) return true;
  const parent = node.parent;
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isExportSpecifier(parent)) return false;
  return !inComparison(node) && !isInType(node) && !inLogCall(node);
}
