import ts from '../typescript.cjs';
import { isFixedDeclaration } from './test-fixed-values.js';
import { requiredModule } from './test-module-loads.js';
import {
  isFunctionNode,
  unwrap,
  type Declaration,
  type Project,
  type ProjectFile,
} from './routes/project.js';
import { returnedExpressions } from './routes/syntax.js';
import {
  implementersOf,
  interfaceClasses,
  leavesClassElsewhere,
  classesNamed,
  namesakeClasses,
  returnedMemberClasses,
} from './test-instance-classes.js';

/**
 * Method-level units under test for `--include-tests` (issue 9 §1). A test that calls `service.remove(id)` runs
 * `remove` and what it calls, never every method of the service: a class is a unit through the members the test
 * uses, and a member's own `this.m()` / `this.dependency.m()` calls lead to the next members. Syntax only: the
 * class of a receiver is read from what the code writes (`new C()`, a `C` type annotation, `module.get<C>(C)`,
 * constructor parameter properties `private readonly users: UsersService`).
 */

/** The member names a piece of test code uses on instances of each class (`constructor` for `new C()`). */
export type CalledMembers = Map<ts.ClassLikeDeclaration, Set<string>>;

/** Calls on the testing module or a container that hand back an instance of their class argument. */
const INSTANCE_GETTERS = new Set(['get', 'resolve', 'create', 'createInstance', 'getInstance', 'inject']);

/** How many `extends` links a member lookup follows. */
const MAX_BASES = 6;

/**
 * Adds to `into` the members that `node` (a test body, a test-file helper) uses on class instances:
 * `v.m` for a variable `v` of a known class, `new C().m`, `C.m` (static), and `constructor` for every `new C()`.
 */
export function addCalledMembers(
  project: Project,
  file: ProjectFile,
  node: ts.Node,
  into: CalledMembers,
  /** The parts of `node` not read (test-unit-walk.ts: what only a route runs, for a request no route serves). */
  skip?: (child: ts.Node) => boolean,
): void {
  const visit = (child: ts.Node): void => {
    if (skip?.(child)) return;
    if (ts.isPropertyAccessExpression(child)) {
      for (const cls of classesOfExpression(project, file, child.expression)) add(into, cls, child.name.text);
    }
    if (ts.isNewExpression(child)) {
      for (const cls of classesNamed(project, file, child.expression)) add(into, cls, 'constructor');
    }
    child.forEachChild(visit);
  };
  visit(node);
}

function add(into: CalledMembers, cls: ts.ClassLikeDeclaration, name: string): void {
  const names = into.get(cls) ?? new Set<string>();
  names.add(name);
  into.set(cls, names);
}

/**
 * The project classes an expression holds an instance of (or is, for a static access): `new C()`,
 * `await module.get<C>(C)`, a variable typed or initialised so (or assigned so anywhere in its file), `C` itself.
 */
