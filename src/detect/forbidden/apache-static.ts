import { words } from '../text.js';
import type { ApacheDirective } from '../apache-config.js';

/**
 * Directives that hand every request under their URL path to something other than the file system: a proxy
 * (`ProxyPass`, `ProxyPassMatch`), an application (`WSGIScriptAlias`, `ScriptAlias`, `JkMount`), a redirect.
 */
const HANDED_ON = new Set([
  'proxypass',
  'proxypassmatch',
  'wsgiscriptalias',
  'wsgiscriptaliasmatch',
  'scriptalias',
  'scriptaliasmatch',
  'jkmount',
  'redirect',
  'redirectmatch',
  'redirectpermanent',
  'redirecttemp',
]);

/**
 * The fix for a `DocumentRoot` or `Alias` whose files Apache httpd serves itself on an mTLS host: mod_dir /
 * mod_autoindex answer 403 for a folder without a `DirectoryIndex` file when `Options` has no `Indexes` (httpd
 * 2.4's default is `FollowSymLinks` only: "Cannot serve directory ...: No matching DirectoryIndex ... found, and
 * server-generated directory index forbidden by Options directive"), and mod_core answers 403 for a file httpd
 * may not read. `ErrorDocument 403` keeps the status, so it is no way out. Undefined when the directive is
 * neither, when its URL path (`/` for `DocumentRoot`, the `Alias` path) is handed on as a whole (`ProxyPass /`,
 * `WSGIScriptAlias /`, `Redirect /`, a `RewriteRule` with `[P]` / `[R]` for every path, `SetHandler` in
 * `<Location />`), or when `Options` turns `Indexes` on for the folder. `around`: the directives in force on
 * the host, the main server's first, then the virtual host's (files it includes expanded in place), as httpd
 * merges them. Session 29 (Apache's counterpart of nginx-static.ts); session 30: read over every file of the
 * server (apache-served.ts), not one file.
 */
export function apacheStaticFix(
  directive: ApacheDirective,
  around: readonly ApacheDirective[],
  status: number,
): string | undefined {
  const target = apacheServed(directive);
  if (!target) return undefined;
  if (around.some((other) => handsOn(other, target.urlPath))) return undefined;
  if (indexesOn(around, target.folder)) return undefined;
  return (
    `a folder without a DirectoryIndex file answers 403 (Options without Indexes, httpd's default): add ` +
    `\`RewriteEngine On\`, \`RewriteCond %{REQUEST_FILENAME} -d\`, \`RewriteCond %{REQUEST_FILENAME}/index.html !-f\`, ` +
    `\`RewriteRule ^ - [R=${status},L]\` (\`Options +Indexes\` if the folder may be listed; a distribution's ` +
    `own config may turn Indexes on, e.g. Debian's for /var/www); a file httpd may not read answers 403 too`
  );
}

/**
 * The URL path and folder a `DocumentRoot` / `Alias` serves (`/` for a `DocumentRoot`), or undefined for any
 * other directive and for one inside a `<Location>`-like section.
 */
export function apacheServed(directive: ApacheDirective): { urlPath: string; folder: string } | undefined {
  if (directive.within.some((section) => /^(location|files|directory)/.test(section.kind))) return undefined;
  const parts = words(directive.value);
  if (directive.name === 'documentroot' && parts[0]) return { urlPath: '/', folder: parts[0] };
  if (directive.name === 'alias' && parts[0] && parts[1]) return { urlPath: parts[0], folder: parts[1] };
  return undefined;
}

/** Whether `other` hands every request under `urlPath` to a proxy, an application or a redirect. */
function handsOn(other: ApacheDirective, urlPath: string): boolean {
  const parts = words(other.value);
  const covers = (prefix: string | undefined): boolean =>
    prefix !== undefined && trimSlash(urlPath).startsWith(trimSlash(prefix));
  const location = other.within.find((section) => /^location/.test(section.kind));
  if (HANDED_ON.has(other.name)) {
    if (location) return covers(location.argument) && other.name === 'proxypass';
    const first = parts[0];
    if (other.name.endsWith('match') || other.name === 'jkmount') return matchesEvery(first, urlPath);
    // `ProxyPass /path !` excludes a path from an earlier ProxyPass: it hands nothing on.
    if (parts[1] === '!') return false;
    // `Redirect 301 / https://...`: the status comes first.
    const prefix = /^(\d{3}|permanent|temp|seeother|gone)$/i.test(first ?? '') ? parts[1] : first;
    return covers(prefix);
  }
  if (other.name === 'sethandler' && location) return covers(location.argument);
  if (other.name === 'rewriterule') {
    const flags = parts[parts.length - 1] ?? '';
    return /^\[.*\b(P|proxy|R|redirect)(=3\d\d)?\b.*\]$/i.test(flags) && matchesEvery(parts[0], urlPath);
  }
  return false;
}

/** Whether a regex (a `*Match` pattern, `JkMount /*`) matches both `urlPath` and a folder below it. */
function matchesEvery(pattern: string | undefined, urlPath: string): boolean {
  if (pattern === undefined) return false;
  const base = urlPath.endsWith('/') ? urlPath : `${urlPath}/`;
  if (!/[\^$()[\]\\|+?.]/.test(pattern) && pattern.endsWith('/*'))
    return base.startsWith(pattern.slice(0, -1));
  try {
    const regex = new RegExp(pattern);
    return regex.test(base) && regex.test(`${base}folder/`);
  } catch {
    return false;
  }
}

/**
 * Whether `Options` turns `Indexes` on for `folder`: the virtual host level first, then each `<Directory>` that
 * holds the folder, shortest first (httpd's merge order). A list without `+`/`-` replaces; `All` includes Indexes.
 */
function indexesOn(around: readonly ApacheDirective[], folder: string): boolean {
  const holds = (section: string): boolean =>
    trimSlash(folder) === trimSlash(section) || trimSlash(folder).startsWith(`${trimSlash(section)}/`);
  const scoped = around
    .filter((other) => other.name === 'options')
    .map((other) => {
      const directory = other.within.find((section) => section.kind === 'directory');
      const pathSection = other.within.some((section) => /^(location|files)/.test(section.kind));
      return { other, directory, pathSection };
    })
    .filter(
      ({ directory, pathSection }) => !pathSection && (directory === undefined || holds(directory.argument)),
    )
    .sort((a, b) => (a.directory?.argument.length ?? -1) - (b.directory?.argument.length ?? -1));
  let on = false;
  for (const { other } of scoped) {
    const options = words(other.value).map((word) => word.toLowerCase());
    if (!options.some((word) => /^[+-]/.test(word))) on = false;
    for (const word of options) {
      if (word === 'indexes' || word === '+indexes' || word === 'all') on = true;
      if (word === '-indexes' || word === 'none') on = false;
    }
  }
  return on;
}

function trimSlash(value: string): string {
  return value.replace(/^["']|["']$/g, '').replace(/\/+$/, '');
}
