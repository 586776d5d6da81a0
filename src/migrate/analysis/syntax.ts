import ts from '../../typescript.cjs';
import type { Edit } from '../types.js';

/**
 * Pure syntax helpers of the analysis: no file state, no imports, no framework knowledge. Offsets are
 * UTF-16 code units into the file text, as everywhere in the codemod.
 */

/** A parenthesis, `as`, `satisfies`, `!` or `<T>` cast: what skipOuter and outerParent walk through. */
export function isOuter(
  node: ts.Node,
): node is
  | ts.ParenthesizedExpression
  | ts.AsExpression
  | ts.NonNullExpression
  | ts.SatisfiesExpression
  | ts.TypeAssertion {
  return (
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isNonNullExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isTypeAssertionExpression(node)
  );
}

/** Strips parentheses, `as`, `satisfies`, `!` and `<T>` casts only (what the type checker sees through). */
export function skipCasts(expression: ts.Expression): ts.Expression {
  let node = expression;
  while (isOuter(node)) node = node.expression;
  return node;
}

/** Global conversions that give back a number they are handed: `Number(x)`, `parseInt(x, 10)`, `parseFloat(x)`. */
const SAME_NUMBER_CALLS = new Set(['Number', 'parseInt', 'parseFloat']);

/**
 * The operand of an expression that evaluates to the same status as its operand, or undefined:
 * - a parenthesis or cast (`isOuter`): `(x)`, `x as number`, `<number>x`, `x!`, `x satisfies number`;
 * - `x.valueOf()` (ECMA-262 §21.1.3.7 / §22.1.3.33: a number or string gives itself back);
 * - unary `+x` (§13.5.4, ToNumber);
 * - `Number(x)`, `parseInt(x)`, `parseInt(x, 10)`, `parseFloat(x)` and their `Number.` forms (§21.1.1.1,
 *   §19.2.5, §19.2.4): a number gives itself back;
 * - `Math.trunc(x)`, `Math.floor(x)`, `Math.ceil(x)`, `Math.round(x)`, `Math.abs(x)` and `~~x` (§21.3.2,
 *   §13.5.6): an integer status gives itself back (session 39).
 *
 * A conversion of a string literal (`Number('403')`, `parseInt('403', 10)`, `+'403'`) turns a string into a
 * number: with `strings` false it is not looked through (a reader that tells a body string from a status
 * number, `res.send('403')` against `res.send(403)`, must see the number; constant folding reads it, fold.ts),
 * with `strings` true it is (a walk upwards from the `'403'` to the comparison or slot it sits in), and so is
 * `String(x)` (`Number(String(StatusCodes.FORBIDDEN))` in a comparison). A string in
 * another spelling (`parseInt('0x193')`) is never looked through: only folding reads its radix.
 *
 * A status value wrapped so (`StatusCodes.FORBIDDEN.valueOf()`, `Number(DENIED)`, `+403`) is read as the value
 * inside; a rewrite edits that value and keeps the wrapper (`StatusCodes.UNAUTHORIZED.valueOf()`). A project
 * function of one of these names (a local `Number`) is not told apart here: this is syntax only.
 */
