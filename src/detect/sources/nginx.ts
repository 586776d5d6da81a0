import { parse } from 'nginx-conf';

/** The node shape nginx-conf's parser builds (its type is not exported from the package root). */
export interface NginxParseTreeNode {
  name: string;
  value: string | number | null;
  isBlock: boolean;
  readonly children: NginxParseTreeNode[] | null;
}
import type { ScanFile } from '../scan-file.js';
import { nonHttpSkip } from '../left-out.js';
import type { DetectFinding, DetectMode, DetectSkip } from '../types.js';
import { words } from '../text.js';
import { escapeRegExp } from '../../util/regexp.js';
import { hasTemplateTags, withoutTemplateTags } from '../template-tags.js';

/** Is this file worth parsing as nginx configuration? */
export function isNginxCandidate(file: ScanFile): boolean {
  return (
    /\bssl_verify_client\b/.test(file.text) && !/\.(ya?ml|json|[cm]?[jt]sx?|tf|md)$/i.test(file.baseName)
  );
}

/**
 * `ssl_verify_client on|optional|optional_no_ca` (http or server context, nginx ngx_http_ssl_module and
 * ngx_stream_ssl_module), per `server` block with its `server_name`s; locations that test
 * `$ssl_client_verify` are reported as the paths that insist on a certificate. Parsed with nginx-conf;
 * a file it cannot parse falls back to a line scan (said in the finding). A server in a `stream` or `mail`
 * block carries no HTTP: it is pushed to `skipped` as not HTTP, not a finding.
 */
export function readNginx(file: ScanFile, skipped: DetectSkip[] = []): DetectFinding[] {
  const parsed = parseNginx(file);
  if ('failure' in parsed) return scanNginxLines(file, parsed.failure);
  const { tree, lines } = parsed;
  const templated = hasTemplateTags(file.text);
  const findings: DetectFinding[] = [];
  type Outer = { mode?: DetectMode | 'off'; line?: number; value?: string; context?: 'stream' | 'mail' };
  const visit = (node: NginxParseTreeNode, inherited: Outer): void => {
    const own = (node.children ?? []).find((child) => child.name === 'ssl_verify_client');
    const here: Outer = own
      ? {
          ...inherited,
          mode: verifyMode(own.value ?? ''),
          line: lines.get(own),
          value: String(own.value ?? ''),
        }
      : inherited;
    for (const child of node.children ?? []) {
      if (child.name === 'server' && child.isBlock) serverFinding(child, here);
      else if (child.isBlock && child.name !== 'server') {
        // ngx_stream_ssl_module and ngx_mail_ssl_module verify certificates too, for traffic that is not HTTP.
        const context = child.name === 'stream' || child.name === 'mail' ? child.name : here.context;
        visit(child, { ...here, context });
      }
    }
  };
  const serverFinding = (server: NginxParseTreeNode, outer: Outer) => {
    const own = (server.children ?? []).find((child) => child.name === 'ssl_verify_client');
    const mode = own ? verifyMode(own.value ?? '') : outer.mode;
    const line = own ? lines.get(own) : outer.line;
    if (!mode || mode === 'off' || line === undefined) return;
    if (outer.context) {
      skipped.push(
        nonHttpSkip(file, line, `the nginx ${outer.context} server at line ${lines.get(server) ?? '?'}`),
      );
      return;
    }
    const names = (server.children ?? [])
      .filter((child) => child.name === 'server_name')
      .flatMap((child) => words(String(child.value)))
      .filter((name) => name !== '_' && name !== '""' && name !== '');
    const checked = locationsChecking(server);
    const value = own ? String(own.value ?? '') : outer.value;
    const unknown = value !== undefined ? placeholderValue(value) : undefined;
    const unknownHosts = names.filter((name) => PLACEHOLDER_IN.test(name));
    findings.push(
      file.finding(line, 'nginx', mode, 'nginx-conf', {
        hosts: names,
        // ssl_verify_client is a server (or http) setting: the certificate is asked for in the handshake, on every
        // path of the server. The locations that test $ssl_client_verify are named in the note, not as its paths
        // (before session 27 they were, which read as if only /admin were mTLS).
        paths: [],
        ...(unknown ? { confidence: 'probably' as const } : {}),
        note:
          [
            own ? undefined : `inherited by the server block at line ${lines.get(server) ?? '?'}`,
            unknown
              ? `its value ${unknown} is filled in when the template is rendered (envsubst in the nginx image's ` +
                `/etc/nginx/templates, a template tag): unknown here, read as asking for a certificate (rendered ` +
                `as off, it asks none)`
              : undefined,
            unknownHosts.length
              ? `server_name ${unknownHosts.join(' ')} is filled in when the template is rendered: unknown here`
              : undefined,
            checked.length
              ? `locations that test $ssl_client_verify: ${checked.join(', ')} (the certificate is asked for on ` +
                `every path of the server)`
              : undefined,
            templated
              ? 'read from a template (its tags blanked): whether the rendered file keeps it depends on the values'
              : undefined,
          ]
            .filter(Boolean)
            .join('; ') || undefined,
      }),
    );
  };
  visit(tree, {});
  return findings;
}

