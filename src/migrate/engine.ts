import { NOT_SOURCE_COMMANDS, notSourceFormat } from './not-source.js';
import { statSync } from 'node:fs';
import path from 'node:path';
import { MtlsFixError } from '../errors.js';
import { FRAMEWORK_IDS } from './frameworks/index.js';
import { demoteTestFixtures } from './test-follow.js';
import { demoteBrowserSites } from './browser-code.js';
import { SOURCE_EXTENSIONS } from './parse.js';
import { CANDIDATE_TEST } from './prefilter.js';
import { findSourcesHere, sameRequest, sourcesRequest, type FoundSources } from './sources.js';
import { buildReport } from './report.js';
import { notReadCensus } from './not-read.js';
import { ignoredLoadWarnings, loadedIgnored } from './ignored-loads.js';
import { readSuiteAssertions } from './api-suites.js';
import { buildSpecScope, startLoadingOperations, startSkeletons } from './routes/index.js';
import { settingDefaultLine } from './routes/coverage.js';
import { addCodeMapSites } from './code-maps.js';
import { settleNestGuards } from './frameworks/nest-guard-sites.js';
import { BrowserPackages } from './browser-packages.js';
import type { MigrateOptions, MigrateResult, Site, UnparsedFile } from './types.js';
import type { Discovery } from './discover.js';
import { compareText } from '../util/compare.js';
import { markPhase } from '../util/phase-marks.js';
import { RunFiles } from './run-files.js';
import { analyseFiles } from './run-analysis.js';
import { settleHelperCalls, settleProducedStatuses } from './run-helpers.js';
import { nameSharedBodies } from './rewritten-bodies.js';
import { settleHelperNotes } from './analysis/helper-notes.js';
import { settleSites } from './run-settle.js';
import { addReaderSites } from './run-readers.js';
import { settleRemaps } from './remaps-covered.js';
import { dropStaleReplacedClaims } from './test-replaced-claims.js';
import { clearRunCaches } from '../util/run-caches.js';
import { namedChecksOf } from './status-checks.js';

/**
 * The codemod: discover -> prefilter -> parse -> find sites -> (scope) -> plan edits -> splice -> verify ->
 * write. Returns data; prints nothing. Throws MtlsFixError for usage errors (before any file is touched).
 * `prestarted`: the first steps (git check, discovery, reading) already started for this very run by
 * sources.ts `startSources(sourcesRequest(options, cwd))`, as `mtls-fix migrate` does before it loads the
 * compiler; an Error (a bug) when they were started for other options.
 */
