import type { ScanFile } from '../scan-file.js';
import type { DetectFinding } from '../types.js';
import path from 'node:path';
import { forbiddenCodeLines, type ProxyCodeFiles } from './proxy-code.js';
import { forbiddenUnder, noForbidden, type ForbiddenResult } from './result.js';

interface Rule {
  line: number;
  text: string;
}

interface Section {
  kind: string;
  name: string;
  line: number;
  rules: Rule[];
  backends: string[];
  /** ACL name -> path values (`path`, `path_beg`, `path_end`, `path_sub`, `path_reg`, `url_beg`...). */
  pathAcls: Map<string, string[]>;
}

const SECTION =
  /^(frontend|listen|backend|defaults|global|peers|resolvers|userlist|program|http-errors|cache|ring|mailers|crt-store|traces)\b/;
const PATH_FETCH =
  /^(path|path_beg|path_end|path_sub|path_dir|path_reg|url|url_beg|url_sub|url_reg|base|base_beg)$/;

/**
 * 403s HAProxy answers itself in a `frontend`/`listen` section with a `bind ... verify required|optional`
 * (the findings), and in the backends it routes to (`use_backend` / `default_backend`, same file):
 * `http-request deny` (default status 403, or `deny_status 403` / `status 403`), `http-request return status 403`,
 * `http-request tarpit deny_status 403`, `http-response deny deny_status 403`, and the pre-2.1 `block` /
 * `reqdeny` / `reqideny`. Paths come from the rule's `if` condition: named ACLs and inline `{ path_beg ... }`
 * on path fetches (negated ones are not paths it applies to). Rules that run Lua (`http-request lua.<name>`,
 * `http-request use-service lua.<name>`, `http-response lua.<name>`): the 403s in the files `lua-load` names
 * (repository files), else listed as not checked. Line scan, as the termination reader.
 */
export function haproxyForbidden(
  file: ScanFile,
  findings: DetectFinding[],
  status: number,
  files: ProxyCodeFiles,
): ForbiddenResult {
  const result = noForbidden();
  const sections: Section[] = [];
  let section: Section | undefined;
  file.text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    const head = SECTION.exec(line);
    if (head && !/^\s/.test(raw)) {
      section = {
        kind: head[1],
        name: line.split(/\s+/)[1] ?? '',
        line: index + 1,
        rules: [],
        backends: [],
        pathAcls: new Map(),
      };
      sections.push(section);
      return;
    }
    if (!section) return;
    const acl = /^acl\s+(\S+)\s+(\S+)((?:\s+-\S+)*)\s+(.+)$/.exec(line);
    if (acl && PATH_FETCH.test(acl[2].replace(/\(.*\)$/, ''))) {
      section.pathAcls.set(acl[1], [...(section.pathAcls.get(acl[1]) ?? []), ...acl[4].split(/\s+/)]);
    }
    const backend = /^(?:use_backend|default_backend)\s+(\S+)/.exec(line);
    if (backend) section.backends.push(backend[1]);
    section.rules.push({ line: index + 1, text: line });
  });
  const luaLoads = file.text
    .split('\n')
    .flatMap((raw) => /^\s*lua-load(?:-per-thread)?\s+(\S+)/.exec(raw.replace(/(^|\s)#.*$/, ''))?.[1] ?? []);
  for (const frontend of sections) {
    if (frontend.kind !== 'frontend' && frontend.kind !== 'listen') continue;
    const finding = findings.find(
      (f) => f.line > frontend.line && frontend.rules.some((rule) => rule.line === f.line),
    );
    if (!finding) continue;
    const reached = [
      { section: frontend, note: undefined as string | undefined },
      ...sections
        .filter((other) => (other.kind === 'backend' || other.kind === 'listen') && other !== frontend)
        .filter((other) => frontend.backends.includes(other.name))
        .map((other) => ({
          section: other,
          note: `in ${other.kind} ${other.name}, which the ${frontend.kind} ${frontend.name} at line ${frontend.line} routes to`,
        })),
    ];
    for (const { section: where, note } of reached) {
      for (const rule of where.rules) {
        if (/^(http-request|http-response)\s+(use-service\s+)?lua\./.test(rule.text)) {
          luaRuleForbidden(rule, { file, files, luaLoads, finding, status, result, note });
          continue;
        }
        const fix = ruleFix(rule.text, status);
        if (!fix) continue;
        result.forbidden.push(
          forbiddenUnder(finding, {
            line: rule.line,
            source: 'haproxy',
            evidence: rule.text,
            paths: conditionPaths(rule.text, where.pathAcls),
            fix,
            note,
          }),
        );
      }
    }
  }
  return result;
}

/**
 * A rule running Lua on an mTLS frontend: each 403 of the repository's `lua-load` files is reported (which
 * action of them the rule runs is not followed: all are listed); no such file in the tree: not checked.
 */
function luaRuleForbidden(
  rule: { line: number; text: string },
  context: {
    file: ScanFile;
    files: ProxyCodeFiles;
    luaLoads: string[];
    finding: DetectFinding;
    status: number;
    result: ForbiddenResult;
    note?: string;
  },
): void {
  const { file, files, finding, result } = context;
  const loaded = context.luaLoads.flatMap((target) => files.resolve(target, path.dirname(file.path)) ?? []);
  if (loaded.length === 0) {
    result.notChecked.push(
      `${file.relative}:${rule.line} haproxy (\`${rule.text}\` runs Lua on the mTLS frontend, and ${context.luaLoads.length ? `its \`lua-load\` files (${context.luaLoads.join(', ')}) are not in the scanned tree` : 'no `lua-load` in this file names its code'}; what it answers is not checked)`,
    );
    return;
  }
  for (const code of loaded)
    for (const hit of forbiddenCodeLines(code.text, 'lua')) {
      const entry = forbiddenUnder(finding, {
        line: hit.line,
        source: 'haproxy',
        evidence: hit.evidence,
        paths: [],
        fix: `answer ${context.status} instead of 403 in this Lua action`,
        note: `Lua run by \`${rule.text}\` (${file.relative}:${rule.line})${context.note ? `; ${context.note}` : ''}`,
      });
      result.forbidden.push({ ...entry, file: files.relative(code.absolute) });
    }
}

