import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { generateProxyConfig, type ProxyTarget } from '../../src/proxy/index.js';
import { CORPUS_DIR } from '../helpers/paths.js';
import { makePki } from '../helpers/tls.js';
import { requireTool, toolUnavailable } from '../helpers/tools.js';

/**
 * Every real document of the corpus with at least one mTLS-secured operation (and two large ones read with
 * --mtls-everywhere), turned into config for each target and checked by the proxy itself inside a minimal
 * surrounding config: `nginx -t`, `haproxy -c`, `caddy validate`.
 */
const work = mkdtempSync(path.join(tmpdir(), 'mtls-fix-proxy-corpus-'));
const pki = makePki();
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  pki.cleanup();
});

const documents = existsSync(CORPUS_DIR)
  ? readdirSync(CORPUS_DIR)
      .filter((name) => /\.(ya?ml|json)$/.test(name))
      .map((name) => path.join(CORPUS_DIR, name))
  : [];
documents.push(
  path.join(CORPUS_DIR, 'gematik-zeta-client-management/openapi/zeta-guard-client-management.yaml'),
);

interface Case {
  name: string;
  spec: string;
  everywhere: boolean;
}
const cases: Case[] = documents.map((spec) => ({ name: path.basename(spec), spec, everywhere: false }));
for (const name of [
  'berlin-group-nextgenpsd2-v1.3.8-2020-11-18.yaml',
  'uk-open-banking-account-info-v3.1.2-swagger2.json',
]) {
  cases.push({ name: `${name} --mtls-everywhere`, spec: path.join(CORPUS_DIR, name), everywhere: true });
}

function generate(item: Case, target: ProxyTarget) {
  return generateProxyConfig({
    spec: item.spec,
    target,
    upstream: 'http://127.0.0.1:9',
    config: resolveConfig({}, { mtlsEverywhere: item.everywhere, allowRemoteRefs: true }),
    wwwAuthenticate: 'Bearer',
  });
}

/** Read once: the documents (and readings) with at least one mTLS-secured operation. */
const withMtls = cases.filter((item) => generate(item, 'nginx').mtlsOperationCount > 0);

const checks: Record<ProxyTarget, { version: string[]; check(dir: string, snippet: string): string[] }> = {
  nginx: {
    version: ['-v'],
    check(dir, snippet) {
      writeFileSync(path.join(dir, 'snippet.conf'), snippet);
      writeFileSync(
        path.join(dir, 'nginx.conf'),
        `pid ${dir}/nginx.pid;\nevents {}\nhttp {\n  server {\n    listen 127.0.0.1:8443 ssl;\n` +
          `    ssl_certificate ${pki.files.serverCert};\n    ssl_certificate_key ${pki.files.serverKey};\n` +
          `    ssl_client_certificate ${pki.files.ca};\n    ssl_verify_client optional;\n` +
          `    include ${dir}/snippet.conf;\n  }\n}\n`,
      );
      return ['nginx', '-t', '-p', `${dir}/`, '-c', `${dir}/nginx.conf`, '-e', `${dir}/error.log`];
    },
  },
  haproxy: {
    version: ['-v'],
    check(dir, snippet) {
      writeFileSync(
        path.join(dir, 'haproxy.cfg'),
        `defaults\n  mode http\n  timeout connect 5s\n  timeout client 5s\n  timeout server 5s\n` +
          `frontend in\n  bind 127.0.0.1:8443 ssl crt ${pki.files.serverPem} ca-file ${pki.files.ca} verify optional\n` +
          `  use_backend mtls_fix\n${snippet}`,
      );
      return ['haproxy', '-c', '-f', `${dir}/haproxy.cfg`];
    },
  },
  caddy: {
    version: ['version'],
    check(dir, snippet) {
      writeFileSync(
        path.join(dir, 'Caddyfile'),
        `{\n\tadmin off\n\tauto_https off\n}\n${snippet}\nhttps://localhost:8443 {\n` +
          `\ttls ${pki.files.serverCert} ${pki.files.serverKey} {\n\t\tclient_auth {\n` +
          `\t\t\tmode verify_if_given\n\t\t\ttrusted_ca_cert_file ${pki.files.ca}\n\t\t}\n\t}\n\timport mtls_fix\n}\n`,
      );
      return ['caddy', 'validate', '--config', `${dir}/Caddyfile`, '--adapter', 'caddyfile'];
    },
  },
};

describe.each(Object.entries(checks))('corpus documents through %s', (target, tool) => {
  const unavailable = toolUnavailable(target, tool.version);

  it('covers the corpus documents that have mTLS operations', () => {
    expect(withMtls.length).toBeGreaterThanOrEqual(8);
  });

  it.for(withMtls.map((item) => [item.name, item] as const))(
    '%s passes the proxy check',
    ([, item], { skip }) => {
      requireTool(unavailable, skip);
      const result = generate(item, target as ProxyTarget);
      const dir = path.join(work, target, item.name.replace(/[^\w.-]/g, '_'));
      mkdirSync(dir, { recursive: true });
      const command = tool.check(dir, result.text);
      const run = spawnSync(command[0], command.slice(1), {
        encoding: 'utf8',
        env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
        timeout: 60_000,
      });
      expect(run.status, `${command.join(' ')}\n${run.stdout}${run.stderr}`).toBe(0);
      // The header comment names every remapped operation.
      expect(result.text.match(/^# {3}[A-Z]+ \//gm)?.length ?? 0).toBeGreaterThanOrEqual(
        result.mtlsOperationCount,
      );
    },
  );
});
