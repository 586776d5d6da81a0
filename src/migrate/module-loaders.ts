import ts from '../typescript.cjs';
import { skipCasts } from './analysis/syntax.js';
import { visibleValue, visibleWrittenValue } from './local-values.js';
import { readSpecifier } from './mock-specifiers.js';
import { heldStubs } from './stub-holders.js';
import { addedKeys, changedAfter, isDoubleMaker, returnedObjects, shortText } from './stub-values.js';

/**
 * Test module loaders: calls that load a module the way `require()` / `import()` does and hand back what it
 * exports (the unit under test), with some of its dependencies stubbed or its cache bypassed. Syntax only: a
 * loader is known by the package its name is bound to in the file (`const proxyquire = require('proxyquire')`,
 * `import esmock from 'esmock'`), or by the test runner's own global (`jest.requireActual`, `vi.importActual`).
 * The specifier is the first argument, resolved from the calling file as `require` resolves it.
 *
 * Sources: the READMEs of proxyquire (also proxyquireify and proxyquire-universal, same API: `proxyquire(path,
 * stubs)`, `proxyquire.load(path, stubs)`, `.noCallThru()` / `.noPreserveCache()` / `.callThru()` /
 * `.preserveCache()` hand back the loader), rewire (`rewire(path)`), mock-require (`mock.reRequire(path)`),
 * import-fresh and require-uncached (`importFresh(path)`), rewiremock (`rewiremock.proxy(path | () =>
 * require(path), stubs)`, `rewiremock.module(() => import(path), stubs)`), esmock (`await esmock(path, mocks)`,
 * `esmock.strict`, `esmock.strictest`, `esmock.p`, `esmock.partial`); Jest "The Jest Object"
 * (`jest.requireActual`, formerly `require.requireActual`), Vitest "vi" (`await vi.importActual(path)`).
 * testdouble's `td.replace` / `td.replaceEsm` return the fake of the module they replace, not the unit: they are
 * module mocks (test-doubles.ts), and its unit is loaded with `require` / `import()`.
 */

/** A loader call: the loader as written (`proxyquire`, `jest.requireActual`) and the specifier it loads. */
export interface LoaderCall {
  /** The package (or runner global) the loader belongs to: `proxyquire`, `rewire`, `jest`, `vitest`, ... */
  loader: string;
  /** The argument naming the module, as written (a literal, or an expression mtls-fix may not read). */
  specifier: ts.Expression;
  /** The loader answers a promise of the module namespace (`await esmock(…)`, `await vi.importActual(…)`). */
  async: boolean;
}

/** What each loader package's value is called with to load a module. */
interface LoaderPackage {
  /** The package's value called directly loads (`proxyquire(path, stubs)`). */
  called: boolean;
  /** Members that load (`proxyquire.load`, `mock.reRequire`), each with whether it answers a promise. */
  members: ReadonlyMap<string, boolean>;
  /** Members that configure and hand back the loader (`proxyquire.noCallThru()`). */
  config: ReadonlySet<string>;
  /** Whether calling the value itself answers a promise (`await esmock(…)`). */
  async: boolean;
}

const NONE: ReadonlySet<string> = new Set();

const PROXYQUIRE: LoaderPackage = {
  called: true,
  members: new Map([['load', false]]),
  config: new Set(['noCallThru', 'callThru', 'noPreserveCache', 'preserveCache']),
  async: false,
};

const LOADER_PACKAGES: ReadonlyMap<string, LoaderPackage> = new Map([
  ['proxyquire', PROXYQUIRE],
  ['proxyquireify', PROXYQUIRE],
  ['proxyquire-universal', PROXYQUIRE],
  ['rewire', { called: true, members: new Map(), config: NONE, async: false }],
  ['import-fresh', { called: true, members: new Map(), config: NONE, async: false }],
  ['require-uncached', { called: true, members: new Map(), config: NONE, async: false }],
  ['mock-require', { called: false, members: new Map([['reRequire', false]]), config: NONE, async: false }],
  [
    'rewiremock',
    {
      called: false,
      members: new Map([
        ['proxy', false],
        ['module', true],
      ]),
      config: NONE,
      async: false,
    },
  ],
  [
    'esmock',
    {
      called: true,
      members: new Map(['strict', 'strictest', 'p', 'partial'].map((m) => [m, true])),
      config: NONE,
      async: true,
    },
  ],
]);

