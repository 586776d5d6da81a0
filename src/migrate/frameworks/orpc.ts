import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { propertySlot, skipOuter } from '../analysis/syntax.js';
import { ORPC_CODES } from '../status-names.js';
import type { Framework } from './framework.js';

/** The packages that export `ORPCError` and the procedure builder `os`. */
const MODULES = ['@orpc/server', '@orpc/client', '@orpc/contract'];

/**
 * oRPC: `new ORPCError('FORBIDDEN')` answers HTTP 403 (oRPC maps its common codes to statuses,
 * `COMMON_ORPC_ERROR_DEFS` in @orpc/client), unless its options set `status` (`{ status: 403 }` answers 403 whatever
 * the code). The code (or the status) is rewritten where it is written. A typed error declared by
 * `.errors({ FORBIDDEN: { … } })` answers 403 wherever a procedure throws `errors.FORBIDDEN()`: the declaration is
 * shared by every procedure built on it, so it is reported, as an error class is.
 */
export const orpc: Framework = {
  id: 'orpc',
  title: 'oRPC error codes',
  enablers: MODULES,
  kinds: [ts.SyntaxKind.NewExpression, ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    if (ts.isNewExpression(node) && analysis.resolvesTo(node.expression, MODULES, 'ORPCError')) {
      errorSite(analysis, node);
      return;
    }
    if (!ts.isCallExpression(node)) return;
    if (isErrorsDeclaration(analysis, node)) declaredErrors(analysis, node);
    else if (isTypedThrow(analysis, node))
      analysis.addSite({
        node,
        framework: 'orpc',
        manual: true,
        reason: `errors.FORBIDDEN() throws the typed error FORBIDDEN: oRPC answers 403 unless its .errors({ FORBIDDEN: … }) definition sets another status (mtls-fix reports or rewrites that definition). On mTLS procedures throw errors.${ORPC_CODES[analysis.target] ?? 'UNAUTHORIZED'}() (declared beside it), or keep it on purpose with // mtls-fix-ignore: <why>.`,
      });
  },
};

/** `new ORPCError(code, { status })`: the status when one is written, else the code. */
function errorSite(analysis: FileAnalysis, node: ts.NewExpression): void {
  const [code, options] = node.arguments ?? [];
  const object = options && skipOuter(options);
  const status =
    object && ts.isObjectLiteralExpression(object)
      ? object.properties.map(propertySlot).find((slot) => slot?.key === 'status')
      : undefined;
  if (status) {
    const edits = analysis.forbiddenEdits(status.value);
    if (edits) analysis.addSite({ node, framework: 'orpc', edits });
    return;
  }
  const literal = code && skipOuter(code);
  if (!literal || !ts.isStringLiteralLike(literal) || literal.text !== ORPC_CODES[403]) return;
  const target = ORPC_CODES[analysis.target];
  if (target) analysis.addSite({ node, framework: 'orpc', edits: [analysis.phraseEdit(literal, target)] });
  else
    analysis.addSite({
      node,
      framework: 'orpc',
      manual: true,
      reason: `No oRPC code maps to ${analysis.target}: pass { status: ${analysis.target} } in the options of this ORPCError on mTLS procedures.`,
    });
}

/** `os.errors({ … })`, `oc.errors({ … })`, `base.errors({ … })` in a file that imports oRPC. */
function isErrorsDeclaration(analysis: FileAnalysis, node: ts.CallExpression): boolean {
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'errors') return false;
  const first = node.arguments[0];
  if (!first || !ts.isObjectLiteralExpression(skipOuter(first))) return false;
  return importsOrpc(analysis);
}

/** `errors.FORBIDDEN(…)` (the `errors` a procedure's handler is given) in a file that imports oRPC. */
function isTypedThrow(analysis: FileAnalysis, node: ts.CallExpression): boolean {
  const callee = node.expression;
  return (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === ORPC_CODES[403] &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'errors' &&
    importsOrpc(analysis)
  );
}

function importsOrpc(analysis: FileAnalysis): boolean {
  return [...analysis.imports.values()].some((binding) => MODULES.includes(binding.module));
}

/** The `FORBIDDEN` entry of `.errors({ FORBIDDEN: { message } })`: its status, or oRPC's 403 for the code. */
function declaredErrors(analysis: FileAnalysis, node: ts.CallExpression): void {
  const first = node.arguments[0];
  const object = first && skipOuter(first);
  if (!object || !ts.isObjectLiteralExpression(object)) return;
  for (const property of object.properties) {
    const slot = propertySlot(property);
    if (!slot || slot.key !== ORPC_CODES[403]) continue;
    const definition = skipOuter(slot.value);
    const status =
      ts.isObjectLiteralExpression(definition) &&
      definition.properties.map(propertySlot).find((s) => s?.key === 'status');
    // `FORBIDDEN: { status: 403 }`: the status is written, rewritten there (or a 401 chosen on purpose).
    if (status) {
      const edits = analysis.forbiddenEdits(status.value);
      if (edits) analysis.addSite({ node: property, framework: 'orpc', edits });
      continue;
    }
    analysis.addSite({
      node: property,
      framework: 'orpc',
      manual: true,
      reason: `The typed error FORBIDDEN sets no status, so oRPC answers 403 wherever a procedure throws errors.FORBIDDEN(): set status: ${analysis.target} in this definition if every procedure built on it is mTLS, or declare ${ORPC_CODES[analysis.target] ?? `an error with status: ${analysis.target}`} beside it for the mTLS ones.`,
    });
  }
}
