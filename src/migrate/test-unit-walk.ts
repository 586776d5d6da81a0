import ts from '../typescript.cjs';
import {
  importCallOf,
  isFunctionNode,
  requireOf,
  type Declaration,
  type Project,
  type ProjectFile,
} from './routes/project.js';
import { contextHooks } from './test-context.js';
import { servedRange } from './test-scopes.js';
import {
  boundRequire,
  exportedNames,
  loadCall,
  loadSpecifier,
  loadsModule,
  requiredModule,
} from './test-module-loads.js';
import { isClassMember, isFunctionDeclarationOrValue, isMemberHolder, isNameOnly } from './test-nodes.js';
import { moduleSetupCalls, setupCalls, variableOf } from './test-setup-calls.js';
import { calledProcedures } from './test-trpc-callers.js';
import { unreadModuleMocks } from './test-doubles.js';
import { loadedModule, loaderCalls, moduleLoaderCall, unreadStubs } from './module-loaders.js';
import {
  addCalledMembers,
  allMemberAssignedValues,
  assignedValues,
  memberAssignedValues,
  membersOf,
  prototypeAssignedValues,
  specifierCandidates,
  thisTargets,
  type CalledMembers,
} from './test-units.js';

/**
 * How far the unit-under-test walk follows references from the test body: declarations visited, nearest first.
 * The only bound (cycles end at declarations already seen). Session 33, measured with `/usr/bin/time` on a
 * synthetic project of 3,000 functions whose 40 test walks each reach 2,440 declarations: 400 -> user 3.1-3.8 s,
 * 1,000 -> 3.3-3.4 s, 2,000 -> 4.3 s, no bound -> 5.0-5.4 s; on boxyhq/jackson the largest complete walk is 385
 * declarations, on NodeBB 149. A depth bound (8 until session 33) cut every one of those walks short without
 * saying so, and read a 403 nine calls down as "could not be found".
 */
export const MAX_UNIT_DECLARATIONS = 1000;

/** Whether `node` of `file` is an argument of a call registering a route (test-route-graph.ts `routeArgument`). */
export type RouteArgument = (file: ProjectFile, node: ts.Node) => boolean;

/**
 * Why a unit walk stopped before it had read all the code the test reaches: its declaration limit
 * (`MAX_UNIT_DECLARATIONS`), a `this.…` use in a class member whose class it cannot read (`this.auth.check()`
 * on a field typed by an interface nobody implements, `this[key]()`), in `file`, or a module the test file loads
 * from a path it cannot read (`proxyquire(modulePath, stubs)`, `require(process.env.APP)`: `unreadLoad`), or
 * with stubs it cannot read (`proxyquire('../app', makeStubs())`: `stubs`, why they are not read, from
 * module-loaders.ts `unreadStubs`), which put code it never sees in place of modules it cannot name; or a module
 * mock of the test file whose module it cannot read (`jest.mock(policyPath(), …)`: `mock`, test-doubles.ts
 * `unreadModuleMocks`).
 */
export type WalkStop =
  | { kind: 'limit'; declarations: number }
  | { kind: 'unread'; file: ProjectFile; node: ts.Node }
  | { kind: 'load'; file: ProjectFile; call: ts.CallExpression }
  | { kind: 'stubs'; file: ProjectFile; call: ts.CallExpression; why: string }
  | { kind: 'mock'; file: ProjectFile; call: ts.CallExpression };

/**
 * The declarations in other places that the test body names (calls, `new`, values passed), through the
 * body's variables declared elsewhere in the file (`let guard; beforeEach(() => { guard = new Guard() })`).
 * `stopped`: why the walk ended before reading everything (undefined when it read it all): a reason names it,
 * since a 403 may lie in what it did not read.
 * `named`: the units the test file's own code names (what it imports and calls or reads, the members it calls), in
 * the order met, without the types it only annotates with: what a reason lists, not the code they call in turn.
 *
 * @param replaced the files the test file replaces with module mocks (`vi.mock('../portal-backend/get-entity.js',
 *   () => ...)`): they run none of their code in these tests, so the walk does not go through them to what they
 *   call (an upstream fetcher's 403); and the declarations its loader calls stub member by member
 *   (`proxyquire('../app', { './setup': { setup: stub } })`), which it does not go through either
 */
