import ts from '../typescript.cjs';
import { requireOf, type Declaration, type Project, type ProjectFile } from './routes/project.js';
import {
  loadedModule,
  loaderCalls,
  loaderStubs,
  moduleLoaderCall,
  rewiremockSpecifier,
  stubsCode,
  type LoaderStub,
} from './module-loaders.js';
import { visibleWrittenValue } from './local-values.js';
import { readSpecifier } from './mock-specifiers.js';
import { REWIREMOCK_PACKAGES, rewiremockStart } from './rewiremock-mocks.js';
import { setupCalls, variableOf } from './test-setup-calls.js';
import { servedRange } from './test-scopes.js';
import {
  ownerName,
  statementListsAround,
  stubs,
  stubsAround,
  suiteBodies,
  unwrapAwait,
} from './test-stubs.js';

/**
 * What a test file puts in place of product code (`--include-tests`, issue 9 §1): module mocks registered for
 * the whole file (`jest.mock('../auth', factory)`), and the code that runs for one test besides its body (the
 * `beforeEach`/`beforeAll` hooks around it, the file's helpers they name). A 403 such code builds (a mocked
 * service throwing `ForbiddenException`, a mocked middleware answering `res.status(403)`) is the test's own:
 * an assertion that may check it never follows a rewritten server site. Syntax only.
 */

/**
 * Module-mock registrations: `jest.mock(spec, factory?)`, `jest.doMock`, `jest.unstable_mockModule`,
 * `jest.setMock`, `vi.mock`, `vi.doMock`, node:test `mock.module(spec, options)` (also `t.mock.module`),
 * testdouble `td.replace(spec, ...)` with a module path, `mockery.registerMock(spec, stub)` (and
 * `registerSubstitute(spec, substitute)`: the substitute module in its place), `quibble.esm(spec)`
 * (and `MOCKER_PACKAGES` called by the name the file binds). Sources: Jest "The Jest Object", Vitest "vi",
 * Node.js "Test runner: mock.module", testdouble.js "td.replace", the mockery and quibble READMEs.
 */
const MOCKERS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['jest', new Set(['mock', 'doMock', 'unstable_mockModule', 'setMock'])],
  ['vi', new Set(['mock', 'doMock'])],
  ['mock', new Set(['module'])],
  ['td', new Set(['replace', 'replaceEsm'])],
  ['mockery', new Set(['registerMock', 'registerSubstitute'])],
  ['quibble', new Set(['esm'])],
]);

/**
 * Packages whose default export registers a module mock when called (`mock('../auth', stub)`): mock-require,
 * quibble. Sources: the mock-require and quibble READMEs.
 */
const MOCKER_PACKAGES = new Set(['mock-require', 'quibble']);

/** Hooks that run before each test of their suite (Jest, Vitest, Mocha BDD/TDD, node:test, lab, ava, tap). */
const HOOKS = new Set([
  'beforeEach',
  'beforeAll',
  'before',
  'setup',
  'suiteSetup',
  'serial.before',
  'serial.beforeEach',
]);

/** How many same-file declarations `codeAround` follows from the hooks and the test body. */
const MAX_LOCAL = 200;

/** One module mock of a test file: the specifier it replaces and the registration call (with its factory). */
export interface ModuleMock {
  specifier: string;
  call: ts.CallExpression;
  /**
   * Set when the mock replaces the module every file requires by `specifier` as written, not the one it names
   * from the test file (rewiremock's `rewiremock('./upstream')`, rewiremock-mocks.ts; mockery's is told by its call).
   */
  byRequest?: true;
}

/** {@link moduleMocks} per test file: asked once per test body, a walk each time made a file of many tests quadratic. */
const mocksOfFile = new WeakMap<ts.SourceFile, FileMocks>();

/** A test file's module-mock registrations: those whose module it reads, and those whose module it cannot. */
interface FileMocks {
  read: readonly ModuleMock[];
  unread: readonly ts.CallExpression[];
}

/** {@link findModuleMocks} of a file, once. */
function fileMocks(sourceFile: ts.SourceFile): FileMocks {
  let mocks = mocksOfFile.get(sourceFile);
  if (!mocks) mocksOfFile.set(sourceFile, (mocks = findModuleMocks(sourceFile)));
  return mocks;
}