export function sameValueOperand(node: ts.Node, strings = false): ts.Expression | undefined {
  if (isOuter(node)) return node.expression;
  if (ts.isPrefixUnaryExpression(node)) {
    if (node.operator === ts.SyntaxKind.PlusToken) return converted(node.operand, strings);
    // `~~x` (§13.5.6 twice: ToInt32, which keeps an integer status).
    const inner = node.operand;
    return node.operator === ts.SyntaxKind.TildeToken &&
      ts.isPrefixUnaryExpression(inner) &&
      inner.operator === ts.SyntaxKind.TildeToken
      ? converted(inner.operand, strings)
      : undefined;
  }
  if (!ts.isCallExpression(node) || node.questionDotToken) return undefined;
  const callee = node.expression;
  // `Math.trunc(x)`, `Math.floor(x)`, `Math.ceil(x)`, `Math.round(x)`, `Math.abs(x)` (§21.3.2): an integer status
  // gives itself back.
  if (
    ts.isPropertyAccessExpression(callee) &&
    isName(callee.expression, 'Math') &&
    MATH_ROUNDINGS.has(callee.name.text) &&
    node.arguments.length === 1 &&
    !ts.isSpreadElement(node.arguments[0])
  )
    return converted(node.arguments[0], strings);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'valueOf' && !callee.questionDotToken)
    return node.arguments.length === 0 ? callee.expression : undefined;
  const name = ts.isIdentifier(callee)
    ? callee.text
    : ts.isPropertyAccessExpression(callee) && isName(callee.expression, 'Number')
      ? callee.name.text
      : undefined;
  // `String(403)`: the string '403', as a walk upwards reads it (never a reader of the value: a body string).
  if (strings && name === 'String' && ts.isIdentifier(callee) && node.arguments.length === 1)
    return ts.isSpreadElement(node.arguments[0]) ? undefined : node.arguments[0];
  if (!name || !SAME_NUMBER_CALLS.has(name)) return undefined;
  // `Number.parseInt(x)` is a conversion; `Number.Number` is no global.
  if (name === 'Number' && !ts.isIdentifier(callee)) return undefined;
  const [operand, radix, ...rest] = node.arguments;
  if (!operand || rest.length || ts.isSpreadElement(operand)) return undefined;
  if (radix && (name !== 'parseInt' || !isDecimalRadix(radix))) return undefined;
  return converted(operand, strings);
}

/**
 * The `Math` functions of one number that give a positive integer back (ECMA-262 §21.3.2): `Math.trunc(403)`,
 * `Math.abs(403)` are 403. Read through here (a wrapper kept around the status) and folded by fold.ts.
 */
export const MATH_ROUNDINGS: ReadonlySet<string> = new Set(['trunc', 'floor', 'ceil', 'round', 'abs']);

/**
 * A conversion's operand, when the conversion keeps its status (see {@link sameValueOperand}). A bigint
 * (`Number(403n)`) is never looked through: a bare `403n` is no status, so only folding reads it (fold.ts).
 */
function converted(operand: ts.Expression, strings: boolean): ts.Expression | undefined {
  const inner = skipCasts(operand);
  if (ts.isBigIntLiteral(inner)) return undefined;
  if (ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner))
    return strings && /^\d+$/.test(inner.text) ? operand : undefined;
  return operand;
}

/** A `parseInt` radix that reads decimal: the literal `10`. */
function isDecimalRadix(radix: ts.Expression): boolean {
  const node = skipCasts(radix);
  return ts.isNumericLiteral(node) && Number(node.text) === 10;
}

/**
 * Strips every wrapper that keeps a status's value ({@link sameValueOperand}): parentheses and casts, and also
 * `.valueOf()`, unary `+`, `Number(…)`, `parseInt(…, 10)`. What every reader of a status slot, comparison or
 * assertion sees through, so `res.status(Number(StatusCodes.FORBIDDEN))` reads as `StatusCodes.FORBIDDEN`.
 * Constant folding uses {@link skipCasts}, since `Number('400') + 3` is not `'400' + 3`.
 */
export function skipOuter(expression: ts.Expression): ts.Expression {
  let node = expression;
  for (let inner = sameValueOperand(node); inner; inner = sameValueOperand(node)) node = inner;
  return node;
}

/**
 * The wrapper directly around `node` that keeps its status ({@link sameValueOperand}, string conversions
 * included: `parseInt('403', 10)` around the `'403'`), or undefined: the parent for a parenthesis, cast, `+x`
 * or `Number(x)`; the call for `x.valueOf()`.
 */
export function wrapperAround(node: ts.Node): ts.Expression | undefined {
  const parent = node.parent;
  if (!parent) return undefined;
  if (sameValueOperand(parent, true) === node) return parent as ts.Expression;
  // `~~403`: the value is kept by the two operators together.
  if (parent.parent && sameValueOperand(parent.parent, true) === node) return parent.parent as ts.Expression;
  const call = parent.parent;
  if (
    ts.isPropertyAccessExpression(parent) &&
    parent.expression === node &&
    call &&
    sameValueOperand(call, true) === node
  )
    return call as ts.Expression;
  return undefined;
}

