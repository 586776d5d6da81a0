import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { outermost, shorten, skipOuter } from './analysis/syntax.js';
import type { Occurrence } from './census-occurrences.js';
import type { Site } from './types.js';

/**
 * Names under which code reads a response's HTTP status: `res.status`, `error.response.statusCode`,
 * `err.httpStatus`, Playwright's `response.status()`, a local `status`.
 */
const STATUS_NAMES = new Set(['status', 'statusCode', 'httpStatus', 'httpStatusCode', 'status_code']);

const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/**
 * Whether an expression reads a response status: a name or property in `STATUS_NAMES` (`res.status`,
 * `e.response?.statusCode`, `status`, `r['status']`), or a call of one with no arguments (`response.status()`),
 * also with a default (`err.response?.status ?? 0`).
 */
export function readsStatus(expression: ts.Expression): boolean {
  const node = skipOuter(expression);
  // `err.response?.status ?? 0`, `res.statusCode || 500`: the status with a default.
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  )
    return readsStatus(node.left);
  if (ts.isIdentifier(node)) return STATUS_NAMES.has(node.text);
  if (ts.isPropertyAccessExpression(node)) return STATUS_NAMES.has(node.name.text);
  if (ts.isElementAccessExpression(node))
    return ts.isStringLiteralLike(node.argumentExpression) && STATUS_NAMES.has(node.argumentExpression.text);
  if (
    ts.isCallExpression(node) &&
    node.arguments.length === 0 &&
    ts.isPropertyAccessExpression(node.expression)
  )
    return node.expression.name.text === 'status';
  return false;
}

/**
 * The status check a 403 token takes part in, as written (shortened), or undefined. A status check compares a
 * response status (`readsStatus`) with 403, a `FORBIDDEN` constant or `'403'`:
 * - `error.status === 403`, `403 !== res.statusCode`, `response.status() == HttpStatus.FORBIDDEN`;
 * - `case 403:` of a `switch (res.status)`;
 * - `[401, 403].includes(err.response.status)` (also `indexOf`).
 *
 * Such a check is not a response (the census counts it as a `comparison`), yet once the server it reads answers
 * the agreed status instead of 403 it silently stops matching: a Remix error boundary's `error.status === 403`
 * branch, a fetch wrapper's retry-on-403. The report lists them (`statusChecks`) so a person can decide.
 *
 * @param token the 403 token: a numeric literal, a string literal, or an identifier (`FORBIDDEN` in
 *   `StatusCodes.FORBIDDEN`).
 */
export function statusCheckAt(token: ts.Node, sourceFile: ts.SourceFile): string | undefined {
  let value: ts.Node = token;
  while (value.parent && ts.isPropertyAccessExpression(value.parent) && value.parent.name === value)
    value = value.parent;
  return operandCheck(outermost(value), sourceFile);
}

/**
 * The status check `value` (a compared operand, outermost: parentheses and casts included) takes part in, as
 * written (shortened), or undefined: the other side of `===` / `==` / `!==` / `!=`, the `switch` of a `case`, or
 * the argument of `[…].includes` / `indexOf` reads a response status (`readsStatus`).
 */
function operandCheck(value: ts.Node, sourceFile: ts.SourceFile): string | undefined {
  const parent = value.parent;
  if (!parent) return undefined;
  const text = (node: ts.Node): string => shorten(node.getText(sourceFile).replace(/\s+/g, ' '));
  if (ts.isBinaryExpression(parent) && EQUALITY.has(parent.operatorToken.kind)) {
    const other = parent.left === value ? parent.right : parent.left;
    return readsStatus(other) ? text(parent) : undefined;
  }
  if (ts.isCaseClause(parent) && parent.expression === value) {
    const switchStatement = parent.parent.parent;
    return readsStatus(switchStatement.expression)
      ? `switch (${text(switchStatement.expression)}) case ${text(value)}:`
      : undefined;
  }
  if (ts.isArrayLiteralExpression(parent)) {
    const access = parent.parent;
    const call = access?.parent;
    if (
      ts.isPropertyAccessExpression(access) &&
      access.expression === parent &&
      (access.name.text === 'includes' || access.name.text === 'indexOf') &&
      ts.isCallExpression(call) &&
      call.expression === access &&
      call.arguments[0] !== undefined &&
      readsStatus(call.arguments[0])
    )
      return text(call);
  }
  return undefined;
}

/** A status check whose 403 is a name (`namedStatusChecks`): where the name starts (offset) and the check. */
export interface NamedCheck {
  start: number;
  check: string;
}

/**
 * The status checks of a server file whose 403 is written as a name that holds no 403 text (Wind-IM's
 * `const loginErrorCode = 403` read as `err.output.payload.statusCode == loginErrorCode`; an imported
 * `DENIED`, an enum member `Codes.Denied`, a table entry `TABLE.denied`): the census counts the 403 once, at the
 * name's definition, so without this such a check stopped matching unseen once the run rewrote its server. A
 * name is a 403 where the status evaluation reads it as one (`FileAnalysis.forbiddenEdits`: constants of the
 * file, imported constants of the project, enum members, tables). An operand holding a 403 occurrence
 * (`FORBIDDEN_CODE`, `StatusCodes.FORBIDDEN`) is the census's own check (`statusCheckAt`). Test files have none.
 *
 * Cost: one walk of the file's tree; a name is evaluated only where it is compared with a read of a status.
 */
