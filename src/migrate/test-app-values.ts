import ts from '../typescript.cjs';
import type { CodeRoute } from './routes/model.js';
import { elementsOf, moduleOptions, property } from './routes/nest-modules.js';
import { isFunctionNode, unwrap, type Project, type ProjectFile } from './routes/project.js';
import type { TestRequest } from './routes/requests.js';
import { linesOf } from '../util/lines.js';
import { calleeName } from './census-syntax.js';

/**
 * Which app *value* a test's request is made on (test-route-graph.ts), where two apps of one module answer the
 * same path: `pub.request('/x')` with `import { admin, pub } from '../src/apps'` (two Hono apps of one file),
 * `pub().inject('/x')` / `const server = admin(); server.inject(...)` (two hapi factories), a Nest app built
 * from `Test.createTestingModule({ imports: [PublicModule] })` or `({ controllers: [AdminController] })`. The
 * module scope (test-app-scope.ts) keeps both apps' routes, as the test loads the file holding both; this
 * narrows them to the routes the app value registers.
 *
 * The request's app is read from its call: the argument of `request(app)` / `supertest(app)` /
 * `request.agent(app)` / `testClient(app)` at the root of its chain, or the receiver of `app.inject(...)`,
 * `app.request(...)`, `app.fetch(...)`; wrappers that hand the same app on are looked through
 * (`app.getHttpServer()`, `app.callback()`, `app.listen()`, `server.listener`, `app.server`). That expression
 * is followed through the test file's variables (an initializer, or the one value its hooks assign) to:
 * - a variable of a product module (`export const pub = new Hono()`): its routes are the registrations whose
 *   receiver is that variable;
 * - a call of a product function (`pub()`, `await init()`): its routes are the registrations inside it, and
 *   inside the module's functions it names;
 * - a Nest testing module: the controllers it lists and those of the modules it imports, transitively.
 * Only routes of the same module (for Nest: other controllers) are dropped, and only those another app
 * registers; a route of another file, or one no app of the module owns, is kept. Undefined when the app
 * value cannot be told, or it owns no candidate: the module scope stands.
 */
export class TestAppValues {
  /**
   * @param project the follower's project
   * @param isTest whether a file (relative path) is a test file: its own apps are scoped by the test's ranges
   */
  constructor(
    private readonly project: Project,
    private readonly isTest: (relative: string) => boolean,
  ) {}

  /**
   * The candidates the request's app value serves, or undefined when it cannot be told (see the class).
   *
   * @param from the test file making the request
   * @param request the request (its `call` names the app)
   * @param candidates the routes of the modules the test loads
   */
  narrow(from: ProjectFile, request: TestRequest, candidates: readonly CodeRoute[]): CodeRoute[] | undefined {
    if (!request.call) return undefined;
    const app = appExpression(request.call);
    if (!app) return undefined;
    const origin = this.originOf(from, app, 0);
    if (!origin) return undefined;
    if (origin.kind === 'nest') {
      const inside = (route: CodeRoute): boolean => {
        const file = this.project.byRelative(route.file);
        const at = file ? lineOffset(file.sourceFile, route.line) : -1;
        return [...origin.controllers].some(
          (c) => c.getSourceFile() === file?.sourceFile && at >= c.getStart() && at < c.getEnd(),
        );
      };
      const nest = candidates.filter((r) => r.framework === 'nestjs');
      if (!nest.some(inside)) return undefined;
      return candidates.filter((r) => r.framework !== 'nestjs' || inside(r));
    }
    const file = origin.file;
    if (this.isTest(file.relative)) return undefined;
    const owners = new Map<CodeRoute, Owner | undefined>();
    for (const route of candidates)
      if (route.file === file.relative) owners.set(route, ownerOf(file.sourceFile, route.line));
    const mounts = new Mounts(file.sourceFile);
    const mine = (owner: Owner | undefined): boolean => {
      if (!owner) return false;
      if (origin.kind === 'factory') {
        if (owner.fn) return owner.fn === origin.fn || (!!owner.fnName && origin.names.has(owner.fnName));
        // A module-level router the factory mounts (`server.use(router)` in its body).
        return !!owner.root && origin.names.has(owner.root);
      }
      return !owner.fn && !!owner.root && mounts.roots(owner.root).has(origin.name);
    };
    if (![...owners.values()].some(mine)) return undefined;
    const another = (owner: Owner | undefined): boolean => {
      if (!owner || mine(owner)) return false;
      // Inside a function: another factory's app; for an app variable, a function may register on it
      // (`function setup(app) { app.get(...) }`), so such a route is kept.
      if (owner.fn) return origin.kind === 'factory';
      // A router mounted on another app of the module is that app's; one the module mounts nowhere but
      // exports may be mounted on this app by another file, and is kept.
      return !!owner.root && !mounts.mayBeMountedElsewhere(owner.root);
    };
    return candidates.filter((r) => r.file !== file.relative || !another(owners.get(r)));
  }

