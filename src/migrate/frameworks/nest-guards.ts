import ts from '../../typescript.cjs';
import { shorten, skipOuter, type ImportLink } from '../analysis.js';
import { heldClass } from '../analysis/syntax.js';
import { FileImports } from '../analysis/file-imports.js';
import type { ImportBinding } from '../imports.js';
import { classNamed } from './shared.js';

/**
 * Whether a NestJS guard can make Nest answer 403. Nest's guards consumer throws `ForbiddenException` (403)
 * when a guard's `canActivate` resolves to a falsy value (`false`, `undefined`, a promise or observable of
 * one); a guard that only returns `true` or throws another exception never does. Source: NestJS docs,
 * "Guards" (https://docs.nestjs.com/guards: "if it returns false, Nest will deny the request") and
 * @nestjs/core guards-consumer / router-execution-context (`if (!canActivate) throw new ForbiddenException`).
 * A 403 a guard throws itself (`throw new ForbiddenException()`) is an ordinary site of its file.
 */

/** The imports of the file a guard is read in: the analysed file itself, or a file a link led to. */
export interface GuardImports {
  importOf(name: string): ImportBinding | undefined;
  resolvesTo(expression: ts.Expression, modules: readonly string[], name: string): boolean;
}

/** Where guard code is read: a parsed file, its imports, and its link to other files (none: imports are opaque). */
export interface GuardScope {
  sourceFile: ts.SourceFile;
  imports: GuardImports;
  link?: ImportLink;
}

/** The class and `canActivate` (or hook) whose return can be falsy, and the return that can be. */
export interface Denial {
  kind: 'denies';
  /** The guard class's name (`RolesGuard`; a mixin's inner class name). */
  className: string;
  /** The name node of the member that can return a falsy value: where the guard is reported. */
  member: ts.Node;
  /** The return (or the end of the body) that can be falsy. */
  at: ts.Node;
  /** What it returns, for a person: "returns false", "returns `roles.some(…)`, which may be false". */
  why: string;
  scope: GuardScope;
}

/** `allows`: never falsy (true, or throws); `denies`: can be falsy; `unknown`: code mtls-fix cannot read. */
export type GuardVerdict = { kind: 'allows'; why: string } | Denial | { kind: 'unknown'; why: string };

/**
 * Guards from packages whose `canActivate` never returns false, read from their sources:
 * @nestjs/passport `AuthGuard(type)` (lib/auth.guard.ts: returns true after `handleRequest`, which throws
 * `UnauthorizedException`, 401, when authentication fails); @nestjs/throttler `ThrottlerGuard` (returns
 * `every()` of `handleRequest` results, which are true or throw `ThrottlerException`, 429). `hook`: a method
 * a subclass may override whose falsy return becomes the guard's (ThrottlerGuard's `handleRequest`).
 */
const LIBRARY_GUARDS: readonly {
  module: string;
  name: string;
  factory: boolean;
  why: string;
  hook?: string;
}[] = [
  {
    module: '@nestjs/passport',
    name: 'AuthGuard',
    factory: true,
    why: "@nestjs/passport's AuthGuard returns true or throws UnauthorizedException (401)",
  },
  {
    module: '@nestjs/throttler',
    name: 'ThrottlerGuard',
    factory: false,
    why: "@nestjs/throttler's ThrottlerGuard returns true or throws ThrottlerException (429)",
    hook: 'handleRequest',
  },
];

/** How many classes, parents and helper methods are followed from one guard expression. */
const MAX_DEPTH = 8;

const scopes = new WeakMap<ts.SourceFile, FileImports>();

/** A scope for a file a link led to (its imports read once per tree). */
function scopeFor(sourceFile: ts.SourceFile, link: ImportLink | undefined): GuardScope {
  let imports = scopes.get(sourceFile);
  if (!imports) {
    imports = new FileImports(sourceFile);
    scopes.set(sourceFile, imports);
  }
  return { sourceFile, imports, link };
}

