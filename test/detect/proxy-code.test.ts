import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { forbiddenCodeLines, luaRequires } from '../../src/detect/forbidden/proxy-code.js';
import { withoutTemplateTags } from '../../src/detect/template-tags.js';
import { REPO_ROOT } from '../helpers/paths.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/detect/proxy-code');

interface Case {
  /** The mTLS findings, `file:line`. */
  findings: string[];
  /** Every 403 the proxy-run code answers on an mTLS server, counted by reading: `file:line paths`. */
  forbidden: string[];
  /** What decides a status out of sight, `file:line source` (the reason is checked apart). */
  notChecked: string[];
}

/**
 * Code a proxy runs, and services it asks, on an mTLS server (session 17: before, all of these read as
 * "403s answered by the proxy itself (0)"). Each fixture also holds the same forms on a server without mTLS,
 * comments and comparisons (`res.status == 403`) that are not 403 answers, and a remapped server: the lists
 * are compared whole, so reporting any of those fails.
 */
const CASES: Record<string, Case> = {
  'nginx-lua': {
    findings: ['conf/nginx.conf:7'],
    forbidden: [
      'conf/nginx.conf:16 /accounts',
      'conf/nginx.conf:19 /accounts',
      'lua/bank/policy.lua:5 /consents',
      'lua/check_scope.lua:3 /payments',
    ],
    notChecked: ['conf/nginx.conf:25 nginx', 'conf/nginx.conf:33 nginx'],
  },
  'nginx-njs': {
    findings: ['nginx.conf:9', 'nginx.conf:18'],
    forbidden: ['njs/auth.js:4 /a'],
    notChecked: ['nginx.conf:11 nginx', 'nginx.conf:12 nginx'],
  },
  envoy: {
    findings: ['envoy.yaml:59', 'envoy.yaml:129'],
    forbidden: ['envoy.yaml:22 ', 'envoy.yaml:41 ', 'lua/scope.lua:4 '],
    notChecked: ['envoy.yaml:22 envoy', 'envoy.yaml:27 envoy', 'envoy.yaml:48 envoy'],
  },
  // Protobuf JSON names (`httpFilters`, `inlineString`: Envoy reads both spellings); filters that answer 403 with no
  // status setting (jwt_authn with audiences, csrf), a rate limit set to Forbidden; ext_authz failing open.
  'envoy-camel': {
    findings: ['envoy.yaml:13'],
    forbidden: [
      'envoy.yaml:28 /admin',
      'envoy.yaml:38 ',
      'envoy.yaml:41 ',
      'envoy.yaml:50 ',
      'envoy.yaml:66 ',
    ],
    notChecked: ['envoy.yaml:51 envoy', 'envoy.yaml:56 envoy'],
  },
  // Templates (mustache, Jinja2): before, nginx-conf read `{{#X}}` as blocks and the server was not found.
  'nginx-template': {
    findings: ['ansible/templates/api.conf.j2:6', 'nginx.template:8'],
    forbidden: [
      'ansible/templates/api.conf.j2:9 $path',
      'nginx.template:13 /',
      'nginx.template:21 $WS_PROXY_PATH',
    ],
    notChecked: [],
  },
  // A custom Kong plugin whose handler the repository holds; an unrelated handler.lua is never taken for it.
  'kong-custom': {
    findings: ['kong.yaml:14'],
    forbidden: ['kong/plugins/tpp-guard/handler.lua:7 /accounts'],
    notChecked: [],
  },
  // Istio: an EnvoyFilter inserting a Lua filter on the gateway's workload (not one for sidecars or another
  // workload), a WasmPlugin there; and an EnvoyFilter remapping 403 (the fix detect proposes) covers the
  // AuthorizationPolicy's denials (before: still reported after the fix).
  'istio-filters': {
    findings: ['gateway.yaml:14'],
    forbidden: ['filters.yaml:28 '],
    notChecked: ['filters.yaml:74 istio'],
  },
  'istio-remapped': { findings: ['gateway.yaml:14'], forbidden: [], notChecked: [] },
  caddy: { findings: ['Caddyfile:3'], forbidden: [], notChecked: ['Caddyfile:8 caddy'] },
  haproxy: { findings: ['haproxy.cfg:6'], forbidden: ['lua/cert_policy.lua:4 '], notChecked: [] },
  'haproxy-absent': { findings: ['haproxy.cfg:6'], forbidden: [], notChecked: ['haproxy.cfg:7 haproxy'] },
};

