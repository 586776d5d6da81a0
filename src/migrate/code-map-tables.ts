import ts from '../typescript.cjs';
import { literalNumber, skipOuter } from './analysis/syntax.js';
import { STATUS_KEYS } from './analysis/call-sites.js';

/**
 * How a code map is read: `Name[code]` (an object), `Name.get(code)` (a `Map`), `Name(code)` (a function
 * switching on its code).
 */
export type CodeMapRead = 'index' | 'get' | 'call';

/** The entries of one code -> status table, as written. */
export interface TableEntries {
  /** Code -> status for every entry whose status is a literal. */
  statuses: Map<string, number>;
  /**
   * Codes written as a member of a code enum or object (`[AppErrorCode.FORBIDDEN]`, `case Codes.DENIED:`), by
   * code: the owners' texts (`AppErrorCode`), so a use `AppErrorCode.FORBIDDEN` elsewhere is the same code.
   */
  owners: Map<string, Set<string>>;
  /** Code -> the expression that gives its status (`403`, `{ status: 403 }`, a `case`'s returned value). */
  values: Map<string, ts.Expression>;
}

/** A code -> status table declared by `node`, with how it is read; undefined when `node` holds none. */
export interface TableOf {
  entries: TableEntries;
  read: CodeMapRead;
}

/**
 * The code -> status table a `const` holds: an object literal (`{ FORBIDDEN: 403 }`, `{ [Code.FORBIDDEN]: {
 * code: 'FORBIDDEN', status: 403 } }`, typed `Record<Code, number>` or not), a `new Map([[code, 403], …])`, or a
 * function (arrow or expression) whose body switches on a code and returns each case's status. Undefined for
 * any other initializer.
 */
export function tableOfInitializer(initializer: ts.Expression): TableOf | undefined {
  const value = skipOuter(initializer);
  if (ts.isObjectLiteralExpression(value)) return { entries: objectEntries(value), read: 'index' };
  if (ts.isNewExpression(value) && ts.isIdentifier(value.expression) && value.expression.text === 'Map') {
    const list = value.arguments?.[0] && skipOuter(value.arguments[0]);
    return list && ts.isArrayLiteralExpression(list)
      ? { entries: pairEntries(list), read: 'get' }
      : undefined;
  }
  if ((ts.isArrowFunction(value) || ts.isFunctionExpression(value)) && value.body)
    return { entries: switchEntries(value.body), read: 'call' };
  return undefined;
}

/** The table a function declaration switching on a code returns (`function statusOf(code) { switch … }`). */
export function tableOfFunction(fn: ts.FunctionDeclaration): TableOf | undefined {
  return fn.body ? { entries: switchEntries(fn.body), read: 'call' } : undefined;
}

function emptyEntries(): TableEntries {
  return { statuses: new Map(), owners: new Map(), values: new Map() };
}

/**
 * `FORBIDDEN`, `'FORBIDDEN'`, `[Code.FORBIDDEN]`, `['FORBIDDEN']`: the code a key (`name`) or a case label names,
 * and its owner. A bare identifier is a code only as a key (`case FORBIDDEN:` reads a variable).
 */
function codeOf(key: ts.Node, name: boolean): { code: string; owner?: string } | undefined {
  const node = ts.isComputedPropertyName(key) ? skipOuter(key.expression) : key;
  if (ts.isIdentifier(node)) return name && node === key ? { code: node.text } : undefined;
  if (ts.isStringLiteralLike(node) || ts.isNumericLiteral(node)) return { code: node.text };
  if (ts.isPropertyAccessExpression(node)) return { code: node.name.text, owner: node.expression.getText() };
  return undefined;
}

/** `403`, `403 as const`, `{ code: 'FORBIDDEN', status: 403 }`: the status an entry's value holds. */
function statusOfValue(expression: ts.Expression): number | undefined {
  const value = skipOuter(expression);
  const direct = literalNumber(value);
  if (direct !== undefined) return direct >= 100 && direct <= 599 ? direct : undefined;
  if (!ts.isObjectLiteralExpression(value)) return undefined;
  for (const property of value.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const key = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : '';
    if (STATUS_KEYS.has(key)) return statusOfValue(property.initializer);
  }
  return undefined;
}