export function namedStatusChecks(analysis: FileAnalysis, occurrences: readonly Occurrence[]): NamedCheck[] {
  if (analysis.options.testFile) return [];
  const { sourceFile } = analysis;
  const out: NamedCheck[] = [];
  const markers = checkMarkers(analysis.text);
  if (!markers.length) return out;
  // A name is asked only below a comparison, a case clause or an array literal (`inside`): `namedCheckAt` needs
  // the name's outermost wrapper to be an operand of one of those, so the name lies in that operand's subtree.
  // Each of those spans its marker (`==`, `!=`, `case`, `[`), so a node whose text holds none is not entered.
  const visit = (node: ts.Node, inside: boolean): void => {
    if (!inside && !holdsMarker(markers, node.pos, node.end)) return;
    if (
      inside &&
      (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node))
    ) {
      const check = namedCheckAt(analysis, node, occurrences);
      if (check) out.push({ start: node.getStart(sourceFile), check });
    }
    const below = inside || isCheckParent(node);
    ts.forEachChild(node, (child) => visit(child, below));
  };
  visit(sourceFile, false);
  return out;
}

/**
 * Where the text may hold the token of a node `namedCheckAt` reads the operands of (`isCheckParent`): `==` and
 * `!=` (also the first two characters of `===` and `!==`), the word `case`, `[`, and any `\u` (a keyword may
 * be spelt with an escape). Offsets, ascending. Comments and strings match too, which only costs a visit.
 */
function checkMarkers(text: string): number[] {
  const out: number[] = [];
  for (const match of text.matchAll(CHECK_MARKER)) out.push(match.index);
  return out;
}

const CHECK_MARKER = /[=!]=|\bcase\b|\[|\\u/g;

/** Whether a marker offset lies in `[start, end)` (binary search over the ascending offsets). */
function holdsMarker(markers: readonly number[], start: number, end: number): boolean {
  let low = 0;
  let high = markers.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (markers[middle] < start) low = middle + 1;
    else high = middle;
  }
  return low < markers.length && markers[low] < end;
}

/** A node whose operands `namedCheckAt` may read: an equality comparison, a case clause, an array literal. */
function isCheckParent(node: ts.Node): boolean {
  return (
    (ts.isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind)) ||
    ts.isCaseClause(node) ||
    ts.isArrayLiteralExpression(node)
  );
}

/** The check a name (`node`) is the 403 operand of, when it evaluates to 403 and holds no 403 occurrence. */
function namedCheckAt(
  analysis: FileAnalysis,
  node: ts.Identifier | ts.PropertyAccessExpression | ts.ElementAccessExpression,
  occurrences: readonly Occurrence[],
): string | undefined {
  const value = outermost(node);
  const parent = value.parent;
  if (
    !parent ||
    !(
      (ts.isBinaryExpression(parent) && EQUALITY.has(parent.operatorToken.kind)) ||
      (ts.isCaseClause(parent) && parent.expression === value) ||
      ts.isArrayLiteralExpression(parent)
    )
  )
    return undefined;
  const start = node.getStart(analysis.sourceFile);
  if (occurrences.some((o) => o.start < node.end && o.end > start)) return undefined;
  const check = operandCheck(value, analysis.sourceFile);
  if (!check || readsStatus(node)) return undefined;
  return analysis.forbiddenEdits(node) ? check : undefined;
}

/**
 * `namedStatusChecks` of each server file of a run, by file (relative path); empty unless the run rewrites a site
 * (only a run that changes a status can break a check, and only then is any tree walked again). A check inside a
 * central remap (`remaps`: where remaps-covered.ts found one, `err.status === DENIED ? 401 : err.status`) is the
 * remap's test of the 403 it answers for, not a check to review (session 46).
 */
export function namedChecksOf(
  analyses: Iterable<FileAnalysis>,
  settled: { sites: readonly Site[]; occurrences: ReadonlyMap<string, readonly Occurrence[]> },
  remaps: readonly { file: string; start: number; end: number }[] = [],
): Map<string, NamedCheck[]> {
  const out = new Map<string, NamedCheck[]>();
  if (!settled.sites.some((site) => site.kind === 'rewrite' && !site.ignoreReason)) return out;
  for (const analysis of analyses) {
    const inRemap = (check: NamedCheck): boolean =>
      remaps.some((r) => r.file === analysis.file && r.start <= check.start && check.start < r.end);
    const checks = namedStatusChecks(analysis, settled.occurrences.get(analysis.file) ?? []).filter(
      (check) => !inRemap(check),
    );
    if (checks.length) out.set(analysis.file, checks);
  }
  return out;
}
