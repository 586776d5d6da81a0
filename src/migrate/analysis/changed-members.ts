import ts from '../../typescript.cjs';
import { isObjectFreeze, skipOuter, staticMember } from './syntax.js';

/**
 * Calls that only read the object handed to them: `Object.keys(t)`, `JSON.stringify(t)`, `console.log(t)`.
 * Any other call may change it (a function given a state object fills it in).
 */
const READERS: Readonly<Record<string, readonly string[]>> = {
  Object: ['keys', 'values', 'entries', 'freeze', 'seal', 'isFrozen', 'isSealed', 'getOwnPropertyNames'],
  JSON: ['stringify'],
  console: ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table'],
  Array: ['isArray', 'from'],
};

/** `Object.assign(t, …)`, `Object.defineProperty(t, …)`: the first argument is changed. */
const WRITERS = new Set(['assign', 'defineProperty', 'defineProperties', 'setPrototypeOf']);

/**
 * Whether the member `member` of the object a local `const` / `let` declares with an object literal may hold
 * another value than the literal's when it is read (session 35, YMFE/yapi server/middleware/mockServer.js:
 * `let context = { httpCode: 200, … }`, then `handleMockScript(script, context)` sets `context.httpCode` from the
 * user's mock script, then `ctx.status = context.httpCode`; the read was taken as the constant 200, so a mocked
 * 403 was silent). It may when, anywhere in the declaration's scope (by name; a shadowing inner name counts too,
 * which only makes a read unknown): the member is assigned, updated or deleted (`t.m = x`, `t['m'] += 1`,
 * `t[k] = x` with a computed key, `delete t.m`); the name is assigned again; the object is handed to a call that
 * is no known reader (see `READERS`) or written into by `Object.assign(t, …)`; or it is stored, aliased or
 * captured elsewhere (`this.state = t`, `const u = t`, `[t]`, `{ t }`). Reads (`t.m`, `{ ...t }`, `typeof t`,
 * comparisons, `return t`, exports, a class field holding it: `static CODES = t`, `this.codes = t` in the
 * constructor) change nothing. A frozen object (`Object.freeze({ … })`) or one typed
 * `as const` never changes.
 */
export function memberMayChange(declaration: ts.VariableDeclaration, member: string): boolean {
  const init = declaration.initializer;
  if (!init || !ts.isIdentifier(declaration.name)) return false;
  if (isReadonlyLiteral(init)) return false;
  const name = declaration.name.text;
  const scope = scopeOf(declaration);
  let changed = false;
  const visit = (node: ts.Node): void => {
    if (changed) return;
    if (ts.isIdentifier(node) && node.text === name && node !== declaration.name && isReference(node)) {
      if (changes(node, member)) changed = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return changed;
}

/** `Object.freeze({ … })`, `{ … } as const`. */
function isReadonlyLiteral(init: ts.Expression): boolean {
  for (let node: ts.Expression = init; ;) {
    if (isObjectFreeze(node)) return true;
    if (ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) {
      if (ts.isTypeReferenceNode(node.type) && node.type.typeName.getText() === 'const') return true;
      node = node.expression;
    } else if (ts.isParenthesizedExpression(node)) node = node.expression;
    else return false;
  }
}

/** The block, module or file the declaration's statement sits in (a `for` header's: the loop). */
function scopeOf(declaration: ts.VariableDeclaration): ts.Node {
  for (let node: ts.Node = declaration.parent; node.parent; node = node.parent) {
    if (
      ts.isBlock(node) ||
      ts.isSourceFile(node) ||
      ts.isModuleBlock(node) ||
      ts.isIterationStatement(node, false)
    )
      return node;
  }
  return declaration.getSourceFile();
}

/** An identifier in an expression position (not a property name, a key, a label or a declaration's name). */
function isReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  // The name of a member, property, accessor or any declaration (`static get T()`, `{ T: 1 }`, `x.T`); a
  // shorthand `{ T }` reads the variable.
  if (ts.isShorthandPropertyAssignment(parent)) return true;
  if ('name' in parent && parent.name === node) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name === node)
    return false;
  if (ts.isMethodDeclaration(parent) || ts.isBindingElement(parent) || ts.isParameter(parent)) return false;
  if (ts.isVariableDeclaration(parent) && parent.name === node) return false;
  if (ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent)) return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isImportClause(parent)) return false;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  if (ts.isTypeReferenceNode(parent) || ts.isQualifiedName(parent) || ts.isTypeQueryNode(parent))
    return false;
  return true;
}

