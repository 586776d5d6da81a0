import { readdirSync } from 'node:fs';
import { readScanText } from '../read-text.js';
import path from 'node:path';
import type { ScanFile } from '../scan-file.js';
import { parseNginx, verifyMode, type NginxParseTreeNode } from '../sources/nginx.js';
import { words } from '../text.js';
import type { DetectFinding, DetectMode } from '../types.js';
import { isNginxCodeDirective, nginxCodeForbidden, nginxJsImports } from './nginx-code.js';
import type { ProxyCodeFiles } from './proxy-code.js';
import { forbiddenUnder, noForbidden, type ForbiddenResult } from './result.js';

/**
 * 403s nginx answers itself inside an mTLS `server` block (ngx_http_ssl_module `ssl_verify_client`
 * on/optional/optional_no_ca, own or inherited from `http`): `return 403` (ngx_http_rewrite_module),
 * `deny` (ngx_http_access_module answers 403), `limit_req_status 403` / `limit_conn_status 403`; in
 * locations, `if` and `limit_except` blocks, and `deny` inherited from `http`. A 403 remapped by an
 * effective `error_page 403 =NNN` (NNN not 403) is not one (a `return 403 "text"` with a body is not
 * remapped by nginx). Servers under `stream`/`mail` answer no HTTP status and are passed over.
 * A file nginx-conf rejects: every `return 403` / `deny` line is listed as unplaced.
 */
