import ts from '../../typescript.cjs';
import type { CodeRoute, Span } from './model.js';
import { unwrap, type Project, type ProjectFile } from './project.js';
import { nodeKey } from './syntax.js';
import { enclosingClass } from './this-fields.js';
import type { RouterNode } from './wiring.js';

/** A registration on a receiver the graph cannot trace: which receiver, and where it is written. */
interface Placed {
  receiver: string;
  file: ProjectFile;
  start: number;
}

/**
 * Middleware and error handlers registered on a receiver the router graph cannot trace to an app or router (`const
 * app = container.resolve('app')`, then `app.use((err, req, res, next) => …)`), run for the routes registered on
 * that same receiver, which the graph keeps as untraced routes for review by hand (registrations.ts
 * `untracedRoute`). Without this their 403s read "no mTLS operation reaches", though the app is the routes' own.
 *
 * Two receivers are the same when they name the same declaration with the same members after it (`app`,
 * `this.server.app` in one class), or, where the code declares no name for them, when they are written alike in
 * one file: receivers that cannot be told apart are taken to be one (reach may only grow). Middleware runs for
 * the routes registered after it in its file, and for all of them when `all` (an error handler, a hook) or when
 * the two are registered in different files (their order is unknown). The same holds for the routers such a
 * receiver mounts (`app.use(router.routes())`) or is handed to (`RegisterRoutes(app)`, whose parameter the graph
 * reads as a router of its own): their routes are the app's too.
 */
export class UntracedReceivers {
  private readonly routes: { route: CodeRoute; at: Placed }[] = [];
  private readonly children: { child: () => RouterNode | undefined; at: Placed }[] = [];
  private readonly middleware: { at: Placed; spans: Span[]; all: boolean; call: ts.Node }[] = [];

  constructor(private readonly project: Project) {}

  /** An untraced route registered on `receiver` (written in `file`). */
  addRoute(route: CodeRoute, file: ProjectFile, receiver: ts.Expression): void {
    this.routes.push({ route, at: this.place(file, receiver) });
  }

  /**
   * A router `receiver` mounts at its root or is handed to (`child` gives its node once the graph is built, if the
   * graph made one), at `call`.
   */
  addChild(
    file: ProjectFile,
    call: ts.Node,
    receiver: ts.Expression,
    child: () => RouterNode | undefined,
  ): void {
    this.children.push({
      child,
      at: { ...this.place(file, receiver), start: call.getStart(file.sourceFile) },
    });
  }

  /** Middleware (`all`: an error handler or a hook, whatever its order) registered on `receiver` at `call`. */
  addMiddleware(
    file: ProjectFile,
    call: ts.Node,
    receiver: ts.Expression,
    spans: Span[],
    all: boolean,
  ): void {
    if (!spans.length) return;
    const at = this.place(file, receiver);
    this.middleware.push({ at: { ...at, start: call.getStart(file.sourceFile) }, spans, all, call });
  }

  /**
   * Adds each middleware's spans to the handlers of the untraced routes on its receiver, and as middleware of every
   * route of the routers it mounts or is handed to. Changes the routes and the routers' entries.
   */
  attach(): void {
    if (!this.middleware.length) return;
    const runsFor = (m: (typeof this.middleware)[number], at: Placed): boolean =>
      m.at.receiver === at.receiver && (m.all || m.at.file !== at.file || m.at.start < at.start);
    for (const { route, at } of this.routes)
      for (const m of this.middleware)
        if (runsFor(m, at)) for (const s of m.spans) if (!route.handlers.includes(s)) route.handlers.push(s);
    for (const { child, at } of this.children) {
      const router = child();
      if (!router) continue;
      for (const m of this.middleware)
        if (runsFor(m, at) && !router.entries.some((e) => e.kind === 'middleware' && e.node === m.call))
          router.entries.push({
            kind: 'middleware',
            spans: m.spans,
            all: true,
            file: m.at.file,
            node: m.call,
          });
    }
  }

  private place(file: ProjectFile, receiver: ts.Expression): Placed {
    return {
      receiver: receiverKey(this.project, file, receiver),
      file,
      start: receiver.getStart(file.sourceFile),
    };
  }
}

/**
 * What a receiver names: the declaration of its leftmost name (or the class of its `this`) and the members read
 * after it; else its text in its file.
 */
function receiverKey(project: Project, file: ProjectFile, receiver: ts.Expression): string {
  const members: string[] = [];
  let root = unwrap(receiver);
  while (ts.isPropertyAccessExpression(root)) {
    members.unshift(root.name.text);
    root = unwrap(root.expression);
  }
  let base: string | undefined;
  if (ts.isIdentifier(root)) {
    const declaration = project.lookup(file, root, root.text)[0];
    if (declaration) base = nodeKey(declaration.file, declaration.node);
  } else if (root.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = enclosingClass(root);
    if (cls) base = `${nodeKey(file, cls)}#this`;
  }
  if (base === undefined) return `${file.relative}:${receiver.getText(file.sourceFile).replace(/\s+/g, '')}`;
  return [base, ...members].join('.');
}
