import path from 'node:path';
import type { LeftAloneSite, MigrateReport, RouteRef, SpecCoverage } from '../types.js';
import { methodRank, type MatchResult, type SpecOperation } from './match.js';
import { codePathOf, compareRanks, compareSegments } from './paths.js';
import { operationLabel } from './decide.js';
import type { CodeRoute } from './model.js';
import type { CodePrefix, NearMiss } from './code-prefix.js';
import type { DocumentScope } from './document-scope.js';
import { packageFolderOf } from './setting-reads.js';

export type { RouteRef, SpecCoverage };

export function routeRef(route: CodeRoute): RouteRef {
  return {
    method: route.method,
    path: route.path,
    file: route.file,
    line: route.line,
    framework: route.framework,
  };
}

/**
 * One reference per registration: a helper that registers routes on each app it is given (juice-shop's
 * `configureApp(app)` for the server and `configureApp(testApp)` for its tests) makes the same route twice.
 */
function uniqueRefs(routes: readonly CodeRoute[]): RouteRef[] {
  const seen = new Set<string>();
  const out: RouteRef[] = [];
  for (const route of routes) {
    const ref = routeRef(route);
    const key = `${ref.method} ${ref.path} ${ref.file}:${ref.line} ${ref.framework}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ref);
  }
  return out;
}

/** How many left-alone sites the human report names (the JSON report names every one). */
const LEFT_ALONE_LISTED = 20;

export function buildCoverage(input: {
  spec: string[];
  operations: readonly SpecOperation[];
  routes: readonly CodeRoute[];
  match: MatchResult;
  report: MigrateReport;
  notReached: number;
  /** The sites left alone, in any order. */
  leftAlone?: readonly LeftAloneSite[];
  /** Which service each document describes, when several documents or services were told apart. */
  documents?: readonly DocumentScope[];
  /** Prefixes the code serves a document's paths under that the document leaves out (code-prefix.ts). */
  codePrefixes?: readonly CodePrefix[];
  /** Unmatched operations a route answers under a prefix no other operation shows (code-prefix.ts). */
  nearMisses?: readonly NearMiss[];
  /** The run's folder (absolute): package folders are read from it, for {@link otherService}. */
  cwd?: string;
}): SpecCoverage {
  const { operations, routes, match, report } = input;
  const counts = new Map<string, { rewritten: number; manual: number }>();
  for (const site of report.sites) {
    for (const name of site.operation?.split(', ') ?? []) {
      const count = counts.get(name) ?? { rewritten: 0, manual: 0 };
      if (site.action === 'manual') count.manual++;
      else if (site.action === 'rewritten' || site.action === 'would-rewrite') count.rewritten++;
      counts.set(name, count);
    }
  }
  const ambiguousOps = new Set(match.ambiguous.map((a) => a.operation));
  // The registrations not read, each path parsed once for every operation mayAnswer compares it with.
  const unread = routes
    .filter((r) => r.unresolved)
    .map((route) => ({ route, segments: codePathOf(route.path, route.syntax) }));
  const packages = servicePackages(input.cwd, operations);
  const handled: SpecCoverage['handled'] = [];
  const noHandler: SpecCoverage['noHandler'] = [];
  for (const operation of operations) {
    if (!operation.mtls) continue;
    const found = match.byOperation.get(operation) ?? [];
    if (!found.length) {
      const near = (input.nearMisses ?? [])
        .filter((n) => n.operation === operation)
        .map((n) => ({
          prefix: n.prefix,
          route: routeRef(n.route),
          ...(n.contradicts ? { contradicts: n.contradicts } : {}),
          ...(n.document ? { document: n.document } : {}),
        }));
      const may = mayAnswer(
        operation,
        unread.filter((u) => !otherService(operation.source, u.route.file, packages)),
      );
      noHandler.push({
        operation: operation.name,
        ...(operation.document ? { document: operation.document } : {}),
        why: operation.why ?? '',
        ...(near.length ? { servedUnder: near } : {}),
        ...(may.length ? { mayAnswer: may } : {}),
      });
      continue;
    }
    if (ambiguousOps.has(operation)) continue;
    const viaBase = found.map((r) => match.byRoute.get(r)?.find((m) => m.operation === operation)?.viaBase);
    const hasBase = operation.variants.some((v) => v.viaBase);
    handled.push({
      operation: operation.name,
      ...(operation.document ? { document: operation.document } : {}),
      why: operation.why ?? '',
      basePath: !hasBase ? 'none' : viaBase.some(Boolean) ? 'included' : 'stripped',
      routes: uniqueRefs(found),
      // Sites name the operation as decide.ts labels it (with its document when --spec names several).
      ...(counts.get(operationLabel(operation)) ?? { rewritten: 0, manual: 0 }),
      ...unseenOf(found),
    });
  }
  return {
    spec: input.spec,
    operations: operations.length,
    mtlsOperations: operations.filter((o) => o.mtls).length,
    // Once per route (method, path and place): a route reached through several chains of helpers (Flowise's SSO
    // routes through each of IdentityManager's) is one route, as the lists below show it.
    codeRoutes: uniqueRefs(routes).length,
    handled,
    noHandler,
    unmatchedRoutes: uniqueRefs(routes.filter((r) => !r.unresolved && !match.byRoute.has(r))),
    ambiguous: match.ambiguous.map((a) => ({
      operation: a.operation.name,
      mtls: a.operation.mtls,
      routes: uniqueRefs(a.routes),
    })),
    unresolved: groupUnresolved(
      routes
        .filter((r) => r.unresolved)
        .map((r) => ({
          ...routeRef(r),
          reason: r.unresolved ?? '',
          mountFile: r.mountFile ?? r.file,
          ...(r.unreadable ? { byHand: true as const } : {}),
        })),
    ),
    // Only routes an mTLS operation is answered by: another route's 403s are left alone whatever its handlers.
    ...unseenRoutes(routes.filter((r) => match.byRoute.get(r)?.some((m) => m.operation.mtls))),
    notReached: input.notReached,
    ...uncheckedDocuments(operations),
    leftAlone: [...(input.leftAlone ?? [])].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line),
    ...(input.documents?.length ? { documents: input.documents.map((d) => ({ ...d })) } : {}),
    ...(input.codePrefixes?.length ? { codePrefixes: input.codePrefixes.map((p) => ({ ...p })) } : {}),
  };
}

/** `{ unseen }`: why some of an operation's routes' handlers are not seen, once each; `{}` when all are. */
function unseenOf(found: readonly CodeRoute[]): { unseen?: string[] } {
  const unseen = [...new Set(found.flatMap((r) => (r.unseenHandlers ? [r.unseenHandlers] : [])))];
  return unseen.length ? { unseen } : {};
}

/** `{ unseenHandlers }`: each of `routes` whose handlers are not seen, once per registration; `{}` when none. */
function unseenRoutes(routes: readonly CodeRoute[]): Pick<SpecCoverage, 'unseenHandlers'> {
  const seen = new Set<string>();
  const out: NonNullable<SpecCoverage['unseenHandlers']> = [];
  for (const route of routes) {
    if (!route.unseenHandlers || route.unresolved) continue;
    const ref = routeRef(route);
    const key = `${ref.method} ${ref.path} ${ref.file}:${ref.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...ref, reason: route.unseenHandlers });
  }
  return out.length ? { unseenHandlers: out } : {};
}