/** A quick look at a file's text before its tree is walked for loader bindings. */
const MENTIONS_LOADER = /proxyquire|rewire|import-fresh|require-uncached|mock-require|esmock/;

const mentioning = new WeakMap<ts.SourceFile, boolean>();

/** Whether a file's text names a loader package at all (worked out once per file). */
function mentionsLoader(sourceFile: ts.SourceFile): boolean {
  let found = mentioning.get(sourceFile);
  if (found === undefined) mentioning.set(sourceFile, (found = MENTIONS_LOADER.test(sourceFile.text)));
  return found;
}

/** Per file: the local names bound to a loader package (`proxyquire` -> `proxyquire`). */
const bindingsOf = new WeakMap<ts.SourceFile, ReadonlyMap<string, string>>();

/** The local names a file binds to a loader package, through `import` or `require` (also configured). */
function loaderBindings(sourceFile: ts.SourceFile): ReadonlyMap<string, string> {
  let found = bindingsOf.get(sourceFile);
  if (found) return found;
  const out = new Map<string, string>();
  if (mentionsLoader(sourceFile)) {
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const name = node.moduleSpecifier.text;
        const clause = node.importClause;
        if (LOADER_PACKAGES.has(name) && clause) {
          if (clause.name) out.set(clause.name.text, name);
          const bindings = clause.namedBindings;
          if (bindings && ts.isNamespaceImport(bindings)) out.set(bindings.name.text, name);
          if (bindings && ts.isNamedImports(bindings))
            for (const element of bindings.elements)
              if ((element.propertyName ?? element.name).text === 'default') out.set(element.name.text, name);
        }
      } else if (
        ts.isImportEqualsDeclaration(node) &&
        ts.isExternalModuleReference(node.moduleReference) &&
        ts.isStringLiteral(node.moduleReference.expression) &&
        LOADER_PACKAGES.has(node.moduleReference.expression.text)
      )
        out.set(node.name.text, node.moduleReference.expression.text);
      else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
        const name = packageOfValue(node.initializer, out);
        if (name) out.set(node.name.text, name);
      } else if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isIdentifier(node.left)
      ) {
        const name = packageOfValue(node.right, out);
        if (name) out.set(node.left.text, name);
      }
      node.forEachChild(visit);
    };
    visit(sourceFile);
  }
  found = out;
  bindingsOf.set(sourceFile, found);
  return found;
}

/**
 * The loader package an expression's value is: `require('proxyquire')` (also `.default`), a name bound to one,
 * and a configuring call on one (`require('proxyquire').noCallThru()`); undefined for anything else.
 */
function packageOfValue(expression: ts.Expression, bound: ReadonlyMap<string, string>): string | undefined {
  let node = skipCasts(expression);
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'default') node = skipCasts(node.expression);
  if (ts.isIdentifier(node)) return bound.get(node.text);
  if (!ts.isCallExpression(node)) return undefined;
  const callee = skipCasts(node.expression);
  if (ts.isIdentifier(callee) && callee.text === 'require') {
    const first = node.arguments[0];
    return first && ts.isStringLiteralLike(first) && LOADER_PACKAGES.has(first.text) ? first.text : undefined;
  }
  if (ts.isPropertyAccessExpression(callee)) {
    const owner = packageOfValue(callee.expression, bound);
    if (owner && LOADER_PACKAGES.get(owner)?.config.has(callee.name.text)) return owner;
  }
  return undefined;
}

/**
 * The loader call `call` is, if any: `proxyquire('../app', stubs)`, `proxyquire.load(…)`,
 * `require('proxyquire').noCallThru()('../app', stubs)`, `rewire('../app')`, `mock.reRequire('../app')`,
 * `importFresh('../app')`, `rewiremock.proxy('../app', stubs)` (or `rewiremock.proxy(() => require('../app'))`),
 * `esmock('../app.js', mocks)`, `jest.requireActual('../app')`, `require.requireActual('../app')`,
 * `vi.importActual('../app')`. Undefined for any other call, and for a loader called with no argument.
 */
