import type { ScanFile } from '../scan-file.js';
import { words } from '../text.js';
import type { DetectFinding } from '../types.js';
import { forbiddenUnder, noForbidden, type ForbiddenResult } from './result.js';

interface Site {
  start: number;
  end: number;
  /** Named matcher -> path values (`@name path /a /b` or `@name { path /a }`). */
  matchers: Map<string, string[]>;
  directives: { line: number; text: string; paths: string[] }[];
}

/**
 * 403s Caddy answers itself inside a site block with `tls { client_auth ... }` (the finding): `respond`
 * and `error` directives whose status is 403 (`respond 403`, `respond @blocked "no" 403`, `error 403`).
 * Paths from a path matcher argument, a named matcher's `path`, or an enclosing `handle`/`handle_path`/
 * `route` block. `abort` closes the connection (no 403) and is not one. `forward_auth` (Caddy passes the auth
 * service's non-2xx status on) is listed as not checked. Line scan, as the reader.
 */
export function caddyForbidden(file: ScanFile, findings: DetectFinding[], status: number): ForbiddenResult {
  const result = noForbidden();
  const sites: Site[] = [];
  let site: Site | undefined;
  let depth = 0;
  const blocks: { depth: number; paths: string[] }[] = [];
  let matcher: { name: string; depth: number } | undefined;
  file.text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    const number = index + 1;
    if (depth === 0 && line.endsWith('{')) {
      site = { start: number, end: Number.MAX_SAFE_INTEGER, matchers: new Map(), directives: [] };
      sites.push(site);
    } else if (site) {
      const parts = words(line.replace(/\{$/, ''));
      const name = parts[0] ?? '';
      const inherited = blocks[blocks.length - 1]?.paths ?? [];
      if (name.startsWith('@')) {
        const paths = parts[1] === 'path' ? parts.slice(2) : [];
        site.matchers.set(name, paths);
        if (line.endsWith('{')) matcher = { name, depth };
      } else if (matcher && name === 'path') {
        site.matchers.set(matcher.name, [...(site.matchers.get(matcher.name) ?? []), ...parts.slice(1)]);
      }
      if (line.endsWith('{') && !name.startsWith('@')) {
        const own =
          /^(handle|handle_path|route)$/.test(name) && parts[1]?.startsWith('/') ? [parts[1]] : inherited;
        blocks.push({ depth, paths: own });
      }
      site.directives.push({ line: number, text: line, paths: inherited });
    }
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    while (blocks.length && depth <= blocks[blocks.length - 1].depth) blocks.pop();
    if (matcher && depth <= matcher.depth) matcher = undefined;
    if (depth <= 0 && site) {
      site.end = number;
      site = undefined;
      depth = 0;
    }
  });
  for (const each of sites) {
    const finding = findings.find((f) => f.line > each.start && f.line < each.end);
    if (!finding) continue;
    for (const directive of each.directives) {
      const parts = words(directive.text.replace(/\{$/, ''));
      if (parts[0] === 'forward_auth') {
        result.notChecked.push(
          `${file.relative}:${directive.line} caddy (\`${directive.text.replace(/\s*\{$/, '')}\` in the mTLS site: Caddy answers the auth service's non-2xx status, 403 included, as its own; check that service, or answer ${status} there)`,
        );
        continue;
      }
      if (parts[0] !== 'respond' && parts[0] !== 'error') continue;
      const statusAt = parts.findIndex((part, at) => at > 0 && part === '403');
      if (statusAt === -1 || !/^(respond|error)\s(.*\s)?403(\s|$|\{)/.test(directive.text)) continue;
      const target = parts[1];
      const paths = target?.startsWith('/')
        ? [target]
        : target?.startsWith('@')
          ? (each.matchers.get(target) ?? directive.paths)
          : directive.paths;
      result.forbidden.push(
        forbiddenUnder(finding, {
          line: directive.line,
          source: 'caddy',
          evidence: directive.text,
          paths,
          fix: directive.text.replace(/(\s)403(?=\s|$|\{)/, `$1${status}`),
        }),
      );
    }
  }
  return result;
}
