import ts from '../../../typescript.cjs';
import { isExpect, skipCasts } from '../../analysis/syntax.js';
import { calleeName } from '../../census-syntax.js';
import { isFunctionLike, type FunctionLike } from '../../scope.js';
import { CHAI_LANGUAGE_CHAINS } from './vocabulary.js';

// Custom matchers of a test suite (session 41): `expect.extend({ toHaveStatus(res, code) {...} })` (Jest, Vitest,
// Playwright, the standalone `expect`), and the calls that use them, `expect(res).toHaveStatus(403)`,
// `expect(res).not.toBeForbidden()`. A matcher is an assertion helper whose first parameter is the value handed to
// `expect`: its 403 follows the requests of the tests that call it (test-matchers.ts).

/** A call of `expect.extend(matchers)`: the object (or name of one) it registers. */
export function extendArgument(node: ts.Node): ts.Expression | undefined {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
  const callee = node.expression;
  if (callee.name.text !== 'extend' || !isExpect(callee.expression)) return undefined;
  return node.arguments[0];
}

/** A matcher an object literal registers: its name, the member that declares it, its function when written there. */
export interface MatcherMember {
  name: string;
  /** The method, property assignment or shorthand property. */
  member: ts.ObjectLiteralElementLike;
  /** The function, when the member holds one written out (`toX(res) {}`, `toX: (res) => ...`). */
  fn?: FunctionLike;
  /** For a shorthand (`{ toBeForbidden }`) or a name (`toX: toBeForbidden`): the name it hands on. */
  reference?: ts.Identifier;
}

/** The matchers an object literal registered with `expect.extend` declares, by name. */
export function matcherMembers(object: ts.ObjectLiteralExpression): MatcherMember[] {
  const out: MatcherMember[] = [];
  for (const member of object.properties) {
    const name =
      member.name && (ts.isIdentifier(member.name) || ts.isStringLiteralLike(member.name))
        ? member.name.text
        : undefined;
    if (name === undefined) continue;
    if (ts.isMethodDeclaration(member)) out.push({ name, member, fn: member });
    else if (ts.isShorthandPropertyAssignment(member)) out.push({ name, member, reference: member.name });
    else if (ts.isPropertyAssignment(member)) {
      const value = skipCasts(member.initializer);
      if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) out.push({ name, member, fn: value });
      else if (ts.isIdentifier(value)) out.push({ name, member, reference: value });
      else out.push({ name, member });
    }
  }
  return out;
}

/** Per file: the object literals it hands to `expect.extend`, inline or through a `const` of the file. */
const extendedCache = new WeakMap<ts.SourceFile, ts.ObjectLiteralExpression[]>();

/** The object literals a file registers as matchers (`expect.extend({...})`, `const m = {...}; expect.extend(m)`). */
export function extendedObjects(sourceFile: ts.SourceFile): ts.ObjectLiteralExpression[] {
  let found = extendedCache.get(sourceFile);
  if (found) return found;
  const objects: ts.ObjectLiteralExpression[] = [];
  const named = new Set<string>();
  const consts = new Map<string, ts.ObjectLiteralExpression>();
  const visit = (node: ts.Node): void => {
    const argument = extendArgument(node);
    if (argument && ts.isObjectLiteralExpression(argument)) objects.push(argument);
    else if (argument && ts.isIdentifier(argument)) named.add(argument.text);
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      ts.isObjectLiteralExpression(node.initializer)
    )
      consts.set(node.name.text, node.initializer);
    node.forEachChild(visit);
  };
  visit(sourceFile);
  for (const name of named) {
    const object = consts.get(name);
    if (object) objects.push(object);
  }
  found = objects;
  extendedCache.set(sourceFile, found);
  return found;
}

/**
 * Whether `fn` reads as a matcher by what it returns: Jest's and Vitest's matcher result, an object with a
 * `pass` key (`return { pass: res.status === 403, message: () => '...' }`).
 */
function returnsMatcherResult(fn: FunctionLike): boolean {
  const body = fn.body;
  if (!body) return false;
  const isResult = (value: ts.Expression | undefined): boolean => {
    const node = value && skipCasts(value);
    return Boolean(
      node &&
      ts.isObjectLiteralExpression(node) &&
      node.properties.some((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'pass'),
    );
  };
  if (!ts.isBlock(body)) return isResult(body);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (node !== body && isFunctionLike(node))) return;
    if (ts.isReturnStatement(node) && isResult(node.expression)) found = true;
    node.forEachChild(visit);
  };
  visit(body);
  return found;
}

