import ts from '../typescript.cjs';
import { calleeName } from './census-syntax.js';
import { propertyName, unwrap, type Declaration, type Project, type ProjectFile } from './routes/project.js';
import { assignedValues } from './test-units.js';

/**
 * The procedures a test calls on a tRPC server-side caller, for the unit-under-test walk (test-unit-walk.ts). A
 * caller (`createCaller(ctx)` of `const createCaller = t.createCallerFactory(appRouter)`, v10's
 * `appRouter.createCaller(ctx)`, `createCallerFactory(router)(ctx)`) runs only the procedures the test calls on it
 * (`caller.post.delete(...)`: `post.delete`), never its whole router. Keyed by a router's declaration
 * (`const postRouter = t.router({...})`), the parts of it the walk reads instead of the whole: the properties on
 * the called paths (a nested router written inline is narrowed in turn, one held by a name through that name's
 * own entry) and the `t.router` callee. A router the test also uses any other way (handed to a helper, a caller
 * used as a value, `caller[name]()`) is not narrowed: the walk reads it whole, as before.
 */
export function calledProcedures(
  project: Project,
  file: ProjectFile,
  body: ts.Node,
  /**
   * The parts of the body the assertion reads (assertionFocus): when they call procedures, only those run for
   * it (`await caller.post.list()` earlier in the test answered before the assertion's own call). Routers the
   * body calls elsewhere then run nothing for it.
   */
  focus?: readonly ts.Node[],
): ReadonlyMap<ts.Node, readonly Declaration[]> {
  if (focus?.length) {
    const own = procedureCalls(project, file, focus);
    if (own.paths.size) {
      const out = narrowAll(project, own);
      for (const router of procedureCalls(project, file, [body]).paths.keys())
        if (!out.has(router)) out.set(router, []);
      return out;
    }
  }
  return narrowAll(project, procedureCalls(project, file, [body]));
}

interface ProcedureCalls {
  paths: Map<ts.Node, { at: Declaration; paths: string[][] }>;
  spoiled: Set<ts.Node>;
}

/** The router declarations called through callers within `nodes`, with the called paths of each. */
function procedureCalls(project: Project, file: ProjectFile, nodes: readonly ts.Node[]): ProcedureCalls {
  const paths = new Map<ts.Node, { at: Declaration; paths: string[][] }>();
  const spoiled = new Set<ts.Node>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) || ts.isCallExpression(node)) {
      const routers = callerRouters(project, file, node);
      // A caller kept in a variable (`const caller = createCaller(ctx)`): that variable's uses count.
      if (routers && ts.isCallExpression(node) && isStored(node)) {
        node.forEachChild(visit);
        return;
      }
      if (routers) {
        const path = calledPath(node);
        for (const router of routers) {
          if (!path) spoiled.add(router.node);
          else {
            const entry = paths.get(router.node) ?? { at: router, paths: [] };
            entry.paths.push(path);
            paths.set(router.node, entry);
          }
        }
        if (ts.isIdentifier(node)) return;
      }
    }
    node.forEachChild(visit);
  };
  for (const node of nodes) visit(node);
  return { paths, spoiled };
}

function narrowAll(project: Project, { paths, spoiled }: ProcedureCalls): Map<ts.Node, Declaration[]> {
  const out = new Map<ts.Node, Declaration[]>();
  for (const [node, { at, paths: called }] of paths) {
    if (spoiled.has(node)) continue;
    narrow(project, at, called, out);
  }
  return out;
}

/**
 * What an assertion at `node` reads within its test `body`: its own statement (`await
 * expect(caller.post.delete()).rejects...`) and the initializers of the body's variables that statement names
 * (`const error = await caller.post.delete().catch((e) => e)` read by `expect(error.code)`). Empty when the
 * assertion is not a statement of the body.
 */