  /** What an app expression of `file` is, followed through variables, calls and imports. */
  private originOf(file: ProjectFile, expression: ts.Expression, depth: number): Origin | undefined {
    if (depth > 8) return undefined;
    const node = unwrap(expression);
    if (ts.isAwaitExpression(node)) return this.originOf(file, node.expression, depth + 1);
    if (ts.isCallExpression(node)) {
      const callee = unwrap(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'createNestApplication')
        return this.nestOrigin(file, callee.expression, depth + 1);
      if (ts.isIdentifier(callee)) {
        const fn = this.functionOf(file, callee);
        return fn ? { kind: 'factory', ...fn } : undefined;
      }
      return undefined;
    }
    // `k.pub` with `const k = require('../src/apps')`: the module's export.
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const holder = this.project.lookup(file, node.expression, node.expression.text);
      const module = holder.length === 1 ? holder[0] : undefined;
      // The module itself, or its `module.exports = { admin, pub }` (a `require()` binding's default).
      if (!module || module.file === file) return undefined;
      const whole =
        ts.isSourceFile(module.node) ||
        (ts.isBinaryExpression(module.node) && module.node.left.getText() === 'module.exports');
      if (!whole) return undefined;
      const exported = this.project.exportOf(module.file, node.name.text);
      return exported.length === 1 && exported[0]
        ? valueOrigin(exported[0].file, exported[0].node)
        : undefined;
    }
    if (!ts.isIdentifier(node)) return undefined;
    const declared = this.project.lookup(file, node, node.text);
    if (declared.length !== 1 || !declared[0]) return undefined;
    const { file: at, node: declaration } = declared[0];
    if (at === file) {
      const values = valuesOf(declaration, node.text);
      const origins = values.map((v) => this.originOf(file, v, depth + 1));
      const first = origins[0];
      return first && origins.every((o) => same(o, first)) ? first : undefined;
    }
    return valueOrigin(at, declaration);
  }

  /** The product function a called name declares, with the module functions its body names. */
  private functionOf(
    file: ProjectFile,
    callee: ts.Identifier,
  ): { file: ProjectFile; fn: ts.Node; names: Set<string> } | undefined {
    const declared = this.project.lookup(file, callee, callee.text);
    if (declared.length !== 1 || !declared[0]) return undefined;
    const { file: at, node } = declared[0];
    if (at === file) return undefined;
    const fn = functionValue(node);
    if (!fn) return undefined;
    const names = new Set<string>();
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) names.add(n.text);
      n.forEachChild(visit);
    };
    visit(fn);
    return { file: at, fn, names };
  }

  /** `moduleFixture.createNestApplication()`: the controllers of the testing module it was compiled from. */
  private nestOrigin(file: ProjectFile, fixture: ts.Expression, depth: number): Origin | undefined {
    let node: ts.Expression = unwrap(fixture);
    for (let i = 0; i < 8 && ts.isIdentifier(node); i++) {
      const declared = this.project.lookup(file, node, node.text);
      const declaration = declared[0]?.node;
      if (declared.length !== 1 || !declaration || declared[0]?.file !== file) return undefined;
      const values = valuesOf(declaration, node.text);
      if (values.length !== 1 || !values[0]) return undefined;
      node = unwrap(values[0]);
    }
    const create = testingModuleCall(node);
    const options = create?.arguments[0] && unwrap(create.arguments[0]);
    if (!options || !ts.isObjectLiteralExpression(options) || depth > 12) return undefined;
    const controllers = new Set<ts.ClassDeclaration>();
    return this.addModule(file, options, controllers, new Set()) ? { kind: 'nest', controllers } : undefined;
  }

  /** Adds a module's controllers and those of the modules it imports; false when a list cannot be read. */
  private addModule(
    file: ProjectFile,
    options: ts.ObjectLiteralExpression,
    controllers: Set<ts.ClassDeclaration>,
    seen: Set<ts.ClassDeclaration>,
  ): boolean {
    const listed = property(options, 'controllers');
    if (listed) {
      const { items, unread } = elementsOf(this.project, file, listed);
      if (unread.length) return false;
      for (const item of items) {
        const found = this.classOf(item.file, item.node);
        if (found === null) continue;
        if (!found) return false;
        controllers.add(found.node);
      }
    }
    const imports = property(options, 'imports');
    if (!imports) return true;
    const { items, unread } = elementsOf(this.project, file, imports);
    if (unread.length) return false;
    for (const item of items) {
      let element = unwrap(item.node);
      // `ConfigModule.forRoot()`, `AuthModule.register({...})`: the class the dynamic module is built from.
      if (ts.isCallExpression(element) && ts.isPropertyAccessExpression(element.expression))
        element = element.expression.expression;
      const found = this.classOf(item.file, element);
      if (found === null) continue;
      if (!found) return false;
      if (seen.has(found.node)) continue;
      seen.add(found.node);
      const inner = moduleOptions(found.node);
      if (inner && !this.addModule(found.file, inner, controllers, seen)) return false;
    }
    return true;
  }

  /**
   * The project class an element names; null for a class of a package (`TypeOrmModule`: no route of the
   * project), undefined when it cannot be read.
   */
  private classOf(
    file: ProjectFile,
    expression: ts.Expression,
  ): { file: ProjectFile; node: ts.ClassDeclaration } | null | undefined {
    const node = unwrap(expression);
    if (!ts.isIdentifier(node)) return undefined;
    const declared = this.project.lookup(file, node, node.text);
    if (!declared.length) return undefined;
    const found = declared[0];
    if (!found) return undefined;
    if (ts.isClassDeclaration(found.node)) return { file: found.file, node: found.node };
    // An import the project does not resolve: a package's module.
    if (ts.isImportSpecifier(found.node) || ts.isImportClause(found.node) || ts.isNamespaceImport(found.node))
      return null;
    return undefined;
  }
}

