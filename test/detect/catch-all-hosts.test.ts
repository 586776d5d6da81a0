import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { isCatchAllHost } from '../../src/detect/proposal.js';
import { tempProject } from '../helpers/cli.js';

// Session 28 (openxpki/openxpki-config release/v3, contrib/apache2-openxpki-site.conf: `ServerName
// pki.example.com` + `ServerAlias *`): on af2ddfa3 the proposal named only pki.example.com, `everywhere: false`,
// while the host asks every client for a certificate whatever name it uses.
const SERVERS: [string, Record<string, string>][] = [
  [
    'Apache ServerAlias *',
    {
      'site.conf': `<VirtualHost *:443>
    ServerName pki.example.test
    ServerAlias *
    SSLVerifyClient optional
</VirtualHost>
`,
    },
  ],
  [
    'Apache ServerAlias *.*',
    {
      'site.conf': `<VirtualHost *:443>
    ServerName pki.example.test
    ServerAlias *.*
    SSLVerifyClient require
</VirtualHost>
`,
    },
  ],
  [
    'nginx regex name ~^.*$',
    {
      'nginx.conf': `events {}
http {
  server {
    listen 443 ssl;
    server_name pki.example.test ~^.*$;
    ssl_verify_client on;
  }
}
`,
    },
  ],
];

describe('detect: a host name that matches every host, beside written ones', () => {
  it.each(SERVERS)('%s: mtls.everywhere, with the reason', async (_name, files) => {
    const report = await detectMtls({ cwd: tempProject(files) });
    expect(report.findings).toHaveLength(1);
    expect(report.proposal.mtls.everywhere).toBe(true);
    expect(report.reasons.join('\n')).toMatch(/also serves every host name \(/);
  });

  it.each([
    ['*', true],
    ['*.*', true],
    ['~.*', true],
    ['~^.*$', true],
    ['~^(.+)$', true],
    ['*.example.test', false],
    ['~^api\\.', false],
    ['_', false],
    ['pki.example.test', false],
  ])('isCatchAllHost(%s) is %s', (host, expected) => {
    expect(isCatchAllHost(host)).toBe(expected);
  });

  it('written names only: no everywhere', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'site.conf': `<VirtualHost *:443>
    ServerName pki.example.test
    ServerAlias *.example.test
    SSLVerifyClient require
</VirtualHost>
`,
      }),
    });
    expect(report.proposal.mtls.everywhere).toBe(false);
  });
});
