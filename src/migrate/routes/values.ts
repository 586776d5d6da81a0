import ts from '../../typescript.cjs';
import { listedModules, loadsByName } from './listed-modules.js';
import { memberDeclarations } from './members.js';
import { pickedFunctions } from './route-lists.js';
import { instanceMethods } from './class-fields.js';
import {
  importCallOf,
  isFunctionNode,
  propertyName,
  requireOf,
  unwrap,
  type Declaration,
  type ProjectFile,
} from './project.js';
import { objectProperty, returnedExpressions } from './syntax.js';
import type { FunctionRef, RouterGraphApi } from './wiring.js';
import { isExportsObject } from '../analysis/export-names.js';

/**
 * What an expression of the project evaluates to, as the router graph (graph.ts) follows it: the functions it
 * names (declarations, variables holding functions, imports, `require`, wrappers such as `fp(fn)`), the values a
 * name holds one step on (initializers, `exports.x = value`, object members, destructured elements), and the
 * constructor `new X()` runs (the plugins a `register(...)` call receives: plugin-values.ts). Depth-limited
 * (a chain of names longer than a few steps gives nothing); reads the trees, changes nothing.
 */

/** `read` applied to what the default export of the module `specifier` (from `file`) holds; none when unresolved. */
export function defaultExportValues(
  graph: RouterGraphApi,
  file: ProjectFile,
  specifier: string,
  read: (value: { file: ProjectFile; node: ts.Expression }) => FunctionRef[],
): FunctionRef[] {
  const module = graph.project.resolveModule(file, specifier);
  if (!module) return [];
  return declarationValues(graph, graph.project.exportOf(module, 'default')).flatMap((value) =>
    isFunctionNode(value.node)
      ? [{ file: value.file, node: value.node }]
      : ts.isExpression(value.node)
        ? read({ file: value.file, node: value.node })
        : [],
  );
}

export function functionsOf(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  depth = 0,
): FunctionRef[] {
  const node = unwrap(expression);
  if (depth > 6) return [];
  if (isFunctionNode(node)) return [{ file, node }];
  const loaded = importCallOf(node);
  if (loaded !== undefined)
    return defaultExportValues(graph, file, loaded, (v) => functionsOf(graph, v.file, v.node, depth + 1));
  if (ts.isAwaitExpression(node)) return functionsOf(graph, file, node.expression, depth + 1);
  if (ts.isCallExpression(node) && !requireOf(node) && !loadsByName(node)) {
    const picked = pickedFunctions(graph, file, node, depth);
    if (picked.length) return picked;
    return node.arguments.flatMap((argument) => functionsOf(graph, file, argument, depth + 1));
  }
  return valuesOf(graph, file, node).flatMap((value) =>
    isFunctionNode(value.node)
      ? [{ file: value.file, node: value.node }]
      : // `{ user: require('./user') }` read by member (`_mounts.user(router, …)`, NodeBB): what the module exports
        ts.isCallExpression(value.node) || ts.isAwaitExpression(value.node)
        ? functionsOf(graph, value.file, value.node, depth + 1)
        : [],
  );
}

/**
 * What `new <expression>(...)` runs: a constructor function (`function Collection({ app })`), or the
 * `constructor` of a class; a class that declares none runs its base class's with the same arguments, as
 * JavaScript's implicit `constructor(...args) { super(...args) }` does (Flowise's `new Auth0SSO(app, config)` into
 * `SSOBase`'s `constructor(app, ssoConfig) { this.app = app }`; since session 34, before: none). `super(…)`
 * (`expression` the `super` keyword) runs the base class's of the class it is written in. Bases are climbed up to
 * MAX_CONSTRUCTOR_BASES classes of the project; a package's class (`extends EventEmitter`) gives none.
 */
export function constructorsOf(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
): FunctionRef[] {
  if (expression.kind === ts.SyntaxKind.SuperKeyword) {
    let owner: ts.Node | undefined = expression.parent;
    while (owner && !ts.isClassLike(owner)) owner = owner.parent;
    return owner ? baseConstructors(graph, file, owner, 0) : [];
  }
  return valuesOf(graph, file, expression).flatMap((value): FunctionRef[] => {
    if (isFunctionNode(value.node)) return [{ file: value.file, node: value.node }];
    if (!ts.isClassDeclaration(value.node) && !ts.isClassExpression(value.node)) return [];
    return classConstructors(graph, value.file, value.node, 0);
  });
}