/** A module-level app variable another module exports (`export const pub = new Hono()`). */
function valueOrigin(file: ProjectFile, declaration: ts.Node): Origin | undefined {
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
  const init = declaration.initializer && unwrap(declaration.initializer);
  if (init && isFunctionNode(init)) return undefined;
  return { kind: 'value', file, name: declaration.name.text };
}

type Origin =
  | { kind: 'value'; file: ProjectFile; name: string }
  | { kind: 'factory'; file: ProjectFile; fn: ts.Node; names: Set<string> }
  | { kind: 'nest'; controllers: Set<ts.ClassDeclaration> };

function same(a: Origin | undefined, b: Origin): boolean {
  if (a === b) return true;
  if (!a || a.kind !== b.kind) return false;
  if (a.kind === 'value' && b.kind === 'value') return a.file === b.file && a.name === b.name;
  if (a.kind === 'factory' && b.kind === 'factory') return a.fn === b.fn;
  if (a.kind === 'nest' && b.kind === 'nest')
    return a.controllers.size === b.controllers.size && [...a.controllers].every((c) => b.controllers.has(c));
  return false;
}

/** Members that hand on the same app: `app.getHttpServer()`, `app.callback()`, `server.listener`. */
const WRAPPERS = new Set([
  'getHttpServer',
  'callback',
  'listen',
  'listener',
  'server',
  'handler',
  'getInstance',
]);

/** Calls at the root of a request chain whose first argument is the app (`request(app)`, `testClient(app)`). */
const ROOTS = new Set(['request', 'supertest', 'agent', 'testClient', 'st', 'superagent', 'chai']);

/** The app expression of a request call (see `TestAppValues`), wrappers looked through. */
export function appExpression(call: ts.CallExpression): ts.Expression | undefined {
  const callee = unwrap(call.expression);
  let app: ts.Expression | undefined;
  // light-my-request's own export: `inject(app, { method, url })`, the dispatch function first.
  if (ts.isIdentifier(callee) && callee.text === 'inject' && call.arguments[1]) app = call.arguments[0];
  else if (ts.isPropertyAccessExpression(callee) && /^(inject|request|fetch)$/.test(callee.name.text)) {
    const receiver = unwrap(callee.expression);
    // `app.inject().get('/x')` is read at `.get`; `request(app).get` below.
    app = receiver;
  } else {
    let node: ts.Expression = callee;
    for (let i = 0; i < 40; i++) {
      node = unwrap(node);
      if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) node = node.expression;
      else if (ts.isCallExpression(node)) {
        const inner = unwrap(node.expression);
        const name = calleeName(inner) ?? '';
        // `inject(app).get('/x')`: light-my-request's chain, rooted in its own export.
        if ((ROOTS.has(name) || (name === 'inject' && ts.isIdentifier(inner))) && node.arguments[0]) {
          app = node.arguments[0];
          break;
        }
        if (name === 'inject' && ts.isPropertyAccessExpression(inner) && !node.arguments.length) {
          app = inner.expression;
          break;
        }
        node = inner;
      } else break;
    }
  }
  for (let i = 0; app && i < 4; i++) {
    const node = unwrap(app);
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      if (!WRAPPERS.has(node.expression.name.text)) break;
      app = node.expression.expression;
    } else if (ts.isPropertyAccessExpression(node) && WRAPPERS.has(node.name.text)) app = node.expression;
    else break;
  }
  return app;
}

