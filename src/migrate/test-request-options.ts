import ts from '../typescript.cjs';
import { bindsName, skipOuter as unwrap } from './analysis/syntax.js';
import {
  declaringStatement,
  isStatementScope,
  type DeclaringStatement,
} from './analysis/block-declarations.js';
import { propertyName } from './routes/project.js';
import { returnedExpressions } from './routes/syntax.js';
import { enclosingFunction, isFunctionLike } from './scope.js';
import { lineOf as lineIn } from './test-nodes.js';

// The options object a test hands its request client, read the way a reader of the test reads it (`--include-tests`,
// trial37 on DEFRA/forms-designer: `const options = { method: 'get', url: '/manage/users', auth }` then
// `server.inject(options)` read as "any method <unknown path> (its URL `options` is not read)"). Used by
// routes/requests.ts for every client that takes options (hapi `server.inject`, Fastify `app.inject`,
// light-my-request `inject(app, opts)`, undici / axios config objects, a Fetch `RequestInit`) and by
// test-unread-requests.ts for the reason when a part stays unread. Syntax only, within the file that holds the
// object: an object literal; a variable of the scope holding one (its declaration, then the writes to it that
// run before the request: `options.url = '/x'`, `Object.assign(options, { url })`, `options = {...}` in
// straight code); spreads of such values (`{ ...base, url }`); a function of the file that returns one
// (`makeOptions('/x')`, its parameters read as the call's arguments); a helper's parameter bound by the caller
// (`bind`, test-helper-requests.ts).

/** What request options hold where the request is made. */
export interface OptionsRead {
  /** The value each property holds (the last write before the request). */
  readonly values: ReadonlyMap<string, ts.Expression>;
  /** Why a property's value is not known there (a write in a branch), by property name. */
  readonly unsure: ReadonlyMap<string, string>;
  /** Why a property the options do not write may be present all the same (a spread of a value not read). */
  readonly open?: string;
}

/** Options that are an object, but not one mtls-fix can read: why (for the reason of the request). */
export interface OptionsUnread {
  readonly unread: string;
}

/**
 * A helper's parameter read as the argument its caller passes (test-helper-requests.ts): the argument, and the
 * helper call (where the request is made, for the writes that run before it). Undefined for an unbound one.
 */
export type BindParameter = (
  parameter: ts.ParameterDeclaration,
) => { argument: ts.Expression; at: ts.Node } | undefined;

/**
 * The request options `expression` holds at `at` (the request call): `OptionsRead` for an object mtls-fix reads
 * (some properties may be `unsure`), `OptionsUnread` for a value that is an object it cannot read (a call of a
 * helper it does not read, a parameter no caller binds), undefined for a value that is no object (a URL string,
 * read by the caller).
 */
export function readOptions(
  expression: ts.Expression,
  at: ts.Node,
  bind?: BindParameter,
  depth = 0,
): OptionsRead | OptionsUnread | undefined {
  if (depth > 8) return { unread: `\`${short(expression)}\` is built too deep to read` };
  const node = unwrap(expression);
  if (ts.isObjectLiteralExpression(node)) return objectOf(node, at, bind, depth);
  if (ts.isIdentifier(node)) return variableOptions(node, at, bind, depth);
  if (ts.isCallExpression(node)) return returnedOptions(node, at, depth);
  return undefined;
}

/** Whether a `readOptions` answer is `OptionsUnread`. */
export function isOptionsUnread(read: OptionsRead | OptionsUnread | undefined): read is OptionsUnread {
  return read !== undefined && 'unread' in read;
}

/**
 * The value of a property of read options, or why it is not known: `{ value }`, `{ why }` (a write in a
 * branch, a spread of a value not read), or `{}` when the options do not set it.
 */
export function optionValue(read: OptionsRead, name: string): { value?: ts.Expression; why?: string } {
  const why = read.unsure.get(name);
  if (why) return { why };
  const value = read.values.get(name);
  if (value) return { value };
  return read.open ? { why: read.open } : {};
}

