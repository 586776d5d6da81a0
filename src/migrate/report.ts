import { ignoredLoadsUnscanned } from './ignored-loads.js';
import { ALREADY_ANSWERS } from './test-target-places.js';
import { formatCoverage } from './routes/coverage.js';
import { siteAt, type Occurrence } from './census.js';
import type { EditedPlace } from './edited-places.js';
import type { NamedCheck } from './status-checks.js';
import type {
  Census,
  CensusEntry,
  MigrateReport,
  MigrateResult,
  ReportError,
  ReportGroup,
  ReportSite,
  Site,
  SiteAction,
  StatusCheck,
  SuiteAssertion,
} from './types.js';

interface ReportInput {
  status: number;
  mode: 'write' | 'dry-run' | 'check';
  filesScanned: number;
  filesParsed: number;
  /** Files that did not parse (listed in `errors`). */
  filesFailed: number;
  filesChanged: number;
  sites: readonly Site[];
  /** Rewrite sites whose edits were refused (overlap, syntax), with the reason. */
  refused: ReadonlyMap<Site, string>;
  errors: ReportError[];
  lineOf: (site: Site) => { line: number; column: number; text: string };
  /** Every 403 occurrence, by file (relative path). */
  occurrences: ReadonlyMap<string, readonly Occurrence[]>;
  /** Sites dropped by `--spec` scoping (or a site filter): their occurrences are out of scope. */
  outOfScope: ReadonlySet<Site>;
  positionOf: (file: string, offset: number) => { line: number; column: number };
  /** List not-an-emit occurrences one by one. */
  explain: boolean;
  /** 403 forms in files the run could not read, by reason (not-read.ts `notReadCensus`). */
  notRead?: Readonly<Record<string, number>>;
  /** Declarations a rewrite edits outside its form (edited-places.ts): reported as sites with their reads. */
  places?: readonly EditedPlace[];
  /** Rewrites that change nothing in their own form: reported through their place, not on their own line. */
  folded?: ReadonlySet<Site>;
  /** Status checks whose 403 is a name holding no 403 text, by file (status-checks.ts `namedStatusChecks`). */
  namedChecks?: ReadonlyMap<string, readonly NamedCheck[]>;
}

/** The DESIGN §4 report, sorted by file, line, column; plus the source lines of sites for the human listing. */
export function buildReport(input: ReportInput): {
  report: MigrateReport;
  sourceLines: Record<string, string>;
} {
  const sourceLines: Record<string, string> = {};
  const toReport = (site: Site, refused: string | undefined): ReportSite => {
    const { line, column, text } = input.lineOf(site);
    sourceLines[`${site.file}:${line}`] = text;
    const action = actionOf(site, refused, input.mode);
    return {
      file: site.file,
      line,
      column,
      framework: site.framework,
      form: site.form,
      action,
      replacement: action === 'rewritten' || action === 'would-rewrite' ? site.replacement : null,
      operation: site.operation,
      reason:
        action !== 'ignored'
          ? (refused ?? site.reason)
          : site.ignoreReason !== undefined
            ? `mtls-fix-ignore: ${site.ignoreReason}`
            : `Covered by ${site.coveredBy ?? 'a remap'}.`,
    };
  };
  const sites: ReportSite[] = input.sites
    .filter((site) => !input.folded?.has(site))
    .map((site) => toReport(site, input.refused.get(site)));
  // A declaration the write edits for its reads is the site the report names, with the reads it serves.
  const places = new Map((input.places ?? []).map((place) => [place.site, place]));
  for (const place of places.values()) {
    const refused = refusedOf(input.refused, places, place.site);
    const operations = [...new Set(place.reads.flatMap((read) => read.operation?.split(', ') ?? []))];
    place.site.operation = operations.length ? operations.join(', ') : null;
    sites.push({
      ...toReport(place.site, refused),
      reads: place.reads.map((read) => {
        const { line, column } = input.lineOf(read);
        return { file: read.file, line, column, form: read.form };
      }),
    });
  }
  sites.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  const count = (...actions: SiteAction[]) => sites.filter((s) => actions.includes(s.action)).length;
  return {
    report: {
      status: input.status,
      summary: {
        filesScanned: input.filesScanned,
        filesParsed: input.filesParsed,
        filesFailed: input.filesFailed,
        filesChanged: input.filesChanged,
        rewritten: count('rewritten', 'would-rewrite'),
        manual: count('manual'),
        ignored: count('ignored'),
        errors: input.errors.length,
      },
      sites,
      groups: groupsOf(sites),
      errors: [...input.errors].sort((a, b) => (a.file < b.file ? -1 : 1)),
      ...tally(input),
      // Filled in by the engine, which knows discovery and the modules that ran.
      skipped: {},
      warnings: [],
      frameworks: [],
    },
    sourceLines,
  };
}

