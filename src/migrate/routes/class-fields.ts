import ts from '../../typescript.cjs';
import { unwrap, type Declaration, type Project, type ProjectFile } from './project.js';

/**
 * What `this.app` holds inside a class: the initializer of the property declaration (`app = express()`) and
 * every `this.app = …` assignment in the class's own members (`constructor() { this.app = express(); }`),
 * in source order. Empty when `access` is not `this.<name>`, or not inside a class. `this` inside a nested
 * `function` (not an arrow) is another object, so such an access finds nothing.
 */
export function thisMemberValues(access: ts.PropertyAccessExpression): readonly ts.Expression[] {
  if (access.expression.kind !== ts.SyntaxKind.ThisKeyword) return [];
  const owner = enclosingClass(access);
  if (!owner) return [];
  return classFieldValues(owner).get(access.name.text) ?? [];
}

/**
 * Every member name of `owner` to the values `thisMemberValues` gives for it, from one walk of the class (kept
 * per class: asking each `this.x` of a large class to walk the whole class again made route extraction
 * quadratic in the class's size; audiobookshelf's controllers).
 */
function classFieldValues(owner: ts.ClassLikeDeclaration): ReadonlyMap<string, ts.Expression[]> {
  let values = fieldValues.get(owner);
  if (values) return values;
  const found = new Map<string, ts.Expression[]>();
  values = found;
  fieldValues.set(owner, found);
  const add = (name: string, value: ts.Expression): void => {
    const list = found.get(name);
    if (list) list.push(value);
    else found.set(name, [value]);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isClassLike(node) || ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = unwrap(node.left);
      if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword)
        add(left.name.text, node.right);
    }
    node.forEachChild(visit);
  };
  for (const member of owner.members) {
    // `constructor(private readonly router: Router)`: a parameter property holds what the constructor receives
    if (ts.isConstructorDeclaration(member))
      for (const parameter of member.parameters)
        if (ts.isIdentifier(parameter.name) && ts.getModifiers(parameter)?.some(isPropertyModifier))
          add(parameter.name.text, parameter.name);
    if (
      ts.isPropertyDeclaration(member) &&
      member.initializer &&
      (ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name))
    )
      add(member.name.text, member.initializer);
    member.forEachChild(visit);
  }
  return values;
}

/** `private`, `public`, `protected`, `readonly`: the modifiers that make a constructor parameter a field. */
function isPropertyModifier(modifier: ts.Modifier): boolean {
  return (
    modifier.kind === ts.SyntaxKind.PrivateKeyword ||
    modifier.kind === ts.SyntaxKind.PublicKeyword ||
    modifier.kind === ts.SyntaxKind.ProtectedKeyword ||
    modifier.kind === ts.SyntaxKind.ReadonlyKeyword
  );
}

/** Per class (trees are not changed once the route graph reads them). */
const fieldValues = new WeakMap<ts.ClassLikeDeclaration, Map<string, ts.Expression[]>>();

/** `this.<name>` (through parentheses and casts); any name when `name` is not given. */
export function isThisMember(expression: ts.Expression, name?: string): boolean {
  const node = unwrap(expression);
  return (
    ts.isPropertyAccessExpression(node) &&
    node.expression.kind === ts.SyntaxKind.ThisKeyword &&
    (name === undefined || node.name.text === name)
  );
}

/** The class whose instance `this` is at `node`: arrows keep the outer `this`, functions do not. */
function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let at = node.parent; at; at = at.parent) {
    if (ts.isClassLike(at)) return at;
    if (ts.isFunctionDeclaration(at) || ts.isFunctionExpression(at)) return undefined;
  }
  return undefined;
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
    (classFieldValues(c.node).get(access.name.text) ?? []).map((node) => ({ file: c.file, node })),
  );
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
  return instanceClasses(project, file, access.expression).flatMap((c) =>
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
  if (ts.isNewExpression(holder)) made.push(holder);
  else if (ts.isPropertyAccessExpression(holder)) made.push(...thisMemberValues(holder));
  else if (ts.isIdentifier(holder))
    for (const d of project.lookup(file, holder, holder.text))
      if (d.file === file && ts.isVariableDeclaration(d.node) && d.node.initializer)
        made.push(d.node.initializer);
  const out: { file: ProjectFile; node: ts.ClassDeclaration | ts.ClassExpression }[] = [];
  for (const value of made) {
    const created = unwrap(value);
    if (!ts.isNewExpression(created)) continue;
    const name = unwrap(created.expression);
    if (!ts.isIdentifier(name)) continue;
    for (const d of project.lookup(file, name, name.text))
      if (ts.isClassDeclaration(d.node) || ts.isClassExpression(d.node))
        out.push({ file: d.file, node: d.node });
  }
  return out;
}