/**
 * The package folder (nearest package.json, setting-reads.ts `packageFolderOf`) of a file relative to the run's
 * folder, cached, and the package folders that hold a `--spec` document (`documents`). Undefined without `cwd`.
 */
interface ServicePackages {
  of: (file: string) => string;
  documents: ReadonlySet<string>;
}

function servicePackages(
  cwd: string | undefined,
  operations: readonly SpecOperation[],
): ServicePackages | undefined {
  if (!cwd) return undefined;
  const cache = new Map<string, string>();
  const of = (file: string): string => {
    let folder = cache.get(file);
    if (folder === undefined) {
      folder = packageFolderOf(path.resolve(cwd, file), cwd);
      cache.set(file, folder);
    }
    return folder;
  };
  return { of, documents: new Set(operations.map((o) => of(o.source))) };
}

/**
 * Whether a route of `file` belongs to another service than the document `source`: its package (nearest
 * package.json) holds a `--spec` document of its own and is neither the document's package nor inside it. Such a
 * registration is not offered as perhaps answering the document's operations (one service's unread `ALL /*` for
 * every other service's documents).
 */
function otherService(source: string, file: string, packages: ServicePackages | undefined): boolean {
  if (!packages) return false;
  const mine = packages.of(source);
  const theirs = packages.of(file);
  if (theirs === mine || theirs.startsWith(mine + path.sep)) return false;
  return packages.documents.has(theirs);
}

