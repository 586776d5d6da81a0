import { missingIncludes } from './config-includes.js';
import type { ScanFile } from './scan-file.js';
import { hasTemplateTags, withoutTemplateTags } from './template-tags.js';
import type { DetectFinding, DetectSkip } from './types.js';
import { unreadTermination } from './unread.js';

/**
 * Configuration files in the text formats detect reads (session 41) that are broken: an unbalanced brace, a
 * truncated block or section, an unclosed table header. nginx-conf and the line scans read such a file as far as
 * they can and said nothing, so a server block cut off before its `ssl_verify_client`, or a Caddy site whose
 * `tls` block swallowed the rest of the file, read "No mTLS termination found" (and `--check` passed). The server
 * itself refuses such a file (nginx: "unexpected end of file, expecting }"), so what is deployed is not what the
 * file says: it is named. Formats: nginx, Apache httpd, HAProxy, Caddyfile, Terraform, Bicep, Traefik TOML.
 */

/** A text configuration format, by the file's name and what it holds. */
export interface TextConfigKind {
  /** In words: `an nginx configuration`. */
  kind: string;
  /** What refuses it when broken: `nginx refuses to load it`. */
  refuses: string;
  /** Why it is broken, at a 1-based line, or undefined when it is whole. */
  broken: (text: string) => { line: number; why: string } | undefined;
}

/**
 * Names of files detect reads as configuration (YAML, JSON, Terraform, nginx / httpd `.conf`, HAProxy `.cfg`, TOML,
 * Bicep, properties, templates of them, Caddyfiles, `.htaccess`): one too large to read, or a link to nothing, is
 * named (session 41).
 */
export const CONFIG_FILE_NAME =
  /(?:\.(?:ya?ml|json|tf|conf|cfg|toml|bicep|properties|template|tmpl|tpl|j2|caddy|nginx)|(?:^|\/)(?:caddyfile|\.htaccess))$/i;

const NOT_TEXT_CONFIG =
  /\.(?:ya?ml|json|[cm]?[jt]sx?|md|markdown|txt|rst|adoc|html?|xml|py|go|java|rb|php|rs|cs|kt|sh|ps1)$/i;