/**
 * Manual sites with the same module and reason, two or more, in report order: one decision for a person,
 * listed once with its places. Each reason names what differs between decisions (a helper, a class, a route),
 * so equal reasons mean one thing to decide.
 */
export function groupsOf(sites: readonly ReportSite[]): ReportGroup[] {
  const groups = new Map<string, ReportGroup>();
  for (const site of sites) {
    if (site.action !== 'manual') continue;
    const key = `${site.framework}\u0000${site.reason ?? ''}`;
    const group = groups.get(key) ?? {
      framework: site.framework,
      reason: site.reason ?? '',
      count: 0,
      places: [],
    };
    group.count++;
    group.places.push({ file: site.file, line: site.line, column: site.column, form: site.form });
    groups.set(key, group);
  }
  return [...groups.values()].filter((g) => g.count > 1);
}

/**
 * The census: each occurrence in exactly one class. Under a kept site it takes the site's action; under a
 * dropped one it is out of scope; otherwise the classifier gave it a not-an-emit kind.
 */
function tally(input: ReportInput): {
  census: Census;
  notAnEmit?: CensusEntry[];
  statusChecks?: StatusCheck[];
} {
  const census: Census = {
    occurrences: 0,
    rewritten: 0,
    manual: 0,
    ignored: 0,
    outOfScope: 0,
    notAnEmit: {},
    notRead: { ...input.notRead },
  };
  for (const n of Object.values(census.notRead)) census.occurrences += n;
  const entries: CensusEntry[] = [];
  const checks: StatusCheck[] = [];
  const places = new Map((input.places ?? []).map((place) => [place.site, place]));
  const byFile = new Map<string, Site[]>();
  for (const site of [...input.sites, ...(input.places ?? []).map((p) => p.site), ...input.outOfScope]) {
    const list = byFile.get(site.file) ?? [];
    list.push(site);
    byFile.set(site.file, list);
  }
  for (const [file, occurrences] of input.occurrences) {
    for (const occurrence of occurrences) {
      census.occurrences++;
      const site = occurrence.kind
        ? undefined
        : siteAt(byFile.get(file) ?? [], occurrence.start, occurrence.end);
      if (site && input.outOfScope.has(site)) {
        census.outOfScope++;
      } else if (site) {
        const action = actionOf(site, refusedOf(input.refused, places, site), input.mode);
        if (action === 'manual') census.manual++;
        else if (action === 'ignored') census.ignored++;
        else census.rewritten++;
      } else {
        // Never without a kind: takeCensus gives every occurrence no site covers a kind or a site.
        const kind = occurrence.kind ?? 'unclassified';
        census.notAnEmit[kind] = (census.notAnEmit[kind] ?? 0) + 1;
        if (occurrence.check)
          checks.push({ file, ...input.positionOf(file, occurrence.start), check: occurrence.check });
        if (input.explain)
          entries.push({
            file,
            ...input.positionOf(file, occurrence.start),
            text: occurrence.text,
            kind,
            ...(occurrence.via ? { via: occurrence.via } : {}),
          });
      }
    }
  }
  census.notAnEmit = Object.fromEntries(
    Object.entries(census.notAnEmit).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  for (const [file, named] of input.namedChecks ?? [])
    for (const { start, check } of named) checks.push({ file, ...input.positionOf(file, start), check });
  // A rewrite of a 403 held by a name (`res.status(loginErrorCode)`) holds no occurrence of its own: it changes
  // a status all the same.
  const rewrites =
    census.rewritten > 0 ||
    input.sites.some(
      (site) =>
        !input.outOfScope.has(site) &&
        site.kind === 'rewrite' &&
        !input.refused.has(site) &&
        actionOf(site, undefined, input.mode) !== 'ignored',
    );
  checks.sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column,
  );
  return {
    census,
    ...(input.explain ? { notAnEmit: entries } : {}),
    // Only a run that changes a status can break a check; with nothing rewritten they still match.
    ...(checks.length && rewrites ? { statusChecks: checks } : {}),
  };
}