/** How many registrations not read a `noHandler` entry names as perhaps answering it. */
const MAY_ANSWER_LISTED = 5;

/**
 * The registrations not read (routes with `unresolved`, their paths parsed) whose method and path may answer an operation no route
 * was matched to: `ALL /z/*` of `app.use('/z', require(name))` for `GET /z/a`. Read with the matcher's own path
 * and method comparisons (paths.ts, match.ts), so a registration under a prefix known only at run time (`*`)
 * may answer many; at most {@link MAY_ANSWER_LISTED}, the closest first.
 */
function mayAnswer(
  operation: SpecOperation,
  unread: readonly { route: CodeRoute; segments: readonly (readonly string[])[] }[],
): (RouteRef & { reason: string })[] {
  const fits: { ref: RouteRef & { reason: string }; rank: number[] }[] = [];
  const seen = new Set<string>();
  for (const { route, segments } of unread) {
    const method = methodRank(route.method, operation.method);
    if (method === undefined) continue;
    let best: number[] | undefined;
    for (const code of segments)
      for (const variant of operation.variants) {
        const rank = compareSegments(code, variant.segments);
        if (rank && (!best || compareRanks(rank, best) < 0)) best = rank;
      }
    if (!best) continue;
    const ref = { ...routeRef(route), reason: route.unresolved ?? '' };
    const key = `${ref.method} ${ref.path} ${ref.file}:${ref.line} ${ref.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    fits.push({ ref, rank: [...best, method] });
  }
  return fits
    .sort((a, b) => compareRanks(a.rank, b.rank))
    .slice(0, MAY_ANSWER_LISTED)
    .map((f) => f.ref);
}

/**
 * `{ unchecked }`: the documents whose operations hold no mTLS-secured one while not every one says `x-mtls: false`
 * (SpecCoverage `unchecked`), in the order given; `{}` when there is none.
 */
function uncheckedDocuments(operations: readonly SpecOperation[]): Pick<SpecCoverage, 'unchecked'> {
  const byDocument = new Map<string, SpecOperation[]>();
  for (const operation of operations) {
    const list = byDocument.get(operation.source);
    if (list) list.push(operation);
    else byDocument.set(operation.source, [operation]);
  }
  const unchecked = [...byDocument]
    .filter(([, ops]) => !ops.some((o) => o.mtls) && !ops.every((o) => o.declaredNotMtls))
    .map(([document, ops]) => ({ document, operations: ops.length }));
  return unchecked.length ? { unchecked } : {};
}

/**
 * One entry per unread registration: a route helper called several times (`addAccounts(app, '/v1')`,
 * `addAccounts(app, '/v2')`) registers the same unread route once per call; it is one thing to review, listed
 * once with `count` (the registrations it stands for, when more than one).
 */
function groupUnresolved(entries: SpecCoverage['unresolved']): SpecCoverage['unresolved'] {
  const byKey = new Map<string, SpecCoverage['unresolved'][number]>();
  for (const entry of entries) {
    const key = [
      entry.method,
      entry.path,
      entry.file,
      entry.line,
      entry.reason,
      entry.mountFile,
      entry.byHand,
    ].join('\u0000');
    const known = byKey.get(key);
    if (known) known.count = (known.count ?? 1) + 1;
    else byKey.set(key, { ...entry });
  }
  return [...byKey.values()];
}

/** The human coverage section, printed under the migrate summary. */
export function formatCoverage(coverage: SpecCoverage): string {
  const lines: string[] = [];
  const at = (r: RouteRef): string => `${r.method} ${r.path}  ${r.file}:${r.line}`;
  lines.push(
    `Coverage (${coverage.spec.join(', ')}): ${coverage.mtlsOperations} of ${coverage.operations} operations mTLS-secured, ` +
      `${coverage.codeRoutes} code routes`,
  );
  for (const d of coverage.documents ?? []) {
    const folders = d.folders?.map((f) => f || '.').join(', ');
    lines.push(`  ${d.document}: ${folders ? `routes of ${folders} (${d.how})` : d.how}`);
  }
  for (const p of coverage.codePrefixes ?? [])
    lines.push(
      `  ${p.document}: the code serves ${p.operations} of its operations under ${p.prefix}, which neither its ` +
        `paths nor its servers spell; matched with ${p.prefix} in front`,
    );
  for (const d of coverage.settingDefaults ?? []) lines.push(`  ${settingDefaultLine(d)}`);
  for (const d of coverage.documentCopies ?? []) lines.push(`  ${documentCopyLine(d)}`);
  lines.push(`  mTLS operations with handlers (${coverage.handled.length}):`);
  for (const h of coverage.handled) {
    const base = h.basePath === 'stripped' ? ', base path stripped by a proxy' : '';
    lines.push(
      `    ${h.operation}${h.document ? ` (${h.document})` : ''}  ${h.rewritten} rewritten, ${h.manual} manual${base}  <- ${h.routes.map(at).join('; ')}`,
    );
    for (const why of h.unseen ?? []) lines.push(`      ${why}: its 403s are not counted; review by hand`);
  }
  if (coverage.noHandler.length) {
    lines.push(`  mTLS operations with no handler found (${coverage.noHandler.length}):`);
    for (const n of coverage.noHandler) {
      lines.push(`    ${n.operation}  (${n.document ? `${n.document}, ` : ''}${n.why})`);
      // One route under a prefix no other operation shows: not matched (one route proves no prefix), named.
      for (const s of n.servedUnder ?? [])
        lines.push(
          s.contradicts
            ? `      ${at(s.route)} is served under another prefix: ${s.prefix}, where the document's base path is ` +
                `${s.contradicts}: not matched (another API's route?); if that is this API, spell ${s.prefix} in ` +
                `its basePath or servers`
            : s.document
              ? `      ${at(s.route)} answers it under ${s.prefix}, the base path of ${s.document}: that ` +
                `document's route, not matched`
              : `      ${at(s.route)} answers it under ${s.prefix}, a prefix no other operation shows: not matched; ` +
                `if it is this operation, spell ${s.prefix} in the document`,
        );
      for (const m of n.mayAnswer ?? [])
        lines.push(`      perhaps answered by ${at(m)}, a registration not read (${m.reason})`);
    }
  }
  if (coverage.ambiguous.length) {
    lines.push(`  Ambiguous matches, never rewritten (${coverage.ambiguous.length}):`);
    for (const a of coverage.ambiguous)
      lines.push(`    ${a.operation}${a.mtls ? ' (mTLS)' : ''}  <- ${a.routes.map(at).join('; ')}`);
  }
  if (coverage.unresolved.length) {
    lines.push(
      `  Routes under a prefix known only at run time, or registrations not read (${coverage.unresolved.length}):`,
    );
    for (const u of coverage.unresolved)
      lines.push(
        `    ${at(u)}${u.count ? ` (${u.count} registrations)` : ''}  ${u.reason}; ${u.byHand ? 'review by hand' : `pass --mount ${u.mountFile}=PREFIX`}`,
      );
  }
  const unseen = coverage.unseenHandlers ?? [];
  if (unseen.length) {
    lines.push(`  Routes registered with handlers mtls-fix cannot see (${unseen.length}):`);
    for (const u of unseen) lines.push(`    ${at(u)}  ${u.reason}; review by hand`);
  }
  if (coverage.unmatchedRoutes.length) {
    lines.push(`  Code routes in no operation of the spec (${coverage.unmatchedRoutes.length}):`);
    for (const r of coverage.unmatchedRoutes) lines.push(`    ${at(r)}`);
  }
  const alone = coverage.leftAlone ?? [];
  lines.push(
    `  403 sites no mTLS operation reaches (left alone): ${coverage.notReached}${leftAloneKinds(alone)}`,
  );
  for (const site of alone.slice(0, LEFT_ALONE_LISTED))
    lines.push(`    ${site.file}:${site.line}  ${site.kind === 'manual' ? 'manual  ' : ''}${site.form}`);
  if (alone.length > LEFT_ALONE_LISTED)
    lines.push(
      `    and ${alone.length - LEFT_ALONE_LISTED} more (--json lists every one under coverage.leftAlone)`,
    );
  // Nothing in the document is mTLS-secured: every 403 is left alone, which must not read as "all is well".
  if (coverage.operations > 0 && coverage.mtlsOperations === 0) {
    lines.push(
      `  hint: no operation of ${coverage.spec.join(', ')} is mTLS-secured, so --spec leaves every 403 alone. If its ` +
        `endpoints are served over mTLS, pass --mtls-everywhere, --mtls-scheme NAME or --mtls-server REGEX (or set ` +
        `mtls in the config); \`mtls-fix lint\` and \`mtls-fix explain\` on the document say what was looked at.`,
    );
  }
  return lines.join('\n');
}