export async function migrate(options: MigrateOptions, prestarted?: FoundSources): Promise<MigrateResult> {
  const started = performance.now();
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const unknown = (options.frameworks ?? []).filter((f) => !FRAMEWORK_IDS.includes(f));
  if (unknown.length) {
    throw new MtlsFixError(
      'EUSAGE',
      `unknown framework '${unknown[0]}'.`,
      `Known: ${FRAMEWORK_IDS.join(', ')}.`,
    );
  }
  // What an earlier run in this process read of the file system is not an answer for this one (run-caches.ts).
  clearRunCaches();
  const run = new RunFiles(cwd, options);
  // The git check, discovery and the prefilter's reading (sources.ts): started by the command on a worker
  // thread before the compiler loaded, or begun here. Checked first: a dirty tree means no work at all.
  const request = sourcesRequest(options, cwd);
  if (prestarted && !sameRequest(prestarted.request, request))
    throw new Error('migrate: the sources were started for another run');
  const sources = prestarted ?? findSourcesHere(request, run.textOf);
  // --spec: a large document loads on a worker thread while the code is read and parsed (operations-thread.ts).
  const specOperations = options.spec ? startLoadingOperations(options.spec, cwd) : undefined;
  const discovery = await sources.discovery();
  markPhase('migrate/discovery');
  // Test-folder promotion (a source in `src/test/` that sources import) and test-helper demotion need every
  // file's text: on the worker thread they come after its reads (sources.ts `classified`). A plain run starts
  // on the flags by name and folder and settles the files whose flag turned after phase 1 (run-analysis.ts);
  // --spec reads routes from every non-test file from the start, so it waits for the final flags.
  const first = options.spec ? (await sources.classified()).files : discovery.files;
  if (!first.length && !onlyHarmlessFilesNamed(cwd, options.paths, discovery)) {
    const reasons = Object.entries(discovery.skipped).map(([reason, n]) => `${n} ${reason}`);
    throw new MtlsFixError(
      'ENOENT',
      `no source files (${SOURCE_EXTENSIONS.join(' ')}) under ${(options.paths ?? ['.']).map((p) => (p === '.' || p === './' ? 'the current folder' : p)).join(', ')}${reasons.length ? ` (skipped: ${reasons.join(', ')})` : ''}.${unparsedNote(discovery.unparsed)}`,
      discovery.unparsed.length
        ? discovery.unparsed.every((u) => notSourceFormat(u.file) !== undefined)
          ? `Name the JavaScript or TypeScript server (mtls-fix migrate src/); ${NOT_SOURCE_COMMANDS}.`
          : 'Review those files by hand (mtls-fix migrate rewrites JavaScript and TypeScript only), or pass the folders that hold the JavaScript or TypeScript server.'
        : discovery.skipped['node-modules']
          ? 'Source git tracks under node_modules is not walked: name its package folder (mtls-fix migrate packages/node_modules/<name>).'
          : discovery.generated?.length
            ? `Output folders are not walked, and ${discovery.generated
                .map((g) => `${g.file}:${g.line}`)
                .slice(0, 3)
                .join(
                  ', ',
                )} ${discovery.generated.length === 1 ? 'holds' : 'hold'} a 403 form: rewrite the source ${discovery.generated.length === 1 ? 'it is' : 'they are'} built from, or name the folder if it is your source (mtls-fix migrate ${discovery.generated[0].file.split('/')[0]}).`
            : 'Check the paths; declaration files, minified files, output folders and git-ignored files are never rewritten.',
    );
  }
  run.setFiles(first, discovery.minified);
  // --spec: routes are read from every non-test source file (mounts and handlers need not hold a 403); on a
  // big project the files with no 403 form are read, parsed and trimmed on a worker thread meanwhile.
  const routeSources = first.filter((f) => !f.test);
  // A browser app's files (a monorepo's frontend) register no server route: the route graph does not walk
  // them, nor does the skeleton thread read them (they are parsed only if a walked file resolves to one).
  const browser = options.spec ? new BrowserPackages(cwd) : undefined;
  const walked = (file: { absolute: string }): boolean => !browser?.isBrowserFile(file.absolute);
  // The prefilter pass reads from the sources thread (sources.ts), so the skeleton thread reads route files only.
  // The sources thread's prefilter answers (all in by `classified`) spare the skeleton thread and the route graph
  // testing the files again (and this thread building the prefilter's index of its pattern).
  const prefiltered = options.spec ? sources.prefiltered() : () => undefined;
  const skeletons = options.spec
    ? startSkeletons(routeSources.filter(walked), [], 'both', prefiltered)
    : undefined;

  const { files, scanned, skipped } = await analyseFiles(
    run,
    sources,
    first,
    discovery.skipped,
    !!options.includeTests,
    options.onProgress,
  );
  settleHelperCalls(run);
  settleProducedStatuses(run, options.status);
  nameSharedBodies(run.analyses.values(), options.status);
  // --spec: the route graph, after the analysis (which does not need it) so the skeletons are made meanwhile.
  const scope = options.spec
    ? await buildSpecScope({
        ...options.spec,
        cwd,
        sources: routeSources,
        walked,
        // Shared only for files the analysis may read (a 403 form in the text); the route graph trims the
        // rest to what routes need, so their full trees are not kept alive for the run (routes/skeleton.ts).
        parsed: (absolute) =>
          (prefiltered(absolute) ?? CANDIDATE_TEST.test(run.textOf(absolute)))
            ? run.sourceOf(absolute)
            : undefined,
        text: run.textOf,
        skeletons,
        operations: specOperations,
      })
    : undefined;
  if (scope) markPhase('migrate/spec-scope');

  const analyses = [...run.analyses.values()];
  // Error codes that a project's code map turns into 403 (`new ApiError({ code: 'forbidden' })`).
  addCodeMapSites(analyses);
  // NestJS guards: each guard class that can return false gets the routes that use it (nest-guard-sites.ts).
  settleNestGuards(analyses);
  // --include-tests: a test file's own servers and errors are its scaffolding (test-follow.ts).
  for (const analysis of analyses) demoteTestFixtures(analysis);
  // Browser code reads 403s, never sends them (browser-code.ts).
  for (const analysis of analyses) demoteBrowserSites(analysis);

  const settled = await settleSites(run, options, files, scope);
  // Each shared helper's note counts the calls the run rewrote, now decided (a test's own call demoted to a
  // fixture, an ignored or out-of-scope call is not rewritten through it; helper-notes.ts).
  const kept = new Set(settled.sites);
  const written = (site: Site): boolean =>
    kept.has(site) && !site.ignoreReason && !settled.outOfScope.has(site) && !settled.refused.has(site);
  settleHelperNotes(run.analyses.values(), written);
  // A constant's reason must not claim a rewrite of a read the test follower left (test-replaced-claims.ts).
  dropStaleReplacedClaims(
    settled.sites,
    (site) => run.lineAndColumn(site).line,
    (site) => site.kind === 'rewrite' && written(site),
    options.status,
  );
  addReaderSites(run, files, settled, scope, options.status);
  // Implicit 403s a central remap in the code or the gateway already answers (remaps-covered.ts).
  const remapSpans = await settleRemaps({
    cwd,
    analyses: run.analyses.values(),
    sites: settled.sites,
    refused: settled.refused,
    occurrences: settled.occurrences,
    target: options.status,
    files,
    // A file with no 403 form that registers a remap (`app.use(errorHandler)`): read for remaps only.
    aside: (file, text) => run.analyzeAside(file, text),
    textOf: (absolute) => run.peekText(absolute),
  });

  const { errors } = run;
  // Git-ignored files the scanned source loads that hold a 403 form (a generated router): named, never a count.
  const ignoredLoads = loadedIgnored({
    cwd,
    ignored: discovery.ignored ?? [],
    importers: (await sources.classified()).ignoredImports ?? [],
    resolve: (specifier, from) => run.links.resolve(specifier, from),
  });
  const report = buildReport({
    status: options.status,
    mode: options.mode,
    // A minified file (or a UTF-16 one with no 403) was counted when read; it is counted as skipped instead.
    filesScanned: scanned - run.minified.size - run.wideFiles.size,
    // A file that parsed but could not be written (not UTF-8, changed meanwhile) is parsed; one that did not
    // parse is counted as failed, never as parsed (its error says why).
    filesParsed: run.analyses.size,
    filesFailed: new Set(
      errors.filter((e) => !run.analyses.has(path.resolve(cwd, e.file))).map((e) => e.file),
    ).size,
    filesChanged: settled.changed,
    sites: settled.sites,
    // A value moved to its declaration is reported there, with the reads it serves (edited-places.ts).
    places: settled.places,
    folded: settled.folded,
    refused: settled.refused,
    errors,
    lineOf: (site) => run.lineAndColumn(site),
    occurrences: settled.occurrences,
    namedChecks: namedChecksOf(run.analyses.values(), settled, remapSpans),
    outOfScope: settled.outOfScope,
    positionOf: (file, offset) => run.position(file, offset),
    explain: options.explain ?? false,
    // 403s in files the run named but could not read (not-read.ts): counted, never a census of 0.
    notRead: notReadCensus({
      cwd,
      errors,
      analysed: (file) => run.analyses.has(path.resolve(cwd, file)),
      unparsed: discovery.unparsed,
      minified: run.minifiedFiles,
      nodeModules: discovery.nodeModules,
      generated: discovery.generated,
      ignoredLoads,
      textOf: run.textOf,
    }),
  });
  report.report.frameworks = [...new Set([...run.analyses.values()].flatMap((a) => a.frameworks))].sort();
  const skippedAll = { ...skipped };
  if (run.minified.size) skippedAll.minified = (skippedAll.minified ?? 0) + run.minified.size;
  if (run.wideFiles.size) skippedAll['not-utf8'] = run.wideFiles.size;
  report.report.skipped = Object.fromEntries(Object.entries(skippedAll).sort(([a], [b]) => (a < b ? -1 : 1)));
  report.report.warnings = [
    ...discovery.warnings,
    // Outside a work tree nothing checked the tree was clean, and there is no diff to review or undo.
    ...(options.mode === 'write' && !options.force && !discovery.inWorkTree && settled.changed
      ? [
          `${settled.changed} file${settled.changed === 1 ? ' was' : 's were'} rewritten in a folder that is not in a git work tree, ` +
            'so no clean-tree check ran and there is no diff to review or undo: keep a copy (or git init and commit) before a ' +
            'run, and preview with --dry-run.',
        ]
      : []),
    ...[...run.minified].sort(([a], [b]) => compareText(a, b)).map(([, warning]) => warning),
    ...ignoredLoadWarnings(ignoredLoads),
  ];
  if (settled.skippedTests) report.report.skippedTestAssertions = settled.skippedTests;
  if (settled.skippedMayFail) report.report.skippedTestsMayFail = settled.skippedMayFail;
  if (settled.skippedStandIns) report.report.skippedTestStandIns = settled.skippedStandIns;
  // API tests outside code (a Postman collection, .hurl files) assert what the server answered: named once a site
  // changes or needs a person, since their 403s then go with it (api-suites.ts).
  const census = report.report.census;
  if (discovery.suites && census.rewritten + census.manual > 0) {
    const suites = readSuiteAssertions(discovery.suites);
    if (suites.assertions.length) report.report.suiteAssertions = suites.assertions;
    // A suite that could not be read may hold 403 checks too: named, never passed over.
    for (const { file, tool, reason } of suites.unread)
      report.report.warnings.push(
        `${file}: a ${tool} test file, not read (${reason}): check its assertions on 403 by hand.`,
      );
  }
  if (discovery.unparsed.length) report.report.unparsed = discovery.unparsed;
  if (discovery.generated?.length) report.report.generated = discovery.generated;
  if (ignoredLoads.length) report.report.ignoredLoads = ignoredLoads;
  if (run.minifiedFiles.length)
    report.report.minified = run.minifiedFiles.sort((a, b) => compareText(a.file, b.file));
  if (scope) report.report.coverage = scope.coverage(report.report);
  // A prefix the test follower read from a setting's default is named too (the coverage names --spec's own).
  const named = new Set(report.report.coverage?.settingDefaults?.map((d) => `${d.file}:${d.line}`));
  for (const d of settled.testDefaults ?? [])
    if (!named.has(`${d.file}:${d.line}`))
      report.report.warnings.push(settingDefaultLine(d, 'to link test requests to routes'));
  markPhase('migrate/report');
  return {
    report: report.report,
    diff: settled.diff,
    elapsedMs: performance.now() - started,
    sourceLines: report.sourceLines,
  };
}

