import ts from '../../typescript.cjs';
import { isFunctionLike } from '../scope.js';
import type { FileImports } from './file-imports.js';
import { literalNumber, skipOuter } from './syntax.js';
import type { ImportLink } from './types.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/**
 * A status slot that sends what a lookup the project wrote gives for a run-time key: a function that maps an
 * error code to a status (`res.status(statusOf(err.code))`, with `case 'denied': return 403` or
 * `return codeToStatus[code]`), or a `Map` (`byCode.get(err.code)` of `new Map([['denied', 403]])`). The slot is
 * a Dynamic status either way; when the lookup can give 403 its reason names the lookup and the 403 in it.
 * Element access on a table (`codeToStatus[code]`) is constants.ts `forbiddenEntry`.
 */

/** Where a lookup lives and how it gives 403, for the reason: `statusOf (src/codes.ts:2) answers 403 for 'denied' (line 3)`. */
export interface ForbiddenLookup {
  /** `statusOf`, `byCode.get`, as written at the slot. */
  lookup: string;
  /** `src/codes.ts:2`, or `line 2` in the slot's own file. */
  at: string;
  /** What gives 403: `for 'denied' (line 3)`, `at line 3 (return 403)`. */
  gives: string;
}

type Table = (owner: ts.Expression, from: ts.Node) => { name: string; at?: string } | undefined;

/**
 * The lookup a slot's value calls, when it can give 403: a call of a function of this file or imported (read in
 * its declaring file, one level), or `.get` of a `Map` declared with a 403 entry. `table` finds the 403 entry of
 * a table read by element access inside the function (constants.ts `forbiddenEntry`).
 */
export function forbiddenLookup(
  node: ts.Expression,
  sourceFile: ts.SourceFile,
  imports: FileImports,
  link: ImportLink | undefined,
  table: Table,
): ForbiddenLookup | undefined {
  if (!ts.isCallExpression(node)) return undefined;
  const callee = skipOuter(node.expression);
  if (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === 'get' &&
    ts.isIdentifier(callee.expression)
  ) {
    const declared = local(callee.expression.text, sourceFile);
    const entry = declared && mapEntry(declared);
    if (!entry) return undefined;
    return {
      lookup: callee.getText(sourceFile),
      at: lineOf(sourceFile, declared),
      gives: `for ${entry.key} (${lineOf(sourceFile, entry.node)})`,
    };
  }
  if (!ts.isIdentifier(callee)) return undefined;
  const own = local(callee.text, sourceFile);
  if (own) {
    const fn = functionOf(own);
    const gives = fn && forbiddenReturn(fn, sourceFile, table);
    return gives ? { lookup: callee.text, at: lineOf(sourceFile, own), gives } : undefined;
  }
  const binding = imports.map.get(callee.text);
  const site = binding && link?.declaration?.(binding);
  if (!site) return undefined;
  const declared = local(site.name, site.sourceFile);
  const fn = declared && functionOf(declared);
  // The table a function of another file reads is that file's: only literal 403s are read there.
  const gives = fn && forbiddenReturn(fn, site.sourceFile, () => undefined);
  if (!declared || !gives) return undefined;
  const file = link?.relative?.(site.file) ?? site.file;
  const line = (n: ts.Node): string =>
    `${file}:${lineAndCharacterAt(site.sourceFile, n.getStart(site.sourceFile)).line + 1}`;
  return { lookup: callee.text, at: line(declared), gives: gives.replace(/\bline (\d+)/g, `${file}:$1`) };
}

/** A top-level function, variable or exported declaration of `name` in a file. */
function local(
  name: string,
  sourceFile: ts.SourceFile,
): ts.FunctionDeclaration | ts.VariableDeclaration | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name && statement.body)
      return statement;
    if (ts.isVariableStatement(statement))
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.name.text === name) return d;
  }
  return undefined;
}

function functionOf(
  declared: ts.FunctionDeclaration | ts.VariableDeclaration,
): ts.FunctionLikeDeclaration | undefined {
  if (ts.isFunctionDeclaration(declared)) return declared;
  const init = declared.initializer && skipOuter(declared.initializer);
  return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
}

/** `new Map([['denied', 403], …])`: the entry whose value is 403. */
function mapEntry(
  declared: ts.FunctionDeclaration | ts.VariableDeclaration,
): { key: string; node: ts.Node } | undefined {
  if (!ts.isVariableDeclaration(declared) || !declared.initializer) return undefined;
  const init = skipOuter(declared.initializer);
  if (!ts.isNewExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== 'Map')
    return undefined;
  const list = init.arguments?.[0] && skipOuter(init.arguments[0]);
  if (!list || !ts.isArrayLiteralExpression(list)) return undefined;
  for (const element of list.elements) {
    const pair = skipOuter(element);
    if (
      ts.isArrayLiteralExpression(pair) &&
      pair.elements.length === 2 &&
      literalNumber(pair.elements[1]) === 403
    )
      return { key: pair.elements[0].getText(), node: pair };
  }
  return undefined;
}

/**
 * What of a function's returned values gives 403: a `return 403` (`for 'denied'` when under a `case`), a
 * `cond ? 403 : …`, or a table read by element access whose entry is 403; undefined when none does.
 */
function forbiddenReturn(
  fn: ts.FunctionLikeDeclaration,
  sourceFile: ts.SourceFile,
  table: Table,
): string | undefined {
  const returned: ts.Expression[] = [];
  if (fn.body && !ts.isBlock(fn.body)) returned.push(fn.body);
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node) && node !== fn) return;
    if (ts.isReturnStatement(node) && node.expression) returned.push(node.expression);
    ts.forEachChild(node, visit);
  };
  if (fn.body && ts.isBlock(fn.body)) visit(fn.body);
  for (const value of returned) {
    const found = forbiddenIn(value, table);
    if (!found) continue;
    if (found.entry) return `for '${found.entry}' of ${found.table} (${lineOf(sourceFile, found.node)})`;
    const clause = caseOf(found.node);
    const label = clause && clause.expression.getText(sourceFile);
    return label
      ? `for ${label} (${lineOf(sourceFile, found.node)})`
      : `at ${lineOf(sourceFile, found.node)}`;
  }
  return undefined;
}

function forbiddenIn(
  value: ts.Expression,
  table: Table,
): { node: ts.Node; entry?: string; table?: string } | undefined {
  const node = skipOuter(value);
  if (literalNumber(node) === 403) return { node };
  if (ts.isConditionalExpression(node))
    return forbiddenIn(node.whenTrue, table) ?? forbiddenIn(node.whenFalse, table);
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
      node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
  )
    return forbiddenIn(node.left, table) ?? forbiddenIn(node.right, table);
  if (ts.isElementAccessExpression(node)) {
    const owner = skipOuter(node.expression);
    const entry = table(owner, node);
    if (entry) return { node, entry: entry.name, table: owner.getText() };
  }
  return undefined;
}

/** The `case` clause a node is under, within its switch (the nearest). */
function caseOf(node: ts.Node): ts.CaseClause | undefined {
  for (let up: ts.Node | undefined = node.parent; up && !isFunctionLike(up); up = up.parent)
    if (ts.isCaseClause(up)) return up;
  return undefined;
}

function lineOf(sourceFile: ts.SourceFile, node: ts.Node): string {
  return `line ${lineAndCharacterAt(sourceFile, node.getStart(sourceFile)).line + 1}`;
}
