import ts from '../typescript.cjs';
import {
  isFunctionNode,
  unwrap,
  type Declaration,
  type FunctionNode,
  type Project,
  type ProjectFile,
} from './routes/project.js';
import { returnedExpressions } from './routes/syntax.js';
import { requiredModule } from './test-module-loads.js';

// The class of an instance a test calls when no `new C()` or `C` annotation shows it (test-units.ts
// `classesOfExpression`), the way a suite gets its controllers from the product's own factory (boxyhq/jackson:
// `let logoutController: ILogoutController` set in `tap.before` from
// `(await (await import('../src/index')).default(options)).logoutController`):
// - a variable typed by a project interface holds one of the classes that `implements` it;
// - a member of what a project factory returns (`controller.logoutController`, `createServices().directory`,
//   `const { users } = await services()`) holds what the factory puts there (`new LogoutController(...)`),
//   the factory found through a static or a dynamic import (`(await import('../src/index')).default`);
// - a receiver whose value no code the follower reads shows is an instance of the class it is named after
//   (`oauthController` of `OAuthController`), the convention routes/reach.ts `namesakeMembers` reads too.

/** How many calls and variables a factory's returned member is followed through. */
const MAX_HOPS = 4;

/**
 * Project classes declaring `implements <name>` (by name: an interface is implemented where it is imported).
 * Walks every file of the project once (routes/project.ts `identifiersNamed`).
 */
export function implementersOf(project: Project, name: string): ts.ClassDeclaration[] {
  const out = new Set<ts.ClassDeclaration>();
  for (const { node } of project.identifiersNamed(name)) {
    const heritage = node.parent;
    const clause = heritage.parent;
    if (
      ts.isExpressionWithTypeArguments(heritage) &&
      ts.isHeritageClause(clause) &&
      clause.token === ts.SyntaxKind.ImplementsKeyword &&
      ts.isClassDeclaration(clause.parent)
    )
      out.add(clause.parent);
  }
  return [...out];
}

/** A type annotation `I` naming a project interface: the project classes that implement it (none otherwise). */
export function interfaceClasses(
  project: Project,
  file: ProjectFile,
  type: ts.TypeNode,
): ts.ClassDeclaration[] {
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return [];
  return project
    .lookup(file, type.typeName, type.typeName.text)
    .map((d) => d.node)
    .filter(ts.isInterfaceDeclaration)
    .flatMap((i) => implementersOf(project, i.name.text));
}

/**
 * The classes `object.member` holds an instance of when `object` is what a project function returns (a call,
 * or a variable initialised with one): the `member` of each object literal it returns, made with `new C()`
 * there or in a variable of its own (`const logoutController = new LogoutController(...); return {
 * logoutController }`). `read`: some returned object literal has the member (whatever its value is), so its
 * value is known and no naming convention stands in for it.
 */
export function returnedMemberClasses(
  project: Project,
  file: ProjectFile,
  object: ts.Expression,
  member: string,
  hops = 0,
): { classes: ts.ClassDeclaration[]; read: boolean } {
  if (hops > MAX_HOPS) return { classes: [], read: false };
  const out: ts.ClassDeclaration[] = [];
  let read = false;
  for (const literal of objectValues(project, file, object, hops))
    for (const property of literal.node.properties) {
      if (ts.isShorthandPropertyAssignment(property) && property.name.text === member) {
        read = true;
        for (const d of project.lookup(literal.file, property.name, member))
          out.push(...madeClasses(project, d, hops + 1));
      } else if (
        ts.isPropertyAssignment(property) &&
        (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) &&
        property.name.text === member
      ) {
        read = true;
        out.push(...valueClasses(project, literal.file, property.initializer, hops + 1));
      }
    }
  return { classes: [...new Set(out)], read };
}

/** The top-level classes of the project named as `receiver` is but for case (`Project.namesakeClasses`). */
export function namesakeClasses(project: Project, receiver: string): ts.ClassDeclaration[] {
  return project.namesakeClasses(receiver).map((c) => c.node);
}