/**
 * Every module-mock registration in a test file, wherever it is written (Jest and Vitest hoist them); found once per
 * file. Its specifier as written, or read from the file at no cost (mock-specifiers.ts `readSpecifier`: a `const`
 * string, a template of literal parts, `path.join(__dirname, '../policy')`).
 */
export function moduleMocks(sourceFile: ts.SourceFile): readonly ModuleMock[] {
  return fileMocks(sourceFile).read;
}

/**
 * The module-mock registrations of a test file whose module mtls-fix cannot read (`jest.mock(policyPath(), …)`,
 * ``mockery.registerSubstitute(`${process.cwd()}/lib/policy`, './fake')``, a substitute it cannot read either):
 * each replaces a module it cannot name, so the real modules' code is no proof of what the file's tests run
 * (Session 45: they were dropped without a word). testdouble's `td.replace(object, 'member')` is no module mock.
 */
export function unreadModuleMocks(sourceFile: ts.SourceFile): readonly ts.CallExpression[] {
  return fileMocks(sourceFile).unread;
}

function findModuleMocks(sourceFile: ts.SourceFile): FileMocks {
  const read: ModuleMock[] = [];
  const unread: ts.CallExpression[] = [];
  const mockers = mockerNames(sourceFile, MOCKER_PACKAGES);
  const rewiremocks = mockerNames(sourceFile, REWIREMOCK_PACKAGES);
  const chained = new Set<ts.CallExpression>();
  const visit = (node: ts.Node): void => {
    const rewired =
      rewiremocks.size && ts.isCallExpression(node) ? rewiremockStart(node, rewiremocks) : undefined;
    if (rewired && ts.isCallExpression(node)) {
      // `rewiremock('./x').with({…})`: the whole chain (it holds the stand-in) is the registration, read once.
      const first = rewired.arguments[0];
      const specifier = first && readSpecifier(rewiremockSpecifier(first) ?? first, sourceFile);
      if (!chained.has(rewired) && specifier !== undefined)
        read.push({ specifier, call: node, byRequest: true });
      else if (!chained.has(rewired) && first) unread.push(node);
      chained.add(rewired);
    } else if (
      ts.isCallExpression(node) &&
      (isMockRegistration(node) || (ts.isIdentifier(node.expression) && mockers.has(node.expression.text)))
    ) {
      const first = node.arguments[0];
      const specifier = first && readSpecifier(first, sourceFile);
      const substitute = isSubstitute(node) ? node.arguments[1] : undefined;
      if (specifier !== undefined && (!substitute || readSpecifier(substitute, sourceFile) !== undefined))
        read.push({ specifier, call: node });
      else if (first && !isObjectReplace(node)) unread.push(node);
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  return { read, unread };
}

/** `td.replace(object, 'member')`: testdouble replacing a member of a value, not a module (its first argument no string). */
function isObjectReplace(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return (
    ts.isPropertyAccessExpression(callee) && callee.name.text === 'replace' && ownerName(callee) === 'td'
  );
}

/** `mockery.registerSubstitute(request, substitute)`. */
function isSubstitute(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return (
    ts.isPropertyAccessExpression(callee) && callee.name.text === 'registerSubstitute' && isMockery(call)
  );
}

/** The names a file binds to a default export of `packages` (`const mock = require('mock-require')`). */
function mockerNames(sourceFile: ts.SourceFile, packages: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      packages.has(statement.moduleSpecifier.text) &&
      statement.importClause?.name
    )
      out.add(statement.importClause.name.text);
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      const init = d.initializer;
      if (
        ts.isIdentifier(d.name) &&
        init &&
        ts.isCallExpression(init) &&
        ts.isIdentifier(init.expression) &&
        init.expression.text === 'require' &&
        init.arguments[0] &&
        ts.isStringLiteral(init.arguments[0]) &&
        packages.has(init.arguments[0].text)
      )
        out.add(d.name.text);
    }
  }
  return out;
}

function isMockRegistration(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return false;
  // `t.mock.module(...)` (node:test's context) as well as `mock.module(...)`
  return MOCKERS.get(ownerName(callee))?.has(callee.name.text) ?? false;
}