export function unitsOf(
  project: Project,
  replaced: { files: ReadonlySet<string>; declarations: ReadonlySet<ts.Node> },
  file: ProjectFile,
  body: ts.Node,
  /**
   * The test's request reaches no route: an app another module builds runs the path-less calls that module
   * makes on it (`app.use(authz(...))`), and the walk reads no argument of a route registration
   * (`routeArgument`, test-route-graph.ts: `app.post('/admin', handler)` in a `build()` factory,
   * `server.route({ handler })` in hapi's `init()`), since a request no route serves runs none of them.
   * Undefined otherwise: a request the follower could not read may reach a route whose own 403 that walk never
   * sees.
   */
  unrouted?: RouteArgument,
  /** The parts of the body the assertion reads (test-trpc-callers.ts `assertionFocus`). */
  focus?: readonly ts.Node[],
  /**
   * Code the test's request never runs (the handlers of routes other than those it reaches,
   * test-route-graph.ts `otherRoutesCode`): not read, so that a server factory's walk reads the request's
   * routes rather than every route the server registers.
   */
  notRun?: RouteArgument,
): { units: Declaration[]; named: Declaration[]; stopped?: WalkStop } {
  const out: Declaration[] = [];
  const named: Declaration[] = [];
  // Whether the node being walked is the test file's own code (the units it names are `named`).
  let direct = true;
  const found = (declaration: Declaration): void => {
    out.push(declaration);
    if (direct && declaration.file !== file && !isTypeOnly(declaration.node)) named.push(declaration);
  };
  const seen = new Set<string>();
  const isReplaced = (declaration: Declaration): boolean =>
    replaced.files.has(declaration.file.relative) || replaced.declarations.has(declaration.node);
  // The members the test's own code uses on class instances: a class it names is a unit through them only.
  const called: CalledMembers = new Map();
  // A module mock of the file whose module it cannot read replaces a module it cannot name, for every test of it.
  const unreadMock = unreadModuleMocks(file.sourceFile)[0];
  let unread: WalkStop | undefined = unreadMock && { kind: 'mock', file, call: unreadMock };
  // A tRPC router the test calls through a caller: only the procedures it calls run (`caller.post.delete()`).
  const procedures = calledProcedures(project, file, body, focus);
  const queue: { file: ProjectFile; node: ts.Node }[] = [{ file, node: body }];
  // What its hooks put on the runner's context for it (`t.context.request = getApp()`, `this.app = build()`).
  for (const hook of contextHooks(body)) queue.push({ file, node: hook });
  const enqueue = (declaration: Declaration): void => {
    const key = `${declaration.file.relative}#${declaration.node.pos}`;
    if (seen.has(key) || isReplaced(declaration)) return;
    seen.add(key);
    found(declaration);
    queue.push({ file: declaration.file, node: declaration.node });
  };
  const skipOf = (at: ProjectFile): ((child: ts.Node) => boolean) | undefined =>
    unrouted || notRun
      ? (child: ts.Node): boolean => Boolean(unrouted?.(at, child) || notRun?.(at, child))
      : undefined;
  // The class members already queued from `called` (class and member name), so each is looked up once.
  const expanded = new Set<string>();
  while (queue.length && seen.size < MAX_UNIT_DECLARATIONS) {
    const { file: at, node } = queue.shift() as { file: ProjectFile; node: ts.Node };
    direct = at === file;
    // A load whose module cannot be told: in the test file's own code any load; in the code it reaches in other
    // files, a test loader (a suite's builder running `proxyquire(this.controllerPath, stubs)` for the path its
    // caller hands it), whose unit is what the test runs.
    if (!unread) {
      const call = unreadLoad(project, at, node, skipOf(at), !direct);
      unread = call ? { kind: 'load', file: at, call } : unreadStubsLoad(at, node, skipOf(at));
    }
    const skip = skipOf(at);
    addCalledMembers(project, at, node, called, skip);
    // A class the code never names but calls through an instance (a variable typed by an interface it
    // implements, a member of what a factory returns, a receiver named after it: test-instance-classes.ts):
    // the members called run. A class named in the walk is reached through its name as well (below).
    for (const [cls, names] of called) {
      const own = cls.getSourceFile() === file.sourceFile;
      for (const name of names) {
        const key = `${cls.pos}:${cls.getSourceFile().fileName}#${name}`;
        if (own || expanded.has(key)) continue;
        expanded.add(key);
        for (const member of membersOf(project, cls, new Set([name])) ?? []) enqueue(member);
      }
    }
    // A member of a class: its `this.m()` / `this.dependency.m()` calls lead to the next members.
    if (isClassMember(node)) {
      const targets = thisTargets(project, at, node);
      if (targets.unknown) unread ??= { kind: 'unread', file: at, node: targets.unknown };
      for (const member of targets.members) enqueue(member);
    }
    for (const declaration of referencesIn(
      project,
      at,
      node,
      (value) => servedFor(file, value, body),
      skip,
    )) {
      const key = `${declaration.file.relative}#${declaration.node.pos}`;
      if (seen.has(key) || isReplaced(declaration)) continue;
      const inside =
        declaration.file === file && declaration.node.pos >= body.pos && declaration.node.end <= body.end;
      if (inside) {
        seen.add(key);
        continue;
      }
      const parts = procedures.get(declaration.node);
      if (parts) {
        seen.add(key);
        for (const part of parts) enqueue(part);
        continue;
      }
      // A class runs only the members the walked code uses (`service.remove(id)`, `new C()`: its
      // constructor); one only named (a type, a testing-module token, a spy target) runs none of its code.
      // Members are keyed one by one, so a class met again with more members used adds those.
      if (declaration.file !== file && ts.isClassDeclaration(declaration.node)) {
        const names = called.get(declaration.node);
        if (!names) continue;
        const members = membersOf(project, declaration.node, names);
        if (members) {
          for (const member of members) enqueue(member);
          continue;
        }
      }
      seen.add(key);
      if (declaration.file !== file) found(declaration);
      queue.push({ file: declaration.file, node: declaration.node });
      // A variable of the test file: what is assigned to it elsewhere in the file counts too.
      // A name a destructuring binds (`const { port } = fastify.server.address()`): what it is read from,
      // unless that is a module (`const { relay } = require('../lib/guard')` holds that export alone).
      const variable = declaration.file === file ? variableOf(declaration.node) : undefined;
      if (variable?.initializer && variable !== declaration.node && !loadsModule(variable.initializer))
        queue.push({ file, node: variable.initializer });
      // `const { handler } = proxyquire(modulePath, stubs)`: the module it names cannot be read.
      const load = variable?.initializer && loadCall(variable.initializer);
      if (load && !unread && unreadLoad(project, file, load)) unread = { kind: 'load', file, call: load };
      if (load && !unread) unread = unreadStubsLoad(file, load);
      if (declaration.file === file && ts.isVariableDeclaration(declaration.node)) {
        // Only the assignments that run for this test: one in another test's body or in another suite's hooks
        // never sets it up (webpack-dev-middleware assigns `[server, req, instance]` in some 150 hooks).
        for (const assignment of assignedValues(file.sourceFile, declaration.node)) {
          const served = servedRange(file.sourceFile, assignment.getStart(file.sourceFile));
          if (served && !(served.start <= body.pos && body.end <= served.end)) continue;
          queue.push({ file, node: assignment });
        }
        // And what the file sets up on it outside the test (`app.use('*', csrf())` in its describe block,
        // `fastify.register(plugin)` in the outer test of node:test subtests).
        for (const call of setupCalls(file.sourceFile, declaration.node, body))
          queue.push({ file, node: call });
      }
      // A module-level variable of another file (the app a test helper or the product builds and exports):
      // the calls its module makes on it when loaded (`app.use(authz(...))` before `export default app`).
      if (unrouted && declaration.file !== file && ts.isVariableDeclaration(declaration.node))
        for (const call of moduleSetupCalls(declaration.file.sourceFile, declaration.node)) {
          queue.push({ file: declaration.file, node: call });
          // A handler written inline (`app.use((err, req, res, next) => res.status(403).end())`) is a unit.
          for (const argument of call.arguments)
            if (isFunctionNode(argument)) enqueue({ file: declaration.file, node: argument });
        }
    }
  }
  // A module the test file loads with stubs it cannot read, at the top of the file or in the test's suite
  // (`const { guard } = proxyquire('../app/guard', makeStubs())`), whose code the walk reached through that load.
  unread ??= stubbedLoadReached(project, file, body, (loaded) => out.some((d) => d.file === loaded));
  const stopped: WalkStop | undefined = queue.length
    ? { kind: 'limit', declarations: MAX_UNIT_DECLARATIONS }
    : unread;
  return { units: out, named, stopped };
}

