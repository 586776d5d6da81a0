import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 36 (PQC-RA/pqc-mtls-gateway `409346d`): an `init_by_lua_block` above the mTLS server held Lua the nginx
 * masking misread (an apostrophe in a `--` comment taken for a quote, `#name` for a comment), which blanked every
 * directive after it: `ssl_verify_client on` was named under "Not read" and the server's 403s were not read. Each
 * scenario: the Lua code of the block; the server below must be a finding at its `ssl_verify_client` line.
 */
const LUA: Record<string, string> = {
  "an apostrophe in a -- comment (it's)": "  -- it's read once at start\n  local x = 1\n",
  'the # length operator': '  local s = "abc"\n  if #s < 16 then error("short") end\n',
  "a long comment holding a quote and a brace (--[[ ' } ]])": "  --[[ don't } stop ]]\n  local y = 2\n",
  'a string holding a closing brace': '  local t = "}"\n  local u = \'{\'\n',
  'a table over lines': '  local w = {\n    a = { 1, 2 },\n  }\n',
};

describe('detect: nginx *_by_lua_block code is read as Lua, not as nginx text', () => {
  for (const [name, lua] of Object.entries(LUA)) {
    it(name, async () => {
      const conf =
        `http {\n  init_by_lua_block {\n${lua}  }\n  server {\n    listen 443 ssl;\n    server_name api.bank.example;\n` +
        '    ssl_verify_client on;\n    ssl_client_certificate /ca.pem;\n    location / { return 403; }\n  }\n}\n';
      const report = await detectMtls({ cwd: tempProject({ 'nginx.conf': conf }) });
      const line = conf.split('\n').findIndex((text) => text.includes('ssl_verify_client')) + 1;
      expect(report.findings.map((f) => `${f.file}:${f.line} ${f.hosts.join()}`)).toEqual([
        `nginx.conf:${line} api.bank.example`,
      ]);
      expect(report.forbidden.map((entry) => `${entry.file}:${entry.line}`)).toEqual([
        `nginx.conf:${line + 2}`,
      ]);
      expect(report.skipped.filter((skip) => skip.line !== undefined)).toEqual([]);
    });
  }
});
