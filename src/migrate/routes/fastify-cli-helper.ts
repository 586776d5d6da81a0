import path from 'node:path';
import ts from '../../typescript.cjs';
import { DirEvaluator, importsFrom } from './fastify-autoload.js';
import { isFunctionNode, unwrap, type ProjectFile } from './project.js';
import { returnedExpressions } from './syntax.js';
import { elementsOf } from './nest-modules.js';
import { objectOf, property } from './option-values.js';
import type { Prefix, RouterGraphApi, RouterNode } from './wiring.js';
import { lineAt } from '../../util/lines.js';

/**
 * fastify-cli's test helper: `helper.build(argv, config)` (and `helper.listen`) from `fastify-cli/helper`
 * builds an app the way `fastify start` does and registers on it the plugin file `argv` names
 * (`[path.join(__dirname, '..', 'src', 'app.ts')]`, the test/helper.ts of fastify-cli's templates), under the
 * `-x` / `--prefix` of `argv` or the `prefix` of the options. With `skipOverride: true` (the templates' config)
 * the plugin is wrapped with fastify-plugin, so Fastify ignores that prefix for the plugin's own routes, while
 * the plugin still receives it among its options (the template's app hands them on to `@fastify/autoload`).
 * Sources: fastify-cli helper.js `build(args, additionalOptions)` -> start.js `runFastify`
 * (`register(skipOverride ? fp(appFn) : appFn, appConfig)`, `pluginOptions.prefix = opts.prefix`), args.js
 * (`prefix`, short `x`); Fastify docs "Plugins" (`prefix` is ignored for a plugin wrapped with fastify-plugin).
 */
const HELPER_MODULES = new Set(['fastify-cli/helper', 'fastify-cli/helper.js']);

/**
 * A helper call read: the plugin file it registers, the prefix (`{ dynamic }`: written but known only at run
 * time, `process.env.PREFIX`), whether the plugin is shared (`skipOverride`).
 */
interface HelperApp {
  file: string;
  prefix?: Prefix;
  shared: boolean;
}

/**
 * Links every fastify-cli helper app of the project to the plugin it registers: a new app node at the helper's
 * call, the plugin's instance parameter under the call's prefix (none when the plugin is shared).
 */
export function fastifyCliHelperApps(graph: RouterGraphApi): void {
  let plugins: { router: RouterNode; fn: ts.SignatureDeclaration & { body?: ts.Node } }[] | undefined;
  for (const file of graph.project.files) {
    if (!file.sourceFile.text.includes('fastify-cli/helper')) continue;
    for (const call of graph.project.calls(file)) {
      if (!isHelperCall(graph, file, call)) continue;
      const app = readHelperCall(graph, file, call);
      if (!app) continue;
      plugins ??= pluginRouters(graph);
      const stem = app.file.replace(/\.[cm]?[jt]sx?$/, '');
      for (const plugin of plugins) {
        if (plugin.router.file.absolute.replace(/\.[cm]?[jt]sx?$/, '') !== stem) continue;
        const root = graph.node(file, call, {
          framework: 'fastify',
          kind: 'app',
          syntax: plugin.router.syntax,
        });
        const prefix = app.shared ? '' : (app.prefix ?? '');
        const line = lineAt(file.sourceFile, call.getStart(file.sourceFile));
        // A prefix known only at run time is no value the plugin's options can fill in.
        const options =
          typeof app.prefix === 'string' && app.prefix
            ? { fn: plugin.fn, values: new Map([['prefix', app.prefix]]), at: `${file.relative}:${line}` }
            : undefined;
        graph.linkParameter(
          root,
          { file: plugin.router.file, node: plugin.fn },
          prefix,
          call,
          file,
          0,
          app.shared,
          options,
        );
      }
    }
  }
}

/**
 * Routers that are a plugin function's instance parameter, with that function. Any framework's: a plugin file
 * that imports nothing (`module.exports = async function (fastify, opts) {...}`, fastify-cli's JS templates) is
 * read with the graph's guess, and the helper's call is what says it is a Fastify plugin.
 */