function classesOfExpression(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
): ts.ClassLikeDeclaration[] {
  const node = unwrap(expression);
  if (ts.isNewExpression(node)) return classesNamed(project, file, node.expression);
  if (ts.isCallExpression(node)) return instancesOfCall(project, file, node);
  if (!ts.isIdentifier(node)) return [];
  const out: ts.ClassLikeDeclaration[] = [];
  const declarations = project.lookup(file, node, node.text);
  // Whether every value the receiver is given leaves its class to code read nowhere (test-instance-classes.ts).
  let elsewhere = declarations.length > 0;
  for (const d of declarations) {
    if (ts.isClassDeclaration(d.node)) out.push(d.node);
    // `const { oauthController } = await controllers()`: the member of what the factory returns.
    if (ts.isBindingElement(d.node)) {
      const made = destructuredClasses(project, d.file, d.node);
      out.push(...made.classes);
      elsewhere &&= made.elsewhere;
      continue;
    }
    // `export default new Service()` imported by the test; CommonJS `module.exports = new UserController()`
    // (audiobookshelf's controllers) and `exports.service = new Service()`
    const exported = ts.isExportAssignment(d.node)
      ? d.node.expression
      : ts.isBinaryExpression(d.node) && d.node.operatorToken.kind === ts.SyntaxKind.EqualsToken
        ? d.node.right
        : undefined;
    if (exported) {
      const value = unwrap(exported);
      if (ts.isNewExpression(value)) out.push(...classesNamed(project, d.file, value.expression));
    }
    if (!ts.isVariableDeclaration(d.node)) {
      elsewhere = false;
      continue;
    }
    // A project interface (`let logoutController: ILogoutController`): the classes that implement it.
    if (d.node.type)
      out.push(
        ...classesOfType(project, d.file, d.node.type),
        ...interfaceClasses(project, d.file, d.node.type),
      );
    const assigned = assignedValues(d.file.sourceFile, d.node);
    const values = [d.node.initializer, ...assigned];
    if (!assigned.length) elsewhere &&= leavesClassElsewhere(d.node.initializer);
    for (const value of values) {
      if (!value) continue;
      elsewhere &&= leavesClassElsewhere(value);
      const inner = unwrap(value);
      if (ts.isNewExpression(inner)) out.push(...classesNamed(project, d.file, inner.expression));
      else if (ts.isCallExpression(inner)) out.push(...instancesOfCall(project, d.file, inner));
      // `logoutController = controller.logoutController` with `controller` what a project factory returns.
      else if (ts.isPropertyAccessExpression(inner)) {
        const member = returnedMemberClasses(project, d.file, inner.expression, inner.name.text);
        out.push(...member.classes);
        if (member.read) elsewhere = false;
      }
    }
  }
  // No code read shows its class (a member of what a factory returns that the follower cannot read, a variable
  // set elsewhere): the class it is named after, if the project declares one.
  if (!out.length && elsewhere) out.push(...namesakeClasses(project, node.text));
  return [...new Set(out)];
}

/**
 * A name destructured from a call (`const { oauthController } = await controllers()`): the classes of that
 * member of what the call returns; `elsewhere` when that member's value could not be read (its class is left to
 * the namesake convention), false when it was, or for any other destructuring (an object literal, a module).
 */
function destructuredClasses(
  project: Project,
  file: ProjectFile,
  element: ts.BindingElement,
): { classes: ts.ClassLikeDeclaration[]; elsewhere: boolean } {
  const holder = element.parent.parent;
  const key = element.propertyName ?? element.name;
  if (!ts.isObjectBindingPattern(element.parent) || !ts.isVariableDeclaration(holder) || !holder.initializer)
    return { classes: [], elsewhere: false };
  if (!ts.isIdentifier(key) && !ts.isStringLiteral(key)) return { classes: [], elsewhere: false };
  let init = unwrap(holder.initializer);
  while (ts.isAwaitExpression(init)) init = unwrap(init.expression);
  if (!ts.isCallExpression(init) || requiredModule(init)) return { classes: [], elsewhere: false };
  const member = returnedMemberClasses(project, file, init, key.text);
  return { classes: member.classes, elsewhere: !member.read };
}

/**
 * The classes a call returns an instance of: `module.get<C>(C)` and its kin (instanceOfGetter), or a function of
 * the project (a test's own factory, `const createMiddleware = () => new ValetTokenAuthMiddleware(a, b)`) whose
 * returned values are `new C(...)`, directly or through a variable.
 */
function instancesOfCall(
  project: Project,
  file: ProjectFile,
  call: ts.CallExpression,
): ts.ClassLikeDeclaration[] {
  const got = instanceOfGetter(project, file, call);
  if (got.length) return got;
  const callee = unwrap(call.expression);
  if (!ts.isIdentifier(callee)) return [];
  const out: ts.ClassLikeDeclaration[] = [];
  for (const d of project.lookup(file, callee, callee.text)) {
    const fn = ts.isVariableDeclaration(d.node) && d.node.initializer ? unwrap(d.node.initializer) : d.node;
    if (!isFunctionNode(fn)) continue;
    for (const value of returnedExpressions({ node: fn })) {
      const inner = unwrap(value);
      if (ts.isNewExpression(inner)) out.push(...classesNamed(project, d.file, inner.expression));
      else if (ts.isIdentifier(inner))
        for (const local of project.lookup(d.file, inner, inner.text))
          if (ts.isVariableDeclaration(local.node) && local.node.initializer) {
            const init = unwrap(local.node.initializer);
            if (ts.isNewExpression(init)) out.push(...classesNamed(project, local.file, init.expression));
          }
    }
  }
  return [...new Set(out)];
}

