import { readFileSync } from 'node:fs';
import type { FileAnalysis } from './analysis.js';
import type { Occurrence } from './census-occurrences.js';
import { forbiddenRemapFilters, globalFilterRegistrations } from './nest-filters.js';
import ts from '../typescript.cjs';
import { tieNames } from './remaps-apis.js';
import { gatewayRemaps, type GatewayRemap, type GatewayRemaps } from './remaps-gateway.js';
import { packageErrorCode } from './remaps-codes.js';
import { codeRemaps, HOOK_REGISTRATION, type CodeRemap, type Family } from './remaps-hooks.js';
import { GLOBAL_FILTER_TEXT, nestFilterRemaps } from './remaps-nest.js';
import { modulesNamed, nodeAt, reaches, type Reach } from './remaps-reach.js';
import {
  RUNTIME_GUARD_TEXT,
  runtimeNestFilters,
  runtimeRemaps,
  type RuntimeNestFilter,
  type RuntimeRemap,
} from './remaps-runtime.js';
import type { Site } from './types.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * The central remaps migrate recommends for implicit 403s (remaps.ts), recognised where a user wrote them (DESIGN
 * §6 "Never guess", the remap already in place): an implicit site a remap of the advised shape covers is reported
 * as covered by it (`Site.coveredBy`), not as work; a remap to another status than the agreed one is named in the
 * site's reason. Shapes (each where the site's own advice names it):
 * - code hooks (remaps-hooks.ts): hapi `onPreResponse`, Express error middleware, Koa middleware, Fastify
 *   `setErrorHandler` / `addHook('onSend')`, Hono `app.onError`, each written in place or passed by name
 *   (remaps-handlers.ts), and NestJS global filters that catch everything (remaps-nest.ts);
 * - API Gateway ACCESS_DENIED / DEFAULT_4XX gateway responses (remaps-gateway.ts) for authorizer Denys.
 * A code remap covers the implicit sites it reaches (remaps-reach.ts) whose layer it remaps; one that tests a
 * package's error code instead of the status covers that package's sites only (remaps-codes.ts). A site is covered
 * only when every remap that reaches it answers the agreed status: one that answers another is named, and then
 * none counts (which of two answers first is not read). NestJS guard sites are covered by their filters in
 * nest-guard-sites.ts. The 403s a remap reads are counted as `remap` in the census, not as comparisons.
 */
export interface RemapInput {
  cwd: string;
  analyses: Iterable<FileAnalysis>;
  /** The run's settled sites (mutated: covered sites, reasons, a Nest filter warning with nothing to warn of). */
  sites: Site[];
  /** Settled sites whose rewrite was refused. */
  refused: ReadonlyMap<Site, unknown>;
  occurrences: ReadonlyMap<string, Occurrence[]>;
  target: number;
  /**
   * Every file the run discovered (analysed or not): an app created in a file with no 403 (server.js) counts for
   * "the run creates one app" too. Absent: only the analysed files count.
   */
  files?: readonly { absolute: string; relative: string; test: boolean }[];
  /**
   * Analyses a discovered file the run did not analyse (no 403 form in it: `app.use(errorHandler)` in server.js),
   * kept out of the run's counts (run-files.ts `analyzeAside`): read for remaps only, when an implicit site needs
   * one. `text` is the file's text as {@link settleRemaps} read it (`textOf`), so the file is not read a second
   * time. Absent: only the analysed files are read.
   */
  aside?: (
    file: { absolute: string; relative: string; test: boolean },
    text: string,
  ) => FileAnalysis | undefined;
  /**
   * The text of a discovered file the run did not analyse: the run's when it holds one (run-files.ts `peekText`).
   * Throws what the file system says. Absent: read from disk.
   */
  textOf?: (absolute: string) => string;
}

