import ts from '../../typescript.cjs';
import type { RouterGraphApi, RouterNode } from './wiring.js';

/**
 * Every call of a function that makes the app it returns is an app of its own (graph.ts `instanceAt`), but the
 * graph makes a call's node only when something reads the call's value as a router: a route registered on it, a
 * mount. A call whose app is only served (`createApi().listen(3001)`, `serve({ fetch: makeApp().fetch })`,
 * `handle(app)`, `export default makeApp()`) was never asked, and once another call of the same factory was
 * mounted (`main.use('/v1', createApi())`), the factory's own app was no root any more: the routes it serves
 * directly were lost, and only the mounted path was listed. This asks each call of such a factory once, so each
 * call's node exists: a root app unless something mounts it.
 *
 * @param graph the route graph, after its registrations are read.
 * @param factories each factory function's node (`FunctionRef.node`) with the app it makes, as `instanceAt` met it.
 */
export function instantiateFactoryCalls(
  graph: Pick<RouterGraphApi, 'project' | 'functionsOf' | 'routerOf'>,
  factories: ReadonlyMap<ts.Node, RouterNode>,
): void {
  if (!factories.size) return;
  for (const file of graph.project.files) {
    for (const call of graph.project.calls(file)) {
      const callee = call.expression;
      if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) continue;
      if (!graph.functionsOf(file, callee).some((fn) => factories.has(fn.node))) continue;
      graph.routerOf(file, call);
    }
  }
}