function objectOf(
  object: ts.ObjectLiteralExpression,
  at: ts.Node,
  bind: BindParameter | undefined,
  depth: number,
): OptionsRead {
  const values = new Map<string, ts.Expression>();
  const unsure = new Map<string, string>();
  let open: string | undefined;
  for (const p of object.properties) {
    if (ts.isSpreadAssignment(p)) {
      const spread = readOptions(p.expression, at, bind, depth + 1);
      if (!spread || isOptionsUnread(spread)) {
        // Every property may come from it, until the object writes it again.
        open = `\`${short(p.expression)}\` (spread into the options at line ${lineOf(p)}) is not read${spread ? `: ${spread.unread}` : ''}`;
        values.clear();
        unsure.clear();
        continue;
      }
      for (const [k, v] of spread.values) {
        values.set(k, v);
        unsure.delete(k);
      }
      for (const [k, why] of spread.unsure) unsure.set(k, why);
      if (spread.open) open = spread.open;
      continue;
    }
    const name = p.name && propertyName(p.name);
    if (name === undefined) {
      open = `a computed property of the options at line ${lineOf(p)} is not read`;
      continue;
    }
    const value = memberValue(p);
    if (!value) continue; // a method or accessor: no request option mtls-fix reads
    values.set(name, bound(value, bind));
    unsure.delete(name);
  }
  return { values, unsure, ...(open ? { open } : {}) };
}

/** A property value that is a helper's parameter, read as the caller's argument when `bind` knows it. */
function bound(value: ts.Expression, bind: BindParameter | undefined): ts.Expression {
  const node = unwrap(value);
  if (!bind || !ts.isIdentifier(node)) return value;
  const declared = declarationOf(node.text, node);
  return declared && ts.isParameter(declared) ? (bind(declared)?.argument ?? value) : value;
}

/** The value an object literal's member gives its key: `url: x`, or the shorthand `{ url }`; none for a method. */
function memberValue(p: ts.ObjectLiteralElementLike): ts.Expression | undefined {
  if (ts.isPropertyAssignment(p)) return p.initializer;
  return ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
}

