import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/detect/forbidden');

/**
 * Session 16: Kong Gateway was not read at all, so a repository whose mTLS is Kong's `mtls-auth` plugin read as
 * "No mTLS termination read": clean. Kong asks for the client certificate in every TLS handshake once the plugin
 * is on any route or service (Kong docs, mtls-auth, "Client certificate request"), so every host that Kong
 * serves sees the certificate, and its 403-answering plugins (acl, ip-restriction, request-termination with 403,
 * bot-detection, serverless functions exiting 403) answer 403 on mTLS connections. Counted by reading each fixture.
 */
describe('detect: Kong Gateway', () => {
  it('a decK / DB-less declarative configuration: the certificate plugin, every host it serves, and each 403 plugin', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'kong-declarative') });
    expect(report.findings.map((f) => [f.file, f.line, f.source, f.mode, f.hosts, f.paths])).toEqual([
      ['kong.yaml', 6, 'kong', 'required', ['mtls.bank.example', 'api.bank.example'], []],
    ]);
    expect(report.findings[0].note).toMatch(
      /every TLS handshake.*\(it is on the routes of \/open-banking\/accounts\)/,
    );
    expect(report.proposal.mtls.servers).toHaveLength(2);
    // Not listed: the disabled acl (line 18), request-termination without status_code (503), ip-restriction with
    // status 401, rate-limiting (429).
    expect(report.forbidden.map((f) => [f.file, f.line, f.paths, f.fix])).toEqual([
      [
        'kong.yaml',
        15,
        ['/open-banking/accounts'],
        'acl answers 403 and has no setting for its status: turn its 403 into 401 with an exit-transformer ' +
          'function (Kong Gateway Enterprise) on the same routes, or make the check upstream answer 401',
      ],
      ['kong.yaml', 29, ['/open-banking/payments'], 'set config.status_code: 401'],
      ['kong.yaml', 37, ['/open-banking/payments'], "set config.status: 401 (ip-restriction's own setting)"],
      [
        'kong.yaml',
        49,
        [],
        'bot-detection answers 403 and has no setting for its status: turn its 403 into 401 with an ' +
          'exit-transformer function (Kong Gateway Enterprise) on the same routes, or make the check upstream answer 401',
      ],
      [
        'kong.yaml',
        50,
        ['/open-banking/accounts'],
        'change the 403 in its kong.response.exit / ngx.exit call to 401',
      ],
    ]);
    expect(report.forbidden.every((f) => f.source === 'kong' && f.finding.line === 6)).toBe(true);
    expect(report.forbiddenNotChecked).toEqual([]);
    expect(report.skipped).toEqual([]);
  });

  it('Kong Ingress Controller: a KongPlugin mtls-auth, and 403 plugins in another manifest', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'kong-kic') });
    expect(report.findings.map((f) => [f.file, f.line, f.mode, f.hosts])).toEqual([
      ['mtls-plugin.yaml', 10, 'required', []],
    ]);
    expect(report.proposal.mtls.everywhere).toBe(true);
    expect(report.forbidden.map((f) => [f.file, f.line, f.finding, f.note])).toEqual([
      [
        'plugins.yaml',
        9,
        { file: 'mtls-plugin.yaml', line: 10 },
        'KongPlugin `tpp-only`: it answers on the routes, services and consumers whose `konghq.com/plugins` ' +
          'annotation names it',
      ],
      [
        'plugins.yaml',
        23,
        { file: 'mtls-plugin.yaml', line: 10 },
        'KongClusterPlugin `office-ips`: it answers on the routes, services and consumers whose ' +
          '`konghq.com/plugins` annotation names it (global: every route)',
      ],
    ]);
  });

  it('--status sets the fixes', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'kong-declarative'), status: 404 });
    expect(report.forbidden[1].fix).toBe('set config.status_code: 404');
  });

  it('Kong forms it does not read (Konnect Terraform, kong.conf injected nginx directive) are named, not clean', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'kong-unread') });
    expect(report.findings).toEqual([]);
    expect(report.skipped.map((s) => [s.file, s.line])).toEqual([
      ['kong.conf', 3],
      ['kong.tf', 1],
    ]);
    expect(report.skipped.every((s) => s.reason.includes('Kong Gateway'))).toBe(true);
  });

  it('a disabled mtls-auth asks for nothing: no finding, no 403s, and not named as unread', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'kong-none') });
    expect(report.findings).toEqual([]);
    expect(report.forbidden).toEqual([]);
    expect(report.skipped).toEqual([]);
  });
});
