import path from 'node:path';
import type { ScanFile } from '../scan-file.js';
import { words } from '../text.js';
import {
  APACHE_PATH_SECTIONS,
  parseApacheConfig,
  virtualHostOf,
  type ApacheConfig,
  type ApacheDirective,
} from '../apache-config.js';
import type { DetectFinding, DetectForbidden } from '../types.js';
import { forbiddenFix } from './apache.js';
import { noForbidden, type ForbiddenResult } from './result.js';

/** An Apache httpd configuration file of the scanned tree that has no `SSLVerifyClient` finding of its own. */
export interface ApacheFile {
  file: ScanFile;
  config: ApacheConfig;
}

/** Directives and sections only Apache httpd configuration (and `.htaccess`) writes. */
const APACHE_TEXT =
  /^[ \t]*(?:<\/?(?:VirtualHost|Directory|DirectoryMatch|Location|LocationMatch|Files|FilesMatch|IfModule|RequireAll|RequireAny|Proxy)\b|(?:Include|IncludeOptional|LoadModule|ServerName|DocumentRoot|RewriteEngine|AllowOverride|SSLEngine)[ \t])/im;

/** A 403 directive of {@link forbiddenFix}, at the start of a line. */
const FORBIDDEN_TEXT =
  /^[ \t]*(?:(?:Require|SSLRequire|RewriteRule|Redirect|RedirectMatch)[ \t]|(?:Deny|Allow)[ \t]+from\b)/im;

/**
 * A directive that serves files, or decides whether they are served, as httpd writes it (nginx's `alias` is
 * lower-case): a file holding only these, included into an mTLS virtual host, is read for folder 403s.
 */
const SERVED_TEXT =
  /^[ \t]*(?:DocumentRoot|Alias|Options|ProxyPass|ProxyPassMatch|WSGIScriptAlias|ScriptAlias|JkMount|SetHandler)[ \t]/m;

/** An `Include` of httpd (nginx writes `include`, lower-case, and ends it with `;`). */
const INCLUDE_TEXT = /^[ \t]*Include(?:Optional)?[ \t]+[^;\n]+$/m;

/**
 * Is this an Apache httpd configuration file (`httpd.conf`, `conf.d/*.conf`, `sites-available/*`, `.htaccess`)
 * that holds a directive which may answer 403, one that serves files or hands them on (since session 30), or an
 * `Include` that brings other files into the server? YAML,
 * JSON, code and Markdown are not (their own readers look at them).
 */
export function isApacheForbiddenCandidate(file: ScanFile): boolean {
  if (/\.(ya?ml|json|[cm]?[jt]sx?|tf|md|lua|toml|xml|properties)$/i.test(file.baseName)) return false;
  if (!FORBIDDEN_TEXT.test(file.text) && !INCLUDE_TEXT.test(file.text) && !SERVED_TEXT.test(file.text))
    return false;
  return file.baseName === '.htaccess' || /\.conf$/i.test(file.baseName) || APACHE_TEXT.test(file.text);
}

/** Reads a candidate file (see {@link isApacheForbiddenCandidate}). */
export function apacheFile(file: ScanFile): ApacheFile {
  return { file, config: parseApacheConfig(file.text) };
}

/** Folders whose files httpd reads through an `Include` of the main configuration beside (or above) them. */
const INCLUDE_FOLDERS =
  /^(conf\.d|conf|sites-enabled|sites-available|conf-enabled|conf-available|extra|vhosts\.d|other|includes?)$/i;