/** A variable holding options: its declaration's value, then the writes that run before the request at `at`. */
function variableOptions(
  identifier: ts.Identifier,
  at: ts.Node,
  bind: BindParameter | undefined,
  depth: number,
): OptionsRead | OptionsUnread | undefined {
  const name = identifier.text;
  const declared = declarationOf(name, identifier);
  if (!declared) return undefined;
  if (ts.isParameter(declared)) {
    const given = bind?.(declared);
    if (given) return readOptions(given.argument, given.at, undefined, depth + 1);
    return declared.initializer
      ? undefined
      : { unread: `\`${name}\` is a parameter of the function around it` };
  }
  if (!ts.isVariableDeclaration(declared) || !ts.isIdentifier(declared.name)) return undefined;
  // A `const` whose value is no object is no options (`request(app)`, `inject(url)`): read before its writes.
  const isConst = ((declared.parent as ts.VariableDeclarationList).flags & ts.NodeFlags.Const) !== 0;
  if (isConst) {
    const first = declared.initializer && readOptions(declared.initializer, at, bind, depth + 1);
    if (!first || isOptionsUnread(first)) return first;
  }
  const writes = writesOf(name, declared);
  if (!writes) return undefined;
  // A new value for the whole variable (`options = { ... }`): the last one in straight code before the
  // request stands; one in a branch leaves the options unread.
  const request = requestPlace(at);
  let start: ts.Expression | undefined = declared.initializer;
  let startAt: ts.Node = declared;
  for (const write of writes.whole) {
    const place = placeOf(write, request, startAt);
    if (place === 'straight') {
      start = write.value;
      startAt = write.node;
    } else if (place !== 'after')
      return { unread: `\`${name}\` is assigned ${placeText(place)} at line ${lineOf(write.node)}` };
  }
  if (!start) return { unread: `\`${name}\` is declared without a value` };
  const initial = readOptions(start, at, bind, depth + 1);
  if (!initial || isOptionsUnread(initial)) return initial;
  const values = new Map(initial.values);
  const unsure = new Map(initial.unsure);
  let open = initial.open;
  // The last straight write of each property, for the writes elsewhere that it makes irrelevant.
  const straight = new Map<string, FoundWrite>();
  // Writes the variable's last whole value (its declaration, or a later `options = {...}`) replaced do not count,
  // unless another function (a hook, another test) may run them after it.
  const writesHere: { write: FoundWrite; place: Place }[] = [];
  for (const write of writes.members) {
    const place = placeOf(write, request, startAt);
    if (write.node.pos > startAt.pos || place === 'elsewhere') writesHere.push({ write, place });
  }
  for (const { write, place } of writesHere) {
    if (place !== 'straight') continue;
    if (write.property === undefined) {
      // Any property may be the one written (`options[key] = x`, `Object.assign(options, more)`): what the
      // options held before is not known, as after a spread of a value not read.
      open = `a property of \`${name}\` is assigned at line ${lineOf(write.node)} under a name mtls-fix does not read`;
      values.clear();
      unsure.clear();
      continue;
    }
    if (write.value) values.set(write.property, write.value);
    else unsure.set(write.property, `\`${write.property}\` is changed at line ${lineOf(write.node)}`);
    if (write.value) unsure.delete(write.property);
    straight.set(write.property, write);
  }
  for (const { write, place } of writesHere) {
    if (place === 'straight' || place === 'after') continue;
    // A write the request's own straight code makes again after it (or, for another test's or a hook's write,
    // anywhere before the request in the request's own function) does not reach the request.
    const overridden = (property: string): boolean => {
      const last = straight.get(property);
      return (
        last !== undefined &&
        (place === 'elsewhere' ? last.fn === request.fn : last.node.pos > write.node.pos)
      );
    };
    if (write.property !== undefined && overridden(write.property)) continue;
    const what = write.property === undefined ? 'a property of' : `\`${write.property}\` of`;
    const why = `${what} \`${name}\` is assigned ${placeText(place)} at line ${lineOf(write.node)}`;
    if (write.property !== undefined) {
      unsure.set(write.property, why);
      continue;
    }
    // Under a name not read, it may write any property the straight code does not write again.
    open = why;
    for (const property of values.keys()) if (!overridden(property)) unsure.set(property, why);
  }
  return { values, unsure, ...(open ? { open } : {}) };
}

/** Where a write stands relative to the request: see `placeOf`. */
type Place = 'straight' | 'branch' | 'loop' | 'callback' | 'elsewhere' | 'after';

function placeText(place: Place): string {
  if (place === 'branch') return 'in a branch';
  if (place === 'loop') return 'in a loop';
  if (place === 'callback') return 'in a callback';
  return 'in another function (a hook or another test may run it first)';
}

/** The request a write's place is asked for, read once per request (see `requestPlace`). */
interface RequestPlace {
  readonly at: ts.Node;
  /** The function around the request. */
  readonly fn: ts.Node | undefined;
  /** For each block around the request, where its statement holding the request starts. */
  readonly holders: ReadonlyMap<ts.Node, number>;
}

const PLACES = new WeakMap<ts.Node, RequestPlace>();

/**
 * The function and the blocks around a request, found once per request: placing each write by walks up from it
 * and from the request made a suite of many tests writing one shared `options` quadratic in node reads.
 */
function requestPlace(at: ts.Node): RequestPlace {
  const known = PLACES.get(at);
  if (known) return known;
  const sourceFile = at.getSourceFile();
  const holders = new Map<ts.Node, number>();
  for (let node: ts.Node = at; node.parent; node = node.parent)
    if (isStatementList(node.parent)) holders.set(node.parent, node.getStart(sourceFile));
  const place = { at, fn: enclosingFunction(at), holders };
  PLACES.set(at, place);
  return place;
}

