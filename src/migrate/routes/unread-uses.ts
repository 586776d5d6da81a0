import ts from '../../typescript.cjs';
import { listedModules } from './listed-modules.js';
import { requireOf, staticString, unwrap, type ProjectFile } from './project.js';
import { externalImport, returnedExpressions } from './syntax.js';
import type { RouterGraphApi } from './wiring.js';

/** Methods that hand back the router they are called on (Koa's `routes()`, koa-joi-router's `middleware()`). */
const SAME_ROUTER = new Set(['routes', 'middleware']);

/**
 * Whether `app.use([path,] x)` hands the app a value of the project mtls-fix cannot read, which may be a router
 * whose routes it then never sees (a router or middleware: it cannot tell which):
 * - a member picked by a key computed at run time from a project value (`routers[process.env.MODE]`);
 * - a `require()` / `import()` of a name computed at run time that no directory listing explains;
 * - a call of a project function whose every returned value is one of these (`loadRouter(name)` returning
 *   `require('./routers/' + name)`).
 * False for what is read (a router, a function, a factory returning one) and for packages' values (`cors()`,
 * `express.json()`), which stay middleware as before.
 */
export function isUnreadUse(graph: RouterGraphApi, file: ProjectFile, argument: ts.Expression): boolean {
  let node = unwrap(argument);
  // Koa: `app.use(loadRouter(name).routes())` hands over the router the call gives.
  while (
    ts.isCallExpression(node) &&
    !node.arguments.length &&
    ts.isPropertyAccessExpression(node.expression) &&
    SAME_ROUTER.has(node.expression.name.text)
  )
    node = unwrap(node.expression.expression);
  if (graph.routerOf(file, node) || graph.functionsOf(file, node).length) return false;
  if (isUnreadValue(graph, file, node)) return true;
  if (!ts.isCallExpression(node)) return false;
  const returned = graph
    .functionsOf(file, node.expression)
    .flatMap((fn) => returnedExpressions(fn).map((e) => ({ file: fn.file, node: unwrap(e) })));
  return returned.length > 0 && returned.every((r) => isUnreadValue(graph, r.file, r.node));
}

/** `routers[process.env.MODE]` on a project value, or a load of a name computed at run time. */
function isUnreadValue(graph: RouterGraphApi, file: ProjectFile, node: ts.Expression): boolean {
  if (ts.isElementAccessExpression(node))
    return (
      staticString(node.argumentExpression) === undefined && isProjectValue(graph, file, node.expression)
    );
  return ts.isCallExpression(node) && isComputedLoad(graph, file, node);
}

/** `require(name)` / `import(name)` of a name built at run time that no directory listing explains. */
function isComputedLoad(graph: RouterGraphApi, file: ProjectFile, call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  const loads =
    call.expression.kind === ts.SyntaxKind.ImportKeyword ||
    (ts.isIdentifier(callee) && callee.text === 'require');
  const argument = call.arguments[0];
  return (
    loads &&
    argument !== undefined &&
    !requireOf(call) &&
    staticString(argument) === undefined &&
    !listedModules(graph.project, file, call)?.length
  );
}

/** The root name of `a.b[c]` is a declaration of the project (not a package's import, not a global). */
function isProjectValue(graph: RouterGraphApi, file: ProjectFile, expression: ts.Expression): boolean {
  let root = unwrap(expression);
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root))
    root = unwrap(root.expression);
  if (!ts.isIdentifier(root)) return false;
  const declarations = graph.project.lookup(file, root, root.text);
  return declarations.length > 0 && !declarations.some((d) => externalImport(d.node));
}
