import ts from '../../typescript.cjs';
import { unwrap, type Declaration, type Project, type ProjectFile } from './project.js';
import {
  classFieldValues,
  enclosingClass,
  inheritedClassValues,
  thisMemberValues,
  thisReadIn,
} from './this-fields.js';
import { listedModules } from './listed-modules.js';

export { thisMemberValues } from './this-fields.js';

/** `this.<name>` (through parentheses and casts); any name when `name` is not given. */
export function isThisMember(expression: ts.Expression, name?: string): boolean {
  const node = unwrap(expression);
  return (
    ts.isPropertyAccessExpression(node) &&
    node.expression.kind === ts.SyntaxKind.ThisKeyword &&
    (name === undefined || node.name.text === name)
  );
}

/**
 * What `holder.name` holds when `holder` is an instance of a project class: `this.apiRouter.router` with
 * `this.apiRouter = new ApiRouter(this)` and `class ApiRouter { constructor() { this.router = express() } }`
 * (audiobookshelf's Server.js), `api.router` with `const api = new ApiRouter()`. The class's field values for
 * `name` (`thisMemberValues` as seen from inside it), each with the file it is written in. Empty when the holder
 * is not such an instance (see `instanceClasses`).
 */
export function instanceFieldValues(
  project: Project,
  file: ProjectFile,
  access: ts.PropertyAccessExpression,
): { file: ProjectFile; node: ts.Expression }[] {
  return instanceClasses(project, file, access.expression).flatMap((c) =>
    classOrBaseValues(project, c, access.name.text),
  );
}

/**
 * What field `name` of the instance `made` creates holds (`new UserRoute()` and `router` with `class UserRoute
 * { router = Router() }`): the class's values for it, each with its file. Empty when `made` is no project class.
 */
export function newInstanceFieldValues(
  project: Project,
  file: ProjectFile,
  made: ts.NewExpression,
  name: string,
): { file: ProjectFile; node: ts.Expression }[] {
  return instanceClasses(project, file, made).flatMap((c) => classOrBaseValues(project, c, name));
}

/**
 * What field `name` holds for instances of class `c`: its own values; else, when a base class sets it, the
 * class's own read of `this.<name>` (which the graph and `stringOf` answer per subclass, with what it hands
 * `super(…)`), or the base's values when the class never reads it (since session 28).
 */
function classOrBaseValues(
  project: Project,
  c: { file: ProjectFile; node: ts.ClassLikeDeclaration },
  name: string,
): { file: ProjectFile; node: ts.Expression }[] {
  const own = classFieldValues(c.node).get(name);
  if (own) return own.map((node) => ({ file: c.file, node }));
  const inherited = inheritedClassValues(c.node, c.file, name, (f, e) => project.classesNamed(f, e));
  if (!inherited.length) return [];
  const read = thisReadIn(c.node, name);
  return read ? [{ file: c.file, node: read }] : inherited.map((v) => ({ file: v.file, node: v.node }));
}

/**
 * The method (or function-valued property) `holder.name` calls when `holder` is an instance of a project class:
 * `this.auth.initAuthRoutes(router)` with `this.auth = new Auth()` (audiobookshelf), so a router handed to it is
 * linked to the method's parameter. Empty when the holder is not such an instance.
 */
export function instanceMethods(
  project: Project,
  file: ProjectFile,
  access: ts.PropertyAccessExpression,
): Declaration[] {
  const name = access.name.text;
  // `this.initializeRoutes(routes)` inside the class: its own method (`this` in a nested `function` is not it).
  const own = access.expression.kind === ts.SyntaxKind.ThisKeyword ? enclosingClass(access) : undefined;
  const classes = own ? [{ file, node: own }] : instanceClasses(project, file, access.expression);
  return classes.flatMap((c) =>
    c.node.members
      .filter(
        (m) =>
          (ts.isMethodDeclaration(m) || ts.isPropertyDeclaration(m)) &&
          m.name !== undefined &&
          (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) || ts.isPrivateIdentifier(m.name)) &&
          m.name.text === name,
      )
      .map((m) => ({ file: c.file, node: m })),
  );
}

/** How many classes `inheritedMethods` climbs from the instance's class. */
const MAX_METHOD_BASES = 4;

/**
 * The method an instance's call runs, for each project class `access.expression` is an instance of (`new C()`,
 * a variable of the same file holding one, `this.x = new C()`): `cls` the instance's class, `method` the
 * function `access.name` names in that class or, when it declares none, in the nearest base class that does (a
 * method, or a property holding an arrow or function), with the file it is written in (Koa's `abstract class
 * Controller { routes() { return this.router.routes() } }` called as `new OrdersController().routes()`; an
 * Express base's `getRouter() { return this.router }`). Empty when the holder is no such instance.
 */