/** `node` with every value-keeping wrapper around it ({@link wrapperAround}): `Number((403))` for the `403`. */
export function outermost(node: ts.Node): ts.Node {
  let current = node;
  for (let up = wrapperAround(current); up; up = wrapperAround(current)) current = up;
  return current;
}

/**
 * skipOuter's walk, upwards: the first ancestor of `node` that is not a wrapper keeping its value
 * ({@link wrapperAround}), and with `signs` not a prefix operator either (`-403`). The parent itself when
 * nothing wraps `node`.
 */
export function outerParent(node: ts.Node, signs = false): ts.Node {
  let current = node;
  for (;;) {
    const up = wrapperAround(current);
    if (up) current = up;
    else if (signs && current.parent && ts.isPrefixUnaryExpression(current.parent)) current = current.parent;
    else return current.parent;
  }
}

/**
 * The package an expression loads in place (a plugin passed without a name): `require('m')`, `import('m')`,
 * `await import('m')`, each also with `.default` and in parentheses. Undefined for anything else (an imported
 * name is the caller's to look up).
 */
export function loadedModule(expression: ts.Expression): string | undefined {
  let node = skipOuter(expression);
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'default') node = skipOuter(node.expression);
  if (ts.isAwaitExpression(node)) node = skipOuter(node.expression);
  if (!ts.isCallExpression(node) || node.arguments.length !== 1) return undefined;
  const [argument] = node.arguments;
  const loads =
    node.expression.kind === ts.SyntaxKind.ImportKeyword ||
    (ts.isIdentifier(node.expression) && node.expression.text === 'require');
  return loads && ts.isStringLiteralLike(argument) ? argument.text : undefined;
}

/**
 * The object literal an initializer holds, through wrappers and `Object.freeze(...)` / `Object.seal(...)`
 * (`const HTTP_STATUS = Object.freeze({ FORBIDDEN: 403 })`): undefined for anything else.
 */
export function objectLiteralOf(expression: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const node = skipOuter(expression);
  if (ts.isObjectLiteralExpression(node)) return node;
  if (isObjectFreeze(node)) return objectLiteralOf(node.arguments[0]);
  return undefined;
}

/** `Object.freeze(x)` or `Object.seal(x)` with one argument: the value is `x`, made read-only. */
export function isObjectFreeze(node: ts.Node): node is ts.CallExpression {
  return (
    ts.isCallExpression(node) &&
    node.arguments.length === 1 &&
    ts.isPropertyAccessExpression(node.expression) &&
    ts.isIdentifier(node.expression.expression) &&
    node.expression.expression.text === 'Object' &&
    (node.expression.name.text === 'freeze' || node.expression.name.text === 'seal')
  );
}

/**
 * A member read with a name known from the text: `X.NAME`, or `X['NAME']` / `` X[`NAME`] `` (element access
 * with a string literal). `nameNode` is the token that spells the name (the identifier or the string literal).
 */
export interface StaticMember {
  owner: ts.Expression;
  name: string;
  nameNode: ts.MemberName | ts.StringLiteral | ts.NoSubstitutionTemplateLiteral;
}

/** The static member a property or element access reads, or undefined for a computed key (`X[key]`). */
export function staticMember(node: ts.Node): StaticMember | undefined {
  if (ts.isPropertyAccessExpression(node))
    return { owner: node.expression, name: node.name.text, nameNode: node.name };
  if (ts.isElementAccessExpression(node)) {
    const key = skipOuter(node.argumentExpression);
    if (ts.isStringLiteral(key) || ts.isNoSubstitutionTemplateLiteral(key))
      return { owner: node.expression, name: key.text, nameNode: key };
  }
  return undefined;
}