export function assertionFocus(body: ts.Node, node: ts.Node): ts.Node[] {
  let statement: ts.Node | undefined = node;
  while (statement && statement !== body && !ts.isStatement(statement)) statement = statement.parent;
  if (!statement || statement === body) return [];
  const focus: ts.Node[] = [statement];
  const names = new Set<string>();
  const collect = (child: ts.Node): void => {
    if (ts.isIdentifier(child)) names.add(child.text);
    child.forEachChild(collect);
  };
  collect(statement);
  const declare = (child: ts.Node): void => {
    if (
      ts.isVariableDeclaration(child) &&
      ts.isIdentifier(child.name) &&
      names.has(child.name.text) &&
      child.initializer &&
      !(child.pos >= statement.pos && child.end <= statement.end)
    )
      focus.push(child.initializer);
    child.forEachChild(declare);
  };
  declare(body);
  return focus;
}

/**
 * The router declarations a caller expression calls into: `caller` (a variable of the test file set to a
 * caller), `createCaller(ctx)`, `appRouter.createCaller(ctx)`, `createCallerFactory(r)(ctx)`. Undefined when
 * `node` is no caller.
 */
function callerRouters(project: Project, file: ProjectFile, node: ts.Node): Declaration[] | undefined {
  if (ts.isIdentifier(node)) {
    if (isDeclaredName(node)) return undefined;
    for (const d of project.lookup(file, node, node.text)) {
      if (d.file !== file || !ts.isVariableDeclaration(d.node)) continue;
      const values = [d.node.initializer, ...assignedValues(file.sourceFile, d.node)].filter(
        (v): v is ts.Expression => v !== undefined,
      );
      const each = values.map((v) => {
        const value = unwrap(v);
        return ts.isCallExpression(value) ? callRouters(project, file, value) : undefined;
      });
      if (each.length && each.every((r) => r !== undefined)) return each.flatMap((r) => r ?? []);
    }
    return undefined;
  }
  return ts.isCallExpression(node) ? callRouters(project, file, node) : undefined;
}

/** A call whose result a variable keeps: `const caller = createCaller(ctx)`, `caller = createCaller(ctx)`. */
function isStored(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  return (
    (ts.isVariableDeclaration(parent) && parent.initializer === node) ||
    (ts.isBinaryExpression(parent) &&
      parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      parent.right === node &&
      ts.isIdentifier(parent.left))
  );
}

function isDeclaredName(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  return (
    (ts.isVariableDeclaration(parent) && parent.name === identifier) ||
    (ts.isPropertyAccessExpression(parent) && parent.name === identifier) ||
    ts.isImportSpecifier(parent) ||
    ts.isImportClause(parent)
  );
}

/** The routers a call making a caller is of (see callerRouters); undefined for any other call. */
function callRouters(
  project: Project,
  file: ProjectFile,
  call: ts.CallExpression,
): Declaration[] | undefined {
  const callee = unwrap(call.expression);
  // `appRouter.createCaller(ctx)`
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'createCaller')
    return routerDeclarations(project, file, callee.expression);
  // `createCallerFactory(router)(ctx)`, `t.createCallerFactory(router)(ctx)`
  if (ts.isCallExpression(callee) && calleeName(unwrap(callee.expression)) === 'createCallerFactory')
    return callee.arguments[0] ? routerDeclarations(project, file, callee.arguments[0]) : undefined;
  // `createCaller(ctx)` with `const createCaller = createCallerFactory(appRouter)`
  if (ts.isIdentifier(callee))
    for (const d of project.lookup(file, callee, callee.text)) {
      if (!ts.isVariableDeclaration(d.node) || !d.node.initializer) continue;
      const factory = unwrap(d.node.initializer);
      if (
        ts.isCallExpression(factory) &&
        calleeName(unwrap(factory.expression)) === 'createCallerFactory' &&
        factory.arguments[0]
      )
        return routerDeclarations(project, d.file, factory.arguments[0]);
    }
  return undefined;
}

/** The declarations of a router named by `expression` (`appRouter`), each a `const` set to a router. */
function routerDeclarations(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
): Declaration[] | undefined {
  const name = unwrap(expression);
  if (!ts.isIdentifier(name)) return undefined;
  const found = project
    .lookup(file, name, name.text)
    .filter(
      (d) => ts.isVariableDeclaration(d.node) && d.node.initializer && routerLiterals(d.node.initializer),
    );
  return found.length ? found : undefined;
}

