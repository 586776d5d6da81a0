import ts from '../typescript.cjs';
import { generatedReason } from './census-generated.js';
import { isStatuslessError } from './census-statusless-errors.js';
import { shorten, type FileAnalysis } from './analysis.js';
import { inComparison, isInType } from './census-syntax.js';
import { holds403 } from './census-occurrences.js';
import { namesForbiddenThings } from './census-flag-names.js';

/**
 * A 403 name taken into a file under a name that does not say so (session 33, breaker33 #03): `import { Forbidden
 * as Denied } from '@curveball/http-errors'`, `import { NoAccess } from './errors'` where errors.ts holds
 * `export { Forbidden as NoAccess } from '…'`. The census finds occurrences by text, so `throw new Denied()` holds
 * none; the import's own `Forbidden` is written off as "counted where used" (kind `import`). This module keeps
 * that promise: every use of such a name that no site or mark counts becomes a manual site at the use.
 * A destructured `require()` (`const { Forbidden: D } = require(…)`) is left to census-names.ts, which names the
 * destructuring itself.
 */

/** A local name bound to a 403 name of a module under another name: what it is, as the module exports it. */
export interface AliasedName {
  /** The local name (`Denied`). */
  local: string;
  /** The name the module exports (`Forbidden`). */
  imported: string;
  /** The package (or module specifier) that exports it (`@curveball/http-errors`). */
  module: string;
}

/**
 * Whether an exported name reads as a 403 error or status (`Forbidden`, `ForbiddenError`, `PermissionDenied`,
 * `FORBIDDEN`) while `local` does not: the uses of `local` hold no occurrence of their own. Names of forbidden
 * data (`forbiddenPaths`, census-names.ts) are not 403s.
 */
export function hides403(imported: string, local: string): boolean {
  return holds403(imported) && !holds403(local) && !namesForbiddenThings(imported);
}

/**
 * The file's ES imports (named and default) whose exported name, followed through the project's re-exports to
 * the package (FileAnalysis `packageOf`), reads as a 403 under a local name that does not. Namespace imports are
 * out (`E.Forbidden` names itself), and so is CommonJS destructuring (census-names.ts).
 */
export function aliasedNames(analysis: FileAnalysis): AliasedName[] {
  const out: AliasedName[] = [];
  for (const [local, binding] of analysis.imports) {
    if (binding.name === '*' || (binding.namedImports && !ts.isNamedImports(binding.namedImports))) continue;
    const origin = analysis.packageOf(local) ?? binding;
    if (origin.name === 'default' || !hides403(origin.name, local) || !isPackage(origin.module)) continue;
    // A library's error with no HTTP status of its own (@casl/ability's ForbiddenError): no 403 to name.
    if (isStatuslessError(origin.module, origin.name)) continue;
    out.push({ local, imported: origin.name, module: origin.module });
  }
  return out;
}

/**
 * The names a file exports for a 403 name under another name (`export { Forbidden as NoAccess } from '…'`,
 * `import { Forbidden } from '…'; export { Forbidden as NoAccess }`, `export { Denied }` of an aliased import):
 * what phase 2 of the prefilter looks for in files that hold no 403 form themselves (run-analysis.ts).
 */
export function aliasedExports(analysis: FileAnalysis): string[] {
  const out = new Set<string>();
  for (const statement of analysis.sourceFile.statements) {
    if (!ts.isExportDeclaration(statement) || !statement.exportClause) continue;
    if (!ts.isNamedExports(statement.exportClause)) continue;
    const from =
      statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
        ? statement.moduleSpecifier.text
        : undefined;
    for (const element of statement.exportClause.elements) {
      const inner = (element.propertyName ?? element.name).text;
      const exported = element.name.text;
      if (exported === 'default') continue;
      const origin = packageName(analysis, inner, from);
      if (origin && hides403(origin.name, exported)) out.add(exported);
    }
  }
  return [...out];
}

