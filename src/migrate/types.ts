/**
 * Public types of the codemod: what `migrate()` takes and returns, and the internal site shape that
 * framework modules produce. The JSON report follows DESIGN §4 (`migrate report`).
 */

import type { MtlsDetection } from '../config/resolve.js';

/** One text replacement on the original file text: `[start, end)` becomes `text`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

export type SiteAction = 'rewritten' | 'would-rewrite' | 'manual' | 'ignored';

/** The function a site sits in: what a route mapper (`--spec`, issue 4) needs to attribute it to an operation. */
export interface SiteScope {
  /** Name of the enclosing function, method or variable it is assigned to; `undefined` at module level. */
  functionName?: string;
  /** Offsets of the enclosing function in the file text. */
  functionStart: number;
  functionEnd: number;
  /** Enclosing class name for methods (Nest controllers), if any. */
  className?: string;
  /** When the function is passed to `x.get('/path', …)`: the registration, for route mapping. */
  route?: { method: string; path?: string; receiver: string };
}

/**
 * A renamed import (`ForbiddenException` -> `UnauthorizedException`). The planner picks one of the three
 * edits once it knows whether the old name is still used elsewhere in the file.
 */
export interface ImportNeed {
  module: string;
  /** The name the file used before the rewrite (`ForbiddenException`). */
  from: string;
  /** The name the rewrite uses (`UnauthorizedException`). */
  to: string;
  /** `to` is already imported from `module`: nothing to add. */
  present: boolean;
  /** Renames the specifier in place (old name no longer used). */
  rename: Edit;
  /** Adds `to` beside the old specifier, in the list's own style (old name still used). */
  add: Edit;
  /** Drops the old specifier (old name no longer used and `to` already imported). */
  remove: Edit;
}

/** What framework modules report: a place that emits 403, with the edits that fix it or why it needs a person. */
export interface Site {
  /** Path relative to the working folder, `/`-separated. */
  file: string;
  /** Offset of the site's first character in the file text. */
  start: number;
  end: number;
  /** Offsets of the whole form (`res.status(403).json({...})`): every 403 occurrence inside it belongs to this site. */
  span: { start: number; end: number };
  framework: string;
  /** The source form, shortened (`res.status(403)`). */
  form: string;
  /** `rewrite`: `edits` fix it; `manual`: a person must decide (`reason`). */
  kind: 'rewrite' | 'manual';
  edits: Edit[];
  imports: ImportNeed[];
  /** The form after the rewrite, shortened (`res.status(401)`). */
  replacement: string | null;
  reason: string | null;
  scope: SiteScope;
  /** Set by a scope hook (`--spec`): the operation this site answers, e.g. `GET /accounts/{id}`. */
  operation: string | null;
  /** Text of the `mtls-fix-ignore` comment on or above the site, when there is one. */
  ignoreReason?: string;
  /**
   * Set for an implicit 403 that a central remap in the code or the infrastructure already answers with the agreed
   * status (remaps-covered.ts): where that remap is and what it is (`the onPreResponse remap at server.js:8`).
   * Reported as acknowledged (action `ignored`), never as work.
   */
  coveredBy?: string;
  /**
   * For an implicit 403 (a framework, middleware or gateway answers it, no code edit can): the central layers that
   * can remap it, as remaps.ts and remaps-covered.ts match them (session 36; before, coverage was read from the
   * advice's wording). Absent or empty: no central remap mtls-fix recognises covers it.
   */
  remapLayers?: readonly RemapLayer[];
  /**
   * Set on a code table's 403 row (`CANNOT_SELF: { status: 403 }`, code-map-rows.ts): the sites that throw its
   * code (`new AppError('CANNOT_SELF')`, `assertNotSelf(a, b, 'CANNOT_SELF')`). Under `--spec` the row answers
   * wherever one of them is reached, as well as where the row itself is.
   */
  reachedThrough?: readonly { file: string; start: number }[];
  /**
   * Set on a constant's 403 (`const FORBIDDEN = 403`, a table's entry `Codes.FORBIDDEN`) whose every read this
   * run writes as the status itself (census-values.ts): the reads, `file:line form` each, as
   * test-replaced-claims.ts matches them against the reads the test follower leaves (session 39 review; before,
   * they were read back from the reason, which names three).
   */
  replacedUses?: readonly string[];
  /**
   * Set on a NestJS 403 that travels as an HttpException to the exception filters of its route (session 41; before,
   * remaps-covered.ts told a guard's site by its reason's words): what it is, so the filters that answer it are
   * matched by structure (nest-filter-chain.ts, remaps-covered.ts).
   */
  nestException?: NestException;
  /**
   * Set on the note at a NestJS exception filter's `@Catch(ForbiddenException)` that the throws this run renames no
   * longer reach it (frameworks/nestjs.ts): remaps-covered.ts drops the note when no renamed throw can reach the
   * filter. Matched by this mark, not by the note's words.
   */
  catchNote?: true;
}

