import ts from '../../typescript.cjs';
import type { Entry, RouterNode } from './wiring.js';

type Mount = Extract<Entry, { kind: 'mount' }>;

/** A router a call hands a helper's parameter, and where that call is written. */
interface Handed {
  router: RouterNode;
  file: Mount['file'];
  call: ts.Node;
}

/**
 * Routers a helper mounts after receiving them as a parameter: `function mount(app, router) { app.use('/api',
 * router) }` called as `mount(app, users)`, NodeBB's `addCoreRoutes(app, router, …)` with `app.use(relativePath ||
 * '/', router)` inside. The graph links each router a call hands over to the helper's parameter (a `same` mount:
 * what the helper registers on its parameter is registered on that router), so the mount inside the helper
 * mounts only the parameter, and the router handed in (its own routes) stood unmounted ("router is not mounted
 * anywhere"). Here the helper's mount of its parameter becomes a mount of each router the calls hand it, at the
 * same path, and the parameter's own mount is dropped (its routes are the handed router's, reached through it).
 *
 * When the mounting receiver is a parameter of the same helper too (`app` above), each handed router is mounted
 * on the router the same call hands that parameter, never on another call's. A parameter no call hands a router
 * keeps its mount as it was. Changes the nodes' entries and `mountedBy` counts in place.
 */
export function mountHandedRouters(routers: readonly RouterNode[]): void {
  // Each parameter node, with the routers handed to it and the call that handed each.
  const handed = new Map<RouterNode, Handed[]>();
  for (const router of routers)
    for (const entry of router.entries)
      if (entry.kind === 'mount' && entry.same && isParameterNode(entry.child) && entry.child !== router) {
        let list = handed.get(entry.child);
        if (!list) handed.set(entry.child, (list = []));
        list.push({ router, file: entry.file, call: entry.node });
      }
  if (!handed.size) return;
  for (const receiver of routers) {
    const replaced: Entry[] = [];
    let changed = false;
    for (const entry of receiver.entries) {
      const given = entry.kind === 'mount' && !entry.same ? handed.get(entry.child) : undefined;
      if (entry.kind !== 'mount' || !given?.length) {
        replaced.push(entry);
        continue;
      }
      const placed = placements(entry, receiver, given, handed.get(receiver));
      if (!placed.length) {
        replaced.push(entry);
        continue;
      }
      changed = true;
      entry.child.mountedBy--;
      for (const { parent, child, at } of placed) {
        child.mountedBy++;
        if (parent === receiver) replaced.push({ ...entry, child, same: false });
        // On the router the call hands the receiver: where that call is written, among its other registrations.
        else parent.entries.push({ ...entry, child, same: false, file: at.file, node: at.call });
      }
    }
    if (changed) receiver.entries = replaced;
  }
}

/**
 * Where each handed router goes: on the receiver itself, or, when the receiver is a parameter the same calls
 * hand a router, on the router each call hands it (paired by call).
 */
function placements(
  entry: Mount,
  receiver: RouterNode,
  given: readonly Handed[],
  receivers: readonly Handed[] | undefined,
): { parent: RouterNode; child: RouterNode; at: Handed }[] {
  const out: { parent: RouterNode; child: RouterNode; at: Handed }[] = [];
  for (const handed of given) {
    const { router, call } = handed;
    if (router === receiver || router === entry.child) continue;
    const paired = receivers?.filter((r) => r.call === call && r.router !== router);
    if (paired?.length) for (const r of paired) out.push({ parent: r.router, child: router, at: r });
    else if (!receivers?.length) out.push({ parent: receiver, child: router, at: handed });
  }
  return out;
}

/** A node the graph made for a parameter (or a name destructured from one) that receives a router. */
function isParameterNode(router: RouterNode): boolean {
  return ts.isParameter(router.node) || ts.isBindingElement(router.node);
}