/**
 * The object literals of a router expression: `t.router({...})`, `createTRPCRouter({...})`, `router({...})`, a
 * plain object (tRPC 11 nests them), each router of `t.mergeRouters(a, b)` written inline. Undefined when it is
 * none of these (a name is followed by the walk through its own entry).
 */
function routerLiterals(expression: ts.Expression): ts.ObjectLiteralExpression[] | undefined {
  const node = unwrap(expression);
  if (ts.isObjectLiteralExpression(node)) return [node];
  if (!ts.isCallExpression(node)) return undefined;
  const name = calleeName(unwrap(node.expression));
  if (name && /router$/i.test(name) && node.arguments.length === 1) {
    const literal = unwrap(node.arguments[0]);
    return ts.isObjectLiteralExpression(literal) ? [literal] : undefined;
  }
  if (name === 'mergeRouters') {
    const literals = node.arguments.map((a) =>
      ts.isIdentifier(unwrap(a)) ? [] : (routerLiterals(a) ?? undefined),
    );
    return literals.every((l) => l !== undefined) ? literals.flat() : undefined;
  }
  return undefined;
}

/**
 * `caller.post.delete(...)`, `createCaller(ctx).post.delete(...)`: the property names between the caller and the
 * call (`['post', 'delete']`). Undefined for any other use (a value handed on, `caller[name]()`, a name read
 * without a call).
 */
function calledPath(caller: ts.Node): string[] | undefined {
  const path: string[] = [];
  let node: ts.Node = caller;
  while (ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node) {
    path.push(node.parent.name.text);
    node = node.parent;
  }
  const call = node.parent;
  return path.length && ts.isCallExpression(call) && call.expression === node ? path : undefined;
}

/**
 * Fills `out` with the parts of router `at` (a `const` declaration) that the called `paths` run: see
 * calledProcedures. A router whose literals cannot be read, or a path whose name it does not spell out (a
 * spread, a computed key), keeps the router whole (no entry).
 */
function narrow(
  project: Project,
  at: Declaration,
  paths: readonly string[][],
  out: Map<ts.Node, Declaration[]>,
): void {
  if (out.has(at.node) || !ts.isVariableDeclaration(at.node) || !at.node.initializer) return;
  const parts = partsOf(project, at.file, at.node.initializer, paths, out);
  if (parts) out.set(at.node, parts);
}

function partsOf(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
  paths: readonly string[][],
  out: Map<ts.Node, Declaration[]>,
): Declaration[] | undefined {
  const literals = routerLiterals(expression);
  if (!literals) return undefined;
  const node = unwrap(expression);
  // The `t.router` callee (`t` and what its `initTRPC...create({ errorFormatter })` runs).
  const parts: Declaration[] = ts.isCallExpression(node) ? [{ file, node: node.expression }] : [];
  const byName = new Map<string, string[][]>();
  for (const path of paths) {
    const [first, ...rest] = path;
    if (first === undefined) return undefined;
    const list = byName.get(first) ?? [];
    list.push(rest);
    byName.set(first, list);
  }
  for (const [name, rests] of byName) {
    const property = literals
      .flatMap((l) => [...l.properties])
      .find((p) => p.name !== undefined && propertyName(p.name) === name);
    if (!property) return undefined;
    const value = ts.isPropertyAssignment(property)
      ? property.initializer
      : ts.isShorthandPropertyAssignment(property)
        ? property.name
        : undefined;
    const deeper = rests.every((r) => r.length) && value ? unwrap(value) : undefined;
    if (deeper && ts.isIdentifier(deeper)) {
      // A router held by a name (`post: postRouter`): narrowed through that name's own entry.
      for (const d of routerDeclarations(project, file, deeper) ?? []) narrow(project, d, rests, out);
      parts.push({ file, node: property });
      continue;
    }
    const inner = deeper && routerLiterals(deeper) ? partsOf(project, file, deeper, rests, out) : undefined;
    if (inner) parts.push(...inner);
    else parts.push({ file, node: property });
  }
  return parts;
}
