import type { FileAnalysis } from './analysis.js';
import { takeCensus, wordsOf, type Occurrence } from './census.js';
import { installedMethods, keepInstalledCalls } from './installed-methods.js';
import type { ProjectLinks } from './links.js';
import { topLevelDeclaration, type ImportedDeclarations } from './references.js';
import type { RunFiles } from './run-files.js';

/** Takes one analysed file's census (absolute path, analysis) -> its occurrences of 403, each classified. */
export type CensusTaker = (absolute: string, analysis: FileAnalysis) => Occurrence[];

/**
 * Readies the census of a run once every site is known (census.ts): the declarations each file imports from
 * another analysed file, the response methods the project installs itself (a `reply.forbidden()` it defines is its
 * own function, not a library helper to rename: those calls are kept, installed-methods.ts), the names read inside
 * every site and inside the rewritten ones (a reason phrase another file holds under one stays there). Mutates
 * the analyses' sites (the installed calls kept); returns the census of one file.
 */
export function censusTaker(run: RunFiles): CensusTaker {
  const declarations = importedDeclarations(run.analyses, run.links);
  const installed = installedMethods(run.analyses, declarations);
  for (const analysis of run.analyses.values()) keepInstalledCalls(analysis, installed);
  const siteWords = new Set<string>();
  for (const analysis of run.analyses.values())
    for (const word of wordsOf(analysis.sites, () => analysis.text)) siteWords.add(word);
  // Names read inside the forms this run rewrites: a reason phrase another file holds under one stays there.
  const rewriteWords = new Set<string>();
  for (const analysis of run.analyses.values())
    for (const word of wordsOf(
      analysis.sites.filter((s) => s.kind === 'rewrite'),
      () => analysis.text,
    ))
      rewriteWords.add(word);
  return (absolute, analysis) =>
    takeCensus(
      analysis,
      (name) => siteWords.has(name),
      declarations(absolute),
      installed,
      (name) => rewriteWords.has(name),
    );
}

/**
 * For the census links: an imported name's declaration in another analysed file, with that file's sites as
 * the modules found them (taken before any census runs, so the links do not depend on file order).
 */
function importedDeclarations(
  analyses: ReadonlyMap<string, FileAnalysis>,
  links: ProjectLinks,
): (absolute: string) => ImportedDeclarations {
  const moduleSites = new Map([...analyses].map(([absolute, a]) => [absolute, [...a.sites]]));
  return (absolute) => (binding) => {
    if (binding.name === '*') return undefined;
    const defined = links.definition(absolute, binding.module, binding.name);
    const analysis = defined && analyses.get(defined.file);
    const node = analysis && topLevelDeclaration(analysis.sourceFile, defined.name);
    return analysis && node ? { analysis, node, sites: moduleSites.get(defined.file) ?? [] } : undefined;
  };
}