describe('detect: 403s in code a proxy runs, and auth services it asks, on mTLS servers', () => {
  for (const [name, expected] of Object.entries(CASES)) {
    it(`${name}: each 403 in code the repository holds; code or services out of sight listed as not checked`, async () => {
      const report = await detectMtls({ cwd: path.join(FIXTURES, name) });
      expect(report.findings.map((finding) => `${finding.file}:${finding.line}`)).toEqual(expected.findings);
      expect(report.forbidden.map((entry) => `${entry.file}:${entry.line} ${entry.paths.join(',')}`)).toEqual(
        expected.forbidden,
      );
      expect(report.forbiddenNotChecked.map((entry) => entry.replace(/ \(.*$/s, ''))).toEqual(
        expected.notChecked,
      );
      for (const entry of report.forbidden) {
        expect(entry.evidence).toMatch(/403|HTTP_FORBIDDEN|ext_authz|deny|Forbidden/);
        expect(entry.fix).toMatch(/401|Unauthorized|429/);
      }
      expect(report.forbiddenUnplaced).toEqual([]);
    });
  }

  it('says why each is not checked: the module, file or service, and what to do', async () => {
    const lua = await detectMtls({ cwd: path.join(FIXTURES, 'nginx-lua') });
    expect(lua.forbiddenNotChecked[0]).toContain('Lua module `vendor-plugin`');
    expect(lua.forbiddenNotChecked[0]).toContain('(conf/nginx.conf:28)');
    expect(lua.forbiddenNotChecked[1]).toContain('`rewrite_by_lua_file lua/missing.lua`');
    const njs = await detectMtls({ cwd: path.join(FIXTURES, 'nginx-njs') });
    expect(njs.forbiddenNotChecked[0]).toContain('njs module `njs/missing.js` is not in the scanned tree');
    expect(njs.forbiddenNotChecked[1]).toContain('`auth_request /introspect`');
    expect(njs.forbiddenNotChecked[1]).toContain('location @mtls_status { return 401; }');
    const caddy = await detectMtls({ cwd: path.join(FIXTURES, 'caddy') });
    expect(caddy.forbiddenNotChecked[0]).toContain('`forward_auth authz:9091`');
    const haproxy = await detectMtls({ cwd: path.join(FIXTURES, 'haproxy-absent') });
    expect(haproxy.forbiddenNotChecked[0]).toContain('/etc/haproxy/lua/cert_policy.lua');
  });

  it('the agreed status is the one the fixes propose', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'envoy'), status: 404 });
    expect(report.forbidden.map((entry) => entry.fix)).toEqual([
      expect.stringContaining('status_on_error: { code: 404 }'),
      expect.stringContaining('"404"'),
      expect.stringContaining('"404"'),
    ]);
  });
});

describe('forbiddenCodeLines / luaRequires', () => {
  const LUA: [string, number[]][] = [
    ['ngx.exit(403)', [1]],
    ['ngx.exit(ngx.HTTP_FORBIDDEN)', [1]],
    ['ngx.status = 403\nngx.say("no")', [1]],
    ['kong.response.exit(403, { message = "no" })', [1]],
    ['-- ngx.exit(403)\nlocal x = 1', []],
    ['--[[ ngx.exit(403)\n]] ngx.exit(401)', []],
    ['local s = "403"\nlocal t = [[403]]', []],
    ['if res.status == 403 then ngx.exit(401) end', []],
    ['if 403 ~= res.status then return end', []],
    ['handle:respond({[":status"] = "403"}, "no")', [1]],
    ['txn:reply({ status = 403 })', [1]],
  ];
  it.each(LUA)('lua %j -> lines %j', (code, lines) => {
    expect(forbiddenCodeLines(code, 'lua').map((hit) => hit.line)).toEqual(lines);
  });

  const JS: [string, number[]][] = [
    ['r.return(403)', [1]],
    ["r.return(403, 'no')", [1]],
    ['// r.return(403)\nr.return(401)', []],
    ['/* 403 */ r.return(401)', []],
    ["const s = '403';\nconst t = `403`;", []],
    ['if (r.status === 403) r.return(401);', []],
    ['switch (s) { case 403: break; }', []],
  ];
  it.each(JS)('js %j -> lines %j', (code, lines) => {
    expect(forbiddenCodeLines(code, 'js').map((hit) => hit.line)).toEqual(lines);
  });

  it('requires: project modules, not OpenResty / standard libraries; comments skipped', () => {
    const code = [
      'local a = require("bank.policy")',
      "local b = require 'resty.jwt'",
      'local c = require "cjson.safe"',
      '-- local d = require("commented.out")',
      'local e = require("vendor-plugin")',
    ].join('\n');
    expect(luaRequires(code)).toEqual([
      { module: 'bank.policy', line: 1 },
      { module: 'vendor-plugin', line: 5 },
    ]);
  });
});

describe('withoutTemplateTags', () => {
  const CASES: [string, string][] = [
    ['{{#SSL}}\nssl_verify_client on;\n{{/SSL}}', '        \nssl_verify_client on;\n        '],
    ['location {{WS_PATH}} {', 'location $WS_PATH    {'],
    ['server_name {{ api_host }};', 'server_name $api_host     ;'],
    ['{% if mtls %}x{% endif %}', '             x           '],
    ['{# note #}\nlisten 443;', '          \nlisten 443;'],
    ['<% if @mtls %>ssl_verify_client on;<% end %>', '              ssl_verify_client on;         '],
    ['server_name <%= @host %>;', 'server_name $host       ;'],
    ['{{ if .Values.mtls }}on{{ end }}', '                     on         '],
    ['{{{RAW}}}', '$RAW     '],
  ];
  it.each(CASES)('%j -> %j (same length and lines)', (input, output) => {
    expect(withoutTemplateTags(input)).toBe(output);
    expect(withoutTemplateTags(input)).toHaveLength(input.length);
  });
});
