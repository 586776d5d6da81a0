import ts from '../typescript.cjs';
import { isFunctionLike } from './scope.js';

// Stubs a test file installs outside its tests (`--include-tests`, issue 9 §1): which statements put a stand-in in
// place of a member for the tests after them, and which tests still call the member's real code. Syntax only.

/**
 * Methods that put a stand-in in place of a member for the whole suite: Sinon `sinon.stub(obj, 'm')`,
 * `sinon.replace(obj, 'm', fake)`, Jest / Vitest `jest.spyOn(obj, 'm')` / `vi.spyOn`, node:test
 * `mock.method(obj, 'm', impl)`, testdouble `td.replace(obj, 'm', fake)`. Sources: Sinon "Stubs" and "Sandboxes",
 * Jest "The Jest Object", Vitest "vi", Node.js "Test runner: mock.method", testdouble.js "td.replace".
 */
const STUBBERS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['sinon', new Set(['stub', 'replace', 'replaceGetter', 'spy'])],
  ['sandbox', new Set(['stub', 'replace', 'replaceGetter', 'spy'])],
  ['jest', new Set(['spyOn'])],
  ['vi', new Set(['spyOn'])],
  ['mock', new Set(['method'])],
  ['td', new Set(['replace'])],
]);

/**
 * Suite functions whose callback runs when the file is loaded, before any test (Mocha BDD/TDD `describe`,
 * `context`, `suite`; Jest / Vitest `describe` and its `.each` / `.only` / `.skip` forms; Jasmine `fdescribe` /
 * `xdescribe`; node:test `describe`; lab `experiment`). Sources: Mocha "Interfaces", Jest "Globals", Jasmine
 * "Your first suite", Node.js "Test runner: describe", lab "Usage".
 */
const SUITES = new Set(['describe', 'context', 'suite', 'fdescribe', 'xdescribe', 'xcontext', 'experiment']);

/**
 * The statement lists around `body`, innermost first: the block body of each enclosing function (a suite's
 * `describe(() => {...})` callback, a test's) and the file's own statements.
 */
export function* statementListsAround(body: ts.Node): Generator<ts.NodeArray<ts.Statement>> {
  for (let node: ts.Node | undefined = body.parent; node; node = node.parent) {
    if (ts.isSourceFile(node)) yield node.statements;
    else if (isFunctionLike(node) && 'body' in node && node.body && ts.isBlock(node.body))
      yield node.body.statements;
  }
}

/** Whether a call declares a suite (`describe(...)`, `describe.each(rows)(...)`, `lab.experiment(...)`). */
function isSuiteCall(call: ts.CallExpression): boolean {
  let callee: ts.Expression = call.expression;
  while (ts.isCallExpression(callee)) callee = callee.expression; // describe.each(rows)('name', fn)
  if (ts.isIdentifier(callee)) return SUITES.has(callee.text);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const owner = callee.expression;
  // `describe.only`, `describe.skip`, `describe.each` / `lab.describe`, `lab.experiment`
  return (ts.isIdentifier(owner) && SUITES.has(owner.text)) || SUITES.has(callee.name.text);
}

/** `suiteBodies` by file: asked once per assertion of the file. */
const suiteBodiesOf = new WeakMap<ts.SourceFile, ts.NodeArray<ts.Statement>[]>();

/**
 * The bodies of every suite of the file (`describe('x', () => {...})` callbacks, nested ones too): they all run
 * when the file is loaded, before the first test, so what they put in place holds for every test of the file.
 */
export function suiteBodies(sourceFile: ts.SourceFile): readonly ts.NodeArray<ts.Statement>[] {
  const known = suiteBodiesOf.get(sourceFile);
  if (known) return known;
  const out: ts.NodeArray<ts.Statement>[] = [];
  suiteBodiesOf.set(sourceFile, out);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isSuiteCall(node))
      for (const argument of node.arguments)
        if (isFunctionLike(argument) && 'body' in argument && argument.body && ts.isBlock(argument.body))
          out.push(argument.body.statements);
    node.forEachChild(visit);
  };
  visit(sourceFile);
  return out;
}

