import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { staticMember } from '../analysis/syntax.js';

// Which RPC library a permission-denied code comes from: shared by the grpc module and the tests module
// (tests/rpc-codes.ts), so neither imports the other.

/** Modules whose `status` / `Status` enum holds PERMISSION_DENIED (7). */
const STATUS_ENUMS: Readonly<Record<string, readonly string[]>> = {
  '@grpc/grpc-js': ['status'],
  '@grpc/grpc-js/build/src/constants': ['Status'],
  grpc: ['status'],
  'nice-grpc': ['Status'],
  'nice-grpc-common': ['Status'],
};
/** The gRPC packages whose servers answer with a `{ code, message }` status object. */
export const GRPC_MODULES: readonly string[] = Object.keys(STATUS_ENUMS);

/** PERMISSION_DENIED's number in the gRPC status codes (grpc/doc/statuscodes.md). */
export const PERMISSION_DENIED_CODE = 7;

/** Connect's `Code.PermissionDenied`. */
const CONNECT = ['@connectrpc/connect', '@bufbuild/connect'];

/**
 * `status.PERMISSION_DENIED` / `grpc.status.PERMISSION_DENIED` / `Code.PermissionDenied`, or any of them read by a
 * literal key (`Code['PermissionDenied']`, `status["PERMISSION_DENIED"]`): which library.
 */
export function permissionDenied(
  analysis: FileAnalysis,
  node: ts.PropertyAccessExpression | ts.ElementAccessExpression,
): 'grpc' | 'connect' | undefined {
  const member = staticMember(node);
  if (!member) return undefined;
  const { owner, name } = member;
  if (name === 'PERMISSION_DENIED') {
    if (ts.isIdentifier(owner)) {
      const binding = analysis.importOf(owner.text);
      return binding && STATUS_ENUMS[binding.module]?.includes(binding.name) ? 'grpc' : undefined;
    }
    // `grpc.status.PERMISSION_DENIED` on a namespace import or a whole require().
    const enumRead = staticMember(owner);
    if (enumRead?.name === 'status' && ts.isIdentifier(enumRead.owner)) {
      const binding = analysis.importOf(enumRead.owner.text);
      const whole = binding?.name === '*' || binding?.name === 'default';
      return whole && binding.module in STATUS_ENUMS ? 'grpc' : undefined;
    }
    return undefined;
  }
  if (name === 'PermissionDenied' && ts.isIdentifier(owner)) {
    const binding = analysis.importOf(owner.text);
    return binding && CONNECT.includes(binding.module) && binding.name === 'Code' ? 'connect' : undefined;
  }
  return undefined;
}
