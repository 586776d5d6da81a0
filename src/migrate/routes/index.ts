import { readFileSync } from 'node:fs';
import path from 'node:path';
import type ts from '../../typescript.cjs';
import { lineStarts, positionAt } from '../../openapi/range.js';
import type { LeftAloneSite, MigrateReport, SiteFilter, SpecScopeOptions } from '../types.js';
import { buildCoverage, type SpecCoverage } from './coverage.js';
import { unfollowedWiring } from './unfollowed-wiring.js';
import { extractAdonisRoutes } from './adonis.js';
import { adonisRegistrationLines, adonisRoutes } from './adonis-routes.js';
import { dropCatchAllMatches, inferCodePrefixes, type NearMiss } from './code-prefix.js';
import { decide, operationLabel, sortReached } from './decide.js';
import { unfollowedChains, type UnfollowedChain } from './unfollowed-chains.js';
import { scopeDocuments } from './document-scope.js';
import { matchRoutes, methodRank, type RouteMatch, type SpecOperation } from './match.js';
import type { CodeRoute } from './model.js';
import { extractConnectRoutes } from './connect-rpc.js';
import { declaredRoutesAt } from './declared-routes.js';
import { extractEggRoutes } from './egg.js';
import { extractEncoreRoutes } from './encore.js';
import { extractFileRoutes } from './file-routes.js';
import { extractFetchServerRoutes } from './fetch-servers.js';
import { extractInversifyRoutes } from './inversify.js';
import { extractLambdaConfigRoutes } from './lambda-config.js';
import { extractCloudFormationRoutes } from './cloudformation.js';
import { extractCdkRoutes } from './aws-cdk.js';
import { extractServerlessTsRoutes } from './serverless-ts.js';
import { extractLoopbackRoutes } from './loopback.js';
import { extractMoleculerWebRoutes } from './moleculer-web.js';
import { importSiteRoutes } from './import-sites.js';
import { extractNestRoutes } from './nestjs.js';
import { extractNextRoutes } from './nextjs.js';
import { extractRoutingControllersRoutes } from './routing-controllers.js';
import { extractTeggRoutes } from './tegg.js';
import { extractTsoaRoutes } from './tsoa.js';
import { extractTsRestRoutes } from './ts-rest.js';
import { loadOperationsInBackground } from './operations-thread.js';
import { codePathOf, compareRanks, compareSegments } from './paths.js';
import { Project, type FactTree } from './project.js';
import { Reach } from './reach.js';
import { requestOf } from './requests.js';
import { extractRouterRoutes } from './graph.js';
import { applyRequestMiddleware, requestMiddlewareNotes } from './request-middleware.js';
import { wiringMethodNames } from './skeleton.js';
import { factTree } from './skeleton-tree.js';
import type { SkeletonThread } from './skeleton-thread.js';
import { WIRINGS } from './wirings.js';
import { markPhase } from '../../util/phase-marks.js';

export type { SpecCoverage } from './coverage.js';
export { startSkeletons } from './skeleton-thread.js';
export { Project } from './project.js';
export { Reach } from './reach.js';
export { formatCoverage } from './coverage.js';

/** What spec-scoped migration hands the engine: the site filter, and the coverage once the report exists. */
export interface SpecScope {
  filter: SiteFilter;
  coverage(report: MigrateReport): SpecCoverage;
  /** The parsed project, its routes and their reach (reused by §7 readers). */
  project: Project;
  routes: readonly CodeRoute[];
  reach: Reach;
}

/** Every route the code registers, from every route extractor (router frameworks, NestJS, Next.js, tsoa, routing-controllers, Egg.js). */
export function extractCodeRoutes(project: Project, mounts: ReadonlyMap<string, string>): CodeRoute[] {
  const routes = [
    ...extractRouterRoutes(project, mounts),
    ...extractNestRoutes(project, mounts),
    ...extractNextRoutes(project),
    ...extractClassAndFileRoutes(project),
  ];
  // Middleware a framework runs before its routes by file convention (Next.js middleware.ts, SvelteKit hooks).
  routes.push(...applyRequestMiddleware(project, routes));
  return routes;
}

