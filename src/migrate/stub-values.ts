import ts from '../typescript.cjs';
import { lineAt } from '../util/lines.js';
import { skipCasts } from './analysis/syntax.js';
import { visibleValue, visibleWrittenValue } from './local-values.js';

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
 * Why an object held by a local is not read as written (`stubs['./policy'] = …` after `const stubs = {}`): the
 * write that changes it and its line; undefined when `node` is no name, or nothing writes to its members.
 */
export function changedAfter(node: ts.Expression, sourceFile: ts.SourceFile): string | undefined {
  const name = skipCasts(node);
  if (!ts.isIdentifier(name)) return undefined;
  const declaration = visibleValue(name, name.text);
  if (!declaration) return undefined;
  for (const { name: written, write } of valueWrites(sourceFile)) {
    if (written.text !== name.text || visibleValue(written, written.text) !== declaration) continue;
    const line = lineAt(sourceFile, write.getStart(sourceFile));
    return `${name.text} is changed after it is written: ${shortText(write, sourceFile)}, line ${line}`;
  }
  return undefined;
}