/**
 * The verdict for a guard as written where it is used: `RolesGuard`, `new RolesGuard(r)`, `AuthGuard('jwt')`,
 * `RoleGuard('admin')` (a project mixin factory), `guards.Roles` (a namespace import).
 */
export function guardVerdict(expression: ts.Expression, scope: GuardScope, depth = 0): GuardVerdict {
  if (depth > MAX_DEPTH) return { kind: 'unknown', why: 'the guard is reached through too many classes' };
  let node = skipOuter(expression);
  if (ts.isNewExpression(node)) node = skipOuter(node.expression);
  if (ts.isCallExpression(node)) {
    const library = libraryGuard(node.expression, scope, true);
    if (library) return { kind: 'allows', why: library.why };
    const factory = resolveFunction(node.expression, scope);
    if (!factory)
      return {
        kind: 'unknown',
        why: `the guard factory ${guardText(node.expression, scope)} cannot be read`,
      };
    const classes = classesIn(factory.fn);
    // A factory that only returns guards (`return AuthGuard(strategies)` of @nestjs/passport): their verdicts.
    const returned = classes.length ? [] : returnedGuards(factory.fn);
    if (returned.length) return combine(returned.map((r) => guardVerdict(r, factory.scope, depth + 1)));
    if (!classes.length)
      return {
        kind: 'unknown',
        why: `the guard factory ${guardText(node.expression, scope)} declares no class mtls-fix can read`,
      };
    return combine(classes.map((c) => classVerdict(c, factory.scope, depth + 1)));
  }
  const library = libraryGuard(node, scope, false);
  if (library) return { kind: 'allows', why: library.why };
  const found = resolveClass(node, scope);
  if ('why' in found) return { kind: 'unknown', why: found.why };
  return classVerdict(found.cls, found.scope, depth + 1);
}

/** The verdict for a guard class: its own `canActivate`, else the class it extends. */
export function classVerdict(cls: ts.ClassLikeDeclaration, scope: GuardScope, depth = 0): GuardVerdict {
  if (depth > MAX_DEPTH) return { kind: 'unknown', why: 'the guard is reached through too many classes' };
  const own = memberFunction(cls, 'canActivate');
  if (own) return functionVerdict(own, cls, scope, depth);
  const parent = extendsOf(cls);
  if (parent) return parentVerdict(parent, cls, scope, depth);
  return { kind: 'unknown', why: `${nameOf(cls)} has no canActivate` };
}

/** The `canActivate` (method or arrow-valued property) a class declares itself, with its name node. */
export function memberFunction(
  cls: ts.ClassLikeDeclaration,
  name: string,
): { name: ts.Node; fn: ts.FunctionLikeDeclaration } | undefined {
  for (const member of cls.members) {
    if (!member.name || !ts.isIdentifier(member.name) || member.name.text !== name) continue;
    if (ts.isMethodDeclaration(member) && member.body) return { name: member.name, fn: member };
    if (
      ts.isPropertyDeclaration(member) &&
      member.initializer &&
      (ts.isArrowFunction(member.initializer) || ts.isFunctionExpression(member.initializer))
    )
      return { name: member.name, fn: member.initializer };
  }
  return undefined;
}

function parentVerdict(
  parent: ts.Expression,
  cls: ts.ClassLikeDeclaration,
  scope: GuardScope,
  depth: number,
): GuardVerdict {
  const node = skipOuter(parent);
  const library =
    libraryGuard(node, scope, false) ??
    (ts.isCallExpression(node) ? libraryGuard(node.expression, scope, true) : undefined);
  if (library) {
    // ThrottlerGuard: an overridden handleRequest's falsy return becomes the guard's.
    const hook = library.hook ? memberFunction(cls, library.hook) : undefined;
    return hook ? functionVerdict(hook, cls, scope, depth) : { kind: 'allows', why: library.why };
  }
  return guardVerdict(node, scope, depth + 1);
}