function add(entries: TableEntries, key: ts.Node, value: ts.Expression, name: boolean): void {
  const code = codeOf(key, name);
  const status = statusOfValue(value);
  if (!code || status === undefined) return;
  if (!entries.statuses.has(code.code)) {
    entries.statuses.set(code.code, status);
    entries.values.set(code.code, value);
  }
  if (code.owner !== undefined) {
    const owners = entries.owners.get(code.code) ?? new Set<string>();
    owners.add(code.owner);
    entries.owners.set(code.code, owners);
  }
}

function objectEntries(object: ts.ObjectLiteralExpression): TableEntries {
  const entries = emptyEntries();
  for (const property of object.properties)
    if (ts.isPropertyAssignment(property)) add(entries, property.name, property.initializer, true);
  return entries;
}

/** `new Map([[Code.FORBIDDEN, 403], ['NOT_FOUND', 404]])`. */
function pairEntries(list: ts.ArrayLiteralExpression): TableEntries {
  const entries = emptyEntries();
  for (const element of list.elements) {
    const pair = skipOuter(element);
    if (!ts.isArrayLiteralExpression(pair) || pair.elements.length !== 2) continue;
    const [key, value] = pair.elements as unknown as [ts.Expression, ts.Expression];
    add(entries, skipOuter(key), value, false);
  }
  return entries;
}

/**
 * The status a case clause gives: `return 403`, `status = 403; break` (the assignment a later `return status`
 * reads), either inside a block (`case A: { return 403 }`).
 */
function clauseStatus(statements: ts.NodeArray<ts.Statement>): ts.Expression | undefined {
  const first = statements[0];
  if (!first) return undefined;
  if (ts.isBlock(first)) return clauseStatus(first.statements);
  if (ts.isReturnStatement(first)) return first.expression;
  if (
    ts.isExpressionStatement(first) &&
    ts.isBinaryExpression(first.expression) &&
    first.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken
  )
    return first.expression.right;
  return undefined;
}

/**
 * `switch (code) { case 'FORBIDDEN': case Code.DENIED: return 403; … }`: each case's code with the status the
 * clause (or the next clause with statements, for cases that fall through) returns.
 */
function switchEntries(body: ts.ConciseBody): TableEntries {
  const entries = emptyEntries();
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && node !== body.parent) return;
    if (ts.isSwitchStatement(node)) {
      let pending: ts.Expression[] = [];
      for (const clause of node.caseBlock.clauses) {
        if (ts.isCaseClause(clause)) pending.push(skipOuter(clause.expression));
        if (!clause.statements.length) continue;
        const returned = clauseStatus(clause.statements);
        if (returned) for (const key of pending) add(entries, key, returned, false);
        pending = [];
      }
    }
    if (ts.isCallExpression(node)) patternEntries(node, entries);
    ts.forEachChild(node, visit);
  };
  visit(body);
  return entries;
}

/**
 * ts-pattern (https://github.com/gvergnaud/ts-pattern): `match(code).with('forbidden', 'no_access', () => 403)`,
 * `.with(P.union(Code.A, 'b'), () => ({ status: 403 }))`: each literal or member pattern with the status the
 * handler (the last argument) returns. A `.with` whose chain does not start at a `match(…)` call is not read.
 */
function patternEntries(call: ts.CallExpression, entries: TableEntries): void {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'with' || call.arguments.length < 2)
    return;
  let receiver = skipOuter(callee.expression);
  while (ts.isCallExpression(receiver) && ts.isPropertyAccessExpression(receiver.expression))
    receiver = skipOuter(receiver.expression.expression);
  if (!ts.isCallExpression(receiver) || !/^(?:\w+\.)?match$/.test(receiver.expression.getText())) return;
  const handler = skipOuter(call.arguments[call.arguments.length - 1]);
  if (!ts.isArrowFunction(handler) && !ts.isFunctionExpression(handler)) return;
  const returned = ts.isBlock(handler.body)
    ? handler.body.statements.find(ts.isReturnStatement)?.expression
    : handler.body;
  if (!returned) return;
  for (const pattern of call.arguments.slice(0, -1)) {
    const value = skipOuter(pattern);
    // `P.union('a', 'b')`: each of its patterns.
    const union =
      ts.isCallExpression(value) && /(?:^|\.)union$/.test(value.expression.getText())
        ? value.arguments
        : [value];
    for (const key of union) add(entries, skipOuter(key), returned, false);
  }
}