/** `module.get<C>(C)`, `app.get(C)`, `container.resolve(C)`: the class `C`. */
function instanceOfGetter(
  project: Project,
  file: ProjectFile,
  call: ts.CallExpression,
): ts.ClassLikeDeclaration[] {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !INSTANCE_GETTERS.has(callee.name.text)) return [];
  const typed = call.typeArguments?.[0];
  if (typed) return classesOfType(project, file, typed);
  const first = call.arguments[0];
  return first ? classesNamed(project, file, first) : [];
}

/** A type annotation `C` / `C<T>` naming a project class. */
function classesOfType(project: Project, file: ProjectFile, type: ts.TypeNode): ts.ClassLikeDeclaration[] {
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return [];
  return project
    .lookup(file, type.typeName, type.typeName.text)
    .map((d) => d.node)
    .filter(ts.isClassDeclaration);
}

/**
 * The right-hand sides of `name = value` anywhere in the file, for a variable declared without (or besides) its
 * initializer; none for a destructuring declaration. Shared with test-follow.ts (the test's own app variables).
 */
export function assignedValues(
  sourceFile: ts.SourceFile,
  declaration: ts.VariableDeclaration,
): ts.Expression[] {
  if (!ts.isIdentifier(declaration.name)) return [];
  return [...(assignmentsIn(sourceFile).get(declaration.name.text) ?? [])];
}

const fileAssignments = new WeakMap<ts.SourceFile, ReadonlyMap<string, readonly ts.Expression[]>>();

/**
 * Every `name = value` of a file (the right-hand sides by name, in source order), found by one walk. A name
 * assigned by destructuring (`({ default: handler } = await import('../src/handler.js'))` in a `beforeAll`,
 * `({ check } = require('../src/check'))`, `[server, req] = await factory()`) gets the whole right-hand side: the
 * module it loads, the call whose result it takes apart.
 */
function assignmentsIn(sourceFile: ts.SourceFile): ReadonlyMap<string, readonly ts.Expression[]> {
  const cached = fileAssignments.get(sourceFile);
  if (cached) return cached;
  const found = new Map<string, ts.Expression[]>();
  const add = (name: string, value: ts.Expression): void => {
    const list = found.get(name);
    if (list) list.push(value);
    else found.set(name, [value]);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      if (ts.isIdentifier(node.left)) add(node.left.text, node.right);
      else if (ts.isObjectLiteralExpression(node.left))
        for (const property of node.left.properties) {
          if (ts.isShorthandPropertyAssignment(property)) add(property.name.text, node.right);
          else if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.initializer))
            add(property.initializer.text, node.right);
        }
      // `[server, req] = await frameworkFactory(name)` in a hook (webpack-dev-middleware's suites): each name
      // gets the call whose result it takes apart.
      else if (ts.isArrayLiteralExpression(node.left))
        for (const element of node.left.elements) if (ts.isIdentifier(element)) add(element.text, node.right);
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  fileAssignments.set(sourceFile, found);
  return found;
}

const filesBySource = new WeakMap<Project, Map<ts.SourceFile, ProjectFile>>();

/** The file a class declaration is written in, among the project's files. */
function fileOfClass(project: Project, cls: ts.ClassLikeDeclaration): ProjectFile | undefined {
  // By the tree's own name first: the project's files are named as they were parsed, and asking every file
  // for its tree would parse the whole project (the test follower's project parses on first use).
  const sourceFile = cls.getSourceFile();
  const named = project.byRelative(sourceFile.fileName);
  if (named?.sourceFile === sourceFile) return named;
  let files = filesBySource.get(project);
  if (!files) {
    files = new Map(project.files.map((f) => [f.sourceFile, f]));
    filesBySource.set(project, files);
  }
  return files.get(sourceFile);
}

/**
 * The declarations of the members `names` of a class, looked up through its `extends` chain (`constructor`:
 * the constructor and the property initialisers it runs). Undefined when a name is found nowhere (a member
 * added at run time, a base class outside the project): the caller then takes the whole class.
 */
export function membersOf(
  project: Project,
  cls: ts.ClassLikeDeclaration,
  names: ReadonlySet<string>,
): Declaration[] | undefined {
  const out: Declaration[] = [];
  for (const name of names) {
    const found = memberNamed(project, cls, name, 0);
    if (!found) return undefined;
    out.push(...found);
  }
  return out;
}

