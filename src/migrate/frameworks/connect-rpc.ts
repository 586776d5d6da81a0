import { isOuter, staticMember } from '../analysis/syntax.js';
import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { CONNECT_CODES, CONNECT_PERMISSION_DENIED } from '../status-names.js';
import type { Edit } from '../types.js';
import type { Framework } from './framework.js';
import { challenge, challengeNote, quoted } from './shared.js';
import { inRpcCodeAssertion } from './tests/rpc-codes.js';

const MODULES = ['@connectrpc/connect', '@bufbuild/connect'];

/**
 * ConnectRPC: `new ConnectError(m, Code.PermissionDenied)` and `ConnectError.from(e, Code.PermissionDenied)`
 * answer HTTP 403 in the Connect protocol; `Code.Unauthenticated` answers 401. Comparisons of a code are reads.
 */
export const connectRpc: Framework = {
  id: 'connect-rpc',
  title: 'ConnectRPC (ConnectError codes)',
  enablers: [
    ...MODULES,
    '@connectrpc/connect-node',
    '@connectrpc/connect-express',
    '@connectrpc/connect-fastify',
  ],
  kinds: [
    ts.SyntaxKind.PropertyAccessExpression,
    ts.SyntaxKind.ElementAccessExpression,
    ts.SyntaxKind.NewExpression,
  ],
  visit(node, analysis) {
    const member = staticMember(node);
    if (
      (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) &&
      member?.name === 'PermissionDenied' &&
      isCodeEnum(analysis, member.owner)
    ) {
      permissionDenied(analysis, node);
    } else if (ts.isNewExpression(node) && analysis.resolvesTo(node.expression, MODULES, 'ConnectError')) {
      const code = node.arguments?.[1];
      if (code && ts.isNumericLiteral(code) && Number(code.text) === CONNECT_PERMISSION_DENIED)
        rewrite(analysis, node, code, true);
    }
  },
};

function isCodeEnum(analysis: FileAnalysis, expression: ts.Expression): boolean {
  if (ts.isIdentifier(expression)) {
    const binding = analysis.importOf(expression.text);
    return Boolean(binding && MODULES.includes(binding.module) && binding.name === 'Code');
  }
  return analysis.resolvesTo(expression, MODULES, 'Code');
}

/**
 * `Code.PermissionDenied` (or `Code['PermissionDenied']`) as the code of an error this server raises, a read, or
 * elsewhere (reported).
 */
function permissionDenied(
  analysis: FileAnalysis,
  access: ts.PropertyAccessExpression | ts.ElementAccessExpression,
): void {
  let node: ts.Node = access;
  while (isOuter(node.parent)) node = node.parent;
  const parent = node.parent;
  // expect(err.code).toBe(Code.PermissionDenied) in a test: the tests module reports it (tests/rpc-codes.ts).
  if (inRpcCodeAssertion(analysis, access)) return;
  if (isComparison(parent, node)) {
    analysis.notAnEmit(parent, 'comparison');
    return;
  }
  const call = parent && (ts.isNewExpression(parent) || ts.isCallExpression(parent)) ? parent : undefined;
  if (call && call.arguments?.[1] === node && isConnectErrorCall(analysis, call)) {
    rewrite(analysis, call, access, false);
    return;
  }
  analysis.addSite({
    node: parent && ts.isPropertyAssignment(parent) ? parent : access,
    at: access,
    framework: 'connect-rpc',
    manual: true,
    reason: `Code.PermissionDenied answers HTTP 403 in the Connect protocol: where it becomes an error this server returns on mTLS routes, use ${CONNECT_CODES[analysis.target] ? `Code.${CONNECT_CODES[analysis.target].name}` : `a code for ${analysis.target}`}.`,
  });
}

function isConnectErrorCall(analysis: FileAnalysis, call: ts.NewExpression | ts.CallExpression): boolean {
  const callee = call.expression;
  if (ts.isNewExpression(call)) return analysis.resolvesTo(callee, MODULES, 'ConnectError');
  // `ConnectError.from(reason, code)`
  return (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === 'from' &&
    analysis.resolvesTo(callee.expression, MODULES, 'ConnectError')
  );
}

function rewrite(
  analysis: FileAnalysis,
  call: ts.NewExpression | ts.CallExpression,
  code: ts.Expression,
  numeric: boolean,
): void {
  const target = CONNECT_CODES[analysis.target];
  if (!target) {
    analysis.addSite({
      node: call,
      framework: 'connect-rpc',
      manual: true,
      reason: `No Connect code answers ${analysis.target} alone: pick the code for this failure (Code.Unauthenticated answers 401).`,
    });
    return;
  }
  // `Code.PermissionDenied` -> `Code.Unauthenticated`; `Code['PermissionDenied']`: the key is renamed inside its own
  // quotes; a number, the number.
  const member = numeric ? undefined : staticMember(code);
  const name = member?.nameNode;
  const quote = name && ts.isStringLiteralLike(name) ? name.getText(analysis.sourceFile)[0] : '';
  const edit = name
    ? analysis.replace(name, `${quote}${target.name}${quote}`)
    : analysis.replace(code, String(target.value));
  const header = metadataHeader(analysis, call);
  const present = /www-authenticate/i.test(call.getText(analysis.sourceFile));
  analysis.addSite({
    node: call,
    framework: 'connect-rpc',
    edits: [edit, ...header],
    reason: header.length || present ? null : challengeNote(analysis),
  });
}

/** `new ConnectError(m, Code.Unauthenticated)` gets `{ 'WWW-Authenticate': scheme }` as its metadata (sent as headers). */
function metadataHeader(analysis: FileAnalysis, call: ts.NewExpression | ts.CallExpression): Edit[] {
  const scheme = challenge(analysis);
  const args = call.arguments ?? [];
  if (!scheme || !ts.isNewExpression(call)) return [];
  const header = `${quoted(analysis, 'WWW-Authenticate')}: ${quoted(analysis, scheme)}`;
  if (args.length === 2) return [{ start: args[1].getEnd(), end: args[1].getEnd(), text: `, { ${header} }` }];
  const metadata = args[2];
  if (
    metadata &&
    ts.isObjectLiteralExpression(metadata) &&
    !/www-authenticate/i.test(metadata.getText(analysis.sourceFile))
  ) {
    const last = metadata.properties[metadata.properties.length - 1];
    if (!last)
      return [
        { start: metadata.getStart(analysis.sourceFile), end: metadata.getEnd(), text: `{ ${header} }` },
      ];
    return [{ start: last.getEnd(), end: last.getEnd(), text: `, ${header}` }];
  }
  return [];
}

function isComparison(parent: ts.Node | undefined, node: ts.Node): boolean {
  if (!parent) return false;
  if (ts.isCaseClause(parent)) return true;
  if (ts.isBinaryExpression(parent)) {
    const k = parent.operatorToken.kind;
    return (
      k === ts.SyntaxKind.EqualsEqualsEqualsToken ||
      k === ts.SyntaxKind.EqualsEqualsToken ||
      k === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
      k === ts.SyntaxKind.ExclamationEqualsToken
    );
  }
  return (
    ts.isCallExpression(parent) &&
    parent.arguments.includes(node as ts.Expression) &&
    /\b(includes|has|toBe|toEqual)$/.test(parent.expression.getText())
  );
}
