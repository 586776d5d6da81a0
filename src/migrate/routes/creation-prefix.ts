import ts from '../../typescript.cjs';
import { unwrap, type ProjectFile } from './project.js';
import { objectProperty } from './syntax.js';
import type { RouterGraphApi } from './wiring.js';

/** How deep a chain of project classes is followed to the `super(...)` that names the prefix. */
const MAX_CLASSES = 4;

/**
 * The prefix a router creation gives its routes through its options (`new Router({ prefix: '/items' })`, itty's
 * `Router({ base })`: `option` names the key): a literal, or a string the code fixes (`{ prefix: API_PREFIX }`,
 * a template of constants). For `new C(…)` of a project class that extends the framework's router, the options
 * its constructor hands to `super` (`class ItemsRouter extends Router { constructor() { super({ prefix: '/items' })
 * } }`), also from its own parameters (`constructor(prefix) { super({ prefix }) }` with `new ItemsRouter('/items')`,
 * `constructor(opts) { super(opts) }`), through a chain of project classes. Undefined when none is given or
 * none can be read (the routes then sit at the router's root, as before). `bindings`: a base class's constructor
 * parameters read for one subclass (`new Router({ prefix })` in `constructor(app, prefix)`, given what the subclass
 * hands `super(…)`; base-mounts.ts).
 */
export function creationPrefix(
  graph: RouterGraphApi,
  file: ProjectFile,
  node: ts.NewExpression | ts.CallExpression,
  option: string,
  bindings?: ReadonlyMap<ts.ParameterDeclaration, { file: ProjectFile; node: ts.Expression }>,
): string | undefined {
  const args = node.arguments ? [...node.arguments] : [];
  const direct = optionsPrefix(graph, file, args[0], option, bindings);
  if (direct !== undefined || !ts.isNewExpression(node)) return direct;
  const callee = unwrap(node.expression);
  return ts.isIdentifier(callee) ? superPrefix(graph, file, callee, args, file, option, 0) : undefined;
}

function optionsPrefix(
  graph: RouterGraphApi,
  file: ProjectFile,
  options: ts.Expression | undefined,
  option: string,
  bindings?: ReadonlyMap<ts.ParameterDeclaration, { file: ProjectFile; node: ts.Expression }>,
): string | undefined {
  const object = options ? unwrap(options) : undefined;
  if (!object || !ts.isObjectLiteralExpression(object)) return undefined;
  const value = objectProperty(object, option);
  return value ? graph.project.stringOf(file, value, 0, bindings) : undefined;
}

/**
 * The prefix the constructor of the class `name` evaluates to hands `super`, with `args` (in `argsFile`) the
 * arguments it is constructed with. A class without a constructor passes its arguments on to its base class.
 */
function superPrefix(
  graph: RouterGraphApi,
  file: ProjectFile,
  name: ts.Identifier,
  args: readonly ts.Expression[],
  argsFile: ProjectFile,
  option: string,
  depth: number,
): string | undefined {
  if (depth > MAX_CLASSES) return undefined;
  for (const value of graph.valuesOf(file, name)) {
    const cls = value.node;
    if (!ts.isClassDeclaration(cls) && !ts.isClassExpression(cls)) continue;
    const constructor = cls.members.find(ts.isConstructorDeclaration);
    if (!constructor) {
      const base = cls.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]
        ?.expression;
      const found =
        base && ts.isIdentifier(base)
          ? superPrefix(graph, value.file, base, args, argsFile, option, depth + 1)
          : undefined;
      if (found !== undefined) return found;
      continue;
    }
    const call = superCall(constructor);
    if (!call) continue;
    // A parameter of the constructor stands for the argument `new` gives it.
    const argumentFor = (expression: ts.Expression): ts.Expression | undefined => {
      const inner = unwrap(expression);
      if (!ts.isIdentifier(inner)) return undefined;
      const index = constructor.parameters.findIndex(
        (p) => ts.isIdentifier(p.name) && p.name.text === inner.text,
      );
      return index >= 0 ? (args[index] ?? constructor.parameters[index]?.initializer) : undefined;
    };
    const first = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
    if (!first) continue;
    if (ts.isObjectLiteralExpression(first)) {
      const held = objectProperty(first, option);
      if (!held) continue;
      const own = graph.project.stringOf(value.file, held);
      if (own !== undefined) return own;
      const passed = argumentFor(held);
      const fromArgs = passed ? graph.project.stringOf(argsFile, passed) : undefined;
      if (fromArgs !== undefined) return fromArgs;
      continue;
    }
    // `super(opts)`: the options object the class is given.
    const passed = argumentFor(first);
    const fromArgs = passed ? optionsPrefix(graph, argsFile, passed, option) : undefined;
    if (fromArgs !== undefined) return fromArgs;
  }
  return undefined;
}

/** The `super(...)` call among a constructor's top-level statements. */
function superCall(constructor: ts.ConstructorDeclaration): ts.CallExpression | undefined {
  for (const statement of constructor.body?.statements ?? []) {
    if (!ts.isExpressionStatement(statement)) continue;
    const expression = unwrap(statement.expression);
    if (ts.isCallExpression(expression) && expression.expression.kind === ts.SyntaxKind.SuperKeyword)
      return expression;
  }
  return undefined;
}