export function moduleLoaderCall(call: ts.CallExpression): LoaderCall | undefined {
  const first = call.arguments[0];
  if (!first) return undefined;
  const callee = skipCasts(call.expression);
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
    const owner = callee.expression.text;
    const member = callee.name.text;
    if (member === 'requireActual' && (owner === 'jest' || owner === 'require'))
      return { loader: 'jest', specifier: first, async: false };
    if (member === 'importActual' && owner === 'vi')
      return { loader: 'vitest', specifier: first, async: true };
  }
  // A name bound in the file to a loader package (read once per file).
  const sourceFile = call.getSourceFile();
  const bound = loaderBindings(sourceFile);
  // No loader bound and none written in place (`require('proxyquire')(…)`): the common case, answered at once.
  if (!bound.size && !mentionsLoader(sourceFile)) return undefined;
  const direct = packageOfValue(callee, bound);
  const loader =
    direct ?? (ts.isPropertyAccessExpression(callee) ? packageOfValue(callee.expression, bound) : undefined);
  const kind = loader ? LOADER_PACKAGES.get(loader) : undefined;
  if (!loader || !kind) return undefined;
  const member = direct ? undefined : kind.members.get((callee as ts.PropertyAccessExpression).name.text);
  if (direct ? !kind.called : member === undefined) return undefined;
  return { loader, specifier: rewiremockSpecifier(first) ?? first, async: member ?? kind.async };
}

/** `() => require('../app')` (or `import('../app')`) handed to rewiremock: the specifier of that load. */
export function rewiremockSpecifier(argument: ts.Expression): ts.Expression | undefined {
  const fn = skipCasts(argument);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  let body: ts.Node = fn.body;
  if (ts.isBlock(body)) {
    const last = body.statements[body.statements.length - 1];
    if (!last || !ts.isReturnStatement(last) || !last.expression) return undefined;
    body = last.expression;
  }
  const load = ts.isExpression(body) ? skipCasts(body) : undefined;
  if (!load || !ts.isCallExpression(load) || !load.arguments[0]) return undefined;
  const loads =
    load.expression.kind === ts.SyntaxKind.ImportKeyword ||
    (ts.isIdentifier(load.expression) && load.expression.text === 'require');
  return loads ? load.arguments[0] : undefined;
}

/** The literal module a loader call loads (`proxyquire('../app', …)` -> `../app`), else undefined. */
export function loadedModule(call: ts.CallExpression): { module: string; async: boolean } | undefined {
  const found = moduleLoaderCall(call);
  if (!found || !ts.isStringLiteralLike(found.specifier)) return undefined;
  return { module: found.specifier.text, async: found.async };
}

/**
 * How a loader call is named in a reason: its callee and first argument, the rest elided; `withStubs`: its
 * second argument (the stubs) shown too (`proxyquire('../app/guard', makeStubs())`). Each part at most 40 characters.
 */
export function loaderCallText(
  call: ts.CallExpression,
  sourceFile: ts.SourceFile,
  withStubs = false,
): string {
  const short = (node: ts.Node | undefined): string => {
    const text = node?.getText(sourceFile).replace(/\s+/g, ' ') ?? '';
    return text.length > 40 ? `${text.slice(0, 37)}...` : text;
  };
  const [first, second] = call.arguments;
  const rest = second && withStubs ? `, ${short(second)}${call.arguments.length > 2 ? ', …' : ''}` : '';
  return `${short(call.expression)}(${short(first)}${rest || (call.arguments.length > 1 ? ', …' : '')})`;
}

/** One module a loader call stubs for the module it loads: `'./setup': { setup: stub }` of proxyquire. */
export interface LoaderStub {
  /** The key as written: a specifier resolved from the loaded module (proxyquire resolves it so). */
  specifier: string;
  /**
   * The members the stub gives, when it is an object literal (`{ setup: stub }`, in place or held by a local of
   * the file); undefined when its value is not spelled out so (a call, a parameter).
   */
  members?: string[];
  /**
   * The stub stands for the whole module: proxyquire's `noCallThru()` (on the loader, or `'@noCallThru': true`
   * in the stub). Otherwise only its members are replaced and the module's other exports run as written.
   */
  whole: boolean;
  /**
   * The key is resolved from the test file that makes the call, not from the loaded module (esmock resolves its
   * mocks' keys as the test's own imports: its README, "esmock(modulePath, mockDefs, globalDefs)").
   */
  fromCaller?: boolean;
}