/**
 * The project files a test file replaces with module mocks (relative paths): their code never runs in its
 * tests, so their sites are not what its assertions check.
 */
export function replacedFiles(project: Project, file: ProjectFile): Set<string> {
  const out = new Set<string>();
  // Relative paths, and bare specifiers that are path aliases of the project (`@/auth`), resolve alike.
  for (const mock of moduleMocks(file.sourceFile)) {
    // A partial mock (`jest.mock('../auth', () => ({ ...jest.requireActual('../auth'), check: jest.fn() }))`)
    // keeps the module's own code but for the members it names (`stubbedDeclarations`).
    if (partialMockMembers(mock)) continue;
    const resolved = project.resolveModule(file, mock.specifier);
    if (resolved) out.add(resolved.relative);
    // mockery matches the request as a module writes it (`require('./policy')` in app/guard.js), not a path from
    // the test file (Session 44: such a mock was read as replacing nothing).
    if (mock.byRequest || isMockery(mock.call))
      for (const { target } of requiringFiles(project, mock.specifier)) out.add(target.relative);
  }
  // A module a loader stubs whole for the module it loads (`proxyquire.noCallThru()('../app', { './db': {...} })`).
  for (const stub of loaderStubbed(project, file)) if (stub.whole) out.add(stub.target.relative);
  return out;
}

/** Whether a module mock is mockery's (`mockery.registerMock(request, stub)`, `registerSubstitute(request, path)`). */
function isMockery(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return (
    ts.isPropertyAccessExpression(callee) &&
    (callee.name.text === 'registerMock' || callee.name.text === 'registerSubstitute') &&
    ownerName(callee) === 'mockery'
  );
}

/**
 * The modules a project file loads by the request `request` as written (`require('./policy')`), each with the
 * file that requires it: mockery hands its mock to every `require` of that string (mockery README, "Registering
 * mocks"), whichever file writes it.
 */
function requiringFiles(project: Project, request: string): { from: ProjectFile; target: ProjectFile }[] {
  const out: { from: ProjectFile; target: ProjectFile }[] = [];
  for (const f of project.files) {
    if (!f.sourceFile.text.includes(request)) continue;
    for (const call of project.calls(f)) {
      const first = call.arguments[0];
      if (
        ts.isIdentifier(call.expression) &&
        call.expression.text === 'require' &&
        first &&
        ts.isStringLiteralLike(first) &&
        first.text === request
      ) {
        const resolved = project.resolveModule(f, request);
        if (resolved) out.push({ from: f, target: resolved });
        break;
      }
    }
  }
  return out;
}

/**
 * The modules mockery loads in place of others for a test file (`mockery.registerSubstitute('./policy',
 * '../test/fakes/policy')`): the substitute resolved as mockery loads it, from each module that requires the
 * original by that request (mockery README, "Registering substitutes"), or from the test file. Their code runs
 * for the file's tests as the test's own stand-in (test-built.ts `builtAround`).
 */
export function substituteFiles(project: Project, file: ProjectFile): ProjectFile[] {
  const out = new Set<ProjectFile>();
  for (const mock of moduleMocks(file.sourceFile)) {
    const callee = mock.call.expression;
    const argument = mock.call.arguments[1];
    const substitute = argument && readSpecifier(argument, file.sourceFile);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'registerSubstitute') continue;
    if (!isMockery(mock.call) || substitute === undefined) continue;
    for (const from of [file, ...requiringFiles(project, mock.specifier).map((r) => r.from)]) {
      const found = project.resolveModule(from, substitute);
      if (found) out.add(found);
    }
  }
  return [...out];
}

/**
 * The declarations a test file's loader calls stub member by member (`proxyquire('../app', { './setup': { setup:
 * stub } })`: `setup` of the module `../app` requires as `./setup`, module-loaders.ts `loaderStubs`): the stub runs
 * in their place, while the module's other exports still run as written (proxyquire calls through by default).
 */
export function stubbedDeclarations(project: Project, file: ProjectFile): Set<ts.Node> {
  const out = new Set<ts.Node>();
  for (const mock of moduleMocks(file.sourceFile)) {
    const members = partialMockMembers(mock);
    const resolved = members && project.resolveModule(file, mock.specifier);
    if (resolved)
      for (const member of members) for (const d of project.exportOf(resolved, member)) out.add(d.node);
  }
  for (const stub of loaderStubbed(project, file))
    if (!stub.whole)
      for (const member of stub.members ?? [])
        for (const d of project.exportOf(stub.target, member)) out.add(d.node);
  return out;
}