function formatSkipped(skipped: Record<string, number>): string {
  const entries = Object.entries(skipped);
  if (!entries.length) return '';
  return `; skipped ${entries.map(([reason, n]) => `${n} ${reason}`).join(', ')}`;
}

/** One line: `census  120 occurrences: 80 rewritten, 3 manual, 1 ignored, 36 not an emit (comparison 20, ...)`. */
export function formatCensus(census: Census, verb = 'rewritten'): string {
  const kinds = Object.entries(census.notAnEmit)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  const notAnEmit = Object.values(census.notAnEmit).reduce((a, b) => a + b, 0);
  const scope = census.outOfScope ? `, ${census.outOfScope} outside --spec` : '';
  const notRead = Object.values(census.notRead ?? {}).reduce((a, b) => a + b, 0);
  const reasons = Object.entries(census.notRead ?? {})
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  const unread = notRead ? `, ${notRead} not read (${reasons})` : '';
  return `${census.occurrences} occurrences of 403: ${census.rewritten} ${verb}, ${census.manual} manual, ${census.ignored} ignored${scope}, ${notAnEmit} not an emit${kinds ? ` (${kinds})` : ''}${unread}`;
}

/** Why a site's rewrite was refused; for a place (`places`, by its site), the first refusal of a read it serves. */
function refusedOf(
  refused: ReadonlyMap<Site, string>,
  places: ReadonlyMap<Site, EditedPlace>,
  site: Site,
): string | undefined {
  const place = places.get(site);
  if (!place) return refused.get(site);
  return place.reads.map((read) => refused.get(read)).find((r) => r !== undefined);
}

function actionOf(site: Site, refused: string | undefined, mode: ReportInput['mode']): SiteAction {
  if (site.ignoreReason || site.coveredBy) return 'ignored';
  if (site.kind === 'manual' || refused) return 'manual';
  return mode === 'write' ? 'rewritten' : 'would-rewrite';
}

/**
 * The modules line when no module ran: no file that was read held a 403 form; files that were not read may
 * (census `notRead`), and the line says so rather than "no file held a 403 form".
 */
function noModules(report: MigrateReport): string {
  const notRead = Object.values(report.census.notRead ?? {}).reduce((a, b) => a + b, 0);
  if (!notRead) return 'none (no file held a 403 form)';
  return `none (no file read held a 403 form; ${notRead} ${notRead === 1 ? 'occurrence' : 'occurrences'} of 403 in files not read, named above)`;
}

/** Whether `--check` fails: anything would change, or needs a person (ignored sites do not count). */
export function checkFails(report: MigrateReport, options: CheckOptions = {}): boolean {
  return checkFailures(report, options).length > 0;
}

/** What a `--check` gates on beyond the sites: the config's `rules` setting for `mtls-unchecked`. */
export interface CheckOptions {
  /**
   * Whether a `--spec` document with no mTLS-secured operation fails the check when 403s were left alone
   * (`uncheckedSpecs`); default true. False when config `rules` sets `mtls-unchecked` below error, as for `fix --check`.
   */
  unchecked?: boolean;
}