/**
 * The 403s Apache httpd answers from configuration files other than the one whose `SSLVerifyClient` asks for
 * the certificate (before session 28 only that file was read, and a 403 in `conf.d/access.conf`, in a file
 * `Include`d inside the mTLS `<VirtualHost>`, or in an `.htaccess` passed as clean):
 * - a file an `Include` / `IncludeOptional` brings into the mTLS `<VirtualHost>`: its 403s are that host's,
 *   with the include named in the note;
 * - a file an `Include` outside any `<VirtualHost>` brings in (the server configuration): its 403s outside a
 *   `<VirtualHost>` apply to every virtual host, the mTLS one included;
 * - a `<VirtualHost>` of another file: its own host (it asks no certificate) unless a server-wide
 *   `SSLVerifyClient` outside any `<VirtualHost>` applies to it;
 * - `.htaccess` files, and server-level 403s in a file of the mTLS configuration's folder that no `Include`
 *   names: listed as not placed, with what to check (httpd reads `.htaccess` per folder where `AllowOverride`
 *   allows; a file no `Include` names is not read unless a Dockerfile or script puts it in place).
 * `findings`: every Apache finding of the run; `files`: the Apache files of the tree without one. Includes are
 * matched by the last folder and file name of their path (`conf.d/*.conf`, `/etc/apache2/sites-enabled/*`),
 * as a repository seldom holds the server's absolute layout.
 */