/**
 * The members a partial module mock replaces, when its factory hands back the module's own exports beside them:
 * `jest.mock(spec, () => ({ ...jest.requireActual(spec), check: jest.fn() }))`, the same through a variable of the
 * factory (`const actual = jest.requireActual(spec); return { ...actual, check }`), Vitest's `vi.mock(spec, async
 * () => ({ ...(await vi.importActual(spec)), check: vi.fn() }))` and `vi.mock(spec, async (importOriginal) =>
 * ({ ...(await importOriginal()), check: vi.fn() }))` (Jest "The Jest Object: jest.requireActual", Vitest "vi.mock").
 * Undefined for a mock that replaces the whole module.
 */
function partialMockMembers(mock: ModuleMock): string[] | undefined {
  const factory = mock.call.arguments[1];
  if (!factory || !(ts.isArrowFunction(factory) || ts.isFunctionExpression(factory))) return undefined;
  const original = factory.parameters[0]?.name;
  // Whether an expression is the module's own exports: the actual loaded by the runner, or `importOriginal()`.
  const actual = (expression: ts.Expression, depth = 0): boolean => {
    let node = expression;
    while (ts.isParenthesizedExpression(node) || ts.isAwaitExpression(node) || ts.isAsExpression(node))
      node = node.expression;
    if (ts.isCallExpression(node)) {
      const loaded = moduleLoaderCall(node);
      if (loaded && ts.isStringLiteralLike(loaded.specifier)) return loaded.specifier.text === mock.specifier;
      return (
        original !== undefined &&
        ts.isIdentifier(original) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === original.text
      );
    }
    if (ts.isIdentifier(node) && depth < 2 && ts.isBlock(factory.body))
      for (const statement of factory.body.statements)
        if (ts.isVariableStatement(statement))
          for (const d of statement.declarationList.declarations)
            if (ts.isIdentifier(d.name) && d.name.text === node.text && d.initializer)
              return actual(d.initializer, depth + 1);
    return false;
  };
  const returned = ts.isBlock(factory.body)
    ? factory.body.statements.flatMap((st) =>
        ts.isReturnStatement(st) && st.expression ? [st.expression] : [],
      )
    : [factory.body];
  let partial = false;
  const members: string[] = [];
  for (const value of returned) {
    let node = value;
    while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) node = node.expression;
    if (!ts.isObjectLiteralExpression(node)) return undefined;
    for (const property of node.properties) {
      if (ts.isSpreadAssignment(property)) {
        if (actual(property.expression)) partial = true;
        else {
          // Another object spread beside the module's own (`...overrides()`): its keys replace members too, so
          // one not written out here leaves the members it replaces unknown: the mock is taken as whole
          // (Session 44: its members were passed over, and the real ones read as running).
          const spread = visibleWrittenValue(property.expression);
          if (!spread || !ts.isObjectLiteralExpression(spread)) return undefined;
          for (const inner of spread.properties) {
            if (!inner.name || !(ts.isIdentifier(inner.name) || ts.isStringLiteralLike(inner.name)))
              return undefined;
            members.push(inner.name.text);
          }
        }
      } else if (property.name && (ts.isIdentifier(property.name) || ts.isStringLiteralLike(property.name)))
        members.push(property.name.text);
    }
  }
  return partial ? members : undefined;
}

/** The stubs of a test file's loader calls, each with the project file its key resolves to from the loaded module. */
function loaderStubbed(project: Project, file: ProjectFile): (LoaderStub & { target: ProjectFile })[] {
  const out: (LoaderStub & { target: ProjectFile })[] = [];
  for (const call of loaderCalls(file.sourceFile)) {
    // `await esmock('../app.js', mocks)` too (its promise is no `require`'s value: loadedModule reads it).
    const module = requireOf(call)?.module ?? loadedModule(call)?.module;
    const loaded = module === undefined ? undefined : project.resolveModule(file, module);
    if (!loaded) continue;
    for (const stub of loaderStubs(call)) {
      // esmock's keys are the test's own imports; proxyquire's, the loaded module's requires.
      const target = project.resolveModule(stub.fromCaller ? file : loaded, stub.specifier);
      if (target && target !== loaded) out.push({ ...stub, target });
    }
  }
  return out;
}

