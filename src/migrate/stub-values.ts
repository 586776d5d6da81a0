import ts from '../typescript.cjs';
import { lineAt } from '../util/lines.js';
import { skipCasts } from './analysis/syntax.js';
import { localValue, visibleDeclaration, visibleValue, visibleWrittenValue } from './local-values.js';

// What the values a test hands a module loader as stubs are, by syntax (module-loaders.ts reads the stubs with
// these): a test double the file sets up itself, the objects a function of the file hands back, and the writes
// that change an object held by a local after it is written.

/** A node's text on one line, at most 40 characters (for a reason). */
export function shortText(node: ts.Node, sourceFile: ts.SourceFile): string {
  const text = node.getText(sourceFile).replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** The members that make a test double (Sinon, a sandbox; Jest, Vitest; testdouble): {@link isDoubleMaker}. */
const DOUBLE_MAKERS = new Set(['stub', 'spy', 'fake', 'createStubInstance', 'fn', 'func', 'function']);

/**
 * Whether a call makes a test double: its innermost callee is `<owner>.stub()` / `.spy()` / `.fake()` /
 * `.createStubInstance()` (Sinon, a sandbox), `.fn()` (Jest, Vitest), `.func()` / `.function()` (testdouble),
 * with calls chained on it (`sinon.stub().returns(user)`). What such a stub does is set by the test file's own
 * code (its arguments, the calls on it), which mtls-fix reads as the test's; it stubs no member by name.
 * Sources: Sinon "Stubs", Jest "Mock Functions", testdouble.js "td.func".
 */
export function isDoubleMaker(call: ts.CallExpression): boolean {
  let node: ts.Expression = call;
  for (let depth = 0; depth < 8 && ts.isCallExpression(node); depth++) {
    const callee = skipCasts(node.expression);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    const owner = skipCasts(callee.expression);
    if (ts.isIdentifier(owner)) return DOUBLE_MAKERS.has(callee.name.text);
    node = owner;
  }
  return false;
}

/**
 * The object literals a call of a function of the file hands back (`makePolicy()` with `function makePolicy() {
 * return { enforce }; }`, or `const makePolicy = () => ({ enforce })`), each spelled out with no spread (in
 * place or held by a local of the function); undefined when any return is something else, or the callee is not
 * such a function.
 */
export function returnedObjects(call: ts.CallExpression): ts.ObjectLiteralExpression[] | undefined {
  const callee = skipCasts(call.expression);
  const fn = ts.isIdentifier(callee) ? visibleValue(callee, callee.text) : undefined;
  const target =
    fn && (ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))
      ? fn
      : undefined;
  if (!target?.body) return undefined;
  const spelled = (node: ts.Expression): ts.ObjectLiteralExpression | undefined => {
    const value = visibleWrittenValue(node);
    return value &&
      ts.isObjectLiteralExpression(value) &&
      !value.properties.some(ts.isSpreadAssignment) &&
      !changedAfter(node, call.getSourceFile())
      ? value
      : undefined;
  };
  if (!ts.isBlock(target.body)) {
    const one = spelled(target.body);
    return one && [one];
  }
  const out: ts.ObjectLiteralExpression[] = [];
  let all = true;
  const visit = (node: ts.Node): void => {
    if (!all || (ts.isFunctionLike(node) && node !== target)) return;
    if (ts.isReturnStatement(node)) {
      const one = node.expression && spelled(node.expression);
      if (one) out.push(one);
      else all = false;
    }
    node.forEachChild(visit);
  };
  target.body.forEachChild(visit);
  return all && out.length ? out : undefined;
}

/** One write to a value after it is written: the base name it goes through, the write, where. */
interface ValueWrite {
  name: ts.Identifier;
  write: ts.Node;
}

/** Per file: its writes to the members of named values ({@link valueWrites}). */
const writesOf = new WeakMap<ts.SourceFile, readonly ValueWrite[]>();

/** Calls that copy keys into their first argument (`Object.assign(stubs, more)`, lodash `_.merge(stubs, more)`). */
const KEY_COPIES = new Set(['assign', 'defineProperty', 'defineProperties', 'merge', 'extend', 'defaults']);

/**
 * Every write to a member of a named value in a file, found once: `stubs['./policy'] = …`, `stubs.x = …`
 * (also `+=`, `??=`…, and deeper: `stubs['./db'].find = …`), `delete stubs.x`, `Object.assign(stubs, …)`
 * (and `defineProperty`, lodash `merge` / `extend` / `defaults`).
 */
function valueWrites(sourceFile: ts.SourceFile): readonly ValueWrite[] {
  let found = writesOf.get(sourceFile);
  if (found) return found;
  const out: ValueWrite[] = [];
  const base = (node: ts.Expression): ts.Identifier | undefined => {
    let current = skipCasts(node);
    while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current))
      current = skipCasts(current.expression);
    return ts.isIdentifier(current) ? current : undefined;
  };
  const member = (node: ts.Expression): boolean => {
    const inner = skipCasts(node);
    return ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner);
  };
  const visit = (node: ts.Node): void => {
    let name: ts.Identifier | undefined;
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      node.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
      member(node.left)
    )
      name = base(node.left);
    else if (ts.isDeleteExpression(node) && member(node.expression)) name = base(node.expression);
    else if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      KEY_COPIES.has(node.expression.name.text) &&
      node.arguments[0]
    )
      name = base(node.arguments[0]);
    if (name) out.push({ name, write: node });
    node.forEachChild(visit);
  };
  visit(sourceFile);
  writesOf.set(sourceFile, (found = out));
  return found;
}