/**
 * The stubs arguments of a loader call whose stubs are read: proxyquire's second argument; esmock's mocks and
 * global mocks (the second and third, after the parent URL when one is given: `esmock(path, import.meta.url,
 * mocks)`). Empty for any other loader (rewiremock's overrides may be a function of its own API: named).
 */
function stubsArguments(call: ts.CallExpression, found: LoaderCall): ts.Expression[] {
  if (LOADER_PACKAGES.get(found.loader) === PROXYQUIRE) return call.arguments.slice(1, 2);
  if (found.loader !== 'esmock') return [];
  const second = call.arguments[1] && skipCasts(call.arguments[1]);
  const parent =
    second &&
    (ts.isStringLiteralLike(second) ||
      ts.isTemplateExpression(second) ||
      (ts.isPropertyAccessExpression(second) && second.name.text === 'url'));
  return call.arguments.slice(parent ? 2 : 1, parent ? 4 : 3);
}

/** Whether an esmock call is strict: its mocks replace the modules whole (`esmock.strict`, `esmock.strictest`). */
function esmockStrict(call: ts.CallExpression): boolean {
  const callee = skipCasts(call.expression);
  return ts.isPropertyAccessExpression(callee) && /^strict/.test(callee.name.text);
}

/**
 * The modules a proxyquire-family loader call stubs (its second argument, an object literal keyed by the
 * specifiers the loaded module requires, in place or held by the local its name stands for where it is written:
 * local-values.ts `visibleWrittenValue`; a stub a function of the file hands back, `'./policy': makePolicy()`, read
 * by the objects it returns;
 * objects spread into it are read the same way, {@link stubEntries}); empty for any other call, or stubs not spelled
 * out so. Source: the proxyquire README ("callThru", "noCallThru",
 * "@noCallThru").
 */
export function loaderStubs(call: ts.CallExpression): LoaderStub[] {
  const found = moduleLoaderCall(call);
  if (!found) return [];
  const sourceFile = call.getSourceFile();
  const esmock = found.loader === 'esmock';
  // esmock merges its mocks with the module's own exports unless strict (esmock.d.ts, "By default, mock
  // definitions are merged with the original module definitions").
  const whole = esmock
    ? esmockStrict(call)
    : configuredNoCallThru(skipCasts(call.expression), loaderBindings(sourceFile));
  const bySpecifier = new Map<string, LoaderStub>();
  for (const argument of stubsArguments(call, found)) {
    // Spelled out in place, held by a local of the file, assigned in hooks or passed by the file's callers.
    const held = heldStubs(argument);
    if ('why' in held || !ts.isObjectLiteralExpression(held.value)) continue;
    for (const [specifier, value] of objectEntries(held.holder, held.value, sourceFile)) {
      const stub = stubOf(specifier, value, whole);
      bySpecifier.set(specifier, esmock ? { ...stub, fromCaller: true } : stub);
    }
  }
  return [...bySpecifier.values()];
}

/**
 * The code a loader call's read stubs are written in, wherever the file writes them: the object it holds and the
 * values of keys written to it after (`stubs['./policy'] = { enforce: (u, res) => res.status(403).end() }`). It runs
 * for the tests the call serves as the test's own code (test-doubles.ts `codeAround`).
 */
export function stubsCode(call: ts.CallExpression): ts.Node[] {
  const found = moduleLoaderCall(call);
  if (!found) return [];
  const sourceFile = call.getSourceFile();
  return stubsArguments(call, found).flatMap((argument) => {
    const held = heldStubs(argument);
    if ('why' in held) return [];
    return [held.value, ...addedKeys(held.holder, sourceFile).entries.map(([, value]) => value)];
  });
}

/** A stubs object's entries: those written in it ({@link stubEntries}), then the keys written to it after. */
function objectEntries(
  holder: ts.Expression,
  value: ts.ObjectLiteralExpression,
  sourceFile: ts.SourceFile,
): [string, ts.Expression][] {
  return [...stubEntries(value, sourceFile), ...addedKeys(holder, sourceFile).entries];
}