export function instanceMethodsWithClass(
  project: Project,
  file: ProjectFile,
  access: ts.PropertyAccessExpression,
): {
  cls: { file: ProjectFile; node: ts.ClassLikeDeclaration };
  method: { file: ProjectFile; node: ts.SignatureDeclaration & { body?: ts.Node } };
}[] {
  const name = access.name.text;
  const out: ReturnType<typeof instanceMethodsWithClass> = [];
  for (const cls of instanceClasses(project, file, access.expression)) {
    let at: { file: ProjectFile; node: ts.ClassLikeDeclaration } | undefined = cls;
    for (let depth = 0; at && depth <= MAX_METHOD_BASES; depth++) {
      const method = ownMethod(at.node, name);
      if (method) {
        out.push({ cls, method: { file: at.file, node: method } });
        break;
      }
      const extended: ts.ExpressionWithTypeArguments | undefined = at.node.heritageClauses?.find(
        (c) => c.token === ts.SyntaxKind.ExtendsKeyword,
      )?.types[0];
      at = extended ? project.classesNamed(at.file, extended.expression)[0] : undefined;
    }
  }
  return out;
}

/** A class's own method `name` with a body, or a property holding an arrow or function expression. */
function ownMethod(
  cls: ts.ClassLikeDeclaration,
  name: string,
): (ts.SignatureDeclaration & { body?: ts.Node }) | undefined {
  for (const member of cls.members) {
    if (!member.name || !(ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name))) continue;
    if (member.name.text !== name) continue;
    if (ts.isMethodDeclaration(member) && member.body) return member;
    if (ts.isPropertyDeclaration(member) && member.initializer) {
      const value = unwrap(member.initializer);
      if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
    }
  }
  return undefined;
}

/**
 * The project classes `holder` is an instance of, one step: `new C(...)` itself, `this.x` where the class assigns
 * `this.x = new C(...)` (or declares `x = new C()`), or a variable of the same file initialised with `new C(...)`.
 */
function instanceClasses(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
): { file: ProjectFile; node: ts.ClassDeclaration | ts.ClassExpression }[] {
  const holder = unwrap(expression);
  const made: ts.Expression[] = [];
  if (ts.isNewExpression(holder) || ts.isAwaitExpression(holder)) made.push(holder);
  else if (ts.isPropertyAccessExpression(holder)) made.push(...thisMemberValues(holder));
  else if (ts.isIdentifier(holder))
    for (const d of project.lookup(file, holder, holder.text))
      if (d.file === file && ts.isVariableDeclaration(d.node) && d.node.initializer)
        made.push(d.node.initializer);
  const out: { file: ProjectFile; node: ts.ClassDeclaration | ts.ClassExpression }[] = [];
  // `container.resolve(ApiUtils)` (tsyringe), `Container.get(C)` (typedi), `container.get(C)` (inversify),
  // `app.get(C)` (NestJS): the instance a dependency-injection container makes of a project class.
  if (ts.isCallExpression(holder) && isContainerGet(holder)) {
    const name = unwrap(holder.arguments[0]);
    if (ts.isIdentifier(name))
      return project
        .lookup(file, name, name.text)
        .flatMap((d) =>
          ts.isClassDeclaration(d.node) || ts.isClassExpression(d.node)
            ? [{ file: d.file, node: d.node }]
            : [],
        );
  }
  if (ts.isCallExpression(holder)) return singletonClasses(project, file, holder);
  for (const value of made) {
    let created = unwrap(value);
    if (ts.isAwaitExpression(created)) created = unwrap(created.expression);
    if (ts.isCallExpression(created)) {
      out.push(...singletonClasses(project, file, created));
      continue;
    }
    if (!ts.isNewExpression(created)) continue;
    const name = unwrap(created.expression);
    const declarations = ts.isIdentifier(name)
      ? project.lookup(file, name, name.text)
      : moduleMemberDeclarations(project, file, name);
    for (const d of declarations)
      if (ts.isClassDeclaration(d.node) || ts.isClassExpression(d.node))
        out.push({ file: d.file, node: d.node });
  }
  return out;
}

/**
 * The project class whose one instance a static accessor hands out: `IdentityManager.getInstance()` (awaited or
 * not) with `static async getInstance(): Promise<IdentityManager>` in `class IdentityManager` (Flowise, since
 * session 34). The method must be a static method of that class whose declared return type is the class
 * (`C`, `Promise<C>`) or which returns `new C(…)` or a static field the class sets to `new C(…)`. Empty for
 * anything else.
 */
