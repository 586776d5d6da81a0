import type { DiscoveredFile } from './discover.js';
import type { ProjectLinks } from './links.js';
import { CANDIDATE_TEST } from './prefilter.js';
import type { RunFiles } from './run-files.js';
import type { FoundSources } from './sources.js';
import { escapeRegExp } from '../util/regexp.js';
import { markPhase } from '../util/phase-marks.js';
import { outsideImporters } from './workspace-scan.js';
import { codeMapNames } from './code-maps.js';
import { aliasedExports } from './census-aliases.js';
import { noteReexports } from './reexported-modules.js';
import { SPECIFIER_SOURCE } from './import-specifiers.js';

/** How many local modules a file names to be a hub (`isHub`). */
const HUB_MODULES = 32;

const SPECIFIER = new RegExp(SPECIFIER_SOURCE, 'g');

/**
 * Whether `text` names at least {@link HUB_MODULES} local modules (`./x`, `../x`; import-specifiers.ts
 * SPECIFIER_SOURCE), as an `app.ts` wiring every router does. Its analysis asks each of them what it re-exports
 * (transform.ts `importedModules`); the reading thread answers that for the files it reads without a 403 form
 * (read-ahead.ts `ReadFile.reexports`), so a hub waits until the thread has read them rather than read them all
 * again here (5,000 reads on the bench tree). Analysis order does not change the results: the cross-file phases
 * run after every analysis.
 */
function isHub(text: string): boolean {
  let named = 0;
  for (const match of text.matchAll(SPECIFIER))
    if (match[2].startsWith('.') && ++named >= HUB_MODULES) return true;
  return false;
}

/** What the analysis phases leave for the rest of the run. */
export interface AnalysedFiles {
  /** The run's files with their final test flags. */
  files: DiscoveredFile[];
  /** Files scanned (tests only with `--include-tests`). */
  scanned: number;
  /** Reason -> count of the files not scanned (the discovery's, and `test`). */
  skipped: Record<string, number>;
}

/**
 * The analysis phases of a run: phase 1 analyses each file whose text holds a 403 form, as the sources thread
 * hands the texts over (read and prefiltered ahead, sources.ts); then the final test flags (a file whose flag
 * turned is analysed again as what it is, or dropped with the tests); then the files with no 403 form that import
 * a 403 name fixed outside the run (workspace-scan.ts) or exported by an analysed file (phase 2,
 * `analyzeImporters`). The analyses land in `run`.
 *
 * @param files the files to start on (discovery's, or for `--spec` already the final classification's).
 * @param skipped the discovery's skipped counts (copied, `test` added).
 * @param onProgress called after each file of phase 1 with (done, total).
 */
export async function analyseFiles(
  run: RunFiles,
  sources: FoundSources,
  files: DiscoveredFile[],
  skipped: Readonly<Record<string, number>>,
  includeTests: boolean,
  onProgress?: (done: number, total: number) => void,
): Promise<AnalysedFiles> {
  const counts: Record<string, number> = { ...skipped };
  let scanned = 0;
  const waiting: DiscoveredFile[] = [];
  // The specifiers a waiting file names, as the reading thread took them: the outside-import pass below reads
  // them instead of the file's text (workspace-scan.ts).
  const importsOf = new Map<string, readonly string[]>();
  // Read (and prefiltered) on a worker thread ahead of the analysis (sources.ts, read-ahead.ts).
  const read = sources.reader(run.texts, run.textOf);
  // Files naming many local modules, analysed once every file has been read (see `isHub`).
  const hubs: [DiscoveredFile, string][] = [];
  for (const [index, file] of files.entries()) {
    if (file.test && !includeTests) {
      counts.test = (counts.test ?? 0) + 1;
      continue;
    }
    scanned++;
    const source = await read(file.absolute);
    if (source.candidate) {
      if (sources.threaded && isHub(source.text)) hubs.push([file, source.text]);
      else run.analyze(file, source.text);
    } else {
      waiting.push(file);
      if (source.imports) {
        importsOf.set(file.absolute, source.imports);
        // Taken with `imports` (read-ahead.ts `ReadFile.reexports`): the analysis of its importers reads it no more.
        noteReexports(file.absolute, source.reexports ?? []);
        if (source.plainExports) run.links.notePlainExports(file.absolute, source.plainExports);
      }
    }
    onProgress?.(index + 1, files.length);
  }
  for (const [file, text] of hubs) run.analyze(file, text);
  markPhase('migrate/analysis');
  // The final test flags: a file whose flag turned is analysed again as what it is, or dropped with the tests.
  const final = (await sources.classified()).files;
  if (final !== files) {
    const turned = final.filter((file, index) => file.test !== files[index].test);
    files = final;
    run.setFiles(final);
    const waitingNow = new Set(waiting.map((f) => f.absolute));
    for (const file of turned) {
      // The flag before was the other one: a test was scanned only with --include-tests.
      const scannedBefore = file.test || includeTests;
      const scannedNow = !file.test || includeTests;
      run.forget(file);
      waitingNow.delete(file.absolute);
      if (scannedBefore !== scannedNow) {
        scanned += scannedNow ? 1 : -1;
        counts.test = (counts.test ?? 0) + (scannedNow ? -1 : 1);
        if (!counts.test) delete counts.test;
      }
      if (!scannedNow) continue;
      const text = run.textOf(file.absolute);
      if (CANDIDATE_TEST.test(text)) run.analyze(file, text);
      else waitingNow.add(file.absolute);
    }
    waiting.splice(0, waiting.length, ...files.filter((f) => waitingNow.has(f.absolute)));
  }
  markPhase('migrate/classified');
  // A 403 class (or constant) fixed in a module the run does not scan (a workspace package): its importers.
  const outside = new Set(
    outsideImporters(
      waiting,
      run.links,
      run.textOf,
      (absolute) => run.file(absolute) !== undefined,
      (absolute) => importsOf.get(absolute),
    ).map((file) => {
      run.analyze(file, run.textOf(file.absolute));
      return file.absolute;
    }),
  );
  analyzeImporters(
    waiting.filter((file) => !outside.has(file.absolute)),
    [...run.analyses.keys()],
    (absolute) => [
      ...run.links.bearingNames(absolute),
      // `export { Forbidden as NoAccess } from '…'`: its importers' uses hold no 403 form (census-aliases.ts).
      ...aliasedExportsOf(run, absolute),
      ...(run.analyses.get(absolute)?.dataProducers ?? []),
      ...(run.analyses.get(absolute)?.upstreamProducers ?? []),
      // A class answering 403 by its parent: a class of another file may extend it (nest-exception-chain.ts).
      ...(run.analyses.get(absolute)?.forbiddenClasses ?? []),
      // A code table's name and its 403 codes: its readers and the throws of those codes (code-maps.ts).
      ...codeMapNamesOf(run, absolute),
    ],
    run.links,
    run.textOf,
    (file) => run.analyze(file, run.textOf(file.absolute)),
  );
  markPhase('migrate/importers');
  return { files, scanned, skipped: counts };
}