/**
 * Why the stubs a proxyquire-family loader call hands the module it loads cannot be read (`proxyquire('../app',
 * makeStubs())`: "a call, not an object"), or undefined: no such call, no stubs argument, or stubs {@link
 * loaderStubs} reads in full (an object literal in place or held by a local of the file, with string keys and
 * spreads of such objects, each stub one it reads: not a call other than a test double or a function of the file
 * handing back a written object, and no local of them changed after it is written, `stubs['./db'] = …`). esmock's
 * and rewiremock's mocks are not read: named unless an empty object. Stubs it cannot read replace modules it
 * cannot name, so the real module's code is no proof of what the loaded unit runs.
 */
export function unreadStubs(call: ts.CallExpression): string | undefined {
  const found = moduleLoaderCall(call);
  const argument = call.arguments[1];
  if (!found || !argument) return undefined;
  const sourceFile = call.getSourceFile();
  if (LOADER_PACKAGES.get(found.loader) === PROXYQUIRE || found.loader === 'esmock') {
    for (const stubs of stubsArguments(call, found)) {
      const why = unreadObject(stubs, sourceFile, 0);
      if (why) return found.loader === 'esmock' ? `esmock mocks: ${why}` : why;
    }
    return undefined;
  }
  // rewiremock's overrides (an object, or a function of its own mocking API): not read, so any that are not an
  // empty object are named (Session 44: they were passed over in silence).
  if (found.loader !== 'rewiremock') return undefined;
  const value = visibleWrittenValue(argument);
  if (!value || !ts.isObjectLiteralExpression(value) || value.properties.length)
    return "rewiremock mocks: only proxyquire's and esmock's stubs are read";
  return undefined;
}

/**
 * Why `node` (a stubs object, or an object spread into one) is not an object mtls-fix reads, else undefined: read
 * by what it holds when the loader runs (stub-holders.ts `heldStubs`), with the keys written to it after
 * (stub-values.ts `addedKeys`).
 */
function unreadObject(node: ts.Expression, sourceFile: ts.SourceFile, depth: number): string | undefined {
  const held = heldStubs(node);
  if ('why' in held) return held.why;
  const value = held.value;
  if (!ts.isObjectLiteralExpression(value)) return `${notAnObject(value, sourceFile)}, not an object`;
  const added = addedKeys(held.holder, sourceFile);
  if (added.why) return added.why;
  for (const [key, stub] of added.entries) {
    const why = unreadStub(key, stub, sourceFile);
    if (why) return why;
  }
  for (const property of value.properties) {
    if (ts.isSpreadAssignment(property)) {
      if (depth >= 4) return 'objects spread more than 4 deep';
      const why = unreadObject(property.expression, sourceFile, depth + 1);
      if (why) return `a spread of ${why.replace(/, not an object$/, '')}`;
      continue;
    }
    if (property.name && ts.isComputedPropertyName(property.name)) {
      if (readSpecifier(property.name.expression, sourceFile) === undefined)
        return `a computed key it cannot read (${shortText(property.name.expression, sourceFile)}), not a written specifier`;
    }
    const key = property.name && keyText(property.name, sourceFile);
    const stub = ts.isPropertyAssignment(property)
      ? property.initializer
      : ts.isShorthandPropertyAssignment(property)
        ? property.name
        : undefined;
    const why = key !== undefined && stub ? unreadStub(key, stub, sourceFile) : undefined;
    if (why) return why;
  }
  return undefined;
}

/**
 * Why the stub one key of a stubs object gives is not read, or undefined: a call that is neither a test double
 * the file sets up itself (`sinon.stub()`, {@link isDoubleMaker}), a function of the file handing back an object
 * it spells out ({@link returnedObjects}), nor a loader whose own stubs are read; a value imported or a member of
 * another value; or a stub held by a local changed after it is written.
 */
