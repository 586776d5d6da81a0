import path from 'node:path';
import type { ScanFile } from '../scan-file.js';
import type { NginxParseTreeNode } from '../sources/nginx.js';
import { words } from '../text.js';
import type { DetectFinding } from '../types.js';
import { forbiddenCodeLines, lineAtOrAfter, luaRequires, type ProxyCodeFiles } from './proxy-code.js';
import { forbiddenUnder, type ForbiddenResult } from './result.js';

/** Where an nginx directive that runs code or asks a service sits, for `nginxCodeForbidden`. */
export interface NginxCodeContext {
  file: ScanFile;
  /** The directive's 1-based line in `file`. */
  line: number;
  finding: DetectFinding;
  hosts: string[];
  paths: string[];
  /** An effective `error_page 403 =NNN` remaps a bare 403 (`ngx.exit(403)`, `r.return(403)`). */
  remapped: boolean;
  status: number;
  files: ProxyCodeFiles;
  /** njs module name -> the path `js_import` gives for it. */
  jsImports: ReadonlyMap<string, string>;
  /** Lua modules already listed as not in the tree (each is listed once per file). */
  missingModules: Set<string>;
  result: ForbiddenResult;
  note?: string;
}

const LUA_INLINE = /^(rewrite|access|content|header_filter)_by_lua(_block)?$/;
const LUA_FILE = /^(rewrite|access|content|header_filter)_by_lua_file$/;
const NJS_HANDLER = /^js_(content|access|header_filter)$/;

/** Does this directive run code or ask a service for the answer (Lua, njs, `auth_request`)? */
export function isNginxCodeDirective(node: NginxParseTreeNode): boolean {
  return (
    !node.isBlock &&
    (LUA_INLINE.test(node.name) ||
      LUA_FILE.test(node.name) ||
      NJS_HANDLER.test(node.name) ||
      node.name === 'auth_request')
  );
}

/**
 * The 403s of one code directive inside an mTLS server (lua-nginx-module `*_by_lua_block` / `*_by_lua` /
 * `*_by_lua_file` in the rewrite, access, content and header-filter phases; njs `js_content` / `js_access` /
 * `js_header_filter`; ngx_http_auth_request_module `auth_request`) go into `context.result`: a 403 in code
 * the repository holds (inline, the file named, Lua modules it `require`s, the njs module `js_import`s) is a
 * `forbidden` entry at the code's line; code the repository does not hold and `auth_request` (nginx passes
 * the auth service's 401 and 403 on) go to `notChecked` with the reason, unless an `error_page` remaps 403.
 */