/** `Test.createTestingModule({...})` at the root of a chain (`.overrideGuard(G).useValue(v).compile()`). */
function testingModuleCall(expression: ts.Expression): ts.CallExpression | undefined {
  let node: ts.Expression = unwrap(expression);
  for (let i = 0; i < 40; i++) {
    if (ts.isAwaitExpression(node)) node = unwrap(node.expression);
    else if (ts.isCallExpression(node)) {
      const callee = unwrap(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'createTestingModule') return node;
      node = callee;
    } else if (ts.isPropertyAccessExpression(node)) node = unwrap(node.expression);
    else return undefined;
  }
  return undefined;
}

/**
 * The values a test-file variable holds: its initializer, else the values assigned to it anywhere in the file
 * (`let app; beforeAll(async () => { app = await build(); })`).
 */
export function valuesOf(declaration: ts.Node, name: string): ts.Expression[] {
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) return [declaration.initializer];
  if (!ts.isVariableDeclaration(declaration)) return [];
  // Assignments within the declaration's scope: two suites may each declare their own `let app`.
  let scope: ts.Node = declaration;
  while (scope.parent && !ts.isBlock(scope) && !ts.isSourceFile(scope) && !isFunctionNode(scope))
    scope = scope.parent;
  const out: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(node.left) &&
      node.left.text === name
    )
      out.push(node.right);
    node.forEachChild(visit);
  };
  visit(scope);
  return out;
}

/** The function a declaration holds (`function f`, `const f = () => ...`, `exports.f = function () {}`). */
function functionValue(node: ts.Node): ts.Node | undefined {
  if (ts.isFunctionDeclaration(node)) return node;
  if (ts.isVariableDeclaration(node) && node.initializer) {
    const init = unwrap(node.initializer);
    return isFunctionNode(init) ? init : undefined;
  }
  if (ts.isBinaryExpression(node)) {
    const right = unwrap(node.right);
    return isFunctionNode(right) ? right : undefined;
  }
  if (ts.isPropertyAssignment(node)) {
    const init = unwrap(node.initializer);
    return isFunctionNode(init) ? init : undefined;
  }
  return isFunctionNode(node) ? node : undefined;
}

/** Who registers a route of a module: the top-level function around it, else its receiver's root name. */
interface Owner {
  /** The module-level function holding the registration (a factory), if any. */
  fn?: ts.Node;
  fnName?: string;
  /** The registration's receiver root (`admin` of `admin.get(...)`), outside any function. */
  root?: string;
}

function lineOffset(source: ts.SourceFile, line: number): number {
  const starts = linesOf(source).starts;
  const start = starts[line - 1];
  if (start === undefined) return -1;
  const text = source.text;
  let at = start;
  while (at < text.length && (text[at] === ' ' || text[at] === '\t')) at++;
  return at;
}

function ownerOf(source: ts.SourceFile, line: number): Owner | undefined {
  const at = lineOffset(source, line);
  if (at < 0) return undefined;
  const statement = source.statements.find((s) => at >= s.getStart(source) && at < s.getEnd());
  if (!statement) return undefined;
  const fn = topFunction(statement);
  if (fn) return fn;
  // The outermost call starting on the route's line: its receiver's root name.
  let call: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (call || at < node.getFullStart() || at >= node.getEnd()) return;
    if (ts.isCallExpression(node) && node.getStart(source) <= at) call = node;
    else node.forEachChild(visit);
  };
  visit(statement);
  let node: ts.Expression | undefined = call?.expression;
  for (let i = 0; node && i < 40; i++) {
    node = unwrap(node);
    if (ts.isIdentifier(node)) return { root: node.text };
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) node = node.expression;
    else if (ts.isCallExpression(node)) node = node.expression;
    else return undefined;
  }
  return undefined;
}

