import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';

/**
 * Kong injects nginx directives from `nginx_<block>_<directive>` settings: in kong.conf, or as the environment
 * variable `KONG_NGINX_<BLOCK>_<DIRECTIVE>` (Kong docs, "Configuration Reference", "Injecting Nginx directives").
 * `ssl_verify_client on | optional` in the proxy, admin or status server asks every client of that listener for a
 * certificate. Only kong.conf's `nginx_proxy_ssl_verify_client` was named (session 16): the environment spelling
 * (docker-compose, a Kubernetes `env` list, the Kong Helm chart's `set $autoEnv "KONG_NGINX_ADMIN_SSL_VERIFY_CLIENT"
 * "on"`, Kong/charts charts/kong/templates/_helpers.tpl) and the admin / status blocks read "No mTLS termination
 * found": clean. Each case is one file; the line is counted by reading it.
 */
const CASES: { name: string; file: string; text: string; line: number }[] = [
  {
    name: 'docker-compose environment map',
    file: 'docker-compose.yml',
    text: 'services:\n  kong:\n    image: kong:3.6\n    environment:\n      KONG_DATABASE: "off"\n      KONG_NGINX_PROXY_SSL_VERIFY_CLIENT: "on"\n',
    line: 6,
  },
  {
    name: 'docker-compose environment list',
    file: 'compose.yaml',
    text: 'services:\n  kong:\n    image: kong:3.6\n    environment:\n      - KONG_NGINX_PROXY_SSL_VERIFY_CLIENT=optional\n',
    line: 5,
  },
  {
    name: 'an env file',
    file: 'kong.env',
    text: 'KONG_DATABASE=off\nKONG_NGINX_ADMIN_SSL_VERIFY_CLIENT=on\n',
    line: 2,
  },
  {
    name: 'a Kubernetes env list (name, then value)',
    file: 'deployment.yaml',
    text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: kong\nspec:\n  template:\n    spec:\n      containers:\n        - name: proxy\n          image: kong:3.6\n          env:\n            - name: KONG_NGINX_PROXY_SSL_VERIFY_CLIENT\n              value: "on"\n',
    line: 12,
  },
  {
    name: 'a Helm helper setting the environment (Kong chart)',
    file: 'charts/kong/templates/_helpers.tpl',
    text: '{{- define "kong.env" -}}\n{{- if .tls.client.secretName -}}\n  {{- $_ := set $autoEnv "KONG_NGINX_ADMIN_SSL_VERIFY_CLIENT" "on" -}}\n{{- end -}}\n{{- end -}}\n',
    line: 3,
  },
  {
    name: 'kong.conf, status block',
    file: 'kong.conf',
    text: 'status_listen = 0.0.0.0:8100 ssl\nnginx_status_ssl_verify_client = optional\n',
    line: 2,
  },
];

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tree(file: string, text: string): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-kong-nginx-'));
  temps.push(cwd);
  mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
  writeFileSync(path.join(cwd, file), text);
  return cwd;
}

describe('detect: Kong injected ssl_verify_client, every spelling', () => {
  it.each(CASES)('$name is named under Not read at its line, not clean', async ({ file, text, line }) => {
    const report = await detectMtls({ cwd: tree(file, text) });
    expect(report.findings).toEqual([]);
    expect(report.skipped.map((skip) => [skip.file, skip.line])).toEqual([[file, line]]);
    expect(report.skipped[0].reason).toContain('Kong Gateway');
  });

  it.each([
    ['off', 'KONG_NGINX_PROXY_SSL_VERIFY_CLIENT: "off"\n'],
    ['a stream block (TCP, no HTTP)', 'KONG_NGINX_SPROXY_SSL_VERIFY_CLIENT: "on"\n'],
    ['another directive', 'KONG_NGINX_PROXY_SSL_VERIFY_DEPTH: "2"\n'],
  ])('%s is not named', async (_name, line) => {
    const report = await detectMtls({
      cwd: tree('docker-compose.yml', `services:\n  kong:\n    environment:\n      ${line}`),
    });
    expect(report.findings).toEqual([]);
    expect(report.skipped).toEqual([]);
  });
});
