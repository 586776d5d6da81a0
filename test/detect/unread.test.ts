import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/detect/unread');

/**
 * Session 9 (ghostunnel/ghostunnel, an mTLS proxy in Go: "No mTLS termination found in 424 files"): a file that
 * holds an mTLS server setting in a form detect does not read is named with its line, and a report with no
 * finding then says it is not clean. Comments, documentation, tests and client-side settings are not named.
 */
const NAMED: { file: string; line: number; text: string }[] = [
  // Session 18: Application Gateway mutual authentication set up by PowerShell (ARM, Bicep, Terraform are read).
  {
    file: 'azure/appgw-mtls.ps1',
    line: 4,
    text: '`Add-AzApplicationGatewaySslProfile -Name "partner-mtls" -ApplicationGateway $gw -TrustedClientCertificates`, Azure Application Gateway SSL profile (PowerShell / Azure CLI)',
  },
  // Session 11 (ConsumerDataStandardsAustralia/mock-data-holder-nodejs: "No mTLS termination found in 272 files"
  // beside a compose service running the `mtls-gateway` image): the image is named, and Kestrel's JSON form.
  {
    file: 'compose/docker-compose.yaml',
    line: 5,
    text: '`image: example/mtls-gateway:0.2`, container image named for mTLS, its settings are inside the image',
  },
  {
    file: 'dotnet/Program.cs',
    line: 6,
    text: '`ClientCertificateMode.RequireCertificate`, ASP.NET Core (Kestrel) server',
  },
  {
    file: 'dotnet/appsettings.json',
    line: 6,
    text: '`ClientCertificateMode": "RequireCertificate`, ASP.NET Core (Kestrel) configuration',
  },
  // Session 16: a setting the readers know, filled in by envsubst or a Go template: the value decides.
  {
    file: 'envoy/envoy.yaml.tmpl',
    line: 6,
    text: '`require_client_certificate: ${`, mTLS setting filled in by a template or the environment',
  },
  { file: 'go/main.go', line: 13, text: '`tls.RequireAndVerifyClientCert`, Go crypto/tls server' },
  { file: 'nix/configuration.nix', line: 6, text: '`ssl_verify_client on`, nginx directive' },
  { file: 'python/serve.py', line: 6, text: '`ssl_cert_reqs=ssl.CERT_REQUIRED`, Python server' },
  {
    file: 'traefik/dynamic.yml.tpl',
    line: 5,
    text: '`clientAuthType: {{`, mTLS setting filled in by a template or the environment',
  },
  {
    file: 'tyk/accounts-api.json',
    line: 4,
    text: '`"use_mutual_tls_auth": true`, Tyk API definition (classic)',
  },
];

/** Not named: a commented-out directive, prose, a Go test server, a client that verifies the server. */
const NOT_NAMED = ['nginx/default.conf', 'docs/setup.md', 'go/internal/server_test.go', 'python/client.py'];

describe('detect names mTLS server settings it cannot read (session 9)', () => {
  it('each named with its line and kind; nothing else', async () => {
    const report = await detectMtls({ cwd: FIXTURE });
    expect(report.findings).toEqual([]);
    const named = report.skipped.filter((skip) => skip.line !== undefined);
    expect(named.map(({ file, line }) => ({ file, line }))).toEqual(
      NAMED.map(({ file, line }) => ({ file, line })),
    );
    for (const expected of NAMED) {
      const skip = named.find((entry) => entry.file === expected.file);
      expect(skip?.reason).toContain(
        `holds an mTLS server setting at line ${expected.line} (${expected.text})`,
      );
    }
    for (const file of NOT_NAMED) expect(report.skipped.map((skip) => skip.file)).not.toContain(file);
  });

  it('end to end: the first line does not read clean', () => {
    const run = runCli(['detect'], { cwd: FIXTURE });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(
      'No mTLS termination read in 14 files, but 10 files hold mTLS server settings in a form mtls-fix does not read (under "Not read" below): not a clean result.',
    );
    const clean = runCli(['detect', 'nginx', 'docs'], { cwd: FIXTURE });
    expect(clean.stdout.split('\n')[0]).toBe('No mTLS termination found in 2 files.');
  });
});