/**
 * The statements of the file and of its suites that replace a member for every test after them, outside any
 * hook: `sinon.stub(auth, 'requireAdmin').callsFake((req, res) => res.sendStatus(403))` at the top of the file,
 * `const spy = jest.spyOn(guard, 'check').mockImplementation(...)` in a `describe` body (the test's own suite, a
 * suite around it, or a sibling suite: every suite body runs when the file is loaded, before any test), a
 * monkey-patch `auth.requireAdmin = (req, res) => res.sendStatus(403)`. A 403 their stand-in answers is the
 * test's own. Whether the test calls the member's real code all the same is `bypassedStub`'s.
 */
export function stubsAround(body: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  const lists = new Set(statementListsAround(body));
  for (const list of suiteBodies(body.getSourceFile())) lists.add(list);
  for (const statements of lists) out.push(...stubStatements(statements, body));
  return out;
}

/** The statements of `statements` that stub a member (`body`'s own enclosing statement excluded). */
export function stubStatements(statements: readonly ts.Statement[], body?: ts.Node): ts.Statement[] {
  let all = stubStatementsOf.get(statements);
  if (!all) stubStatementsOf.set(statements, (all = findStubStatements(statements)));
  return body ? all.filter((s) => !(s.pos <= body.pos && s.end >= body.end)) : [...all];
}

/** The stubbing statements per statement list: asked once per test around it, a scan each made a suite quadratic. */
const stubStatementsOf = new WeakMap<readonly ts.Statement[], readonly ts.Statement[]>();

function findStubStatements(statements: readonly ts.Statement[]): ts.Statement[] {
  const out: ts.Statement[] = [];
  for (const statement of statements) {
    if (ts.isExpressionStatement(statement) && stubs(statement.expression)) out.push(statement);
    else if (
      ts.isVariableStatement(statement) &&
      statement.declarationList.declarations.some((d) => d.initializer && stubs(d.initializer))
    )
      out.push(statement);
  }
  return out;
}

/** Whether an expression stubs a member (a `STUBBERS` call in its chain) or assigns a function to one. */
export function stubs(expression: ts.Expression): boolean {
  const node = unwrapAwait(expression);
  if (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    (ts.isPropertyAccessExpression(node.left) || ts.isElementAccessExpression(node.left))
  )
    return isFunctionLike(node.right);
  return stubberCall(node) !== undefined;
}

/** The `STUBBERS` call in an expression's chain (`sinon.stub(auth, 'check')` of `sinon.stub(auth, 'check').returns(x)`). */
function stubberCall(expression: ts.Expression): ts.CallExpression | undefined {
  for (let current: ts.Expression = expression; ;) {
    if (ts.isCallExpression(current)) {
      const callee = current.expression;
      if (ts.isPropertyAccessExpression(callee) && isStubber(callee)) return current;
      current = callee;
    } else if (ts.isPropertyAccessExpression(current)) current = current.expression;
    else return undefined;
  }
}

/** `sinon.stub`, `jest.spyOn`, `t.mock.method` (node:test's context), `sinon.createSandbox().stub`. */
function isStubber(callee: ts.PropertyAccessExpression): boolean {
  return STUBBERS.get(ownerName(callee))?.has(callee.name.text) ?? false;
}

/** The last name of a method's owner: `sinon` of `sinon.stub`, `mock` of `t.mock.method`; '' for another shape. */
export function ownerName(callee: ts.PropertyAccessExpression): string {
  const owner = callee.expression;
  return ts.isIdentifier(owner) ? owner.text : ts.isPropertyAccessExpression(owner) ? owner.name.text : '';
}

export function unwrapAwait(expression: ts.Expression): ts.Expression {
  return ts.isAwaitExpression(expression) ? expression.expression : expression;
}

