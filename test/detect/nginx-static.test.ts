import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { runCliAsync, tempProject } from '../helpers/cli.js';

/**
 * Session 27 (breaker27 #11): an mTLS nginx server serving files (`root` / `alias`, autoindex off: the default)
 * answers 403 for a folder without an index file; detect said nothing and `--check` exited 0. Each such
 * `root` / `alias` is now a 403 the proxy answers, with the fix; the ones that cannot answer it are not.
 */
const SERVER = (body: string, verify = 'on') => `http {
  server {
    listen 443 ssl;
    server_name files.bank.example;
    ssl_certificate /etc/ssl/api.crt;
    ssl_certificate_key /etc/ssl/api.key;
    ssl_client_certificate /etc/ssl/ca.crt;
    ssl_verify_client ${verify};
${body}
  }
}
`;

async function forbiddenOf(conf: string) {
  const cwd = tempProject({ 'nginx.conf': conf });
  const report = await detectMtls({ cwd, paths: ['.'] });
  return report.forbidden.map(({ line, evidence, paths }) => ({ line, evidence, paths }));
}

describe('detect: files an mTLS nginx server serves itself answer 403 for an index-less folder', () => {
  it('root and alias in locations (the repro): each named, --check exits 1', async () => {
    const conf = SERVER(
      '    location /statements/ {\n      root /srv/data;\n    }\n' +
        '    location /docs/ {\n      alias /srv/docs/;\n      index index.html;\n    }',
    );
    expect(await forbiddenOf(conf)).toEqual([
      { line: 10, evidence: 'root /srv/data;', paths: ['/statements/'] },
      { line: 13, evidence: 'alias /srv/docs/;', paths: ['/docs/'] },
    ]);
    const cwd = tempProject({ 'nginx.conf': conf });
    const run = await runCliAsync(['detect', '--check', '.'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('try_files $uri =404;');
  });

  it('a server-level root counts where a location (or the server, with none) serves from it', async () => {
    expect(await forbiddenOf(SERVER('    root /srv/www;'))).toEqual([
      { line: 9, evidence: 'root /srv/www;', paths: [] },
    ]);
    expect(
      await forbiddenOf(
        SERVER(
          '    root /srv/www;\n    location /api/ { proxy_pass http://backend; }\n    location /files/ { }',
        ),
      ),
    ).toEqual([{ line: 9, evidence: 'root /srv/www;', paths: [] }]);
  });

  it('not one: proxied or returned locations, autoindex on, try_files without $uri/, error_page 403 remapped, no mTLS', async () => {
    const quiet = [
      SERVER('    root /srv/www;\n    location / { proxy_pass http://backend; }'),
      SERVER('    location /a/ {\n      root /srv/a;\n      proxy_pass http://backend;\n    }'),
      SERVER('    location /a/ {\n      root /srv/a;\n      autoindex on;\n    }'),
      SERVER('    autoindex on;\n    location /a/ { root /srv/a; }'),
      SERVER('    location /a/ {\n      root /srv/a;\n      try_files $uri =404;\n    }'),
      SERVER('    error_page 403 =401 /401.html;\n    location /a/ { alias /srv/a/; }'),
      SERVER('    return 301 https://elsewhere.example$request_uri;\n    root /srv/www;'),
      SERVER('    location /a/ { root /srv/a; }', 'off'),
    ];
    for (const conf of quiet) expect(await forbiddenOf(conf), conf).toEqual([]);
  });

  it('try_files with $uri/ still serves folders: the root is named', async () => {
    expect(
      await forbiddenOf(
        SERVER('    location / {\n      root /srv/spa;\n      try_files $uri $uri/ /index.html;\n    }'),
      ),
    ).toEqual([{ line: 10, evidence: 'root /srv/spa;', paths: ['/'] }]);
  });
});