/** The app creation of each family, by text: one in the whole run lets a remap reach another file. */
const APP_CREATIONS: Readonly<Record<Family, RegExp>> = {
  hapi: /\b(?:Hapi\.server|Hapi\.Server|\bserver)\s*\(\s*\{|\bnew\s+(?:Hapi\.)?Server\s*\(/g,
  express: /\bexpress\s*\(\s*\)/g,
  koa: /\bnew\s+Koa\s*\(/g,
  fastify: /\b[Ff]astify\s*\(/g,
  hono: /\bnew\s+Hono\s*(?:<[^>]*>)?\s*\(/g,
  nest: /\bNestFactory\.create\s*(?:<[^>]*>)?\s*\(/g,
};

/** What to add to an uncovered implicit site's reason: the next step once it is handled. */
export const ACKNOWLEDGE =
  'Once it is handled (the remap above, or another way), mark it // mtls-fix-ignore: <why> if mtls-fix does not report it as covered.';

/** Where a code remap's function is written (file relative to the working folder, offsets in its text). */
export interface RemapSpan {
  file: string;
  start: number;
  end: number;
}

/**
 * Settles the run's implicit sites against the remaps in its code and infrastructure (see {@link RemapInput}).
 * Returns where the code remaps that answer the agreed status are written: their status tests are the remap's, no check to review
 * (status-checks.ts `namedChecksOf`).
 */
export async function settleRemaps(input: RemapInput): Promise<RemapSpan[]> {
  const analyses = [...input.analyses].filter((a) => !a.options.testFile);
  dropIdleFilterWarnings(input, analyses);
  dropPendingCovers(input);
  const implicit = input.sites.filter(
    (s) =>
      s.kind === 'manual' &&
      !s.ignoreReason &&
      !s.coveredBy &&
      (/^Implicit 403/.test(s.reason ?? '') || !!s.remapLayers?.length || isNestGuardSite(s)),
  );
  const byFile = new Map(analyses.map((a) => [a.file, a]));
  const needsCode = implicit.some(
    (s) => s.remapLayers?.some((l) => l !== 'gateway-response') || isNestGuardSite(s),
  );
  // The files with no 403 form are read only when a site needs a code remap (their apps, their hooks).
  const others = needsCode ? readOthers(input, byFile) : undefined;
  const creations = (family: Family): number => others?.creations.get(family) ?? 0;
  const aside = others?.aside ?? [];
  for (const a of aside) byFile.set(a.file, a);
  const analysisOf = namedFileAnalyses(input, byFile);
  const code = [...analyses, ...aside].flatMap((a) => [
    ...codeRemaps(a, analysisOf),
    ...nestFilterRemaps(a, analysisOf),
  ]);
  markRemapOccurrences(code, input.occurrences);
  // A remap that answers the agreed status: its named 403 and its tests are its own (one to another status is named
  // on the sites it reaches, and its checks and names stay to review).
  const agreed = code.filter((r) => r.status === input.target);
  settleNamedDefinitions(input, agreed, [...analyses, ...aside]);
  // mtls-fix's own runtime guards (remaps-runtime.ts): remaps of every 403 their app writes.
  const runtime = needsCode ? [...analyses, ...aside].flatMap((a) => runtimeRemaps(a, input.target)) : [];
  const nestFilters = needsCode
    ? [...analyses, ...aside].flatMap((a) => runtimeNestFilters(a, input.target))
    : [];
  let gateway: GatewayRemaps | undefined;
  for (const site of implicit) {
    const layers = site.remapLayers ?? [];
    if (layers.includes('gateway-response')) {
      gateway ??= await gatewayRemaps(input.cwd);
      settleGateway(site, gateway, input.target);
    } else if (isNestGuardSite(site)) {
      settleNestGuard(site, nestFilters, creations('nest'), input.target);
    } else if (layers.length) {
      const siteAnalysis = byFile.get(site.file);
      const siteNode = siteAnalysis && nodeAt(siteAnalysis.sourceFile, site.start, site.end);
      const found: Found[] = [];
      const missed: string[] = [];
      let modules: Set<string> | undefined;
      for (const remap of code) {
        if (!familyServes(remap.family, site.framework) || !remap.layers.some((l) => layers.includes(l)))
          continue;
        const remapAnalysis = byFile.get(remap.file);
        if (!remapAnalysis) continue;
        if (!remap.tests.status) {
          // The packages the site's 403 comes from: `csurf` of `app.use(csrfProtection)`, two locals deep.
          modules ??= siteNode && siteAnalysis ? modulesNamed([siteNode], siteAnalysis, 2) : new Set();
          const known = modules;
          if (!remap.tests.codes.some((c) => packageErrorCode(c)?.modules.some((m) => known.has(m)))) {
            missed.push(
              `The ${remap.how} remap at ${remap.file}:${remap.line} tests ${remap.tests.codes.map((c) => `'${c}'`).join(', ')} only, which ${known.size ? `is not the error of ${[...known].join(', ')}` : 'mtls-fix does not tie to this 403'}.`,
            );
            continue;
          }
        }
        const reach =
          remap.family === 'nest'
            ? nestReach(remapAnalysis, siteAnalysis, creations('nest'), creations(site.framework as Family))
            : reaches({
                family: remap.family,
                remapCall: remap.call,
                remapAnalysis,
                siteNode,
                siteAnalysis,
                apps: creations(remap.family),
              });
        if (reach.reaches) found.push(remap);
        else
          missed.push(
            `The ${remap.how} remap at ${remap.file}:${remap.line} does not reach this 403: ${reach.why}.`,
          );
      }
      for (const guard of runtime) {
        if (guard.family !== 'wrap' && !familyServes(guard.family, site.framework)) continue;
        const guardAnalysis = byFile.get(guard.file);
        if (!guardAnalysis) continue;
        const reach =
          guard.family === 'wrap'
            ? wrapReach(guardAnalysis, siteAnalysis, site.framework, creations)
            : reaches({
                family: guard.family === 'nest' ? 'express' : guard.family,
                remapCall: guard.call,
                remapAnalysis: guardAnalysis,
                siteNode,
                siteAnalysis,
                apps: creations(guard.family),
                runtimeGuard: true,
              });
        if (reach.reaches) found.push(guard);
        else
          missed.push(
            `The ${guard.how} at ${guard.file}:${guard.line} does not reach this 403: ${reach.why}.`,
          );
      }
      settleCode(site, found, missed, input.target);
    }
    if (!site.coveredBy && !/mtls-fix-ignore/.test(site.reason ?? '')) {
      // A Nest 403 a filter of its routes answers never reaches a global MtlsGuardFilter: none is offered.
      const offer =
        site.remapLayers?.includes('gateway-response') || site.nestException?.filtersDecided
          ? undefined
          : runtimeOffer(site, input.target);
      site.reason = `${site.reason ?? ''}${offer ? ` ${offer}` : ''} ${ACKNOWLEDGE}`;
    }
  }
  return agreed.map((r) => ({ file: r.fnFile, start: r.start, end: r.end }));
}

/**
 * mtls-fix's own runtime guard for a site's framework (README "When you cannot change the code"), offered beside the
 * hand-written remap of every implicit 403 it can settle: not an API Gateway's own 403 (it never reaches the
 * handler) nor hapi's (no guard plugs into a hapi server). Undefined when no guard fits.
 */
export function runtimeOffer(site: Pick<Site, 'framework'>, target: number): string | undefined {
  const mount: Readonly<Record<string, string>> = {
    express: 'app.use(expressMtlsGuard()) before it',
    koa: 'app.use(koaMtlsGuard()) upstream of it',
    fastify: 'await app.register(fastifyMtlsGuard) on its instance',
    hono: 'app.use(honoMtlsGuard()) before it',
    nestjs: 'app.useGlobalFilters(new MtlsGuardFilter())',
    'node-http': 'http.createServer(withMtlsGuard(listener))',
  };
  const how = mount[site.framework];
  return how
    ? `Or let mtls-fix's runtime guard answer ${target} to clients with a verified certificate: ${how} (import it from 'mtls-fix/runtime'; mtls-fix reports the sites it covers as covered).`
    : undefined;
}

/**
 * The analysis of a file a hook's function is written in, for reading a named status in it (`DENIED` of
 * `import { DENIED } from './codes'`; remaps-hooks.ts `statusReader`): the run's, else the file analysed aside on
 * first request (asked only when a remap compares a status with a name), once per file.
 */
function namedFileAnalyses(
  input: RemapInput,
  byFile: ReadonlyMap<string, FileAnalysis>,
): (file: string) => FileAnalysis | undefined {
  const asked = new Map<string, FileAnalysis | undefined>();
  return (file) => {
    const known = byFile.get(file);
    if (known || asked.has(file)) return known ?? asked.get(file);
    const discovered = input.files?.find((f) => f.relative === file && !f.test);
    let analysis: FileAnalysis | undefined;
    if (discovered && input.aside)
      try {
        const text = input.textOf
          ? input.textOf(discovered.absolute)
          : readFileSync(discovered.absolute, 'utf8');
        analysis = input.aside(discovered, text);
      } catch {
        // An unreadable file is named by discovery; its names are read as no status.
      }
    asked.set(file, analysis);
    return analysis;
  };
}

/** Whether a remap of a family serves a site of a framework: its own, and a Nest filter an Express or Fastify one. */
function familyServes(family: Family, framework: string): boolean {
  return family === framework || (family === 'nest' && (framework === 'express' || framework === 'fastify'));
}

/**
 * A Nest global filter reaches every middleware 403 of its app: a site of its own file (`app.use(csurf())` beside
 * `app.useGlobalFilters(…)`), or of another when the run creates one Nest app and no app of the site's own
 * framework (which could serve the site instead).
 */
function nestReach(
  remapAnalysis: FileAnalysis,
  siteAnalysis: FileAnalysis | undefined,
  nestApps: number,
  ownApps: number,
): Reach {
  if (siteAnalysis === remapAnalysis) return { reaches: true };
  if (nestApps === 1 && ownApps === 0) return { reaches: true };
  return {
    reaches: false,
    why:
      nestApps === 1
        ? "it is in another file and the run also creates an app of this 403's own framework, so mtls-fix cannot tell which app serves it"
        : `it is in another file and the run creates ${nestApps} Nest apps, so mtls-fix cannot tell which one serves it`,
  };
}

/**
 * The discovered non-test files the run did not analyse, each read once: the apps of each family the run creates
 * (APP_CREATIONS, over the analysed files' texts and these), and the analyses aside of those whose text may
 * register a hook (`input.aside`, given the text read here). An unreadable file is left out (discovery names it).
 */
function readOthers(
  input: RemapInput,
  analysed: ReadonlyMap<string, FileAnalysis>,
): { creations: ReadonlyMap<Family, number>; aside: FileAnalysis[] } {
  const creations = new Map<Family, number>();
  const count = (text: string): void => {
    for (const [family, pattern] of Object.entries(APP_CREATIONS) as [Family, RegExp][])
      creations.set(family, (creations.get(family) ?? 0) + (text.match(pattern)?.length ?? 0));
  };
  for (const analysis of analysed.values()) count(analysis.text);
  const aside: FileAnalysis[] = [];
  for (const file of input.files ?? []) {
    if (file.test || analysed.has(file.relative)) continue;
    let text: string;
    try {
      text = input.textOf ? input.textOf(file.absolute) : readFileSync(file.absolute, 'utf8');
    } catch {
      continue;
    }
    count(text);
    if (
      !input.aside ||
      (!HOOK_REGISTRATION.test(text) && !GLOBAL_FILTER_TEXT.test(text) && !RUNTIME_GUARD_TEXT.test(text))
    )
      continue;
    const analysis = input.aside(file, text);
    if (analysis) aside.push(analysis);
  }
  return { creations, aside };
}

/** A remap found for a site: a hand-written hook, or a runtime guard (remaps-runtime.ts). */
type Found = CodeRemap | RuntimeRemap;

function isRuntime(r: Found): r is RuntimeRemap {
  return 'runtime' in r;
}

function settleCode(site: Site, found: readonly Found[], missed: readonly string[], target: number): void {
  const at = (r: Found): string =>
    `${r.file}:${r.line}${r.via ? `, ${r.fnFile === r.file ? 'its function' : 'with'} ${r.via}` : ''}`;
  const name = (r: Found): string => (isRuntime(r) ? r.how : `${r.how} remap`);
  const unread = (r: Found): boolean => isRuntime(r) && r.runtime.statusUnread !== undefined;
  const wrong = found.filter((r) => r.status !== target || unread(r));
  const right = found.find((r) => r.status === target && !unread(r));
  if (right && !wrong.length) {
    site.coveredBy = isRuntime(right)
      ? runtimeCover(right.how, at(right), right.runtime.trustHeader, target)
      : `the ${right.how} remap at ${at(right)}, which answers ${target} for this 403`;
    return;
  }
  if (wrong.length)
    site.reason = `${site.reason ?? ''} ${wrong
      .map((r) =>
        isRuntime(r) && r.runtime.statusUnread
          ? `The ${r.how} at ${at(r)} is given ${r.runtime.statusUnread}, which mtls-fix cannot read, so it counts for no status: write the agreed ${target} in place.`
          : `The ${name(r)} at ${at(r)} maps 403 to ${r.status}, not the agreed ${target}: make it ${target}.`,
      )
      .join(
        ' ',
      )}${right ? ` The ${name(right)} at ${at(right)} answers ${target}, but mtls-fix does not read which of them answers first, so neither counts.` : ''}`;
  else if (missed.length) site.reason = `${site.reason ?? ''} ${missed.join(' ')}`;
}

/** The `coveredBy` of a site a runtime guard covers: only clients with a verified certificate get the agreed status. */
function runtimeCover(how: string, at: string, trustHeader: string | undefined, target: number): string {
  return `${how} at ${at}, which answers ${target} to clients with a verified certificate${trustHeader ? ` (or with the header ${trustHeader} its trustHeader names, which your proxy must set on every request)` : ''}`;
}

/**
 * The implicit 403 of a NestJS guard (nest-guard-sites.ts marks it, `Site.nestException`; it carries no layer: the
 * filters of its routes settle it there): also covered by mtls-fix's own `MtlsGuardFilter` registered for the whole
 * app (remaps-runtime.ts). Told by its mark, never by its reason's words (session 41).
 */
function isNestGuardSite(site: Site): boolean {
  return site.nestException?.source === 'guard' && !site.remapLayers?.length;
}

/**
 * A guard's 403 is a ForbiddenException, which the global `MtlsGuardFilter` of its app answers: of the run's one
 * Nest app (a filter in another file ties to the guard only then). Every one must answer the agreed status, and a
 * site the filters of its routes decided (`Site.nestException.filtersDecided`: one of them answers another status,
 * passes the 403 on or cannot be read) stays as they left it.
 */
function settleNestGuard(
  site: Site,
  filters: readonly RuntimeNestFilter[],
  nestApps: number,
  target: number,
): void {
  if (!filters.length) return;
  const at = (f: RuntimeNestFilter): string => `${f.file}:${f.line}`;
  if (nestApps !== 1) {
    site.reason = `${site.reason ?? ''} The mtls-fix/runtime MtlsGuardFilter at ${filters.map(at).join(', ')} does not reach this 403: the run creates ${nestApps} Nest apps, so mtls-fix cannot tell which one this guard serves.`;
    return;
  }
  const wrong = filters.filter((f) => f.status !== target || f.runtime.statusUnread);
  if (wrong.length) {
    site.reason = `${site.reason ?? ''} ${wrong
      .map((f) =>
        f.runtime.statusUnread
          ? `The mtls-fix/runtime MtlsGuardFilter at ${at(f)} is given ${f.runtime.statusUnread}, which mtls-fix cannot read, so it counts for no status: write the agreed ${target} in place.`
          : `The mtls-fix/runtime MtlsGuardFilter at ${at(f)} maps 403 to ${f.status}, not the agreed ${target}: make it ${target}.`,
      )
      .join(' ')}`;
    return;
  }
  // The filters of its routes decided it (nest-filter-chain.ts): one answers it before a global filter can.
  if (site.nestException?.filtersDecided) return;
  const first = filters[0];
  if (first)
    site.coveredBy = runtimeCover(
      `mtls-fix/runtime MtlsGuardFilter (${first.how})`,
      at(first),
      first.runtime.trustHeader,
      target,
    );
}

/**
 * A wrapper of a whole app or handler (`withMtlsGuard(app)`, `lambdaMtlsGuard(serverless(app))`) reaches every 403
 * of the app it wraps: a site of its own file, or of another when the run creates one app of the site's framework.
 */
function wrapReach(
  guardAnalysis: FileAnalysis,
  siteAnalysis: FileAnalysis | undefined,
  framework: string,
  creations: (family: Family) => number,
): Reach {
  if (siteAnalysis === guardAnalysis) return { reaches: true };
  const family = (framework === 'nestjs' ? 'nest' : framework) as Family;
  const apps = creations(family);
  if (apps === 1) return { reaches: true };
  return {
    reaches: false,
    why: `it is in another file and the run creates ${apps} ${framework} apps, so mtls-fix cannot tell whether it wraps the one that serves this 403`,
  };
}

/**
 * An authorizer Deny is covered by the ACCESS_DENIED gateway response (else DEFAULT_4XX) of every REST API that runs
 * the authorizer (remaps-apis.ts ties): all at the agreed status. A gateway response of another API, or one whose
 * API cannot be read, covers nothing; an authorizer no API is read to run is not covered, and the reason says why.
 */
function settleGateway(site: Site, gateway: GatewayRemaps, target: number): void {
  const responses = gateway.responses;
  if (!responses.length) return;
  const at = (g: GatewayRemap): string => `${g.file}:${g.line}`;
  const ties = gateway.authorizers.filter((t) => tieNames(t, site.file));
  const apis = [...new Set(ties.map((t) => t.api))];
  const untied = responses.filter((g) => g.api === undefined);
  const untiedNote = untied.length
    ? ` (mtls-fix cannot read which REST API the gateway response at ${untied.map(at).join(', ')} is for, so it covers nothing)`
    : '';
  if (!ties.length) {
    site.reason = `${site.reason ?? ''} The scanned infrastructure sets ${responses.map((g) => `${g.type} at ${at(g)}`).join(', ')}, but mtls-fix cannot tell which REST API runs this authorizer (no serverless http event, SAM or CloudFormation authorizer, Terraform aws_api_gateway_authorizer or CDK TokenAuthorizer / RequestAuthorizer names this file), so it counts none of them for it.`;
    return;
  }
  if (apis.includes(undefined)) {
    const unread = ties.filter((t) => t.api === undefined).map((t) => t.where);
    site.reason = `${site.reason ?? ''} mtls-fix cannot read which REST API runs this authorizer at ${unread.join(', ')}, so no gateway response counts for it.`;
    return;
  }
  const covering: GatewayRemap[] = [];
  const problems: string[] = [];
  for (const api of apis) {
    const own = responses.filter((g) => g.api === api);
    const denied = own.filter((g) => g.type === 'ACCESS_DENIED');
    const set = denied.length ? denied : own.filter((g) => g.type === 'DEFAULT_4XX');
    const name = api?.replace(/^.*#/, '').replace(/^terraform:/, '');
    if (!set.length) {
      problems.push(
        `The REST API ${name} that runs this authorizer has no ACCESS_DENIED (or DEFAULT_4XX) gateway response${untiedNote}: give it one with status ${target}.`,
      );
      continue;
    }
    for (const g of set)
      if (g.status === target) covering.push(g);
      else
        problems.push(
          `The ${g.type} gateway response at ${at(g)} (REST API ${name}) answers ${g.status ?? 'a status mtls-fix cannot read'}, not the agreed ${target}: make it ${target}.`,
        );
  }
  const first = covering[0];
  if (!problems.length && first) {
    site.coveredBy = `the ${first.type} gateway response at ${at(first)}, which answers ${target} for an authorizer Deny${covering.length > 1 ? ` (and ${covering.length - 1} more, all ${target})` : ''} on the REST API${apis.length > 1 ? 's' : ''} that run${apis.length > 1 ? '' : 's'} this authorizer`;
    return;
  }
  site.reason = `${site.reason ?? ''} ${problems.join(' ')}`;
}

/**
 * frameworks/nestjs.ts notes at `@Catch(ForbiddenException)` that the throws this run renames raise another class
 * (`Site.catchNote`). The note goes when no renamed throw can reach the filter (session 41): the run renames none
 * (every one left, ignored, refused or covered), or each one renamed is written in a route handler whose own
 * filters (`Site.nestException.routeFilters`) do not include this one, and the filter is registered for no whole
 * app. Its occurrence is then the filter's read of the class (`remap` when the filter answers another status, which
 * is the Nest remap remaps.ts proposes; else `reference`).
 */
function dropIdleFilterWarnings(input: RemapInput, analyses: readonly FileAnalysis[]): void {
  const notes = input.sites.filter((s) => s.catchNote);
  if (!notes.length) return;
  const renamed = input.sites.filter(
    (s) =>
      s.kind === 'rewrite' &&
      !s.ignoreReason &&
      !input.refused.has(s) &&
      (s.nestException
        ? s.nestException.source === 'throw' && s.nestException.exception === 'ForbiddenException'
        : /ForbiddenException/.test(s.form)) &&
      !/ForbiddenException/.test(s.replacement ?? ''),
  );
  // A renamed throw outside a route handler (a service, a guard) may reach any filter.
  if (renamed.some((s) => !s.nestException?.routeFilters)) return;
  const reached = new Set(renamed.flatMap((s) => s.nestException?.routeFilters ?? []));
  const byFile = new Map(analyses.map((a) => [a.file, a]));
  const lineOf = (site: Site): number | undefined => {
    const sourceFile = byFile.get(site.file)?.sourceFile;
    return sourceFile && lineAndCharacterAt(sourceFile, site.span.start).line + 1;
  };
  const global = renamed.length ? globallyRegistered(input, analyses, notes, byFile) : new Set<string>();
  let remapping: Set<string> | undefined;
  const remaps = (): Set<string> =>
    (remapping ??= new Set([...forbiddenRemapFilters(analyses).values()].map((f) => f.where)));
  for (const site of notes) {
    const where = `${site.file}:${lineOf(site)}`;
    if (reached.has(where) || global.has(where)) continue;
    input.sites.splice(input.sites.indexOf(site), 1);
    const kind = remaps().has(where) ? 'remap' : 'reference';
    for (const occurrence of input.occurrences.get(site.file) ?? [])
      if (!occurrence.kind && occurrence.start >= site.span.start && occurrence.end <= site.span.end)
        occurrence.kind = kind;
  }
}

/**
 * The notes' filters registered for the whole app (`useGlobalFilters(new F())`, `APP_FILTER … useClass: F`) in any
 * discovered non-test file, by the `file:line` of their note; read by the filter's class name (nest-filters.ts), so
 * a registration of another class of that name keeps a note too.
 */
function globallyRegistered(
  input: RemapInput,
  analyses: readonly FileAnalysis[],
  notes: readonly Site[],
  byFile: ReadonlyMap<string, FileAnalysis>,
): Set<string> {
  const named = new Map<string, string[]>();
  for (const note of notes) {
    const analysis = byFile.get(note.file);
    const node = analysis && nodeAt(analysis.sourceFile, note.span.start, note.span.end);
    let cls: ts.Node | undefined = node;
    while (cls && !ts.isClassDeclaration(cls)) cls = cls.parent;
    const name = cls && ts.isClassDeclaration(cls) ? cls.name?.text : undefined;
    if (!analysis || !name) continue;
    const where = `${note.file}:${lineAndCharacterAt(analysis.sourceFile, note.span.start).line + 1}`;
    named.set(name, [...(named.get(name) ?? []), where]);
  }
  const texts: { file: string; text: string }[] = analyses.map((a) => ({ file: a.file, text: a.text }));
  for (const file of input.files ?? []) {
    if (file.test || byFile.has(file.relative)) continue;
    try {
      const text = input.textOf ? input.textOf(file.absolute) : readFileSync(file.absolute, 'utf8');
      if (GLOBAL_FILTER_TEXT.test(text)) texts.push({ file: file.relative, text });
    } catch {
      // An unreadable file is named by discovery.
    }
  }
  const registered = globalFilterRegistrations(texts, new Set(named.keys()));
  return new Set([...registered.keys()].flatMap((name) => named.get(name) ?? []));
}

/**
 * A Nest 403 covered by a filter that writes 403 itself, on the strength of this run's rewrite of that write
 * (nest-filter-chain.ts, `Site.nestException.pendingRewrite`): when the rewrite was refused, ignored or left out of
 * scope, the filter still answers 403, so the cover is taken back and the reason says why.
 */
function dropPendingCovers(input: RemapInput): void {
  for (const site of input.sites) {
    const pending = site.nestException?.pendingRewrite;
    if (!pending || !site.coveredBy || !site.nestException) continue;
    const write = input.sites.find((s) => s.file === pending.file && s.start === pending.start);
    if (write && write.kind === 'rewrite' && !write.ignoreReason && !input.refused.has(write)) continue;
    delete site.coveredBy;
    delete site.nestException.coveredInTests;
    delete site.nestException.pendingRewrite;
    site.reason = `${site.reason ?? ''} The exception filter that answers it writes 403 itself (${write?.form ?? 'in'} ${pending.file}), which this run does not rewrite (refused, ignored or out of scope), so the 403 stands.`;
  }
}

/** The 403s a code remap tests are its reads of the status: `remap`, not a comparison to review. */
function markRemapOccurrences(
  remaps: readonly CodeRemap[],
  occurrences: ReadonlyMap<string, Occurrence[]>,
): void {
  for (const remap of remaps)
    for (const occurrence of occurrences.get(remap.fnFile) ?? [])
      if (occurrence.kind && occurrence.start >= remap.start && occurrence.end <= remap.end) {
        occurrence.kind = 'remap';
        delete occurrence.check;
      }
}

/**
 * The definition of a name a remap tests as its 403 (`const DENIED = 403` of `err.status === DENIED ? 401 : …`, an
 * imported constant, an enum member, a table entry; session 46): the census names it as a 403 no status slot reads
 * (census-values.ts), yet its reads are the remap's. When every read of the name in the run's files is in a code
 * remap (besides its declaration, imports and exports), it is the remap's 403 (`remap`), not a manual site; a name
 * read anywhere else keeps its site.
 */
function settleNamedDefinitions(
  input: RemapInput,
  remaps: readonly CodeRemap[],
  analyses: readonly FileAnalysis[],
): void {
  const names = new Set(remaps.flatMap((r) => r.tests.names ?? []));
  if (!names.size) return;
  for (const site of [...input.sites]) {
    if (site.kind !== 'manual' || site.ignoreReason || site.coveredBy) continue;
    const name = [...names].find((n) =>
      site.reason?.startsWith(`'${n}' holds 403 and no status slot using it was rewritten here`),
    );
    if (!name || !readOnlyInRemaps(name, site.file, remaps, analyses)) continue;
    input.sites.splice(input.sites.indexOf(site), 1);
    for (const occurrence of input.occurrences.get(site.file) ?? [])
      if (occurrence.start >= site.span.start && occurrence.end <= site.span.end) occurrence.kind = 'remap';
  }
}

/**
 * Whether every read of `name` in the run's files is in a code remap's function: each word `name` of a file's text
 * is in a remap, a declaration's name in the defining file (`file`), an import or export specifier, or no name
 * (a comment, a string). A file's text is searched only when it holds the word.
 */
function readOnlyInRemaps(
  name: string,
  file: string,
  remaps: readonly CodeRemap[],
  analyses: readonly FileAnalysis[],
): boolean {
  const word = new RegExp(`(?<![\\w$])${name.replace(/[$]/g, '\\$')}(?![\\w$])`, 'g');
  for (const analysis of analyses) {
    if (!analysis.text.includes(name)) continue;
    for (const match of analysis.text.matchAll(word)) {
      const start = match.index;
      const end = start + name.length;
      if (remaps.some((r) => r.fnFile === analysis.file && r.start <= start && end <= r.end)) continue;
      const node = nodeAt(analysis.sourceFile, start, end);
      if (!node || !ts.isIdentifier(node) || node.text !== name) continue;
      const parent = node.parent;
      if (
        ts.isImportSpecifier(parent) ||
        ts.isExportSpecifier(parent) ||
        ts.isImportClause(parent) ||
        (analysis.file === file &&
          (ts.isVariableDeclaration(parent) ||
            ts.isEnumMember(parent) ||
            ts.isPropertyAssignment(parent) ||
            ts.isPropertyDeclaration(parent)) &&
          parent.name === node)
      )
        continue;
      return false;
    }
  }
  return true;
}
