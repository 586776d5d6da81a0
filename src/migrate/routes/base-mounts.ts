import ts from '../../typescript.cjs';
import { skipOuter as unwrap } from '../analysis/syntax.js';
import type { Project, ProjectFile } from './project.js';
import { nodeKey } from './syntax.js';
import { enclosingClass, inheritedClassValues, type InheritedValue } from './this-fields.js';
import type { Entry, Prefix, RouterNode } from './wiring.js';

type Mount = Extract<Entry, { kind: 'mount' }>;
type ClassRef = { file: ProjectFile; node: ts.ClassLikeDeclaration };
type Bindings = InheritedValue<ProjectFile>['bindings'];

/** How many holding steps `leaves` follows (as `inheritedClassValues` climbs at most 4 classes). */
const MAX_DEPTH = 4;

/**
 * Routers a base class mounts itself, one per subclass: social-app-template's `abstract class BaseController {
 * constructor(app, baseRoute = '/') { this.router = express.Router(); this.initializeRoutes(); app.use(baseRoute,
 * this.router) } }` with `class ContentController extends BaseController { constructor(app) { super(app, '/content')
 * } … this.router.get('/:id', h) }` and `new ContentController(app)`. The graph reads the subclass's `this.router`
 * as a router of each subclass (`inheritedRouter` in graph.ts: it holds the base's router, a `same` mount), but the
 * base constructor's `app.use(baseRoute, this.router)` mounts the base's own router, which no subclass registers
 * on, so every subclass route stood "not mounted anywhere". Here that mount becomes, for each subclass whose router
 * holds the base's, a mount of the subclass's router: at the path read with what the subclass hands `super(…)`
 * (a parameter it leaves out takes its default; a path still unread stays the run-time text it was), on the app
 * that subclass's own `super(…)` (or `new Sub(app)`, when it declares no constructor) hands the receiving
 * parameter, never another subclass's. Any framework's mount (`app.use(path, this.router)`, Koa
 * `app.use(this.router.routes())`, Hono `app.route(path, this.app)`) is read the same. Changes the nodes' entries
 * and `mountedBy` counts in place.
 */
export function mountSubclassRouters(routers: readonly RouterNode[], project: Project): void {
  const holders = holdersOf(routers);
  if (!holders.size) return;
  const baseOf = (at: ProjectFile, e: ts.Expression): ClassRef[] => project.classesNamed(at, e);
  for (const receiver of routers) {
    const replaced: Entry[] = [];
    let changed = false;
    for (const entry of receiver.entries) {
      const held = entry.kind === 'mount' && !entry.same ? holders.get(entry.child) : undefined;
      const mounting = held && enclosingClass(entry.node);
      if (entry.kind !== 'mount' || !held || !mounting) {
        replaced.push(entry);
        continue;
      }
      const placed: { parent: RouterNode; mount: Mount }[] = [];
      for (const leaf of leaves(entry.child, holders)) {
        const cls = leaf.router.node as ts.ClassLikeDeclaration;
        const value = inheritedClassValues(cls, leaf.router.file, leaf.name, baseOf).find(
          (v) => nodeKey(v.file, unwrap(v.node)) === entry.child.key,
        );
        if (!value) continue;
        // The classes below the mounting one, from it down to the subclass: `between` lists them upward.
        const n = value.between.length;
        const index =
          enclosingClass(value.node) === mounting ? n : value.between.findIndex((b) => b.node === mounting);
        if (index < 0) continue;
        const below: ClassRef[] = [
          ...value.between.slice(0, index).reverse(),
          { file: value.subclassFile, node: value.subclass },
        ];
        const path = boundPath(project, entry, withDefaults(value));
        for (const parent of receiversFor(routers, receiver, below))
          placed.push({ parent, mount: { ...entry, child: leaf.router, path } });
      }
      if (!placed.length) {
        replaced.push(entry);
        continue;
      }
      changed = true;
      entry.child.mountedBy--;
      for (const { parent, mount } of placed) {
        mount.child.mountedBy++;
        if (parent === receiver) replaced.push(mount);
        else parent.entries.push(mount);
      }
    }
    if (changed) receiver.entries = replaced;
  }
}

/**
 * Each router a class router holds as its own (`same` mount, made by `inheritedRouter`): the base class's router
 * to the routers of the classes just below it, with the field name (the node key's `@name`).
 */