/** chai's plugin API (chaijs.com/api/plugins): `Assertion.addMethod(name, fn)`, `addProperty`, `addChainableMethod`. */
const PLUGIN_ADDERS = new Set(['addMethod', 'addProperty', 'addChainableMethod']);

/**
 * The name a chai plugin registers `fn` under (`chai.Assertion.addMethod('forbidden', function () {...})`,
 * `Assertion.addProperty('refused', fn)`), called `expect(res).to.be.forbidden()` / `.to.be.refused`; its subject
 * is `this._obj` (or `utils.flag(this, 'object')`) and its parameters are the call's arguments.
 */
export function chaiPluginName(fn: FunctionLike): string | undefined {
  const call = fn.parent;
  if (!ts.isCallExpression(call) || call.arguments[1] !== fn) return undefined;
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !PLUGIN_ADDERS.has(callee.name.text)) return undefined;
  const name = call.arguments[0];
  return calleeName(callee.expression) === 'Assertion' && name && ts.isStringLiteralLike(name)
    ? name.text
    : undefined;
}

/** The name a function declares itself under: `function toX()`, `const toX = () => {}`, `toX() {}`, `toX: () => {}`. */
export function functionName(fn: FunctionLike): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name)
    return ts.isIdentifier(fn.name) || ts.isStringLiteralLike(fn.name) ? fn.name.text : undefined;
  const parent = fn.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (
    ts.isPropertyAssignment(parent) &&
    (ts.isIdentifier(parent.name) || ts.isStringLiteralLike(parent.name))
  )
    return parent.name.text;
  return chaiPluginName(fn);
}

/** Jest's naming of matchers: `toBeForbidden`, `toHaveStatus`. */
export function isMatcherName(name: string): boolean {
  return /^to[A-Z]/.test(name);
}

/**
 * Whether `fn` is a custom matcher: a member of an object the file hands to `expect.extend`, or a function named as
 * a matcher (`toBeForbidden`) that returns a matcher result (one registered from another file:
 * `expect.extend(matchers)` with `import * as matchers from './matchers'`).
 */
export function isMatcherFunction(fn: FunctionLike): boolean {
  const holder = ts.isMethodDeclaration(fn)
    ? fn.parent
    : ts.isPropertyAssignment(fn.parent)
      ? fn.parent.parent
      : undefined;
  if (holder && ts.isObjectLiteralExpression(holder) && extendedObjects(fn.getSourceFile()).includes(holder))
    return true;
  if (chaiPluginName(fn) !== undefined) return true;
  const name = functionName(fn);
  return name !== undefined && isMatcherName(name) && returnsMatcherResult(fn);
}

/** The matcher function around `node` (its nearest function that is one, through callbacks inside it). */
export function enclosingMatcher(node: ts.Node): FunctionLike | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent)
    if (isFunctionLike(current) && isMatcherFunction(current)) return current;
  return undefined;
}

/**
 * A use of a matcher on an `expect` chain: `expect(res).toX(403)`, `.not.toX()`, `await expect(p).resolves.toX()`;
 * a chai chain's `expect(res).to.be.forbidden()`, `res.should.be.forbidden()`, or `.to.be.refused` (a property a
 * plugin adds).
 */
export interface MatcherCall {
  /** The call, or the property access of a chai property. */
  call: ts.CallExpression | ts.PropertyAccessExpression;
  name: string;
  args: readonly ts.Expression[];
  /** The value handed to `expect` (or before `.should`). */
  subject: ts.Expression | undefined;
  /** Whether the chain holds `.not`. */
  negated: boolean;
  /** A chai chain (`expect(x).to.be…`, `x.should…`): only a plugin of the project's makes it a custom matcher. */
  chai: boolean;
}

/**
 * The matchers Jest's and Vitest's `expect` have of their own (jestjs.io/docs/expect, vitest.dev/api/expect): never
 * a custom matcher, whatever a suite registers; the analysis reads those it knows (frameworks/tests.ts).
 */
