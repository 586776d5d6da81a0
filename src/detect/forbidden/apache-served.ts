import {
  APACHE_PATH_SECTIONS,
  virtualHostOf,
  type ApacheDirective,
  type ApacheSection,
} from '../apache-config.js';
import { words } from '../text.js';
import type { DetectFinding, DetectForbidden } from '../types.js';
import { includeLinks, type ApacheFile } from './apache-files.js';
import { apacheServed, apacheStaticFix } from './apache-static.js';
import { noForbidden, type ForbiddenResult } from './result.js';

/** A directive of a server's configuration, with the `Include`s that brought it in expanded in place. */
interface Placed {
  /** The directive, its `within` prefixed with the sections of the `Include` that brought it in. */
  directive: ApacheDirective;
  /** The file it is written in. */
  file: ApacheFile;
  /** The innermost `Include` that brought the file in (undefined in the file the walk started from). */
  via?: { from: ApacheFile; include: ApacheDirective };
}

/** One mTLS host of the server: a `<VirtualHost>` (undefined: the main server) and the finding asking for it. */
interface MtlsHost {
  vhost: ApacheSection | undefined;
  finding: DetectFinding;
  /** The URL paths the certificate is asked for on (a per-path `SSLVerifyClient`); empty: every path. */
  paths: string[];
  /** Set when the host has no `SSLVerifyClient` of its own and the main server's applies. */
  serverWide: boolean;
}

/** httpd nests Includes without a limit of its own; a deeper chain here is a loop the name match missed. */
const MAX_INCLUDE_DEPTH = 16;

/**
 * The 403s Apache httpd answers for folders it serves itself (`DocumentRoot` / `Alias` without `Options Indexes`,
 * see {@link apacheStaticFix}) on each mTLS host, read over the whole server: each configuration file of the tree
 * that no `Include` names is walked with the files its `Include` / `IncludeOptional` directives name expanded in
 * place (matched as apache-files.ts matches them), so a `DocumentRoot` in a file included inside the mTLS
 * `<VirtualHost>` is that host's, and a `<VirtualHost>` that sets no `DocumentRoot` serves the main server's
 * (httpd.conf's, which includes the file of the virtual host), as httpd merges them. The host's own
 * `DocumentRoot` replaces the main server's (before session 30 that one was reported too); `Options` and
 * `<Directory>` sections of the main server apply inside the host (a stock httpd.conf's `Options Indexes` on
 * htdocs), its `RewriteRule`s do not (`RewriteOptions Inherit` aside). Before session 30 only the file of the
 * `SSLVerifyClient` was read, and both cases passed as clean. `findings`: every finding of the run (the Apache
 * ones are used); `findingFiles`: Apache files with an `SSLVerifyClient` finding; `files`: the other Apache
 * files of the tree. A host whose `DocumentRoot` lies in no file of the tree (the main configuration not in the
 * repository) is not reported: httpd's compiled-in and distributions' document roots hold an index file.
 */
export function apacheServedForbidden(
  findings: readonly DetectFinding[],
  files: readonly ApacheFile[],
  findingFiles: readonly ApacheFile[],
  status: number,
): ForbiddenResult {
  const result = noForbidden();
  const apache = findings.filter((finding) => finding.source === 'apache');
  if (apache.length === 0) return result;
  const all = [...findingFiles, ...files];
  const byPath = new Map(all.map((entry) => [entry.file.relative, entry]));
  const targets = new Map<ApacheDirective, ApacheFile[]>();
  for (const [relative, links] of includeLinks(all)) {
    const to = byPath.get(relative);
    if (!to) continue;
    for (const { include } of links) targets.set(include, [...(targets.get(include) ?? []), to]);
  }
  const included = new Set([...targets.values()].flat());
  const reached = new Set<ApacheFile>();
  const entries = new Map<string, DetectForbidden>();
  const walk = (root: ApacheFile): void => {
    const placed: Placed[] = [];
    expand(root, [], undefined, [root], placed, targets, reached);
    for (const entry of servedOn(placed, apache, status)) {
      const key = `${entry.file}:${entry.line}:${entry.finding.file}:${entry.finding.line}`;
      if (!entries.has(key)) entries.set(key, entry);
    }
  };
  for (const root of all) if (!included.has(root)) walk(root);
  // A file only an Include loop reaches: walked from itself.
  for (const entry of findingFiles) if (!reached.has(entry)) walk(entry);
  result.forbidden.push(...entries.values());
  return result;
}

/** Appends `file`'s directives to `out`, each `Include` followed by the directives of the files it names. */
function expand(
  file: ApacheFile,
  prefix: readonly ApacheSection[],
  via: Placed['via'],
  stack: readonly ApacheFile[],
  out: Placed[],
  targets: ReadonlyMap<ApacheDirective, readonly ApacheFile[]>,
  reached: Set<ApacheFile>,
): void {
  reached.add(file);
  for (const own of file.config.directives) {
    const directive = prefix.length ? { ...own, within: [...prefix, ...own.within] } : own;
    out.push({ directive, file, via });
    if (stack.length > MAX_INCLUDE_DEPTH) continue;
    for (const to of targets.get(own) ?? []) {
      if (stack.includes(to)) continue;
      expand(to, directive.within, { from: file, include: own }, [...stack, to], out, targets, reached);
    }
  }
}