/**
 * Why `--check` fails, one short sentence per cause, in the order the human report lists them (sites to rewrite,
 * sites to review, files not scanned, left-alone sites not proven); empty when the check passes. The command
 * prints each on stderr (`mtls-fix: --check fails: ...`), so a check that fails always says why in one place,
 * whatever the output format, even when only review items remain.
 */
export function checkFailures(report: MigrateReport, options: CheckOptions = {}): string[] {
  const reasons: string[] = [];
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  const { rewritten, manual } = report.summary;
  if (rewritten > 0)
    reasons.push(
      `${plural(rewritten, 'site', 'sites')} still ${rewritten === 1 ? 'answers' : 'answer'} 403 and would be rewritten to ${report.status} (listed in the report): run mtls-fix migrate.`,
    );
  if (manual > 0)
    reasons.push(
      `${plural(manual, 'site needs', 'sites need')} review (listed in the report): change each by hand, or acknowledge it with a reason (// mtls-fix-ignore: <reason>).`,
    );
  // A file holding a 403 in a language mtls-fix cannot parse needs review as much as a manual site does; so do a
  // data file named on the command line that holds one (not-source.ts), one git tracks under node_modules, and one
  // a symbolic link leads out of the git work tree (each named in a warning).
  const skipped: [key: string, one: string, many: string][] = [
    [
      'unsupported-language',
      'holds a 403 form in a language mtls-fix does not parse',
      'hold a 403 form in a language mtls-fix does not parse',
    ],
    [
      'not-source',
      'named on the command line holds a 403 form but is data, not source',
      'named on the command line hold a 403 form but are data, not source',
    ],
    [
      'node-modules',
      'git tracks under node_modules holds a 403 form',
      'git tracks under node_modules hold a 403 form',
    ],
    [
      'outside-work-tree',
      'is reached through a symbolic link out of the git work tree',
      'are reached through a symbolic link out of the git work tree',
    ],
  ];
  for (const [key, one, many] of skipped) {
    const count = report.skipped[key] ?? 0;
    if (count > 0)
      reasons.push(
        count === 1
          ? `1 file that ${one} was not scanned (named in the warnings above): review it by hand, or exclude it (migrate.exclude).`
          : `${count} files that ${many} were not scanned (named in the warnings above): review them by hand, or exclude them (migrate.exclude).`,
      );
  }
  // Test assertions the run names without --include-tests (skipped-tests.ts): they fail, or may, once the server
  // is written, or already do (trial39 #06). Not a clean check while a test certainly fails.
  const tests = (report.skippedTestAssertions?.length ?? 0) + (report.skippedTestsMayFail?.length ?? 0);
  const standIns = report.skippedTestStandIns?.length ?? 0;
  if (standIns > 0)
    reasons.push(
      `${plural(standIns, 'stand-in in test code copies', 'stand-ins in test code copy')} a route whose server answers or will answer ${report.status} (listed in the report): change ${standIns === 1 ? 'it' : 'them'} by hand with the server, or keep ${standIns === 1 ? 'it' : 'them'} on purpose with // mtls-fix-ignore: <why>.`,
    );
  if (tests > 0)
    reasons.push(
      `${plural(tests, 'test assertion checks', 'test assertions check')} a 403 whose server answers or will answer ${report.status} (listed in the report): update ${tests === 1 ? 'it' : 'them'} with the server (--include-tests), or keep ${tests === 1 ? 'it' : 'them'} on purpose with // mtls-fix-ignore: <why>.`,
    );
  for (const reason of [
    minifiedUnscanned(report),
    generatedUnscanned(report),
    ignoredLoadsUnscanned(report.ignoredLoads),
    unprovenLeftAlone(report),
    options.unchecked === false ? undefined : uncheckedSpecs(report),
  ])
    if (reason) reasons.push(reason);
  return reasons;
}

/**
 * Why `--check` fails on minified files holding a 403 form (`report.minified`), naming five of them; undefined
 * when there is none.
 */
