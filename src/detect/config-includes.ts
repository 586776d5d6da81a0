import type { ScanFile } from './scan-file.js';
import { parseNginx, type NginxParseTreeNode } from './sources/nginx.js';

/**
 * Includes of an HTTPS server that asks for no client certificate itself, whose file is not in the scanned tree
 * (session 41): the missing file may turn one on (`ssl_verify_client on;` in `snippets/mtls.conf`), so such a
 * server read "No mTLS termination found" without a word. nginx `include` in a `server` that listens with `ssl`
 * (or has `ssl_certificate`) or at `http` level above one; Apache httpd `Include` in a `<VirtualHost>` with
 * `SSLEngine on` (not `IncludeOptional`, which may match nothing); Caddyfile `import` of neither a snippet of the
 * file nor a file in the tree. Wildcards are left alone (nginx and `IncludeOptional` accept one that matches
 * nothing), and so are the files distributions ship beside the configuration, which set no client certificate
 * (`mime.types`, `fastcgi_params`, certbot's `options-ssl-nginx.conf`, ...).
 */

/** One include whose file is not in the tree. */
export interface MissingInclude {
  /** 1-based line of the include. */
  line: number;
  /** The directive as written (`include snippets/mtls.conf;`). */
  directive: string;
  /** What it is in: `the HTTPS server at line 1`. */
  where: string;
  /** The setting it may hold, in the server's own terms (`ssl_verify_client`). */
  setting: string;
}

/** Files shipped beside nginx / httpd configurations that hold no client-certificate setting. */
const SHIPPED =
  /(?:^|\/)(?:mime\.types|fastcgi_params|fastcgi\.conf|scgi_params|uwsgi_params|proxy_params|koi-utf|koi-win|win-utf|options-ssl-(?:nginx|apache)\.conf)$/;

/**
 * The includes of `file` (nginx, Apache httpd or Caddyfile, by `kind`: src/detect/broken-config.ts) whose target
 * `exists` does not find, in servers that could ask for a client certificate. `exists(target)`: whether the
 * target (as written, relative to the file's folder or absolute) is a file of the scanned tree.
 */
export function missingIncludes(
  file: ScanFile,
  kind: string,
  exists: (target: string) => boolean,
): MissingInclude[] {
  if (/nginx/.test(kind)) return nginxIncludes(file, exists);
  if (/Apache/.test(kind)) return apacheIncludes(file, exists);
  if (/Caddyfile/.test(kind)) return caddyImports(file, exists);
  return [];
}

function nginxIncludes(file: ScanFile, exists: (target: string) => boolean): MissingInclude[] {
  const parsed = parseNginx(file);
  if ('failure' in parsed) return [];
  const { tree, lines } = parsed;
  const out: MissingInclude[] = [];
  const has = (node: NginxParseTreeNode, name: string): boolean =>
    (node.children ?? []).some((child) => child.name === name);
  const listensSsl = (server: NginxParseTreeNode): boolean =>
    (server.children ?? []).some(
      (child) => child.name === 'listen' && /(?:^|\s)(?:ssl|quic)(?:\s|$)/.test(String(child.value ?? '')),
    );
  const missing = (node: NginxParseTreeNode, where: string): void => {
    for (const child of node.children ?? []) {
      if (child.name !== 'include' || child.isBlock) continue;
      const target = String(child.value ?? '')
        .trim()
        .replace(/^["']|["']$/g, '');
      if (!target || target.includes('*') || SHIPPED.test(target) || exists(target)) continue;
      out.push({
        line: lines.get(child) ?? 0,
        directive: `include ${target};`,
        where,
        setting: 'ssl_verify_client',
      });
    }
  };
  const visit = (node: NginxParseTreeNode, httpsAbove: boolean, asksAbove: boolean): void => {
    const https = httpsAbove || has(node, 'ssl_certificate');
    const asks = asksAbove || has(node, 'ssl_verify_client');
    for (const child of node.children ?? []) {
      if (!child.isBlock) continue;
      if (child.name === 'server') {
        if (asks || has(child, 'ssl_verify_client')) continue;
        if (!https && !listensSsl(child) && !has(child, 'ssl_certificate')) continue;
        missing(child, `the HTTPS server at line ${lines.get(child) ?? '?'}`);
      } else if (child.name === 'http') {
        const servers = (child.children ?? []).filter((inner) => inner.name === 'server' && inner.isBlock);
        if (
          !asks &&
          !has(child, 'ssl_verify_client') &&
          servers.some(
            (server) =>
              https || listensSsl(server) || has(server, 'ssl_certificate') || has(child, 'ssl_certificate'),
          )
        )
          missing(child, `the http block at line ${lines.get(child) ?? '?'} above its HTTPS servers`);
        visit(child, https, asks);
      } else if (child.name !== 'stream' && child.name !== 'mail') visit(child, https, asks);
    }
  };
  visit(tree, false, false);
  return out;
}

function apacheIncludes(file: ScanFile, exists: (target: string) => boolean): MissingInclude[] {
  const out: MissingInclude[] = [];
  const lines = file.text.split('\n');
  const asksAtTop = lines.some((line) => /^\s*SSLVerifyClient\s+(?!none\b)/i.test(line));
  let host:
    { line: number; ssl: boolean; asks: boolean; includes: { line: number; target: string }[] } | undefined;
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (/^<VirtualHost\b/i.test(line)) host = { line: index + 1, ssl: false, asks: false, includes: [] };
    else if (/^<\/VirtualHost>/i.test(line) && host) {
      if (host.ssl && !host.asks && !asksAtTop)
        for (const include of host.includes)
          out.push({
            line: include.line,
            directive: `Include ${include.target}`,
            where: `the <VirtualHost> with SSLEngine on at line ${host.line}`,
            setting: 'SSLVerifyClient',
          });
      host = undefined;
    } else if (host) {
      if (/^SSLEngine\s+on\b/i.test(line)) host.ssl = true;
      if (/^SSLVerifyClient\s+(?!none\b)/i.test(line)) host.asks = true;
      const include = /^Include\s+["']?([^"'\s]+)["']?\s*$/i.exec(line);
      if (include && !include[1].includes('*') && !SHIPPED.test(include[1]) && !exists(include[1]))
        host.includes.push({ line: index + 1, target: include[1] });
    }
  }
  return out;
}

function caddyImports(file: ScanFile, exists: (target: string) => boolean): MissingInclude[] {
  const snippets = new Set(
    [...file.text.matchAll(/^[ \t]*\(([^)\s]+)\)[ \t]*\{/gm)].map((match) => match[1]),
  );
  const out: MissingInclude[] = [];
  for (const [index, raw] of file.text.split('\n').entries()) {
    const match = /^[ \t]*import[ \t]+(\S+)/.exec(raw);
    if (!match || snippets.has(match[1]) || match[1].includes('*') || exists(match[1])) continue;
    out.push({
      line: index + 1,
      directive: raw.trim(),
      where: 'the Caddyfile',
      setting: 'tls client_auth',
    });
  }
  return out;
}