function memberNamed(
  project: Project,
  cls: ts.ClassLikeDeclaration,
  name: string,
  depth: number,
): Declaration[] | undefined {
  const file = fileOfClass(project, cls);
  if (!file) return undefined;
  if (name === 'constructor') {
    const members = cls.members.filter(
      (m) => ts.isConstructorDeclaration(m) || (ts.isPropertyDeclaration(m) && m.initializer),
    );
    return members.map((node) => ({ file, node }));
  }
  const own = cls.members.filter((m) => m.name && memberName(m.name) === name);
  if (own.length) return own.map((node) => ({ file, node }));
  if (depth >= MAX_BASES) return undefined;
  const base = baseClass(project, file, cls);
  return base ? memberNamed(project, base, name, depth + 1) : undefined;
}

function memberName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)
    ? name.text
    : undefined;
}

function baseClass(
  project: Project,
  file: ProjectFile,
  cls: ts.ClassLikeDeclaration,
): ts.ClassLikeDeclaration | undefined {
  for (const clause of cls.heritageClauses ?? []) {
    if (clause.token !== ts.SyntaxKind.ExtendsKeyword) continue;
    const type = clause.types[0];
    if (type) return classesNamed(project, file, type.expression)[0];
  }
  return undefined;
}

/**
 * Whether `this.field.member` reads a data property of the field's project interface (a property signature whose
 * type is not a function), used as a value: `this.config.addresses.includes(ip)`, not `this.config.check()`.
 */
function isDataMember(
  project: Project,
  file: ProjectFile,
  field: ts.PropertyDeclaration | ts.ParameterDeclaration,
  access: ts.PropertyAccessExpression,
): boolean {
  const parent = access.parent;
  if (ts.isCallExpression(parent) && parent.expression === access) return false;
  const type = field.type;
  if (!type || !ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return false;
  const interfaces = project
    .lookup(file, type.typeName, type.typeName.text)
    .map((d) => d.node)
    .filter(ts.isInterfaceDeclaration);
  if (!interfaces.length) return false;
  return interfaces.every((declared) =>
    declared.members.some(
      (m) =>
        ts.isPropertySignature(m) &&
        m.name !== undefined &&
        memberName(m.name) === access.name.text &&
        m.type !== undefined &&
        !ts.isFunctionTypeNode(m.type),
    ),
  );
}

/**
 * Whether a member that `cls` and its project base classes do not declare comes from a class outside the project:
 * the last class of the chain extends something no project file declares (`class FsLogger extends
 * ConsoleLogger` of @nestjs/common: `this.logger.warn(…)`). Like a dependency of a library's type, it leads nowhere.
 */
function inheritedFromLibrary(project: Project, cls: ts.ClassLikeDeclaration, depth = 0): boolean {
  const file = fileOfClass(project, cls);
  if (!file || depth >= MAX_BASES) return false;
  const extendsClause = cls.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword);
  if (!extendsClause?.types[0]) return false;
  const base = baseClass(project, file, cls);
  if (base) return inheritedFromLibrary(project, base, depth + 1);
  // The base's name (`ConsoleLogger`, or `nest` of `nest.ConsoleLogger`): declared nowhere in the project but
  // by an import of a package. A base the project declares that is not read as a class (a mixin call, a type
  // alias) stays unknown.
  let root = extendsClause.types[0].expression;
  while (ts.isPropertyAccessExpression(root)) root = root.expression;
  if (!ts.isIdentifier(root)) return false;
  return project
    .lookup(file, root, root.text)
    .every((d) => ts.isImportSpecifier(d.node) || ts.isImportClause(d.node) || ts.isNamespaceImport(d.node));
}

/** What a member's `this.m` / `this.dependency.m` uses lead to. */
export interface ThisTargets {
  members: Declaration[];
  /**
   * The first use whose class could not be read (a dependency typed by an interface of the project, `this[key]`):
   * the `this.…` access the walk cannot follow; undefined when every use was read.
   */
  unknown?: ts.Node;
}

/**
 * The members a class member reaches through `this`: `this.m()` in the same class (or a base class), and
 * `this.dependency.m()` in the class of `dependency` (a constructor parameter property or a field, typed or
 * initialised with `new C()`). A dependency of a type from outside the project (a library's repository) leads
 * nowhere; one of a project type that is not a class (an interface) makes the walk `unknown`.
 */