export function minifiedUnscanned(report: MigrateReport): string | undefined {
  const files = report.minified ?? [];
  if (!files.length) return undefined;
  const named = files.slice(0, 5).map((f) => `${f.file}:${f.line}`);
  const more = files.length > 5 ? ` and ${files.length - 5} more` : '';
  return `${files.length === 1 ? '1 minified file holds' : `${files.length} minified files hold`} a 403 form and ${files.length === 1 ? 'was' : 'were'} not scanned (${named.join(', ')}${more}): rewrite the source each is built from and rebuild it, or list a vendored bundle in migrate.exclude.`;
}

/**
 * Under `--spec`: 403 sites were left alone as reached from no mTLS operation, while some mTLS operation has no
 * handler found (its route was not read, or the document lists what the code does not serve). A left-alone site
 * may be that operation's, so "left alone" is not proven: `--check` fails and says why. Undefined otherwise.
 */
export function unprovenLeftAlone(report: MigrateReport): string | undefined {
  const coverage = report.coverage;
  if (!coverage || coverage.notReached === 0 || coverage.noHandler.length === 0) return undefined;
  const unread = coverage.unresolved.length
    ? ` (and ${coverage.unresolved.length} registrations or routes were not read)`
    : '';
  return `${coverage.notReached} 403 sites were left alone as reached from no mTLS operation, but ${coverage.noHandler.length} mTLS operations have no handler found${unread}: a left-alone site may answer one of them. Map the routes (--mount FILE=PREFIX), correct the document, or run without --spec to see every site.`;
}

/**
 * Under `--spec`: 403 sites were left alone while a document declares no mTLS at all (`coverage.unchecked`: no
 * operation mTLS-secured, none saying `x-mtls: false`), so nothing in it was checked and "left alone" is not proven
 * (breaker37 #07; `fix --check` and `lint --quiet` fail the same document through `mtls-unchecked`). Undefined
 * otherwise.
 */
export function uncheckedSpecs(report: MigrateReport): string | undefined {
  const coverage = report.coverage;
  const documents = coverage?.unchecked ?? [];
  if (!coverage || coverage.notReached === 0 || !documents.length) return undefined;
  const named = documents.map((d) => d.document).join(', ');
  const one = documents.length === 1;
  return `${coverage.notReached} 403 ${coverage.notReached === 1 ? 'site was' : 'sites were'} left alone, but ${named} ${one ? 'declares' : 'declare'} no mTLS (no operation is mTLS-secured), so nothing was checked: ${UNCHECKED_ADVICE}`;
}

/** What to do about a `--spec` document that declares no mTLS (`uncheckedSpecs`). */
export const UNCHECKED_ADVICE =
  "declare the mTLS operations (a mutualTLS security scheme, x-mtls: true, or config mtls / --mtls-scheme NAME / --mtls-server REGEX / --mtls-everywhere), say x-mtls: false at the document's root if none is, or set rules: { mtls-unchecked: warn } in the config.";

/**
 * Why `--check` fails on output-folder files holding a 403 form (`report.generated`), naming five of them;
 * undefined when there is none.
 */
export function generatedUnscanned(report: MigrateReport): string | undefined {
  const files = report.generated ?? [];
  if (!files.length) return undefined;
  const named = files.slice(0, 5).map((f) => `${f.file}:${f.line}`);
  const more = files.length > 5 ? ` and ${files.length - 5} more` : '';
  const one = files.length === 1;
  return `${one ? '1 file' : `${files.length} files`} in output folders ${one ? 'holds' : 'hold'} a 403 form and ${one ? 'was' : 'were'} not scanned (${named.join(', ')}${more}): rewrite the source each is built from and rebuild it, name the folder if it is your source, or list it in migrate.exclude if it is never served.`;
}

/**
 * The skipped tests' assertions on 403s the run rewrites (`skippedTestAssertions`), each with what
 * `--include-tests` would write: before a write, the order that keeps them paired with their server; after it,
 * how to recover that order.
 */