/**
 * The files of another language, and the data files named on the command line (not-source.ts), that hold a 403
 * form, for the "no source files" error: they are the reason a folder of Go or Java code has nothing to rewrite,
 * and must be named even then (five of each kind, then a count).
 */
function unparsedNote(unparsed: readonly UnparsedFile[]): string {
  const data = unparsed.filter((u) => notSourceFormat(u.file) !== undefined);
  const code = unparsed.filter((u) => notSourceFormat(u.file) === undefined);
  const listed = (files: readonly UnparsedFile[]): string => {
    const named = files
      .slice(0, 5)
      .map((u) => `${u.file}${u.line === undefined ? '' : `:${u.line}`} (${u.language})`);
    return `${named.join(', ')}${files.length > 5 ? ` and ${files.length - 5} more` : ''}`;
  };
  const holds = (n: number): string => (n === 1 ? 'This file holds' : `These ${n} files hold`);
  return [
    code.length
      ? ` ${holds(code.length)} a 403 form or a check that answers 403 in a language migrate does not rewrite: ${listed(code)}.`
      : '',
    data.length
      ? ` ${holds(data.length)} a 403 form and ${data.length === 1 ? 'is' : 'are'} not source code: ${listed(data)}.`
      : '',
  ].join('');
}

/**
 * Whether the run was given files only (no folder: what a pre-commit hook or lint-staged passes) and every one
 * was skipped for what it is (a declaration, a generated or git-ignored file, a minified file with no 403 form),
 * none in another language nor holding a 403 form: then there is nothing to check, and the run reports so with
 * its warnings instead of failing the commit (breaker27 #04: a commit of `src/env.d.ts` alone was refused).
 */
function onlyHarmlessFilesNamed(
  cwd: string,
  paths: readonly string[] | undefined,
  discovery: Discovery,
): boolean {
  if (!paths?.length || discovery.unparsed.length || discovery.minified.length) return false;
  if (discovery.skipped['node-modules'] || discovery.skipped['outside-work-tree']) return false;
  return paths.every((entry) => {
    try {
      return statSync(path.resolve(cwd, entry)).isFile();
    } catch {
      return false;
    }
  });
}