/**
 * A function called through a forwarder: `f.call(self, a, b)`, `f.apply(self, [a, b])`, `f.bind(self)(a, b)`
 * (bound arguments first: `f.bind(self, a)(b)`) and `Reflect.apply(f, self, [a, b])` (ECMA-262 §20.2.3.3,
 * §20.2.3.1, §20.2.3.2, §28.1.1): each calls `f` with `this` set to `self` and these arguments. `via` names the
 * forwarder for a message (`call`, `apply`, `bind`, `Reflect.apply`). Undefined for any other call, and for an
 * argument list that is not written out (`f.apply(self, args)`, a spread): which argument lands where is then not
 * in the text.
 */
export interface ForwardedCall {
  fn: ts.Expression;
  self: ts.Expression | undefined;
  args: readonly ts.Expression[];
  via: 'call' | 'apply' | 'bind' | 'Reflect.apply';
}

/** The forwarded call `node` makes ({@link ForwardedCall}), or undefined. */
export function forwardedCall(node: ts.Node): ForwardedCall | undefined {
  if (!ts.isCallExpression(node) || node.questionDotToken) return undefined;
  const callee = skipCasts(node.expression);
  const written = (list: readonly ts.Expression[]): readonly ts.Expression[] | undefined =>
    list.some((a) => ts.isSpreadElement(a) || ts.isOmittedExpression(a)) ? undefined : list;
  const listed = (array: ts.Expression | undefined): readonly ts.Expression[] | undefined => {
    const inner = array && skipCasts(array);
    return inner && ts.isArrayLiteralExpression(inner) ? written(inner.elements) : undefined;
  };
  const member = staticMember(callee);
  if (member && isName(member.owner, 'Reflect') && member.name === 'apply') {
    const [fn, self, array, ...rest] = node.arguments;
    const args = rest.length ? undefined : listed(array);
    return fn && args ? { fn, self, args, via: 'Reflect.apply' } : undefined;
  }
  if (member?.name === 'call' || member?.name === 'apply') {
    const [self, ...rest] = node.arguments;
    if (self && ts.isSpreadElement(self)) return undefined;
    const args =
      member.name === 'call'
        ? written(rest)
        : rest.length > 1
          ? undefined
          : rest.length
            ? listed(rest[0])
            : [];
    return args ? { fn: member.owner, self, args, via: member.name } : undefined;
  }
  // `f.bind(self, a)(b)`: the bound function called at once.
  const bound = ts.isCallExpression(callee) ? staticMember(skipCasts(callee.expression)) : undefined;
  if (bound?.name === 'bind' && ts.isCallExpression(callee)) {
    const [self, ...first] = callee.arguments;
    const args = written([...first, ...node.arguments]);
    return self && !ts.isSpreadElement(self) && args
      ? { fn: bound.owner, self, args, via: 'bind' }
      : undefined;
  }
  return undefined;
}

/**
 * The arguments the called function receives: a forwarded call's own list (`403` of `res.status.call(res, 403)`,
 * {@link forwardedCall}), else the call's arguments.
 */
export function callArguments(call: ts.CallExpression): readonly ts.Expression[] {
  return forwardedCall(call)?.args ?? call.arguments;
}

/** The function a call runs: `res.status` of `res.status.call(res, 403)` ({@link forwardedCall}), else its callee. */
export function calledFunction(call: ts.CallExpression): ts.Expression {
  return forwardedCall(call)?.fn ?? call.expression;
}

/** Numeric value of a literal, by value not text: `0x193`, `403.0` and `4_03` are all 403. */
export function numericValue(node: ts.NumericLiteral): number {
  return Number(node.text.replace(/_/g, ''));
}

/** The number a literal spells (`403`, `0x193`, `'403'`); undefined for anything else. */
export function literalNumber(expression: ts.Expression): number | undefined {
  const node = skipOuter(expression);
  if (ts.isNumericLiteral(node)) return numericValue(node);
  if (ts.isStringLiteral(node) && /^\d{3}$/.test(node.text)) return Number(node.text);
  return undefined;
}

/**
 * The edit that replaces a node's text; a shorthand property's name (`{ status }`) keeps its key:
 * `{ status: 401 }`, and a number put where a member is read from (`DENIED.valueOf()`) gets parentheses:
 * `(401).valueOf()`.
 */
