import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

const VHOST = (extra = ''): string => `<VirtualHost *:443>
    ServerName api.bank.test
    SSLEngine on
    SSLVerifyClient require
    SSLCACertificateFile /etc/pki/ca.pem
${extra}</VirtualHost>
`;

interface Layout {
  files: Record<string, string>;
  /** `file:line` of every 403 listed under the mTLS server, with the finding it is tied to. */
  forbidden: [string, string][];
  /** `file:line` of every 403 listed as not placed. */
  unplaced: string[];
  /** A part of a note each forbidden entry carries, in order (undefined: no note). */
  notes?: (string | undefined)[];
}

// Session 28: on af2ddfa3 detect read an Apache 403 only in the file whose SSLVerifyClient asks for the
// certificate; every 403 below (httpd's own layouts split a server over files) passed as clean, and an
// `Allow from` under `Order Allow,Deny` or a Require inside <RequireNone> was not read in any file.
const LAYOUTS: Record<string, Layout> = {
  'RHEL: httpd.conf includes conf.d/*.conf; the mTLS host in conf.d/ssl.conf': {
    files: {
      'httpd/httpd.conf': `Listen 443
<Directory />
    Require all denied
</Directory>
IncludeOptional conf.d/*.conf
`,
      'httpd/conf.d/ssl.conf': VHOST(),
      'httpd/conf.d/access.conf': `<Location /internal>
    Require all denied
</Location>
`,
    },
    forbidden: [
      ['httpd/conf.d/access.conf:2', 'httpd/conf.d/ssl.conf:4'],
      ['httpd/httpd.conf:3', 'httpd/conf.d/ssl.conf:4'],
    ],
    unplaced: [],
    notes: [
      'read through `IncludeOptional conf.d/*.conf` (httpd/httpd.conf:5)',
      'in the configuration that reads',
    ],
  },
  'Debian: an Include inside the mTLS <VirtualHost>, conf-enabled, another site on port 80': {
    files: {
      'apache2/apache2.conf': `IncludeOptional conf-enabled/*.conf
IncludeOptional sites-enabled/*.conf
`,
      'apache2/sites-enabled/api-ssl.conf': VHOST('    Include /etc/apache2/snippets/api-acl.conf\n'),
      'apache2/snippets/api-acl.conf': `<Location /ops>
    Require ip 10.0.0.0/8
</Location>
`,
      'apache2/conf-enabled/security.conf': 'RedirectMatch 403 /\\.git\n',
      'apache2/sites-enabled/000-default.conf': `<VirtualHost *:80>
    <Location />
        Require all denied
    </Location>
</VirtualHost>
`,
    },
    forbidden: [
      ['apache2/conf-enabled/security.conf:1', 'apache2/sites-enabled/api-ssl.conf:4'],
      ['apache2/snippets/api-acl.conf:2', 'apache2/sites-enabled/api-ssl.conf:4'],
    ],
    unplaced: [],
    notes: ['server-wide', 'included into the mTLS <VirtualHost> of apache2/sites-enabled/api-ssl.conf:4'],
  },
  'an .htaccess, and a file of the configuration folder no Include names': {
    files: {
      'conf/httpd.conf': VHOST(),
      'conf/extra-acl.conf': `<Location /x>
    Require all denied
</Location>
`,
      'public/.htaccess': `RewriteEngine On
RewriteRule ^admin/ - [F]
`,
    },
    forbidden: [],
    unplaced: ['conf/extra-acl.conf:2', 'public/.htaccess:2'],
  },
  'a server-wide SSLVerifyClient: every virtual host without its own asks for the certificate': {
    files: {
      'httpd/httpd.conf': `SSLVerifyClient optional
IncludeOptional conf.d/*.conf
`,
      'httpd/conf.d/partner.conf': `<VirtualHost *:443>
    ServerName partner.bank.test
    <Location /admin>
        Require ip 10.0.0.0/8
    </Location>
</VirtualHost>
`,
      'httpd/conf.d/public.conf': `<VirtualHost *:443>
    ServerName www.bank.test
    SSLVerifyClient none
    Require all denied
</VirtualHost>
`,
    },
    forbidden: [['httpd/conf.d/partner.conf:4', 'httpd/httpd.conf:1']],
    unplaced: [],
    notes: ['sets no SSLVerifyClient, so the server-wide one of httpd/httpd.conf:1 applies'],
  },
  'mod_access_compat Allow under Order Allow,Deny, and <RequireNone>, in the mTLS file itself': {
    files: {
      'site.conf': VHOST(`    <Location /a>
        Order Allow,Deny
        Allow from 10.0.0.0/8
    </Location>
    <Location /b>
        Order Deny,Allow
        Allow from 10.0.0.0/8
    </Location>
    <Location /c>
        Order Allow,Deny
        Allow from all
    </Location>
    <Location /d>
        <RequireNone>
            Require ip 192.0.2.0/24
        </RequireNone>
    </Location>
`),
    },
    forbidden: [
      ['site.conf:8', 'site.conf:4'],
      ['site.conf:20', 'site.conf:4'],
    ],
    unplaced: [],
  },
  // unioslo/nivlheim (cc1765d): server/httpd.conf reads `IncludeOptional /etc/apache2/conf.d/*.conf`, and the
  // Dockerfile copies server/httpd_ssl.conf there; the tree alone does not say so.
  'a main configuration beside the mTLS file whose Include names another folder': {
    files: {
      'server/httpd.conf': `<Files ".ht*">
    Require all denied
</Files>
IncludeOptional /etc/apache2/conf.d/*.conf
`,
      'server/httpd_ssl.conf': VHOST(),
    },
    forbidden: [],
    unplaced: ['server/httpd.conf:2'],
  },
  "another server's configuration elsewhere in the tree: not this server's": {
    files: {
      'deploy/api/httpd.conf': VHOST(),
      'examples/other/httpd.conf': `<Location />
    Require all denied
</Location>
`,
    },
    forbidden: [],
    unplaced: [],
  },
};

describe('detect: Apache 403s across the files of one server', () => {
  it.each(Object.entries(LAYOUTS))('%s', async (_name, layout) => {
    const cwd = tempProject(layout.files);
    const report = await detectMtls({ cwd });
    expect(report.findings.filter((finding) => finding.source === 'apache').length).toBeGreaterThan(0);
    expect(
      report.forbidden.map((entry) => [
        `${entry.file}:${entry.line}`,
        `${entry.finding.file}:${entry.finding.line}`,
      ]),
    ).toEqual(layout.forbidden);
    expect(report.forbiddenUnplaced.map((entry) => `${entry.file}:${entry.line}`)).toEqual(layout.unplaced);
    if (layout.notes)
      layout.notes.forEach((note, index) =>
        note === undefined
          ? expect(report.forbidden[index].note).toBeUndefined()
          : expect(report.forbidden[index].note).toContain(note),
      );
  });

  it('the main configuration beside the mTLS file is named as such, with its Include', async () => {
    const report = await detectMtls({
      cwd: tempProject(
        LAYOUTS['a main configuration beside the mTLS file whose Include names another folder'].files,
      ),
    });
    expect(report.forbiddenUnplaced[0].reason).toContain(
      'in a main configuration beside server/httpd_ssl.conf (it reads `IncludeOptional /etc/apache2/conf.d/*.conf`, line 4)',
    );
  });
});