/**
 * The routes of the extractors that read neither router objects nor NestJS modules: tsoa,
 * routing-controllers and inversify-express-utils classes, Egg.js router files and tegg controllers, AdonisJS routers, Connect RPC services, ts-rest
 * implementations, Encore.ts endpoints, SvelteKit and Nuxt / Nitro file routes, LoopBack 4 controllers, Bun / Deno /
 * default-exported `fetch` servers, Lambda functions routed by serverless.yml / serverless.ts, a SAM template, CloudFormation API Gateway resources or the AWS CDK, moleculer-web aliases. The test follower
 * reads them beside its own NestJS
 * reading (test-follow.ts), so both see the same routes.
 */
export function extractClassAndFileRoutes(project: Project): CodeRoute[] {
  return [
    ...extractTsoaRoutes(project),
    ...extractRoutingControllersRoutes(project),
    ...extractInversifyRoutes(project),
    ...extractEggRoutes(project),
    ...extractAdonisRoutes(project),
    ...extractTeggRoutes(project),
    ...extractConnectRoutes(project),
    ...extractTsRestRoutes(project),
    ...extractEncoreRoutes(project),
    ...extractFileRoutes(project),
    ...extractLoopbackRoutes(project),
    ...extractFetchServerRoutes(project),
    ...extractLambdaConfigRoutes(project),
    ...extractCloudFormationRoutes(project),
    ...extractCdkRoutes(project),
    ...extractServerlessTsRoutes(project),
    ...extractMoleculerWebRoutes(project),
  ];
}

/**
 * `migrate --spec`: reads the document(s) with the same mTLS model as lint, extracts the code's routes
 * (router frameworks, NestJS, Next.js), maps them to operations and builds the reach index. The filter keeps
 * sites only mTLS operations reach (naming them), turns mixed, ambiguous and run-time-prefixed ones into
 * `manual`, and drops the rest.
 */