/** An interface or a type alias: a name the code annotates with, running nothing. */
function isTypeOnly(node: ts.Node): boolean {
  return ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node);
}

/**
 * Whether a value the test file assigns runs for the test `body`: one written in another test's body (or in
 * another suite's hooks) never sets it up (test-scopes.ts `servedRange`); a value in another file always may.
 */
function servedFor(testFile: ProjectFile, value: ts.Node, body: ts.Node): boolean {
  if (value.getSourceFile() !== testFile.sourceFile) return true;
  const served = servedRange(testFile.sourceFile, value.getStart(testFile.sourceFile));
  return !served || (served.start <= body.pos && body.end <= served.end);
}

/**
 * Declarations named inside `node` (identifiers, and `ns.member` of namespace imports).
 *
 * @param runs whether a value assigned to a member of a namespace object runs for the walked test (a
 *   `context.state = ...` of a sibling test only hands this test a value: what it ran is that test's unit)
 * @param skip the parts of `node` not read (what only a route runs, for a request no route serves)
 */
function referencesIn(
  project: Project,
  file: ProjectFile,
  node: ts.Node,
  runs: (value: ts.Node) => boolean,
  skip?: (child: ts.Node) => boolean,
): Declaration[] {
  const out: Declaration[] = [];
  // A module assigned to a variable of the test file (`handler = require('../src/connect')` in a
  // `beforeEach` after `jest.resetModules()`): whatever it exports may run.
  const loaded = (at: ts.Node): boolean => {
    const required = requiredModule(at);
    const module = required === undefined ? undefined : project.resolveModule(file, required.module);
    if (!module || module === file) return false;
    // One member read off it (`(await import('../src/x.js')).check`): that export; else (or when the member
    // is no export of its own, `require('./cjs').default`) whatever the module exports may run.
    const member = required?.member ? project.exportOf(module, required.member) : [];
    if (member.length) out.push(...member);
    else for (const name of exportedNames(module.sourceFile)) out.push(...project.exportOf(module, name));
    return true;
  };
  loaded(node);
  const visit = (child: ts.Node): void => {
    if (skip?.(child)) return;
    // A load written inside the code (`(stub) => proxyquire('../app/token', { … }).postToken`, a test helper
    // that loads its unit and hands it back, `return proxyquire('../app/guard', stubs)`): the member it reads, or
    // whatever the module exports.
    if (child !== node && (ts.isPropertyAccessExpression(child) || isHandedBack(child)) && loaded(child))
      return;
    // `require(libpath + '/index')` with `const libpath = process.env.COV ? '../lib-cov' : '../lib'`: the
    // modules its spelled-out specifiers name (those that exist), whatever they export.
    if (ts.isCallExpression(child))
      for (const target of computedRequire(project, file, child))
        for (const name of exportedNames(target.sourceFile)) out.push(...project.exportOf(target, name));
    // `internals.onPreHandler` of a module-level namespace object (`const internals = {}`): the values the
    // file assigns to that member.
    if (ts.isPropertyAccessExpression(child) && ts.isIdentifier(child.expression))
      for (const d of project.lookup(file, child.expression, child.expression.text)) {
        if (!isMemberHolder(d.node)) continue;
        for (const value of memberAssignedValues(d.file.sourceFile, child.expression.text, child.name.text))
          if (runs(value)) out.push({ file: d.file, node: value });
      }
    // `lusca[key](config)` over `Object.keys(lusca)`: a computed member of an object the project fills
    // member by member (`lusca.csrf = require('./lib/csrf')`) may be any of those members.
    if (
      ts.isElementAccessExpression(child) &&
      ts.isIdentifier(child.expression) &&
      !ts.isStringLiteralLike(child.argumentExpression) &&
      !ts.isNumericLiteral(child.argumentExpression)
    )
      for (const d of project.lookup(file, child.expression, child.expression.text))
        if (isMemberHolder(d.node))
          for (const value of allMemberAssignedValues(d.file.sourceFile, child.expression.text))
            if (runs(value)) out.push({ file: d.file, node: value });
    if (ts.isIdentifier(child) && !isNameOnly(child)) {
      for (const d of project.lookup(file, child, child.text)) {
        if (ts.isParameter(d.node)) continue;
        // `new SendStream(req, path)` of an ES5 constructor (also one held in a variable, fastify-guard's
        // `const Guard = function (options) {...}`): the methods its prototype is given.
        if (
          isFunctionDeclarationOrValue(d.node) &&
          ts.isNewExpression(child.parent) &&
          child.parent.expression === child
        )
          for (const value of prototypeAssignedValues(d.file.sourceFile, child.text))
            out.push({ file: d.file, node: value });
        // `const { guard } = require(`${root}/lib/guard`)`: the export it names.
        const bound = ts.isBindingElement(d.node) ? boundRequire(d.node) : undefined;
        if (bound)
          for (const target of computedRequire(project, d.file, bound.call))
            out.push(...project.exportOf(target, bound.name));
        if (ts.isSourceFile(d.node)) {
          const parent: ts.Node = child.parent;
          if (ts.isPropertyAccessExpression(parent) && parent.expression === child)
            out.push(...project.exportOf(d.file, parent.name.text));
          // The module itself handed to code (`server.register({ plugin: Crumb })` with
          // `const Crumb = require('..')`): whatever it exports may run.
          else
            for (const name of exportedNames(d.file.sourceFile)) out.push(...project.exportOf(d.file, name));
          continue;
        }
        out.push(d);
      }
    }
    child.forEachChild(visit);
  };
  visit(node);
  return out;
}

