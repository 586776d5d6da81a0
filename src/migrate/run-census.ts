import type { FileAnalysis } from './analysis.js';
import { takeCensus, type Occurrence } from './census.js';
import { siteNames } from './census-site-names.js';
import { installedMethods, keepInstalledCalls } from './installed-methods.js';
import type { ProjectLinks } from './links.js';
import { topLevelDeclaration, type ImportedDeclarations } from './references.js';
import type { RunFiles } from './run-files.js';
import type { Site } from './types.js';

/** Takes one analysed file's census (absolute path, analysis) -> its occurrences of 403, each classified. */
export type CensusTaker = (absolute: string, analysis: FileAnalysis) => Occurrence[];

/**
 * Readies the census of a run once every site is known (census.ts): the declarations each file imports from
 * another analysed file, the response methods the project installs itself (a `reply.forbidden()` it defines is its
 * own function, not a library helper to rename: those calls are kept, installed-methods.ts), the names the sites
 * read (census-site-names.ts; `inScope` says whether a rewrite's edits will be applied). Mutates
 * the analyses' sites (the installed calls kept); returns the census of one file.
 *
 * @param aside analyses made outside the run, by absolute path (a plain run's skipped test files, skipped-tests.ts),
 *   read as if they were the run's own: their census is then the one `--include-tests` would take.
 */
export function censusTaker(
  run: RunFiles,
  inScope?: (site: Site) => boolean,
  aside: ReadonlyMap<string, FileAnalysis> = new Map(),
): CensusTaker {
  const analyses = aside.size ? new Map([...run.analyses, ...aside]) : run.analyses;
  const declarations = importedDeclarations(analyses, run.links);
  const installed = installedMethods(analyses, declarations);
  // The run's own analyses were readied by the run's taker; aside, only the new ones are.
  for (const analysis of (aside.size ? aside : run.analyses).values())
    keepInstalledCalls(analysis, installed);
  // Names read inside the sites (a constant's definition is accounted under them), inside the rewritten ones (a
  // reason phrase another file holds under one stays there), and those the rewrites replace (`res.status(DENIED)`
  // written `res.status(401)`: DENIED's definition keeps 403 and is reported). `inScope`: a rewrite a site filter
  // or `--spec` leaves out still reads what it reads.
  const names = siteNames(analyses.values(), inScope);
  return (absolute, analysis) => takeCensus(analysis, names, declarations(absolute), installed);
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