export function nginxCodeForbidden(node: NginxParseTreeNode, context: NginxCodeContext): void {
  const { file, line, files, result } = context;
  const value = String(node.value ?? '');
  const at = `${file.relative}:${line} nginx`;
  if (node.name === 'auth_request') {
    if (value.trim() === 'off' || context.remapped) return;
    result.notChecked.push(
      `${at} (\`auth_request ${value.trim()}\` in the mTLS server: nginx answers the auth service's 403 as its own; check that service, or remap with \`error_page 403 = @mtls_status;\` and \`location @mtls_status { return ${context.status}; }\`)`,
    );
    return;
  }
  const folder = path.dirname(file.path);
  if (LUA_INLINE.test(node.name)) {
    const code = node.name.endsWith('_block') ? value : value.trim().replace(/^(["'])([\s\S]*)\1$/, '$2');
    luaHits(
      code,
      { file: file.relative, lineOf: (hit) => lineAtOrAfter(file.text, line, hit.evidence) },
      context,
      new Set(),
    );
    return;
  }
  if (LUA_FILE.test(node.name)) {
    const target = words(value)[0] ?? '';
    const found = files.resolve(target, folder);
    if (!found) {
      result.notChecked.push(
        `${at} (\`${node.name} ${target}\` in the mTLS server: the Lua file is not in the scanned tree; what it answers is not checked)`,
      );
      return;
    }
    luaHits(
      found.text,
      { file: files.relative(found.absolute), lineOf: (hit) => hit.line },
      context,
      new Set(),
    );
    return;
  }
  // njs: `js_content main.handler` names a module from `js_import`, or a function of the legacy `js_include`.
  const handler = words(value)[0] ?? '';
  const module = handler.includes('.') ? handler.slice(0, handler.indexOf('.')) : '';
  const target = context.jsImports.get(module) ?? context.jsImports.get('');
  const found = target ? files.resolve(target, folder) : undefined;
  if (!found) {
    result.notChecked.push(
      `${at} (\`${node.name} ${handler}\` in the mTLS server: ${target ? `its njs module \`${target}\` is not in the scanned tree` : 'no `js_import` of its module in this file'}; what it answers is not checked)`,
    );
    return;
  }
  for (const hit of forbiddenCodeLines(found.text, 'js')) {
    if (context.remapped && /\br\.return\s*\(\s*403\s*\)/.test(hit.evidence)) continue;
    push(context, files.relative(found.absolute), hit.line, hit.evidence, `r.return(${context.status})`);
  }
}

/** njs modules of a configuration: `js_import name from path` and `js_import path` (name: the file's stem). */
export function nginxJsImports(tree: NginxParseTreeNode): Map<string, string> {
  const imports = new Map<string, string>();
  const walk = (node: NginxParseTreeNode): void => {
    for (const child of node.children ?? []) {
      if (!child.isBlock && (child.name === 'js_import' || child.name === 'js_include')) {
        const parts = words(String(child.value ?? ''));
        if (child.name === 'js_include') imports.set('', parts[0] ?? '');
        else if (parts[1] === 'from' && parts[2]) imports.set(parts[0], parts[2]);
        else if (parts[0]) imports.set(path.posix.basename(parts[0]).replace(/\.[cm]?js$/, ''), parts[0]);
      }
      walk(child);
    }
  };
  walk(tree);
  return imports;
}

/** 403s in Lua code and in the modules it requires (repository files, each read once). */
function luaHits(
  code: string,
  where: { file: string; lineOf: (hit: { line: number; evidence: string }) => number },
  context: NginxCodeContext,
  seen: Set<string>,
): void {
  const bare = context.remapped && !/\bngx\.(say|print|status)\b/.test(code);
  for (const hit of forbiddenCodeLines(code, 'lua')) {
    if (bare && /\bngx\.exit\s*\(/.test(hit.evidence)) continue;
    push(
      context,
      where.file,
      where.lineOf(hit),
      hit.evidence,
      `answer ${context.status} instead (${context.status === 401 ? 'ngx.HTTP_UNAUTHORIZED, with a WWW-Authenticate header' : `ngx.exit(${context.status})`})`,
    );
  }
  for (const required of luaRequires(code)) {
    if (seen.has(required.module)) continue;
    seen.add(required.module);
    const found = context.files.resolveLuaModule(required.module);
    if (!found) {
      if (context.missingModules.has(required.module)) continue;
      context.missingModules.add(required.module);
      context.result.notChecked.push(
        `${context.file.relative}:${context.line} nginx (Lua module \`${required.module}\`, required by code in the mTLS server (${where.file}:${where.lineOf({ line: required.line, evidence: code.split('\n')[required.line - 1]?.trim() ?? '' })}), is not in the scanned tree; what it answers is not checked)`,
      );
      continue;
    }
    const relative = context.files.relative(found.absolute);
    luaHits(found.text, { file: relative, lineOf: (hit) => hit.line }, context, seen);
  }
}

function push(context: NginxCodeContext, file: string, line: number, evidence: string, fix: string): void {
  const entry = forbiddenUnder(context.finding, {
    line,
    source: 'nginx',
    evidence,
    paths: context.paths,
    fix,
    hosts: context.hosts,
    note: `code run in the mTLS server (${context.file.relative}:${context.line})${context.note ? `; ${context.note}` : ''}`,
  });
  context.result.forbidden.push({ ...entry, file });
}