export function nginxForbidden(
  file: ScanFile,
  findings: DetectFinding[],
  status: number,
  files: ProxyCodeFiles,
): ForbiddenResult {
  const result = noForbidden();
  const parsed = parseNginx(file);
  if ('failure' in parsed) {
    for (const hit of forbiddenLines(file.text))
      result.unplaced.push({
        file: file.relative,
        ...hit,
        source: 'nginx',
        reason: `nginx-conf could not parse the file (${parsed.failure}): which server block it sits in is unknown; if it is the mTLS one, change it to ${status}`,
      });
    return result;
  }
  const { tree, lines } = parsed;
  const jsImports = nginxJsImports(tree);
  const named = namedLocationStatuses(tree);
  const missingModules = new Set<string>();
  const remapsHere = (pages: NginxParseTreeNode[]): boolean => remaps(pages, named);
  const findingAt = (line: number, hosts: string[]): DetectFinding | undefined =>
    findings.find((f) => f.line === line && sameHosts(f.hosts, hosts)) ??
    findings.find((f) => f.line === line);

  const visit = (
    node: NginxParseTreeNode,
    outer: {
      mode?: DetectMode | 'off';
      line?: number;
      denies: NginxParseTreeNode[];
      errorPages: NginxParseTreeNode[];
      codes: NginxParseTreeNode[];
    },
    http: boolean,
  ): void => {
    const children = node.children ?? [];
    const own = children.find((child) => child.name === 'ssl_verify_client');
    const ownPages = children.filter((child) => child.name === 'error_page');
    const ownDenies = children.filter((child) => child.name === 'deny');
    const here = {
      mode: own ? verifyMode(own.value ?? '') : outer.mode,
      line: own ? lines.get(own) : outer.line,
      denies: http && ownDenies.length ? ownDenies : outer.denies,
      errorPages: ownPages.length ? ownPages : outer.errorPages,
      codes: http ? [...outer.codes, ...children.filter(isNginxCodeDirective)] : outer.codes,
    };
    for (const child of children) {
      if (!child.isBlock) continue;
      if (child.name === 'stream' || child.name === 'mail') continue;
      if (child.name === 'server') serverForbidden(child, here);
      else visit(child, here, http || child.name === 'http');
    }
  };

  const serverForbidden = (
    server: NginxParseTreeNode,
    outer: {
      mode?: DetectMode | 'off';
      line?: number;
      denies: NginxParseTreeNode[];
      errorPages: NginxParseTreeNode[];
      codes: NginxParseTreeNode[];
    },
  ): void => {
    const children = server.children ?? [];
    const own = children.find((child) => child.name === 'ssl_verify_client');
    const mode = own ? verifyMode(own.value ?? '') : outer.mode;
    const line = own ? lines.get(own) : outer.line;
    if (!mode || mode === 'off' || line === undefined) return;
    const hosts = children
      .filter((child) => child.name === 'server_name')
      .flatMap((child) => words(String(child.value)))
      .filter((name) => name !== '_' && name !== '""' && name !== '');
    const finding = findingAt(line, hosts);
    if (!finding) return;
    const pages = children.some((child) => child.name === 'error_page')
      ? children.filter((child) => child.name === 'error_page')
      : outer.errorPages;
    // ngx_http_access_module: a level with its own allow/deny rules does not inherit the outer ones.
    if (!children.some((child) => child.name === 'allow' || child.name === 'deny') && !remapsHere(pages)) {
      for (const deny of outer.denies) {
        result.forbidden.push(
          forbiddenUnder(finding, {
            line: lines.get(deny) ?? 0,
            source: 'nginx',
            evidence: directive(deny),
            paths: [],
            fix: denyFix(status),
            hosts,
            note: `inherited from the http block into the server block at line ${lines.get(server) ?? '?'}`,
          }),
        );
      }
    }
    // Code directives of the http block run in this server unless it sets the same phase itself.
    for (const code of outer.codes) {
      if (children.some((child) => child.name === code.name)) continue;
      nginxCodeForbidden(code, {
        file,
        line: lines.get(code) ?? 0,
        finding,
        hosts,
        paths: [],
        remapped: remapsHere(pages),
        status,
        files,
        jsImports,
        missingModules,
        result,
        note: `inherited from the http block into the server block at line ${lines.get(server) ?? '?'}`,
      });
    }
    walk(server, [], pages, finding, hosts);
  };

  const walk = (
    node: NginxParseTreeNode,
    paths: string[],
    inheritedPages: NginxParseTreeNode[],
    finding: DetectFinding,
    hosts: string[],
  ): void => {
    const children = node.children ?? [];
    const ownPages = children.filter((child) => child.name === 'error_page');
    const pages = ownPages.length ? ownPages : inheritedPages;
    const remapped = remapsHere(pages);
    for (const child of children) {
      const value = words(String(child.value ?? ''));
      const add = (fix: string): void => {
        result.forbidden.push(
          forbiddenUnder(finding, {
            line: lines.get(child) ?? 0,
            source: 'nginx',
            evidence: directive(child),
            paths,
            fix,
            hosts,
          }),
        );
      };
      if (child.isBlock) {
        if (child.name === 'location') walk(child, [value[value.length - 1] ?? '/'], pages, finding, hosts);
        else walk(child, paths, pages, finding, hosts);
        continue;
      }
      if (isNginxCodeDirective(child)) {
        nginxCodeForbidden(child, {
          file,
          line: lines.get(child) ?? 0,
          finding,
          hosts,
          paths,
          remapped,
          status,
          files,
          jsImports,
          missingModules,
          result,
        });
      } else if (child.name === 'return' && value[0] === '403') {
        // nginx sends `return 403 "text"` as written; a bare `return 403` goes through error_page.
        if (remapped && value.length === 1) continue;
        add(
          `return ${String(child.value)
            .trim()
            .replace(/^403\b/, String(status))};`,
        );
      } else if (child.name === 'include') {
        // The included text is part of this mTLS server: its 403s are named too (files in the scanned tree).
        for (const included of includedFiles(file, value[0] ?? ''))
          for (const hit of forbiddenLines(included.text))
            result.unplaced.push({
              file: included.relative,
              ...hit,
              source: 'nginx',
              reason: `included into the mTLS server of ${finding.file}:${finding.line} by \`${directive(child)}\` (${file.relative}:${lines.get(child) ?? '?'}): change it to ${status} (error_page remaps of the including file are not applied here)`,
            });
      } else if (child.name === 'deny' && !remapped) {
        add(denyFix(status));
      } else if (
        (child.name === 'limit_req_status' || child.name === 'limit_conn_status') &&
        value[0] === '403' &&
        !remapped
      ) {
        add(`${child.name} ${status}; (or 429, the rate-limit status)`);
      }
    }
  };

  visit(tree, { denies: [], errorPages: [], codes: [] }, false);
  return result;
}

