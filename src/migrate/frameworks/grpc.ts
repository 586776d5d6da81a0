import ts from '../../typescript.cjs';
import type { Framework } from './framework.js';
import { isComparison } from './shared.js';
import { inRpcCodeAssertion } from './tests/rpc-codes.js';
import { permissionDenied } from './rpc-status-names.js';

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
  kinds: [ts.SyntaxKind.PropertyAccessExpression],
  visit(node, analysis) {
    if (!ts.isPropertyAccessExpression(node)) return;
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
    const target = GRPC_FOR[analysis.target];
    const code = target && `status.${target.grpc}`;
    const fix = code ? `return ${code} here (answered as ${analysis.target}), or map` : 'map';
    analysis.addSite({
      node: form,
      at: node,
      framework: 'grpc',
      manual: true,
      reason: `gRPC PERMISSION_DENIED is answered as HTTP 403 by grpc-gateway, Envoy's gRPC-JSON transcoder and the Connect protocol. If HTTP clients on mTLS reach this method through one of them, ${fix} PERMISSION_DENIED to ${analysis.target} in the gateway (grpc-gateway: runtime.WithErrorHandler; Envoy: local_reply_config).`,
    });
  },
};

/** `case 403: return Status.PERMISSION_DENIED;`: a client translating an HTTP answer into a gRPC code. */
function mapsHttpStatus(node: ts.Node): boolean {
  const statement = node.parent;
  if (!ts.isReturnStatement(statement) || !ts.isCaseClause(statement.parent)) return false;
  return ts.isNumericLiteral(statement.parent.expression);
}