function unreadStub(key: string, stub: ts.Expression, sourceFile: ts.SourceFile): string | undefined {
  const value = visibleWrittenValue(stub);
  // A module loaded in place by a loader whose own stubs are read (`'./log': proxyquire('./log', { fs })`) is
  // that module's code, read as such.
  const load = value && ts.isCallExpression(value) && moduleLoaderCall(value);
  if (load && !unreadStubs(value)) return undefined;
  if (
    value &&
    ts.isCallExpression(value) &&
    !isRequired(value) &&
    !isDoubleMaker(value) &&
    !returnedObjects(value)
  )
    return `the stub of '${key}' is a call it does not read: ${shortText(value, sourceFile)}`;
  // A value the file does not hold (`'./db': require('./support/db')`, an imported `db`, `this.db`): unknown. A
  // parameter's value is what the file's callers pass, test code read as the test's own: not named.
  const held = value && skipCasts(value);
  if (
    held &&
    (isRequired(held) ||
      ts.isPropertyAccessExpression(held) ||
      ts.isElementAccessExpression(held) ||
      (ts.isIdentifier(held) && !isParameterName(held) && isImportedName(sourceFile, held.text)))
  )
    return `the stub of '${key}' is ${notAnObject(held, sourceFile)}`;
  const changed = changedAfter(stub, sourceFile);
  return changed && `the stub of '${key}': ${changed}`;
}

/** A key of a stubs object as proxyquire reads it (`'./db'`, `['./db']`, `[DB]` of a const string, `db`), else undefined. */
function keyText(name: ts.PropertyName, sourceFile: ts.SourceFile): string | undefined {
  if (ts.isComputedPropertyName(name)) return readSpecifier(name.expression, sourceFile);
  return ts.isStringLiteralLike(name) || ts.isIdentifier(name) ? name.text : undefined;
}

/** What a stubs value that is no object literal is, for a reason: `a call`, `a parameter of its function`. */
function notAnObject(value: ts.Expression, sourceFile: ts.SourceFile): string {
  const node = skipCasts(value);
  if (isRequired(node)) return 'a value imported from another module';
  if (ts.isCallExpression(node)) return 'a call';
  if (ts.isIdentifier(node)) {
    if (isParameterName(node)) return 'a parameter of its function';
    if (isImportedName(sourceFile, node.text)) return 'a value imported from another module';
    return 'a name it cannot follow to one value';
  }
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node))
    return 'a member of another value';
  return 'an expression';
}

/** Whether a name is a parameter of a function around it (`(stubs) => proxyquire('../app', stubs)`). */
function isParameterName(name: ts.Identifier): boolean {
  for (let node: ts.Node = name; !ts.isSourceFile(node); node = node.parent)
    if (ts.isFunctionLike(node) && node.parameters.some((p) => bindsName(p.name, name.text))) return true;
  return false;
}

/** Whether a binding (a name or a destructuring pattern) binds `name`. */
function bindsName(binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((e) => !ts.isOmittedExpression(e) && bindsName(e.name, name));
}

/** Whether a file binds `name` with an `import` or from a `require()` (`const { stubs } = require('./support')`). */
function isImportedName(sourceFile: ts.SourceFile, name: string): boolean {
  return sourceFile.statements.some((statement) => {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name?.text === name) return true;
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) return bindings.name.text === name;
      return bindings?.elements.some((e) => e.name.text === name) ?? false;
    }
    if (ts.isImportEqualsDeclaration(statement)) return statement.name.text === name;
    return (
      ts.isVariableStatement(statement) &&
      statement.declarationList.declarations.some((d) => isRequired(d.initializer) && bindsName(d.name, name))
    );
  });
}

/** Whether a value is a `require()` call or a member read off one (`require('./support').stubs`). */
function isRequired(value: ts.Expression | undefined): boolean {
  let node = value && skipCasts(value);
  if (node && ts.isPropertyAccessExpression(node)) node = skipCasts(node.expression);
  return (
    node !== undefined &&
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'require'
  );
}

/**
 * The stub entries of a stubs object by specifier, in order: its own properties, and those of an object spread
 * into it (`{ ...common, './db': db }`, `common` in place or held by a local of the file), at most 4 spreads deep.
 * A later entry of one specifier stands (in the place of the first), as it does in the object built.
 */
