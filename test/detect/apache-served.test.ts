import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

// Session 30: Apache folders served without an index file (DocumentRoot / Alias, 403 under httpd's default
// Options) were read in the file of the SSLVerifyClient only. A DocumentRoot in a file Included inside the mTLS
// <VirtualHost>, and the main server's DocumentRoot that a <VirtualHost> without one inherits (httpd.conf
// including the virtual host's file), passed as clean; a server-level DocumentRoot the host replaces with its
// own was reported, and a server-level <Directory> turning Indexes on was not read.
const MTLS_VHOST = (body: string): string =>
  `<VirtualHost *:443>\n    ServerName api.bank.test\n    SSLEngine on\n    SSLVerifyClient require\n${body}</VirtualHost>\n`;

const HTTPD = (body: string): string =>
  `ServerRoot "/usr/local/apache2"\nListen 443\n${body}Include conf/extra/httpd-ssl.conf\n`;

const CASES: {
  name: string;
  files: Record<string, string>;
  /** `file:line` of each folder 403, with the start of its note. */
  forbidden: [string, string | undefined][];
}[] = [
  {
    name: 'a DocumentRoot in a file Included inside the mTLS <VirtualHost>',
    files: {
      'apache/site.conf': MTLS_VHOST('    Include conf/site-root.conf\n'),
      'apache/conf/site-root.conf': 'DocumentRoot /srv/site\n',
    },
    forbidden: [['apache/conf/site-root.conf:1', 'read through `Include conf/site-root.conf`']],
  },
  {
    name: "a <VirtualHost> without DocumentRoot inherits the main server's (httpd.conf includes it)",
    files: {
      'httpd/conf/httpd.conf': HTTPD('DocumentRoot "/usr/local/apache2/htdocs"\n'),
      'httpd/conf/extra/httpd-ssl.conf': MTLS_VHOST('    ProxyPass /api http://app:8080/api\n'),
    },
    forbidden: [['httpd/conf/httpd.conf:3', "the main server's DocumentRoot"]],
  },
  {
    name: "the main server's <Directory> turns Indexes on for its DocumentRoot (stock httpd.conf)",
    files: {
      'httpd/conf/httpd.conf': HTTPD(
        'DocumentRoot "/usr/local/apache2/htdocs"\n<Directory "/usr/local/apache2/htdocs">\n    Options Indexes FollowSymLinks\n</Directory>\n',
      ),
      'httpd/conf/extra/httpd-ssl.conf': MTLS_VHOST(''),
    },
    forbidden: [],
  },
  {
    name: 'the inherited DocumentRoot is handed on as a whole by a file the host includes',
    files: {
      'httpd/conf/httpd.conf': HTTPD('DocumentRoot "/usr/local/apache2/htdocs"\n'),
      'httpd/conf/extra/httpd-ssl.conf': MTLS_VHOST('    Include conf/extra/proxy.conf\n'),
      'httpd/conf/extra/proxy.conf': 'ProxyPass / http://app:8080/\nProxyPassReverse / http://app:8080/\n',
    },
    forbidden: [],
  },
  {
    name: "the host's own DocumentRoot replaces the main server's (one file)",
    files: {
      'apache/site.conf': `DocumentRoot /var/www/html\n${MTLS_VHOST('    DocumentRoot /srv/api\n')}`,
    },
    forbidden: [['apache/site.conf:6', undefined]],
  },
  {
    name: "a server-level <Directory> turning Indexes on for the host's DocumentRoot (one file)",
    files: {
      'apache/site.conf': `<Directory /srv/api>\n    Options Indexes\n</Directory>\n${MTLS_VHOST('    DocumentRoot /srv/api\n')}`,
    },
    forbidden: [],
  },
  {
    name: "the main server's RewriteRule [P] is not inherited by the virtual host",
    files: {
      'apache/site.conf': `DocumentRoot /var/www/html\nRewriteEngine On\nRewriteRule ^/(.*)$ http://app/$1 [P,L]\n${MTLS_VHOST('')}`,
    },
    forbidden: [['apache/site.conf:1', "the main server's DocumentRoot"]],
  },
  {
    name: 'a server-level Alias applies to the mTLS host too',
    files: {
      'apache/site.conf': `Alias /static /srv/static\n${MTLS_VHOST('    DocumentRoot /srv/api\n    ProxyPass /api http://app/api\n')}`,
    },
    forbidden: [
      ['apache/site.conf:1', 'server-wide'],
      ['apache/site.conf:6', undefined],
    ],
  },
  {
    name: 'a per-path SSLVerifyClient: the DocumentRoot serves that path too',
    files: {
      'apache/site.conf':
        '<VirtualHost *:443>\n    ServerName api.bank.test\n    DocumentRoot /srv/site\n    <Location /secure>\n        SSLVerifyClient require\n    </Location>\n</VirtualHost>\n',
    },
    forbidden: [['apache/site.conf:3', undefined]],
  },
];

describe('detect: Apache folders served on an mTLS host, over every file of the server', () => {
  for (const { name, files, forbidden } of CASES)
    it(name, async () => {
      const cwd = tempProject(files);
      const report = await detectMtls({ cwd, paths: [] });
      expect(report.findings.length).toBeGreaterThan(0);
      const folders = report.forbidden.filter((entry) => entry.fix.includes('DirectoryIndex'));
      expect(folders.map((entry) => `${entry.file}:${entry.line}`)).toEqual(forbidden.map(([at]) => at));
      forbidden.forEach(([, note], index) => {
        // Session 32: every served folder's entry says the folder is on the server, not read (nothing else when
        // the case expects no note).
        const own = folders[index].note
          ?.split('; ')
          .filter((part) => !/ is a folder on the server, not read here:/.test(part));
        expect(folders[index].note).toMatch(
          /\S+ is a folder on the server, not read here: httpd answers this 403 for each of its folders that holds no DirectoryIndex file/,
        );
        if (note === undefined) expect(own).toEqual([]);
        else expect(folders[index].note).toContain(note);
      });
    });

  it('names the per-path mTLS location, and the host of an included virtual host', async () => {
    const cwd = tempProject({
      'apache/site.conf':
        '<VirtualHost *:443>\n    ServerName api.bank.test\n    DocumentRoot /srv/site\n    <Location /secure>\n        SSLVerifyClient require\n    </Location>\n</VirtualHost>\n',
    });
    const report = await detectMtls({ cwd, paths: [] });
    expect(report.forbidden.map((entry) => [entry.paths, entry.hosts])).toEqual([
      [['/secure'], ['api.bank.test']],
    ]);
  });
});