export async function buildSpecScope(
  options: SpecScopeOptions & {
    cwd: string;
    /** Source files (non-test) to read routes from. */
    sources: readonly { absolute: string; relative: string }[];
    /**
     * The sources the route graph walks (default: all); the others are parsed only when a walked file resolves
     * to one (a browser app's files: browser-packages.ts).
     */
    walked?: (file: { absolute: string; relative: string }) => boolean;
    /**
     * Parsed trees shared with the engine (each file parsed once per run): the files the analysis reads too.
     * A file it does not give is parsed here and trimmed to what routes need (skeleton.ts), never shared.
     */
    parsed?: (absolute: string) => ts.SourceFile | undefined;
    /** A source file's text (the engine's cache); read from disk without it. */
    text?: (absolute: string) => string;
    /**
     * Trimmed trees made on a worker thread (`startSkeletons`; `finish` is called here, when they are needed), by
     * absolute path: files that hold no 403 form, used instead of being parsed and trimmed here.
     */
    skeletons?: Pick<SkeletonThread, 'finish'>;
    /**
     * The operations, when the caller started loading them earlier (`startLoadingOperations`: a large
     * document loads on a worker thread while the code is parsed); else they are loaded here.
     */
    operations?: Promise<SpecOperation[]>;
  },
): Promise<SpecScope> {
  const loading = options.operations ?? startLoadingOperations(options, options.cwd);
  const mounts = new Map(
    Object.entries(options.mounts ?? {}).map(([file, prefix]) => [normalizeFile(options.cwd, file), prefix]),
  );
  const wiringMethods = wiringMethodNames(WIRINGS);
  const skeletons = (await options.skeletons?.finish()) ?? new Map<string, ts.SourceFile | FactTree>();
  markPhase('spec/skeletons');
  const project = new Project(
    options.cwd,
    options.sources,
    (absolute) => (skeletons.has(absolute) ? undefined : options.parsed?.(absolute)),
    (file) =>
      skeletons.get(file.absolute) ??
      factTree(
        file.relative,
        options.text?.(file.absolute) ?? readFileSync(file.absolute, 'utf8'),
        wiringMethods,
      ),
    { lazy: options.walked !== undefined, walked: options.walked },
  );
  const extracted = extractCodeRoutes(project, mounts);
  // The security checks OpenAPI-first libraries run for their operations (security-checks.ts): reached like routes,
  // matched only to decide the sites they reach, never counted as routes in coverage.
  const checks = extracted.filter((r) => r.securityCheck);
  const routes = checks.length ? extracted.filter((r) => !r.securityCheck) : extracted;
  markPhase('spec/routes');
  const operations = await loading;
  markPhase('spec/operations');
  // Each document matches the routes of the service it describes (several documents, a monorepo).
  const scoped = scopeDocuments({
    cwd: options.cwd,
    documents: options.files,
    operations,
    routes,
    sources: options.sources,
    text: (absolute) => options.text?.(absolute) ?? readFileSync(absolute, 'utf8'),
  });
  let match = matchRoutes(routes, operations, scoped.allows);
  // A prefix the code serves the document's paths under that the document leaves out (code-prefix.ts): tried for
  // the operations no route answered, then matched again.
  const { taken: codePrefixes, nearMisses } = inferCodePrefixes(routes, operations, match, scoped.allows);
  if (codePrefixes.length) match = matchRoutes(routes, operations, scoped.allows);
  dropCatchAllMatches(match, nearMisses);
  const nearByRoute = new Map<CodeRoute, NearMiss[]>();
  // A route under a prefix the document's base path contradicts, or under another given document's base, is
  // another API's: left alone, not for review.
  for (const miss of nearMisses)
    if (!miss.contradicts && !miss.document)
      nearByRoute.set(miss.route, [...(nearByRoute.get(miss.route) ?? []), miss]);
  const reach = new Reach(project, extracted);
  const siteMatches = withSecurityChecks(
    withHandlerUnread(match.byRoute, routes, operations, scoped.allows),
    checks,
    operations,
    scoped.allows,
  );
  markPhase('spec/match');
  const mtlsOperations = operations.filter((o) => o.mtls);
  let notReached = 0;
  /** Each site left alone, by file and line: counted and named, so that none vanishes (issue 9 §2). */
  const leftAlone: LeftAloneSite[] = [];
  // Each file's line starts, read once: a file of many sites left alone was read and split again for each.
  const starts = new Map<string, number[]>();
  const lineAt = (file: string, offset: number): number => {
    let known = starts.get(file);
    if (!known) {
      const absolute = path.resolve(options.cwd, file);
      starts.set(file, (known = lineStarts(options.text?.(absolute) ?? readFileSync(absolute, 'utf8'))));
    }
    return positionAt(known, offset).line + 1;
  };

  let chains: { chain: UnfollowedChain; operation: string }[] | undefined;
  /** The first unfollowed handler-chain member of an mTLS route that names `file` (found once, on first use). */
  const unfollowedIn = (file: string): { chain: UnfollowedChain; operation: string } | undefined => {
    chains ??= unfollowedChains(
      project,
      reach,
      routes.filter((r) => (match.byRoute.get(r) ?? []).some((m) => m.operation.mtls)),
    ).map((chain) => ({
      chain,
      operation: (match.byRoute.get(chain.route) ?? [])
        .filter((m) => m.operation.mtls)
        .map((m) => operationLabel(m.operation))
        .join(', '),
    }));
    return chains.find((c) => c.chain.modules.includes(file));
  };

  const filter: SiteFilter = (site) => {
    if (site.framework === 'tests')
      return testDecision(
        project,
        options.cwd,
        site.file,
        site.start,
        operations.filter((o) => scoped.allowsFile(site.file, o)),
      );
    // A package's default 403, a site at its import: the routes where what it exports runs (import-sites.ts).
    const atImport = site.reason?.startsWith('Implicit 403:')
      ? importSiteRoutes(project, reach, site.file, site.start)
      : undefined;
    const routes = new Set(atImport ?? reach.routesAt(site.file, site.start));
    // A code table's 403 row answers wherever its code is thrown (code-map-rows.ts).
    for (const place of site.reachedThrough ?? [])
      for (const route of reach.routesAt(place.file, place.start)) routes.add(route);
    // No code runs it for a route: a response declared by method and path (a registerPath entry, an @openapi
    // block) answers the operation of that method and path.
    const declared = routes.size ? undefined : declaredRoutesAt(project, site.file, site.start);
    // A block that declares a 403 mtls-fix cannot read (its YAML does not parse): named, never "outside --spec".
    if (declared?.unreadable) return { keep: true, manual: declared.unreadable };
    const reached = sortReached(
      declared?.routes.length ? declared.routes : routes,
      declared?.routes.length ? matchRoutes(declared.routes, operations, scoped.allows).byRoute : siteMatches,
      (route) =>
        mayBeMtls(
          route,
          mtlsOperations.filter((o) => scoped.allows(route, o)),
        ),
      declared?.routes.length ? undefined : nearByRoute,
    );
    const decision = decide(reached);
    // A module an mTLS route's handler chain names by a member mtls-fix could not follow (unfollowed-chains.ts):
    // its 403s may answer that route, so they are named for review, never left alone.
    const unfollowed = decision.keep ? undefined : unfollowedIn(site.file);
    if (unfollowed)
      return {
        keep: true,
        operation: unfollowed.operation,
        manual: `Reach not known: mTLS ${unfollowed.operation}'s handler chain names ${unfollowed.chain.expression} (${unfollowed.chain.file}:${unfollowed.chain.line}), which mtls-fix could not follow into ${site.file}: this 403 may answer it. Review by hand.`,
      };
    if (!decision.keep) {
      notReached++;
      leftAlone.push({
        file: site.file,
        line: lineAt(site.file, site.start),
        form: site.form,
        kind: site.kind,
      });
    }
    return decision;
  };
  return {
    filter,
    project,
    routes: extracted,
    reach,
    coverage: (report) => {
      const coverage = buildCoverage({
        spec: options.files.map((f) => normalizeFile(options.cwd, f)),
        operations,
        routes,
        match,
        report,
        notReached,
        leftAlone,
        documents: scoped.scopes,
        codePrefixes,
        nearMisses,
        cwd: options.cwd,
      });
      // Settings taken at their written default are named, never taken silently (setting-reads.ts).
      if (project.settingDefaults.size)
        coverage.settingDefaults = [...project.settingDefaults.values()]
          .map((d) => ({ ...d }))
          .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
      // A document path two different files answer: the one read is named (document-copies.ts).
      if (project.documentCopies.size)
        coverage.documentCopies = [...project.documentCopies.values()]
          .map((d) => ({ ...d }))
          .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
      // Wiring the readers do not follow is named, never silent (unfollowed-wiring.ts).
      coverage.unresolved.push(...unfollowedWiring(project));
      // AdonisJS routes are read by adonis.ts; one it cannot read is named, in place of any other reader's entry
      // on its line (adonis-routes.ts).
      const adonisLines = adonisRegistrationLines(project);
      if (adonisLines.size) {
        coverage.unresolved = coverage.unresolved.filter((u) => !adonisLines.has(`${u.file}\0${u.line}`));
        coverage.unresolved.push(...adonisRoutes(project));
      }
      // A Next.js middleware matcher read as every path (request-middleware.ts) is named.
      coverage.unresolved.push(...requestMiddlewareNotes(project));
      // Files too deep for the readers (parse.ts isTooDeep): their routes were not read, and that is said.
      for (const file of project.tooDeepFiles)
        coverage.unresolved.push({
          method: 'ALL',
          path: '/*',
          file,
          line: 1,
          framework: 'router',
          reason: `${file} nests too deeply for mtls-fix to read (more than 2,000 levels: a generated or bundled file?), so the routes it registers were not read`,
          mountFile: file,
          byHand: true,
        });
      return coverage;
    },
  };
}