/** Every value the function can return, each judged; falling off the end returns undefined (falsy). */
function functionVerdict(
  member: { name: ts.Node; fn: ts.FunctionLikeDeclaration },
  cls: ts.ClassLikeDeclaration,
  scope: GuardScope,
  depth: number,
  /** Where a denial is reported: the guard's own member (a helper method's returns are its canActivate's). */
  owner: ts.Node = member.name,
): GuardVerdict {
  const { fn } = member;
  const body = fn.body;
  if (!body)
    return { kind: 'unknown', why: `${nameOf(cls)}.${member.name.getText(scope.sourceFile)} has no body` };
  const denial = (at: ts.Node, why: string): Denial => ({
    kind: 'denies',
    className: nameOf(cls),
    member: owner,
    at,
    why,
    scope,
  });
  const judge = (expression: ts.Expression): GuardVerdict =>
    returnVerdict(expression, cls, scope, depth, denial, owner);
  if (!ts.isBlock(body)) return judge(body);
  const verdicts: GuardVerdict[] = [];
  for (const statement of returnsOf(body))
    verdicts.push(
      statement.expression ? judge(statement.expression) : denial(statement, 'returns undefined'),
    );
  if (!alwaysExits(body, (call) => neverReturns(call, scope)))
    verdicts.push(
      denial(body.getLastToken(scope.sourceFile) ?? body, 'can end without returning (undefined)'),
    );
  return combine(verdicts);
}

function returnVerdict(
  expression: ts.Expression,
  cls: ts.ClassLikeDeclaration,
  scope: GuardScope,
  depth: number,
  denial: (at: ts.Node, why: string) => Denial,
  owner: ts.Node,
): GuardVerdict {
  let node = skipOuter(expression);
  while (ts.isAwaitExpression(node) || ts.isParenthesizedExpression(node)) node = skipOuter(node.expression);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return { kind: 'allows', why: 'returns true' };
  if (isFalsy(node)) return denial(node, `returns ${node.getText(scope.sourceFile)}`);
  if (ts.isConditionalExpression(node))
    return combine([
      returnVerdict(node.whenTrue, cls, scope, depth, denial, owner),
      returnVerdict(node.whenFalse, cls, scope, depth, denial, owner),
    ]);
  if (ts.isCallExpression(node)) {
    const callee = skipOuter(node.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      // super.canActivate(context): what the parent class answers.
      if (callee.expression.kind === ts.SyntaxKind.SuperKeyword && callee.name.text === 'canActivate') {
        const parent = extendsOf(cls);
        return parent
          ? parentVerdict(parent, cls, scope, depth + 1)
          : { kind: 'unknown', why: `${nameOf(cls)} calls super.canActivate but extends nothing` };
      }
      // this.check(request): the returns of a method of the same class.
      if (callee.expression.kind === ts.SyntaxKind.ThisKeyword && depth < MAX_DEPTH) {
        const method = memberFunction(cls, callee.name.text);
        if (method) return functionVerdict(method, cls, scope, depth + 1, owner);
      }
      // this.jwtGuard.canActivate(context), new JwtAuthGuard().canActivate(context): what the guard it holds answers.
      if (callee.name.text === 'canActivate' && depth < MAX_DEPTH) {
        // Only a class mtls-fix can read (or a library guard): an interface type or a package class keeps the
        // return's own "may be false", reported once at this guard.
        const held = heldClass(callee.expression, cls);
        if (held && (libraryGuard(held, scope, false) || !('why' in resolveClass(held, scope))))
          return guardVerdict(held, scope, depth + 1);
      }
      // Promise.resolve(true)
      if (
        ts.isIdentifier(callee.expression) &&
        callee.expression.text === 'Promise' &&
        callee.name.text === 'resolve'
      )
        return node.arguments[0]
          ? returnVerdict(node.arguments[0], cls, scope, depth, denial, owner)
          : denial(node, 'returns Promise.resolve() (undefined)');
    }
    // rxjs of(true)
    if (
      ts.isIdentifier(callee) &&
      node.arguments.length === 1 &&
      scope.imports.resolvesTo(callee, ['rxjs'], 'of')
    )
      return returnVerdict(node.arguments[0], cls, scope, depth, denial, owner);
  }
  return denial(node, `returns \`${shorten(node.getText(scope.sourceFile))}\`, which may be false`);
}

