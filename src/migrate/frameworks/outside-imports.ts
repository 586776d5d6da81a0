import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { declarationHold } from '../outside-holds.js';
import type { ImportBinding } from '../imports.js';

/**
 * An import (`import { Permissions } from 'shared/permissions'`, `const { deny } = require('../lib/auth')`) of a
 * declaration outside the run (a workspace package, a folder the run does not scan) that answers 403 from inside
 * (outside-holds.ts): its callers here answer 403 with no 403 of their own (growthbook's 619
 * `context.permissions.throwPermissionError()` calls), so the import is reported, naming where the 403 is.
 * `node` is an import declaration or a variable statement; each binding written inside it is read.
 */
export function reportOutsideImports(node: ts.Node, analysis: FileAnalysis): void {
  const link = analysis.options.link;
  if (!link?.outsideRun || !link.declaration || !link.resolve) return;
  const start = node.getStart(analysis.sourceFile);
  for (const [local, binding] of bindingsWithin(analysis, start, node.getEnd())) {
    if (binding.name === '*') continue;
    // Resolved first: a module of the run is never parsed here for its declarations.
    const target = link.resolve(binding.module);
    if (!target || !link.outsideRun(target)) continue;
    if (link.classStatus(binding)?.value === 403) continue;
    const declared = link.declaration(binding);
    if (!declared || !link.outsideRun(declared.file)) continue;
    const found = declarationHold(
      declared.sourceFile,
      declared.name,
      (b) => declared.link.classStatus(b)?.value,
    );
    if (!found) continue;
    const where = `${link.relative?.(declared.file) ?? declared.file}:${found.line}`;
    analysis.addSite({
      node: specifierAt(node, binding.specifierStart, analysis.sourceFile) ?? node,
      framework: 'error-classes',
      manual: true,
      reason: `${local} (imported from '${binding.module}') ${found.what} at ${where}, outside this run: its callers here answer 403 and are not listed. Run migrate on that folder too, or map that 403 to ${analysis.target} in the error handler.`,
    });
  }
}

/** The node of an import specifier starting at `position` inside `node`. */
function specifierAt(node: ts.Node, position: number, sourceFile: ts.SourceFile): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (found || n.getEnd() <= position || n.getStart(sourceFile) > position) return;
    if (
      n.getStart(sourceFile) === position &&
      (ts.isImportSpecifier(n) || ts.isBindingElement(n) || ts.isIdentifier(n))
    )
      found = n;
    else n.forEachChild(visit);
  };
  node.forEachChild(visit);
  return found;
}

/** A file's import bindings in the order of their specifiers, built once per file (see bindingsWithin). */
const SORTED_BINDINGS = new WeakMap<FileAnalysis, [string, ImportBinding][]>();

/**
 * The import bindings whose specifier lies in `[start, end]` (offsets in the file's text), found by a binary
 * search over the file's bindings sorted once: a module that imports 5,000 routers (one statement each) asks
 * this once per statement, and a scan of every binding per statement was quadratic (25 million steps).
 */
function bindingsWithin(analysis: FileAnalysis, start: number, end: number): [string, ImportBinding][] {
  let sorted = SORTED_BINDINGS.get(analysis);
  if (!sorted) {
    sorted = [...analysis.imports].sort((a, b) => a[1].specifierStart - b[1].specifierStart);
    SORTED_BINDINGS.set(analysis, sorted);
  }
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle][1].specifierStart < start) low = middle + 1;
    else high = middle;
  }
  const out: [string, ImportBinding][] = [];
  for (let i = low; i < sorted.length && sorted[i][1].specifierStart <= end; i++)
    if (sorted[i][1].specifierEnd <= end) out.push(sorted[i]);
  return out;
}
