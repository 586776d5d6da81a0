import ts from '../../typescript.cjs';
import { loadsByName } from './listed-modules.js';
import { passedValues } from './call-sites.js';
import { importCallOf, isFunctionNode, requireOf, unwrap, type ProjectFile } from './project.js';
import { externalImport, objectProperty, prefixOption, returnedExpressions } from './syntax.js';
import type { FunctionRef, Prefix, RouterGraphApi } from './wiring.js';
import { optionTemplate } from './plugin-options.js';
import { declarationValues, defaultExportValues, functionsOf, valuesOf } from './values.js';

/**
 * The plugins a Fastify / hapi `register(...)` call receives, as the router graph (graph.ts) follows them: each
 * plugin's registering function, the prefix it is registered under and its own options. Reads the trees, changes
 * nothing.
 */
export function pluginsOf(
  graph: RouterGraphApi,
  file: ProjectFile,
  call: ts.CallExpression,
  argumentOptions = false,
  /** Receives each plugin expression of the project that gives no plugin function (not a package's plugin). */
  missed?: (expression: ts.Expression, at: ProjectFile, prefix: Prefix) => void,
): { fn: FunctionRef; prefix: Prefix; expression: ts.Expression; options?: ts.Expression }[] {
  const [first, options] = call.arguments;
  if (!first) return [];
  const optionPrefix =
    options && ts.isObjectLiteralExpression(unwrap(options))
      ? pluginPrefix(graph, file, unwrap(options) as ts.ObjectLiteralExpression)
      : '';
  const out: { fn: FunctionRef; prefix: Prefix; expression: ts.Expression; options?: ts.Expression }[] = [];
  // The plugin's own options: Fastify's second argument; hapi's `{ plugin, options }` (its second argument
  // holds registration options, `routes` and `once`, not the plugin's).
  const add = (
    expression: ts.Expression,
    prefix: Prefix,
    own: ts.Expression | undefined,
    at = file,
    depth = 0,
  ): void => {
    const node = unwrap(expression);
    if (depth > 6) return;
    if (ts.isArrayLiteralExpression(node)) {
      for (const element of node.elements)
        add(ts.isSpreadElement(element) ? element.expression : element, prefix, own, at, depth + 1);
      return;
    }
    // `[Routes, enabled && Metrics].filter(Boolean)`: the elements; `enabled && Metrics`: Metrics.
    const kept = keptElements(node);
    if (kept) {
      for (const element of kept) add(element, prefix, own, at, depth + 1);
      return;
    }
    // `server.register(modules)` inside `createServer(port, modules)`: what every call passes; a list of
    // plugins held by a variable (`const modules = [Routes]`).
    if (ts.isIdentifier(node)) {
      const held = graph.project.lookup(at, node, node.text).flatMap((d) => {
        if (ts.isVariableDeclaration(d.node) && d.node.initializer) {
          const init = unwrap(d.node.initializer);
          return ts.isArrayLiteralExpression(init) || keptElements(init)
            ? [{ file: d.file, node: init }]
            : [];
        }
        return passedValues(graph, d) ?? [];
      });
      if (held.length) {
        for (const value of held) add(value.node, prefix, own, value.file, depth + 1);
        return;
      }
    }
    // A registration object held by a name, here or imported (`const router = { plugin: { name, register } }`, as
    // DEFRA's CDP template writes every plugin), and the lists or registration objects a function of the project
    // returns (`server.register(getPlugins(options))`): read as if written here.
    const held = heldRegistrations(graph, at, node);
    if (held.length) {
      for (const value of held) add(value.node, prefix, own, value.file, depth + 1);
      return;
    }
    if (ts.isObjectLiteralExpression(node) && objectProperty(node, 'plugin')) {
      const ownPrefix = pluginPrefix(graph, at, node);
      add(
        objectProperty(node, 'plugin') as ts.Expression,
        ownPrefix === '' ? prefix : ownPrefix,
        objectProperty(node, 'options'),
        at,
        depth + 1,
      );
      return;
    }
    // `{ ...admin, routes: { prefix: '/admin' } }`: the spread registration object's plugin and options, under
    // the prefix written beside the spread (else its own).
    const spread = ts.isObjectLiteralExpression(node) ? spreadRegistrations(graph, at, node) : [];
    if (spread.length) {
      const outerPrefix = pluginPrefix(graph, at, node as ts.ObjectLiteralExpression);
      const outerOptions = objectProperty(node as ts.ObjectLiteralExpression, 'options');
      for (const inner of spread) {
        const innerPrefix = pluginPrefix(graph, inner.file, inner.node);
        const chosen = outerPrefix !== '' ? outerPrefix : innerPrefix;
        add(
          objectProperty(inner.node, 'plugin') as ts.Expression,
          chosen === '' ? prefix : chosen,
          outerOptions ?? objectProperty(inner.node, 'options'),
          inner.file,
          depth + 1,
        );
      }
      return;
    }
    const functions = pluginFunctions(graph, at, node);
    for (const fn of functions) out.push({ fn, prefix, expression: node, ...(own ? { options: own } : {}) });
    if (!functions.length && missed && !isPackageValue(graph, at, node)) missed(node, at, prefix);
  };
  add(first, optionPrefix, argumentOptions ? options : undefined);
  return out;
}

