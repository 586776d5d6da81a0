import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 26: nginx configuration a shell script or Dockerfile writes line by line, `echo '...' > f` then
 * `echo '...' >> f` (also `printf`, `| tee -a f`, `RUN echo` with `&& \` continuations, separate `RUN` lines). On
 * bb195d3 each echo was read alone: `ssl_verify_client` became a fragment serving every host (`mtls.everywhere:
 * true` proposed, the `server_name` of another echo lost), and a `return 403` / `deny` in a later echo was never
 * read (`detect --check` exit 0). Now the commands appending to one file are read as the file they build.
 */
const SHELL =
  '#!/bin/sh\nCONF=/etc/nginx/conf.d/api.conf\n' +
  "echo 'server {' > $CONF\n" +
  "echo '  listen 443 ssl;' >> $CONF\n" +
  "echo '  server_name api.example.com;' >> $CONF\n" +
  "echo '  ssl_client_certificate /etc/ca.pem;' >> $CONF\n" +
  "echo '  ssl_verify_client on;' >> $CONF\n" +
  "echo '  location /admin { return 403; }' >> $CONF\n" +
  "echo '}' >> $CONF\n" +
  "nginx -g 'daemon off;'\n";

const DOCKERFILE =
  'FROM nginx:1.25\n' +
  "RUN echo 'server {' > /etc/nginx/conf.d/default.conf && \\\n" +
  "    echo '  server_name web.example.com;' >> /etc/nginx/conf.d/default.conf && \\\n" +
  "    echo '  ssl_verify_client optional;' >> /etc/nginx/conf.d/default.conf && \\\n" +
  '    echo "  ssl_client_certificate $CA;" >> /etc/nginx/conf.d/default.conf\n' +
  "RUN echo '  deny 10.0.0.0/8;' >> /etc/nginx/conf.d/default.conf\n" +
  "RUN printf '}\\n' >> /etc/nginx/conf.d/default.conf\n" +
  'RUN echo "server_tokens off;" >> /etc/nginx/nginx.conf\n';

const TEE =
  '#!/bin/bash\n' +
  "echo 'server { server_name t.example.com;' | sudo tee /etc/nginx/sites-enabled/t\n" +
  "echo '  ssl_verify_client on;' | sudo tee -a /etc/nginx/sites-enabled/t\n" +
  "echo '  if ($ssl_client_verify != SUCCESS) { return 403; }' | tee --append /etc/nginx/sites-enabled/t\n" +
  "echo '}' | sudo tee -a /etc/nginx/sites-enabled/t\n";

/** Two files written in turn: each keeps its own lines; `>` starts a file again. */
const TWO =
  '#!/bin/sh\n' +
  "echo 'server { server_name one.example.com;' > /etc/nginx/one.conf\n" +
  "echo 'server { server_name other.example.com; }' > /etc/nginx/other.conf\n" +
  "echo '  ssl_verify_client on; }' >> /etc/nginx/one.conf\n" +
  "echo 'server { server_name fresh.example.com;' > /etc/nginx/one.conf\n" +
  "echo 'location / { return 403; } }' >> /etc/nginx/one.conf\n";

async function read(
  files: Record<string, string>,
): Promise<{ findings: [string, number, string[], string | undefined][]; forbidden: [number, string[]][] }> {
  const report = await detectMtls({ cwd: tempProject(files) });
  return {
    findings: report.findings.map((finding) => [finding.file, finding.line, finding.hosts, finding.note]),
    forbidden: report.forbidden.map((entry) => [entry.line, entry.hosts]),
  };
}

describe('detect: nginx config appended line by line with echo', () => {
  it('a shell script: the host of an earlier echo, the 403 of a later one', async () => {
    expect(await read({ 'setup.sh': SHELL })).toEqual({
      findings: [
        [
          'setup.sh',
          7,
          ['api.example.com'],
          'nginx config in a shell string appended by 7 echo commands, written to $CONF',
        ],
      ],
      forbidden: [[8, ['api.example.com']]],
    });
  });

  it('a Dockerfile: RUN echo with && \\ continuations, later RUN lines, printf; another file ends the run', async () => {
    expect(await read({ Dockerfile: DOCKERFILE })).toEqual({
      findings: [
        [
          'Dockerfile',
          4,
          ['web.example.com'],
          'nginx config in a Dockerfile string appended by 6 echo commands, written to /etc/nginx/conf.d/default.conf',
        ],
      ],
      forbidden: [[6, ['web.example.com']]],
    });
  });

  it('| tee -a (sudo tee, --append)', async () => {
    expect(await read({ 'install.sh': TEE })).toEqual({
      findings: [
        [
          'install.sh',
          3,
          ['t.example.com'],
          'nginx config in a shell string appended by 4 echo commands, written to /etc/nginx/sites-enabled/t',
        ],
      ],
      forbidden: [[4, ['t.example.com']]],
    });
  });

  it('only the echos appending to the same file join; `>` starts it again', async () => {
    const { findings, forbidden } = await read({ 'two.sh': TWO });
    expect(findings.map(([, line, hosts]) => [line, hosts])).toEqual([[4, ['one.example.com']]]);
    expect(forbidden).toEqual([]);
  });
});