export function replaceNode(sourceFile: ts.SourceFile, node: ts.Node, text: string): Edit {
  const shorthand =
    ts.isIdentifier(node) && ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node;
  // `DENIED.valueOf()` -> `(401).valueOf()`: a number literal read as an object needs its parentheses.
  const receiver =
    ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node && /^\d/.test(text);
  return {
    start: node.getStart(sourceFile),
    end: node.getEnd(),
    text: shorthand ? `${node.text}: ${text}` : receiver ? `(${text})` : text,
  };
}

/** `phrase` written in the letter case of `model`: `forbidden` -> `unauthorized`, `FORBIDDEN` -> `UNAUTHORIZED`. */
export function sameCase(model: string, phrase: string): string {
  if (model === model.toLowerCase()) return phrase.toLowerCase();
  if (model === model.toUpperCase()) return phrase.toUpperCase().replace(/ /g, '_');
  return phrase;
}

/**
 * A key and its value in an object literal: `status: 403`, `'status': 403`, and the shorthand `{ status }`
 * (whose value is the identifier itself).
 */
export function propertySlot(
  property: ts.ObjectLiteralElementLike,
): { key: string; value: ts.Expression; node: ts.ObjectLiteralElementLike } | undefined {
  if (
    ts.isPropertyAssignment(property) &&
    (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
  )
    return { key: property.name.text, value: property.initializer, node: property };
  if (ts.isShorthandPropertyAssignment(property))
    return { key: property.name.text, value: property.name, node: property };
  return undefined;
}

/** The value of key `name` in an object literal (`name: x`, `'name': x`, or the shorthand `name`), if written. */
export function propertyValue(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of object.properties) {
    const slot = propertySlot(p);
    if (slot?.key === name) return slot.value;
  }
  return undefined;
}

/** The names a binding (`x`, `{ a, b: [c] }`) declares, in the order written. */
export function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : boundNames(e.name)));
}

/** Whether a binding (`x`, `{ a, b: [c] }`) declares `wanted`. */
export function bindsName(name: ts.BindingName, wanted: string): boolean {
  if (ts.isIdentifier(name)) return name.text === wanted;
  return name.elements.some((e) => !ts.isOmittedExpression(e) && bindsName(e.name, wanted));
}

/** Whether the expression is the identifier `name`. */
export function isName(expression: ts.Expression, name: string): boolean {
  return ts.isIdentifier(expression) && expression.text === name;
}

/**
 * The leftmost identifier of an expression (`res` in `res.status(403).end()`, `ctx` in `ctx.body = x`), or
 * `this` (`this.status = 403; this.body = …` in a method installed on Koa's context).
 */
export function rootIdentifier(expression: ts.Node): string | undefined {
  let node: ts.Node = expression;
  for (;;) {
    if (ts.isIdentifier(node)) return node.text;
    if (node.kind === ts.SyntaxKind.ThisKeyword) return 'this';
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken)
      node = node.left;
    else if (
      ts.isCallExpression(node) ||
      ts.isPropertyAccessExpression(node) ||
      ts.isElementAccessExpression(node) ||
      ts.isParenthesizedExpression(node) ||
      ts.isAsExpression(node) ||
      ts.isNonNullExpression(node) ||
      ts.isAwaitExpression(node)
    )
      node = node.expression;
    else return undefined;
  }
}

/** A function or class: companions and mocks never look across one. */
export function isFunctionBoundary(node: ts.Node): boolean {
  return ts.isFunctionLike(node) || ts.isClassLike(node);
}

/** The whole expression a form belongs to: up through chains, arguments and object literals, to the statement. */
export function expressionRoot(node: ts.Node): ts.Node {
  let current = node;
  for (;;) {
    const parent = current.parent;
    if (
      parent &&
      (ts.isCallExpression(parent) ||
        ts.isNewExpression(parent) ||
        ts.isPropertyAccessExpression(parent) ||
        ts.isElementAccessExpression(parent) ||
        ts.isObjectLiteralExpression(parent) ||
        ts.isPropertyAssignment(parent) ||
        ts.isArrayLiteralExpression(parent) ||
        ts.isParenthesizedExpression(parent) ||
        ts.isAsExpression(parent) ||
        ts.isAwaitExpression(parent) ||
        ts.isSatisfiesExpression(parent) ||
        ts.isTemplateSpan(parent) ||
        ts.isTemplateExpression(parent))
    ) {
      current = parent;
      continue;
    }
    return current;
  }
}