/**
 * The first test loader in `node` (a part of `file`) that hands the module it loads stubs mtls-fix cannot read
 * (`proxyquire('../app/guard', makeStubs())`, `proxyquire(p, stubs)` with `stubs` a parameter: module-loaders.ts
 * `unreadStubs`), as a stop: the modules those stubs replace run code the walk never sees, so the real modules'
 * 403s are no proof of what the test receives. Undefined when there is none.
 */
function unreadStubsLoad(
  file: ProjectFile,
  node: ts.Node,
  skip?: (child: ts.Node) => boolean,
): WalkStop | undefined {
  for (const call of loaderCalls(file.sourceFile)) {
    if (call.pos < node.pos || call.end > node.end) continue;
    const why = unreadStubs(call);
    if (!why || (skip && skipped(call, node, skip))) continue;
    return { kind: 'stubs', file, call, why };
  }
  return undefined;
}

/**
 * A loader call of the test file that runs for the test `body` (test-scopes.ts `servedRange`: at the top of the
 * file, in a helper, or in the test's own suite) and hands stubs mtls-fix cannot read (module-loaders.ts
 * `unreadStubs`) to a module whose code the test runs (`runs`: its unit walk reached it, or a route its request
 * reaches is registered or handled there): the stubs replace modules of that code which mtls-fix reads as written.
 */
