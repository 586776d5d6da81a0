import ts from '../../typescript.cjs';
import { enclosingFunction, type FunctionLike } from '../scope.js';
import { namesDeclaredWithin } from './block-declarations.js';
import { bindsName, skipOuter } from './syntax.js';

/**
 * Captured parameters: the status a middleware factory's inner function sends comes from the factory's
 * parameter (`function requireHeader(name, status) { return (req, res, next) => res.status(status).end() }`,
 * `(code) => (req, res) => res.sendStatus(code)`), or from a constructor parameter kept on `this` and sent by a
 * method (`class Gate { constructor(status) { this.status = status } handle(req, res) { res.status(this.status) } }`).
 * The caller that passes 403 (`requireHeader('x', 403)`, `new Gate(403)`) is then a helper call like `deny(res, 403)`.
 */

/**
 * The functions whose parameters a read of `name` at `node` may be, nearest first: the enclosing function, and
 * each outer function as long as the functions in between declare no `name` of their own (a parameter, a
 * variable, a function or a class anywhere in them).
 */
export function capturingFunctions(node: ts.Node, name: string): FunctionLike[] {
  const chain: FunctionLike[] = [];
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    chain.push(fn);
    if (declares(fn, name)) break;
  }
  return chain;
}

/** Whether a function declares `name` (a parameter, or a declaration anywhere in its body). */
function declares(fn: FunctionLike, name: string): boolean {
  if (fn.parameters.some((p) => bindsName(p.name, name))) return true;
  if ((ts.isFunctionExpression(fn) || ts.isFunctionDeclaration(fn)) && fn.name?.text === name) return true;
  // Collected once per function (block-declarations.ts): a test file's outer `describe(() => { … })` callback can
  // span thousands of lines, and walking it per question made one 14,800-line test file take tens of seconds.
  return fn.body !== undefined && namesDeclaredWithin(fn.body).has(name);
}

/**
 * `this.status` read in an instance method (or an arrow inside one, or a class-field arrow): the constructor
 * expression that fills it, when the class assigns it exactly once, in its constructor's top-level statements
 * (`this.status = status`, `this.status = opts.status`), or declares it as a parameter property
 * (`constructor(private readonly status: number)`, then the parameter's identifier). Undefined otherwise
 * (assigned elsewhere too, a static method, a function expression's own `this`).
 */
export function constructorValueOf(access: ts.PropertyAccessExpression): ts.Expression | undefined {
  if (access.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const es5 = prototypeConstructor(access);
  if (es5) return assignedOnce(es5.getSourceFile(), es5, access.name.text);
  const cls = thisClass(access);
  const ctor = cls?.members.find(
    (m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && m.body !== undefined,
  );
  if (!cls || !ctor?.body) return undefined;
  const member = access.name.text;
  const property = ctor.parameters.find(
    (p) => ts.isIdentifier(p.name) && p.name.text === member && ts.isParameterPropertyDeclaration(p, ctor),
  );
  const assignments = thisAssignments(cls, member);
  if (property) return assignments.length ? undefined : (property.name as ts.Identifier);
  const only = assignments.length === 1 ? assignments[0] : undefined;
  if (only?.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const statement = only.parent;
  if (!ts.isExpressionStatement(statement) || statement.parent !== ctor.body) return undefined;
  return only.right;
}

/** The class whose instance `this` is at a node: a method's, an accessor's or a class field's; not a static one's. */
function thisClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let at = node.parent; at; at = at.parent) {
    if (ts.isArrowFunction(at)) continue;
    if (ts.isPropertyDeclaration(at) && ts.isClassLike(at.parent))
      return isStatic(at) ? undefined : at.parent;
    if (ts.isFunctionLike(at)) {
      const parent = at.parent;
      return (ts.isMethodDeclaration(at) || ts.isGetAccessor(at) || ts.isSetAccessor(at)) &&
        ts.isClassLike(parent) &&
        !isStatic(at)
        ? parent
        : undefined;
    }
    if (ts.isClassLike(at) || ts.isSourceFile(at)) return undefined;
  }
  return undefined;
}

function isStatic(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.StaticKeyword)
  );
}

/**
 * ES5: `Gate.prototype.handle = function (req, res) { res.status(this.status) }` with `function Gate(status)`
 * declared at the top of the file: that function, the constructor.
 */
function prototypeConstructor(node: ts.Node): ts.FunctionDeclaration | undefined {
  let fn: ts.Node | undefined = node.parent;
  while (fn && (!ts.isFunctionLike(fn) || ts.isArrowFunction(fn))) fn = fn.parent;
  const holder = fn?.parent;
  if (!fn || !holder || !ts.isBinaryExpression(holder) || holder.right !== fn) return undefined;
  const owner = /^([\w$]+)\.prototype\.[\w$]+$/.exec(holder.left.getText())?.[1];
  return owner === undefined
    ? undefined
    : node
        .getSourceFile()
        .statements.find(
          (s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === owner,
        );
}

/** `this.member = value` as the only assignment of `this.member` in the file, a top-level statement of `ctor`. */
function assignedOnce(
  sourceFile: ts.SourceFile,
  ctor: ts.FunctionDeclaration,
  member: string,
): ts.Expression | undefined {
  const assignments = thisAssignments(sourceFile, member);
  const only = assignments.length === 1 ? assignments[0] : undefined;
  if (only?.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  return ts.isExpressionStatement(only.parent) && only.parent.parent === ctor.body ? only.right : undefined;
}

/** Every assignment (`=`, `+=`, `??=`...) to `this.member` under `root`, in source order. */
function thisAssignments(root: ts.Node, member: string): ts.BinaryExpression[] {
  return [...(thisAssignmentsByMember(root).get(member) ?? [])];
}

/**
 * Every assignment to a `this.<member>` under `root`, by member, in source order: one walk per class (or file),
 * as each read of `this.status` in a method asks again (trigger.dev: 8.7 s of 452 s sampled, walking the class
 * once per read).
 */
function thisAssignmentsByMember(root: ts.Node): ReadonlyMap<string, readonly ts.BinaryExpression[]> {
  let index = ASSIGNMENTS.get(root);
  if (index) return index;
  const found = new Map<string, ts.BinaryExpression[]>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      node.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    ) {
      const target = skipOuter(node.left);
      if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword) {
        const list = found.get(target.name.text);
        if (list) list.push(node);
        else found.set(target.name.text, [node]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
  ASSIGNMENTS.set(root, (index = found));
  return index;
}

/** `thisAssignmentsByMember`' answers by root node. */
const ASSIGNMENTS = new WeakMap<ts.Node, ReadonlyMap<string, readonly ts.BinaryExpression[]>>();