/**
 * The code of the test file that runs for the test whose body is `body`, besides the body itself: the hooks of
 * the suites around it (and of the file), the file's module-mock registrations, and the same-file declarations
 * that the body and those hooks name (a `refuse` helper handed to `mockImplementation`), followed transitively.
 */
export function codeAround(project: Project, file: ProjectFile, body: ts.Node): ts.Node[] {
  const loads = stubbingLoads(file.sourceFile, body);
  // The loads of the body itself too: the stubs they read may be written outside it (`stubs['./policy'] = …`).
  const inBody = loaderCalls(file.sourceFile).filter(
    (call) => call.pos >= body.pos && call.end <= body.end && !loads.includes(call),
  );
  const roots: ts.Node[] = [
    ...hooksAround(body),
    ...stubsAround(body),
    ...leakedHookStubs(body),
    ...moduleMocks(file.sourceFile).map((m) => m.call),
    ...loads.flatMap((call) => [call, ...stubsCode(call)]),
    ...inBody.flatMap(stubsCode),
  ];
  const out: ts.Node[] = [...roots];
  const seen = new Set<ts.Node>();
  const queue: ts.Node[] = [body, ...roots];
  while (queue.length && seen.size < MAX_LOCAL) {
    const node = queue.shift() as ts.Node;
    const visit = (child: ts.Node): void => {
      if (ts.isIdentifier(child)) {
        for (const d of project.lookup(file, child, child.text)) {
          if (d.file !== file || seen.has(d.node) || ts.isSourceFile(d.node) || ts.isParameter(d.node))
            continue;
          if (d.node.pos >= body.pos && d.node.end <= body.end) continue;
          seen.add(d.node);
          out.push(d.node);
          queue.push(d.node);
          // What the name is read from (`const { port } = fastify.server.address()`), and what the file sets up on
          // it outside the test (`app.use((ctx) => { ctx.status = 403; })` in the suite): the test runs those too.
          const variable = variableOf(d.node);
          const more = variable
            ? [...(variable !== d.node ? [variable] : []), ...setupCalls(file.sourceFile, variable, body)]
            : [];
          for (const node of more)
            if (!seen.has(node)) {
              seen.add(node);
              out.push(node);
              queue.push(node);
            }
        }
      }
      child.forEachChild(visit);
    };
    visit(node);
  }
  return out;
}

/**
 * The loader calls of a test file that hand stubs to the module they load (`proxyquire('../app', { './policy': {
 * enforce: (req, res) => res.status(403).end() } })`) and run for the test whose body is `body`: those at the top
 * level or in a helper any test may call, and those of the test's own suite (test-scopes.ts `servedRange`). The
 * module the test reaches runs the stubs in place of what they stub (module-loaders.ts `loaderStubs`).
 */
function stubbingLoads(sourceFile: ts.SourceFile, body: ts.Node): ts.CallExpression[] {
  return loaderCalls(sourceFile).filter((call) => {
    if (call.arguments.length < 2) return false;
    const served = servedRange(sourceFile, call.getStart(sourceFile));
    return !served || (served.start <= body.pos && body.end <= served.end);
  });
}

/**
 * The declarations of the suite's other test files (support modules) that the code around a test names:
 * `overrideGuard(RolesGuard).useClass(DenyAllGuard)` with `DenyAllGuard` imported from `./support/deny.guard`,
 * `sinon.stub(auth, 'check').callsFake(refuse)` with `refuse` from `../helpers`. One hop from the test file: each
 * declaration is read whole (a stand-in class with its members). Product files are never stand-ins.
 *
 * @param nodes the test body and `codeAround` it (nodes of `file`)
 * @param isTest whether a project-relative path is a test file (the follower's test folders and names)
 */