/** How many base classes `constructorsOf` climbs for a class without a constructor of its own. */
const MAX_CONSTRUCTOR_BASES = 4;

/** The constructor `new C(…)` runs for class `cls`: its own (with a body), else its base class's. */
function classConstructors(
  graph: RouterGraphApi,
  file: ProjectFile,
  cls: ts.ClassLikeDeclaration,
  depth: number,
): FunctionRef[] {
  const constructor = cls.members.find(ts.isConstructorDeclaration);
  if (constructor) return constructor.body ? [{ file, node: constructor }] : [];
  return baseConstructors(graph, file, cls, depth);
}

/** The constructor of the project class `cls` extends (climbing through classes without one); none past the limit. */
function baseConstructors(
  graph: RouterGraphApi,
  file: ProjectFile,
  cls: ts.ClassLikeDeclaration,
  depth: number,
): FunctionRef[] {
  if (depth >= MAX_CONSTRUCTOR_BASES) return [];
  const extended = cls.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (!extended) return [];
  return graph.project
    .classesNamed(file, extended.expression)
    .flatMap((base) => classConstructors(graph, base.file, base.node, depth + 1));
}

export function valuesOf(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  depth = 0,
): { file: ProjectFile; node: ts.Node }[] {
  if (depth > 5) return [];
  const node = unwrap(expression);
  let declarations: Declaration[] = [];
  // CommonJS's `exports` / `module.exports` (not a local of that name) is the module itself: `helpers.f(…)` on
  // `const helpers = module.exports`, `exports.f(…)` in the file that assigns `exports.f` (NodeBB's helpers).
  if (isExportsObject(node) && !(ts.isIdentifier(node) && graph.project.lookup(file, node, node.text).length))
    return [{ file, node: file.sourceFile }];
  if (ts.isIdentifier(node)) declarations = graph.project.lookup(file, node, node.text);
  else if (ts.isPropertyAccessExpression(node)) {
    if (depth > 3) return [];
    declarations = memberDeclarations(graph, file, node.expression, node.name.text);
    // `require('./b').reg(app)`: the export `reg` of the module required in place (session 50)
    if (!declarations.length) declarations = requiredExport(graph, file, node);
    // `graph.auth.initAuthRoutes`: a method of another project class's instance
    if (!declarations.length) declarations = instanceMethods(graph.project, file, node);
  } else {
    // `import('./x')`, `await import('./x')`: the module namespace, whose members are its exports.
    const loaded = importCallOf(node);
    const module = loaded !== undefined ? graph.project.resolveModule(file, loaded) : undefined;
    if (module) return [{ file: module, node: module.sourceFile }];
    const required = ts.isCallExpression(node) ? requireOf(node) : undefined;
    const target = required ? graph.project.resolveModule(file, required.module) : undefined;
    if (target) declarations = graph.project.exportOf(target, required?.property ?? 'default');
    else {
      // `require('./' + x)` in a loop over a directory listing: what each listed module exports.
      const listed = listedModules(graph.project, file, node);
      if (!listed?.length) return [{ file, node }];
      declarations = listed.flatMap((module) => graph.project.exportOf(module, 'default'));
    }
  }
  return declarationValues(graph, declarations, depth);
}

/**
 * The export a member read of an in-place `require` names (`require('./b').reg`, `exports.reg = …` or
 * `module.exports = { reg }` in `./b`): empty when the expression is no such read or the module is not scanned.
 */
function requiredExport(
  graph: RouterGraphApi,
  file: ProjectFile,
  node: ts.PropertyAccessExpression,
): Declaration[] {
  const required = requireOf(node);
  if (required?.property === undefined) return [];
  const target = graph.project.resolveModule(file, required.module);
  return target ? graph.project.exportOf(target, required.property) : [];
}

