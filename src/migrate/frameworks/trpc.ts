import ts from '../../typescript.cjs';
import { TRPC_CODES } from '../status-names.js';
import type { Framework } from './framework.js';
import type { FileAnalysis } from '../analysis.js';
import { skipOuter } from '../analysis/syntax.js';
import { initObject, statusProperty } from './shared.js';
import { topLevelFunction } from '../result-producers.js';
import { returnedExpressions } from '../routes/syntax.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/**
 * tRPC: `new TRPCError({ code: 'FORBIDDEN' })` (tRPC maps the code to the HTTP status). The code may be chosen
 * (`code: denied ? 'FORBIDDEN' : 'NOT_FOUND'`, `reason ?? 'FORBIDDEN'`), held by a `const`, or returned by a
 * function of the file (`code: stripeErrorCode(error)` whose branches return `'FORBIDDEN'`): each FORBIDDEN the slot
 * can hold is rewritten where it is written, but a function's return is reported there (other callers may read it).
 */
export const trpc: Framework = {
  id: 'trpc',
  title: 'tRPC error codes',
  enablers: ['@trpc/server'],
  kinds: [ts.SyntaxKind.NewExpression],
  visit(node, analysis) {
    if (!ts.isNewExpression(node) || !analysis.resolvesTo(node.expression, ['@trpc/server'], 'TRPCError'))
      return;
    const options = node.arguments?.[0] && initObject(node.arguments[0]);
    const slot = options ? codeSlot(options, 0) : undefined;
    if (!slot) return;
    const found: CodeValues = { written: [], returned: [] };
    codeValues(analysis.sourceFile, slot.value, found, 0);
    const target = TRPC_CODES[analysis.target];
    const line = (n: ts.Node): number =>
      lineAndCharacterAt(analysis.sourceFile, n.getStart(analysis.sourceFile)).line + 1;
    for (const { literal, fn } of found.returned) {
      if (analysis.sites.some((s) => s.span.start === literal.getStart(analysis.sourceFile))) continue;
      analysis.addSite({
        node: literal,
        framework: 'trpc',
        manual: true,
        reason: `${fn}() returns 'FORBIDDEN', the code of the TRPCError at line ${line(node)} (tRPC answers 403): ${target ? `return '${target}' for mTLS procedures` : `no tRPC code maps to ${analysis.target}; set data.httpStatus in an errorFormatter for mTLS procedures`}, or keep it on purpose with // mtls-fix-ignore: <why>.`,
      });
    }
    // `function deny(code, m) { throw new TRPCError({ code, message: m }) }`: the callers choose the code; those
    // passing 'FORBIDDEN' (in any file) are rewritten through the helper (transform.ts rewriteHelperCalls). A
    // default of 'FORBIDDEN' is rewritten here first (the helper's own report then yields to that site).
    const parameter = analysis.parameterOf(fallbackLeft(slot.value));
    // `own ? 'FORBIDDEN' : code`: the parameter branch is its callers' choice, named at the branch.
    const branches = parameter ? [] : choiceParameters(analysis, slot.value);
    for (const branch of branches) analysis.helperParam(branch.evaluation, branch.node, 'trpc');
    if (!found.written.length) {
      if (parameter) analysis.helperParam(parameter, node, 'trpc');
      return;
    }
    if (!target) {
      analysis.addSite({
        node,
        framework: 'trpc',
        manual: true,
        reason: `No tRPC code maps to ${analysis.target}: set data.httpStatus in an errorFormatter for mTLS procedures.`,
      });
      return;
    }
    analysis.addSite({
      node,
      framework: 'trpc',
      edits: found.written.map((code) => analysis.phraseEdit(code, target)),
    });
    if (parameter) analysis.helperParam(parameter, node, 'trpc');
  },
};

/** The FORBIDDEN literals a code slot can hold: written in the slot or a `const`, or returned by a function. */
interface CodeValues {
  written: ts.StringLiteralLike[];
  returned: { literal: ts.StringLiteralLike; fn: string }[];
}

/** How many consts and calls are followed from a slot. */
const MAX_DEPTH = 4;

/**
 * Collects the `'FORBIDDEN'` literals `value` can be: a literal (`as const` too), either branch of `c ? a : b`,
 * either side of `a ?? b` / `a || b`, a `const` of an enclosing scope holding one, an entry of a `const` object
 * (`CODES.denied`, `CODES['denied']`) or of a `const` Map read by a written key (`CODES.get('denied')`), or what a
 * function declared at the top level of the file returns when `value` calls it.
 */