export function thisTargets(project: Project, file: ProjectFile, member: ts.Node): ThisTargets {
  const cls = member.parent;
  const out: ThisTargets = { members: [] };
  if (!cls || !(ts.isClassDeclaration(cls) || ts.isClassExpression(cls))) return out;
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const name = node.name.text;
      const parent = node.parent;
      const field = fieldOf(cls, name);
      const assigned = !field && !memberNamed(project, cls, name, 0) ? assignedInClass(cls, name) : undefined;
      if (isAssignmentTarget(node)) {
        // `this.repo = repo` writes the field; what it holds is read where it is used.
      } else if (assigned && ts.isPropertyAccessExpression(parent) && parent.expression === node) {
        // A field of a JavaScript class, set in its constructor (`this.users = new UsersService()`).
        const classes = assigned.flatMap((value) =>
          ts.isNewExpression(value) ? classesNamed(project, file, value.expression) : [],
        );
        const called = isCallee(parent);
        if (called && classes.length !== assigned.length) out.unknown ??= parent;
        for (const target of classes) {
          const found = memberNamed(project, target, parent.name.text, 0);
          if (found) out.members.push(...found);
          else if (called && !inheritedFromLibrary(project, target)) out.unknown ??= parent;
        }
      } else if (field && ts.isPropertyAccessExpression(parent) && parent.expression === node) {
        // Only a call runs code it cannot see (`this.auth.check()` on a field typed by an interface nobody
        // implements); a read of a data field (`this.config.enabled`, an options interface) runs none. A member
        // found on a known class is still followed (a getter).
        const classes = fieldClasses(project, file, field);
        const called = isCallee(parent);
        // A data member of an interface (`addresses: string[]`) is a value: what is called on it
        // (`this.config.addresses.includes(ip)`) is the value's own (built-in) method, not project code.
        if (called && classes === 'unknown' && !isDataMember(project, file, field, parent))
          out.unknown ??= parent;
        for (const target of classes === 'unknown' ? [] : classes) {
          const found = memberNamed(project, target, parent.name.text, 0);
          if (found) out.members.push(...found);
          else if (called && !inheritedFromLibrary(project, target)) out.unknown ??= parent;
        }
      } else if (!field) {
        const found = memberNamed(project, cls, name, 0);
        if (found) out.members.push(...found);
        else if (!inheritedFromLibrary(project, cls)) out.unknown ??= node;
      }
    }
    if (ts.isElementAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword)
      out.unknown ??= node;
    node.forEachChild(visit);
  };
  const body = ts.isPropertyDeclaration(member)
    ? member.initializer
    : (member as ts.FunctionLikeDeclaration).body;
  if (body) visit(body);
  return out;
}

/**
 * `a.b` called, directly or further down its chain (`a.b(…)`, `a.b?.(…)`, `a.b.c.run()`, `a.b!.d()`): what it
 * reads may run code. A plain read (`if (a.b.enabled)`) runs none.
 */
function isCallee(node: ts.PropertyAccessExpression): boolean {
  let at: ts.Node = node;
  for (;;) {
    const up = at.parent;
    if ((ts.isPropertyAccessExpression(up) || ts.isElementAccessExpression(up)) && up.expression === at)
      at = up;
    else if (ts.isParenthesizedExpression(up) || ts.isNonNullExpression(up)) at = up;
    else break;
  }
  return ts.isCallExpression(at.parent) && at.parent.expression === at;
}

/** `this.x = value` (also `this.x ??= value`): the node is written, not read. */
function isAssignmentTarget(node: ts.PropertyAccessExpression): boolean {
  const parent = node.parent;
  return (
    ts.isBinaryExpression(parent) &&
    parent.left === node &&
    parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
    parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment
  );
}

/** The values a class assigns to `this.name` in its own members (unwrapped). */
function assignedInClass(cls: ts.ClassLikeDeclaration, name: string): ts.Expression[] {
  return [...(thisAssignmentsIn(cls).get(name) ?? [])];
}

const classAssignments = new WeakMap<
  ts.ClassLikeDeclaration,
  ReadonlyMap<string, readonly ts.Expression[]>