/**
 * What a name stands for where it is written, as an identity to compare names by: its declaration by the scopes
 * around it (local-values.ts `visibleDeclaration`, also a `let` with no value), else the one declaration of the
 * file; undefined when a parameter or a destructuring binds it.
 */
function declarationOf(name: ts.Identifier): ts.Node | undefined {
  const found = visibleDeclaration(name, name.text);
  if (found === 'shadowed') return undefined;
  return found ?? localValue(name.getSourceFile(), name.text);
}

/**
 * The writes to the members of the object a name holds (`stubs['./policy'] = …`, `Object.assign(stubs, …)`),
 * also through an alias of it the file declares (`const s = stubs; s['./x'] = …`, one alias deep), in order.
 */
function writesTo(name: ts.Identifier, sourceFile: ts.SourceFile): ts.Node[] {
  const declaration = declarationOf(name);
  if (!declaration) return [];
  const out: ts.Node[] = [];
  for (const { name: written, write } of valueWrites(sourceFile)) {
    if (written.text === name.text && declarationOf(written) === declaration) out.push(write);
    else {
      const alias = declarationOf(written);
      const held =
        alias && ts.isVariableDeclaration(alias) && alias.initializer && skipCasts(alias.initializer);
      if (held && ts.isIdentifier(held) && held.text === name.text && declarationOf(held) === declaration)
        out.push(write);
    }
  }
  return out;
}

/** Why a write is not one whose key and value are read, for a reason: the write and its line. */
function writeText(name: ts.Identifier, write: ts.Node, sourceFile: ts.SourceFile): string {
  const line = lineAt(sourceFile, write.getStart(sourceFile));
  return `${name.text} is changed after it is written: ${shortText(write, sourceFile)}, line ${line}`;
}

/**
 * Why an object held by a local is not read as written (`stubs['./policy'] = …` after `const stubs = {}`, also
 * through an alias, `const s = stubs; s.x = …`): the write that changes it and its line; undefined when `node` is
 * no name, or nothing writes to its members.
 */
export function changedAfter(node: ts.Expression, sourceFile: ts.SourceFile): string | undefined {
  const name = skipCasts(node);
  if (!ts.isIdentifier(name)) return undefined;
  const write = writesTo(name, sourceFile)[0];
  return write && writeText(name, write, sourceFile);
}

/** The keys a stubs object gets after it is written: each key and the value written to it, in order. */
export interface AddedKeys {
  entries: [string, ts.Expression][];
  /** A write whose key or value is not read so (`delete stubs.x`, `stubs[path] = …`, `Object.assign(stubs, more)`). */
  why?: string;
}

/**
 * The keys written to the object a name holds after it is written, read (`stubs['./policy'] = { allow }`,
 * `stubs.db = db`, through an alias too, `Object.assign(stubs, { './db': db })`): each write a plain `=` to one
 * written key of the object itself, or an `Object.assign` of objects spelled out with written keys. Any other
 * write is named in `why` (the first such), the keys read so far kept.
 */
export function addedKeys(node: ts.Expression, sourceFile: ts.SourceFile): AddedKeys {
  const name = skipCasts(node);
  const out: AddedKeys = { entries: [] };
  if (!ts.isIdentifier(name)) return out;
  for (const write of writesTo(name, sourceFile)) {
    const read = keysOfWrite(write);
    if (read) out.entries.push(...read);
    else return { ...out, why: writeText(name, write, sourceFile) };
  }
  return out;
}

/** The keys and values one write adds, when it is read so ({@link addedKeys}), else undefined. */
function keysOfWrite(write: ts.Node): [string, ts.Expression][] | undefined {
  if (ts.isBinaryExpression(write) && write.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = skipCasts(write.left);
    if (!ts.isPropertyAccessExpression(left) && !ts.isElementAccessExpression(left)) return undefined;
    if (!ts.isIdentifier(skipCasts(left.expression))) return undefined;
    if (ts.isPropertyAccessExpression(left)) return [[left.name.text, write.right]];
    if (ts.isElementAccessExpression(left) && ts.isStringLiteralLike(left.argumentExpression))
      return [[left.argumentExpression.text, write.right]];
    return undefined;
  }
  if (!ts.isCallExpression(write) || !ts.isPropertyAccessExpression(write.expression)) return undefined;
  const owner = write.expression.expression;
  if (!ts.isIdentifier(owner) || owner.text !== 'Object' || write.expression.name.text !== 'assign')
    return undefined;
  const out: [string, ts.Expression][] = [];
  for (const source of write.arguments.slice(1)) {
    const value = visibleWrittenValue(source);
    if (!value || !ts.isObjectLiteralExpression(value) || changedAfter(source, write.getSourceFile()))
      return undefined;
    for (const property of value.properties) {
      const key = property.name;
      const text =
        key && (ts.isIdentifier(key) || ts.isStringLiteralLike(key))
          ? key.text
          : key && ts.isComputedPropertyName(key) && ts.isStringLiteralLike(key.expression)
            ? key.expression.text
            : undefined;
      if (text === undefined) return undefined;
      if (ts.isPropertyAssignment(property)) out.push([text, property.initializer]);
      else if (ts.isShorthandPropertyAssignment(property)) out.push([text, property.name]);
      else return undefined;
    }
  }
  return out;
}