function pluginRouters(
  graph: RouterGraphApi,
): { router: RouterNode; fn: ts.SignatureDeclaration & { body?: ts.Node } }[] {
  const out: { router: RouterNode; fn: ts.SignatureDeclaration & { body?: ts.Node } }[] = [];
  for (const router of graph.allRouters()) {
    if (!ts.isParameter(router.node)) continue;
    const fn = router.node.parent;
    if (isFunctionNode(fn) && fn.parameters[0] === router.node) out.push({ router, fn });
  }
  return out;
}

/** `build(argv)` imported from the helper (`import { build as buildApplication }`), or `helper.build(argv)`. */
function isHelperCall(graph: RouterGraphApi, file: ProjectFile, call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  if (ts.isPropertyAccessExpression(callee) && !['build', 'listen'].includes(callee.name.text)) return false;
  if (!ts.isPropertyAccessExpression(callee) && !ts.isIdentifier(callee)) return false;
  return call.arguments.length > 0 && importsFrom(graph, file, callee, HELPER_MODULES);
}

/**
 * The object literal an options argument holds: inline or through a name (option-values.ts `objectOf`, imports
 * followed), or what a project function returns (`config()` of fastify-cli's test/helper.ts).
 */
function optionsOf(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression | undefined,
): { file: ProjectFile; node: ts.ObjectLiteralExpression } | undefined {
  const node = expression && unwrap(expression);
  if (!node || !ts.isCallExpression(node)) return objectOf(graph, file, node);
  for (const fn of graph.functionsOf(file, node.expression))
    for (const returned of returnedExpressions(fn)) {
      const value = objectOf(graph, fn.file, returned);
      if (value) return value;
    }
  return undefined;
}

/**
 * A prefix as the project writes it: a string it fixes (a literal, a constant here or imported, a template of
 * them: project.ts `stringOf`), else the text, known only at run time (`process.env.PREFIX`, a parameter).
 */
function prefixOf(graph: RouterGraphApi, file: ProjectFile, expression: ts.Expression): Prefix {
  return graph.project.stringOf(file, expression) ?? { dynamic: expression.getText(file.sourceFile) };
}

/** The plugin file, prefix and sharing of one helper call; undefined when its `argv` names no file it reads. */
function readHelperCall(
  graph: RouterGraphApi,
  file: ProjectFile,
  call: ts.CallExpression,
): HelperApp | undefined {
  // `argv`: an array literal, or a constant holding one (also imported, with `...spread`s: nest-modules.ts).
  const argv = call.arguments[0] ? elementsOf(graph.project, file, call.arguments[0]).items : [];
  let plugin: string | undefined;
  let prefix: Prefix | undefined;
  for (let i = 0; i < argv.length; i++) {
    const text = graph.project.stringOf(argv[i].file, argv[i].node);
    if (text === '-x' || text === '--prefix') {
      const value = argv[i + 1];
      prefix = value && prefixOf(graph, value.file, value.node);
      i++;
    } else if (text?.startsWith('--prefix=')) prefix = text.slice('--prefix='.length);
    else if (text?.startsWith('-')) continue;
    // `` `--prefix=${process.env.PREFIX}` ``: a prefix known only at run time.
    else if (text === undefined && /^[`'"]--prefix=/.test(argv[i].node.getText(argv[i].file.sourceFile)))
      prefix = { dynamic: argv[i].node.getText(argv[i].file.sourceFile) };
    else plugin ??= new DirEvaluator(graph, argv[i].file).path(argv[i].node);
  }
  if (!plugin) return undefined;
  // The options win over argv (start.js: `Object.assign({}, ..., opts.pluginOptions, additionalOptions)`).
  const config = optionsOf(graph, file, call.arguments[1]);
  const configPrefix = config && property(config.node, 'prefix');
  if (config && configPrefix) prefix = prefixOf(graph, config.file, configPrefix);
  const skip = config && property(config.node, 'skipOverride');
  return {
    file: path.resolve(plugin),
    ...(prefix ? { prefix } : {}),
    shared: skip !== undefined && skip.kind === ts.SyntaxKind.TrueKeyword,
  };
}