function codeValues(sourceFile: ts.SourceFile, value: ts.Expression, out: CodeValues, depth: number): void {
  const inner = skipOuter(value);
  if (depth > MAX_DEPTH) return;
  if (ts.isStringLiteralLike(inner)) {
    if (inner.text === 'FORBIDDEN') out.written.push(inner);
  } else if (ts.isConditionalExpression(inner)) {
    codeValues(sourceFile, inner.whenTrue, out, depth);
    codeValues(sourceFile, inner.whenFalse, out, depth);
  } else if (
    ts.isBinaryExpression(inner) &&
    (inner.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      inner.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  ) {
    codeValues(sourceFile, inner.left, out, depth);
    codeValues(sourceFile, inner.right, out, depth);
  } else if (ts.isIdentifier(inner)) {
    // A `const`, or a parameter's default (`code = 'FORBIDDEN'`: what is sent when the caller gives none).
    const init = constInitializer(inner) ?? parameterDefault(inner);
    if (init) codeValues(sourceFile, init, out, depth + 1);
  } else if (ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner)) {
    // `CODES.denied`, `CODES['denied']`: the entry of a `const` object (`as const` too) of an enclosing scope.
    const written = ts.isPropertyAccessExpression(inner) ? inner.name : skipOuter(inner.argumentExpression);
    const key = ts.isIdentifier(written) || ts.isStringLiteralLike(written) ? written.text : undefined;
    const table = key === undefined ? undefined : initObject(inner.expression);
    const value = table && key !== undefined ? statusProperty(table, key)?.value : undefined;
    if (value) codeValues(sourceFile, value, out, depth + 1);
  } else if (ts.isCallExpression(inner) && mapRead(inner)) {
    const value = mapRead(inner);
    if (value) codeValues(sourceFile, value, out, depth + 1);
  } else if (ts.isCallExpression(inner) && ts.isIdentifier(inner.expression)) {
    const name = inner.expression.text;
    const fn = topLevelFunction(sourceFile, (_, local) => local === name);
    if (!fn) return;
    const own: CodeValues = { written: [], returned: [] };
    for (const returned of returnedExpressions({ node: fn }))
      codeValues(sourceFile, returned, own, depth + 1);
    out.returned.push(...own.written.map((literal) => ({ literal, fn: name })), ...own.returned);
  }
}

/**
 * The `code` of a TRPCError's options: the property itself, else the last spread that holds one
 * (`{ ...DENIED, message }` with `const DENIED = { code: 'FORBIDDEN' } as const`), followed through spreads.
 */
function codeSlot(
  options: ts.ObjectLiteralExpression,
  depth: number,
): ReturnType<typeof statusProperty> | undefined {
  const own = statusProperty(options, 'code');
  if (own || depth > MAX_DEPTH) return own;
  for (const property of [...options.properties].reverse()) {
    if (!ts.isSpreadAssignment(property)) continue;
    const spread = initObject(property.expression);
    const slot = spread && codeSlot(spread, depth + 1);
    if (slot) return slot;
  }
  return undefined;
}

/**
 * `CODES.get('denied')` on a `const CODES = new Map([['denied', 'FORBIDDEN'], …])` of an enclosing scope: the
 * value written beside that key (the last entry with it, as a Map keeps). Undefined for any other call.
 */
function mapRead(call: ts.CallExpression): ts.Expression | undefined {
  const callee = skipOuter(call.expression);
  const key = call.arguments[0] && skipOuter(call.arguments[0]);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'get' || !key) return undefined;
  if (!ts.isStringLiteralLike(key) || !ts.isIdentifier(callee.expression)) return undefined;
  const init = constInitializer(callee.expression);
  const created = init && skipOuter(init);
  if (!created || !ts.isNewExpression(created) || !ts.isIdentifier(created.expression)) return undefined;
  const entries = created.expression.text === 'Map' ? created.arguments?.[0] : undefined;
  const list = entries && skipOuter(entries);
  if (!list || !ts.isArrayLiteralExpression(list)) return undefined;
  let found: ts.Expression | undefined;
  for (const element of list.elements) {
    const pair = skipOuter(element);
    if (!ts.isArrayLiteralExpression(pair) || pair.elements.length !== 2) continue;
    const [name, value] = pair.elements;
    const written = name && skipOuter(name);
    if (value && written && ts.isStringLiteralLike(written) && written.text === key.text) found = value;
  }
  return found;
}

/** The parameters of the enclosing function among the branches of a choice (`c ? 'FORBIDDEN' : code`), nested too. */
function choiceParameters(
  analysis: FileAnalysis,
  value: ts.Expression,
): { evaluation: NonNullable<ReturnType<FileAnalysis['parameterOf']>>; node: ts.Expression }[] {
  const inner = skipOuter(value);
  if (!ts.isConditionalExpression(inner)) return [];
  return [inner.whenTrue, inner.whenFalse].flatMap((branch) => {
    const evaluation = analysis.parameterOf(fallbackLeft(branch));
    return evaluation ? [{ evaluation, node: branch }] : choiceParameters(analysis, branch);
  });
}

/** The initializer of the `const` an identifier names in an enclosing block or the file, if it is one. */
function constInitializer(name: ts.Identifier): ts.Expression | undefined {
  for (let scope: ts.Node | undefined = name.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const))
        continue;
      const declaration = statement.declarationList.declarations.find(
        (d) => ts.isIdentifier(d.name) && d.name.text === name.text,
      );
      if (declaration) return declaration.initializer;
    }
  }
  return undefined;
}

/** The default value of the parameter an identifier names in its enclosing function (`code = 'FORBIDDEN'`). */
function parameterDefault(name: ts.Identifier): ts.Expression | undefined {
  for (let at: ts.Node | undefined = name.parent; at; at = at.parent) {
    if (!ts.isFunctionLike(at)) continue;
    const parameter = at.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name.text);
    if (parameter) return parameter.initializer;
  }
  return undefined;
}

/** `code ?? 'FORBIDDEN'`, `code || fallback`: the left side, which a caller gives. */
function fallbackLeft(expression: ts.Expression): ts.Expression {
  const node = skipOuter(expression);
  return ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    ? node.left
    : node;
}
