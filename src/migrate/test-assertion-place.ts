import ts from '../typescript.cjs';
import { chainTop } from './test-chains.js';
import { nodeAt } from './routes/reach.js';
import type { Project, ProjectFile } from './routes/project.js';
import { requestOf, type Resolve, type TestRequest } from './routes/requests.js';
import { isFunctionLike } from './scope.js';
import { isRunnerCall, runnerCallName, TEST_CALLS } from './test-scopes.js';
import { isNameOnly } from './test-nodes.js';
import { helperOwnRequest } from './test-helper-requests.js';
import { returnedExpressions } from './routes/syntax.js';
import { unreadRequestCall } from './test-unread-requests.js';
import { heldValueAt } from './test-reassigned.js';
import { enclosingMatcher, functionName, isMatcherName } from './frameworks/tests/matchers.js';

// Where an assertion sits in its test file, for the test follower (test-follow.ts): the test body around it,
// the assertion helper it is in, the reads of an expected object it mirrors, the request whose reply it reads.

/**
 * For an expected object held by a variable (`const expected = { statusCode: 403 }`): the positions where
 * the variable is read in its scope; undefined for any other site.
 */
export function mirrorUses(sourceFile: ts.SourceFile, position: number): number[] | undefined {
  const node = nodeAt(sourceFile, position);
  const declaration = node?.parent;
  if (!node || !ts.isObjectLiteralExpression(node) || !declaration || !ts.isVariableDeclaration(declaration))
    return undefined;
  if (!ts.isIdentifier(declaration.name)) return undefined;
  const name = declaration.name.text;
  let scope: ts.Node = declaration;
  while (scope.parent && !ts.isBlock(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  const uses: number[] = [];
  const visit = (child: ts.Node): void => {
    if (ts.isIdentifier(child) && child.text === name && child !== declaration.name && !isNameOnly(child))
      uses.push(child.getStart(sourceFile));
    child.forEachChild(visit);
  };
  visit(scope);
  return uses;
}

/** Assertion functions called by name (`expect`, node:assert's named exports): never a test-file helper. */
const ASSERTION_FUNCTIONS = new Set([
  'expect',
  'assert',
  'ok',
  'equal',
  'strictEqual',
  'deepEqual',
  'deepStrictEqual',
  'is',
  'same',
  'equals',
  'throws',
  'rejects',
]);

/**
 * Whether the assertion at `position` is a call of a test-file assertion helper (`expectFailsWith(p, 403)`,
 * frameworks/tests.ts `statusParameters`): a plain function call that is neither `expect` nor an assert.
 */
export function isHelperCall(sourceFile: ts.SourceFile, position: number): boolean {
  const node = nodeAt(sourceFile, position);
  const call = node?.parent;
  return Boolean(
    node &&
    ts.isIdentifier(node) &&
    call &&
    ts.isCallExpression(call) &&
    call.expression === node &&
    !ASSERTION_FUNCTIONS.has(node.text),
  );
}

/** The function registered as a test (`it('x', async () => {...})`), else the outermost function around `node`. */
export function testBody(node: ts.Node): ts.Node | undefined {
  let outermost: ts.Node | undefined;
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    outermost = current;
    const call = current.parent;
    if (call && ts.isCallExpression(call) && call.arguments.includes(current as ts.Expression)) {
      if (TEST_CALLS.has(runnerCallName(call.expression))) return current;
    }
  }
  return outermost;
}

/**
 * The named helper function around `node` that is not itself a test or a hook body: `function expectForbidden(res)`,
 * `const expectForbidden = (res) => ...`, `exports.expectForbidden = ...`. Its declaration node is what a call's
 * name resolves to.
 */
export function enclosingHelper(
  node: ts.Node,
): { declaration: ts.Node; name: string; matcher?: boolean } | undefined {
  // A custom matcher (`expect.extend({ toBeForbidden(res) { ... } })`, frameworks/tests/matchers.ts), through the
  // callbacks inside it: called as `expect(res).toBeForbidden()`.
  const matcher = enclosingMatcher(node);
  if (matcher) {
    const name = functionName(matcher);
    const declaration =
      ts.isMethodDeclaration(matcher) || ts.isFunctionDeclaration(matcher) ? matcher : matcher.parent;
    if (name) return { declaration, name, matcher: true };
  }
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    const helper = namedHelper(current);
    // `const toBeForbidden = (res) => toHaveStatus(res, 403)`: named as a matcher, called as one too.
    return helper && isMatcherName(helper.name) ? { ...helper, matcher: true } : helper;
  }
  return undefined;
}

/**
 * The named helper function that declares the test around `node` (`const notAdmin = (method, url) => {
 * describe(..., () => { it(..., (done) => { request(app)[method](url).end((err, res) => ...) }) }) }`): each of
 * its calls adds that test, its request spelled out by the call's arguments. Undefined when `node` is in no test
 * a named function declares.
 */
