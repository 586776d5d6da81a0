import ts from '../../../typescript.cjs';
import type { FileAnalysis } from '../../analysis.js';
import { CONNECT_CODES, CONNECT_PERMISSION_DENIED } from '../../status-names.js';
import { permissionDenied } from '../rpc-status-names.js';
import { methodCall } from '../shared.js';
import { skipOuter } from '../../analysis/syntax.js';
import { expectSubject } from './subjects.js';
import { ASSERT_CALLS, EQUALITY_MATCHERS, OBJECT_MATCHERS } from './vocabulary.js';

// RPC codes in tests: `expect((err as ConnectError).code).toBe(Code.PermissionDenied)`,
// `assert.strictEqual(err.code, grpc.status.PERMISSION_DENIED)`, `t.is(err.code, 7)`. The server's
// PermissionDenied (HTTP 403 in the Connect protocol and gRPC gateways) is rewritten (Connect) or reported to
// change (gRPC). A Connect assertion is a test site whose code is renamed as the server's is: the test follower
// (test-follow.ts) keeps the rename only where the code under test was rewritten, else reports it. A gRPC one is
// reported, never counted as a mere comparison.

const RPC_MODULES =
  /['"](?:@connectrpc\/connect|@bufbuild\/connect|@grpc\/grpc-js|grpc|nice-grpc(?:-common)?)['"/]/;

/**
 * An equality assertion (expect(…).toBe/toEqual/…, toMatchObject({ code }), assert.equal/strictEqual/deepEqual,
 * t.is) whose expected or actual value is PERMISSION_DENIED: a test site at the call (Connect, with a code for
 * the target: `Code.PermissionDenied` -> `Code.Unauthenticated`, `7` -> `16`), else a manual site. Returns true
 * when it was one.
 */
export function rpcCodeAssertion(analysis: FileAnalysis, call: MethodCall): boolean {
  const found = assertedCode(analysis, call);
  if (!found) return false;
  const to = CONNECT_CODES[analysis.target];
  if (found.kind === 'connect' && to) {
    const code = skipOuter(found.value);
    const key = ts.isElementAccessExpression(code) ? code.argumentExpression : undefined;
    const quote = key && ts.isStringLiteralLike(key) ? key.getText(analysis.sourceFile)[0] : undefined;
    const edit = ts.isPropertyAccessExpression(code)
      ? analysis.replace(code.name, to.name)
      : key && quote
        ? analysis.replace(key, `${quote}${to.name}${quote}`)
        : analysis.replace(code, String(to.value));
    analysis.addSite({ node: call.call, framework: 'tests', edits: [edit] });
    return true;
  }
  const server =
    found.kind === 'connect'
      ? `the run rewrites the server's Code.PermissionDenied (HTTP 403) to ${to ? `Code.${to.name}` : `a code for ${analysis.target}`}`
      : `the server's PERMISSION_DENIED (HTTP 403 through gRPC gateways and Connect) is reported to change to the code answered as ${analysis.target}`;
  analysis.addSite({
    node: call.call,
    framework: 'tests',
    manual: true,
    reason: `The test expects the ${found.kind === 'connect' ? 'Connect code PermissionDenied' : 'gRPC code PERMISSION_DENIED'} and ${server}: expect the code the server answers after the change.`,
  });
  return true;
}

/**
 * Whether a PERMISSION_DENIED code (`Code.PermissionDenied`, `status.PERMISSION_DENIED`) in a test file is a
 * value of an assertion {@link rpcCodeAssertion} reports: the connect-rpc and grpc modules leave it to it.
 */
export function inRpcCodeAssertion(analysis: FileAnalysis, node: ts.Node): boolean {
  if (!analysis.options.testFile) return false;
  let at = node.parent;
  while (
    at &&
    (ts.isParenthesizedExpression(at) ||
      ts.isAsExpression(at) ||
      ts.isPropertyAssignment(at) ||
      ts.isObjectLiteralExpression(at))
  )
    at = at.parent;
  const call = at && methodCall(at);
  return Boolean(call && assertedCode(analysis, call));
}

type MethodCall = NonNullable<ReturnType<typeof methodCall>>;

/** The PERMISSION_DENIED code an equality assertion compares with (the value and its library). */
function assertedCode(
  analysis: FileAnalysis,
  call: MethodCall,
): { kind: 'connect' | 'grpc'; value: ts.Expression } | undefined {
  const { method, object, args } = call;
  let values: (ts.Expression | undefined)[] = [];
  const subject = expectSubject(object);
  if (OBJECT_MATCHERS.has(method) && subject && args[0])
    values = EQUALITY_MATCHERS.has(method)
      ? [args[0], subject, codeProperty(args[0])]
      : [codeProperty(args[0])];
  else if (ASSERT_CALLS.has(method) && args[0] && args[1]) values = [args[0], args[1], codeProperty(args[1])];
  const sides = values.filter((v): v is ts.Expression => v !== undefined);
  for (const value of sides) {
    const kind = codeOf(analysis, value, sides);
    if (kind) return { kind, value };
  }
  return undefined;
}

/** `{ code: X }` given to toMatchObject / objectContaining: X. */
function codeProperty(expression: ts.Expression): ts.Expression | undefined {
  const object = skipOuter(expression);
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  for (const property of object.properties)
    if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'code')
      return property.initializer;
  return undefined;
}

/**
 * `Code.PermissionDenied` (Connect), `status.PERMISSION_DENIED` / `grpc.status.PERMISSION_DENIED` /
 * `Status.PERMISSION_DENIED` (gRPC), or the number 7 compared with an error's `code` in a file of an RPC library.
 */
function codeOf(
  analysis: FileAnalysis,
  value: ts.Expression,
  sides: readonly ts.Expression[],
): 'connect' | 'grpc' | undefined {
  const node = skipOuter(value);
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node))
    return permissionDenied(analysis, node);
  if (!ts.isNumericLiteral(node) || Number(node.text) !== CONNECT_PERMISSION_DENIED) return undefined;
  const other = sides.find((s) => s !== value);
  const code = other && skipOuter(other);
  if (!code || !ts.isPropertyAccessExpression(code) || code.name.text !== 'code') return undefined;
  if (!RPC_MODULES.test(analysis.text)) return undefined;
  return /['"](?:@grpc\/grpc-js|grpc|nice-grpc(?:-common)?)['"/]/.test(analysis.text) ? 'grpc' : 'connect';
}