>();

/** Every `this.name = value` in a class's own members (unwrapped values by name, in source order), one walk. */
function thisAssignmentsIn(cls: ts.ClassLikeDeclaration): ReadonlyMap<string, readonly ts.Expression[]> {
  const cached = classAssignments.get(cls);
  if (cached) return cached;
  const found = new Map<string, ts.Expression[]>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isPropertyAccessExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ThisKeyword &&
      isAssignmentTarget(node)
    ) {
      const value = unwrap((node.parent as ts.BinaryExpression).right);
      const list = found.get(node.name.text);
      if (list) list.push(value);
      else found.set(node.name.text, [value]);
    }
    node.forEachChild(visit);
  };
  for (const member of cls.members) visit(member);
  classAssignments.set(cls, found);
  return found;
}

/** A field of a class: a property declaration, or a constructor parameter property (`private readonly x: T`). */
function fieldOf(
  cls: ts.ClassLikeDeclaration,
  name: string,
): ts.PropertyDeclaration | ts.ParameterDeclaration | undefined {
  for (const m of cls.members) {
    if (ts.isPropertyDeclaration(m) && m.name && memberName(m.name) === name && !isFunctionValued(m))
      return m;
    if (ts.isConstructorDeclaration(m))
      for (const p of m.parameters)
        if (ts.isIdentifier(p.name) && p.name.text === name && ts.getModifiers(p)?.length) return p;
  }
  return undefined;
}

/** `handler = () => {...}`: a member written as a property, called like a method. */
function isFunctionValued(m: ts.PropertyDeclaration): boolean {
  const value = m.initializer && unwrap(m.initializer);
  return !!value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value));
}

function fieldClasses(
  project: Project,
  file: ProjectFile,
  field: ts.PropertyDeclaration | ts.ParameterDeclaration,
): ts.ClassLikeDeclaration[] | 'unknown' {
  const out: ts.ClassLikeDeclaration[] = [];
  const type = field.type;
  if (type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
    const found = project.lookup(file, type.typeName, type.typeName.text);
    const classes = found.map((d) => d.node).filter(ts.isClassDeclaration);
    // A project interface (a DI binding's type): the class behind it is chosen at run time, among the project
    // classes that `implements` it (all of them are followed); none, or a type alias: unknown. A library's type
    // leads nowhere.
    const interfaces = found.map((d) => d.node).filter(ts.isInterfaceDeclaration);
    const implementing = interfaces.flatMap((i) => implementersOf(project, i.name.text));
    const declaredHere = found.some(
      (d) => ts.isInterfaceDeclaration(d.node) || ts.isTypeAliasDeclaration(d.node),
    );
    if (declaredHere && !classes.length && !implementing.length) return 'unknown';
    if (found.some((d) => ts.isTypeAliasDeclaration(d.node)) && !classes.length) return 'unknown';
    out.push(...classes, ...implementing);
  }
  const value = field.initializer && unwrap(field.initializer);
  if (value && ts.isNewExpression(value)) out.push(...classesNamed(project, file, value.expression));
  return out;
}

const fileMemberAssignments = new WeakMap<ts.SourceFile, ReadonlyMap<string, readonly ts.Expression[]>>();

/**
 * The right-hand sides of `object.member = value` in a file, for a module that hangs its functions on a local
 * namespace object (`const internals = {}; internals.onPreHandler = async (request, h) => {...}`, the hapi
 * style): reading `internals.onPreHandler` runs that value. Found by one walk per file, keyed `object.member`.
 */
export function memberAssignedValues(
  sourceFile: ts.SourceFile,
  object: string,
  member: string,
): readonly ts.Expression[] {
  let found = fileMemberAssignments.get(sourceFile);
  if (!found) {
    const map = new Map<string, ts.Expression[]>();
    const visit = (node: ts.Node): void => {
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(node.left) &&
        ts.isIdentifier(node.left.expression)
      ) {
        const key = `${node.left.expression.text}.${node.left.name.text}`;
        const list = map.get(key);
        if (list) list.push(node.right);
        else map.set(key, [node.right]);
      }
      node.forEachChild(visit);
    };
    visit(sourceFile);
    fileMemberAssignments.set(sourceFile, map);
    found = map;
  }
  return found.get(`${object}.${member}`) ?? [];
}

