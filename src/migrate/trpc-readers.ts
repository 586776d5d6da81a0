import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import type { Occurrence } from './census.js';
import { nodeAt } from './routes/reach.js';
import { readerSite } from './readers.js';
import { TRPC_CODES } from './status-names.js';
import type { Site } from './types.js';

/**
 * Same-repo readers of tRPC codes (issue 8 §7, for tRPC): a tRPC procedure answers 403 with the code
 * `'FORBIDDEN'` (trpc.ts rewrites `new TRPCError({ code: 'FORBIDDEN' })` to the target's code), and the
 * repository's own client reads that code, not the status: `error.data?.code === 'FORBIDDEN'` in a mutation's
 * `onError`, `case 'FORBIDDEN':` of `switch (err.code)`. After the run those procedures answer another code, so
 * such a comparison no longer matches: each becomes a manual site (framework `reader`). A tRPC client names its
 * procedure through a proxy (`trpc.team.create`), which mtls-fix does not link to the router, so every
 * comparison in a file that uses tRPC counts once any procedure's `FORBIDDEN` was rewritten; the reason names
 * them. Test files are left to the test follower (tests follow the server).
 */
export interface TrpcReaderInput {
  analyses: Iterable<FileAnalysis>;
  /** The census's occurrences by file: a comparison that becomes a site loses its not-an-emit kind. */
  occurrences: ReadonlyMap<string, Occurrence[]>;
  /** Sites this run rewrites (or would). */
  rewritten: readonly Site[];
  target: number;
  /** `file:line` of a site, for the reason. */
  where: (site: Site) => string;
}

/** The reader sites of tRPC codes (manual, framework `reader`); empty when no tRPC `FORBIDDEN` was rewritten. */
export function findTrpcCodeReaders(input: TrpcReaderInput): Site[] {
  const procedures = input.rewritten.filter((s) => s.framework === 'trpc');
  if (!procedures.length) return [];
  const sites: Site[] = [];
  for (const analysis of input.analyses) {
    if (analysis.options.testFile || analysis.mockFile || !USES_TRPC.test(analysis.text)) continue;
    for (const occurrence of input.occurrences.get(analysis.file) ?? []) {
      if (occurrence.form !== 'string' || occurrence.kind === undefined) continue;
      const comparison = codeComparison(analysis.sourceFile, occurrence.start);
      if (!comparison) continue;
      occurrence.kind = undefined;
      sites.push(readerSite(analysis, comparison, reason(procedures, input), null));
    }
  }
  return sites;
}

/** A file that uses tRPC: imports a tRPC package, or names its client (`useTRPC()`, `api.trpc`, `trpcClient`). */
const USES_TRPC = /@trpc\/|\btrpc|TRPC/;

const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/**
 * The comparison of an error's code with `'FORBIDDEN'` the string at `position` is part of: `x.code === 'FORBIDDEN'`
 * (any equality, either side, through `?.`), or `case 'FORBIDDEN':` of a `switch` on such a code.
 */
function codeComparison(sourceFile: ts.SourceFile, position: number): ts.Node | undefined {
  const node = nodeAt(sourceFile, position);
  if (!node || !ts.isStringLiteralLike(node) || node.text !== TRPC_CODES[403]) return undefined;
  const parent = node.parent;
  if (ts.isBinaryExpression(parent) && EQUALITY.has(parent.operatorToken.kind)) {
    const other = parent.left === node ? parent.right : parent.left;
    return readsCode(other) && !otherErrorCode(other, parent) ? parent : undefined;
  }
  if (ts.isCaseClause(parent) && parent.expression === node) {
    const switched = parent.parent.parent.expression;
    if (!readsCode(switched) || otherErrorCode(switched, parent) || makesTrpcError(parent)) return undefined;
    return parent;
  }
  return undefined;
}

/**
 * `err.code` where `err` is narrowed to a class that is no tRPC error (`if (err instanceof ServiceError) { switch
 * (err.code) … }`, openstatus's service adapter): a project error's own code, compared before it becomes a tRPC
 * code, not a code a tRPC procedure answered.
 */
function otherErrorCode(expression: ts.Expression, at: ts.Node): boolean {
  let root: ts.Expression = expression;
  while (
    ts.isPropertyAccessExpression(root) ||
    ts.isParenthesizedExpression(root) ||
    ts.isNonNullExpression(root)
  )
    root = root.expression;
  if (!ts.isIdentifier(root)) return false;
  const name = root.text;
  for (let node: ts.Node = at; node.parent; node = node.parent) {
    const holder = node.parent;
    if (!ts.isIfStatement(holder) || holder.thenStatement !== node) continue;
    let narrowed = false;
    const visit = (child: ts.Node): void => {
      if (
        ts.isBinaryExpression(child) &&
        child.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword &&
        ts.isIdentifier(child.left) &&
        child.left.text === name &&
        !/TRPC/i.test(child.right.getText())
      )
        narrowed = true;
      else child.forEachChild(visit);
    };
    visit(holder.expression);
    if (narrowed) return true;
  }
  return false;
}

/** `case 'FORBIDDEN': throw new TRPCError({ code: … })`: the case maps a code into tRPC's, it reads none. */
function makesTrpcError(clause: ts.CaseClause): boolean {
  return clause.statements.some(
    (statement) =>
      (ts.isThrowStatement(statement) || ts.isReturnStatement(statement)) &&
      statement.expression !== undefined &&
      ts.isNewExpression(statement.expression) &&
      /TRPCError$/.test(statement.expression.expression.getText()),
  );
}

/** `error.code`, `err.data?.code`, `e.shape.data.code`: an expression that reads a member named `code`. */
function readsCode(expression: ts.Expression): boolean {
  let node = expression;
  while (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node))
    node = node.expression;
  return ts.isPropertyAccessExpression(node) && node.name.text === 'code';
}

function reason(procedures: readonly Site[], input: TrpcReaderInput): string {
  const code = TRPC_CODES[input.target];
  const named = procedures.slice(0, 3).map(input.where).join(', ');
  const more = procedures.length > 3 ? ` and ${procedures.length - 3} more` : '';
  const now = code
    ? `now answer ${code} (${input.target}): handle '${code}' here too (or instead)`
    : `now answer ${input.target}, which tRPC has no code for: read the status here instead`;
  return `Reads the tRPC code FORBIDDEN; the procedures whose FORBIDDEN this run rewrote (${named}${more}) ${now}, or mark it // mtls-fix-ignore: <why>.`;
}
