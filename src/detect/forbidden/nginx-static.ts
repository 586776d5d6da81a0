import type { NginxParseTreeNode } from '../sources/nginx.js';
import { words } from '../text.js';

/** A `root` / `alias` whose files nginx serves itself in an mTLS server: a 403 for an index-less folder. */
export interface StaticForbidden {
  node: NginxParseTreeNode;
  /** The location prefix it serves (empty: the server level). */
  paths: string[];
  fix: string;
}

/** Directives that make a location answer with something else than its files (a proxy, code, `return`). */
const CONTENT_HANDLERS = new Set([
  'proxy_pass',
  'fastcgi_pass',
  'uwsgi_pass',
  'scgi_pass',
  'grpc_pass',
  'memcached_pass',
  'return',
  'js_content',
  'content_by_lua',
  'content_by_lua_block',
  'content_by_lua_file',
  'perl',
  'empty_gif',
  'stub_status',
]);

interface Scope {
  autoindex: boolean;
  pages: NginxParseTreeNode[];
  /** A `try_files` in force that never serves a folder (no `$uri/` among its files). */
  filesOnly: boolean;
}

/**
 * The `root` and `alias` directives of an mTLS `server` block (ngx_http_core_module) whose files nginx serves
 * itself: ngx_http_index_module answers 403 for a request of a folder without an index file when `autoindex` is
 * off (the default: "directory index of ... is forbidden"), and ngx_http_static_module answers 403 for a file
 * nginx may not read. Not one: a level whose requests go elsewhere (`proxy_pass`, `fastcgi_pass`, `return`, ...),
 * `autoindex on`, a `try_files` without `$uri/` (a folder then falls through to its last argument), and an
 * effective `error_page 403` remap (`remaps`). A server-level `root` counts when a location (or the server itself,
 * with none) serves files from it. Session 27 (breaker27 #11): before, detect said nothing of these and
 * `--check` exited 0, while migrate reports the same 403 of `express.static`.
 */
export function nginxStaticForbidden(
  server: NginxParseTreeNode,
  inheritedPages: NginxParseTreeNode[],
  remaps: (pages: NginxParseTreeNode[]) => boolean,
  status: number,
): StaticForbidden[] {
  const found: StaticForbidden[] = [];
  const fix =
    `a folder without an index file answers 403 (autoindex off): add \`try_files $uri =404;\` (a folder then ` +
    `answers 404) or \`error_page 403 =${status} /${status}.html;\` (\`autoindex on;\` if the folder may be ` +
    `listed); a file nginx may not read answers 403 too`;
  const scopeOf = (node: NginxParseTreeNode, outer: Scope): Scope => {
    const children = node.children ?? [];
    const autoindex = children.find((child) => child.name === 'autoindex');
    const tryFiles = children.find((child) => child.name === 'try_files');
    const pages = children.filter((child) => child.name === 'error_page');
    return {
      autoindex: autoindex ? words(String(autoindex.value ?? ''))[0] === 'on' : outer.autoindex,
      pages: pages.length ? pages : outer.pages,
      filesOnly: tryFiles ? !/\$uri\/|\$request_uri\/|\/\s/.test(`${String(tryFiles.value ?? '')} `) : false,
    };
  };
  const servesFiles = (node: NginxParseTreeNode, scope: Scope): boolean =>
    !(node.children ?? []).some((child) => CONTENT_HANDLERS.has(child.name)) &&
    !scope.autoindex &&
    !scope.filesOnly &&
    !remaps(scope.pages);
  /** Whether a location below `node` (or `node` itself, when it has none) serves files from an inherited root. */
  const usesInheritedRoot = (node: NginxParseTreeNode, scope: Scope): boolean => {
    const locations = (node.children ?? []).filter((child) => child.isBlock && child.name === 'location');
    if (locations.length === 0) return servesFiles(node, scope);
    return locations.some((location) => {
      if (exactFile(location)) return false;
      const own = location.children ?? [];
      if (own.some((child) => child.name === 'root' || child.name === 'alias')) return false;
      return usesInheritedRoot(location, scopeOf(location, scope));
    });
  };
  const walk = (
    node: NginxParseTreeNode,
    paths: string[],
    scope: Scope,
    level: 'server' | 'location',
  ): void => {
    const children = node.children ?? [];
    // A server-level `return` answers before any location is chosen: no file is served.
    if (level === 'server' && children.some((child) => child.name === 'return')) return;
    for (const child of children) {
      if (child.name !== 'root' && child.name !== 'alias') continue;
      if (usesInheritedRoot(node, scope)) found.push({ node: child, paths, fix });
    }
    for (const child of children) {
      if (!child.isBlock || child.name !== 'location') continue;
      // A named location (`@fallback`) is reached only by an internal redirect, which names a file or a status.
      if (
        String(child.value ?? '')
          .trim()
          .startsWith('@')
      )
        continue;
      // `location = /50x.html`: only that URI, a file's; a folder is asked for with a `/` at the end (nginx
      // redirects `/dir` there), which this location never matches (session 28: the stock error page block).
      if (exactFile(child)) continue;
      const value = words(String(child.value ?? ''));
      walk(child, [value[value.length - 1] ?? '/'], scopeOf(child, scope), 'location');
    }
  };
  walk(server, [], scopeOf(server, { autoindex: false, pages: inheritedPages, filesOnly: false }), 'server');
  return found;
}

/** An exact-match location (`location = /50x.html`) whose URI does not end with `/`: it serves one file, no folder. */
function exactFile(location: NginxParseTreeNode): boolean {
  const value = words(String(location.value ?? ''));
  return value[0] === '=' && value.length > 1 && !value[value.length - 1].endsWith('/');
}