function skippedTestLines(report: MigrateReport, mode: 'write' | 'dry-run' | 'check'): string[] {
  const found = report.skippedTestAssertions ?? [];
  const files = new Set(found.map((a) => a.file)).size;
  const where = `${found.length} ${found.length === 1 ? 'assertion' : 'assertions'} in ${files} test ${files === 1 ? 'file' : 'files'}`;
  const head =
    mode === 'write'
      ? `Tests now failing (${where}): each checks a 403 this run rewrote to ${report.status}, and test files change only with --include-tests. Now that the server is written, a later --include-tests run can no longer pair them with it: update each by hand as shown, or undo this run's changes (git checkout -- <files>) and run again with --include-tests, which rewrites them together with their server:`
      : `Tests to change with the server (${where}): each checks a 403 this run rewrites to ${report.status}, and test files change only with --include-tests. Run again with --include-tests before writing, so each is rewritten together with its server (once the server is written they can no longer be paired), or update them by hand as shown:`;
  return [
    head,
    ...found.map(
      (a) => `    ${a.file}:${a.line}:${a.column}  ${a.form}${a.replacement ? ` -> ${a.replacement}` : ''}`,
    ),
  ];
}

/**
 * The stand-ins of the skipped test files that copy a route this run rewrites (`skippedTestStandIns`): each with
 * its reason, so that a plain run names what `--include-tests` would list for a person.
 */
function standInLines(report: MigrateReport): string[] {
  const found = report.skippedTestStandIns ?? [];
  const files = new Set(found.map((a) => a.file)).size;
  const where = `${found.length} ${found.length === 1 ? 'stand-in' : 'stand-ins'} in ${files} test ${files === 1 ? 'file' : 'files'}`;
  return [
    `Stand-ins in test code that copy a rewritten route (${where}): each answers 403 where its product route now answers ${report.status}. Test files change only with --include-tests, and mtls-fix never rewrites a stand-in, with or without it: check each by hand (why below).`,
    ...found.flatMap((a) => [`  ${a.file}:${a.line}:${a.column}  ${excerptLine(a.form)}`, `    ${a.reason}`]),
  ];
}

/**
 * The skipped tests' assertions that may fail after this run without being rewritten by `--include-tests`
 * (`skippedTestsMayFail`): each with why, so that a plain run leaves no test that may now fail unmentioned.
 */
function mayFailLines(report: MigrateReport, mode: 'write' | 'dry-run' | 'check'): string[] {
  const found = report.skippedTestsMayFail ?? [];
  const files = new Set(found.map((a) => a.file)).size;
  const where = `${found.length} ${found.length === 1 ? 'assertion' : 'assertions'} in ${files} test ${files === 1 ? 'file' : 'files'}`;
  // A run that rewrites no server site (after a server-only write) lists only those whose reached code already
  // sends the agreed status (skipped-tests.ts): an earlier run changed it.
  const changes =
    report.summary.rewritten === 0
      ? 'an earlier run changed (its reason names where it sends it)'
      : mode === 'write'
        ? 'this run changed'
        : 'this run changes';
  // Each names a server that already answers the agreed status (an earlier run wrote it without --include-tests,
  // test-target-places.ts `alreadyAnswers`): it fails as the code stands (trial39 #06). One whose server is
  // unknown only may, even when no 403 form is left (a dynamic status still may answer 403).
  const head =
    found.length && found.every((a) => a.reason.includes(ALREADY_ANSWERS))
      ? `Tests that fail (${where}): each asserts a 403 in a test file skipped without --include-tests, whose server already answers ${report.status} (written by an earlier run without --include-tests). Make each expect ${report.status} by hand (why below), or keep it on purpose with // mtls-fix-ignore: <why>.`
      : `Tests that may fail (${where}): each asserts a 403 in a test file skipped without --include-tests, whose server mtls-fix could not pair with one it leaves at 403, so it may now get ${report.status} from a server ${changes}. mtls-fix does not rewrite them, with or without --include-tests: check each by hand (why below), change it with its server, or keep it on purpose with // mtls-fix-ignore: <why>.`;
  return [
    head,
    // A reason several assertions share (every assertion of a Postman script) is said once, above them.
    ...[...groupedByReason(found)].flatMap(([reason, places]) => [
      `  ${reason}`,
      ...places.map((a) => `    ${a.file}:${a.line}:${a.column}  ${excerptLine(a.form)}`),
    ]),
  ];
}