/**
 * Phase 2 of the prefilter: a file with no 403 form of its own is analysed when its text names a 403 that an
 * analysed file exports (`NO_ACCESS`, `Codes.Forbidden`'s member, a barrel's re-export), and its imports
 * resolve to it (the link does that during analysis), or names a function of it that returns a 403 result as data
 * (`FileAnalysis.dataProducers`: a caller may send its status) or an upstream's Response
 * (`FileAnalysis.upstreamProducers`: a handler may return it). Repeats while newly analysed files export new names
 * (a barrel re-exporting under another name). Only the names are matched here; parsing stays on candidates.
 */
function analyzeImporters(
  waiting: DiscoveredFile[],
  analysed: string[],
  bearingNames: (absolute: string) => string[],
  links: ProjectLinks,
  textOf: (absolute: string) => string,
  analyze: (file: DiscoveredFile) => unknown,
): void {
  const known = new Set<string>();
  let fresh = analysed;
  let rest = waiting;
  while (fresh.length && rest.length) {
    const names = fresh.flatMap(bearingNames).filter((n) => !known.has(n));
    names.forEach((n) => known.add(n));
    // A default/whole export is imported under any name: match the specifier that names its file.
    const specifiers = fresh.flatMap((f) => links.bearingSpecifiers(f)).filter((n) => !known.has(`/${n}`));
    specifiers.forEach((n) => known.add(`/${n}`));
    if (!names.length && !specifiers.length) return;
    const pattern = new RegExp(
      [
        ...(names.length ? [`(?<![\\w$])(?:${names.map(escapeRegExp).join('|')})(?![\\w$])`] : []),
        ...(specifiers.length
          ? [`['"](?:[^'"\\n]*/)?(?:${specifiers.map(escapeRegExp).join('|')})(?:\\.[cm]?[jt]sx?)?['"]`]
          : []),
      ].join('|'),
    );
    const next: DiscoveredFile[] = [];
    fresh = [];
    for (const file of rest) {
      if (pattern.test(textOf(file.absolute))) {
        analyze(file);
        fresh.push(file.absolute);
      } else next.push(file);
    }
    rest = next;
  }
}

/** The names an analysed file exports for a 403 name under another name (census-aliases.ts), for phase 2. */
function aliasedExportsOf(run: RunFiles, absolute: string): string[] {
  const analysis = run.analyses.get(absolute);
  return analysis ? aliasedExports(analysis) : [];
}

/** The names of an analysed file's code maps and their 403 codes (code-maps.ts), for phase 2. */
function codeMapNamesOf(run: RunFiles, absolute: string): string[] {
  const analysis = run.analyses.get(absolute);
  return analysis ? codeMapNames(analysis) : [];
}