/** Whether this use of the object's name may change its `member` (see `memberMayChange`). */
function changes(reference: ts.Identifier, member: string): boolean {
  // Up through parentheses and casts: `(t as Row).m = 1` writes as `t.m = 1` does.
  let node: ts.Expression = reference;
  while (
    ts.isParenthesizedExpression(node.parent) ||
    ts.isAsExpression(node.parent) ||
    ts.isNonNullExpression(node.parent) ||
    ts.isSatisfiesExpression(node.parent)
  )
    node = node.parent;
  const parent = node.parent;
  const access = staticMember(parent);
  if (
    (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) &&
    parent.expression === node
  ) {
    // `t.m` / `t['m']` / `t[k]`: a change when written, and the key is the member or computed.
    if (access && access.name !== member) return false;
    return isWritten(parent);
  }
  if (isWritten(node)) return true; // `t = other`
  if (ts.isSpreadAssignment(parent) || ts.isSpreadElement(parent)) return false;
  if (ts.isTypeOfExpression(parent) || ts.isVoidExpression(parent)) return false;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  if (ts.isReturnStatement(parent) || ts.isExportAssignment(parent) || isExported(node)) return false;
  if (ts.isBinaryExpression(parent) && parent.right === node && isExportTarget(parent.left)) return false;
  // A class of the file holding the table (`static CODES = t`, `this.codes = t` in the constructor): class-tables.ts
  // follows those fields, and names one the file assigns again.
  if (ts.isPropertyDeclaration(parent) && parent.initializer === node) return false;
  if (ts.isBinaryExpression(parent) && parent.right === node && isConstructorField(parent.left)) return false;
  if (ts.isIfStatement(parent) || ts.isConditionalExpression(parent) || ts.isPrefixUnaryExpression(parent))
    return false;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression !== node)
    return !isReader(parent, node);
  return true;
}

/** `x = …`, `x += …`, `x++`, `--x`, `delete x`, `[x] = …` / `({ a: x } = …)` targets. */
function isWritten(node: ts.Expression): boolean {
  const parent = node.parent;
  if (ts.isBinaryExpression(parent) && parent.left === node)
    return (
      parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    );
  if (ts.isPostfixUnaryExpression(parent)) return true;
  if (ts.isPrefixUnaryExpression(parent))
    return (
      parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken
    );
  if (ts.isDeleteExpression(parent)) return true;
  if (
    ts.isArrayLiteralExpression(parent) ||
    ts.isPropertyAssignment(parent) ||
    ts.isShorthandPropertyAssignment(parent)
  )
    return isDestructuringTarget(parent);
  return false;
}

/** Whether an array or object literal is the left side of a destructuring assignment. */
function isDestructuringTarget(node: ts.Node): boolean {
  for (let current: ts.Node = node; current.parent; current = current.parent) {
    const parent = current.parent;
    if (ts.isBinaryExpression(parent))
      return parent.left === current && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
    if (
      !ts.isArrayLiteralExpression(parent) &&
      !ts.isObjectLiteralExpression(parent) &&
      !ts.isPropertyAssignment(parent)
    )
      return false;
  }
  return false;
}

/** `module.exports = { t }`, `export default { t: t }`: the object is exported, as `module.exports = t` is. */
function isExported(node: ts.Expression): boolean {
  const property = node.parent;
  if (!ts.isShorthandPropertyAssignment(property) && !ts.isPropertyAssignment(property)) return false;
  const object = property.parent;
  if (!ts.isObjectLiteralExpression(object)) return false;
  const holder = object.parent;
  if (ts.isExportAssignment(holder)) return true;
  return ts.isBinaryExpression(holder) && holder.right === object && isExportTarget(holder.left);
}

/** `this.x` assigned in a constructor. */
function isConstructorField(node: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(node) || node.expression.kind !== ts.SyntaxKind.ThisKeyword)
    return false;
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isConstructorDeclaration(current)) return true;
    if (ts.isFunctionLike(current)) return false;
  }
  return false;
}

/** `module.exports`, `module.exports.x`, `exports.x`. */
function isExportTarget(node: ts.Expression): boolean {
  const inner = skipOuter(node);
  if (ts.isIdentifier(inner)) return inner.text === 'exports';
  if (ts.isPropertyAccessExpression(inner)) {
    const owner = skipOuter(inner.expression);
    if (ts.isIdentifier(owner) && owner.text === 'module' && inner.name.text === 'exports') return true;
    return isExportTarget(owner);
  }
  return false;
}

/** A call that only reads the argument `node` (see `READERS`); `Object.assign(t, …)` writes its first. */
function isReader(call: ts.CallExpression | ts.NewExpression, node: ts.Expression): boolean {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return false;
  const owner = callee.expression.text;
  const method = callee.name.text;
  if (owner === 'Object' && WRITERS.has(method)) return call.arguments?.[0] !== node;
  return READERS[owner]?.includes(method) ?? false;
}