/** A module-level function statement (`function f() {}`, `const f = () => {}`, `exports.f = function () {}`). */
function topFunction(statement: ts.Statement): Owner | undefined {
  if (ts.isFunctionDeclaration(statement)) return { fn: statement, fnName: statement.name?.text };
  if (ts.isVariableStatement(statement)) {
    for (const d of statement.declarationList.declarations) {
      const fn = functionValue(d);
      if (fn) return { fn, fnName: ts.isIdentifier(d.name) ? d.name.text : undefined };
    }
  }
  if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression)) {
    const fn = functionValue(statement.expression);
    const left = statement.expression.left;
    if (fn) return { fn, fnName: ts.isPropertyAccessExpression(left) ? left.name.text : undefined };
  }
  if (ts.isExportAssignment(statement)) {
    const fn = functionValue(statement.expression);
    if (fn) return { fn };
  }
  return undefined;
}

/** Methods that mount a router or sub-app on an app (`app.use('/api', router)`, `app.route('/', sub)`). */
const MOUNTS = new Set(['use', 'route', 'register', 'mount', 'addRoutes', 'merge']);

/**
 * Which names of a module are mounted on which (`admin.use(adminRouter.routes())`: `adminRouter` on `admin`),
 * and which it exports, to tell whose routes a router's registrations are.
 */
class Mounts {
  /** Per mounted name, the receivers' root names it is mounted on. */
  private readonly on = new Map<string, Set<string>>();
  private readonly exported = new Set<string>();
  private readonly routers = new Set<string>();

  constructor(source: ts.SourceFile) {
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        MOUNTS.has(node.expression.name.text)
      ) {
        const receiver = rootName(node.expression.expression);
        for (const a of node.arguments) {
          const mounted = rootName(a);
          if (!receiver || !mounted || mounted === receiver) continue;
          const set = this.on.get(mounted) ?? new Set<string>();
          set.add(receiver);
          this.on.set(mounted, set);
        }
      }
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
        if (/Router\b/.test(node.initializer.getText(source))) this.routers.add(node.name.text);
        if (hasExport(node)) this.exported.add(node.name.text);
      }
      if (ts.isExportSpecifier(node)) this.exported.add((node.propertyName ?? node.name).text);
      if (ts.isExportAssignment(node) && ts.isIdentifier(node.expression))
        this.exported.add(node.expression.text);
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        /^(module\.)?exports\b/.test(node.left.getText(source))
      ) {
        const right = unwrap(node.right);
        if (ts.isIdentifier(right)) this.exported.add(right.text);
        if (ts.isObjectLiteralExpression(right))
          for (const p of right.properties) {
            if (ts.isShorthandPropertyAssignment(p)) this.exported.add(p.name.text);
            else if (ts.isPropertyAssignment(p) && ts.isIdentifier(unwrap(p.initializer)))
              this.exported.add((unwrap(p.initializer) as ts.Identifier).text);
          }
      }
      node.forEachChild(visit);
    };
    visit(source);
  }

  /** The names a name is mounted on at the top of its mount chain (itself when mounted on nothing). */
  roots(name: string): Set<string> {
    const out = new Set<string>();
    const seen = new Set<string>();
    const stack = [name];
    while (stack.length) {
      const next = stack.pop();
      if (next === undefined || seen.has(next)) continue;
      seen.add(next);
      const on = this.on.get(next);
      if (!on?.size) out.add(next);
      else stack.push(...on);
    }
    return out;
  }

  /** A router the module mounts nowhere but exports: another file may mount it on any app. */
  mayBeMountedElsewhere(name: string): boolean {
    return !this.on.has(name) && this.routers.has(name) && this.exported.has(name);
  }
}

function hasExport(declaration: ts.VariableDeclaration): boolean {
  const statement = declaration.parent.parent;
  return (
    ts.isVariableStatement(statement) &&
    !!statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  );
}

/** The root name of a receiver or mounted value (`adminRouter.routes()`, `router.handler`, `app`). */
function rootName(expression: ts.Expression): string | undefined {
  let node: ts.Expression = unwrap(expression);
  for (let i = 0; i < 20; i++) {
    if (ts.isIdentifier(node)) return node.text;
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node))
      node = unwrap(node.expression);
    else if (ts.isCallExpression(node)) node = unwrap(node.expression);
    else return undefined;
  }
  return undefined;
}
