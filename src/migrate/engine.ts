import { cachedTextReader } from './read-ahead.js';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { MtlsFixError } from '../errors.js';
import type { FileAnalysis, HelperParam } from './analysis.js';
import { dependenciesAbove, type DiscoveredFile } from './discover.js';
import { selectFrameworks, FRAMEWORK_IDS, type Framework } from './frameworks/index.js';
import { takeCensus, wordsOf, type Occurrence } from './census.js';
import { topLevelDeclaration, type ImportedDeclarations } from './references.js';
import { installedMethods, keepInstalledCalls } from './installed-methods.js';
import { demoteTestFixtures, TestFollower } from './test-follow.js';
import { demoteBrowserSites } from './browser-code.js';
import { ProjectLinks } from './links.js';
import {
  firstErrorMessage,
  parseFailureHint,
  parseSource,
  SOURCE_EXTENSIONS,
  syntaxErrors,
} from './parse.js';
import { CANDIDATE_TEST } from './prefilter.js';
import { settleResultReads, topLevelFunction, type Producer } from './result-producers.js';
import { exportNamesOf } from './analysis/call-sites.js';
import { firstOccurrence, minifiedShape, minifiedWarning } from './minified.js';
import { findSourcesHere, sameRequest, sourcesRequest, type FoundSources } from './sources.js';
import type ts from '../typescript.cjs';
import { buildRouteIndex, findReaders } from './readers.js';
import { findTrpcCodeReaders } from './trpc-readers.js';
import { settleCaughtClasses } from './nest-filters.js';
import { buildReport } from './report.js';
import { ModuleResolver } from './resolve.js';
import { buildSpecScope, startLoadingOperations, startSkeletons } from './routes/index.js';
import { trimForRoutes, wiringMethodNames } from './routes/skeleton.js';
import { WIRINGS } from './routes/wirings.js';
import { addCodeMapSites, codeMapNames } from './code-maps.js';
import { settleNestGuards } from './frameworks/nest-guard-sites.js';
import { BrowserPackages } from './browser-packages.js';
import { analyzeSource, ignoreReason, localHelpers, planFile, rewriteHelperCalls } from './transform.js';
import type {
  MigrateOptions,
  MigrateResult,
  MinifiedFile,
  ReportError,
  Site,
  SiteDecision,
  UnparsedFile,
} from './types.js';
import { PlannedWrites } from './write-plans.js';
import { compareText } from '../util/compare.js';
import { markPhase } from '../util/phase-marks.js';
import { inheritedHelpers } from './inherited-helpers.js';
import { addReturnedResponseCompanions } from './returned-responses.js';
import { escapeRegExp } from '../util/regexp.js';
import { outsideImporters } from './workspace-scan.js';

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
  const texts = new Map<string, string>();
  const textOf = cachedTextReader(texts);
  // The git check, discovery and the prefilter's reading (sources.ts): started by the command on a worker
  // thread before the compiler loaded, or begun here. Checked first: a dirty tree means no work at all.
  const request = sourcesRequest(options, cwd);
  if (prestarted && !sameRequest(prestarted.request, request))
    throw new Error('migrate: the sources were started for another run');
  const sources = prestarted ?? findSourcesHere(request, textOf);
  // --spec: a large document loads on a worker thread while the code is read and parsed (operations-thread.ts).
  const specOperations = options.spec ? startLoadingOperations(options.spec, cwd) : undefined;
  const discovery = await sources.discovery();
  markPhase('migrate/discovery');
  // Test-folder promotion (a source in `src/test/` that sources import) and test-helper demotion need every
  // file's text: on the worker thread they come after its reads (sources.ts `classified`). A plain run starts
  // on the flags by name and folder and settles the files whose flag turned after phase 1 (below, `final`);
  // --spec reads routes from every non-test file from the start, so it waits for the final flags.
  let files = options.spec ? (await sources.classified()).files : discovery.files;
  const skipped = { ...discovery.skipped };
  if (!files.length) {
    const reasons = Object.entries(discovery.skipped).map(([reason, n]) => `${n} ${reason}`);
    throw new MtlsFixError(
      'ENOENT',
      `no source files (${SOURCE_EXTENSIONS.join(' ')}) under ${(options.paths ?? ['.']).join(', ')}${reasons.length ? ` (skipped: ${reasons.join(', ')})` : ''}.${unparsedNote(discovery.unparsed)}`,
      discovery.unparsed.length
        ? 'Review those files by hand (mtls-fix migrate rewrites JavaScript and TypeScript only), or pass the folders that hold the JavaScript or TypeScript server.'
        : discovery.skipped['node-modules']
          ? 'Source git tracks under node_modules is not walked: name its package folder (mtls-fix migrate packages/node_modules/<name>).'
          : 'Check the paths; declaration files, minified files, output folders and git-ignored files are never rewritten.',
    );
  }
  // Modules per file: from what the file imports and the package.json files above it (DESIGN §6).
  const dependencyCache = new Map<string, ReadonlySet<string>>();
  const frameworksFor =
    (file: DiscoveredFile) =>
    (imports: readonly string[]): Framework[] =>
      selectFrameworks(
        options.frameworks,
        dependenciesAbove(path.dirname(file.absolute), dependencyCache),
        imports,
      );
  const errors: ReportError[] = [];
  const analyses = new Map<string, FileAnalysis>();
  const byAbsolute = new Map(files.map((f) => [f.absolute, f]));
  // Cross-file phase: parsed trees are shared between export reading and analysis (each file parsed once).
  const parsed = new Map<string, ts.SourceFile>();
  const sourceOf = (absolute: string): ts.SourceFile | undefined => {
    let sourceFile = parsed.get(absolute);
    if (!sourceFile) {
      try {
        sourceFile = parseSource(byAbsolute.get(absolute)?.relative ?? absolute, textOf(absolute));
      } catch {
        return undefined;
      }
      parsed.set(absolute, sourceFile);
    }
    return sourceFile;
  };
  const links = new ProjectLinks(new ModuleResolver(), sourceOf);
  // For a route graph built over the whole project (the test follower's): the trees the run already holds, and
  // for every other file a tree trimmed to what routes need (routes/skeleton.ts), as `--spec` does: bodies that
  // cannot register or reach a route are not walked again and again, nor kept whole for the run.
  const wiringMethods = wiringMethodNames(WIRINGS);
  const routeTrees = new Map<string, ts.SourceFile | undefined>();
  const routeTree = (absolute: string): ts.SourceFile | undefined => {
    if (analyses.has(absolute) || parsed.has(absolute)) return sourceOf(absolute);
    if (routeTrees.has(absolute)) return routeTrees.get(absolute);
    let tree: ts.SourceFile | undefined;
    try {
      const text = textOf(absolute);
      tree = parseSource(byAbsolute.get(absolute)?.relative ?? absolute, text);
      if (!CANDIDATE_TEST.test(text)) trimForRoutes(tree, wiringMethods);
    } catch {
      tree = undefined;
    }
    routeTrees.set(absolute, tree);
    return tree;
  };
  // --spec: routes are read from every non-test source file (mounts and handlers need not hold a 403); on a
  // big project the files with no 403 form are read, parsed and trimmed on a worker thread meanwhile.
  const routeSources = files.filter((f) => !f.test);
  // A browser app's files (a monorepo's frontend) register no server route: the route graph does not walk
  // them, nor does the skeleton thread read them (they are parsed only if a walked file resolves to one).
  const browser = options.spec ? new BrowserPackages(cwd) : undefined;
  const walked = (file: { absolute: string }): boolean => !browser?.isBrowserFile(file.absolute);
  // The prefilter pass reads from the sources thread (sources.ts), so the skeleton thread reads route files only.
  const skeletons = options.spec ? startSkeletons(routeSources.filter(walked)) : undefined;

  // Bundles recognised by their text (minified.ts): skipped like `*.min.js`, and named when they hold a 403 form.
  const minified = new Map<string, string>();
  const minifiedFiles: MinifiedFile[] = [...discovery.minified];
  const analyze = (file: DiscoveredFile, text: string): FileAnalysis | undefined => {
    const shape = minifiedShape(file.relative, text);
    if (shape) {
      minified.set(file.relative, minifiedWarning(file.relative, text, shape));
      const at = firstOccurrence(text);
      if (at) minifiedFiles.push({ file: file.relative, ...at });
      return undefined;
    }
    const analysis = analyzeSource(file.relative, text, {
      target: options.status,
      frameworks: frameworksFor(file),
      testFile: file.test,
      wwwAuthenticate: options.wwwAuthenticate,
      link: {
        ...links.forFile(file.absolute, file.relative),
        outsideRun: (absolute) => !byAbsolute.has(absolute),
        resolve: (specifier) => links.resolve(specifier, file.absolute),
      },
      sourceFile: sourceOf(file.absolute),
    });
    if (syntaxErrors(analysis.sourceFile).length) {
      errors.push({
        file: file.relative,
        message: [
          `does not parse (${firstErrorMessage(analysis.sourceFile)}); skipped.`,
          parseFailureHint(text),
        ]
          .filter(Boolean)
          .join(' '),
      });
      return undefined;
    }
    analyses.set(file.absolute, analysis);
    return analysis;
  };

  // Phase 1: files whose text holds a 403 form. Phase 2 (below): files that name a 403 another file exports.
  let scanned = 0;
  const waiting: DiscoveredFile[] = [];
  // The specifiers a waiting file names, as the reading thread took them: the outside-import pass below reads
  // them instead of the file's text (workspace-scan.ts).
  const importsOf = new Map<string, readonly string[]>();
  // Read (and prefiltered) on a worker thread ahead of the analysis (sources.ts, read-ahead.ts).
  const read = sources.reader(texts, textOf);
  for (const [index, file] of files.entries()) {
    if (file.test && !options.includeTests) {
      skipped.test = (skipped.test ?? 0) + 1;
      continue;
    }
    scanned++;
    const source = await read(file.absolute);
    if (source.candidate) analyze(file, source.text);
    else {
      waiting.push(file);
      if (source.imports) importsOf.set(file.absolute, source.imports);
    }
    options.onProgress?.(index + 1, files.length);
  }
  markPhase('migrate/analysis');
  // The final test flags: a file whose flag turned is analysed again as what it is, or dropped with the tests.
  const final = (await sources.classified()).files;
  if (final !== files) {
    const turned = final.filter((file, index) => file.test !== files[index].test);
    files = final;
    for (const file of final) byAbsolute.set(file.absolute, file);
    const waitingNow = new Set(waiting.map((f) => f.absolute));
    for (const file of turned) {
      // The flag before was the other one: a test was scanned only with --include-tests.
      const scannedBefore = file.test || !!options.includeTests;
      const scannedNow = !file.test || !!options.includeTests;
      analyses.delete(file.absolute);
      waitingNow.delete(file.absolute);
      for (let at = errors.length - 1; at >= 0; at--)
        if (errors[at].file === file.relative) errors.splice(at, 1);
      if (scannedBefore !== scannedNow) {
        scanned += scannedNow ? 1 : -1;
        skipped.test = (skipped.test ?? 0) + (scannedNow ? -1 : 1);
        if (!skipped.test) delete skipped.test;
      }
      if (!scannedNow) continue;
      const text = textOf(file.absolute);
      if (CANDIDATE_TEST.test(text)) analyze(file, text);
      else waitingNow.add(file.absolute);
    }
    waiting.splice(0, waiting.length, ...files.filter((f) => waitingNow.has(f.absolute)));
  }
  markPhase('migrate/classified');
  // A 403 class (or constant) fixed in a module the run does not scan (a workspace package): its importers.
  const outside = new Set(
    outsideImporters(
      waiting,
      links,
      textOf,
      (absolute) => byAbsolute.has(absolute),
      (absolute) => importsOf.get(absolute),
    ).map((file) => {
      analyze(file, textOf(file.absolute));
      return file.absolute;
    }),
  );
  analyzeImporters(
    waiting.filter((file) => !outside.has(file.absolute)),
    [...analyses.keys()],
    (absolute) => [
      ...links.bearingNames(absolute),
      ...(analyses.get(absolute)?.dataProducers ?? []),
      ...(analyses.get(absolute)?.upstreamProducers ?? []),
      ...codeMapNamesOf(analyses.get(absolute)),
    ],
    links,
    textOf,
    (file) => analyze(file, textOf(file.absolute)),
  );
  markPhase('migrate/importers');

  // Helper call sites: same file first, then helpers imported from other files (through re-exports, path
  // aliases and package imports; the defining file is parsed on demand). Rounds until no forwarding helper is new.
  const exported = (absolute: string, name: string): HelperParam[] => {
    let analysis = analyses.get(absolute);
    const file = byAbsolute.get(absolute);
    if (!analysis && file) analysis = analyze(file, textOf(absolute));
    return analysis?.helpers.filter((h) => h.exportName === name) ?? [];
  };
  const imported = (absolute: string, analysis: FileAnalysis, callee: string): HelperParam[] => {
    // `this.deny(res, 403)` in a subclass whose base class another file declares (inherited-helpers.ts).
    if (callee.includes('.prototype.'))
      return inheritedHelpers(
        absolute,
        analysis,
        callee,
        (from, module, name) => links.definition(from, module, name),
        (defined) => {
          const file = byAbsolute.get(defined);
          return analyses.get(defined) ?? (file ? analyze(file, textOf(defined)) : undefined);
        },
        (there, name) => localHelpers(there)(name),
      );
    const [root, member] = callee.split('.');
    const binding = analysis.imports.get(root);
    if (!binding || (member !== undefined && binding.name !== '*')) return [];
    const defined = links.definition(absolute, binding.module, member ?? binding.name);
    return defined ? exported(defined.file, defined.name) : [];
  };
  for (let round = 0, again = true; again && round < 8; round++) {
    const before = [...analyses];
    // Files analysed on demand during this round get their own calls matched in the next one.
    again = false;
    for (const [absolute, analysis] of before) {
      const local = localHelpers(analysis);
      const found = rewriteHelperCalls(analysis, (callee) => {
        const here = local(callee);
        return here.length ? here : imported(absolute, analysis, callee);
      });
      again ||= found;
    }
    again ||= analyses.size > before.length;
  }

  // `deny(res).json({ error: 'Forbidden' })`: bodies beside a response a rewritten helper returns follow it.
  const absoluteOf = new Map([...analyses].map(([absolute, analysis]) => [analysis, absolute]));
  addReturnedResponseCompanions([...analyses.values()], (analysis, callee) => {
    const binding = callee.includes('.') ? undefined : analysis.imports.get(callee);
    const absolute = binding && absoluteOf.get(analysis);
    const defined =
      binding && absolute ? links.definition(absolute, binding.module, binding.name) : undefined;
    const there = defined && analyses.get(defined.file);
    return there && defined ? { analysis: there, name: defined.name } : undefined;
  });
  markPhase('migrate/helpers');
  // Dynamic slots that send the status of a project function's result: read that function (result-producers.ts).
  const fileOf = new Map([...analyses].map(([absolute, analysis]) => [analysis, absolute]));
  const producerOf = (analysis: FileAnalysis, callee: string): Producer | undefined => {
    const absolute = fileOf.get(analysis);
    const [root, member] = callee.split('.');
    if (member === undefined) {
      const local = topLevelFunction(analysis.sourceFile, (_, name) => name === root);
      if (local) return { analysis, fn: local };
    }
    const binding = analysis.imports.get(root);
    if (!absolute || !binding || (member !== undefined && binding.name !== '*')) return undefined;
    const defined = links.definition(absolute, binding.module, member ?? binding.name);
    const file = defined && byAbsolute.get(defined.file);
    if (!defined || !file || file.test) return undefined;
    const producer = analyses.get(defined.file) ?? analyze(file, textOf(defined.file));
    const fn =
      producer &&
      topLevelFunction(producer.sourceFile, (candidate) => exportNamesOf(candidate).includes(defined.name));
    return producer && fn ? { analysis: producer, fn } : undefined;
  };
  settleResultReads(
    new Map([...analyses.values()].filter((a) => a.resultReads.length).map((a) => [a, a.resultReads])),
    producerOf,
    options.status,
  );
  markPhase('migrate/result-reads');
  // --spec: the route graph, after the analysis (which does not need it) so the skeletons are made meanwhile.
  const scope = options.spec
    ? await buildSpecScope({
        ...options.spec,
        cwd,
        sources: routeSources,
        walked,
        // Shared only for files the analysis may read (a 403 form in the text); the route graph trims the
        // rest to what routes need, so their full trees are not kept alive for the run (routes/skeleton.ts).
        parsed: (absolute) => (CANDIDATE_TEST.test(textOf(absolute)) ? sourceOf(absolute) : undefined),
        text: textOf,
        skeletons,
        operations: specOperations,
      })
    : undefined;

  if (scope) markPhase('migrate/spec-scope');
  // Error codes that a project's code map turns into 403 (`new ApiError({ code: 'forbidden' })`).
  addCodeMapSites([...analyses.values()]);
  // NestJS guards: each guard class that can return false gets the routes that use it (nest-guard-sites.ts).
  settleNestGuards([...analyses.values()]);

  // --include-tests: a test file's own servers and errors are its scaffolding (test-follow.ts).
  for (const analysis of analyses.values()) demoteTestFixtures(analysis);
  // Browser code reads 403s, never sends them (browser-code.ts).
  for (const analysis of analyses.values()) demoteBrowserSites(analysis);

  // The census: every 403 occurrence of every parsed file is classified now that all sites are known.
  const declarations = importedDeclarations(analyses, links);
  // A `reply.forbidden()` the project installs itself is its own function, not a library helper to rename.
  const installed = installedMethods(analyses, declarations);
  for (const analysis of analyses.values()) keepInstalledCalls(analysis, installed);
  const siteWords = new Set<string>();
  for (const analysis of analyses.values())
    for (const word of wordsOf(analysis.sites, () => analysis.text)) siteWords.add(word);
  // Names read inside the forms this run rewrites: a reason phrase another file holds under one stays there.
  const rewriteWords = new Set<string>();
  for (const analysis of analyses.values())
    for (const word of wordsOf(
      analysis.sites.filter((s) => s.kind === 'rewrite'),
      () => analysis.text,
      true,
    ))
      rewriteWords.add(word);
  const occurrences = new Map<string, Occurrence[]>();
  const census = (absolute: string, analysis: FileAnalysis): void => {
    occurrences.set(
      analysis.file,
      takeCensus(
        analysis,
        (name) => siteWords.has(name),
        declarations(absolute),
        installed,
        (name) => rewriteWords.has(name),
      ),
    );
  };

  const sites: Site[] = [];
  const outOfScope = new Set<Site>();
  const refusedReasons = new Map<Site, string>();
  let changed = 0;
  let diff = '';
  // Written as planned: the disk waits of one file overlap the planning of the next (write-plans.ts).
  const planned = new PlannedWrites();
  let follows: ((site: Site, spec: SiteDecision) => SiteDecision) | undefined;
  const settle = (absolute: string, analysis: FileAnalysis): void => {
    const kept: Site[] = [];
    for (const site of analysis.sites) {
      const reason = ignoreReason(analysis.text, analysis.sourceFile, site);
      if (reason) site.ignoreReason = reason;
      const decision = options.siteFilter?.(site) ?? { keep: true };
      const spec = decision.keep ? scope?.filter(site) : undefined;
      // --include-tests under --spec: an assertion follows its server (test-follow.ts `scoped`).
      const scoped = spec ? (site.framework === 'tests' && follows ? follows(site, spec) : spec) : decision;
      if (!decision.keep || !scoped.keep) {
        outOfScope.add(site);
        continue;
      }
      if (decision.operation) site.operation = decision.operation;
      if (scoped !== decision && scoped.operation) site.operation = scoped.operation;
      if (scoped.manual) {
        site.kind = 'manual';
        site.reason = site.reason ? `${site.reason} ${scoped.manual}` : scoped.manual;
      }
      kept.push(site);
    }
    sites.push(...kept);
    const rewrites = kept.filter((s) => s.kind === 'rewrite' && !s.ignoreReason);
    if (!rewrites.length) return;
    const plan = planFile(analysis.text, analysis.file, rewrites, 0, analysis.sourceFile);
    for (const { site, reason } of plan.refused) refusedReasons.set(site, reason);
    if (plan.text === analysis.text) return;
    if (options.mode === 'write') {
      // Started now, awaited by flushWrites; the file must still hold what was analysed.
      planned.push({
        absolute,
        file: analysis.file,
        before: analysis.text,
        after: plan.text,
        sites: rewrites,
      });
      return;
    }
    changed++;
    if (options.mode === 'dry-run') diff += unifiedDiff(analysis.file, analysis.text, plan.text);
  };
  const flushWrites = async (): Promise<void> => {
    const { written, refused } = await planned.flush();
    changed += written;
    for (const { write, error } of refused) {
      errors.push({ file: write.file, message: `${error.message} ${error.hint ?? ''}`.trim() });
      for (const site of write.sites) refusedReasons.set(site, `not written: ${error.message}`);
    }
  };
  // In file order (phase 2 and on-demand analyses come later than their names); test files after the
  // server's files: an assertion follows what the run decided for the site it checks (test-follow.ts).
  const ordered = [...analyses].sort((x, y) => compareText(x[1].file, y[1].file));
  const server = ordered.filter(([, a]) => !a.options.testFile);
  const tests = ordered.filter(([, a]) => a.options.testFile);
  for (const [absolute, analysis] of server) census(absolute, analysis);
  for (const [absolute, analysis] of server) {
    settle(absolute, analysis);
    await planned.pace();
  }
  await flushWrites();
  markPhase('migrate/settle');
  if (tests.length) {
    const outcomes = new Map<Site, boolean>();
    for (const [, analysis] of server)
      for (const site of analysis.sites) {
        // A helper's own definition emits nothing: its callers are the sites.
        if (site.kind === 'manual' && isHelperDefinition(analysis, site)) continue;
        outcomes.set(
          site,
          site.kind === 'rewrite' && !site.ignoreReason && !outOfScope.has(site) && !refusedReasons.has(site),
        );
      }
    const follower = new TestFollower(
      cwd,
      files.filter((f) => (f.test ? options.includeTests : true)),
      outcomes,
      (relative) => analyses.get(path.resolve(cwd, relative))?.text,
      (site) => `${site.file}:${lineAndColumn(analyses, cwd, site).line}`,
      (relative) => analyses.get(path.resolve(cwd, relative))?.notAnEmitRanges ?? [],
      routeTree,
      (site) => outOfScope.has(site),
    );
    follows = (site, spec) => follower.scoped(site, spec);
    for (const [, analysis] of tests) follower.settle(analysis);
    for (const [absolute, analysis] of tests) census(absolute, analysis);
    for (const [absolute, analysis] of tests) {
      settle(absolute, analysis);
      await planned.pace();
    }
    await flushWrites();
  }

  // §7 readers: comparisons with 403 next to a request to a route this run rewrote (readers.ts).
  for (const site of findReaders({
    analyses: analyses.values(),
    occurrences,
    rewritten: sites.filter((s) => s.kind === 'rewrite' && !s.ignoreReason && !refusedReasons.has(s)),
    target: options.status,
    texts: () => files.filter((f) => !f.test).map((f) => textOf(f.absolute)),
    routeIndex: () =>
      scope
        ? { project: scope.project, routes: scope.routes, routesAt: (f, p) => scope.reach.routesAt(f, p) }
        : buildRouteIndex(
            cwd,
            files.filter((f) => !f.test),
            sourceOf,
          ),
  })) {
    const analysis = analyses.get(path.resolve(cwd, site.file));
    const reason = analysis && ignoreReason(analysis.text, analysis.sourceFile, site);
    if (reason) site.ignoreReason = reason;
    sites.push(site);
  }

  // §7 readers of tRPC codes: `error.data?.code === 'FORBIDDEN'` where procedures' FORBIDDEN were rewritten.
  for (const site of findTrpcCodeReaders({
    analyses: analyses.values(),
    occurrences,
    rewritten: sites.filter((s) => s.kind === 'rewrite' && !s.ignoreReason && !refusedReasons.has(s)),
    target: options.status,
    where: (site) => `${site.file}:${lineAndColumn(analyses, cwd, site).line}`,
  })) {
    const analysis = analyses.get(path.resolve(cwd, site.file));
    const reason = analysis && ignoreReason(analysis.text, analysis.sourceFile, site);
    if (reason) site.ignoreReason = reason;
    sites.push(site);
  }

  // NestJS filters that answer another status for a 403 error class: its sites say so (nest-filters.ts).
  settleCaughtClasses({
    analyses: analyses.values(),
    sites,
    texts: () => files.filter((f) => !f.test).map((f) => ({ file: f.relative, text: textOf(f.absolute) })),
    target: options.status,
  });

  markPhase('migrate/readers');
  const report = buildReport({
    status: options.status,
    mode: options.mode,
    // A minified file was counted when read; it is counted as skipped instead.
    filesScanned: scanned - minified.size,
    // A file that parsed but could not be written (not UTF-8, changed meanwhile) is parsed; one that did not
    // parse is counted as failed, never as parsed (its error says why).
    filesParsed: analyses.size,
    filesFailed: new Set(errors.filter((e) => !analyses.has(path.resolve(cwd, e.file))).map((e) => e.file))
      .size,
    filesChanged: changed,
    sites,
    refused: refusedReasons,
    errors,
    lineOf: (site) => lineAndColumn(analyses, cwd, site),
    occurrences,
    outOfScope,
    positionOf: (file, offset) => position(analyses, cwd, file, offset),
    explain: options.explain ?? false,
  });
  report.report.frameworks = [...new Set([...analyses.values()].flatMap((a) => a.frameworks))].sort();
  if (minified.size) skipped.minified = (skipped.minified ?? 0) + minified.size;
  report.report.skipped = Object.fromEntries(Object.entries(skipped).sort(([a], [b]) => (a < b ? -1 : 1)));
  report.report.warnings = [
    ...discovery.warnings,
    ...[...minified].sort(([a], [b]) => compareText(a, b)).map(([, warning]) => warning),
  ];
  if (discovery.unparsed.length) report.report.unparsed = discovery.unparsed;
  if (minifiedFiles.length)
    report.report.minified = minifiedFiles.sort((a, b) => compareText(a.file, b.file));
  if (scope) report.report.coverage = scope.coverage(report.report);
  markPhase('migrate/report');
  return {
    report: report.report,
    diff,
    elapsedMs: performance.now() - started,
    sourceLines: report.sourceLines,
  };
}

