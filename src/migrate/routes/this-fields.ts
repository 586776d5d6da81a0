import ts from '../../typescript.cjs';
import { skipOuter as unwrap } from '../analysis/syntax.js';

// What a class's own fields hold, read from its syntax alone (project.ts reads `this.path` through it, so it
// imports nothing of the project; class-fields.ts follows instances of project classes on top of it).

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
export function classFieldValues(owner: ts.ClassLikeDeclaration): ReadonlyMap<string, ts.Expression[]> {
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
    // `get router() { return this._router; }`: the getter's one returned value (since session 28)
    if (ts.isGetAccessorDeclaration(member) && ts.isIdentifier(member.name) && member.body) {
      const only = member.body.statements.length === 1 ? member.body.statements[0] : undefined;
      if (only && ts.isReturnStatement(only) && only.expression) add(member.name.text, only.expression);
    }
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

/** The class whose instance `this` is at `node`: arrows keep the outer `this`, functions do not. */
export function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let at = node.parent; at; at = at.parent) {
    if (ts.isClassLike(at)) return at;
    if (ts.isFunctionDeclaration(at) || ts.isFunctionExpression(at)) return undefined;
  }
  return undefined;
}

/** How many base classes `inheritedFieldValues` climbs. */
const MAX_BASES = 4;

/** A value a base class's member gives a field, read for one subclass (see `inheritedFieldValues`). */
export interface InheritedValue<F> {
  file: F;
  node: ts.Expression;
  /** The class whose instance `this` is where the field was read (one router per such class), and its file. */
  subclass: ts.ClassLikeDeclaration;
  subclassFile: F;
  /** The classes between the subclass and the class that sets the field, nearest first, with their files. */
  between: { file: F; node: ts.ClassLikeDeclaration }[];
  /**
   * The base constructors' parameters to what the classes below hand `super(…)` (`super(apiUtils, '/auth')`
   * gives `additionalPath` the `'/auth'` of the subclass's file), so `this.path = '/api' + additionalPath`
   * reads per subclass.
   */
  bindings: ReadonlyMap<ts.ParameterDeclaration, { file: F; node: ts.Expression }>;
}

/**
 * What `this.<name>` holds inside a class whose own members never set it, when a base class does: the popular
 * express-typescript layout `abstract class BaseRouter { constructor(path) { this.router = Router(); this.path =
 * '/api' + path } }` with `class AuthRouter extends BaseRouter { constructor() { super('/auth') } … this.router.get(…)
 * }`. Climbs `extends` (through `baseOf`, which finds the project class an `extends` expression names) to the
 * nearest class that sets the field, up to `MAX_BASES` classes; each value keeps the file of the class that
 * writes it and the `super(…)` arguments of the classes between (a class without a constructor passes none on).
 * Empty when the class sets the field itself (`thisMemberValues` answers), or no base class does.
 */
export function inheritedFieldValues<F>(
  access: ts.PropertyAccessExpression,
  file: F,
  baseOf: (file: F, extended: ts.Expression) => { file: F; node: ts.ClassLikeDeclaration }[],
): InheritedValue<F>[] {
  if (access.expression.kind !== ts.SyntaxKind.ThisKeyword) return [];
  const subclass = enclosingClass(access);
  return subclass ? inheritedClassValues(subclass, file, access.name.text, baseOf) : [];
}

/**
 * `inheritedFieldValues` for field `name` of the instances of `subclass` (written in `file`): `new UsersRoute()`
 * read as `route.router` in the app's loop. Empty when the class sets the field itself.
 */
export function inheritedClassValues<F>(
  subclass: ts.ClassLikeDeclaration,
  file: F,
  name: string,
  baseOf: (file: F, extended: ts.Expression) => { file: F; node: ts.ClassLikeDeclaration }[],
): InheritedValue<F>[] {
  if (classFieldValues(subclass).has(name)) return [];
  const out: InheritedValue<F>[] = [];
  const climb = (
    cls: ts.ClassLikeDeclaration,
    at: F,
    bindings: ReadonlyMap<ts.ParameterDeclaration, { file: F; node: ts.Expression }>,
    depth: number,
    between: { file: F; node: ts.ClassLikeDeclaration }[] = [],
  ): void => {
    const extended = cls.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    if (!extended || depth >= MAX_BASES) return;
    const handed = superArguments(cls);
    for (const base of baseOf(at, extended.expression)) {
      const next = new Map(bindings);
      const constructor = base.node.members.find(ts.isConstructorDeclaration);
      if (constructor && handed)
        constructor.parameters.forEach((parameter, index) => {
          const argument = handed[index];
          if (argument && !parameter.dotDotDotToken) next.set(parameter, { file: at, node: argument });
        });
      const values = classFieldValues(base.node).get(name);
      if (values)
        for (const node of values)
          out.push({ file: base.file, node, subclass, subclassFile: file, between, bindings: next });
      else climb(base.node, base.file, next, depth + 1, [...between, base]);
    }
  };
  climb(subclass, file, new Map(), 0);
  return out;
}

/** The arguments of the `super(…)` among a class constructor's top-level statements; undefined without one. */
function superArguments(cls: ts.ClassLikeDeclaration): readonly ts.Expression[] | undefined {
  const constructor = cls.members.find(ts.isConstructorDeclaration);
  for (const statement of constructor?.body?.statements ?? []) {
    const expression = ts.isExpressionStatement(statement) ? unwrap(statement.expression) : undefined;
    if (
      expression &&
      ts.isCallExpression(expression) &&
      expression.expression.kind === ts.SyntaxKind.SuperKeyword
    )
      return expression.arguments;
  }
  return undefined;
}

/**
 * A read of `this.<name>` in the class's own members (not in nested classes or functions, whose `this` is
 * another object): the expression through which the instance's inherited field is read as the instance's own.
 */
export function thisReadIn(
  cls: ts.ClassLikeDeclaration,
  name: string,
): ts.PropertyAccessExpression | undefined {
  let found: ts.PropertyAccessExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found || ts.isClassLike(node) || ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node))
      return;
    if (
      ts.isPropertyAccessExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ThisKeyword &&
      node.name.text === name
    )
      found = node;
    else node.forEachChild(visit);
  };
  for (const member of cls.members) member.forEachChild(visit);
  return found;
}