/** What `\s` folds and `trim` drops: the same white space and line terminators. */
const BLANK = /\s/;

/**
 * One line of at most 80 characters: whitespace runs folded, a longer text cut with `...`. Reads only the text's
 * first 81 non-blank characters and the blanks between them, so quoting a node a megabyte long (a data array
 * around a 403) costs no more than quoting a short one.
 */
export function shorten(text: string): string {
  let flat = '';
  let blank = false;
  for (let at = 0; at < text.length && flat.length <= 80; at++) {
    const character = text[at];
    if (BLANK.test(character)) blank = flat.length > 0;
    else {
      flat += blank ? ` ${character}` : character;
      blank = false;
    }
  }
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}

/**
 * Whether `callee` starts an assertion chain: `expect`, a namespaced one (`Code.expect` of @hapi/code,
 * `chai.expect`), or vitest's and Playwright's `expect.soft`.
 */
export function isExpect(callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) return callee.text === 'expect';
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return false;
  return (
    callee.name.text === 'expect' || (callee.expression.text === 'expect' && callee.name.text === 'soft')
  );
}

/**
 * The arguments of `Object.assign({}, a, b)` (a fresh object first, frozen or not): the object it makes has each
 * one's keys in turn. Undefined for any other expression (`Object.assign(target, …)` changes `target`, and a spread
 * argument hides which objects it takes).
 */
export function objectAssignSources(node: ts.Expression): ts.Expression[] | undefined {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
  const callee = node.expression;
  if (
    !ts.isIdentifier(callee.expression) ||
    callee.expression.text !== 'Object' ||
    callee.name.text !== 'assign'
  )
    return undefined;
  const [first] = node.arguments;
  if (!first || !objectLiteralOf(first) || node.arguments.some((a) => ts.isSpreadElement(a)))
    return undefined;
  return [...node.arguments];
}

/**
 * The position a call's argument takes for the parameter at `index` of `fn`: TypeScript's `this` parameter
 * (`function (this: Context, code: number)`) is a type annotation only and takes no argument, so the parameters
 * after it are one argument earlier. `index` itself when there is no such parameter.
 */
export function argumentIndex(
  fn: { parameters: ts.NodeArray<ts.ParameterDeclaration> },
  index: number,
): number {
  const first = fn.parameters[0]?.name;
  return first && ts.isIdentifier(first) && first.text === 'this' ? index - 1 : index;
}

/**
 * The class an instance held by a class is written with: for `this.x` in `cls`, the field `x` as a constructor
 * parameter property or a property declaration, by its `new X(…)` initializer or its type (`private jwt:
 * JwtAuthGuard`, `private readonly events: EventsService`); for `new X(…)` written in place, `X`. The name is the
 * one written (resolve it in the class's file); undefined for any other receiver, a generic or qualified type.
 */
export function heldClass(receiver: ts.Expression, cls: ts.ClassLikeDeclaration): ts.Expression | undefined {
  const node = skipOuter(receiver);
  if (ts.isNewExpression(node)) return node.expression;
  if (!ts.isPropertyAccessExpression(node) || node.expression.kind !== ts.SyntaxKind.ThisKeyword)
    return undefined;
  const name = node.name.text;
  const typeName = (type: ts.TypeNode | undefined): ts.Identifier | undefined =>
    type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && !type.typeArguments
      ? type.typeName
      : undefined;
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && member.name.text === name) {
      const value = member.initializer && skipOuter(member.initializer);
      return value && ts.isNewExpression(value) ? value.expression : typeName(member.type);
    }
    if (ts.isConstructorDeclaration(member))
      for (const parameter of member.parameters)
        if (
          ts.isParameterPropertyDeclaration(parameter, member) &&
          ts.isIdentifier(parameter.name) &&
          parameter.name.text === name
        )
          return typeName(parameter.type);
  }
  return undefined;
}