function singletonClasses(
  project: Project,
  file: ProjectFile,
  call: ts.CallExpression,
): { file: ProjectFile; node: ts.ClassDeclaration | ts.ClassExpression }[] {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return [];
  const name = callee.name.text;
  return project.classesNamed(file, callee.expression).flatMap((c) => {
    if (!ts.isClassDeclaration(c.node) && !ts.isClassExpression(c.node)) return [];
    const cls = c.node;
    const own = cls.name?.text;
    if (!own) return [];
    const method = cls.members.find(
      (m): m is ts.MethodDeclaration =>
        ts.isMethodDeclaration(m) &&
        propertyNameText(m.name) === name &&
        (ts.getModifiers(m) ?? []).some((x) => x.kind === ts.SyntaxKind.StaticKeyword),
    );
    if (!method?.body) return [];
    const type = method.type?.getText(c.file.sourceFile).replace(/\s+/g, '');
    const typed = type === own || type === `Promise<${own}>`;
    return typed || returnsOwnInstance(method.body, cls, own) ? [{ file: c.file, node: cls }] : [];
  });
}

/** A member name as written (identifier, private name or string); undefined when computed. */
function propertyNameText(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name)
    ? name.text
    : undefined;
}

/** Whether `body` returns `new Own(…)` or `Own.x` / `this.x` with static `x` set to `new Own(…)` in the class. */
function returnsOwnInstance(body: ts.Block, cls: ts.ClassLikeDeclaration, own: string): boolean {
  const isOwnNew = (e: ts.Expression): boolean => {
    const node = unwrap(e);
    return ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === own;
  };
  const madeFields = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      isOwnNew(node.right)
    ) {
      const left = unwrap(node.left);
      if (ts.isPropertyAccessExpression(left)) madeFields.add(left.name.text);
    }
    if (ts.isPropertyDeclaration(node) && node.initializer && isOwnNew(node.initializer)) {
      const text = propertyNameText(node.name);
      if (text) madeFields.add(text);
    }
    node.forEachChild(collect);
  };
  cls.forEachChild(collect);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const value = unwrap(node.expression);
      if (isOwnNew(value)) found = true;
      else if (
        ts.isPropertyAccessExpression(value) &&
        madeFields.has(value.name.text) &&
        (value.expression.kind === ts.SyntaxKind.ThisKeyword ||
          (ts.isIdentifier(value.expression) && value.expression.text === own))
      )
        found = true;
    }
    node.forEachChild(visit);
  };
  body.forEachChild(visit);
  return found;
}

/** `x.resolve(C)` / `x.get(C)` / `x.getInstance(C)` of one identifier argument (a container asked for a class). */
function isContainerGet(call: ts.CallExpression): boolean {
  return (
    ts.isPropertyAccessExpression(call.expression) &&
    ['resolve', 'get', 'getInstance'].includes(call.expression.name.text) &&
    call.arguments.length === 1 &&
    call.arguments[0] !== undefined &&
    ts.isIdentifier(unwrap(call.arguments[0])) &&
    /^[A-Z]/.test((unwrap(call.arguments[0]) as ts.Identifier).text)
  );
}

/**
 * `M.default` / `M.Name` where `M` holds a module: a namespace import, `await import('./x')`, or a module loaded
 * by a name built from a directory listing (`const RouterClass = await import(`${dir}/${f}/${f}.router.js`)`,
 * identfy-entity-service): the export of each module. Empty for anything else.
 */
function moduleMemberDeclarations(project: Project, file: ProjectFile, node: ts.Expression): Declaration[] {
  if (!ts.isPropertyAccessExpression(node)) return [];
  const owner = unwrap(node.expression);
  if (!ts.isIdentifier(owner)) return [];
  const modules: ProjectFile[] = [];
  for (const d of project.lookup(file, owner, owner.text)) {
    if (ts.isSourceFile(d.node)) modules.push(d.file);
    else if (ts.isNamespaceImport(d.node) && ts.isStringLiteral(d.node.parent.parent.moduleSpecifier)) {
      const module = project.resolveModule(d.file, d.node.parent.parent.moduleSpecifier.text);
      if (module) modules.push(module);
    } else if (ts.isVariableDeclaration(d.node) && d.node.initializer) {
      let init = unwrap(d.node.initializer);
      if (ts.isAwaitExpression(init)) init = unwrap(init.expression);
      if (!ts.isCallExpression(init) || init.expression.kind !== ts.SyntaxKind.ImportKeyword) continue;
      const literal = init.arguments[0] ? unwrap(init.arguments[0]) : undefined;
      const module =
        literal && (ts.isStringLiteral(literal) || ts.isNoSubstitutionTemplateLiteral(literal))
          ? project.resolveModule(d.file, literal.text)
          : undefined;
      if (module) modules.push(module);
      else modules.push(...(listedModules(project, d.file, init) ?? []));
    }
  }
  return modules.flatMap((module) => project.exportOf(module, node.name.text));
}