export function apacheOtherFilesForbidden(
  findings: readonly DetectFinding[],
  files: readonly ApacheFile[],
  findingFiles: readonly ApacheFile[],
  status: number,
): ForbiddenResult {
  const result = noForbidden();
  const apache = findings.filter((finding) => finding.source === 'apache');
  if (apache.length === 0) return result;
  const all = [...findingFiles, ...files];
  const roots = new Set(findingFiles.map((entry) => configRoot(entry.file.relative)));
  const includes = includeLinks(all);
  const verifyOf = (entry: ApacheFile, directive: ApacheDirective): DetectFinding | undefined =>
    apache.find((finding) => finding.file === entry.file.relative && finding.line === directive.line);
  /** The mTLS finding whose server-wide (outside any `<VirtualHost>`) SSLVerifyClient applies to every host. */
  const serverWide = findingFiles
    .flatMap((entry) =>
      entry.config.directives
        .filter((directive) => directive.name === 'sslverifyclient' && directive.within.length === 0)
        .map((directive) => verifyOf(entry, directive)),
    )
    .find((finding) => finding !== undefined);
  /** The SSLVerifyClient finding of a `<VirtualHost>` (own level first, else a per-path one). */
  const vhostFinding = (entry: ApacheFile, include: ApacheDirective): DetectFinding | undefined => {
    const vhost = virtualHostOf(include);
    const verifies = entry.config.directives.filter(
      (directive) => directive.name === 'sslverifyclient' && virtualHostOf(directive) === vhost,
    );
    const own = verifies.find(
      (directive) => !directive.within.some((section) => APACHE_PATH_SECTIONS.has(section.kind)),
    );
    if (own && !verifyOf(entry, own)) return undefined; // `SSLVerifyClient none`: this host asks for nothing
    return [own, ...verifies].map((directive) => directive && verifyOf(entry, directive)).find(Boolean);
  };
  for (const entry of files) {
    const rel = entry.file.relative;
    const brought = includes.get(rel) ?? [];
    const htaccess = entry.file.baseName === '.htaccess';
    for (const directive of entry.config.directives) {
      const fix = forbiddenFix(directive, status, entry.config.directives);
      if (!fix) continue;
      const vhost = virtualHostOf(directive);
      const paths = directive.within
        .filter((section) => APACHE_PATH_SECTIONS.has(section.kind))
        .map((section) => section.argument);
      const ownEntry = {
        file: rel,
        line: directive.line,
        source: 'apache' as const,
        evidence: directive.text,
        paths: paths.length ? [paths[paths.length - 1]] : [],
        fix,
      };
      if (vhost) {
        // Another virtual host: it asks for a certificate only through a server-wide SSLVerifyClient.
        const asks = entry.config.directives.find(
          (other) => other.name === 'sslverifyclient' && virtualHostOf(other) === vhost,
        );
        if (asks || !serverWide || !sameServer(rel, serverWide.file, includes)) continue;
        result.forbidden.push(
          entryUnder(serverWide, ownEntry, {
            hosts: hostsOf(entry.config, vhost),
            note: `its <VirtualHost> (line ${vhost.start}) sets no SSLVerifyClient, so the server-wide one of ${serverWide.file}:${serverWide.line} applies`,
          }),
        );
        continue;
      }
      const placed: DetectForbidden[] = [];
      for (const { from, include } of brought) {
        const into = virtualHostOf(include);
        const finding = into ? vhostFinding(from, include) : apacheFinding(apache, from, serverWide);
        if (!finding) continue;
        const enclosing = include.within
          .filter((section) => APACHE_PATH_SECTIONS.has(section.kind))
          .map((section) => section.argument);
        placed.push(
          entryUnder(finding, ownEntry, {
            paths: ownEntry.paths.length ? ownEntry.paths : enclosing.slice(-1),
            note: into
              ? `included into the mTLS <VirtualHost> of ${finding.file}:${finding.line} by \`${include.text}\` (${from.file.relative}:${include.line})`
              : `server-wide (outside any <VirtualHost>), read through \`${include.text}\` (${from.file.relative}:${include.line}): applies to every virtual host, the mTLS one included`,
          }),
        );
      }
      // The configuration that includes the mTLS file (httpd.conf with `IncludeOptional conf.d/*.conf`): its
      // server-level 403s apply to every virtual host of the files it includes.
      if (placed.length === 0) {
        for (const finding of apache) {
          const link = (includes.get(finding.file) ?? []).find(
            (candidate) => candidate.from === entry && !virtualHostOf(candidate.include),
          );
          if (!link) continue;
          placed.push(
            entryUnder(finding, ownEntry, {
              note: `server-wide (outside any <VirtualHost>) in the configuration that reads ${finding.file} through \`${link.include.text}\` (line ${link.include.line}): applies to every virtual host, the mTLS one included`,
            }),
          );
          break;
        }
      }
      if (placed.length > 0) {
        result.forbidden.push(...dedupe(placed));
        continue;
      }
      if (brought.length > 0) continue; // brought only into hosts that ask for no certificate
      if (htaccess) {
        result.unplaced.push({
          ...ownEntry,
          reason:
            `an .htaccess file: httpd applies it to the URLs of the folder it sits in, on every virtual host that ` +
            `serves that folder with AllowOverride allowing it; mtls-fix cannot tell whether the mTLS one ` +
            `(${apache[0].file}:${apache[0].line}) does: check its DocumentRoot / Alias and AllowOverride`,
        });
      } else if (roots.has(configRoot(rel))) {
        const include = entry.config.directives.find(
          (other) => other.name === 'include' || other.name === 'includeoptional',
        );
        const mtls = `the mTLS virtual host (${apache[0].file}:${apache[0].line})`;
        result.unplaced.push({
          ...ownEntry,
          reason: include
            ? `outside any <VirtualHost> in a main configuration beside ${apache[0].file} (it reads \`${include.text}\`, ` +
              `line ${include.line}), whose Includes name no file of the scanned tree: if the mTLS file is installed ` +
              `where they read (a Dockerfile or package copying it into that folder), this applies to ${mtls} too`
            : `outside any <VirtualHost> in a file of the mTLS server's configuration folder that no Include in the ` +
              `scanned tree names: if httpd reads it, it answers this on ${mtls} too; check how the file is installed`,
        });
      }
    }
  }
  return result;
}

/** The folder that holds a server's configuration: the file's folder, or its parent for `conf.d/` and the like. */
function configRoot(relative: string): string {
  const folder = path.posix.dirname(relative);
  return INCLUDE_FOLDERS.test(path.posix.basename(folder)) ? path.posix.dirname(folder) : folder;
}

/** For each file (by its relative path), the `Include` / `IncludeOptional` directives (and their files) naming it. */
export type IncludeLinks = Map<string, { from: ApacheFile; include: ApacheDirective }[]>;

/**
 * For each file, the `Include` / `IncludeOptional` directives (and their files) that name it, matched as
 * {@link tailMatcher} says.
 */