export function testDeclaringHelper(node: ts.Node): { declaration: ts.Node; name: string } | undefined {
  let inTest = false;
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    const parent: ts.Node = current.parent;
    if (ts.isCallExpression(parent) && parent.arguments.includes(current as ts.Expression)) {
      inTest ||= isRunnerCall(parent);
      continue;
    }
    return inTest ? namedHelper(current) : undefined;
  }
  return undefined;
}

/**
 * `function f() {}`, `const f = () => {}`, `exports.f = function () {}`: the function's name and declaration. A
 * module's default export (`export default async function (request) {}`, `export default (res) => {}`,
 * `module.exports = function () {}`) is named `default` (test-file-links.ts finds its calls by the names its
 * importers give it).
 */
function namedHelper(current: ts.Node): { declaration: ts.Node; name: string } | undefined {
  const parent: ts.Node | undefined = current.parent;
  if (ts.isFunctionDeclaration(current)) {
    if (current.name) return { declaration: current, name: current.name.text };
    const flags = ts.getCombinedModifierFlags(current);
    return flags & ts.ModifierFlags.Default ? { declaration: current, name: DEFAULT_EXPORT } : undefined;
  }
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name))
    return { declaration: parent, name: parent.name.text };
  if (parent && ts.isExportAssignment(parent) && !parent.isExportEquals)
    return { declaration: parent, name: DEFAULT_EXPORT };
  if (
    parent &&
    ts.isBinaryExpression(parent) &&
    ts.isPropertyAccessExpression(parent.left) &&
    parent.right === current
  ) {
    const target = parent.left;
    const moduleExports =
      target.name.text === 'exports' &&
      ts.isIdentifier(target.expression) &&
      target.expression.text === 'module';
    return { declaration: parent, name: moduleExports ? DEFAULT_EXPORT : target.name.text };
  }
  // A function handed to a call (a test, a hook, a callback): not a helper of its own.
  return undefined;
}

/** The name a module's default export goes by as a helper (`namedHelper`). */
export const DEFAULT_EXPORT = 'default';

/** The function a helper's declaration holds: `function f() {}`, `const f = () => {}`, `exports.f = function () {}`. */
export function helperFunction(node: ts.Node): (ts.SignatureDeclaration & { body?: ts.Node }) | undefined {
  if (ts.isFunctionDeclaration(node)) return node;
  const value = ts.isVariableDeclaration(node)
    ? node.initializer
    : ts.isBinaryExpression(node)
      ? node.right
      : ts.isPropertyAssignment(node)
        ? node.initializer
        : undefined;
  return value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) ? value : undefined;
}

/**
 * The request whose reply an assertion reads through a variable of the test file: `relayed` in
 * `expect(relayed.status).toBe(403)` or `status` in `expect(status)` when the value the variable holds there
 * makes a request (`const { status } = await request(app).get('/x')`, `let req = agent.post(url)`; for a
 * variable assigned again, the last assignment before the read in straight code, test-reassigned.ts).
 * Undefined when the assertion reads no such variable, or replies of more than one request; `{ reassigned }`
 * when a variable it reads holds a request's reply that more than one write may reach (an assignment in a
 * branch, a loop or a callback): its name and the lines of its writes, for the reason.
 *
 * @param skip calls that are no request to the product (a mock of another service)
 * @param resolve the string an expression holds (the project's constant folding), for the request's path
 * @param unread whether a request whose URL is not read counts (`const deleteRes = await request(app)
 *   .delete(saveduri)`, test-unread-requests.ts): the reply is that request's, never another one's
 */
export function heldRequest(
  project: Project,
  file: ProjectFile,
  position: number,
  skip: (call: ts.CallExpression) => boolean,
  resolve: Resolve,
  unread = false,
): TestRequest | Reassigned | undefined {
  const node = nodeAt(file.sourceFile, position);
  if (!node) return undefined;
  const top = chainTop(node, { parens: true, awaits: true, elements: 'any' });
  const found = new Map<ts.Node, TestRequest>();
  let reassigned: Reassigned | undefined;
  const requestIn = (value: ts.Expression): TestRequest | undefined =>
    requestOf(
      file.sourceFile,
      value.getStart(file.sourceFile),
      skip,
      true,
      resolve,
      unread ? (call) => unreadRequestCall(call, file.sourceFile) : undefined,
    ) ?? helperReply(project, file, value, skip, resolve);
  const visit = (child: ts.Node): void => {
    if (ts.isIdentifier(child) && !isNameOnly(child)) {
      for (const d of project.lookup(file, child, child.text)) {
        if (d.file !== file) continue;
        let declaration: ts.Node = d.node;
        while (
          ts.isBindingElement(declaration) ||
          ts.isObjectBindingPattern(declaration) ||
          ts.isArrayBindingPattern(declaration)
        )
          declaration = declaration.parent;
        if (!ts.isVariableDeclaration(declaration) || found.has(declaration)) continue;
        const held = heldValueAt(project, file, declaration, position);
        if (!held) continue;
        if ('lines' in held) {
          // Only a variable that holds a request's reply on some path makes the assertion that request's.
          if (held.values.some((value) => requestIn(value)))
            reassigned = { reassigned: child.text, lines: held.lines };
          continue;
        }
        const request = requestIn(held.value);
        if (request) found.set(declaration, request);
      }
    }
    child.forEachChild(visit);
  };
  visit(top);
  if (reassigned) return reassigned;
  return found.size === 1 ? [...found.values()][0] : undefined;
}