/** nginx: block directives (`server {`, `location / {`), in a file named or placed as nginx's. */
const NGINX_BLOCK =
  /^[ \t]*(?:http|server|events|upstream|location|stream|mail|map|geo|types|limit_except|split_clients|if)\b[^;{}\n]*\{/m;
const NGINX_NAME = /(?:^|\/)(?:nginx[^/]*|[^/]+\.nginx|[^/]*\.conf(?:\.[\w-]+)?|[^/]+\.template|default)$/i;
/** Apache httpd: its sections (`<VirtualHost *:443>`). */
const APACHE_SECTION =
  /^[ \t]*<(?:VirtualHost|Directory|DirectoryMatch|Location|LocationMatch|IfModule|Files|FilesMatch|Proxy|IfDefine)\b/im;
const HAPROXY_SECTION = /^(?:frontend|backend|listen|defaults|global)\b/m;
const TRAEFIK_TOML =
  /^[ \t]*\[\[?(?:http|tcp|udp|tls|entryPoints|providers|api|log|accessLog|metrics|certificatesResolvers|experimental)\b/m;

/** The text configuration format of `file`, or undefined (YAML, JSON and code are read by their own readers). */
export function textConfigKind(file: ScanFile): TextConfigKind | undefined {
  const name = file.relative.toLowerCase();
  const base = file.baseName;
  const text = file.text;
  if (base.endsWith('.tf'))
    return {
      kind: 'a Terraform configuration',
      refuses: 'Terraform refuses it',
      broken: (t) => hclBalance(t, 'terraform'),
    };
  if (base.endsWith('.bicep'))
    return {
      kind: 'a Bicep template',
      refuses: 'Bicep does not build it',
      broken: (t) => hclBalance(t, 'bicep'),
    };
  if (/^caddyfile(?:\.[\w-]+)?$|\.caddy(?:file)?$/.test(base))
    return { kind: 'a Caddyfile', refuses: 'Caddy refuses to load it', broken: caddyBalance };
  if (base.endsWith('.toml'))
    return TRAEFIK_TOML.test(text) || /traefik/.test(base)
      ? { kind: 'a Traefik TOML configuration', refuses: 'Traefik cannot read it', broken: tomlHeaders }
      : undefined;
  if (NOT_TEXT_CONFIG.test(base)) return undefined;
  if (/(?:^|\/)(?:httpd|apache2?)[^/]*\.conf$|(?:^|\/)\.htaccess$/.test(name) || APACHE_SECTION.test(text))
    return {
      kind: 'an Apache httpd configuration',
      refuses: 'httpd refuses to start with it',
      broken: apacheSections,
    };
  if (/haproxy[^/]*\.cfg$/.test(name) || (base.endsWith('.cfg') && HAPROXY_SECTION.test(text)))
    return {
      kind: 'an HAProxy configuration',
      refuses: 'HAProxy refuses to start with it',
      broken: haproxyLines,
    };
  if (
    (NGINX_NAME.test(name) || /(?:^|\/)(?:nginx|sites-(?:available|enabled)|conf\.d)\//.test(name)) &&
    NGINX_BLOCK.test(text)
  )
    return { kind: 'an nginx configuration', refuses: 'nginx refuses to load it', broken: nginxBraces };
  return undefined;
}

/** 1-based line of `offset` in `text`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/** Whether `at` starts a token (a `#` there opens a comment in nginx, HAProxy and Caddy). */
function tokenStart(text: string, at: number): boolean {
  return at === 0 || /[\s;{}]/.test(text[at - 1]);
}

/**
 * nginx braces (ngx_conf_file.c's tokenizer): `#` at a token's start comments to the line end, quotes and `\`
 * escapes hide braces, and `${name}` is a variable, not a block. Template tags are blanked first.
 */
function nginxBraces(written: string): { line: number; why: string } | undefined {
  const text = hasTemplateTags(written) ? withoutTemplateTags(written) : written;
  const open: number[] = [];
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (char === '#' && tokenStart(text, at)) {
      const end = text.indexOf('\n', at);
      at = end === -1 ? text.length : end;
    } else if ((char === '"' || char === "'") && tokenStart(text, at)) {
      at = quoteEnd(text, at);
    } else if (char === '\\') at++;
    else if (char === '$' && text[at + 1] === '{') {
      const end = text.indexOf('}', at);
      at = end === -1 ? at + 1 : end;
    } else if (char === '{' && /_by_lua_block\s*$/.test(text.slice(Math.max(0, at - 80), at))) {
      // ngx_lua reads its block as Lua: `--` comments and `[[ ]]` strings may hold braces of their own.
      const end = luaBlockEnd(text, at);
      if (end === undefined)
        return unclosed(text, [...open, at], 'nginx: "unexpected end of file, expecting }"');
      at = end;
    } else if (char === '{') open.push(at);
    else if (char === '}') {
      if (open.pop() === undefined) return stray(text, at, 'nginx: "unexpected }"');
    }
  }
  return unclosed(text, open, 'nginx: "unexpected end of file, expecting }"');
}

/** The offset of the `}` closing the Lua block opened at `at`, or undefined (Lua strings, long strings, comments). */
function luaBlockEnd(text: string, at: number): number | undefined {
  let depth = 0;
  for (let index = at; index < text.length; index++) {
    const char = text[index];
    if (char === '-' && text[index + 1] === '-') {
      const long = /^--\[(=*)\[/.exec(text.slice(index, index + 20));
      const end = long ? text.indexOf(`]${long[1]}]`, index) : text.indexOf('\n', index);
      if (end === -1) return undefined;
      index = end;
    } else if (char === '[' && /^\[=*\[/.test(text.slice(index, index + 20))) {
      const level = /^\[(=*)\[/.exec(text.slice(index))?.[1] ?? '';
      const end = text.indexOf(`]${level}]`, index);
      if (end === -1) return undefined;
      index = end;
    } else if (char === '"' || char === "'") index = quoteEnd(text, index);
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return index;
  }
  return undefined;
}

/** The offset of the quote closing the one at `at` (a `\` escapes), or the text's end. */
function quoteEnd(text: string, at: number): number {
  const quote = text[at];
  for (let index = at + 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === quote) return index;
  }
  return text.length;
}

/** The `}` at `at` that closes no block, as the server says it (`server`). */
function stray(text: string, at: number, server: string): { line: number; why: string } {
  const line = lineAt(text, at);
  return { line, why: `a \`}\` at line ${line} that closes no block (${server})` };
}

function unclosed(
  text: string,
  open: readonly number[],
  server: string,
): { line: number; why: string } | undefined {
  if (open.length === 0) return undefined;
  const line = lineAt(text, open[open.length - 1]);
  return { line, why: `the \`{\` at line ${line} is never closed (${server})` };
}

/** Caddyfile braces: `#` comments at a token's start, `"..."` and backquoted tokens; placeholders (`{host}`) pair. */
function caddyBalance(written: string): { line: number; why: string } | undefined {
  const text = written;
  const open: number[] = [];
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (char === '#' && tokenStart(text, at)) {
      const end = text.indexOf('\n', at);
      at = end === -1 ? text.length : end;
    } else if (char === '"' || char === '`') at = quoteEnd(text, at);
    else if (char === '{') open.push(at);
    else if (char === '}') {
      if (open.pop() === undefined) return stray(text, at, 'caddy: "unexpected }"');
    }
  }
  return unclosed(text, open, 'caddy: "unexpected EOF"');
}

/** Apache httpd sections: each `<Name ...>` closed by its `</Name>` (httpd: "<VirtualHost> was not closed."). */
function apacheSections(text: string): { line: number; why: string } | undefined {
  const open: { name: string; line: number }[] = [];
  const lines = text.replace(/\\\r?\n/g, '  ').split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line.startsWith('#')) continue;
    const close = /^<\/([\w:.-]+)\s*>/.exec(line);
    if (close) {
      const top = open.pop();
      if (!top || top.name.toLowerCase() !== close[1].toLowerCase())
        return {
          line: index + 1,
          why: top
            ? `\`</${close[1]}>\` at line ${index + 1} closes \`<${top.name}>\` of line ${top.line} (httpd: "Expected </${top.name}> but saw </${close[1]}>")`
            : `\`</${close[1]}>\` at line ${index + 1} without \`<${close[1]}>\` (httpd: "</${close[1]}> without matching <${close[1]}> section")`,
        };
      continue;
    }
    const opened = /^<([A-Za-z][\w:.-]*)[\s>]/.exec(line);
    if (opened) open.push({ name: opened[1], line: index + 1 });
  }
  const top = open.pop();
  return top
    ? {
        line: top.line,
        why: `\`<${top.name}>\` at line ${top.line} is never closed (httpd: "<${top.name}> was not closed.")`,
      }
    : undefined;
}

/** HAProxy: its anonymous ACLs' braces (`if { ssl_c_used }`) open and close on one line. */
function haproxyLines(text: string): { line: number; why: string } | undefined {
  for (const [index, raw] of text.split('\n').entries()) {
    let depth = 0;
    for (let at = 0; at < raw.length; at++) {
      const char = raw[at];
      if (char === '#' && tokenStart(raw, at)) break;
      if (char === '"' || char === "'") at = quoteEnd(raw, at);
      else if (char === '\\') at++;
      else if (char === '{') depth++;
      else if (char === '}') depth--;
      if (depth < 0) break;
    }
    if (depth !== 0)
      return {
        line: index + 1,
        why: `an ACL brace at line ${index + 1} that is not closed on its line (haproxy: "missing closing '}'")`,
      };
  }
  return undefined;
}

/** Traefik TOML: every table header (`[tls.options.default]`, `[[entryPoints]]`) closed on its line. */
function tomlHeaders(text: string): { line: number; why: string } | undefined {
  let multiline: string | undefined;
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (multiline) {
      if (line.includes(multiline)) multiline = undefined;
      continue;
    }
    const opened = /("""|''')/.exec(line);
    if (opened && line.split(opened[1]).length === 2) {
      multiline = opened[1];
      continue;
    }
    if (!line.startsWith('[')) continue;
    if (!/^\[\[?\s*[^[\]\s][^[\]]*\]\]?\s*(?:#.*)?$/.test(line))
      return {
        line: index + 1,
        why: `a table header at line ${index + 1} that is not closed on its line (TOML)`,
      };
  }
  return undefined;
}

/**
 * Terraform (HCL) and Bicep brackets: `{`, `[`, `(` closed in order outside strings and comments (`#`, `//`,
 * `/* *\/`); a string's `${...}` (and Terraform's `%{...}`) holds code; Terraform heredocs (`<<EOF`, `<<-EOF`) and
 * Bicep's `'''` strings are skipped.
 */
function hclBalance(text: string, dialect: 'terraform' | 'bicep'): { line: number; why: string } | undefined {
  const quote = dialect === 'terraform' ? '"' : "'";
  const pairs: Record<string, string> = { '}': '{', ']': '[', ')': '(' };
  // A frame is an open bracket in code, or `"` for a string (whose `${` opens an `interpolation` frame).
  const stack: { char: string; at: number }[] = [];
  const inString = (): boolean => stack[stack.length - 1]?.char === quote;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (inString()) {
      if (char === '\\') at++;
      else if (char === quote) stack.pop();
      else if ((char === '$' || (dialect === 'terraform' && char === '%')) && text[at + 1] === '{') {
        if (dialect === 'terraform' && text[at - 1] === char) continue; // `$${` is a literal `${`
        stack.push({ char: '${', at });
        at++;
      }
      continue;
    }
    if (char === '#' && dialect === 'terraform') {
      const end = text.indexOf('\n', at);
      at = end === -1 ? text.length : end;
    } else if (char === '/' && text[at + 1] === '/') {
      const end = text.indexOf('\n', at);
      at = end === -1 ? text.length : end;
    } else if (char === '/' && text[at + 1] === '*') {
      const end = text.indexOf('*/', at + 2);
      at = end === -1 ? text.length : end + 1;
    } else if (dialect === 'bicep' && text.startsWith("'''", at)) {
      const end = text.indexOf("'''", at + 3);
      at = end === -1 ? text.length : end + 2;
    } else if (char === quote) stack.push({ char, at });
    else if (dialect === 'terraform' && char === '<' && text[at + 1] === '<') {
      const heredoc = /^<<-?([A-Za-z_][\w-]*)[ \t]*\r?\n/.exec(text.slice(at));
      if (!heredoc) continue;
      const end = new RegExp(`^[ \\t]*${heredoc[1]}[ \\t]*\\r?$`, 'm').exec(
        text.slice(at + heredoc[0].length),
      );
      if (!end) return { line: lineAt(text, at), why: `the heredoc \`<<${heredoc[1]}\` is never closed` };
      at += heredoc[0].length + end.index + end[0].length - 1;
    } else if (char === '{' || char === '[' || char === '(') stack.push({ char, at });
    else if (char === '}' || char === ']' || char === ')') {
      const top = stack.pop();
      const expected = top?.char === '${' ? '{' : top?.char;
      if (expected !== pairs[char])
        return {
          line: lineAt(text, at),
          why: top
            ? `a \`${char}\` at line ${lineAt(text, at)} where the \`${top.char}\` of line ${lineAt(text, top.at)} is still open`
            : `a \`${char}\` at line ${lineAt(text, at)} that closes nothing`,
        };
    }
  }
  const top = stack[stack.length - 1];
  if (!top) return undefined;
  const line = lineAt(text, top.at);
  return {
    line,
    why:
      top.char === quote
        ? `the string opened at line ${line} is never closed`
        : `the \`${top.char}\` at line ${line} is never closed`,
  };
}

/**
 * The "Not read" entries of a text configuration (nginx, Apache httpd, HAProxy, Caddyfile, Terraform, Bicep, Traefik
 * TOML; {@link textConfigKind}): broken ({@link TextConfigKind.broken}; a Terraform file only when @cdktf/hcl2json
 * rejects it too; an nginx file not when `found` holds its line scan's findings, whose notes say nginx-conf could not
 * parse it), or holding an include whose file is not in the tree (src/detect/config-includes.ts). Both
 * `unreadable` (detect --check exits 2): what the server loads is unknown. `named`: the file's entries so far (a
 * file already named unreadable is not named again); `exists`: whether an include's target is in the tree.
 */
export async function textConfigSkips(
  file: ScanFile,
  named: readonly DetectSkip[],
  found: readonly DetectFinding[],
  exists: (target: string) => boolean,
): Promise<DetectSkip[]> {
  if (named.some((skip) => skip.file === file.relative && skip.unreadable)) return [];
  const config = textConfigKind(file);
  if (!config) return [];
  const broken = config.broken(file.text);
  // A file nginx-conf rejected was read by the line scan, and its findings say so (session 27): not named again.
  const said = found.some((finding) => finding.source === 'nginx' && finding.reader === 'pattern');
  if (broken && !said && !(config.kind.includes('Terraform') && (await hclParses(file)))) {
    const setting = unreadTermination(file);
    return [
      {
        file: file.relative,
        unreadable: true,
        reason:
          `cannot parse (${config.kind}): ${broken.why}, so ${config.refuses} as written and what it ` +
          `deploys is unknown${setting ? ` (it holds an mTLS server setting at line ${setting.line}: \`${setting.text.trim()}\`)` : ''}: fix the file`,
      },
    ];
  }
  return missingIncludes(file, config.kind, exists).map((include) => ({
    file: file.relative,
    unreadable: true,
    reason:
      `line ${include.line}: \`${include.directive}\` in ${include.where}, which asks for no client certificate ` +
      `itself: no such file in the scanned tree, so whether it turns on ${include.setting} (and which 403s it ` +
      `answers) is unknown: scan the folder that holds it too, or leave this file out with detect.exclude`,
  }));
}

/** Whether @cdktf/hcl2json (Terraform's own HCL parser, compiled to WebAssembly) parses the file. */
async function hclParses(file: ScanFile): Promise<boolean> {
  const { parse } = await import('@cdktf/hcl2json');
  try {
    await parse(file.relative, file.text);
    return true;
  } catch {
    return false;
  }
}