export const BUILTIN_MATCHERS = new Set([
  'toBe',
  'toEqual',
  'toStrictEqual',
  'toMatchObject',
  'toContain',
  'toContainEqual',
  'toHaveLength',
  'toHaveProperty',
  'toBeCloseTo',
  'toBeDefined',
  'toBeUndefined',
  'toBeNull',
  'toBeNaN',
  'toBeTruthy',
  'toBeFalsy',
  'toBeTypeOf',
  'toBeInstanceOf',
  'toBeGreaterThan',
  'toBeGreaterThanOrEqual',
  'toBeLessThan',
  'toBeLessThanOrEqual',
  'toBeOneOf',
  'toMatch',
  'toSatisfy',
  'toThrow',
  'toThrowError',
  'toMatchSnapshot',
  'toMatchInlineSnapshot',
  'toMatchFileSnapshot',
  'toThrowErrorMatchingSnapshot',
  'toThrowErrorMatchingInlineSnapshot',
  'toHaveBeenCalled',
  'toHaveBeenCalledTimes',
  'toHaveBeenCalledWith',
  'toHaveBeenLastCalledWith',
  'toHaveBeenNthCalledWith',
  'toHaveBeenCalledOnce',
  'toHaveBeenCalledExactlyOnceWith',
  'toHaveReturned',
  'toHaveReturnedTimes',
  'toHaveReturnedWith',
  'toHaveLastReturnedWith',
  'toHaveNthReturnedWith',
  'toHaveResolved',
  'toHaveResolvedWith',
  'toHaveLastResolvedWith',
  'toHaveNthResolvedWith',
  'toBeCalled',
  'toBeCalledTimes',
  'toBeCalledWith',
  'lastCalledWith',
  'nthCalledWith',
  'toReturn',
  'toReturnTimes',
  'toReturnWith',
  'lastReturnedWith',
  'nthReturnedWith',
  'toBeOK',
  'toPass',
  'toHaveClass',
  'toHaveText',
  'toHaveURL',
  'toHaveTitle',
]);

/** Chain links between `expect(x)` and the matcher: `.not`, `.resolves`, `.rejects`. */
const MODIFIERS = new Set(['not', 'resolves', 'rejects']);

/**
 * The words of a chai chain that are no matcher: its language chains and the flags that change how the matcher
 * compares (`deep`, `nested`, `own`, `ordered`, `any`, `all`; chai-as-promised's `eventually`).
 */
const CHAI_WORDS = new Set([
  ...CHAI_LANGUAGE_CHAINS,
  'deep',
  'nested',
  'own',
  'ordered',
  'any',
  'all',
  'eventually',
]);

/** `call` as a matcher call on an `expect(x)` or chai chain; undefined for any other call. */
export function matcherCall(call: ts.CallExpression): MatcherCall | undefined {
  return ts.isPropertyAccessExpression(call.expression) ? matcherUse(call.expression, call) : undefined;
}

/**
 * `access` (`expect(res).to.be.refused`) as the use of a chai property a plugin may add; undefined when the access is
 * called (that is a method: `matcherCall`) or is no chai chain.
 */
export function matcherProperty(access: ts.PropertyAccessExpression): MatcherCall | undefined {
  if (ts.isCallExpression(access.parent) && access.parent.expression === access) return undefined;
  if (ts.isPropertyAccessExpression(access.parent) && access.parent.expression === access) return undefined;
  const found = matcherUse(access, access);
  return found?.chai ? found : undefined;
}

function matcherUse(
  callee: ts.PropertyAccessExpression,
  use: ts.CallExpression | ts.PropertyAccessExpression,
): MatcherCall | undefined {
  let link: ts.Expression = callee.expression;
  let negated = false;
  let chai = false;
  while (ts.isPropertyAccessExpression(link)) {
    const word = link.name.text;
    if (word === 'should') {
      let subject: ts.Expression = link.expression;
      while (ts.isParenthesizedExpression(subject)) subject = subject.expression;
      const args = ts.isCallExpression(use) ? use.arguments : [];
      return { call: use, name: callee.name.text, args, subject, negated, chai: true };
    }
    if (!MODIFIERS.has(word) && !CHAI_WORDS.has(word)) return undefined;
    if (word === 'not') negated = true;
    if (CHAI_WORDS.has(word)) chai = true;
    link = link.expression;
  }
  if (!ts.isCallExpression(link) || !isExpect(link.expression)) return undefined;
  let subject = link.arguments[0];
  while (subject && (ts.isAwaitExpression(subject) || ts.isParenthesizedExpression(subject)))
    subject = subject.expression;
  const args = ts.isCallExpression(use) ? use.arguments : [];
  return { call: use, name: callee.name.text, args, subject, negated, chai };
}