/** A variable an assertion reads whose request cannot be told: several of its writes may reach the read. */
export interface Reassigned {
  readonly reassigned: string;
  /** 1-based lines of the variable's writes (its declaration first). */
  readonly lines: readonly number[];
}

/** Whether `held` (a `heldRequest` answer) is a variable whose request cannot be told. */
export function isReassigned(held: TestRequest | Reassigned | undefined): held is Reassigned {
  return held !== undefined && 'reassigned' in held;
}

/**
 * Whether the assertion at `position` reads a variable holding the result of a call of a project function
 * (`const spoofed = await postWithHost(url, host)`, a helper of the test's that sends the request its own way):
 * the reply is that call's, so an earlier request of the test (`fetch(url)` two lines up) is not the one checked.
 */
export function readsHelperResult(project: Project, file: ProjectFile, position: number): boolean {
  const node = nodeAt(file.sourceFile, position);
  if (!node) return false;
  const top = chainTop(node, { parens: true, awaits: true, elements: 'any' });
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(child) && !isNameOnly(child)) {
      for (const d of project.lookup(file, child, child.text)) {
        if (d.file !== file || !ts.isVariableDeclaration(d.node) || !d.node.initializer) continue;
        let value: ts.Expression = d.node.initializer;
        while (ts.isAwaitExpression(value) || ts.isParenthesizedExpression(value)) value = value.expression;
        if (!ts.isCallExpression(value) || !ts.isIdentifier(value.expression)) continue;
        const callee = value.expression;
        if (
          project
            .lookup(file, callee, callee.text)
            .some((f) => isFunctionLike(helperFunction(f.node) ?? f.node))
        )
          found = true;
      }
    }
    child.forEachChild(visit);
  };
  visit(top);
  return found;
}

/**
 * The request of a test helper that returns it, at the root of the assertion's own chain: `get('/admin')
 * .expect(403)` with `const get = (path) => request(app).get(path)` (a helper of the test file or one it imports),
 * its parameters read as this call's arguments. Undefined when the chain's root is no call of such a helper.
 */
export function chainHelperRequest(
  project: Project,
  file: ProjectFile,
  position: number,
  skip: (call: ts.CallExpression) => boolean,
  resolve: Resolve,
): TestRequest | undefined {
  const node = nodeAt(file.sourceFile, position);
  if (!node) return undefined;
  let link: ts.Node = chainTop(node, { parens: true, awaits: true, elements: 'any' });
  for (;;) {
    while (ts.isParenthesizedExpression(link) || ts.isAwaitExpression(link)) link = link.expression;
    if (ts.isCallExpression(link)) {
      if (ts.isIdentifier(link.expression))
        return ASSERTION_FUNCTIONS.has(link.expression.text)
          ? undefined
          : helperReply(project, file, link, skip, resolve);
      link = link.expression;
    } else if (ts.isPropertyAccessExpression(link) || ts.isElementAccessExpression(link))
      link = link.expression;
    else return undefined;
  }
}

/**
 * The reply of a helper that makes the request and returns it (`const res = await forbidden('/admin')` with
 * `async function forbidden(path) { return app.request(path) }`; one of another file too, since session 38:
 * `const { response } = await renderResponse(server, options)` with `server.inject(options)` inside): the
 * helper's own request, its parameters read as this call's arguments (test-helper-requests.ts). Undefined for
 * any other value, or a helper returning more than one request.
 */
function helperReply(
  project: Project,
  file: ProjectFile,
  value: ts.Expression,
  skip: (call: ts.CallExpression) => boolean,
  resolve: Resolve,
): TestRequest | undefined {
  let node = value;
  while (ts.isAwaitExpression(node) || ts.isParenthesizedExpression(node) || ts.isAsExpression(node))
    node = node.expression;
  if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression)) return undefined;
  const call = node;
  const callee = node.expression;
  const requests = project.lookup(file, callee, callee.text).flatMap((d) => {
    // A helper of another file (`renderResponse(server, options)` from test/helpers/, forms-designer): its
    // own values are read in its file.
    const inHelper: Resolve = d.file === file ? resolve : (e) => project.stringOf(d.file, e);
    const fn = ts.isVariableDeclaration(d.node) ? d.node.initializer : d.node;
    if (!fn || !isFunctionLike(fn) || !('body' in fn)) return [];
    return returnedExpressions({ node: fn }).flatMap((returned) => {
      const request = helperOwnRequest(
        d.file.sourceFile,
        returned.getStart(d.file.sourceFile),
        call,
        skip,
        inHelper,
        resolve,
      );
      return request ? [request] : [];
    });
  });
  return requests.length === 1 ? requests[0] : undefined;
}
