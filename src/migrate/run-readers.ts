import path from 'node:path';
import type { DiscoveredFile } from './discover.js';
import { settleCaughtClasses } from './nest-filters.js';
import { findReaders, readerProject, routeIndexOf } from './readers.js';
import type { Project, SpecScope } from './routes/index.js';
import type { RunFiles } from './run-files.js';
import type { SettledSites } from './run-settle.js';
import { findTrpcCodeReaders } from './trpc-readers.js';
import { findOwnStatusReaders } from './own-status-readers.js';
import { ignoreReason } from './transform.js';
import type { Site } from './types.js';
import { markPhase } from '../util/phase-marks.js';

/**
 * The sites that read a 403 this run stopped sending (DESIGN §7), added to `settled.sites`: comparisons with 403
 * next to a request to a route this run rewrote (readers.ts; the route index is the `--spec` scope's when there is
 * one), tRPC code checks (`error.data?.code === 'FORBIDDEN'`) where procedures' FORBIDDEN were rewritten
 * (trpc-readers.ts); then NestJS filters that answer another status for a 403 error class mark its sites
 * (nest-filters.ts). Each reader site gets its ignore comment's reason, as settled sites do.
 *
 * @param status the agreed status the run rewrites to.
 */
export function addReaderSites(
  run: RunFiles,
  files: readonly DiscoveredFile[],
  settled: SettledSites,
  scope: SpecScope | undefined,
  status: number,
): void {
  const rewritten = (): Site[] =>
    settled.sites.filter((s) => s.kind === 'rewrite' && !s.ignoreReason && !settled.refused.has(s));
  const servers = files.filter((f) => !f.test);
  const add = (site: Site): void => {
    const analysis = run.analyses.get(path.resolve(run.cwd, site.file));
    const reason = analysis && ignoreReason(analysis.text, analysis.sourceFile, site);
    if (reason) site.ignoreReason = reason;
    settled.sites.push(site);
  };
  let project: Project | undefined;
  const readers = (): Project =>
    (project ??= readerProject(run.cwd, servers, (absolute) => run.sourceOf(absolute)));
  for (const site of findReaders({
    analyses: run.analyses.values(),
    occurrences: settled.occurrences,
    rewritten: rewritten(),
    target: status,
    texts: () => servers.map((f) => run.textOf(f.absolute)),
    project: () => (scope ? scope.project : readers()),
    routeIndex: () =>
      scope
        ? { project: scope.project, routes: scope.routes, routesAt: (f, p) => scope.reach.routesAt(f, p) }
        : routeIndexOf(readers()),
  }))
    add(site);
  for (const site of findTrpcCodeReaders({
    analyses: run.analyses.values(),
    occurrences: settled.occurrences,
    rewritten: rewritten(),
    target: status,
    where: (site) => run.where(site),
  }))
    add(site);
  // Server code reading its own response status (`res.on('finish', …)`, `await next(); ctx.status`).
  const serverFiles = new Set(servers.map((f) => f.relative));
  for (const site of findOwnStatusReaders({
    analyses: run.analyses.values(),
    occurrences: settled.occurrences,
    rewritten: rewritten().filter((s) => serverFiles.has(s.file)),
    target: status,
  }))
    add(site);
  // NestJS filters that answer another status for a 403 error class: its sites say so (nest-filters.ts).
  settleCaughtClasses({
    analyses: run.analyses.values(),
    sites: settled.sites,
    texts: () => servers.map((f) => ({ file: f.relative, text: run.textOf(f.absolute) })),
    target: status,
  });
  markPhase('migrate/readers');
}