export function stubbedLoadReached(
  project: Project,
  file: ProjectFile,
  body: ts.Node,
  runs: (loaded: ProjectFile) => boolean,
): WalkStop | undefined {
  for (const call of loaderCalls(file.sourceFile)) {
    const why = unreadStubs(call);
    // `await esmock('../app.js', mocks)` too: its promise is no `require`'s value (loadedModule reads it).
    const module = why === undefined ? undefined : (requireOf(call)?.module ?? loadedModule(call)?.module);
    const loaded = module === undefined ? undefined : project.resolveModule(file, module);
    if (why && loaded && servedFor(file, call, body) && runs(loaded))
      return { kind: 'stubs', file, call, why };
  }
  return undefined;
}

/** Whether `child` of `node` lies in a part `skip` leaves out (itself or a node around it, up to `node`). */
function skipped(child: ts.Node, node: ts.Node, skip: (child: ts.Node) => boolean): boolean {
  for (let at: ts.Node | undefined = child; at && at !== node; at = at.parent) if (skip(at)) return true;
  return skip(node);
}

/** Whether an expression is what its function hands back: a `return` statement's value, an arrow function's body. */
function isHandedBack(node: ts.Node): boolean {
  const parent = node.parent;
  return (
    (ts.isReturnStatement(parent) && parent.expression === node) ||
    (ts.isArrowFunction(parent) && parent.body === node)
  );
}