/** The object and member a stub replaces: `auth` and `check` of `sinon.stub(auth, 'check')` or `auth.check = fn`. */
function stubTarget(node: ts.Node): { owner: string; member: string } | undefined {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (
      ts.isBinaryExpression(current) &&
      current.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(current.left) &&
      ts.isIdentifier(current.left.expression) &&
      isFunctionLike(current.right)
    )
      return { owner: current.left.expression.text, member: current.left.name.text };
    if (!ts.isCallExpression(current)) continue;
    const call = stubberCall(current);
    const [owner, member] = call?.arguments ?? [];
    if (owner && member && ts.isIdentifier(owner) && ts.isStringLiteralLike(member))
      return { owner: owner.text, member: member.text };
  }
  return undefined;
}

/** The `require()` specifier a top-level `const x = require('s')` or `const { m } = require('s')` reads. */
function requiredSpecifier(declaration: ts.VariableDeclaration): string | undefined {
  const init = declaration.initializer;
  return init &&
    ts.isCallExpression(init) &&
    ts.isIdentifier(init.expression) &&
    init.expression.text === 'require' &&
    init.arguments[0] &&
    ts.isStringLiteralLike(init.arguments[0])
    ? init.arguments[0].text
    : undefined;
}

/**
 * Whether the stand-in whose 403 lies at `position` of a test file replaces a member the test never reads
 * through its owner: `const { check } = require('./auth')` copies the real function when the file is loaded, so
 * `sinon.stub(auth, 'check')` (with `const auth = require('./auth')`) installed afterwards leaves `check(...)` in
 * the test running the real code. True only when the test calls the copied name and names the owner nowhere
 * else (a request to an app, which may read `auth.check` at run time, keeps the stub). CommonJS copies alone:
 * an ES `import { check }` is a live binding, and compiled TypeScript reads `auth_1.check` at the call.
 *
 * @param body the test body; `around` the code that runs for it besides (hooks, stubs, helpers)
 */
export function bypassedStub(
  sourceFile: ts.SourceFile,
  node: ts.Node,
  body: ts.Node,
  around: readonly ts.Node[],
): boolean {
  const target = stubTarget(node);
  if (!target) return false;
  let ownerSpecifier: string | undefined;
  let copied: string | undefined;
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      const specifier = requiredSpecifier(d);
      if (!specifier) continue;
      if (ts.isIdentifier(d.name) && d.name.text === target.owner) ownerSpecifier = specifier;
      if (
        ts.isObjectBindingPattern(d.name) &&
        d.name.elements.some(
          (e) =>
            !e.dotDotDotToken &&
            ts.isIdentifier(e.name) &&
            e.name.text === target.member &&
            (!e.propertyName || (ts.isIdentifier(e.propertyName) && e.propertyName.text === target.member)),
        )
      )
        copied = specifier;
    }
  }
  if (!ownerSpecifier || copied !== ownerSpecifier) return false;
  let calls = false;
  let ownerRead = false;
  const visit = (child: ts.Node): void => {
    if (
      ts.isCallExpression(child) &&
      ts.isIdentifier(child.expression) &&
      child.expression.text === target.member
    )
      calls = true;
    if (ts.isIdentifier(child) && child.text === target.owner && !inStub(child)) ownerRead = true;
    child.forEachChild(visit);
  };
  visit(body);
  for (const node of around) visit(node);
  return calls && !ownerRead;
}

/** Whether an identifier is no read of the owner: a stub's owner argument, a monkey-patch's target, its declaration. */
function inStub(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  // its own declaration (`const auth = require('./auth')`, which the code around the test includes)
  if ((ts.isVariableDeclaration(parent) || ts.isBindingElement(parent)) && parent.name === identifier)
    return true;
  if (ts.isCallExpression(parent))
    return stubberCall(parent) === parent && parent.arguments[0] === identifier;
  return (
    ts.isPropertyAccessExpression(parent) &&
    ts.isBinaryExpression(parent.parent) &&
    parent.parent.left === parent &&
    parent.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken
  );
}
