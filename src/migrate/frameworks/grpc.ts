import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import type { Framework } from './framework.js';
import { calleeName } from './declared-beside.js';
import { isComparison, propertyOf, statusProperty } from './shared.js';
import { outerParent, skipOuter } from '../analysis/syntax.js';
import { inRpcCodeAssertion } from './tests/rpc-codes.js';
import { GRPC_MODULES, PERMISSION_DENIED_CODE, permissionDenied } from './rpc-status-names.js';

/** The gRPC code that the gateways answer with the target, when there is one. */
const GRPC_FOR: Readonly<Record<number, { grpc: string }>> = {
  401: { grpc: 'UNAUTHENTICATED' },
  404: { grpc: 'NOT_FOUND' },
};

/**
 * gRPC (@grpc/grpc-js, nice-grpc, Connect): `callback({ code: status.PERMISSION_DENIED })`,
 * `new ServerError(Status.PERMISSION_DENIED, m)` (Connect's `Code.PermissionDenied` is the connect-rpc module's). A gRPC code is
 * not an HTTP status, but grpc-gateway, Envoy's gRPC-JSON transcoder and the Connect protocol answer
 * PERMISSION_DENIED as HTTP 403: reported (never rewritten), naming that mapping.
 */
export const grpc: Framework = {
  id: 'grpc',
  title: 'gRPC / Connect (PERMISSION_DENIED, reported)',
  enablers: ['@grpc/grpc-js', 'grpc', 'nice-grpc', '@connectrpc/connect', '@bufbuild/connect'],
  kinds: [
    ts.SyntaxKind.PropertyAccessExpression,
    ts.SyntaxKind.ElementAccessExpression,
    ts.SyntaxKind.NumericLiteral,
  ],
  visit(node, analysis) {
    if (ts.isNumericLiteral(node)) {
      if (isNumericPermissionDenied(analysis, node)) addGatewaySite(analysis, outerParent(node), node);
      return;
    }
    if (!ts.isPropertyAccessExpression(node) && !ts.isElementAccessExpression(node)) return;
    const kind = permissionDenied(analysis, node);
    if (!kind) return;
    // assert.equal(err.code, status.PERMISSION_DENIED) in a test: the tests module reports it (tests/rpc-codes.ts).
    if (inRpcCodeAssertion(analysis, node)) return;
    if (isComparison(node)) {
      analysis.notAnEmit(node, 'comparison');
      return;
    }
    if (mapsHttpStatus(node)) {
      analysis.notAnEmit(node, 'client');
      return;
    }
    // Connect's own codes belong to the connect-rpc module, which rewrites them (Connect answers 403 itself).
    if (kind === 'connect') return;
    const parent = node.parent;
    const form =
      ts.isPropertyAssignment(parent) || ts.isCallExpression(parent) || ts.isNewExpression(parent)
        ? parent
        : node;
    addGatewaySite(analysis, form, node);
  },
};

/** The manual site of a PERMISSION_DENIED a server answers with, naming the gateways' 403 and what to do. */
function addGatewaySite(analysis: FileAnalysis, form: ts.Node, at: ts.Node): void {
  const target = GRPC_FOR[analysis.target];
  const code = target && `status.${target.grpc}`;
  const fix = code ? `return ${code} here (answered as ${analysis.target}), or map` : 'map';
  analysis.addSite({
    node: form,
    at,
    framework: 'grpc',
    manual: true,
    reason: `gRPC PERMISSION_DENIED is answered as HTTP 403 by grpc-gateway, Envoy's gRPC-JSON transcoder and the Connect protocol. If HTTP clients on mTLS reach this method through one of them, ${fix} PERMISSION_DENIED to ${analysis.target} in the gateway (grpc-gateway: runtime.WithErrorHandler; Envoy: local_reply_config).`,
  });
}

/**
 * `callback({ code: 7, message })`, `throw { code: 7, details }`, `new ServerError(7, m)`: PERMISSION_DENIED
 * written as its number in a file that imports a gRPC package, also in a cast (`7 as status`, `<Status>7`) or under
 * a quoted key (`'code': 7`). The `code` of an object literal counts when the
 * object is a call's argument or thrown, or holds `message` / `details` (a gRPC status object); a `new X(7, …)`
 * counts when X's name ends in `Error` and the call has a second argument (nice-grpc's `ServerError(code,
 * details)`). Comparisons and test assertions are not sites (the tests module reads `t.is(err.code, 7)`).
 */
function isNumericPermissionDenied(analysis: FileAnalysis, node: ts.NumericLiteral): boolean {
  if (Number(node.text) !== PERMISSION_DENIED_CODE) return false;
  // `{ code: 7 as grpc.status }`, `new ServerError(<Status>7, m)`: a cast keeps the code (syntax.ts outerParent).
  const parent = outerParent(node);
  if (ts.isNewExpression(parent)) {
    const args = parent.arguments ?? [];
    return (
      args.length > 1 &&
      skipOuter(args[0]) === node &&
      /Error$/.test(calleeName(parent) ?? '') &&
      analysis.importsModule(...GRPC_MODULES)
    );
  }
  // `code: 7` or `'code': 7`, with `message` / `details` written either way or as a shorthand.
  const object = parent.parent;
  if (!ts.isPropertyAssignment(parent) || !ts.isObjectLiteralExpression(object)) return false;
  if (propertyOf(object, 'code') !== parent || skipOuter(parent.initializer) !== node) return false;
  const holder = outerParent(object);
  const statusShape = statusProperty(object, 'message') ?? statusProperty(object, 'details');
  const handedOver = ts.isCallExpression(holder) || ts.isThrowStatement(holder);
  if (!statusShape && !handedOver) return false;
  if (inRpcCodeAssertion(analysis, node)) return false;
  return analysis.importsModule(...GRPC_MODULES);
}

/** `case 403: return Status.PERMISSION_DENIED;`: a client translating an HTTP answer into a gRPC code. */
function mapsHttpStatus(node: ts.Node): boolean {
  const statement = node.parent;
  if (!ts.isReturnStatement(statement) || !ts.isCaseClause(statement.parent)) return false;
  return ts.isNumericLiteral(statement.parent.expression);
}