/** The folder 403s of each mTLS host of one expanded server configuration. */
function servedOn(
  placed: readonly Placed[],
  apache: readonly DetectFinding[],
  status: number,
): DetectForbidden[] {
  const out: DetectForbidden[] = [];
  const serverLevel = placed.filter((entry) => virtualHostOf(entry.directive) === undefined);
  for (const host of mtlsHosts(placed, apache)) {
    const own = placed.filter((entry) => virtualHostOf(entry.directive) === host.vhost);
    const main = host.vhost === undefined ? [] : serverLevel;
    const served = (list: readonly Placed[], name: string): Placed[] =>
      list.filter((entry) => entry.directive.name === name && apacheServed(entry.directive) !== undefined);
    const root = served(own, 'documentroot').pop() ?? served(main, 'documentroot').pop();
    const aliases = [...served(main, 'alias'), ...served(own, 'alias')];
    // The main server's RewriteRules are not inherited by a virtual host (mod_rewrite's RewriteOptions).
    const around = [...main.filter((entry) => entry.directive.name !== 'rewriterule'), ...own].map(
      (entry) => entry.directive,
    );
    const ownHosts = hostNames(own);
    for (const target of root ? [root, ...aliases] : aliases) {
      const fix = apacheStaticFix(target.directive, around, status);
      if (!fix) continue;
      const inherited = host.vhost !== undefined && virtualHostOf(target.directive) === undefined;
      const notes = [
        host.serverWide
          ? `its <VirtualHost> (line ${host.vhost?.start ?? 0}) sets no SSLVerifyClient, so the server-wide one of ${host.finding.file}:${host.finding.line} applies`
          : undefined,
        inherited && target === root
          ? `the main server's DocumentRoot: the mTLS <VirtualHost> of ${host.finding.file}:${host.finding.line} sets none, so it serves this folder`
          : inherited
            ? 'server-wide (outside any <VirtualHost>): applies to every virtual host, the mTLS one included'
            : undefined,
        target.via
          ? `read through \`${target.via.include.text}\` (${target.via.from.file.relative}:${target.via.include.line})`
          : undefined,
        servedFolderNote(target.directive),
      ].filter((note): note is string => note !== undefined);
      out.push({
        file: target.file.file.relative,
        line: target.directive.line,
        source: 'apache',
        evidence: target.directive.text,
        hosts: ownHosts.length ? ownHosts : host.finding.hosts,
        paths: host.paths.length
          ? host.paths
          : target.directive.name === 'alias'
            ? words(target.directive.value).slice(0, 1)
            : [],
        finding: { file: host.finding.file, line: host.finding.line },
        fix,
        ...(notes.length ? { note: notes.join('; ') } : {}),
      });
    }
  }
  return out;
}

/**
 * The hosts of one server that ask for a certificate: each `<VirtualHost>` whose own-level `SSLVerifyClient`
 * is a finding (`none` is not), else whose per-path ones are, else (no `SSLVerifyClient` of its own) under a
 * server-wide one; and the main server under a server-wide one.
 */
function mtlsHosts(placed: readonly Placed[], apache: readonly DetectFinding[]): MtlsHost[] {
  const verifies = placed
    .filter((entry) => entry.directive.name === 'sslverifyclient')
    .map((entry) => ({
      entry,
      pathScoped: entry.directive.within.some((section) => APACHE_PATH_SECTIONS.has(section.kind)),
      finding: apache.find(
        (finding) => finding.file === entry.file.file.relative && finding.line === entry.directive.line,
      ),
    }));
  const serverWide = verifies.find(
    (verify) => virtualHostOf(verify.entry.directive) === undefined && !verify.pathScoped,
  )?.finding;
  const vhosts = [
    undefined,
    ...new Set(placed.map((entry) => virtualHostOf(entry.directive)).filter((vhost) => vhost !== undefined)),
  ];
  const hosts: MtlsHost[] = [];
  for (const vhost of vhosts) {
    const own = verifies.filter((verify) => virtualHostOf(verify.entry.directive) === vhost);
    const level = own.find((verify) => !verify.pathScoped);
    if (level?.finding) {
      hosts.push({ vhost, finding: level.finding, paths: [], serverWide: false });
      continue;
    }
    const scoped = own.filter((verify) => verify.pathScoped && verify.finding);
    for (const verify of scoped)
      if (verify.finding)
        hosts.push({ vhost, finding: verify.finding, paths: verify.finding.paths, serverWide: false });
    if (!level && scoped.length === 0 && vhost !== undefined && serverWide)
      hosts.push({ vhost, finding: serverWide, paths: [], serverWide: true });
  }
  return hosts;
}

/** The `ServerName` / `ServerAlias` names among a host's directives. */
function hostNames(own: readonly Placed[]): string[] {
  return own
    .filter((entry) => entry.directive.name === 'servername' || entry.directive.name === 'serveralias')
    .flatMap((entry) => words(entry.directive.value))
    .map((host) => host.replace(/^https?:\/\//, '').replace(/:\d+$/, ''));
}

/**
 * What a served folder's 403 rests on: the files deployed in the folder (`DocumentRoot /var/www/api`), a path on
 * the server detect does not read. Said so that the entry is not taken as a 403 seen in the repository (session
 * 32: the fix said "a folder without a DirectoryIndex file answers 403" without saying the folder was never looked
 * at).
 */
function servedFolderNote(directive: ApacheDirective): string | undefined {
  const folder = apacheServed(directive)?.folder;
  return folder === undefined
    ? undefined
    : `${folder} is a folder on the server, not read here: httpd answers this 403 for each of its folders that ` +
        `holds no DirectoryIndex file when it is deployed (check what is deployed there)`;
}