/** Items by their `reason`, in the order each reason first appears. */
function groupedByReason<T extends { reason: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.reason);
    if (list) list.push(item);
    else out.set(item.reason, [item]);
  }
  return out;
}

/** The widest source line the human list prints whole; longer ones (a minified line) are cut around the site. */
const EXCERPT = 160;

/**
 * A source line as the human list shows it: trimmed, and cut to `EXCERPT` characters around `column` (1-based)
 * with `…` where text was left out, so that a vendored one-line bundle does not print kilobytes.
 */
export function excerpt(source: string, column: number): string {
  const trimmed = source.trim();
  if (trimmed.length <= EXCERPT) return trimmed;
  const start = Math.max(0, Math.min(column - 1 - EXCERPT / 2, source.length - EXCERPT));
  const end = Math.min(source.length, start + EXCERPT);
  return `${start > 0 ? '…' : ''}${source.slice(start, end).trim()}${end < source.length ? '…' : ''}`;
}

/** The human summary and manual list (`file:line:col` with the source line under it). */
export function formatHuman(result: MigrateResult, mode: 'write' | 'dry-run' | 'check'): string {
  const { report } = result;
  const s = report.summary;
  const verb = mode === 'write' ? 'rewritten' : 'to rewrite';
  const seconds = (result.elapsedMs / 1000).toFixed(2);
  const lines: string[] = [];
  const manual = report.sites.filter((site) => site.action === 'manual');
  if (manual.length) {
    // A reason shared by several sites is one item: its reason once, then every place.
    const groups = new Map(report.groups.map((g) => [`${g.framework}\u0000${g.reason}`, g]));
    const items = manual.length - [...groups.values()].reduce((n, g) => n + g.count - 1, 0);
    const counted =
      items === manual.length
        ? `${manual.length}`
        : `${manual.length} sites in ${items} ${items === 1 ? 'item' : 'items'}`;
    lines.push(`Needs review (${counted}):`, '');
    const listed = new Set<ReportGroup>();
    for (const site of manual) {
      const group = groups.get(`${site.framework}\u0000${site.reason ?? ''}`);
      if (group) {
        if (listed.has(group)) continue;
        listed.add(group);
        lines.push(`${group.count} places  ${group.framework}  ${group.reason}`);
        for (const place of group.places) {
          const source = result.sourceLines[`${place.file}:${place.line}`];
          lines.push(
            `    ${place.file}:${place.line}:${place.column}${source !== undefined ? `  ${excerpt(source, place.column)}` : ''}`,
          );
        }
        lines.push('');
        continue;
      }
      lines.push(`${site.file}:${site.line}:${site.column}  ${site.framework}  ${site.reason ?? ''}`);
      const source = result.sourceLines[`${site.file}:${site.line}`];
      if (source !== undefined) lines.push(`    ${excerpt(source, site.column)}`);
      lines.push('');
    }
  }
  if (manual.some((site) => /^Implicit 403/.test(site.reason ?? '')))
    lines.push(
      'Implicit 403s: add the remap each names (mtls-fix reports a site it covers as covered), or, once a site is handled another way, mark it // mtls-fix-ignore: <why>.',
      '',
    );
  const covered = report.sites.filter(
    (site) => site.action === 'ignored' && site.reason?.startsWith('Covered by '),
  );
  if (covered.length)
    lines.push(
      `Covered by a remap (${covered.length}):`,
      ...covered.map(
        (site) => `    ${site.file}:${site.line}:${site.column}  ${site.framework}  ${site.reason ?? ''}`,
      ),
      '',
    );
  if (report.statusChecks?.length) {
    const checks = report.statusChecks;
    lines.push(
      `Status checks to review (${checks.length}): each compares a response status with 403 and is left as it is; where it reads a response this run changes, it now sees ${report.status} and no longer matches. Update it, or keep it for other servers' 403s:`,
      ...checks.map((c) => `    ${c.file}:${c.line}:${c.column}  ${c.check}`),
      '',
    );
  }
  if (report.skippedTestAssertions?.length) lines.push(...skippedTestLines(report, mode), '');
  if (report.skippedTestsMayFail?.length) lines.push(...mayFailLines(report, mode), '');
  if (report.skippedTestStandIns?.length) lines.push(...standInLines(report), '');
  if (report.suiteAssertions?.length) lines.push(...suiteLines(report.suiteAssertions, report.status), '');
  const notWritten = report.errors.filter((error) => error.stage === 'not-written');
  const notParsed = report.errors.filter((error) => error.stage !== 'not-written');
  for (const [heading, errors] of [
    ['Not parsed', notParsed],
    [mode === 'write' ? 'Not written' : 'Would not be written', notWritten],
  ] as const) {
    if (!errors.length) continue;
    lines.push(`${heading} (${errors.length}):`);
    for (const error of errors) lines.push(`  ${error.file}: ${error.message}`);
    lines.push('');
  }
  lines.push(
    `mtls-fix migrate: 403 -> ${report.status}`,
    `  files  ${s.filesScanned} scanned, ${s.filesParsed} parsed${s.filesFailed ? `, ${s.filesFailed} failed to parse` : ''}, ${s.filesChanged} ${mode === 'write' ? 'changed' : 'would change'}${formatSkipped(report.skipped)}`,
    `  sites  ${s.rewritten} ${verb}, ${s.manual} manual, ${s.ignored} ignored${covered.length ? ` (${covered.length} covered by a remap)` : ''}, ${s.errors} errors`,
    `  census ${formatCensus(report.census, verb)}`,
    `  modules ${report.frameworks.join(', ') || noModules(report)}`,
    `  time   ${seconds} s`,
  );
  if (report.coverage) lines.push('', formatCoverage(report.coverage));
  const unproven = mode === 'check' ? unprovenLeftAlone(report) : undefined;
  if (unproven) lines.push('', `--check fails: ${unproven}`);
  const minified = mode === 'check' ? minifiedUnscanned(report) : undefined;
  if (minified) lines.push('', `--check fails: ${minified}`);
  const generated = mode === 'check' ? generatedUnscanned(report) : undefined;
  if (generated) lines.push('', `--check fails: ${generated}`);
  const ignored = mode === 'check' ? ignoredLoadsUnscanned(report.ignoredLoads) : undefined;
  if (ignored) lines.push('', `--check fails: ${ignored}`);
  return lines.join('\n');
}

