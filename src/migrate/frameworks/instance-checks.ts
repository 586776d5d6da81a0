import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { boundLocalName, localNameFor } from '../import-edits.js';

/**
 * How a file spells the classes of an `instanceof` check on a library's 403 class, for the advice of its report
 * (`e instanceof Denied || e instanceof Unauth`): the user's own names, never the library's where they differ.
 */
export interface CheckedSpelling {
  /** The checked class as written: `Denied`, `common.ForbiddenException`. */
  checked: string;
  /** `checked` with the library's name beside an alias: `Denied (ForbiddenException)`. */
  shown: string;
  /**
   * The target class as this file would write it: the namespace's member (`common.UnauthorizedException`), the
   * name it is imported under (`Unauth` of `UnauthorizedException as Unauth`), else the name the rewrite's import
   * adds (localNameFor: an alias when the file declares the name itself). Undefined without a target class.
   */
  target: string | undefined;
  /** Where `target` must be imported from first (no import binds it yet); undefined when it is. */
  importFrom: string | undefined;
}

/**
 * The spelling of `right` (the class of `x instanceof right`, a library's 403 class `forbidden` of one of
 * `modules`) and of the library's class for the agreed status, `targetClass`, in this file.
 */
export function checkedSpelling(
  analysis: FileAnalysis,
  right: ts.Expression,
  modules: readonly string[],
  forbidden: string,
  targetClass: string | undefined,
): CheckedSpelling {
  const checked = right.getText(analysis.sourceFile);
  const shown =
    checked === forbidden || checked.endsWith(`.${forbidden}`) ? checked : `${checked} (${forbidden})`;
  if (targetClass === undefined) return { checked, shown, target: undefined, importFrom: undefined };
  if (ts.isPropertyAccessExpression(right) || ts.isElementAccessExpression(right))
    return {
      checked,
      shown,
      target: `${right.expression.getText(analysis.sourceFile)}.${targetClass}`,
      importFrom: undefined,
    };
  const binding = ts.isIdentifier(right) ? analysis.importOf(right.text) : undefined;
  const module = binding?.module ?? modules[0] ?? '';
  const bound = boundLocalName(analysis.imports, module, targetClass);
  if (bound !== undefined) return { checked, shown, target: bound, importFrom: undefined };
  return { checked, shown, target: localNameFor(analysis, module, targetClass), importFrom: module };
}

/**
 * The alternative to add to the check, in the file's spelling: `` `|| err instanceof Unauth` ``, with where the
 * class comes from when no import binds it yet (`` `|| e instanceof UnauthorizedException` (from '@nestjs/common') ``).
 * Undefined without a target class.
 */
export function alternative(
  analysis: FileAnalysis,
  check: ts.BinaryExpression,
  spelling: CheckedSpelling,
): string | undefined {
  if (spelling.target === undefined) return undefined;
  const code = `\`|| ${check.left.getText(analysis.sourceFile)} instanceof ${spelling.target}\``;
  return spelling.importFrom === undefined ? code : `${code} (from '${spelling.importFrom}')`;
}