/** A block, file or module body: where a write statement runs in order with the request's statement. */
function isStatementList(node: ts.Node): boolean {
  return ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node);
}

/**
 * Where a write stands for the request, the variable's value starting at `from`:
 * - `straight`: a statement of a block that holds the request, before the request's statement (it runs
 *   first, every time);
 * - `after`: in the request's own function, after it and not in a loop around both (it runs later);
 * - `branch` / `loop` / `callback`: in the request's own function before it, under a condition, in a loop or in
 *   a function written there (it may or may not run first);
 * - `elsewhere`: in another function (another test, a hook, a helper).
 */
function placeOf(write: FoundWrite, request: RequestPlace, from: ts.Node): Place {
  const at = request.at;
  if (write.statement && write.node.pos > from.pos) {
    const holderStart = request.holders.get(write.statement.parent);
    if (holderStart !== undefined && write.statement.end <= holderStart) return 'straight';
  }
  const fnAt = request.fn;
  const fnWrite = write.fn;
  const inOwn = fnWrite === fnAt || (fnAt !== undefined && fnWrite !== undefined && contains(fnAt, fnWrite));
  if (!inOwn && fnAt !== undefined) return 'elsewhere';
  if (fnWrite !== fnAt)
    return write.node.pos < at.pos ? 'callback' : loopAround(write.node, at) ? 'loop' : 'after';
  if (write.node.pos > at.pos) return loopAround(write.node, at) ? 'loop' : 'after';
  return loopAround(write.node, at) ? 'loop' : 'branch';
}

/** Whether a loop of the request's function holds both the write and the request. */
function loopAround(write: ts.Node, at: ts.Node): boolean {
  for (let node: ts.Node | undefined = at.parent; node && !isFunctionLike(node); node = node.parent)
    if (ts.isIterationStatement(node, false) && contains(node, write)) return true;
  return false;
}

function contains(outer: ts.Node, inner: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end;
}

interface MemberWrite {
  node: ts.Expression;
  /** The property written; undefined for a computed name (`options[key] = …`). */
  property: string | undefined;
  /** Its new value; undefined when not a plain assignment (`+=`, `delete`). */
  value: ts.Expression | undefined;
}

/**
 * The writes to the variable `name` declared by `declared`, in source order: to the whole variable (`options = …`)
 * and to its members (`options.url = …`, `options['url'] = …`, `Object.assign(options, { … })`, `delete
 * options.url`). Taken from the file's writes (`fileWrites`, one walk per file) that lie in the declaration's
 * scope and name it: a walk of the scope per variable made a file of many top-level options quadratic
 * (test/migrate/request-options-cost.test.ts).
 */
function writesOf(name: string, declared: ts.VariableDeclaration): Writes | undefined {
  if (WRITES.has(declared)) return WRITES.get(declared);
  const scope = scopeOf(declared);
  let found: Writes | undefined;
  if (scope) {
    const whole: FoundWrite[] = [];
    const members: FoundWrite[] = [];
    const list = fileWrites(declared.getSourceFile()).get(name) ?? [];
    for (let i = firstAtOrAfter(list, scope.pos); i < list.length; i++) {
      const write = list[i];
      if (write.node.pos >= scope.end) break;
      if (write.node.end > scope.end || declarationOf(name, write.through) !== declared) continue;
      if (write.whole) whole.push(write);
      else members.push(write);
    }
    found = { whole, members };
  }
  WRITES.set(declared, found);
  return found;
}

/** The writes to a variable and its members, by declaration. */
const WRITES = new WeakMap<ts.VariableDeclaration, Writes | undefined>();

interface Writes {
  /** `options = …` (their `value` is set). */
  readonly whole: readonly FoundWrite[];
  readonly members: readonly FoundWrite[];
}

/**
 * A write of the file: the identifier it writes through, whether it writes the whole variable, the function around
 * it, and the statement it is when it is one of a block (for `placeOf`).
 */