/**
 * A NestJS 403 as an exception filter sees it (`Site.nestException`):
 * - `source`: `guard`, the ForbiddenException Nest throws for a guard whose `canActivate` can return false
 *   (nest-guard-sites.ts); `throw`, an exception the code builds (`new ForbiddenException(…)`,
 *   `new HttpException(…, 403)`: frameworks/nestjs.ts);
 * - `exception`: its class, which a filter's `@Catch(…)` must name (or a parent of) to catch it;
 * - `filtersDecided`: set once the filters of its routes are read (nest-filter-chain.ts) when they decide it
 *   (they cover it, or one of them answers it otherwise): a global filter read later (mtls-fix's
 *   `MtlsGuardFilter`, remaps-covered.ts) then does not settle it. Absent: no route filter or global filter
 *   registered in the scanned code catches it on some route, and every other route's filter covers it.
 */
export interface NestException {
  source: 'guard' | 'throw';
  exception: 'ForbiddenException' | 'HttpException';
  filtersDecided?: true;
  /**
   * Set with `Site.coveredBy` when every covering filter is one a test app built from the module runs too (a route's
   * `@UseFilters`, an `APP_FILTER` provider; not `app.useGlobalFilters` in a bootstrap file, nor mtls-fix's
   * `MtlsGuardFilter`, which answers only clients with a verified certificate): an e2e test of those routes
   * receives the agreed status already, before and after the run (test-verdicts.ts).
   */
  coveredInTests?: true;
  /**
   * Set with `Site.coveredBy` when a covering filter writes 403 itself and this run rewrites that write (the site at
   * `file`, `start`): remaps-covered.ts takes the cover back when the rewrite is refused, ignored or out of scope.
   */
  pendingRewrite?: { file: string; start: number };
  /**
   * Set on a throw written in a route handler (nest-guard-sites.ts): the `file:line` of the class of each filter
   * the route applies itself (`@UseFilters` on the handler or its controller). Only those, and the filters
   * registered for the whole app, ever receive it (remaps-covered.ts: the `@Catch(ForbiddenException)` note of
   * another filter is dropped when no renamed throw can reach it). Absent elsewhere, or when one cannot be read.
   */
  routeFilters?: readonly string[];
}

/**
 * Where an implicit 403 can be remapped centrally (remaps.ts):
 * - `error-handler`: the 403 travels as an error (thrown, `next(err)`, a Boom) to the app's error handler (Express
 *   error middleware, a Koa try/catch middleware upstream, Fastify `setErrorHandler`, Hono `onError`, hapi
 *   `onPreResponse` on a Boom);
 * - `response-hook`: the 403 is written on the response (`res.status(403)`, `ctx.status = 403`, a proxied
 *   answer): a hook that reads the answer's status (Koa `await next(); if (ctx.status === 403)`, Fastify `onSend`,
 *   hapi `onPreResponse` on a non-Boom response);
 * - `gateway-response`: API Gateway answers it (a REST API authorizer's Deny): the API's ACCESS_DENIED (or
 *   DEFAULT_4XX) gateway response.
 */
export type RemapLayer = 'error-handler' | 'response-hook' | 'gateway-response';