/** API test assertions listed in full up to this many; then a count (`--json` lists every one). */
const SUITE_SHOWN = 50;

/**
 * The human listing of `MigrateReport.suiteAssertions`: a heading naming the tools, then one line per assertion
 * (`file:line:col  Tool  request  assertion`), fifty at most.
 */
function suiteLines(assertions: readonly SuiteAssertion[], status: number): string[] {
  const files = new Set(assertions.map((a) => a.file)).size;
  const tools = [...new Set(assertions.map((a) => a.tool))].sort().join(', ');
  const lines = [
    `API tests outside code to review (${assertions.length} in ${files} file${files === 1 ? '' : 's'}: ${tools}): each asserts a 403 in a test suite migrate does not rewrite. Where its request reaches a route this run changes, the server now answers ${status}: update the assertion by hand (or keep it for a route that still answers 403).`,
    ...assertions
      .slice(0, SUITE_SHOWN)
      .map(
        (a) =>
          `    ${a.file}:${a.line}:${a.column}  ${a.tool}  ${a.request ? `${a.request}  ` : ''}${excerptLine(a.assertion)}`,
      ),
  ];
  if (assertions.length > SUITE_SHOWN)
    lines.push(
      `    ... and ${assertions.length - SUITE_SHOWN} more (--json lists every one under suiteAssertions).`,
    );
  return lines;
}

/** A line shortened to 120 characters. */
function excerptLine(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