/**
 * The file parsed with nginx-conf, with the 1-based line of every directive node; or why it could not be
 * parsed (the parser's message).
 */
export function parseNginx(
  file: ScanFile,
): { tree: NginxParseTreeNode; lines: Map<NginxParseTreeNode, number> } | { failure: string } {
  let tree: NginxParseTreeNode | undefined;
  let failure: Error | null = null;
  const text = hasTemplateTags(file.text) ? withoutTemplateTags(file.text) : file.text;
  try {
    parse(text, (error, parsed) => {
      failure = error;
      tree = parsed;
    });
  } catch (error) {
    // nginx-conf throws on some input instead of calling back (a stray `}`: "context.parent does not exist"): the
    // same failure, so the file gets its line scan (before session 27 it was "cannot parse", `--check` exit 2).
    failure = error instanceof Error ? error : new Error(String(error));
  }
  if (failure || !tree) return { failure: failure?.message ?? 'no parse tree' };
  return { tree, lines: directiveLines(file, text, tree) };
}

/**
 * `ssl_verify_client` value -> mode (`off` for off or anything else). A value a template fills in (envsubst
 * `${VERIFY}` / `$VERIFY`, a blanked `{{ verify }}` read as `$verify`: nginx takes no variable there) is unknown:
 * read as `optional`, the weakest value that asks for a certificate (since session 27; before, the file was only
 * named under "Not read" and its 403s were not placed).
 */
export function verifyMode(value: string | number): DetectMode | 'off' {
  const text = String(value).trim();
  if (text === 'on') return 'required';
  if (text === 'optional' || text === 'optional_no_ca') return 'optional';
  if (placeholderValue(text)) return 'optional';
  return 'off';
}

/** A placeholder somewhere in a value (`${NGINX_HOST}`, `$HOST`, `api.${DOMAIN}`). */
const PLACEHOLDER_IN = /\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*/;

/** The value when it is a template placeholder alone (`${VERIFY_CLIENT}`, `$verify`), else undefined. */
export function placeholderValue(value: string): string | undefined {
  const text = value.trim();
  return /^(?:\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*)$/.test(text) ? text : undefined;
}

/** `location` prefixes whose block reads `$ssl_client_verify` (an `if` that rejects unverified clients). */
function locationsChecking(server: NginxParseTreeNode): string[] {
  const found: string[] = [];
  const mentions = (node: NginxParseTreeNode): boolean =>
    String(node.value ?? '').includes('$ssl_client_verify') || (node.children ?? []).some(mentions);
  for (const child of server.children ?? []) {
    if (child.name === 'location' && mentions(child)) {
      const parts = words(String(child.value));
      found.push(parts[parts.length - 1] ?? '/');
    }
  }
  return found;
}

/**
 * nginx-conf keeps no positions, so directives are found again in the text in tree order (the parser
 * keeps document order), with comments and quoted strings blanked out first.
 */
function directiveLines(
  file: ScanFile,
  text: string,
  tree: NginxParseTreeNode,
): Map<NginxParseTreeNode, number> {
  const masked = maskCommentsAndStrings(blankLuaBlocks(text));
  const lineOf = (offset: number): number => file.lines.lineOf(offset);
  const lines = new Map<NginxParseTreeNode, number>();
  let cursor = 0;
  const walk = (node: NginxParseTreeNode): void => {
    for (const child of node.children ?? []) {
      const escaped = escapeRegExp(child.name);
      const pattern = new RegExp(`(^|[;{}\\s])(${escaped})(?=[\\s;{]|$)`, 'g');
      pattern.lastIndex = cursor;
      const match = pattern.exec(masked);
      if (match) {
        const start = match.index + match[1].length;
        lines.set(child, lineOf(start));
        cursor = start + child.name.length;
        // A `*_by_lua_block { ... }` is one directive whose value is the code, kept verbatim: skip past it, so
        // a word of the code (`return`, `set`) is not taken for a later directive.
        if (!child.isBlock && child.name.endsWith('_block')) {
          const brace = text.indexOf('{', cursor);
          if (brace !== -1) cursor = brace + 1 + String(child.value ?? '').length;
        }
      }
      walk(child);
    }
  };
  walk(tree);
  return lines;
}