/**
 * A call of a function declared to return `never`, or whose body only throws (`throwHTTPErr(e): never`), in
 * this file or one an import leads to.
 */
function neverReturns(call: ts.CallExpression, scope: GuardScope): boolean {
  const target = declarationOf(call.expression, scope);
  if ('why' in target) return false;
  const fn = functionNamed(target.scope.sourceFile, target.name);
  if (!fn) return false;
  if (fn.type?.kind === ts.SyntaxKind.NeverKeyword) return true;
  return Boolean(fn.body && ts.isBlock(fn.body) && !returnsOf(fn.body).length && alwaysExits(fn.body));
}

/**
 * What a guard factory that declares no class returns, when every return gives a value (`return
 * NestAuthGuard(strategies)`, an arrow's expression body): those expressions, each judged as a guard; else none.
 */
function returnedGuards(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const returns = returnsOf(fn.body);
  if (!returns.length || returns.some((r) => !r.expression)) return [];
  return returns.map((r) => r.expression!);
}

/** Return statements of a body, not those of nested functions or classes. */
function returnsOf(body: ts.Block): ts.ReturnStatement[] {
  const found: ts.ReturnStatement[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node)) found.push(node);
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    node.forEachChild(visit);
  };
  body.forEachChild(visit);
  return found;
}

/**
 * Whether control never reaches the end of the statement (it returns or throws on every path). Loops and
 * labelled jumps are read as "may fall through": a guard that ends after a loop is reported, never dropped.
 */
export function alwaysExits(
  statement: ts.Statement,
  neverReturns: (call: ts.CallExpression) => boolean = () => false,
): boolean {
  const exits = (s: ts.Statement): boolean => alwaysExits(s, neverReturns);
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  // `throwHTTPErr({ … })` where throwHTTPErr returns `never` (or only throws).
  if (ts.isExpressionStatement(statement)) {
    let expression = skipOuter(statement.expression);
    while (ts.isAwaitExpression(expression)) expression = skipOuter(expression.expression);
    return ts.isCallExpression(expression) && neverReturns(expression);
  }
  if (ts.isBlock(statement)) return statement.statements.some(exits);
  if (ts.isIfStatement(statement))
    return (
      Boolean(statement.elseStatement) && exits(statement.thenStatement) && exits(statement.elseStatement!)
    );
  if (ts.isTryStatement(statement)) {
    if (statement.finallyBlock && exits(statement.finallyBlock)) return true;
    return exits(statement.tryBlock) && (!statement.catchClause || exits(statement.catchClause.block));
  }
  if (ts.isSwitchStatement(statement)) {
    const clauses = statement.caseBlock.clauses;
    if (!clauses.some(ts.isDefaultClause)) return false;
    // Every clause ends by leaving the function (an empty clause falls into the next one).
    return clauses.every(
      (clause, i) => clause.statements.some(exits) || (!clause.statements.length && i < clauses.length - 1),
    );
  }
  return false;
}

function isFalsy(node: ts.Expression): boolean {
  if (
    node.kind === ts.SyntaxKind.FalseKeyword ||
    node.kind === ts.SyntaxKind.NullKeyword ||
    ts.isVoidExpression(node)
  )
    return true;
  if (ts.isIdentifier(node)) return node.text === 'undefined';
  if (ts.isNumericLiteral(node)) return Number(node.text) === 0;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text === '';
  return false;
}

/** Denies wins (the first one is named); then unknown; else allows. */
function combine(verdicts: readonly GuardVerdict[]): GuardVerdict {
  const denies = verdicts.find((v): v is Denial => v.kind === 'denies');
  if (denies) return denies;
  const unknown = verdicts.find((v) => v.kind === 'unknown');
  if (unknown) return unknown;
  return verdicts[0] ?? { kind: 'unknown', why: 'no return mtls-fix can read' };
}