export function foreignStandIns(
  project: Project,
  file: ProjectFile,
  nodes: readonly ts.Node[],
  isTest: (relative: string) => boolean,
): Declaration[] {
  const out: Declaration[] = [];
  const seen = new Set<ts.Node>();
  for (const node of nodes) {
    const visit = (child: ts.Node): void => {
      if (out.length >= MAX_LOCAL) return;
      if (ts.isIdentifier(child))
        for (const d of project.lookup(file, child, child.text))
          if (d.file !== file && !ts.isSourceFile(d.node) && !seen.has(d.node) && isTest(d.file.relative)) {
            seen.add(d.node);
            out.push(d);
          }
      child.forEachChild(visit);
    };
    visit(node);
  }
  return out;
}

/**
 * The manual mocks a test file's factory-less module mocks load: `jest.mock('../src/auth')` (or `vi.mock`) with
 * `src/__mocks__/auth.js` beside the module puts that file's exports in place of the module's (Jest "Manual
 * Mocks", Vitest "Mocking: automocking algorithm"). Their code is the test's own.
 */
export function manualMockFiles(project: Project, file: ProjectFile): ProjectFile[] {
  const out: ProjectFile[] = [];
  for (const mock of moduleMocks(file.sourceFile)) {
    if (mock.call.arguments.length !== 1 || mock.byRequest) continue;
    const resolved = project.resolveModule(file, mock.specifier);
    if (!resolved) continue;
    const slash = resolved.relative.lastIndexOf('/');
    const folder = slash < 0 ? '' : resolved.relative.slice(0, slash + 1);
    const name = resolved.relative.slice(slash + 1);
    const manual = project.byRelative(`${folder}__mocks__/${name}`);
    if (manual) out.push(manual);
  }
  return out;
}

/** The before-hooks of every suite around `body` and of the file (`beforeEach(() => {...})` calls). */
export function hooksAround(body: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  for (const statements of statementListsAround(body)) out.push(...hookCalls(statements));
  return out;
}

/** Calls that undo stubs (Sinon `restore()`, Jest / Vitest `restoreAllMocks`, `mockRestore`, `resetAllMocks`...). */
const RESTORES = /^(restore|restoreAllMocks|resetAllMocks|mockRestore|mockReset|restoreDefaultSandbox)$/;

/** Whether a file undoes stubs anywhere (a `RESTORES` call), worked out once per file. */
function restoresStubs(sourceFile: ts.SourceFile): boolean {
  const known = restoring.get(sourceFile);
  if (known !== undefined) return known;
  let restores = false;
  const visit = (node: ts.Node): void => {
    if (restores) return;
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      RESTORES.test(node.expression.name.text)
    )
      restores = true;
    node.forEachChild(visit);
  };
  visit(sourceFile);
  restoring.set(sourceFile, restores);
  return restores;
}

const restoring = new WeakMap<ts.SourceFile, boolean>();

/**
 * The before-hooks of suites declared before the test's own (not around it) that stub a member, in a file that
 * never undoes a stub: Mocha runs `describe('A', () => { before(() => sinon.stub(auth, 'check')...) })` before
 * the next suite's tests, and the stub holds for them (`describe('B')` requesting `/admin` meets it). Empty when
 * the file calls `restore()`, `jest.restoreAllMocks()` or the like anywhere.
 */
function leakedHookStubs(body: ts.Node): ts.Node[] {
  const sourceFile = body.getSourceFile();
  if (restoresStubs(sourceFile)) return [];
  const out: ts.Node[] = [];
  for (const statements of suiteBodies(sourceFile)) {
    const first = statements[0];
    if (!first || statements.end > body.pos || (first.pos <= body.pos && statements.end >= body.end))
      continue;
    for (const hook of hookCalls(statements)) {
      let stubbed = false;
      const find = (node: ts.Node): void => {
        if (stubbed) return;
        if (ts.isExpression(node) && stubs(node)) stubbed = true;
        else node.forEachChild(find);
      };
      find(hook);
      if (stubbed) out.push(hook);
    }
  }
  return out;
}

/** The before-hook calls among `statements` (`beforeEach(() => {...})`, `lab.before(...)`). */
export function hookCalls(statements: readonly ts.Statement[]): readonly ts.CallExpression[] {
  let calls = hookCallsOf.get(statements);
  if (!calls) hookCallsOf.set(statements, (calls = findHookCalls(statements)));
  return calls;
}

