import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { statusTypeEdits, typeHolder } from './frameworks/tests/status-types.js';
import { keepTypedHandlers } from './status-type-refs.js';
import type { Site } from './types.js';

/**
 * A server's 403 written as a type beside the code that sends it: Hono's `(c): TypedResponse<'Forbidden', 403,
 * 'text'> => c.text('Forbidden', 403)`, a handler's `Promise<Response & TypedResponse<...403...>>`, a `const`'s
 * type, an `as` / `satisfies` cast, or a type alias one of those names (`type Denied = TypedResponse<{ error:
 * string }, 403, 'json'>`). Rewritten alone, the body answers 401 while its declared type says 403 and `tsc`
 * fails. The type's edits (the 403, and `'Forbidden'` among the same type arguments) are added to the first
 * rewrite site inside the code the type annotates, so they are written, ignored or left out with it. A type whose
 * annotated code holds no rewrite site stays as it is (the census counts it as a type). A 403 in a type the
 * handler names that is declared elsewhere (another file, a global `.d.ts`, an interface) keeps the site manual
 * (status-type-refs.ts). Test files are the test
 * follower's (frameworks/tests/status-types.ts).
 */
export function followStatusTypes(analysis: FileAnalysis): void {
  if (analysis.options.testFile) return;
  const rewrites = analysis.sites.filter((s) => s.kind === 'rewrite');
  if (!rewrites.length) return;
  if (analysis.text.includes('403')) followLiteralTypes(analysis, rewrites);
  // A 403 in a type the handler names that this run does not write (another file's, a global, a key).
  keepTypedHandlers(analysis);
}

function followLiteralTypes(analysis: FileAnalysis, rewrites: readonly Site[]): void {
  const source = analysis.sourceFile;
  const visit = (node: ts.Node): void => {
    if (ts.isLiteralTypeNode(node) && ts.isNumericLiteral(node.literal) && node.literal.text === '403') {
      const carrier = carrierOf(source, node, rewrites);
      if (carrier) carrier.edits.push(...statusTypeEdits(analysis, node));
    }
    node.forEachChild(visit);
  };
  visit(source);
}

/** The rewrite site inside the code a type annotates (through a type alias, any code naming it). */
function carrierOf(
  source: ts.SourceFile,
  node: ts.LiteralTypeNode,
  rewrites: readonly Site[],
): Site | undefined {
  const holder = typeHolder(node);
  if (!holder) return undefined;
  const ranges = ts.isTypeAliasDeclaration(holder) ? aliasUses(source, holder) : [annotated(holder)];
  for (const range of ranges) {
    if (!range) continue;
    const site = rewrites.find((s) => s.start >= range.pos && s.end <= range.end);
    if (site) return site;
  }
  return undefined;
}

/** The code of the holders that name a type alias (`(c): Denied => ...`). */
function aliasUses(source: ts.SourceFile, alias: ts.TypeAliasDeclaration): (ts.Node | undefined)[] {
  const out: (ts.Node | undefined)[] = [];
  const visit = (child: ts.Node): void => {
    if (
      ts.isTypeReferenceNode(child) &&
      ts.isIdentifier(child.typeName) &&
      child.typeName.text === alias.name.text &&
      !(child.pos >= alias.pos && child.end <= alias.end)
    ) {
      const user = typeHolder(child);
      if (user && !ts.isTypeAliasDeclaration(user)) out.push(annotated(user));
    }
    child.forEachChild(visit);
  };
  visit(source);
  return out;
}

/** What a type annotates: a function's body, a variable's initializer, a cast's expression, a call. */
function annotated(holder: ts.Node): ts.Node | undefined {
  if (ts.isVariableDeclaration(holder) || ts.isPropertyDeclaration(holder)) return holder.initializer;
  if (ts.isAsExpression(holder) || ts.isSatisfiesExpression(holder) || ts.isTypeAssertionExpression(holder))
    return holder.expression;
  if (ts.isCallExpression(holder)) return holder;
  if ('body' in holder) return (holder as { body?: ts.Node }).body;
  return undefined;
}