/** hapi's registration object: an object literal with a `plugin` key (`{ plugin, options, routes }`). */
function isRegistration(node: ts.Node): node is ts.ObjectLiteralExpression {
  return ts.isObjectLiteralExpression(node) && objectProperty(node, 'plugin') !== undefined;
}

/**
 * The registration objects a name holds (`router` of `const router = { plugin: { … } }`, here or imported; a
 * member, `plugins.router`), and what a call of a project function returns when that is a list of plugins, a
 * guarded list (`[…].filter(Boolean)`), a registration object or a hapi plugin object (`{ name, register }`):
 * `getPlugins(options)`, `createQueuePlugin(name, url)`. Empty for anything else (a function a call returns, a
 * package's function, a name holding a plugin function), which the caller reads as before.
 */
function heldRegistrations(
  graph: RouterGraphApi,
  file: ProjectFile,
  node: ts.Expression,
): { file: ProjectFile; node: ts.Expression }[] {
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node))
    return valuesOf(graph, file, node).flatMap((value) =>
      isRegistration(value.node) ? [{ file: value.file, node: value.node }] : [],
    );
  if (!ts.isCallExpression(node) || requireOf(node) || importCallOf(node) !== undefined || keptElements(node))
    return [];
  return functionsOf(graph, file, node.expression).flatMap((fn) =>
    returnedExpressions(fn).flatMap((returned) => {
      const value = unwrap(returned);
      const plugins =
        ts.isArrayLiteralExpression(value) ||
        keptElements(value) !== undefined ||
        isRegistration(value) ||
        (ts.isObjectLiteralExpression(value) && objectProperty(value, 'register') !== undefined);
      return plugins ? [{ file: fn.file, node: value }] : [];
    }),
  );
}

/** The registration objects spread into an object literal (`{ ...admin, routes: { prefix } }`). */
function spreadRegistrations(
  graph: RouterGraphApi,
  file: ProjectFile,
  object: ts.ObjectLiteralExpression,
): { file: ProjectFile; node: ts.ObjectLiteralExpression }[] {
  return object.properties.flatMap((property) => {
    if (!ts.isSpreadAssignment(property)) return [];
    const spread = unwrap(property.expression);
    if (isRegistration(spread)) return [{ file, node: spread }];
    return valuesOf(graph, file, spread).flatMap((value) =>
      isRegistration(value.node) ? [{ file: value.file, node: value.node }] : [],
    );
  });
}

/**
 * A value that comes from a package, not from the project: `require('@fastify/cors')`, `import('fastify-x')`, a
 * name imported or required from a module that resolves to no project file, a member of one (`Inert.plugin`), a
 * name holding one (`const FastifyMetrics = FastifyMetricsModule.default`, as ESM code spells a CommonJS
 * package's default). Its routes, if any, are not the project's to read.
 */
function isPackageValue(graph: RouterGraphApi, file: ProjectFile, node: ts.Expression, depth = 0): boolean {
  if (depth > 4) return false;
  const external = (module: string): boolean => !graph.project.resolveModule(file, module);
  let root = unwrap(node);
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root))
    root = unwrap(root.expression);
  if (ts.isCallExpression(root)) {
    const required = requireOf(root)?.module ?? importCallOf(root);
    if (required !== undefined) return external(required);
    // `fp(plugin)`, `fastifyPlugin(require('x'))`: the wrapped value decides, else the wrapper.
    const wrapped = root.arguments[0];
    return wrapped !== undefined
      ? isPackageValue(graph, file, wrapped, depth + 1)
      : isPackageValue(graph, file, root.expression, depth + 1);
  }
  if (!ts.isIdentifier(root)) return false;
  return graph.project.lookup(file, root, root.text).some((d) => {
    const imported = externalImport(d.node);
    if (imported !== undefined) return external(imported.module);
    // A name holding a package's value: its initializer decides (a name holding a project value does not).
    return (
      ts.isVariableDeclaration(d.node) &&
      d.node.initializer !== undefined &&
      isPackageValue(graph, d.file, d.node.initializer, depth + 1)
    );
  });
}

/**
 * The `prefix` of registration options (Fastify `{ prefix }`, hapi `{ routes: { prefix } }`): a string the code
 * fixes (a literal, a constant, a template of them), else the text computed at run time, with the template over
 * the options of the plugin it is written in when that is what it reads (`{ prefix: opts.base }`,
 * ``{ prefix: `/${opts.version}` }``: each registration of that plugin fills it in).
 */
function pluginPrefix(graph: RouterGraphApi, file: ProjectFile, object: ts.ObjectLiteralExpression): Prefix {
  const written = prefixOption(file, object);
  if (typeof written === 'string') return written;
  const routes = objectProperty(object, 'routes');
  const holder = routes && ts.isObjectLiteralExpression(unwrap(routes)) ? unwrap(routes) : object;
  const value = ts.isObjectLiteralExpression(holder) ? objectProperty(holder, 'prefix') : undefined;
  if (!value) return written;
  const fixed = graph.project.stringOf(file, value);
  if (fixed !== undefined) return fixed;
  const template = optionTemplate(graph.project, file, value);
  return template ? { ...written, template } : written;
}