/**
 * Starts loading the operations `--spec` names (operations-thread.ts: on a worker thread for a large
 * document). Start it as early as possible and hand the promise to `buildSpecScope`; the promise is marked
 * handled here, so an error surfaces where it is awaited, not as an unhandled rejection.
 */
export function startLoadingOperations(spec: SpecScopeOptions, cwd: string): Promise<SpecOperation[]> {
  const loading = loadOperationsInBackground({
    files: spec.files,
    options: { cwd, mtls: spec.mtls, allowRemoteRefs: spec.allowRemoteRefs ?? false },
  });
  loading.catch(() => undefined);
  return loading;
}

/**
 * The match table a site's routes are decided by: `byRoute`, and the routes whose method and path are read but
 * whose handler is not (`handlerUnread`: an openapi-backend, glue or validator operation with no handler found),
 * each matched as if read. The security hooks and middleware that run for such a route answer its operation
 * only (fixr40b: read as a route not read, a security handler of mTLS operations alone was named for review).
 * Coverage keeps them unread: the table `buildCoverage` gets is `byRoute` alone.
 */
function withHandlerUnread(
  byRoute: ReadonlyMap<CodeRoute, RouteMatch[]>,
  routes: readonly CodeRoute[],
  operations: readonly SpecOperation[],
  allows: (route: CodeRoute, operation: SpecOperation) => boolean,
): ReadonlyMap<CodeRoute, RouteMatch[]> {
  const unread = routes.filter((r) => r.handlerUnread);
  if (!unread.length) return byRoute;
  const read = new Map<CodeRoute, CodeRoute>(unread.map((r) => [{ ...r, unresolved: undefined }, r]));
  const out = new Map(byRoute);
  const found = matchRoutes([...read.keys()], operations, (route, operation) =>
    allows(read.get(route) ?? route, operation),
  ).byRoute;
  for (const [copy, matches] of found) {
    const route = read.get(copy);
    if (route && matches.length) out.set(route, matches);
  }
  return out;
}