export function includeLinks(all: readonly ApacheFile[]): IncludeLinks {
  const links: IncludeLinks = new Map();
  for (const from of all) {
    for (const include of from.config.directives) {
      if (include.name !== 'include' && include.name !== 'includeoptional') continue;
      const target = words(include.value)[0];
      if (!target) continue;
      const matcher = tailMatcher(target);
      for (const to of all) {
        if (to === from || !matcher(to.file.relative, from.file.relative)) continue;
        const list = links.get(to.file.relative) ?? [];
        list.push({ from, include });
        links.set(to.file.relative, list);
      }
    }
  }
  return links;
}

/**
 * Does an include path name this file? Its last two parts (folder and file name, `*`, `?` and `[...]` as in
 * httpd's fnmatch) against the file's last two; a bare file name against files of the including file's
 * configuration folder; a folder (`Include conf.d/`) against every file in it.
 */
function tailMatcher(target: string): (relative: string, from: string) => boolean {
  const parts = target.replace(/\/+$/, '/').split('/').filter(Boolean);
  const folderOnly = target.endsWith('/') || !/[*?[]|\.[\w-]+$/.test(parts[parts.length - 1] ?? '');
  const wanted = folderOnly ? [...parts.slice(-1), '*'] : parts.slice(-2);
  const patterns = wanted.map(globPart);
  return (relative, from) => {
    const tail = relative.split('/').slice(-patterns.length);
    if (tail.length < patterns.length || !patterns.every((pattern, index) => pattern.test(tail[index])))
      return false;
    return patterns.length > 1 || configRoot(relative) === configRoot(from);
  };
}

function globPart(part: string): RegExp {
  let source = '';
  for (let index = 0; index < part.length; index++) {
    const char = part[index];
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const close = part.indexOf(']', index + 1);
      if (close < 0) source += '\\[';
      else {
        source += `[${part
          .slice(index + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        index = close;
      }
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * The mTLS finding a server-level 403 of an included file applies under: the server-wide SSLVerifyClient, else
 * the including file's own, else one of the same configuration folder.
 */
function apacheFinding(
  apache: readonly DetectFinding[],
  from: ApacheFile,
  serverWide: DetectFinding | undefined,
): DetectFinding | undefined {
  return (
    serverWide ??
    apache.find((finding) => finding.file === from.file.relative) ??
    apache.find((finding) => configRoot(finding.file) === configRoot(from.file.relative))
  );
}

/** Are two files parts of one server's configuration (one configuration folder, or linked by an Include)? */
function sameServer(file: string, other: string, includes: IncludeLinks): boolean {
  return (
    configRoot(file) === configRoot(other) ||
    (includes.get(file) ?? []).some((link) => link.from.file.relative === other)
  );
}

function hostsOf(config: ApacheConfig, vhost: NonNullable<ReturnType<typeof virtualHostOf>>): string[] {
  return config.directives
    .filter(
      (directive) =>
        (directive.name === 'servername' || directive.name === 'serveralias') &&
        virtualHostOf(directive) === vhost,
    )
    .flatMap((directive) => words(directive.value))
    .map((host) => host.replace(/^https?:\/\//, '').replace(/:\d+$/, ''));
}

function entryUnder(
  finding: DetectFinding,
  own: Omit<DetectForbidden, 'hosts' | 'finding' | 'note'>,
  extra: { hosts?: string[]; paths?: string[]; note: string },
): DetectForbidden {
  return {
    ...own,
    hosts: extra.hosts ?? finding.hosts,
    paths: extra.paths ?? own.paths,
    finding: { file: finding.file, line: finding.line },
    note: extra.note,
  };
}

/** One entry per directive and mTLS finding, however many includes bring it in. */
function dedupe(entries: DetectForbidden[]): DetectForbidden[] {
  const seen = new Map<string, DetectForbidden>();
  for (const entry of entries) {
    const key = `${entry.finding.file}:${entry.finding.line}`;
    if (!seen.has(key)) seen.set(key, entry);
  }
  return [...seen.values()];
}