function libraryGuard(
  expression: ts.Expression,
  scope: GuardScope,
  called: boolean,
): (typeof LIBRARY_GUARDS)[number] | undefined {
  return LIBRARY_GUARDS.find(
    (g) => g.factory === called && scope.imports.resolvesTo(skipOuter(expression), [g.module], g.name),
  );
}

/** A class named by an expression: declared in this file, or imported from a project file (through a link). */
export function resolveClass(
  expression: ts.Expression,
  scope: GuardScope,
): { cls: ts.ClassLikeDeclaration; scope: GuardScope } | { why: string } {
  const target = declarationOf(expression, scope);
  if ('why' in target) return target;
  const cls = classNamed(target.scope.sourceFile, target.name);
  return cls
    ? { cls, scope: target.scope }
    : { why: `the guard ${guardText(expression, scope)} is not a class mtls-fix can read` };
}

function resolveFunction(
  expression: ts.Expression,
  scope: GuardScope,
): { fn: ts.FunctionLikeDeclaration; scope: GuardScope } | undefined {
  const target = declarationOf(expression, scope);
  if ('why' in target) return undefined;
  const fn = functionNamed(target.scope.sourceFile, target.name);
  return fn ? { fn, scope: target.scope } : undefined;
}

/** Where a name used in `scope` is declared: this file, or the project file its import resolves to. */
function declarationOf(
  expression: ts.Expression,
  scope: GuardScope,
): { name: string; scope: GuardScope } | { why: string } {
  const node = skipOuter(expression);
  let binding: ImportBinding | undefined;
  let local: string | undefined;
  if (ts.isIdentifier(node)) {
    binding = scope.imports.importOf(node.text);
    local = node.text;
  } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
    const root = scope.imports.importOf(node.expression.text);
    // guards.RolesGuard from `import * as guards from './guards'`.
    if (root?.name === '*') binding = { ...root, name: node.name.text };
  }
  if (!binding) {
    if (local !== undefined) return { name: local, scope };
    return { why: `the guard ${guardText(expression, scope)} is an expression mtls-fix cannot read` };
  }
  const found = scope.link?.declaration?.(binding);
  if (!found)
    return {
      why: `the guard ${guardText(expression, scope)} comes from '${binding.module}', which mtls-fix cannot read`,
    };
  return { name: found.name, scope: scopeFor(found.sourceFile, found.link) };
}

/** A top-level function by name: a declaration or a `const` holding an arrow or function expression. */
function functionNamed(sourceFile: ts.SourceFile, name: string): ts.FunctionLikeDeclaration | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.body) {
      const isDefault = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      if (statement.name?.text === name || (name === 'default' && isDefault)) return statement;
    }
    if (ts.isVariableStatement(statement))
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer) {
          const value = skipOuter(declaration.initializer);
          if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
        }
  }
  return undefined;
}

/** Classes a mixin factory declares (`class RoleGuardMixin implements CanActivate {…}; return mixin(RoleGuardMixin)`). */
function classesIn(fn: ts.FunctionLikeDeclaration): ts.ClassLikeDeclaration[] {
  const found: ts.ClassLikeDeclaration[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassLike(node)) {
      found.push(node);
      return;
    }
    node.forEachChild(visit);
  };
  if (fn.body) fn.body.forEachChild(visit);
  return found;
}

/** The expression a class `extends` (`Base` of `class A extends Base`); undefined when it extends nothing. */
export function extendsOf(cls: ts.ClassLikeDeclaration): ts.Expression | undefined {
  const clause = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
  return clause?.types[0]?.expression;
}

function nameOf(cls: ts.ClassLikeDeclaration): string {
  return cls.name?.text ?? 'an anonymous guard class';
}

/** A guard as the user wrote it, with where it comes from when imported. */
export function guardText(expression: ts.Expression, scope: GuardScope): string {
  return shorten(skipOuter(expression).getText(scope.sourceFile));
}
