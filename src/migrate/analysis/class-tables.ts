import ts from '../../typescript.cjs';
import { constructorValueOf } from './captured.js';
import { isFixedBinding } from './fixed-bindings.js';
import { bindsName, skipOuter, staticMember } from './syntax.js';

/** Which side of a class a read reaches: the constructor's own members, or an instance's. */
type Side = 'static' | 'instance';

/** How many classes up an `extends` chain a member is looked for. */
const MAX_BASES = 4;

/**
 * The expression a member read's owner stands for when it reaches a value through a class of this file, so that
 * a status table read through the class reads as the table (session 34: koa-rest-api-boilerplate's
 * `ctx.status = this.STATUS_CODES.FORBIDDEN` was a "Dynamic status"). `owner` is the `X.name` part of
 * `X.name.KEY`; the result is what `X.name` evaluates to:
 * - a getter whose body is one `return <expression>` (`static get STATUS_CODES() { return STATUS_CODES; }`,
 *   `get codes() { return CODES; }`): that expression;
 * - a class field with an initializer (`static CODES = CODES`, `codes = { FORBIDDEN: 403 }`) that no
 *   assignment in the file writes again (`X.CODES = …`): the initializer;
 * - an instance property the constructor fills once (`this.codes = CODES`, captured.ts `constructorValueOf`).
 *
 * `X` is the class by its name (`Response.STATUS_CODES`, the static side), `this` in a static method,
 * accessor, field or static block (the static side: ECMA-262 ClassDefinitionEvaluation puts static methods and
 * accessors on the constructor, and a static method called as `Response.forbidden()` has the class as `this`),
 * `this` in an instance method, accessor or field (the instance side), a `const` holding `new C(…)`, or
 * `new C(…)` itself (the instance side). A member not declared on the class is looked for on the classes it
 * extends in this file (up to four). Through `this`, a class of this file that extends the class and declares the
 * member again makes the read unknown (`this` may be that subclass).
 *
 * Undefined when `owner` is no such read, the class is not declared in this file, or the member is a method, a
 * getter with more than a `return`, a setter-only member or a field without an initializer.
 */
export function classMemberValue(owner: ts.Expression): ts.Expression | undefined {
  const node = skipOuter(owner);
  const read = staticMember(node);
  if (!read) return undefined;
  const holder = classOf(skipOuter(read.owner));
  if (!holder) return undefined;
  const sourceFile = node.getSourceFile();
  const throughThis = skipOuter(read.owner).kind === ts.SyntaxKind.ThisKeyword;
  if (throughThis && redeclaredBelow(sourceFile, holder.cls, holder.side, read.name)) return undefined;
  const found = memberValue(sourceFile, holder.cls, holder.side, read.name);
  if (found !== 'none') return found;
  // `this.codes = CODES` in the constructor (no field declared).
  if (holder.side === 'instance' && throughThis && ts.isPropertyAccessExpression(node))
    return constructorValueOf(node);
  return undefined;
}

/** The class and side an owner expression stands for: see {@link classMemberValue}. */
function classOf(owner: ts.Expression): { cls: ts.ClassLikeDeclaration; side: Side } | undefined {
  if (owner.kind === ts.SyntaxKind.ThisKeyword) return thisSide(owner);
  if (ts.isNewExpression(owner)) {
    const callee = skipOuter(owner.expression);
    const cls = ts.isIdentifier(callee) ? classNamed(callee.text, owner) : undefined;
    return cls && { cls, side: 'instance' };
  }
  if (!ts.isIdentifier(owner)) return undefined;
  const cls = classNamed(owner.text, owner);
  if (cls) return { cls, side: 'static' };
  // `const http = new Http()`: an instance of a class of this file.
  const declaration = variableNamed(owner.text, owner);
  const init = declaration?.initializer && skipOuter(declaration.initializer);
  if (!declaration || !init || !ts.isNewExpression(init) || !ts.isIdentifier(declaration.name))
    return undefined;
  if (!isFixedBinding(declaration.parent, declaration.name.text)) return undefined;
  return classOf(init);
}

/** The class and side `this` is at `node`: a static member's (the class) or an instance member's. */
function thisSide(node: ts.Node): { cls: ts.ClassLikeDeclaration; side: Side } | undefined {
  for (let at = node.parent; at; at = at.parent) {
    if (ts.isArrowFunction(at)) continue;
    if (ts.isClassStaticBlockDeclaration(at) && ts.isClassLike(at.parent))
      return { cls: at.parent, side: 'static' };
    if (ts.isPropertyDeclaration(at) && ts.isClassLike(at.parent))
      return { cls: at.parent, side: isStatic(at) ? 'static' : 'instance' };
    if (ts.isConstructorDeclaration(at) && ts.isClassLike(at.parent))
      return { cls: at.parent, side: 'instance' };
    if (ts.isFunctionLike(at)) {
      const cls = at.parent;
      if ((ts.isMethodDeclaration(at) || ts.isGetAccessor(at) || ts.isSetAccessor(at)) && ts.isClassLike(cls))
        return { cls, side: isStatic(at) ? 'static' : 'instance' };
      return undefined;
    }
    if (ts.isClassLike(at) || ts.isSourceFile(at)) return undefined;
  }
  return undefined;
}