/**
 * Whether a module specifier names a package, not a project file (`./errors`, `/src/x`, `#internal`, the `@/` and
 * `~/` path aliases): a project's own declaration holding 403 is counted where it is declared (references.ts).
 */
export function isPackage(module: string): boolean {
  return !/^(?:\.|\/|#|[@~]\/)/.test(module);
}

/**
 * The package and name an exported `inner` stands for: `export { inner as X } from 'from'` (through the project's
 * re-exports when `from` is a project module), or `export { inner as X }` of an import. Undefined for a name the
 * project declares.
 */
export function packageName(
  analysis: FileAnalysis,
  inner: string,
  from: string | undefined,
): { module: string; name: string } | undefined {
  const origin =
    from === undefined
      ? analysis.packageOf(inner)
      : isPackage(from)
        ? { module: from, name: inner }
        : analysis.originOf(from, inner);
  return origin && isPackage(origin.module) ? origin : undefined;
}

/**
 * Adds a manual site at every use of an aliased 403 name (aliasedNames) that no site or not-an-emit mark of the
 * file counts: `new Denied(…)`, `throw Denied`, `Denied.create(…)`, a value handed to anything else. Not a use:
 * a type, a comparison (`e instanceof Denied`), an export specifier (its importers are checked where they use
 * it), a property name. In a test file only calls and `new` are uses (`toThrow(Denied)` asserts, it sends
 * nothing). Mutates `analysis.sites`.
 */
export function nameAliasedUses(analysis: FileAnalysis): void {
  const aliased = new Map(aliasedNames(analysis).map((a) => [a.local, a]));
  if (!aliased.size) return;
  const { sourceFile } = analysis;
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (ts.isIdentifier(node)) {
      const alias = aliased.get(node.text);
      if (alias && isValueUse(node)) nameUse(analysis, node, alias);
      return;
    }
    node.forEachChild(visit);
  };
  sourceFile.forEachChild(visit);
}

/** Whether an identifier is a value read of its name (not a property name, a declaration, a type, a check). */
function isValueUse(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isQualifiedName(parent) || isInType(node) || inComparison(node)) return false;
  if (
    (ts.isPropertyAssignment(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isVariableDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isBindingElement(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isClassDeclaration(parent) ||
      ts.isPropertySignature(parent)) &&
    parent.name === node
  )
    return false;
  return !(ts.isBindingElement(parent) && parent.propertyName === node);
}

/** The manual site of one uncounted use, placed on the whole form (`new Denied('no')`). */
function nameUse(analysis: FileAnalysis, node: ts.Identifier, alias: AliasedName): void {
  let form: ts.Node = node;
  while (
    (ts.isPropertyAccessExpression(form.parent) && form.parent.expression === form) ||
    ((ts.isCallExpression(form.parent) || ts.isNewExpression(form.parent)) && form.parent.expression === form)
  ) {
    form = form.parent;
    if (ts.isCallExpression(form) || ts.isNewExpression(form)) break;
  }
  const called = ts.isCallExpression(form) || ts.isNewExpression(form);
  if (analysis.options.testFile && !called) return;
  if (counted(analysis, node)) return;
  const text = shorten(form.getText(analysis.sourceFile));
  analysis.addSite({
    node: form,
    at: node,
    framework: 'unknown',
    manual: true,
    reason: generatedReason(
      analysis.sourceFile,
      `'${alias.local}' is '${alias.imported}' of '${alias.module}' under another name: a 403 in a shape mtls-fix does not know (${text}). Check the status it sends; if it is a response, answer ${analysis.target} there by hand; if not, mark it // mtls-fix-ignore: <why>.`,
    ),
  });
}

/** Whether a site or a not-an-emit mark of the file already covers the use. */
function counted(analysis: FileAnalysis, node: ts.Node): boolean {
  const start = node.getStart(analysis.sourceFile);
  const end = node.end;
  return (
    analysis.sites.some((s) => s.span.start <= start && end <= s.span.end) ||
    analysis.notAnEmitRanges.some((r) => r.start <= start && end <= r.end)
  );
}
