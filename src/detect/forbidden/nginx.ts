import { readdirSync, statSync } from 'node:fs';
import { readScanText } from '../read-text.js';
import path from 'node:path';
import { ScanFile } from '../scan-file.js';
import { parseNginx, verifyMode, type NginxParseTreeNode } from '../sources/nginx.js';
import { words } from '../text.js';
import type { DetectFinding, DetectForbidden, DetectForbiddenUnplaced, DetectMode } from '../types.js';
import { isNginxCodeDirective, nginxCodeForbidden, nginxJsImports } from './nginx-code.js';
import { nginxStaticForbidden } from './nginx-static.js';
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
 *
 * An `include` inside the mTLS server is read where it stands (nginx ngx_core_module `include`: the file's text
 * replaces the directive): the included file's 403s are entries at their own file and line, with the paths and
 * error_page remaps in force at the include, once per directive however many times it is included (the
 * includes named in the note). An included file nginx-conf rejects lists its 403 lines as unplaced, once each.
 */
export function nginxForbidden(
  file: ScanFile,
  findings: DetectFinding[],
  status: number,
  files: ProxyCodeFiles,
): ForbiddenResult {
  const result = noForbidden();
  /** Entries found in included files -> the include directives that bring their text into the server. */
  const included = new Map<DetectForbidden, string[]>();
  const unplacedVias = new Map<DetectForbiddenUnplaced, { finding: DetectFinding; vias: string[] }>();
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
    // Files nginx serves itself (`root` / `alias`): a folder without an index file answers 403.
    for (const hit of nginxStaticForbidden(server, pages, remapsHere, status))
      result.forbidden.push(
        forbiddenUnder(finding, {
          line: lines.get(hit.node) ?? 0,
          source: 'nginx',
          evidence: directive(hit.node),
          paths: hit.paths,
          fix: hit.fix,
          hosts,
        }),
      );
  };

  const walk = (
    node: NginxParseTreeNode,
    paths: string[],
    inheritedPages: NginxParseTreeNode[],
    finding: DetectFinding,
    hosts: string[],
    origin: Origin = { file, lines, chain: [file.path], folders: [path.dirname(file.path)], vias: [] },
  ): void => {
    const children = node.children ?? [];
    const ownPages = children.filter((child) => child.name === 'error_page');
    const pages = ownPages.length ? ownPages : inheritedPages;
    const remapped = remapsHere(pages);
    for (const child of children) {
      const value = words(String(child.value ?? ''));
      const line = origin.lines.get(child) ?? 0;
      const note = includeNote(finding, origin.vias);
      const add = (fix: string): void => {
        const entry: DetectForbidden = {
          ...forbiddenUnder(finding, {
            line,
            source: 'nginx',
            evidence: directive(child),
            paths,
            fix,
            hosts,
          }),
          file: origin.file.relative,
        };
        if (origin.vias.length) included.set(entry, origin.vias);
        result.forbidden.push(entry);
      };
      if (child.isBlock) {
        if (child.name === 'location')
          walk(child, [value[value.length - 1] ?? '/'], pages, finding, hosts, origin);
        else walk(child, paths, pages, finding, hosts, origin);
        continue;
      }
      if (isNginxCodeDirective(child)) {
        nginxCodeForbidden(child, {
          file: origin.file,
          line,
          finding,
          hosts,
          paths,
          remapped,
          status,
          files,
          jsImports,
          missingModules,
          result,
          ...(note ? { note } : {}),
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
        // nginx reads the included text in place of the directive: it is part of this mTLS server, at this
        // location, under the error_page remaps in force here.
        const target = value[0] ?? '';
        const vias = [...origin.vias, `\`${directive(child)}\` (${origin.file.relative}:${line})`];
        const unread: string[] = [];
        const found = includedFiles(
          [path.dirname(origin.file.path), ...origin.folders],
          target,
          file,
          unread,
        );
        if (!found && !holdsNo403(target))
          result.notChecked.push(
            `${origin.file.relative}:${line} nginx (\`${directive(child)}\` in the mTLS server of ${finding.file}:${finding.line}: no such file in the scanned tree; what it answers is not checked)`,
          );
        // An included file that exists but cannot be read (UTF-32, permissions): not passed over (session 41).
        for (const why of unread)
          result.notChecked.push(
            `${origin.file.relative}:${line} nginx (\`${directive(child)}\` in the mTLS server of ${finding.file}:${finding.line}: ${why}; what it answers is not checked)`,
          );
        for (const inner of found ?? []) {
          if (origin.chain.includes(inner.path)) continue; // an include cycle: nginx itself refuses it
          const parsedInclude = parseNginx(inner);
          if ('failure' in parsedInclude) {
            for (const hit of forbiddenLines(inner.text)) {
              const entry: DetectForbiddenUnplaced = {
                file: inner.relative,
                ...hit,
                source: 'nginx',
                reason: `nginx-conf could not parse it (${parsedInclude.failure}): change it to ${status} if nginx answers it there`,
              };
              unplacedVias.set(entry, { finding, vias });
              result.unplaced.push(entry);
            }
            continue;
          }
          walk(parsedInclude.tree, paths, pages, finding, hosts, {
            file: inner,
            lines: parsedInclude.lines,
            chain: [...origin.chain, inner.path],
            folders: origin.folders,
            vias,
          });
        }
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
  return {
    ...result,
    forbidden: mergeIncluded(result.forbidden, included),
    unplaced: mergeUnplaced(result.unplaced, unplacedVias),
  };
}

/** Where the directives being walked are written: the scanned file, or a file it (transitively) includes. */
interface Origin {
  file: ScanFile;
  lines: Map<NginxParseTreeNode, number>;
  /** Absolute paths from the scanned file down to `file` (an include cycle is not followed). */
  chain: string[];
  /** Where a relative include is looked for: the scanned file's folder (nginx's conf prefix, as a rule). */
  folders: string[];
  /** The include directives, outermost first, that bring `file`'s text into the server (none for the file itself). */
  vias: string[];
}

/** `included into the mTLS server of site.conf:5 by `include a.conf;` (site.conf:7)`, or undefined for none. */
function includeNote(finding: DetectFinding, vias: string[]): string | undefined {
  return vias.length
    ? `included into the mTLS server of ${finding.file}:${finding.line} by ${vias.join(', then ')}`
    : undefined;
}

/**
 * One entry per 403 as written: a snippet included at several places of one mTLS server is one directive to
 * change, so its entries under the same finding merge, their paths joined (an entry for every path makes the
 * merged one every path) and the include directives listed once each in its note.
 */
function mergeIncluded(
  entries: DetectForbidden[],
  vias: ReadonlyMap<DetectForbidden, string[]>,
): DetectForbidden[] {
  const groups = new Map<string, { entry: DetectForbidden; vias: string[] }>();
  const out: DetectForbidden[] = [];
  for (const entry of entries) {
    const chain = vias.get(entry);
    if (!chain) {
      out.push(entry);
      continue;
    }
    const key = JSON.stringify([
      entry.file,
      entry.line,
      entry.finding,
      entry.evidence,
      entry.fix,
      entry.hosts,
    ]);
    const group = groups.get(key);
    const via = chain.join(', then ');
    if (!group) {
      const first = { entry: { ...entry }, vias: [via] };
      groups.set(key, first);
      out.push(first.entry);
      continue;
    }
    const paths = group.entry.paths;
    group.entry.paths = paths.length && entry.paths.length ? [...new Set([...paths, ...entry.paths])] : [];
    if (!group.vias.includes(via)) group.vias.push(via);
  }
  for (const { entry, vias: list } of groups.values())
    entry.note = `included into the mTLS server of ${entry.finding.file}:${entry.finding.line} by ${list.join('; by ')}`;
  return out;
}

/** The same unplaced line of an included file is listed once, with every include that brings it in. */
function mergeUnplaced(
  entries: DetectForbiddenUnplaced[],
  vias: ReadonlyMap<DetectForbiddenUnplaced, { finding: DetectFinding; vias: string[] }>,
): DetectForbiddenUnplaced[] {
  const groups = new Map<
    string,
    { entry: DetectForbiddenUnplaced; finding: DetectFinding; reason: string; bys: string[] }
  >();
  const out: DetectForbiddenUnplaced[] = [];
  for (const entry of entries) {
    const from = vias.get(entry);
    if (!from) {
      out.push(entry);
      continue;
    }
    const server = `${from.finding.file}:${from.finding.line}`;
    const key = JSON.stringify([entry.file, entry.line, entry.evidence, server]);
    const by = from.vias.join(', then ');
    const group = groups.get(key);
    if (!group) {
      const first = { entry: { ...entry }, finding: from.finding, reason: entry.reason, bys: [by] };
      groups.set(key, first);
      out.push(first.entry);
    } else if (!group.bys.includes(by)) group.bys.push(by);
  }
  for (const { finding, ...group } of groups.values()) {
    group.entry.reason = `included into the mTLS server of ${finding.file}:${finding.line} by ${group.bys.join('; by ')}, but ${group.reason}`;
  }
  return out;
}

/**
 * Files nginx ships (or certbot writes) that set parameters and answer nothing: an include of one the tree does
 * not hold is not worth a "not checked" line.
 */
function holdsNo403(target: string): boolean {
  const name = target.replace(/^["']|["']$/g, '');
  return (
    /(^|\/)(mime\.types|fastcgi_params|fastcgi\.conf|proxy_params|scgi_params|uwsgi_params|koi-utf|koi-win|win-utf)$/.test(
      name,
    ) ||
    /(^|\/)snippets\/fastcgi-php\.conf$/.test(name) ||
    /^\/etc\/letsencrypt\/options-ssl-nginx\.conf$/.test(name) ||
    /(^|\/)modules-enabled\/\*\.conf$/.test(name)
  );
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
 * The files an `include` names that the scanned tree holds (one `*` wildcard in the file name allowed, as
 * `include conf.d/*.conf`), read as ScanFiles named relative to the scan root. nginx resolves a relative path
 * against its configuration prefix (the folder of nginx.conf, ngx_core_module `include`), which a repository
 * rarely mirrors: it is looked for in `folders` (the including file's folder), then in the folders above the
 * scanned file up to the scan root (Debian's `sites-enabled/x.conf` including `snippets/y.conf`); the first
 * folder that holds it wins. undefined: nothing in the tree matches (an absolute `/etc/nginx/...` path that is
 * not there, a file the repository does not hold); an empty list: a wildcard whose folder matches no file.
 * A file found that cannot be read (UTF-32, permissions) is said in `unread` (`path could not be read (why)`).
 */
function includedFiles(
  folders: string[],
  target: string,
  root: ScanFile,
  unread: string[] = [],
): ScanFile[] | undefined {
  const name = target.replace(/^["']|["']$/g, '');
  if (!name) return [];
  const scanRoot = root.path.slice(0, root.path.length - root.relative.length);
  const candidates = path.isAbsolute(name)
    ? ['']
    : [...folders, ...ancestors(path.dirname(root.path), scanRoot)];
  for (const folder of [...new Set(candidates)]) {
    const absolute = path.resolve(folder || '/', name);
    const base = path.basename(absolute);
    let names: string[];
    if (base.includes('*')) {
      const wildcard = new RegExp(`^${base.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      try {
        names = readdirSync(path.dirname(absolute)).filter((entry) => wildcard.test(entry));
      } catch {
        continue;
      }
    } else if (statSync(absolute, { throwIfNoEntry: false })?.isFile()) names = [base];
    else continue;
    return names.flatMap((entry) => {
      const full = path.join(path.dirname(absolute), entry);
      const relative = path.relative(scanRoot, full).split(path.sep).join('/');
      try {
        const read = readScanText(full);
        if ('notRead' in read) unread.push(`${relative} could not be read (${read.notRead})`);
        if (!('text' in read)) return [];
        return [new ScanFile(full, relative, read.text)];
      } catch (error) {
        unread.push(`${relative} could not be read (${(error as Error).message})`);
        return [];
      }
    });
  }
  return undefined;
}

/** `folder` and each folder above it, up to and including `top` (nothing above `top`). */
function ancestors(folder: string, top: string): string[] {
  const out: string[] = [];
  let current = folder;
  const stop = path.resolve(top || '/');
  for (;;) {
    out.push(current);
    if (path.resolve(current) === stop || path.dirname(current) === current) break;
    current = path.dirname(current);
  }
  return out;
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