/**
 * `text` with the code of every `*_by_lua_block { ... }` blanked (newlines kept), read as Lua reads it (lua-nginx-module
 * takes the block's end from Lua's own syntax): `--` comments and `--[[ ]]` / `--[=[ ]=]` long comments, quoted
 * strings with escapes, `[[ ]]` long strings, braces of tables. The nginx masking that follows reads `#` as a comment and
 * `'` as a quote, which Lua code does not (`#name` is a length, `-- it's` a comment): before session 36 an apostrophe
 * in a Lua comment blanked every directive after it, so an `ssl_verify_client on` below an `init_by_lua_block` was
 * named under "Not read" (PQC-RA/pqc-mtls-gateway).
 */
function blankLuaBlocks(text: string): string {
  const start = /\b\w+_by_lua_block\s*\{/g;
  let out = '';
  let copied = 0;
  for (let match = start.exec(text); match; match = start.exec(text)) {
    const open = match.index + match[0].length;
    const close = luaBlockEnd(text, open);
    out += text.slice(copied, open) + text.slice(open, close).replace(/[^\n]/g, ' ');
    copied = close;
    start.lastIndex = close;
  }
  return out + text.slice(copied);
}

/** The offset of the `}` that closes a Lua block whose code starts at `from` (the text's end if none). */
function luaBlockEnd(text: string, from: number): number {
  let depth = 0;
  let index = from;
  // `[[`, `[=[`, ...: the offset after the matching close, or -1 when `at` opens no long bracket.
  const longBracket = (at: number): number => {
    const open = /^\[(=*)\[/.exec(text.slice(at, at + 64));
    if (!open) return -1;
    const end = text.indexOf(`]${open[1]}]`, at + open[0].length);
    return end === -1 ? text.length : end + open[1].length + 2;
  };
  while (index < text.length) {
    const char = text[index];
    if (char === '-' && text[index + 1] === '-') {
      const long = longBracket(index + 2);
      if (long !== -1) index = long;
      else {
        const newline = text.indexOf('\n', index);
        index = newline === -1 ? text.length : newline;
      }
      continue;
    }
    if (char === '"' || char === "'") {
      index++;
      while (index < text.length && text[index] !== char && text[index] !== '\n')
        index += text[index] === '\\' ? 2 : 1;
      index++;
      continue;
    }
    if (char === '[') {
      const long = longBracket(index);
      if (long !== -1) {
        index = long;
        continue;
      }
    }
    if (char === '{') depth++;
    if (char === '}') {
      if (depth === 0) return index;
      depth--;
    }
    index++;
  }
  return text.length;
}

function maskCommentsAndStrings(text: string): string {
  let out = '';
  let quote: string | undefined;
  let comment = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '\n') {
      comment = false;
      out += char;
      continue;
    }
    if (comment) {
      out += ' ';
    } else if (quote) {
      if (char === '\\') {
        out += '  ';
        index++;
        continue;
      }
      if (char === quote) quote = undefined;
      out += ' ';
    } else if (char === '#') {
      comment = true;
      out += ' ';
    } else if (char === '"' || char === "'") {
      quote = char;
      out += ' ';
    } else {
      out += char;
    }
  }
  return out;
}

/** The fallback for a file nginx-conf rejects (templated configs): each active directive, no hosts. */
function scanNginxLines(file: ScanFile, why: string): DetectFinding[] {
  const findings: DetectFinding[] = [];
  file.text.split('\n').forEach((raw, index) => {
    const match =
      /^\s*ssl_verify_client\s+(on|optional|optional_no_ca|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*)\s*;/.exec(
        raw,
      );
    if (!match) return;
    const unknown = placeholderValue(match[1]);
    findings.push(
      file.finding(index + 1, 'nginx', match[1] === 'on' ? 'required' : 'optional', 'pattern', {
        ...(unknown ? { confidence: 'probably' as const } : {}),
        note:
          `nginx-conf could not parse the file (${why}); read by a line scan, server_name not linked` +
          (unknown ? `; its value ${unknown} is filled in when the template is rendered: unknown here` : ''),
      }),
    );
  });
  return findings;
}