/**
 * Every value a file assigns to a member of `object` (`lusca.csrf = require('./lib/csrf')`, `lusca.csp = ...`):
 * what a computed call on it (`lusca[key](config)`) may run.
 */
export function allMemberAssignedValues(sourceFile: ts.SourceFile, object: string): ts.Expression[] {
  memberAssignedValues(sourceFile, object, '');
  const out: ts.Expression[] = [];
  for (const [key, values] of fileMemberAssignments.get(sourceFile) ?? [])
    if (key.startsWith(`${object}.`)) out.push(...values);
  return out;
}

const filePrototypeAssignments = new WeakMap<ts.SourceFile, ReadonlyMap<string, readonly ts.Expression[]>>();

/**
 * The methods an ES5 constructor gets by assignment, `SendStream.prototype.pipe = function pipe(res) {...}`
 * (and `SendStream.prototype = { ... }`): what `new SendStream()` may run, the way a class's members are. Keyed
 * by the constructor's name; one walk per file.
 */
export function prototypeAssignedValues(
  sourceFile: ts.SourceFile,
  constructor: string,
): readonly ts.Expression[] {
  let found = filePrototypeAssignments.get(sourceFile);
  if (!found) {
    const map = new Map<string, ts.Expression[]>();
    const add = (name: string, value: ts.Expression): void => {
      const list = map.get(name);
      if (list) list.push(value);
      else map.set(name, [value]);
    };
    const visit = (node: ts.Node): void => {
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(node.left)
      ) {
        const left = node.left;
        // `C.prototype = {...}`
        if (left.name.text === 'prototype' && ts.isIdentifier(left.expression))
          add(left.expression.text, node.right);
        // `C.prototype.m = function () {...}`
        else if (
          ts.isPropertyAccessExpression(left.expression) &&
          left.expression.name.text === 'prototype' &&
          ts.isIdentifier(left.expression.expression)
        )
          add(left.expression.expression.text, node.right);
      }
      node.forEachChild(visit);
    };
    visit(sourceFile);
    filePrototypeAssignments.set(sourceFile, map);
    found = map;
  }
  return found.get(constructor) ?? [];
}

/** How many specifiers a computed `require()` may stand for before it is taken as unreadable. */
const MAX_SPECIFIERS = 8;

/**
 * The specifiers a computed `require()` argument may hold, when the file spells out every part: literals,
 * `a + b`, templates, both branches of `cond ? a : b`, and constants of the file holding those
 * (`const libpath = process.env.COV ? '../lib-cov' : '../lib'; require(libpath + '/index')`). Empty when a
 * part is not spelled out (a parameter, a call) or there would be more than 8.
 */
export function specifierCandidates(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
  depth = 0,
): string[] {
  const node = unwrap(expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (depth > 4) return [];
  const join = (parts: string[][]): string[] => {
    let out = [''];
    for (const options of parts) {
      if (!options.length) return [];
      out = out.flatMap((head) => options.map((tail) => head + tail));
      if (out.length > MAX_SPECIFIERS) return [];
    }
    return out;
  };
  if (ts.isConditionalExpression(node)) {
    const both = [
      ...specifierCandidates(project, file, node.whenTrue, depth + 1),
      ...specifierCandidates(project, file, node.whenFalse, depth + 1),
    ];
    return both.length <= MAX_SPECIFIERS ? both : [];
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken)
    return join([
      specifierCandidates(project, file, node.left, depth + 1),
      specifierCandidates(project, file, node.right, depth + 1),
    ]);
  if (ts.isTemplateExpression(node))
    return join([
      [node.head.text],
      ...node.templateSpans.flatMap((span) => [
        specifierCandidates(project, file, span.expression, depth + 1),
        [span.literal.text],
      ]),
    ]);
  if (ts.isIdentifier(node)) {
    const found = project.lookup(file, node, node.text);
    const declaration = found.length === 1 ? found[0] : undefined;
    if (
      declaration?.file === file &&
      ts.isVariableDeclaration(declaration.node) &&
      declaration.node.initializer &&
      ts.isVariableDeclarationList(declaration.node.parent) &&
      isFixedDeclaration(declaration.node)
    )
      return specifierCandidates(project, file, declaration.node.initializer, depth + 1);
  }
  return [];
}