/**
 * The project modules a `require()` (or a test's loader, ``proxyquire(`${root}/app`, stubs)``) with a computed
 * specifier may load (`require(libpath + '/index')`, ``require(`${root}/lib/guard`)``), read from the parts the
 * file spells out; none for any other call.
 */
function computedRequire(project: Project, file: ProjectFile, call: ts.CallExpression): ProjectFile[] {
  // A test's loader too: ``proxyquire(`${root}/lib/guard`, stubs)`` (module-loaders.ts).
  const loader = moduleLoaderCall(call);
  const isRequire =
    ts.isIdentifier(call.expression) && call.expression.text === 'require' && call.arguments.length === 1;
  if ((!isRequire && !loader) || requiredModule(call) !== undefined) return [];
  const argument = loader?.specifier ?? call.arguments[0];
  const out: ProjectFile[] = [];
  for (const specifier of specifierCandidates(project, file, argument)) {
    const target = project.resolveModule(file, specifier);
    if (target && target !== file && !out.includes(target)) out.push(target);
  }
  return out;
}

/**
 * The first load in `node` (a part of `file`) whose module mtls-fix cannot tell: a `require()`, `import()` or test
 * loader (`proxyquire(modulePath, stubs)`, module-loaders.ts) whose path is not written out (a parameter, a value
 * computed at run time) and none of whose spelled-out candidates is a project file (`specifierCandidates`). The
 * unit it loads may hold a 403: the walk names it rather than read past it. `loadersOnly`: test loaders only (code
 * the test reaches in another file, whose own `require(x)` loads no unit of the test's).
 */
function unreadLoad(
  project: Project,
  file: ProjectFile,
  node: ts.Node,
  skip?: (child: ts.Node) => boolean,
  loadersOnly = false,
): ts.CallExpression | undefined {
  // Only a test loader (module-loaders.ts `loaderCalls`, found once per file): most files make none.
  const loaders = loadersOnly ? loaderCalls(file.sourceFile) : undefined;
  if (loaders && !loaders.some((call) => node.pos <= call.pos && call.end <= node.end)) return undefined;
  let found: ts.CallExpression | undefined;
  const visit = (child: ts.Node): void => {
    if (found || skip?.(child)) return;
    if (ts.isCallExpression(child) && (loaders ? loaders.includes(child) : loadCall(child) === child)) {
      const specifier = loadSpecifier(child);
      if (
        specifier &&
        !ts.isStringLiteralLike(specifier) &&
        requiredModule(child) === undefined &&
        requireOf(child) === undefined &&
        importCallOf(child) === undefined &&
        !specifierCandidates(project, file, specifier).some((s) => project.resolveModule(file, s))
      ) {
        found = child;
        return;
      }
    }
    child.forEachChild(visit);
  };
  visit(node);
  return found;
}
