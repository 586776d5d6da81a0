import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 25: nginx text a shell script writes as one word made of several quoted strings joined by an expansion
 * (`'...'${CA}'...'`, `"..."$CA"..."`, `'...'"$(cat x)"'...'`), or as several arguments of one `echo`. On 433619b
 * each quoted part was read alone: the part holding `ssl_verify_client` lost the `server {` and `server_name` of
 * the part before it (read as a fragment serving every host: `mtls.everywhere: true` proposed), and a `return 403`
 * in a later part was never read (no 403 reported, `detect --check` exit 0).
 */
const SINGLE =
  '#!/bin/sh\nCA=/etc/ssl/ca.pem\n' +
  "echo 'server {\n    listen 443 ssl;\n    server_name api.example.com;\n" +
  "    ssl_client_certificate '${CA}';\n    ssl_verify_client on;\n" +
  "    location /admin {\n        return 403;\n    }\n}' > /etc/nginx/conf.d/api.conf\n";

const DOUBLE =
  '#!/bin/sh\n' +
  'echo "server {\n    listen 8443 ssl;\n    server_name b.example.com;\n    ssl_verify_client on;\n' +
  '    ssl_client_certificate "$CA";\n    location /x {\n        return 403;\n    }\n}" > /etc/nginx/conf.d/b.conf\n';

const MIXED =
  '#!/bin/bash\n' +
  "printf '%s' 'server {\n    server_name c.example.com;\n    ssl_verify_client optional;\n" +
  '    if ($ssl_client_verify != SUCCESS) { return 403; }\n' +
  '    ssl_trusted_certificate \'"$(cat /run/ca-path)"\';\n' +
  "    location / { return 403 '\"$MSG\"'; }\n}' > /etc/nginx/conf.d/c.conf\n";

const ECHO =
  '#!/bin/sh\n' +
  'echo \'server { server_name d.example.com; ssl_verify_client on;\' "$EXTRA" \\\n' +
  "  'location /d { return 403; } }' > /etc/nginx/conf.d/d.conf\n";

async function read(
  script: string,
): Promise<{ findings: [number, string[], string | undefined][]; forbidden: [number, string[]][] }> {
  const report = await detectMtls({ cwd: tempProject({ 'setup.sh': script }) });
  return {
    findings: report.findings.map((finding) => [finding.line, finding.hosts, finding.note]),
    forbidden: report.forbidden.map((entry) => [entry.line, entry.hosts]),
  };
}

describe('detect: nginx text a shell script writes as one word of several quoted parts', () => {
  it("'...'${CA}'...': the server's host and its 403 after the expansion", async () => {
    expect(await read(SINGLE)).toEqual({
      findings: [
        [7, ['api.example.com'], 'nginx config in a shell string, written to /etc/nginx/conf.d/api.conf'],
      ],
      forbidden: [[9, ['api.example.com']]],
    });
  });

  it('"..."$CA"...": the 403 in the part after the expansion is read', async () => {
    expect(await read(DOUBLE)).toEqual({
      findings: [
        [5, ['b.example.com'], 'nginx config in a shell string, written to /etc/nginx/conf.d/b.conf'],
      ],
      forbidden: [[8, ['b.example.com']]],
    });
  });

  it("'...'\"$(cmd)\"'...': command substitutions in double quotes between single-quoted parts", async () => {
    expect(await read(MIXED)).toEqual({
      findings: [
        [4, ['c.example.com'], 'nginx config in a shell string, written to /etc/nginx/conf.d/c.conf'],
      ],
      forbidden: [
        [5, ['c.example.com']],
        [7, ['c.example.com']],
      ],
    });
  });

  it('echo with several arguments (joined by a space) and a line continuation', async () => {
    expect(await read(ECHO)).toEqual({
      findings: [
        [2, ['d.example.com'], 'nginx config in a shell string, written to /etc/nginx/conf.d/d.conf'],
      ],
      forbidden: [[3, ['d.example.com']]],
    });
  });

  it('separate commands stay separate strings', async () => {
    const script =
      '#!/bin/sh\n' +
      "echo 'server { server_name e.example.com; ssl_verify_client on; }' > /etc/nginx/conf.d/e.conf; echo 'location / { return 403; }' > /tmp/other\n";
    expect(await read(script)).toEqual({
      findings: [
        [2, ['e.example.com'], 'nginx config in a shell string, written to /etc/nginx/conf.d/e.conf'],
      ],
      forbidden: [],
    });
  });
});