interface FoundWrite extends MemberWrite {
  readonly through: ts.Identifier;
  readonly whole: boolean;
  readonly fn: ts.Node | undefined;
  readonly statement: ts.ExpressionStatement | undefined;
}

/** Each file's writes (see `writesOf`) by the name they write through, in source order. */
const FILE_WRITES = new WeakMap<ts.SourceFile, Map<string, FoundWrite[]>>();

function fileWrites(sourceFile: ts.SourceFile): Map<string, FoundWrite[]> {
  const known = FILE_WRITES.get(sourceFile);
  if (known) return known;
  const out = new Map<string, FoundWrite[]>();
  const add = (through: ts.Expression, write: MemberWrite, whole = false): void => {
    const inner = unwrap(through);
    if (!ts.isIdentifier(inner)) return;
    let list = out.get(inner.text);
    if (!list) out.set(inner.text, (list = []));
    const parent = write.node.parent;
    const statement =
      ts.isExpressionStatement(parent) && parent.expression === write.node && isStatementList(parent.parent)
        ? parent
        : undefined;
    list.push({ ...write, through: inner, whole, fn: enclosingFunction(write.node), statement });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && isAssignment(node.operatorToken.kind)) {
      const left = unwrap(node.left);
      const value = node.operatorToken.kind === ts.SyntaxKind.EqualsToken ? node.right : undefined;
      if (ts.isIdentifier(left)) {
        if (value) add(left, { node, property: undefined, value }, true);
      } else if (ts.isPropertyAccessExpression(left))
        add(left.expression, { node, property: left.name.text, value });
      else if (ts.isElementAccessExpression(left)) {
        const key = unwrap(left.argumentExpression);
        add(left.expression, { node, property: ts.isStringLiteralLike(key) ? key.text : undefined, value });
      }
    } else if (ts.isDeleteExpression(node)) {
      const target = unwrap(node.expression);
      if (ts.isPropertyAccessExpression(target))
        add(target.expression, { node, property: target.name.text, value: undefined });
    } else if (isObjectAssign(node) && node.arguments[0]) {
      for (const source of node.arguments.slice(1)) {
        const object = unwrap(source);
        if (!ts.isObjectLiteralExpression(object)) {
          add(node.arguments[0], { node, property: undefined, value: undefined });
          continue;
        }
        for (const p of object.properties) {
          const property = p.name ? propertyName(p.name) : undefined;
          add(node.arguments[0], { node, property, value: memberValue(p) });
        }
      }
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  FILE_WRITES.set(sourceFile, out);
  return out;
}

/** The index of the first write of `list` (in source order) that starts at or after `pos`. */
function firstAtOrAfter(list: readonly FoundWrite[], pos: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle].node.pos < pos) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** `Object.assign(target, …)`. */
function isObjectAssign(node: ts.Node): node is ts.CallExpression {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
  const owner = node.expression.expression;
  return ts.isIdentifier(owner) && owner.text === 'Object' && node.expression.name.text === 'assign';
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** The block (or function, for a parameter) whose code sees a declaration. */
function scopeOf(declared: ts.VariableDeclaration): ts.Node | undefined {
  const list = declared.parent;
  if (!ts.isVariableDeclarationList(list)) return undefined;
  const isVar = !(list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let));
  for (let node: ts.Node | undefined = list.parent; node; node = node.parent) {
    if (isFunctionLike(node) || ts.isSourceFile(node)) return node;
    if (!isVar && (ts.isBlock(node) || ts.isModuleBlock(node) || ts.isCaseBlock(node))) return node;
  }
  return undefined;
}

/** What a name is bound to in one block (or file, or `case`): a variable, a function, or another binding. */
type Bound =
  | { kind: 'variable'; node: ts.VariableDeclaration }
  | { kind: 'function'; node: ts.FunctionLikeDeclaration }
  | { kind: 'other' };

/**
 * What the statement that declares `name` (analysis/block-declarations.ts, indexed once per block) binds it to:
 * a function declaration with a body or a `const` holding a function is a function, any other plain variable a
 * variable, a class, an enum or a destructured name another binding.
 */
