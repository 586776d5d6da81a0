import ts from '../typescript.cjs';
import type { CodeRoute } from './routes/model.js';
import type { Project, ProjectFile } from './routes/project.js';
import type { Reach } from './routes/reach.js';
import { inComparison, inLogCall, isInType } from './census-syntax.js';
import { reasonPhrase } from './status-names.js';
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
 * The places in non-test files that name status `target` (its number as a numeric literal, or its reason phrase
 * as a name or string: `UNAUTHORIZED`, `UnauthorizedException`, `Boom.unauthorized`) and that code of one of
 * `routes` reaches (`reach`), in file order; at most `limit`. Comments and other numbers are not places.
 */
export function targetPlaces(
  project: Project,
  reach: Reach,
  routes: readonly CodeRoute[],
  target: number,
  isTest: (relative: string) => boolean,
  limit = 3,
): TargetPlace[] {
  const wanted = new Set(routes);
  const out: TargetPlace[] = [];
  for (const file of project.files) {
    if (out.length >= limit) break;
    if (isTest(file.relative)) continue;
    for (const position of candidates(file, target, 0, file.sourceFile.text.length)) {
      const reached = reach.routesAt(file.relative, position);
      if ([...reached].some((r) => wanted.has(r))) add(out, file, position);
      if (out.length >= limit) break;
    }
  }
  return out;
}

/**
 * The places naming status `target` inside the given declarations of non-test files (the unit under test a
 * test names, test-follow-units.ts), in the order given; at most `limit`.
 */
export function targetPlacesWithin(
  declarations: readonly { file: ProjectFile; node: ts.Node }[],
  target: number,
  isTest: (relative: string) => boolean,
  limit = 3,
): TargetPlace[] {
  const out: TargetPlace[] = [];
  for (const { file, node } of declarations) {
    if (isTest(file.relative)) continue;
    for (const position of candidates(file, target, node.getStart(file.sourceFile), node.getEnd())) {
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
 * string holding its reason phrase (`UNAUTHORIZED`, `UnauthorizedException`, `unauthorized`).
 */
function candidates(file: ProjectFile, target: number, start: number, end: number): number[] {
  const number = String(target);
  const words = reasonPhrase(target)
    .split(/\s+/)
    .map((w) => w.replace(/[^A-Za-z]/g, '').toLowerCase())
    .filter(Boolean);
  const phrase = words.length ? new RegExp(words.join('[_ -]?'), 'i') : undefined;
  const text = file.sourceFile.text.slice(start, end);
  if (!text.includes(number) && !(phrase && phrase.test(text))) return [];
  const out: number[] = [];
  const visit = (node: ts.Node): void => {
    if (node.getEnd() <= start || node.pos >= end) return;
    if (!sent(node)) {
      node.forEachChild(visit);
      return;
    }
    if (
      (ts.isNumericLiteral(node) && node.text === number) ||
      (ts.isIdentifier(node) && !isDeclaredName(node) && namesPhrase(node.text, words)) ||
      ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
        isPhraseText(node.text, words))
    ) {
      const at = node.getStart(file.sourceFile);
      if (at >= start && at < end) out.push(at);
    }
    node.forEachChild(visit);
  };
  visit(file.sourceFile);
  return out;
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
  const first = places[0];
  const more = places.length > 1 ? ` and ${places.length - 1} more` : '';
  const at = first ? ` at ${first.file}:${first.line} (${first.text})${more}` : '';
  return `${ALREADY_ANSWERS} ${target}: ${via} reaches no 403 and sends ${target}${at}, as after a run that rewrote the server without --include-tests; make the assertion expect ${target} (and '${reasonPhrase(target)}' where it reads 'Forbidden') to follow it`;
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
