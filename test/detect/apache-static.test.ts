import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

const VHOST = (body: string): string => `<VirtualHost *:443>
    ServerName api.bank.test
    SSLEngine on
    SSLVerifyClient require
${body}</VirtualHost>
`;

// Session 29: an mTLS virtual host serving files from its DocumentRoot answers 403 for a folder without an
// index file (httpd 2.4's Options default has no Indexes); detect said nothing (nginx's `root` is read since
// session 27), and --check passed.
const CASES: { name: string; body: string; forbidden: [number, string[]][] }[] = [
  {
    name: 'DocumentRoot with the default Options',
    body: '    DocumentRoot /var/www/html\n',
    forbidden: [[5, []]],
  },
  {
    name: 'DocumentRoot with Options -Indexes, and an Alias',
    body: '    DocumentRoot "/srv/site"\n    Alias /docs /srv/docs\n    <Directory /srv>\n        Options -Indexes\n    </Directory>\n',
    forbidden: [
      [5, []],
      [6, ['/docs']],
    ],
  },
  {
    name: 'Options Indexes (or All) on the folder: it is listed, no 403',
    body: '    DocumentRoot /srv/site\n    <Directory /srv/site>\n        Options Indexes FollowSymLinks\n    </Directory>\n    Alias /a /srv/a\n    Options All\n',
    forbidden: [],
  },
  {
    name: 'everything proxied, or handed to an application',
    body: '    DocumentRoot /var/www/html\n    ProxyPass / http://backend:8080/\n',
    forbidden: [],
  },
  {
    name: 'WSGIScriptAlias / hands every path to the application',
    body: '    DocumentRoot /var/www/html\n    WSGIScriptAlias / /srv/app/app.wsgi\n',
    forbidden: [],
  },
  {
    name: 'ProxyPass of one path only: the rest is still files',
    body: '    DocumentRoot /var/www/html\n    ProxyPass /api http://backend:8080/api\n',
    forbidden: [[5, []]],
  },
  {
    name: 'RewriteRule [P] for every path',
    body: '    DocumentRoot /var/www/html\n    RewriteEngine On\n    RewriteRule ^/(.*)$ http://backend/$1 [P,L]\n',
    forbidden: [],
  },
];

describe('detect: Apache httpd serving files on an mTLS virtual host', () => {
  for (const { name, body, forbidden } of CASES)
    it(name, async () => {
      const cwd = tempProject({ 'apache/site.conf': VHOST(body) });
      const report = await detectMtls({ cwd, paths: [] });
      expect(report.findings.map((finding) => `${finding.file}:${finding.line}`)).toEqual([
        'apache/site.conf:4',
      ]);
      expect(report.forbidden.map((entry) => [entry.line, entry.paths])).toEqual(forbidden);
      for (const entry of report.forbidden) {
        expect(entry.fix).toContain('RewriteRule ^ - [R=401,L]');
        expect(entry.finding).toEqual({ file: 'apache/site.conf', line: 4 });
      }
    });

  it('a virtual host without SSLVerifyClient serving files is not reported', async () => {
    const cwd = tempProject({
      'apache/site.conf': `${VHOST('    ProxyPass / http://b/\n')}<VirtualHost *:80>\n    DocumentRoot /var/www/html\n</VirtualHost>\n`,
    });
    const report = await detectMtls({ cwd, paths: [] });
    expect(report.forbidden).toEqual([]);
  });
});
