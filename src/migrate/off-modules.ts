import ts from '../typescript.cjs';
import { FileAnalysis } from './analysis.js';
import { findOccurrences, siteAt } from './census.js';
import { inNumberTable } from './census-number-tables.js';
import { tokenNode } from './census-occurrences.js';
import { nodePath } from './node-path.js';
import type { Framework } from './frameworks/framework.js';
import type { Site } from './types.js';

/**
 * A second reading of the 403s the file's own modules left unexplained, by the modules that are off for it.
 *
 * Modules are switched on per file, from what the file imports and the package.json files above it
 * (frameworks/index.ts `selectFrameworks`). A framework that arrives through another package (openforis/arena
 * declares `@openforis/arena-server`, which brings Express) is on for no file that does not import it itself,
 * so `res.status(StatusCodes.FORBIDDEN)` in a helper module read as "a shape mtls-fix does not know". For each
 * occurrence no site covers, the off modules read the statement that holds it (never the whole file again);
 * when one recognises the form, the 403 becomes a manual site that names the module, what it would write, and
 * how to switch it on. Nothing is rewritten from a module the file does not enable.
 *
 * @param analysis the file's analysis after its own modules ran (sites and not-an-emit marks so far).
 * @param off the modules that did not run on the file, in their usual order.
 */
export function reportOffModuleReadings(analysis: FileAnalysis, off: readonly Framework[]): void {
  if (!off.length) return;
  const statements = new Set<ts.Node>();
  for (const occurrence of findOccurrences(analysis)) {
    if (occurrence.form === 'comment') continue;
    if (siteAt(analysis.sites, occurrence.start, occurrence.end)) continue;
    if (analysis.notAnEmitRanges.some((r) => r.start <= occurrence.start && occurrence.end <= r.end))
      continue;
    // A number of a data table: no module reads one as a status, and the table may be megabytes long.
    const token = occurrence.form === 'number' ? tokenNode(analysis.sourceFile, occurrence.start) : undefined;
    if (token && inNumberTable(token)) continue;
    const statement = statementAt(analysis.sourceFile, occurrence.start);
    if (statement) statements.add(statement);
  }
  if (!statements.size) return;
  const shadow = new FileAnalysis(analysis.file, analysis.text, analysis.sourceFile, analysis.options);
  shadow.frameworks = off.map((f) => f.id);
  for (const statement of statements) {
    const visit = (node: ts.Node): void => {
      for (const module of off)
        if (!module.kinds || module.kinds.includes(node.kind)) module.visit(node, shadow);
      ts.forEachChild(node, visit);
    };
    visit(statement);
  }
  for (const site of shadow.sites) {
    if (site.kind !== 'rewrite' || siteAt(analysis.sites, site.span.start, site.span.end)) continue;
    const module = off.find((f) => f.id === site.framework);
    if (!module) continue;
    const node = nodeAt(analysis.sourceFile, site);
    if (!node) continue;
    analysis.addSite({
      node,
      framework: site.framework,
      manual: true,
      reason: offReason(module, site),
      cover: site.span,
    });
  }
}

/** Why an off module's reading is left to a person, and how to switch the module on. */
function offReason(module: Framework, site: Site): string {
  const enablers = module.enablers.slice(0, 3).join(', ');
  const rewrite = site.replacement ? ` (it would write ${site.replacement})` : '';
  return `Reads as ${module.id}${rewrite}, but that module is off for this file: no package.json above it depends on ${enablers} and the file imports none of them. Declare the dependency where this code runs (or pass --framework ${module.id} beside the others the project needs) and run again, or change the status by hand.`;
}

/**
 * The statement around `position` that an off module reads: the nearest expression, variable, return, throw or
 * export statement; a compound statement (`if`, a loop, a block) is never read whole, only its own expression.
 */
function statementAt(sourceFile: ts.SourceFile, position: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  for (const node of nodePath(sourceFile, position)) {
    if (position < node.getStart(sourceFile) || position >= node.end) break;
    if (
      ts.isExpressionStatement(node) ||
      ts.isVariableStatement(node) ||
      ts.isReturnStatement(node) ||
      ts.isThrowStatement(node) ||
      ts.isExportAssignment(node) ||
      (ts.isIfStatement(node) && position < node.expression.end) ||
      (ts.isPropertyDeclaration(node) && node.initializer !== undefined)
    )
      found = node;
  }
  return found && ts.isIfStatement(found) ? found.expression : found;
}

/** The node a shadow site stands at (the same `start`/`end`: its form, or the token it was placed on). */
function nodeAt(sourceFile: ts.SourceFile, site: Site): ts.Node | undefined {
  for (const node of nodePath(sourceFile, site.start)) {
    const start = node.getStart(sourceFile);
    if (site.start < start || site.end > node.end) return undefined;
    if (start === site.start && node.end === site.end) return node;
  }
  return undefined;
}
