import ts from '../../typescript.cjs';
import { TRPC_CODES } from '../status-names.js';
import type { Framework } from './framework.js';
import { skipOuter } from '../analysis/syntax.js';
import { initObject, statusProperty } from './shared.js';

/** tRPC: `new TRPCError({ code: 'FORBIDDEN' })` (tRPC maps the code to the HTTP status). */
export const trpc: Framework = {
  id: 'trpc',
  title: 'tRPC error codes',
  enablers: ['@trpc/server'],
  kinds: [ts.SyntaxKind.NewExpression],
  visit(node, analysis) {
    if (!ts.isNewExpression(node) || !analysis.resolvesTo(node.expression, ['@trpc/server'], 'TRPCError'))
      return;
    const options = node.arguments?.[0] && initObject(node.arguments[0]);
    const slot = options ? statusProperty(options, 'code') : undefined;
    const code = slot && codeLiteral(slot.value);
    if (!code || code.text !== 'FORBIDDEN') return;
    const target = TRPC_CODES[analysis.target];
    if (!target) {
      analysis.addSite({
        node,
        framework: 'trpc',
        manual: true,
        reason: `No tRPC code maps to ${analysis.target}: set data.httpStatus in an errorFormatter for mTLS procedures.`,
      });
      return;
    }
    analysis.addSite({ node, framework: 'trpc', edits: [analysis.phraseEdit(code, target)] });
  },
};

/**
 * The string a `code` slot holds: `'FORBIDDEN'`, `'FORBIDDEN' as const`, or a `const` of an enclosing scope
 * holding one (`const code = 'FORBIDDEN' as const; new TRPCError({ code })`), edited where it is declared.
 */
function codeLiteral(value: ts.Expression): ts.StringLiteralLike | undefined {
  const inner = skipOuter(value);
  if (ts.isStringLiteralLike(inner)) return inner;
  if (!ts.isIdentifier(inner)) return undefined;
  for (let scope: ts.Node | undefined = inner.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const))
        continue;
      const declaration = statement.declarationList.declarations.find(
        (d) => ts.isIdentifier(d.name) && d.name.text === inner.text,
      );
      const init = declaration?.initializer && skipOuter(declaration.initializer);
      if (declaration) return init && ts.isStringLiteralLike(init) ? init : undefined;
    }
  }
  return undefined;
}