/** {@link hookCalls} per statement list: asked once per test around it, a scan each time made a suite quadratic. */
const hookCallsOf = new WeakMap<readonly ts.Statement[], readonly ts.CallExpression[]>();

function findHookCalls(statements: readonly ts.Statement[]): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  for (const statement of statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    const call = unwrapAwait(statement.expression);
    if (ts.isCallExpression(call) && HOOKS.has(calleeName(call.expression))) out.push(call);
  }
  return out;
}

/** `beforeEach`, `lab.before` -> `before`, `test.serial.before` -> `serial.before`. */
function calleeName(callee: ts.Expression): string {
  if (ts.isIdentifier(callee)) return callee.text;
  if (!ts.isPropertyAccessExpression(callee)) return '';
  const owner = callee.expression;
  if (ts.isPropertyAccessExpression(owner) && owner.name.text === 'serial')
    return `serial.${callee.name.text}`;
  return callee.name.text;
}

/**
 * A stand-in guard that denies: a `canActivate` member (`overrideGuard(G).useValue({ canActivate: () => false })`,
 * a mocked class's `canActivate() { return false; }`, `canActivate: jest.fn().mockReturnValue(false)`) inside
 * `node`. NestJS answers 403 for a guard that returns false, so the test builds a 403 with no literal in it.
 * Returns the member's span, or undefined. Source: NestJS docs, "Guards" (a falsy result is a 403).
 */
export function denyingGuard(node: ts.Node): { start: number; end: number } | undefined {
  let found: { start: number; end: number } | undefined;
  const visit = (child: ts.Node): void => {
    if (found) return;
    const member =
      (ts.isPropertyAssignment(child) || ts.isMethodDeclaration(child) || ts.isPropertyDeclaration(child)) &&
      child.name &&
      ts.isIdentifier(child.name) &&
      child.name.text === 'canActivate'
        ? child
        : undefined;
    // `jest.spyOn(RolesGuard.prototype, 'canActivate').mockReturnValue(false)`, `sinon.stub(guard, 'canActivate')
    // .resolves(false)`: a stub of the member made to answer false.
    const stub = !member && ts.isCallExpression(child) && stubsCanActivate(child) ? child : undefined;
    const denying = member ?? stub;
    if (denying && answersFalse(denying)) {
      found = { start: denying.getStart(), end: denying.getEnd() };
      return;
    }
    child.forEachChild(visit);
  };
  visit(node);
  return found;
}

/**
 * Whether a call sets what a stub of `canActivate` answers: `.mockReturnValue(...)`, `.returns(...)`,
 * `.mockImplementation(...)` on a chain holding a call with `'canActivate'` as its second argument
 * (`jest.spyOn(G.prototype, 'canActivate')`, `sinon.stub(guard, 'canActivate')`, `mock.method(g, 'canActivate')`).
 */
function stubsCanActivate(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !STUB_ANSWERS.test(callee.name.text)) return false;
  for (let current: ts.Expression = callee.expression; ;) {
    if (ts.isCallExpression(current)) {
      const member = current.arguments[1];
      if (member && ts.isStringLiteralLike(member) && member.text === 'canActivate') return true;
      current = current.expression;
    } else if (ts.isPropertyAccessExpression(current)) current = current.expression;
    else return false;
  }
}

/** What sets a stub's answer: Jest / Vitest `mockReturnValue`, `mockResolvedValue`, `mockImplementation` (and `Once`), Sinon `returns`, `resolves`, `callsFake`. */
const STUB_ANSWERS =
  /^(mock(Return|Resolved)Value(Once)?|mockImplementation(Once)?|returns|resolves|callsFake)$/;

/** Whether a guard member can answer `false`: a `false` it returns or a mock made to return or resolve it. */
function answersFalse(member: ts.Node): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if (child.kind === ts.SyntaxKind.FalseKeyword) {
      const parent = child.parent;
      found =
        ts.isReturnStatement(parent) ||
        ts.isArrowFunction(parent) ||
        (ts.isCallExpression(parent) &&
          ts.isPropertyAccessExpression(parent.expression) &&
          /^(mock(Return|Resolved)Value(Once)?|returns|resolves)$/.test(parent.expression.name.text)) ||
        ts.isPropertyAssignment(parent);
    }
    child.forEachChild(visit);
  };
  visit(member);
  return found;
}
