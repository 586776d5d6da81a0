import path from 'node:path';
import { readScanText } from '../read-text.js';
import { globSync } from 'tinyglobby';

/**
 * Code a proxy runs for a request (OpenResty / nginx Lua, nginx njs, HAProxy Lua, Envoy's Lua filter) can
 * answer any status. This module finds the 403s written in such code and the code files a configuration
 * names, so a proxy reader reports them instead of passing the server as clean.
 */

/** A 403 written in code: 1-based line within the code text, and that line trimmed. */
export interface CodeStatusHit {
  line: number;
  evidence: string;
}

/** The language of proxy-run code: `lua` (OpenResty, HAProxy, Envoy) or `js` (nginx njs). */
export type ProxyCodeLanguage = 'lua' | 'js';

/**
 * Lines of `code` that answer 403: the number 403 or OpenResty's `ngx.HTTP_FORBIDDEN` outside comments and
 * strings (`ngx.exit(403)`, `ngx.status = ngx.HTTP_FORBIDDEN`, `kong.response.exit(403, ...)`,
 * `r.return(403)`, `request_handle:respond({[":status"] = "403"}, ...)`: the Envoy form writes the status as a
 * string, so a `":status"` line with `"403"` counts too). A comparison (`res.status == 403`, `=== 403`,
 * `case 403:`) reads an upstream's status and is not one.
 */
export function forbiddenCodeLines(code: string, language: ProxyCodeLanguage): CodeStatusHit[] {
  const masked = language === 'lua' ? maskLua(code) : maskJs(code);
  const original = code.split('\n');
  const hits: CodeStatusHit[] = [];
  masked.split('\n').forEach((text, index) => {
    const compared = text.replace(/[=!~]=+\s*403\b|\b403\s*[=!~]=|\bcase\s+403\b/g, ' ');
    const statusPseudoHeader = /":status"\]?\s*[=:,]\s*"403"/.test(original[index] ?? '');
    if (/\b403\b|\bHTTP_FORBIDDEN\b/.test(compared) || statusPseudoHeader)
      hits.push({ line: index + 1, evidence: (original[index] ?? '').trim() });
  });
  return hits;
}

/**
 * Lua modules `code` loads with `require` (`require 'a.b'`, `require("a.b")`), with 1-based lines; the
 * standard library, OpenResty's `ngx.*` / `resty.*`, `cjson`, LuaJIT's `ffi` / `bit` / `jit.*` and common C
 * libraries (luacrypto / luaossl, LuaFileSystem, LuaSocket, LPeg) are left out (libraries that return values to
 * the caller, which decides the status).
 */