/** `return 403`, `deny` and `limit_*_status 403` lines of an nginx text (comments dropped), 1-based. */
function forbiddenLines(text: string): { line: number; evidence: string }[] {
  const hits: { line: number; evidence: string }[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (/(^|[{;]\s*)(return\s+403\b|deny\s|limit_(req|conn)_status\s+403\b)/.test(line))
      hits.push({ line: index + 1, evidence: line });
  });
  return hits;
}

/**
 * The files an `include` names, relative to the including file's folder (one `*` wildcard in the file name
 * allowed, as `include conf.d/*.conf`), that exist and can be read. An include outside the repository (an
 * absolute `/etc/nginx/...` path that is not there) yields nothing: only what the scanned tree holds is read.
 */
function includedFiles(file: ScanFile, target: string): { relative: string; text: string }[] {
  if (!target) return [];
  const folder = path.dirname(file.path);
  const absolute = path.resolve(folder, target.replace(/^["']|["']$/g, ''));
  const base = path.basename(absolute);
  const wildcard = new RegExp(`^${base.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  let names: string[];
  try {
    names = base.includes('*')
      ? readdirSync(path.dirname(absolute)).filter((name) => wildcard.test(name))
      : [base];
  } catch {
    return [];
  }
  const relativeFolder = path.posix.dirname(file.relative);
  return names.flatMap((name) => {
    const full = path.join(path.dirname(absolute), name);
    try {
      const read = readScanText(full);
      if (!('text' in read)) return [];
      const text = read.text;
      const relative = path.posix.normalize(
        path.posix.join(relativeFolder, path.relative(folder, full).split(path.sep).join('/')),
      );
      return [{ relative, text }];
    } catch {
      return [];
    }
  });
}

/**
 * Does an effective `error_page` list send 403 on as another status: `error_page 403 =401 ...`, or
 * `error_page 403 = @name` where the named location answers with `return NNN` (NNN not 403: the status is the
 * named location's, ngx_http_core_module `error_page`; `named` maps each `@name` to its `return` status)?
 */
function remaps(pages: NginxParseTreeNode[], named: ReadonlyMap<string, string>): boolean {
  return pages.some((page) => {
    const parts = words(String(page.value ?? ''));
    if (!parts.includes('403')) return false;
    const to = parts.find((part) => /^=\d{3}$/.test(part));
    if (to !== undefined) return to !== '=403';
    const equals = parts.indexOf('=');
    const target = equals === -1 ? undefined : parts[equals + 1];
    const answered = target?.startsWith('@') ? named.get(target) : undefined;
    return answered !== undefined && answered !== '403';
  });
}

/** `location @name { return NNN ...; }` anywhere in the file: `@name` -> `NNN`. */
function namedLocationStatuses(tree: NginxParseTreeNode): Map<string, string> {
  const named = new Map<string, string>();
  const walkTree = (node: NginxParseTreeNode): void => {
    for (const child of node.children ?? []) {
      const name = String(child.value ?? '').trim();
      if (child.isBlock && child.name === 'location' && name.startsWith('@')) {
        const answer = (child.children ?? []).find((inner) => inner.name === 'return');
        const status = words(String(answer?.value ?? ''))[0];
        if (status && /^\d{3}$/.test(status)) named.set(name, status);
      }
      walkTree(child);
    }
  };
  walkTree(tree);
  return named;
}

function denyFix(status: number): string {
  return `ngx_http_access_module answers 403: add \`error_page 403 = @mtls_status;\` and \`location @mtls_status { return ${status}; }\` to this server block (a location with its own error_page needs the error_page line too)`;
}

function directive(node: NginxParseTreeNode): string {
  const value = String(node.value ?? '').trim();
  return value ? `${node.name} ${value};` : `${node.name};`;
}

function sameHosts(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((host, index) => host === b[index]);
}