/** A manual site inside a function whose parameter becomes the status (the `Shared helper` report). */
function isHelperDefinition(analysis: FileAnalysis, site: Site): boolean {
  return analysis.helpers.some((h) => h.fn.pos <= site.start && site.end <= h.fn.end);
}

function position(
  analyses: Map<string, FileAnalysis>,
  cwd: string,
  file: string,
  offset: number,
): { line: number; column: number } {
  const analysis = analyses.get(path.resolve(cwd, file));
  if (!analysis) return { line: 1, column: 1 };
  const { line, character } = analysis.sourceFile.getLineAndCharacterOfPosition(offset);
  const bom = line === 0 && analysis.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  return { line: line + 1, column: character + 1 - bom };
}

function lineAndColumn(
  analyses: Map<string, FileAnalysis>,
  cwd: string,
  site: Site,
): { line: number; column: number; text: string } {
  const analysis = analyses.get(path.resolve(cwd, site.file));
  if (!analysis) return { line: 1, column: 1, text: '' };
  const sf = analysis.sourceFile;
  const { line, character } = sf.getLineAndCharacterOfPosition(site.start);
  const bom = line === 0 && analysis.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const starts = sf.getLineStarts();
  const text = analysis.text
    .slice(starts[line], starts[line + 1] ?? analysis.text.length)
    .replace(/\r?\n$/, '')
    .replace(/^\uFEFF/, '');
  return { line: line + 1, column: character + 1 - bom, text };
}

function unifiedDiff(file: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: 3 });
}

/** The names of an analysed file's code maps and their 403 codes (code-maps.ts), for phase 2. */
function codeMapNamesOf(analysis: FileAnalysis | undefined): string[] {
  return analysis ? codeMapNames(analysis) : [];
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

/**
 * The files of another language that hold a 403 form, for the "no source files" error: they are the reason a
 * folder of Go or Java code has nothing to rewrite, and must be named even then (five, then a count).
 */
function unparsedNote(unparsed: readonly UnparsedFile[]): string {
  if (!unparsed.length) return '';
  const named = unparsed
    .slice(0, 5)
    .map((u) => `${u.file}${u.line === undefined ? '' : `:${u.line}`} (${u.language})`);
  const more = unparsed.length > 5 ? ` and ${unparsed.length - 5} more` : '';
  return ` ${unparsed.length === 1 ? 'This file holds' : `These ${unparsed.length} files hold`} a 403 form or a check that answers 403 in a language migrate does not rewrite: ${named.join(', ')}${more}.`;
}