/**
 * Whether a value leaves a receiver's class to code the follower does not read as a class: none written (a
 * variable set elsewhere), a member read (`controller.logoutController`, `t.context.service`), or a call's
 * result taken apart (`const { oauthController } = await jackson()`). Not an object literal, a `new`, a
 * function, or a call whose result is the receiver itself (`mock<UsersService>()`, `createStub()`: a test's
 * stand-in, never the class it is named after).
 */
export function leavesClassElsewhere(value: ts.Expression | undefined): boolean {
  if (!value) return true;
  const node = withoutAwait(value);
  return ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node);
}

function valueClasses(
  project: Project,
  file: ProjectFile,
  value: ts.Expression,
  hops: number,
): ts.ClassDeclaration[] {
  const node = withoutAwait(value);
  if (ts.isNewExpression(node)) return classesNamed(project, file, node.expression);
  if (ts.isIdentifier(node))
    return project.lookup(file, node, node.text).flatMap((d) => madeClasses(project, d, hops + 1));
  if (ts.isPropertyAccessExpression(node))
    return returnedMemberClasses(project, file, node.expression, node.name.text, hops + 1).classes;
  return [];
}

/** A variable initialised with `new C()` (or with another such value): `C`. */
function madeClasses(project: Project, d: Declaration, hops: number): ts.ClassDeclaration[] {
  if (hops > MAX_HOPS) return [];
  if (ts.isVariableDeclaration(d.node) && d.node.initializer)
    return valueClasses(project, d.file, d.node.initializer, hops);
  return [];
}

/** The object literals an expression may hold: what the project function it calls returns. */
function objectValues(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
  hops: number,
): { file: ProjectFile; node: ts.ObjectLiteralExpression }[] {
  if (hops > MAX_HOPS) return [];
  const node = withoutAwait(expression);
  if (ts.isObjectLiteralExpression(node)) return [{ file, node }];
  if (ts.isIdentifier(node))
    return project
      .lookup(file, node, node.text)
      .flatMap((d) =>
        ts.isVariableDeclaration(d.node) && d.node.initializer
          ? objectValues(project, d.file, d.node.initializer, hops + 1)
          : [],
      );
  if (!ts.isCallExpression(node)) return [];
  return calledFunctions(project, file, node.expression).flatMap((fn) =>
    returnedExpressions({ node: fn.node }).flatMap((r) => objectValues(project, fn.file, r, hops + 1)),
  );
}

/**
 * The project functions a callee names: `f`, an imported `f`, `(await import('../src/index')).default` and
 * `require('./x').make` (the module's export), each followed to the function written there.
 */
function calledFunctions(
  project: Project,
  file: ProjectFile,
  callee: ts.Expression,
): { file: ProjectFile; node: FunctionNode }[] {
  const node = unwrap(callee);
  const loaded = requiredModule(node);
  let declarations: Declaration[] = [];
  if (loaded?.member) {
    const module = project.resolveModule(file, loaded.module);
    declarations = module ? project.exportOf(module, loaded.member) : [];
  } else if (ts.isIdentifier(node)) declarations = project.lookup(file, node, node.text);
  const out: { file: ProjectFile; node: FunctionNode }[] = [];
  for (const d of declarations) {
    let value: ts.Node = d.node;
    if (ts.isVariableDeclaration(value) && value.initializer) value = unwrap(value.initializer);
    // `export default controllers` with `const controllers = async (...) => {...}`
    if (ts.isExportAssignment(value)) {
      const exported = unwrap(value.expression);
      if (ts.isIdentifier(exported)) {
        out.push(...calledFunctions(project, d.file, exported));
        continue;
      }
      value = exported;
    }
    if (isFunctionNode(value)) out.push({ file: d.file, node: value });
  }
  return out;
}

/** An identifier naming a project class (`new C()`, `module.get(C)`). */
export function classesNamed(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
): ts.ClassDeclaration[] {
  const node = unwrap(expression);
  if (!ts.isIdentifier(node)) return [];
  return project
    .lookup(file, node, node.text)
    .map((d) => d.node)
    .filter(ts.isClassDeclaration);
}

/** The expression without the parentheses, casts and `await`s around it. */
function withoutAwait(expression: ts.Expression): ts.Expression {
  let node = unwrap(expression);
  while (ts.isAwaitExpression(node)) node = unwrap(node.expression);
  return node;
}