/**
 * The rule with the agreed status, or undefined when it answers no 403. `deny` / `tarpit` take their status as
 * `deny_status <code>` or, since HAProxy 2.2, `status <code>` (the same argument); only the arguments before the
 * rule's `if` / `unless` are read (a condition may test the `status` fetch). An `http-request deny` without one
 * answers 403; `tarpit` 500 and `http-response deny` 502.
 */
function ruleFix(text: string, status: number): string | undefined {
  const deny = /^(http-request|http-response)\s+(deny|tarpit)\b/.exec(text);
  if (deny) {
    const condition = /\s(?:if|unless)\s/.exec(text);
    const actions = condition ? text.slice(0, condition.index) : text;
    const given = /\b((?:deny_)?status)\s+(\d{3})\b/.exec(actions);
    const answers = given ? given[2] === '403' : deny[1] === 'http-request' && deny[2] === 'deny';
    if (!answers) return undefined;
    return given
      ? `${actions.slice(0, given.index)}${given[1]} ${status}${text.slice(given.index + given[0].length)}`
      : text.replace(/^http-request\s+deny\b/, `http-request deny deny_status ${status}`);
  }
  if (/^http-(request|response)\s+return\b/.test(text) && /\bstatus\s+403\b/.test(text))
    return text.replace(/\bstatus\s+403\b/, `status ${status}`);
  const old = /^(block|reqdeny|reqideny)\b\s*(.*)$/.exec(text);
  if (old) {
    const condition = old[1] === 'block' ? old[2] : old[2].replace(/^\S+\s*/, '');
    return `\`${old[1]}\` answers 403 (removed in HAProxy 2.1): write \`http-request deny deny_status ${status}${condition ? ` ${condition}` : ''}\`${old[1] === 'block' ? '' : ' with an ACL for the header pattern'}`;
  }
  return undefined;
}

/** Path values the rule's `if`/`unless` condition names (positive terms only); empty: every path. */
function conditionPaths(text: string, acls: ReadonlyMap<string, string[]>): string[] {
  const condition = /\s(if|unless)\s+(.*)$/.exec(text);
  if (!condition || condition[1] === 'unless') return [];
  const out: string[] = [];
  for (const inline of condition[2].matchAll(/(!?)\{\s*(\S+)((?:\s+-\S+)*)\s+([^}]*)\}/g)) {
    if (inline[1] !== '!' && PATH_FETCH.test(inline[2])) out.push(...inline[4].trim().split(/\s+/));
  }
  const named = condition[2].replace(/!?\{[^}]*\}/g, ' ');
  for (const word of named.split(/\s+/)) {
    if (!word || word.startsWith('!')) continue;
    out.push(...(acls.get(word) ?? []));
  }
  return [...new Set(out)];
}