function holdersOf(routers: readonly RouterNode[]): Map<RouterNode, { router: RouterNode; name: string }[]> {
  const holders = new Map<RouterNode, { router: RouterNode; name: string }[]>();
  for (const router of routers) {
    const name = /@(\w+)$/.exec(router.key)?.[1];
    if (!name || !ts.isClassLike(router.node)) continue;
    for (const entry of router.entries)
      if (entry.kind === 'mount' && entry.same && entry.child !== router) {
        const list = holders.get(entry.child) ?? [];
        list.push({ router, name });
        holders.set(entry.child, list);
      }
  }
  return holders;
}

/** The class routers at the bottom of the holding chains above `base` (each instance's own router). */
function leaves(
  base: RouterNode,
  holders: ReadonlyMap<RouterNode, { router: RouterNode; name: string }[]>,
): { router: RouterNode; name: string }[] {
  const out: { router: RouterNode; name: string }[] = [];
  const seen = new Set<RouterNode>();
  const visit = (node: RouterNode, depth: number): void => {
    for (const holder of holders.get(node) ?? []) {
      if (seen.has(holder.router) || depth > MAX_DEPTH) continue;
      seen.add(holder.router);
      const above = holders.get(holder.router);
      if (above?.length) visit(holder.router, depth + 1);
      else out.push(holder);
    }
  };
  visit(base, 0);
  return out;
}

/**
 * The subclass's bindings of the base constructors' parameters, with each parameter no `super(…)` passes bound to
 * its default (`baseRoute: string = '/'` for `super(app)`).
 */
export function withDefaults(value: InheritedValue<ProjectFile>): Bindings {
  const out = new Map(value.bindings);
  const owner = enclosingClass(value.node);
  const classes: ClassRef[] = [...value.between, ...(owner ? [{ file: value.file, node: owner }] : [])];
  for (const { file, node } of classes)
    for (const parameter of node.members.find(ts.isConstructorDeclaration)?.parameters ?? [])
      if (parameter.initializer && !out.has(parameter))
        out.set(parameter, { file, node: parameter.initializer });
  return out;
}

/**
 * The mount's path read for one subclass: an argument of the mounting call that reads a parameter the subclass
 * binds (`baseRoute`, `` `/api${base}` ``) is read through the bindings (the graph read it once for every caller);
 * any other path stays as the graph read it.
 */
function boundPath(project: Project, entry: Mount, bindings: Bindings): Prefix {
  const call = ts.isCallExpression(entry.node) ? entry.node : undefined;
  for (const argument of call?.arguments ?? []) {
    if (!readsBound(argument, bindings)) continue;
    const value = project.stringOf(entry.file, argument, 0, bindings);
    if (value !== undefined) return value;
  }
  return entry.path;
}

/** The expression names a parameter the bindings bind (by its declaration's name, in the enclosing function). */
function readsBound(expression: ts.Node, bindings: Bindings): boolean {
  if (ts.isIdentifier(expression))
    return [...bindings.keys()].some(
      (parameter) =>
        ts.isIdentifier(parameter.name) &&
        parameter.name.text === expression.text &&
        expression.getSourceFile() === parameter.getSourceFile() &&
        expression.pos >= parameter.parent.pos &&
        expression.end <= parameter.parent.end,
    );
  return ts.forEachChild(expression, (child) => readsBound(child, bindings) || undefined) ?? false;
}

/**
 * The routers the subclass hands the mounting receiver: when the receiver is a constructor parameter, followed down
 * through each class's `super(…)` (or a `new` of a class that declares no constructor) to what the subclass's own
 * call hands; the receiver itself otherwise, or when no call can be paired.
 */
function receiversFor(
  routers: readonly RouterNode[],
  receiver: RouterNode,
  below: readonly ClassRef[],
): RouterNode[] {
  let current = [receiver];
  for (const cls of below) {
    const next: RouterNode[] = [];
    for (const node of current) {
      if (!ts.isParameter(node.node)) {
        next.push(node);
        continue;
      }
      const handing = routers.filter((r) =>
        r.entries.some((e) => e.kind === 'mount' && e.same && e.child === node && hands(e.node, cls.node)),
      );
      next.push(...(handing.length ? handing : [node]));
    }
    current = [...new Set(next)];
  }
  return current;
}

/** The call is `cls`'s own `super(…)`, or `new Cls(…)` of a class that declares no constructor. */
function hands(call: ts.Node, cls: ts.ClassLikeDeclaration): boolean {
  if (ts.isCallExpression(call) && call.expression.kind === ts.SyntaxKind.SuperKeyword)
    return enclosingClass(call) === cls;
  if (ts.isNewExpression(call) && !cls.members.some(ts.isConstructorDeclaration)) {
    const callee = unwrap(call.expression);
    return ts.isIdentifier(callee) && callee.text === cls.name?.text;
  }
  return false;
}