/** What each declaration holds, one step (variables' initializers, `exports.x = value`, property values). */
export function declarationValues(
  graph: RouterGraphApi,
  declarations: Declaration[],
  depth = 0,
): { file: ProjectFile; node: ts.Node }[] {
  return declarations.flatMap((d): { file: ProjectFile; node: ts.Node }[] => {
    if (ts.isVariableDeclaration(d.node) && d.node.initializer) {
      const init = unwrap(d.node.initializer);
      // `const RouterClass = await import(`${dir}/${folder}/${folder}.router.js`)` in a loop over a listing: the
      // namespace of each listed module (`RouterClass.default` its default export).
      const namespaces = importedNamespaces(graph, d.file, init);
      if (namespaces) return namespaces;
      return ts.isIdentifier(init) || ts.isPropertyAccessExpression(init)
        ? valuesOf(graph, d.file, init, depth + 1)
        : [{ file: d.file, node: init }];
    }
    if (ts.isExportAssignment(d.node)) return valuesOf(graph, d.file, d.node.expression, depth + 1);
    if (ts.isBinaryExpression(d.node)) return [{ file: d.file, node: unwrap(d.node.right) }];
    if (ts.isPropertyAssignment(d.node)) return [{ file: d.file, node: unwrap(d.node.initializer) }];
    // A class property holding a function (`init = async (app) => { … }`), called as a method.
    if (ts.isPropertyDeclaration(d.node) && d.node.initializer && isFunctionNode(unwrap(d.node.initializer)))
      return [{ file: d.file, node: unwrap(d.node.initializer) }];
    if (ts.isIdentifier(d.node) || ts.isPropertyAccessExpression(d.node))
      return valuesOf(graph, d.file, d.node, depth + 1);
    if (ts.isBindingElement(d.node)) {
      const picked = destructured(graph, d.file, d.node, depth);
      if (picked.length) return picked;
    }
    return [d];
  });
}

/**
 * The module namespaces `import(x)` (awaited or not) gives when `x` is a name built from a directory listing
 * (listed-modules.ts): one per listed module. Undefined for any other expression.
 */
function importedNamespaces(
  graph: RouterGraphApi,
  file: ProjectFile,
  node: ts.Expression,
): { file: ProjectFile; node: ts.Node }[] | undefined {
  const call = ts.isAwaitExpression(node) ? unwrap(node.expression) : node;
  if (!ts.isCallExpression(call) || call.expression.kind !== ts.SyntaxKind.ImportKeyword) return undefined;
  const listed = listedModules(graph.project, file, call);
  return listed?.length ? listed.map((module) => ({ file: module, node: module.sourceFile })) : undefined;
}

/**
 * What a name destructured from a value holds: `const [notFound, logErrors, respond] = errorHandlers()` takes
 * the element at its index of the array the project function returns (or a variable holds), `const { auth } =
 * makeGuards()` the property of the object. Empty when the value is not a literal the code shows.
 */
function destructured(
  graph: RouterGraphApi,
  file: ProjectFile,
  element: ts.BindingElement,
  depth: number,
): { file: ProjectFile; node: ts.Node }[] {
  const pattern = element.parent;
  const declaration = pattern.parent;
  if (!ts.isVariableDeclaration(declaration) || !declaration.initializer || element.dotDotDotToken) return [];
  let source = unwrap(declaration.initializer);
  while (ts.isAwaitExpression(source)) source = unwrap(source.expression);
  const key = ts.isArrayBindingPattern(pattern)
    ? pattern.elements.indexOf(element)
    : element.propertyName
      ? propertyName(element.propertyName)
      : ts.isIdentifier(element.name)
        ? element.name.text
        : undefined;
  if (key === undefined) return [];
  const holders = ts.isCallExpression(source)
    ? functionsOf(graph, file, source.expression).flatMap((fn) =>
        returnedExpressions(fn).map((e) => ({ file: fn.file, node: e })),
      )
    : [{ file, node: source }];
  const out: { file: ProjectFile; node: ts.Node }[] = [];
  for (const holder of holders) {
    const node = unwrap(holder.node);
    const literals = ts.isIdentifier(node) ? valuesOf(graph, holder.file, node, depth + 1) : [holder];
    for (const literal of literals) {
      const value = ts.isExpression(literal.node) ? unwrap(literal.node) : literal.node;
      const picked =
        typeof key === 'number'
          ? ts.isArrayLiteralExpression(value)
            ? value.elements[key]
            : undefined
          : ts.isObjectLiteralExpression(value)
            ? objectProperty(value, key)
            : undefined;
      if (!picked || ts.isSpreadElement(picked) || ts.isOmittedExpression(picked)) continue;
      out.push(
        ...(ts.isIdentifier(unwrap(picked)) || ts.isPropertyAccessExpression(unwrap(picked))
          ? valuesOf(graph, literal.file, picked, depth + 1)
          : [{ file: literal.file, node: unwrap(picked) }]),
      );
    }
  }
  return out;
}