/**
 * What member `name` of `cls` (or a class it extends) is on `side`: the getter's returned expression or the
 * field's initializer; undefined when declared in another form; 'none' when no class of the chain declares it.
 */
function memberValue(
  sourceFile: ts.SourceFile,
  start: ts.ClassLikeDeclaration,
  side: Side,
  name: string,
): ts.Expression | undefined | 'none' {
  let cls: ts.ClassLikeDeclaration | undefined = start;
  for (let hops = 0; cls && hops <= MAX_BASES; hops++) {
    const members = cls.members.filter(
      (m) => memberName(m) === name && isStatic(m) === (side === 'static') && !ts.isSetAccessor(m),
    );
    if (members.length > 1) return undefined;
    const [member] = members;
    if (member) {
      if (ts.isGetAccessor(member)) {
        const statements = member.body?.statements;
        const only = statements?.length === 1 ? statements[0] : undefined;
        return only && ts.isReturnStatement(only) && only.expression ? only.expression : undefined;
      }
      if (ts.isPropertyDeclaration(member) && member.initializer)
        return writtenMembers(sourceFile).has(name) ? undefined : member.initializer;
      return undefined;
    }
    cls = baseOf(cls);
  }
  return 'none';
}

/** A class of this file that extends `cls` (directly or not) and declares `name` on `side` again. */
function redeclaredBelow(
  sourceFile: ts.SourceFile,
  cls: ts.ClassLikeDeclaration,
  side: Side,
  name: string,
): boolean {
  return classesOf(sourceFile).some(
    (other) =>
      other !== cls &&
      extendsClass(other, cls) &&
      other.members.some((m) => memberName(m) === name && isStatic(m) === (side === 'static')),
  );
}

/** Every class of a file, found once per file. */
function classesOf(sourceFile: ts.SourceFile): readonly ts.ClassLikeDeclaration[] {
  const cached = CLASSES.get(sourceFile);
  if (cached) return cached;
  const found: ts.ClassLikeDeclaration[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassLike(node)) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  CLASSES.set(sourceFile, found);
  return found;
}

/** Each file's classes (read only once made). */
const CLASSES = new WeakMap<ts.SourceFile, readonly ts.ClassLikeDeclaration[]>();

function extendsClass(node: ts.ClassLikeDeclaration, cls: ts.ClassLikeDeclaration): boolean {
  let base = baseOf(node);
  for (let hops = 0; base && hops < MAX_BASES; hops++) {
    if (base === cls) return true;
    base = baseOf(base);
  }
  return false;
}

/** The class of this file `cls` extends by name (`extends Response`), or undefined. */
function baseOf(cls: ts.ClassLikeDeclaration): ts.ClassLikeDeclaration | undefined {
  const clause = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
  const base = clause?.types[0] && skipOuter(clause.types[0].expression);
  return base && ts.isIdentifier(base) ? classNamed(base.text, cls) : undefined;
}

/** The class named `name` in a block enclosing `from` (`class X {}` or `const X = class {}`). */
function classNamed(name: string, from: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let scope: ts.Node | undefined = from.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope) && scope.parameters.some((p) => bindsName(p.name, name))) return undefined;
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
    for (const statement of scope.statements) {
      if (ts.isClassDeclaration(statement) && statement.name?.text === name) return statement;
      if (!ts.isVariableStatement(statement)) continue;
      for (const d of statement.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || d.name.text !== name) continue;
        const init = d.initializer && skipOuter(d.initializer);
        return init && ts.isClassExpression(init) && isFixedBinding(statement.declarationList, name)
          ? init
          : undefined;
      }
    }
  }
  return undefined;
}

/** The variable declaration named `name` in a block enclosing `from`. */
function variableNamed(name: string, from: ts.Node): ts.VariableDeclaration | undefined {
  for (let scope: ts.Node | undefined = from.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope) && scope.parameters.some((p) => bindsName(p.name, name))) return undefined;
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      const found = statement.declarationList.declarations.find(
        (d) => ts.isIdentifier(d.name) && d.name.text === name,
      );
      if (found) return found;
    }
  }
  return undefined;
}

function memberName(member: ts.ClassElement): string | undefined {
  const name = member.name;
  return name && (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name))
    ? name.text
    : undefined;
}

function isStatic(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.StaticKeyword)
  );
}

/**
 * Member names some assignment of the file writes (`X.CODES = …`, `this.codes ??= …`, `X['CODES'] = …`,
 * `delete X.CODES`), found once per file: a field so written may not hold its initializer when read.
 */
function writtenMembers(sourceFile: ts.SourceFile): ReadonlySet<string> {
  const cached = WRITTEN.get(sourceFile);
  if (cached) return cached;
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    const target =
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      node.operatorToken.kind <= ts.SyntaxKind.LastAssignment
        ? node.left
        : ts.isDeleteExpression(node)
          ? node.expression
          : undefined;
    const member = target && staticMember(skipOuter(target));
    if (member) names.add(member.name);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  WRITTEN.set(sourceFile, names);
  return names;
}

/** Each file's written member names (read only once made). */
const WRITTEN = new WeakMap<ts.SourceFile, ReadonlySet<string>>();