export function luaRequires(code: string): { module: string; line: number }[] {
  const masked = maskLua(code, { keepStrings: true });
  const found: { module: string; line: number }[] = [];
  masked.split('\n').forEach((text, index) => {
    for (const match of text.matchAll(/\brequire\s*\(?\s*(["'])([\w.\-/]+)\1/g)) {
      const name = match[2];
      if (!LUA_LIBRARIES.test(name)) found.push({ module: name, line: index + 1 });
    }
  });
  return found;
}

const LUA_LIBRARIES =
  /^(ngx(\.|$)|resty\.|cjson(\.|$)|ffi$|bit$|jit(\.|$)|string$|table$|math$|os$|io$|coroutine$|debug$|utf8$|package$|crypto$|openssl(\.|$)|lfs$|socket(\.|$)|ltn12$|mime$|lpeg$|base64$|md5$|sha2$)/;

/**
 * Finds code files a proxy configuration names, inside the scanned repository only. `root` is the
 * repository folder (absolute); the tree is listed once, on first use, without `node_modules` and `.git`.
 */
export class ProxyCodeFiles {
  private listed?: string[];

  /** `root`: the repository folder, absolute. */
  constructor(readonly root: string) {}

  /**
   * The file a configuration path names (`access_by_lua_file lua/check.lua`, `js_import conf/main.js`,
   * `lua-load /etc/haproxy/auth.lua`): relative to the configuration's folder, then to the repository root,
   * then the file in the tree whose path ends with the longest tail of the target (configurations name the
   * path inside the container: `/usr/local/openresty/lua/check.lua` is `docker/lua/check.lua` in the
   * repository; `minTail`: the fewest path segments the tail may have, 2 for a generic file name such as
   * `handler.lua`). Returns the absolute path and its text, or undefined when the tree has no such file.
   */
  resolve(target: string, fromFolder: string, minTail = 1): { absolute: string; text: string } | undefined {
    const clean = target.replace(/^["']|["']$/g, '');
    if (!clean || clean.includes('$')) return undefined;
    const candidates = [path.resolve(fromFolder, clean), path.resolve(this.root, clean.replace(/^\/+/, ''))];
    for (const candidate of candidates) {
      if (!candidate.startsWith(this.root)) continue;
      const text = readText(candidate);
      if (text !== undefined) return { absolute: candidate, text };
    }
    const parts = clean.split('/').filter((part) => part !== '' && part !== '.');
    for (let take = parts.length; take >= Math.max(1, minTail); take--) {
      const found = this.byTail(parts.slice(parts.length - take).join('/'));
      if (found) return found;
    }
    return undefined;
  }

  /** The file a Lua `require` names (`a.b` -> `a/b.lua` or `a/b/init.lua`, anywhere in the tree). */
  resolveLuaModule(module: string): { absolute: string; text: string } | undefined {
    const base = module.replace(/\./g, '/');
    return this.byTail(`${base}.lua`) ?? this.byTail(`${base}/init.lua`);
  }

  /** The first file of the tree (sorted) whose path is `tail` or ends with `/tail`, with its text. */
  private byTail(tail: string): { absolute: string; text: string } | undefined {
    const match = this.files().find((file) => file === tail || file.endsWith(`/${tail}`));
    if (!match) return undefined;
    const absolute = path.join(this.root, match);
    const text = readText(absolute);
    return text === undefined ? undefined : { absolute, text };
  }

  /** The path of `absolute` relative to the root, `/`-separated. */
  relative(absolute: string): string {
    return path.relative(this.root, absolute).split(path.sep).join('/');
  }

  private files(): string[] {
    this.listed ??= globSync(['**/*.lua', '**/*.js', '**/*.mjs'], {
      cwd: this.root,
      ignore: ['**/node_modules/**', '**/.git/**'],
      dot: false,
    }).sort();
    return this.listed;
  }
}

/**
 * The 1-based line of `text` in `file` at or after line `from`: where a line of code embedded in a
 * configuration sits (nginx-conf keeps no positions; a YAML block scalar starts below its key). `from` when the
 * text is empty or not found.
 */
export function lineAtOrAfter(fileText: string, from: number, text: string): number {
  if (text === '') return from;
  const lines = fileText.split('\n');
  for (let index = from - 1; index < lines.length; index++) if (lines[index].includes(text)) return index + 1;
  return from;
}

function readText(absolute: string): string | undefined {
  try {
    const read = readScanText(absolute);
    return 'text' in read ? read.text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lua text with comments (`--`, `--[[ ]]`, `--[==[ ]==]`) and, unless `keepStrings`, string contents (quoted
 * and long brackets) blanked; newlines kept, so lines and columns stay where they were.
 */
function maskLua(code: string, options: { keepStrings?: boolean } = {}): string {
  let out = '';
  let index = 0;
  const blank = (text: string): string => text.replace(/[^\n]/g, ' ');
  while (index < code.length) {
    if (code.startsWith('--', index)) {
      const long = /^--\[(=*)\[/.exec(code.slice(index, index + 64));
      if (long) {
        const close = code.indexOf(`]${long[1]}]`, index);
        const end = close === -1 ? code.length : close + long[1].length + 2;
        out += blank(code.slice(index, end));
        index = end;
      } else {
        const end = code.indexOf('\n', index);
        const stop = end === -1 ? code.length : end;
        out += blank(code.slice(index, stop));
        index = stop;
      }
      continue;
    }
    const char = code[index];
    const longString = char === '[' ? /^\[(=*)\[/.exec(code.slice(index, index + 64)) : null;
    if (longString) {
      const close = code.indexOf(`]${longString[1]}]`, index);
      const end = close === -1 ? code.length : close + longString[1].length + 2;
      out += options.keepStrings ? code.slice(index, end) : blank(code.slice(index, end));
      index = end;
      continue;
    }
    if (char === '"' || char === "'") {
      let end = index + 1;
      while (end < code.length && code[end] !== char && code[end] !== '\n') end += code[end] === '\\' ? 2 : 1;
      const stop = Math.min(end + 1, code.length);
      out += options.keepStrings
        ? code.slice(index, stop)
        : `${char}${blank(code.slice(index + 1, stop - 1))}${char}`;
      index = stop;
      continue;
    }
    out += char;
    index++;
  }
  return out;
}

/** JavaScript text with comments and string / template contents blanked; newlines kept. */
function maskJs(code: string): string {
  let out = '';
  let index = 0;
  const blank = (text: string): string => text.replace(/[^\n]/g, ' ');
  while (index < code.length) {
    const two = code.slice(index, index + 2);
    if (two === '//') {
      const end = code.indexOf('\n', index);
      const stop = end === -1 ? code.length : end;
      out += blank(code.slice(index, stop));
      index = stop;
      continue;
    }
    if (two === '/*') {
      const close = code.indexOf('*/', index + 2);
      const stop = close === -1 ? code.length : close + 2;
      out += blank(code.slice(index, stop));
      index = stop;
      continue;
    }
    const char = code[index];
    if (char === '"' || char === "'" || char === '`') {
      let end = index + 1;
      while (end < code.length && code[end] !== char && (char === '`' || code[end] !== '\n'))
        end += code[end] === '\\' ? 2 : 1;
      const stop = Math.min(end + 1, code.length);
      out += `${char}${blank(code.slice(index + 1, stop - 1))}${char}`;
      index = stop;
      continue;
    }
    out += char;
    index++;
  }
  return out;
}