/**
 * The values a list or a guarded value keeps: `list.filter(Boolean)` (also `.filter((m) => m)`) the list,
 * `enabled && plugin` the plugin, `a || b` and `c ? a : b` both. Undefined for any other expression.
 */
function keptElements(node: ts.Expression): ts.Expression[] | undefined {
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'filter' &&
    node.arguments.length === 1
  ) {
    const test = node.arguments[0] ? unwrap(node.arguments[0]) : undefined;
    const parameter = test && ts.isArrowFunction(test) ? test.parameters[0]?.name : undefined;
    const identity =
      (test !== undefined && ts.isIdentifier(test) && test.text === 'Boolean') ||
      (test !== undefined &&
        ts.isArrowFunction(test) &&
        parameter !== undefined &&
        ts.isIdentifier(parameter) &&
        ts.isIdentifier(test.body) &&
        test.body.text === parameter.text);
    return identity ? [node.expression.expression] : undefined;
  }
  if (ts.isBinaryExpression(node)) {
    if (node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return [node.right];
    if (node.operatorToken.kind === ts.SyntaxKind.BarBarToken) return [node.left, node.right];
  }
  if (ts.isConditionalExpression(node)) return [node.whenTrue, node.whenFalse];
  return undefined;
}

/**
 * A plugin value to its registering function: the function itself, `fp(fn)`, hapi's `{ register }`, or the function a
 * project function returns (`makePlugin(opts)`, followed up to MAX_PLUGIN_FACTORIES calls deep).
 */
function pluginFunctions(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  depth = 0,
): FunctionRef[] {
  const node = unwrap(expression);
  if (depth > MAX_PLUGIN_FACTORIES) return [];
  // `register(import('./routes/accounts.js'), opts)`: Fastify and hapi await the module and take its default.
  const loaded = importCallOf(node);
  if (loaded !== undefined)
    return defaultExportValues(graph, file, loaded, (v) => pluginFunctions(graph, v.file, v.node));
  if (ts.isObjectLiteralExpression(node)) {
    const register = objectProperty(node, 'register');
    if (register && isFunctionNode(register)) return [{ file, node: register }];
    return register ? functionsOf(graph, file, register) : [];
  }
  if (ts.isCallExpression(node) && !requireOf(node) && !loadsByName(node)) {
    const passed = node.arguments.flatMap((argument) => pluginFunctions(graph, file, argument, depth));
    if (passed.length) return passed;
    // `register(makePlugin(options))`: the plugin function a function of the project makes and returns (since
    // session 42; before, "a plugin mtls-fix cannot read" and its routes "not mounted anywhere").
    return functionsOf(graph, file, node.expression).flatMap((fn) =>
      returnedExpressions(fn).flatMap((returned) => pluginFunctions(graph, fn.file, returned, depth + 1)),
    );
  }
  const functions = functionsOf(graph, file, node);
  if (functions.length) return functions;
  // `import plugin from './users'` exporting `{ name, register }` (hapi) or `exports.plugin = {...}`.
  const values = ts.isCallExpression(node) ? [{ file, node }] : valuesOf(graph, file, node);
  return values.flatMap((value) => {
    if (ts.isObjectLiteralExpression(value.node)) return pluginFunctions(graph, value.file, value.node);
    // hapi's module convention: the module itself (`require('./public')`, `import * as pub`) exports `plugin`;
    // else the module is the plugin object (`module.exports = { name, register }`, `module.exports = plugin`).
    const module = moduleOf(graph, value.file, value.node);
    if (!module) return [];
    const read = (name: string): FunctionRef[] =>
      graph.project
        .exportOf(module, name)
        .flatMap((d) => declarationValues(graph, [d]))
        .flatMap((v) => (ts.isExpression(v.node) ? pluginFunctions(graph, v.file, v.node) : []));
    const named = read('plugin');
    return named.length ? named : read('default');
  });
}

/** How many plugin factories deep `pluginFunctions` follows a call (`register(outer(inner()))`). */
const MAX_PLUGIN_FACTORIES = 4;

/** The project module a value stands for: `require('./x')` (or what a name holding it evaluates to), or a namespace import `import * as x`. */
function moduleOf(graph: RouterGraphApi, file: ProjectFile, node: ts.Node): ProjectFile | undefined {
  // `const Routes = require('./routes')` of a CommonJS module with no default export: the module itself.
  if (ts.isSourceFile(node)) return file;
  const required = ts.isCallExpression(node) ? requireOf(node) : undefined;
  if (required && !required.property) return graph.project.resolveModule(file, required.module);
  if (ts.isNamespaceImport(node) && ts.isStringLiteral(node.parent.parent.moduleSpecifier))
    return graph.project.resolveModule(file, node.parent.parent.moduleSpecifier.text);
  return undefined;
}