/**
 * The match table with the security checks' matches added (model.ts `CodeRoute.securityCheck`): each is matched
 * to the operation it checks, so a 403 a check sends is decided by the operations requiring its scheme.
 */
function withSecurityChecks(
  byRoute: ReadonlyMap<CodeRoute, RouteMatch[]>,
  checks: readonly CodeRoute[],
  operations: readonly SpecOperation[],
  allows: (route: CodeRoute, operation: SpecOperation) => boolean,
): ReadonlyMap<CodeRoute, RouteMatch[]> {
  if (!checks.length) return byRoute;
  const out = new Map(byRoute);
  for (const [route, matches] of matchRoutes(checks, operations, allows).byRoute)
    if (matches.length) out.set(route, matches);
  return out;
}

/**
 * A route under an unknown prefix may be mTLS when it answers an mTLS operation's method (match.ts `methodRank`:
 * the same, a GET for a HEAD, or every method) and its known tail fits the tail of that operation's path.
 */
function mayBeMtls(route: CodeRoute, mtls: readonly SpecOperation[]): boolean {
  const alternatives = codePathOf(route.path, route.syntax);
  return mtls.some(
    (operation) =>
      methodRank(route.method, operation.method) !== undefined &&
      operation.variants.some((variant) =>
        alternatives.some((code) =>
          Array.from({ length: variant.segments.length + 1 }, (_, k) => k).some((k) =>
            compareSegments(code, variant.segments.slice(k)),
          ),
        ),
      ),
  );
}

/** `--include-tests`: keep an assertion only when its request matches an mTLS operation best. */
function testDecision(
  project: Project,
  cwd: string,
  file: string,
  position: number,
  operations: readonly SpecOperation[],
): { keep: true; operation: string } | { keep: false } {
  const source = project.testFile(path.resolve(cwd, file));
  const request = source ? requestOf(source, position) : undefined;
  if (!request) return { keep: false };
  let best: { operation: SpecOperation; rank: number[] } | undefined;
  for (const operation of operations) {
    if (operation.method !== request.method && !(operation.method === 'HEAD' && request.method === 'GET'))
      continue;
    for (const variant of operation.variants) {
      const rank = compareSegments(request.segments, variant.segments);
      if (rank && (!best || compareRanks(rank, best.rank) < 0)) best = { operation, rank };
    }
  }
  return best?.operation.mtls ? { keep: true, operation: best.operation.name } : { keep: false };
}

function normalizeFile(cwd: string, file: string): string {
  return path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join('/');
}