function boundBy(statement: DeclaringStatement, name: string): Bound {
  if (ts.isFunctionDeclaration(statement))
    return statement.body ? { kind: 'function', node: statement } : { kind: 'other' };
  if (!ts.isVariableStatement(statement)) return { kind: 'other' };
  const declared = statement.declarationList.declarations.find(
    (d) => ts.isIdentifier(d.name) && d.name.text === name,
  );
  if (!declared) return { kind: 'other' };
  const value = declared.initializer && unwrap(declared.initializer);
  const isConst = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
  return isConst && value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value))
    ? { kind: 'function', node: value }
    : { kind: 'variable', node: declared };
}

/**
 * What `name` is bound to at `from`: the nearest declaration (of a block, a function or the file) or parameter
 * around it, by syntax. Undefined when none is found (a global).
 */
function boundAt(
  name: string,
  from: ts.Node,
): Bound | { kind: 'parameter'; node: ts.ParameterDeclaration } | undefined {
  for (let node: ts.Node | undefined = from.parent; node; node = node.parent) {
    if (isFunctionLike(node)) {
      const parameter = node.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name);
      if (parameter) return { kind: 'parameter', node: parameter };
      if (node.parameters.some((p) => !ts.isIdentifier(p.name) && bindsName(p.name, name)))
        return { kind: 'other' };
    }
    if (ts.isCatchClause(node) && node.variableDeclaration && bindsName(node.variableDeclaration.name, name))
      return { kind: 'other' };
    if (
      (ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isForStatement(node)) &&
      node.initializer &&
      ts.isVariableDeclarationList(node.initializer) &&
      node.initializer.declarations.some((d) => bindsName(d.name, name))
    )
      return { kind: 'other' };
    const statement = isStatementScope(node) ? declaringStatement(node, name) : undefined;
    if (statement) return boundBy(statement, name);
  }
  return undefined;
}

/** The variable or parameter `name` refers to at `from` (see `boundAt`); undefined for any other binding. */
function declarationOf(
  name: string,
  from: ts.Node,
): ts.VariableDeclaration | ts.ParameterDeclaration | undefined {
  const bound = boundAt(name, from);
  return bound?.kind === 'variable' || bound?.kind === 'parameter' ? bound.node : undefined;
}

/**
 * Options a function of the file returns (`const options = makeOptions('/x')` with `function makeOptions(url)
 * { return { method: 'GET', url } }`): the one object it returns, its parameters read as the call's arguments.
 * Another call (an imported helper, a method) is options not read.
 */
function returnedOptions(
  call: ts.CallExpression,
  at: ts.Node,
  depth: number,
): OptionsRead | OptionsUnread | undefined {
  const callee = unwrap(call.expression);
  const unread = { unread: `\`${short(call)}\` is a call whose result mtls-fix does not read` };
  if (!ts.isIdentifier(callee)) return unread;
  const fn = functionNamed(callee.text, callee);
  if (!fn) return unread;
  const returned = returnedExpressions({ node: fn });
  if (returned.length !== 1 || !returned[0]) return unread;
  const bind: BindParameter = (parameter) => {
    const index = fn.parameters.indexOf(parameter);
    const argument = index >= 0 ? call.arguments[index] : undefined;
    if (argument && !ts.isSpreadElement(argument)) return { argument, at };
    return parameter.initializer ? { argument: parameter.initializer, at } : undefined;
  };
  return readOptions(returned[0], at, bind, depth + 1);
}

/** A function declaration, or a `const` holding an arrow function or function expression, named `name` in scope. */
function functionNamed(name: string, from: ts.Node): ts.FunctionLikeDeclaration | undefined {
  const bound = boundAt(name, from);
  return bound?.kind === 'function' ? bound.node : undefined;
}

function lineOf(node: ts.Node): number {
  return lineIn(node.getSourceFile(), node);
}

function short(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