function stubEntries(
  stubs: ts.ObjectLiteralExpression,
  sourceFile: ts.SourceFile,
  depth = 0,
): [string, ts.Expression][] {
  return stubs.properties.flatMap((property): [string, ts.Expression][] => {
    if (ts.isSpreadAssignment(property)) {
      const held = heldStubs(property.expression);
      return !('why' in held) && ts.isObjectLiteralExpression(held.value) && depth < 4
        ? [...stubEntries(held.value, sourceFile, depth + 1), ...addedKeys(held.holder, sourceFile).entries]
        : [];
    }
    // `{ db }` is the key `db` with the value `db`.
    if (ts.isShorthandPropertyAssignment(property)) return [[property.name.text, property.name]];
    if (!ts.isPropertyAssignment(property)) return [];
    // `['./db']: db` is the key `./db`, as written without brackets.
    const key = property.name;
    // `[POLICY]: policy` with `const POLICY = './policy'` too (mock-specifiers.ts `readSpecifier`).
    if (ts.isComputedPropertyName(key)) {
      const text = readSpecifier(key.expression, sourceFile);
      return text === undefined ? [] : [[text, property.initializer]];
    }
    return ts.isStringLiteralLike(key) || ts.isIdentifier(key) ? [[key.text, property.initializer]] : [];
  });
}

/** One stub entry read: the members its value spells out, and whether it stands for the whole module. */
function stubOf(specifier: string, stub: ts.Expression, noCallThru: boolean): LoaderStub {
  const written = visibleWrittenValue(stub) ?? stub;
  // `'./policy': makePolicy()`, a function of the file handing back objects it spells out: their members.
  const objects = ts.isCallExpression(written) ? returnedObjects(written) : [written];
  if (!objects?.every(ts.isObjectLiteralExpression)) return { specifier, whole: noCallThru };
  const members: string[] = [];
  let whole = noCallThru;
  for (const member of objects.flatMap((o) => [...o.properties])) {
    const name =
      member.name && (ts.isIdentifier(member.name) || ts.isStringLiteralLike(member.name))
        ? member.name.text
        : undefined;
    if (name === '@noCallThru' && ts.isPropertyAssignment(member))
      whole = member.initializer.kind === ts.SyntaxKind.TrueKeyword;
    else if (name && !name.startsWith('@')) members.push(name);
  }
  return { specifier, members, whole };
}

/**
 * Whether a proxyquire loader expression was configured with `noCallThru()` (its last call-through setting):
 * `require('proxyquire').noCallThru()`, a name bound to that, or `proxyquire.noCallThru()(…)` in place.
 */
function configuredNoCallThru(expression: ts.Expression, bound: ReadonlyMap<string, string>): boolean {
  let node =
    ts.isPropertyAccessExpression(expression) && expression.name.text === 'load'
      ? skipCasts(expression.expression)
      : expression;
  for (let depth = 0; depth < 8; depth++) {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(skipCasts(node.expression))) {
      const access = skipCasts(node.expression) as ts.PropertyAccessExpression;
      if (access.name.text === 'noCallThru') return true;
      if (access.name.text === 'callThru') return false;
      node = skipCasts(access.expression);
    } else if (ts.isIdentifier(node) && bound.has(node.text)) {
      // The local the name stands for where it is written (local-values.ts `visibleValue`).
      const declaration = visibleValue(node, node.text);
      if (!declaration || !ts.isExpression(declaration)) return false;
      node = skipCasts(declaration);
    } else return false;
  }
  return false;
}

/** Per file: the loader calls it makes, found once. */
const callsOf = new WeakMap<ts.SourceFile, readonly ts.CallExpression[]>();

/** Every loader call of a file (module-loaders.ts `moduleLoaderCall`), in source order. */
export function loaderCalls(sourceFile: ts.SourceFile): readonly ts.CallExpression[] {
  let found = callsOf.get(sourceFile);
  if (found) return found;
  const out: ts.CallExpression[] = [];
  const hasJestOrVi = /requireActual|importActual/.test(sourceFile.text);
  if (hasJestOrVi || mentionsLoader(sourceFile)) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && moduleLoaderCall(node)) out.push(node);
      node.forEachChild(visit);
    };
    visit(sourceFile);
  }
  found = out;
  callsOf.set(sourceFile, found);
  return found;
}