/** `--spec` inputs (the same mTLS detection as lint: one place decides). */
export interface SpecScopeOptions {
  /** OpenAPI documents, relative to `cwd` or absolute. */
  files: string[];
  mtls: MtlsDetection;
  allowRemoteRefs?: boolean;
  /** Prefixes the code computes at run time, by file relative to `cwd` (`--mount FILE=PREFIX`). */
  mounts?: Record<string, string>;
}

/** What a scope hook decides for one site: keep it (optionally naming its operation) or drop it. */
export type SiteDecision = { keep: true; operation?: string; manual?: string } | { keep: false };

/** Hook for spec-scoped migration: called once per site after analysis, before any edit is planned. */
export type SiteFilter = (site: Readonly<Site>) => SiteDecision;

export interface MigrateOptions {
  /** Files or folders, relative to `cwd`; default `.` (or config `migrate.include`). */
  paths?: string[];
  cwd?: string;
  /** The agreed status (401, 404 or another 4xx other than 403). */
  status: number;
  /** `dry-run`: compute and diff, write nothing. `check`: write nothing. `write`: write files. */
  mode: 'write' | 'dry-run' | 'check';
  /** Write even when the git work tree has uncommitted changes. */
  force?: boolean;
  /** Restrict to these framework ids; default: detected from package.json (all when nothing is detected). */
  frameworks?: string[];
  includeTests?: boolean;
  /** Globs (relative to `cwd`) to leave out, on top of node_modules, dist, build, .git. */
  exclude?: string[];
  /** A 401 challenge scheme (`Bearer`) added where the framework has a local idiom. */
  wwwAuthenticate?: string;
  /** Scope hook (issue 4): drop or attribute sites. */
  siteFilter?: SiteFilter;
  /** `--spec`: rewrite only sites reached from handlers of mTLS-secured operations, and report coverage. */
  spec?: SpecScopeOptions;
  /** List the not-an-emit occurrences one by one in the report (`notAnEmit`). */
  explain?: boolean;
  /** Called after each file is analysed; for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Why a 403 occurrence is not a response the server emits (census class `notAnEmit`). Free-form kebab-case ids
 * are allowed for new kinds; these are the common ones.
 */
export type NotAnEmitKind =
  /** `x === 403`, `case 403:`, `[401, 403].includes(s)`: reads a status, never sends one. */
  | 'comparison'
  /** A request the code makes to another service (`fetch`, axios) and the handling of its answer. */
  | 'client'
  /** Schema validators (`Joi.forbidden()`, `yup`...): "this key is forbidden", not HTTP. */
  | 'validator'
  /** Mocks of other services (nock, msw, fetch-mock, miragejs). */
  | 'mock'
  /** A number that is not a status (`setTimeout(f, 403)`, `width: 403`). */
  | 'unrelated-number'
  /** Prose in a comment. */
  | 'comment'
  /** Prose in a string (`'Error 403 from upstream'`) that is not a status slot or a reason phrase of one. */
  | 'string'
  /** An import or export specifier (the use sites are counted where they are used). */
  | 'import'
  /** A declaration whose uses are counted where they are used (`const FORBIDDEN = 403`, `class ForbiddenError`). */
  | 'declaration'
  /** A type position (`status: 401 | 403` in a type) with no value of its own. */
  | 'type'
  /** A use of a project declaration (`this.forbidden(id)`, `throw forbiddenError`) accounted where it is declared. */
  | 'reference'
  /** A field or text of a logging call (`log.warn({ statusCode: 403 }, 'denied')`): recorded, never sent. */
  | 'log'
  /** A member named for 403 whose project enum or object gives it another number (`PermissionDenied = 1006`). */
  | 'app-code'
  /** One number of a data table (`[0, 1, …, 403, …, 999]`, at least 32 numbers, some no status; census-number-tables.ts). */
  | 'number-table'
  /** A library's error named for "forbidden" that carries no HTTP status (@casl/ability `ForbiddenError`). */
  | 'no-status'
  /** The template a render call names (`res.render('403')`, `res.view('403')`): the page shown, not the status. */
  | 'view-name'
  /** A version or build number a test asserts (`'v1.403'`, `'1.2.403'`; test-status-texts.ts, session 50). */
  | 'version'
  | (string & {});

/** Every 403 occurrence in the scanned text, in exactly one class (DESIGN §4 `census`). */
export interface Census {
  occurrences: number;
  /** Rewritten, or would be under `--dry-run`/`--check`. */
  rewritten: number;
  manual: number;
  ignored: number;
  /** Under `--spec`: emits in code not reached from an mTLS-secured operation (left as they are, on purpose). */
  outOfScope: number;
  notAnEmit: Record<string, number>;
  /**
   * 403 forms found by text in files the run named but could not read, by reason (`parse-error`, `not-utf8`,
   * `unsupported-language`, `minified`, `node-modules`; not-read.ts): counted in `occurrences`, never read as clean.
   */
  notRead: Record<string, number>;
}

/** One occurrence that is not an emit, with its kind (`--explain`). */
export interface CensusEntry {
  file: string;
  line: number;
  column: number;
  /** The token as written (`403`, `FORBIDDEN`, `'Forbidden'`). */
  text: string;
  kind: string;
  /** Kind `reference`: the definition the name refers to (`src/errors.ts:3`, with its site's form when it has one). */
  via?: string;
}

/**
 * A file in a language `migrate` does not rewrite whose text holds a 403 form, or a framework check that answers
 * 403 (`MigrateReport.unparsed`, discover.ts).
 */
export interface UnparsedFile {
  /** Relative to the working folder, `/`-separated. */
  file: string;
  /** 1-based line of the first 403 form; absent when the file could not be read. */
  line?: number;
  /** The language, as named to the user: `Go`, `Java`, `Vue single-file component`, ... */
  language: string;
  /**
   * When the line holds no 403 form but a framework check that answers 403 (Spring Security, ASP.NET Core, an
   * API Gateway authorizer's Deny, ...): what it is, as told to the user. Absent for a 403 form.
   */
  source?: string;
}

/**
 * A minified file (recognised by its text, or named `*.min.js`) that is not scanned although its text holds a 403
 * form (`MigrateReport.minified`): where the first one is, 1-based.
 */
export interface MinifiedFile {
  /** Relative to the working folder, `/`-separated. */
  file: string;
  line: number;
  column: number;
}

/**
 * A file git ignores that a scanned file loads (`MigrateReport.ignoredLoads`, ignored-loads.ts): where its first 403
 * form is (1-based) and which scanned file loads it.
 */
export interface IgnoredLoad extends MinifiedFile {
  /** The scanned file (relative, `/`-separated) that loads it, directly or through other ignored files. */
  importer: string;
}

/** One status check (`MigrateReport.statusChecks`): where the 403 token is (1-based) and the check as written. */
export interface StatusCheck {
  file: string;
  line: number;
  column: number;
  /** The comparison, shortened: `error.status === 403`, `switch (res.status) case 403:`. */
  check: string;
}

/** A tool whose API test files `migrate` reads for 403 assertions (api-suites.ts). */
export type SuiteTool = 'Postman' | 'Hurl' | 'Bruno' | 'Karate' | 'Gherkin' | 'Tavern';

/**
 * An assertion on a 403 in an API test suite kept outside code (a Postman collection, a Hurl, Bruno, Gherkin or
 * Tavern file; `MigrateReport.suiteAssertions`): never rewritten, named so the user updates it with the server.
 */
export interface SuiteAssertion {
  /** Relative to the working folder, `/`-separated. */
  file: string;
  /** 1-based, of the `403` token (or Postman's `forbidden`). */
  line: number;
  column: number;
  tool: SuiteTool;
  /** The request the assertion checks where the file names it: `GET {{base}}/orders/:id`. */
  request?: string;
  /** The assertion's line as written, trimmed. */
  assertion: string;
}

/**
 * An assertion in a test file a run without `--include-tests` skipped, that checks a 403 this run rewrites
 * (`MigrateReport.skippedTestAssertions`, skipped-tests.ts): `replacement` is what `--include-tests` would
 * write there.
 */
export interface SkippedTestAssertion {
  file: string;
  line: number;
  column: number;
  form: string;
  replacement: string | null;
}

/**
 * An assertion on a 403 in a test file a run without `--include-tests` skipped, that may fail once this run's
 * server changes are written although `--include-tests` would not rewrite it (`MigrateReport.skippedTestsMayFail`,
 * skipped-tests.ts): its server could not be found, or it reaches a server this run changes in a way mtls-fix
 * does not write into the test (a snapshot, a Postman script). `reason` is what `--include-tests` says of it.
 */
export interface SkippedTestMayFail {
  file: string;
  line: number;
  column: number;
  form: string;
  reason: string;
}

export interface ReportSite {
  file: string;
  line: number;
  column: number;
  framework: string;
  form: string;
  action: SiteAction;
  replacement: string | null;
  operation: string | null;
  reason: string | null;
  /**
   * Present when the site is a declaration, table entry or enum member the run edits for status slots elsewhere
   * (`denied: 403 -> denied: 401` for `res.status(table.denied)`): those slots, which stay as written.
   */
  reads?: SiteRead[];
}

/** A status slot a declaration site serves (`ReportSite.reads`), where it is and its form as written. */
export interface SiteRead {
  file: string;
  line: number;
  column: number;
  form: string;
}

/**
 * Manual sites that need the same decision (same module, same reason), reported as one item: a shape repeated
 * across a code base (`getStandardResponses(401, 403, 404)` in 129 controllers) is one thing to decide.
 */
export interface ReportGroup {
  framework: string;
  reason: string;
  /** How many sites share it (2 or more). */
  count: number;
  /** Each site, in report order (the same sites are in `sites`). */
  places: { file: string; line: number; column: number; form: string }[];
}

export interface ReportError {
  file: string;
  message: string;
  /**
   * `not-written` when the file was parsed and its rewrites planned but the writer refused it (read-only, not
   * UTF-8, changed during the run, ...: safe-write.ts); absent when the file could not be read or parsed.
   */
  stage?: 'not-written';
}

export interface MigrateSummary {
  filesScanned: number;
  /** Files whose text was parsed and analysed (they held a 403 form, or named one another file exports). */
  filesParsed: number;
  /** Files that were to be analysed but did not parse (each is listed in `errors`); never counted as parsed. */
  filesFailed: number;
  filesChanged: number;
  rewritten: number;
  manual: number;
  ignored: number;
  errors: number;
}

/** A code route as the `--spec` coverage names it. */
export interface RouteRef {
  method: string;
  path: string;
  file: string;
  line: number;
  framework: string;
}

/** A 403 site `--spec` left alone (reached from no mTLS operation), by place and what a plain run does with it. */
export interface LeftAloneSite {
  /** Path relative to the working folder. */
  file: string;
  /** 1-based line of the site. */
  line: number;
  /** The site's text as the report shows it (`res.status(403)`). */
  form: string;
  /** What a run without `--spec` does with it: `rewrite`, or `manual` (named for review). */
  kind: Site['kind'];
}

/** The `coverage` section of the `--spec` report. */
export interface SpecCoverage {
  spec: string[];
  operations: number;
  mtlsOperations: number;
  codeRoutes: number;
  /** mTLS operations whose handlers were found, with the sites attributed to them. */
  handled: {
    operation: string;
    /** Its document, when `--spec` names several (relative to the working folder). */
    document?: string;
    why: string;
    /** `included`: the code serves under the server base path; `stripped`: without it (a proxy strips it). */
    basePath: 'included' | 'stripped' | 'none';
    routes: RouteRef[];
    rewritten: number;
    manual: number;
    /**
     * Why some of its routes' handlers are not seen (`registered with handlers mtls-fix cannot see: …ers
     * (file:line)`), when so: the 403s those handlers send are counted in neither figure. Absent otherwise.
     */
    unseen?: string[];
  }[];
  /**
   * mTLS operations no code route was found for; `servedUnder`: a route that answers it below a prefix no other
   * operation of the document shows (not matched by design: one route deeper proves no prefix), or, with
   * `contradicts` (the base path the document states), in place of the document's base path (another API's
   * route: never matched, left alone), or, with `document`, under the base path another given document states
   * (that document's route: never matched, left alone).
   */
  noHandler: {
    operation: string;
    /** Its document, when `--spec` names several. */
    document?: string;
    why: string;
    servedUnder?: { prefix: string; route: RouteRef; contradicts?: string; document?: string }[];
    /**
     * Registrations not read (entries of `unresolved`) whose method and path may answer it (`app.use('/z',
     * require(name))` for `GET /z/a`): up to five, with their reasons. Absent when there is none.
     */
    mayAnswer?: (RouteRef & { reason: string })[];
  }[];
  /** Code routes that match no operation of the spec. */
  unmatchedRoutes: RouteRef[];
  /** Operations several routes fit equally well (or routes several operations fit): never rewritten. */
  ambiguous: { operation: string; mtls: boolean; routes: RouteRef[] }[];
  /**
   * Routes under a prefix known only at run time (fix with `--mount FILE=PREFIX`), and registrations
   * mtls-fix could not read (`byHand: true`: a regex path, a computed path or config, an untraced receiver;
   * `--mount` cannot help, a person checks them).
   */
  unresolved: (RouteRef & {
    reason: string;
    mountFile: string;
    byHand?: true;
    /** Registrations this entry stands for, when more than one (a route helper called once per prefix). */
    count?: number;
  })[];
  /**
   * Routes read with their method and path whose handlers mtls-fix cannot see (`app.get('/x', ...handlers)` with
   * `handlers` a parameter, `router.post('/y', mw, getHandlers())` of a package) that an mTLS-secured operation
   * is matched to (ambiguous ones too): the 403s its handlers send are reached from no route. A route in no
   * operation, or in one that is not mTLS-secured, is not listed. Absent when there is none.
   */
  unseenHandlers?: (RouteRef & { reason: string })[];
  /** 403 sites no mTLS operation reaches: left alone. */
  notReached: number;
  /**
   * Documents of `--spec` with operations of which none is mTLS-secured, and no `x-mtls: false` saying so on every
   * one (relative to the working folder): nothing in them was checked, so a 403 left alone there is not proven
   * clean (the `mtls-unchecked` condition lint and fix gate on). Absent when there is none.
   */
  unchecked?: { document: string; operations: number }[];
  /**
   * Those sites by file, line and form, so that a site whose route was not read is named, never only counted
   * (issue 9 §2), with `kind`, what a run without `--spec` does with it (`rewrite`; `manual`: named for review, such
   * as a status read from a variable), so the list squares with the census, which counts only written 403s.
   * Absent from reports made before it existed.
   */
  leftAlone?: LeftAloneSite[];
  /**
   * Path prefixes the code serves a document's paths under that neither the document's paths nor its servers
   * spell (`app.use('/v1', router)` for a document of `/orders`): its unmatched operations were matched again
   * with the prefix in front. Absent when none was needed.
   */
  codePrefixes?: { document: string; prefix: string; operations: number }[];
  /**
   * Settings read at run time (`process.env.API_PREFIX ?? '/api'`, `config.get('prefix')`) whose written default
   * was taken as their value for a prefix or path (`from`: the configuration file that gives it, else the code).
   * Absent when none was taken.
   */
  settingDefaults?: { setting: string; value: string; file: string; line: number; from?: string }[];
  /**
   * Document paths the code names that two different files answer: `read` (as written from the source's folder,
   * the one read) and `other` (as the compiled code in the tsconfig `outDir` reads it), named at `file:line`.
   * Absent when none; byte-identical copies are not listed.
   */
  documentCopies?: { read: string; other: string; file: string; line: number }[];
  /**
   * Which service each document describes (`folders`: service folders whose routes its operations match;
   * absent: every route, `how` says why), when several documents or services were told apart.
   */
  documents?: { document: string; folders?: string[]; how: string }[];
}

export interface MigrateReport {
  status: number;
  summary: MigrateSummary;
  sites: ReportSite[];
  /** Manual sites sharing a module and a reason, two or more (each site stays in `sites` too). */
  groups: ReportGroup[];
  errors: ReportError[];
  /** Every 403 occurrence in the scanned text, classified. */
  census: Census;
  /** Files not scanned, by reason (`test`, `generated`, `minified`, `excluded`, `ignored-by-git`...). */
  skipped: Record<string, number>;
  /** One line each: explicitly named files that a default exclude skipped. */
  warnings: string[];
  /** With `explain`: the `notAnEmit` occurrences one by one. */
  notAnEmit?: CensusEntry[];
  /**
   * Status checks in server code that compare a response status with 403 (`error.status === 403`,
   * `case 403:` of a `switch (res.status)`): not responses, but they stop matching once the responses they read
   * answer the agreed status. Present only when the run rewrites at least one site and finds such a check;
   * they need a person's decision (do they read this server?) but do not count as manual sites.
   */
  statusChecks?: StatusCheck[];
  /**
   * Without `--include-tests`: the assertions of the skipped test files that check a 403 this run rewrites
   * (skipped-tests.ts), each with what `--include-tests` would write. Present only when there is one; they fail
   * once the server is written, and a later `--include-tests` run can no longer pair them with their server.
   */
  skippedTestAssertions?: SkippedTestAssertion[];
  /**
   * Without `--include-tests`, when the run rewrites or names a server site: the assertions of the skipped test
   * files that `--include-tests` would name for a person rather than rewrite and that may fail after this run
   * (skipped-tests.ts): no server found, or one this run changes that mtls-fix cannot write into the test. One
   * whose every server still answers the 403 it reads is left out. Present only when there is one.
   */
  skippedTestsMayFail?: SkippedTestMayFail[];
  /**
   * Without `--include-tests`: the stand-ins of the skipped test files (a stub app, a fake handler) that answer 403
   * on the method and path of a route whose site this run rewrites, each with the reason `--include-tests` gives
   * it (manual there, never rewritten). Present only when there is one (session 49).
   */
  skippedTestStandIns?: SkippedTestMayFail[];
  /**
   * Assertions on a 403 in API test suites outside code (Postman / Newman collections, Hurl, Bruno, Karate /
   * Cucumber features, Tavern: api-suites.ts), which `migrate` never rewrites. Present only when the run rewrites
   * or names at least one site (the server's answers change) and there is one; they do not fail `--check`.
   */
  suiteAssertions?: SuiteAssertion[];
  /**
   * Every file in a language `migrate` does not rewrite whose text holds a 403 form (skipped reason
   * `unsupported-language`; the warnings name ten per language), sorted by path. Absent when there is none.
   */
  unparsed?: UnparsedFile[];
  /**
   * Every minified file holding a 403 form, sorted by path (the warnings name them too): not scanned, so not
   * known clean; `--check` fails while one is there. Absent when there is none.
   */
  minified?: MinifiedFile[];
  /**
   * Every file in an output folder (`build/`, `dist/`, ...; skipped `generated`) that git does not ignore and whose
   * text holds a 403 form, sorted by path (the warnings name ten): not scanned, so not known clean; `--check` fails
   * while one is there. Absent when there is none.
   */
  generated?: MinifiedFile[];
  /**
   * Every file git ignores (skipped `ignored-by-git`) that a scanned file loads (`import`, `require`, `import()`
   * with a fixed specifier) and whose text holds a 403 form, sorted by path (a generated router: the warnings name
   * ten): not scanned, so not known clean; `--check` fails while one is there. Absent when there is none.
   */
  ignoredLoads?: IgnoredLoad[];
  /** Framework modules that ran on at least one file. */
  frameworks: string[];
  /** With `--spec`: which mTLS operations the code answers, and what could not be mapped. */
  coverage?: SpecCoverage;
}

/** The report plus what the command needs to print it (diff text, timing, source lines). */
export interface MigrateResult {
  report: MigrateReport;
  /** Unified diff of every changed file (only under `dry-run`). */
  diff: string;
  /** Milliseconds spent in `migrate()`. */
  elapsedMs: number;
  /** Source line of each manual site, keyed `file:line`, for the human listing. */
  sourceLines: Record<string, string>;
}