/**
 * How the left-alone sites split between a plain run's rewrites and its items for review, when both occur:
 * ` (3 a run without --spec would rewrite, 5 it would name for review)`; the census's "outside --spec" counts only
 * the written 403s, so without this its figure and the list's disagree. Empty when all are of one kind.
 */
function leftAloneKinds(alone: readonly LeftAloneSite[]): string {
  const manual = alone.filter((site) => site.kind === 'manual').length;
  if (manual === 0) return '';
  const rewrite = alone.length - manual;
  return rewrite === 0
    ? ` (each of them a run without --spec would name for review, not rewrite)`
    : ` (${rewrite} a run without --spec would rewrite, ${manual} it would name for review)`;
}

/**
 * One line naming a setting's default taken for a path: `process.env.API_PREFIX (src/app.ts:11) is read at run
 * time: taken as "/v1", the default the code writes; …`. `use` says what the value was taken for, when not the
 * routes of `--spec` (`to link test requests to routes`).
 */
export function settingDefaultLine(
  d: { setting: string; value: string; file: string; line: number; from?: string },
  use?: string,
): string {
  return (
    `${d.setting} (${d.file}:${d.line}) is read at run time: taken as ${JSON.stringify(d.value)}, the default ` +
    `${d.from ? `${d.from} gives` : 'the code writes'}${use ? `, ${use}` : ''}; a deployment that sets it otherwise ` +
    'serves other paths'
  );
}

/** The human line for a `coverage.documentCopies` entry (routes/document-copies.ts). */
export function documentCopyLine(d: { read: string; other: string; file: string; line: number }): string {
  return `${d.file}:${d.line}: read the OpenAPI document ${d.read} (the path as written); ${d.other} (as the compiled code in the tsconfig outDir reads it) exists too and differs`;
}
