import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectCheck } from '../../src/detect/check.js';
import { formatDetectReport } from '../../src/detect/format.js';
import { detectMtls } from '../../src/detect/index.js';
import { unlistedEntries } from '../../src/detect/unlisted.js';
import { runCliAsync, tempProject } from '../helpers/cli.js';

/**
 * Session 41 (detect41): every kind of configuration detect reads that is broken, or that it cannot see whole, is
 * named under "Not read" with its kind, `unreadable` (`--check` exits 2), and the first line says the result is not
 * clean. Before, each case below read "No mTLS termination found in 1 file." (or listed its finding) with `--check`
 * exit 0: nginx-conf and the line scans read a broken file as far as it went; an `include` of a file not in the tree
 * was not looked at; a CloudFormation, Serverless, ARM, Spring or Helm values file that does not parse was no known
 * kind; a UTF-32 file was named without making the report unclean; a link to a missing file was not listed at all.
 */
const UNCLEAN = (files: number): string =>
  `No mTLS termination found in ${files} file${files === 1 ? '' : 's'}, but 1 file could not be read (under "Not read" below): not a clean result.`;
const ONE_PLACE = '1 place where mTLS is terminated (1 file scanned):';

const cases: {
  name: string;
  files: Record<string, string | Buffer>;
  first: string;
  file: string;
  reason: RegExp;
}[] = [
  {
    name: 'nginx: a server block never closed, with ssl_verify_client (read, and named)',
    files: {
      'nginx.conf':
        'server {\n    listen 443 ssl;\n    server_name api.example.com;\n    ssl_verify_client on;\n' +
        '    location / {\n        proxy_pass http://app;\n}\n',
    },
    first: ONE_PLACE,
    file: 'nginx.conf',
    reason:
      /^cannot parse \(an nginx configuration\): the `\{` at line 1 is never closed \(nginx: "unexpected end of file, expecting \}"\), so nginx refuses to load it .*line 4: `ssl_verify_client on`/,
  },
  {
    name: 'nginx: a server block never closed, no ssl_verify_client',
    files: {
      'conf.d/api.conf':
        'server {\n    listen 443 ssl;\n    server_name api.example.com;\n    location / {\n        return 403;\n}\n',
    },
    first: UNCLEAN(1),
    file: 'conf.d/api.conf',
    reason: /^cannot parse \(an nginx configuration\): the `\{` at line 1 is never closed/,
  },
  {
    name: 'nginx: a stray closing brace',
    files: { 'nginx.conf': 'http {\n  server {\n    listen 443 ssl;\n  }\n}\n}\n' },
    first: UNCLEAN(1),
    file: 'nginx.conf',
    reason: /^cannot parse \(an nginx configuration\): a `\}` at line 6 that closes no block/,
  },
  {
    name: 'nginx: an include in an HTTPS server of a file not in the tree',
    files: {
      'nginx.conf':
        'server {\n    listen 443 ssl;\n    server_name api.example.com;\n    ssl_certificate /etc/ssl/a.pem;\n' +
        '    include snippets/mtls.conf;\n    include mime.types;\n    location / { proxy_pass http://app; }\n}\n',
    },
    first: UNCLEAN(1),
    file: 'nginx.conf',
    reason:
      /^line 5: `include snippets\/mtls\.conf;` in the HTTPS server at line 1, which asks for no client certificate itself: no such file in the scanned tree/,
  },
  {
    name: 'Apache httpd: a <Location> never closed',
    files: {
      'httpd.conf':
        '<VirtualHost *:443>\n    ServerName api.example.com\n    SSLEngine on\n    <Location /admin>\n' +
        '        Require all denied\n</VirtualHost>\n',
    },
    first: UNCLEAN(1),
    file: 'httpd.conf',
    reason:
      /^cannot parse \(an Apache httpd configuration\): `<\/VirtualHost>` at line 6 closes `<Location>` of line 4/,
  },
  {
    name: 'Apache httpd: an Include of a file not in the tree in an SSL virtual host',
    files: {
      'apache/site.conf':
        '<VirtualHost *:443>\n    ServerName api.example.com\n    SSLEngine on\n    Include conf.d/client-auth.conf\n</VirtualHost>\n',
    },
    first: UNCLEAN(1),
    file: 'apache/site.conf',
    reason: /^line 4: `Include conf\.d\/client-auth\.conf` in the <VirtualHost> with SSLEngine on at line 1/,
  },
  {
    name: 'HAProxy: an ACL brace not closed',
    files: {
      'haproxy.cfg':
        'frontend https\n    bind :443 ssl crt /etc/ssl/a.pem\n    http-request deny if !{ ssl_c_used\n    default_backend app\n',
    },
    first: UNCLEAN(1),
    file: 'haproxy.cfg',
    reason:
      /^cannot parse \(an HAProxy configuration\): an ACL brace at line 3 that is not closed on its line/,
  },
  {
    name: 'Caddyfile: a site block whose tls block is never closed',
    files: {
      Caddyfile:
        'api.example.com {\n    tls {\n        client_auth {\n            mode require_and_verify\n' +
        '            trusted_ca_cert_file /etc/ca.pem\n        }\n    reverse_proxy app:80\n}\n',
    },
    first: ONE_PLACE,
    file: 'Caddyfile',
    reason: /^cannot parse \(a Caddyfile\): the `\{` at line 1 is never closed \(caddy: "unexpected EOF"\)/,
  },
  {
    name: 'Caddyfile: an import of neither a snippet nor a file',
    files: {
      Caddyfile:
        '(logging) {\n    log\n}\napi.example.com {\n    import logging\n    import mtls\n    reverse_proxy app:80\n}\n',
    },
    first: UNCLEAN(1),
    file: 'Caddyfile',
    reason: /^line 6: `import mtls` in the Caddyfile, .*whether it turns on tls client_auth/,
  },
  {
    name: 'Terraform: a listener block never closed (no mTLS attribute, so no reader parsed it)',
    files: {
      'main.tf':
        'resource "aws_lb_listener" "https" {\n  port     = 443\n  protocol = "HTTPS"\n  default_action {\n    type = "forward"\n',
    },
    first: UNCLEAN(1),
    file: 'main.tf',
    reason:
      /^cannot parse \(a Terraform configuration\): the `\{` at line 4 is never closed, so Terraform refuses it/,
  },
  {
    name: 'Terraform: a domain with mutual TLS never closed (its reader named it before: named once)',
    files: {
      'main.tf':
        'resource "aws_api_gateway_domain_name" "api" {\n  domain_name = "api.example.com"\n' +
        '  mutual_tls_authentication {\n    truststore_uri = "s3://bucket/truststore.pem"\n  }\n',
    },
    first: UNCLEAN(1),
    file: 'main.tf',
    reason: /^cannot parse: parse config: .*Unclosed configuration block/,
  },
  {
    name: 'Bicep: a resource never closed',
    files: {
      'main.bicep':
        "resource site 'Microsoft.Web/sites@2022-03-01' = {\n  name: 'api'\n  properties: {\n    httpsOnly: true\n",
    },
    first: UNCLEAN(1),
    file: 'main.bicep',
    reason:
      /^cannot parse \(a Bicep template\): the `\{` at line 3 is never closed, so Bicep does not build it/,
  },
  {
    name: 'Traefik TOML: a table header not closed',
    files: { 'dynamic.toml': '[http.routers]\n  [http.routers.api\n    rule = "Host(`api.example.com`)"\n' },
    first: UNCLEAN(1),
    file: 'dynamic.toml',
    reason:
      /^cannot parse \(a Traefik TOML configuration\): a table header at line 2 that is not closed on its line/,
  },
  {
    name: 'CloudFormation YAML that does not parse',
    files: {
      'template.yaml':
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Domain:\n    Type: AWS::ApiGateway::DomainName\n' +
        '    Properties:\n      DomainName: api.example.com\n      SecurityPolicy: [TLS_1_2\n',
    },
    first: UNCLEAN(1),
    file: 'template.yaml',
    reason: /^cannot parse \(an AWS CloudFormation or SAM template\): /,
  },
  {
    name: 'CloudFormation JSON that does not parse',
    files: {
      'template.json':
        '{\n  "Resources": {\n    "Listener": { "Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": { "Port": 443 }\n  }\n',
    },
    first: UNCLEAN(1),
    file: 'template.json',
    reason: /^cannot parse \(an AWS CloudFormation or SAM template\): /,
  },
  {
    name: 'a Serverless Framework configuration that does not parse',
    files: {
      'serverless.yml':
        'service: api\nframeworkVersion: "3"\nprovider:\n  name: aws\n  runtime: nodejs18.x\nfunctions: [a\n',
    },
    first: UNCLEAN(1),
    file: 'serverless.yml',
    reason: /^cannot parse \(a Serverless Framework configuration\): /,
  },
  {
    name: 'an ARM template that does not parse',
    files: {
      'azuredeploy.json':
        '{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",\n  "resources": [\n',
    },
    first: UNCLEAN(1),
    file: 'azuredeploy.json',
    reason: /^cannot parse \(an Azure Resource Manager template\): /,
  },
  {
    name: 'a Spring Boot application.yml that does not parse',
    files: { 'src/main/resources/application.yml': 'server:\n  port: 8443\n  ssl: {enabled: true\n' },
    first: UNCLEAN(1),
    file: 'src/main/resources/application.yml',
    reason: /^cannot parse \(a Spring Boot configuration\): /,
  },
  {
    name: "a Helm chart's values.yaml that does not parse",
    files: {
      'chart/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\n',
      'chart/values.yaml': 'ingress:\n  enabled: true\n  annotations: {a: b\n',
    },
    first: UNCLEAN(2),
    file: 'chart/values.yaml',
    reason: /^cannot parse \(Helm chart values\): /,
  },
  {
    name: 'nginx.conf in UTF-32 (named before, now unclean)',
    files: {
      'nginx.conf': Buffer.concat([
        Buffer.from([0xff, 0xfe, 0, 0]),
        Buffer.from(
          [...'server {\n  ssl_verify_client on;\n}\n'].flatMap((char) => [char.charCodeAt(0), 0, 0, 0]),
        ),
      ]),
    },
    first: UNCLEAN(0),
    file: 'nginx.conf',
    reason: /^UTF-32LE text, byte order mark, which detect does not decode/,
  },
];

describe('detect: a broken text configuration, or one it cannot see whole, is named (session 41)', () => {
  for (const { name, files, first, file, reason } of cases) {
    it(name, async () => {
      const report = await detectMtls({ cwd: tempProject(files) });
      expect(formatDetectReport(report).split('\n')[0]).toBe(first);
      const named = report.skipped.filter((skip) => skip.file === file);
      expect(named, JSON.stringify(report.skipped)).toHaveLength(1);
      expect(named[0].reason).toMatch(reason);
      expect(named[0].unreadable).toBe(true);
      expect(detectCheck(report).exitCode).toBe(2);
    });
  }

  it('a link to a configuration file that does not exist is named (before: not listed, "in 0 files")', async () => {
    const cwd = tempProject({ 'README.md': '# api\n' });
    symlinkSync('/nonexistent/mtls-fix/nginx.conf', path.join(cwd, 'nginx.conf'));
    const report = await detectMtls({ cwd });
    expect(formatDetectReport(report).split('\n')[0]).toBe(UNCLEAN(1));
    expect(report.skipped).toEqual([
      {
        file: 'nginx.conf',
        unreadable: true,
        reason:
          'a link to /nonexistent/mtls-fix/nginx.conf, which does not exist here, so the configuration it stands for is not read',
      },
    ]);
    expect(detectCheck(report).exitCode).toBe(2);
  });

  it('a folder that cannot be listed is named with the reason (EACCES as a user; ENOTDIR here, where tests run as root)', () => {
    const cwd = tempProject({ 'deploy/nginx.conf': 'server {}\n' });
    expect(unlistedEntries(path.join(cwd, 'deploy/nginx.conf'), [], () => true)).toEqual([
      {
        absolute: path.join(cwd, 'deploy/nginx.conf'),
        folder: true,
        reason: 'cannot list the folder (ENOTDIR): none of its files is read',
      },
    ]);
  });

  it('a file that is not UTF-8 is read as Windows-1252, said in the finding (before: caf\uFFFD.example)', async () => {
    const text =
      'server {\n  listen 443 ssl;\n  server_name caf\u00e9.example;\n  ssl_verify_client on;\n}\n';
    const report = await detectMtls({ cwd: tempProject({ 'nginx.conf': Buffer.from(text, 'latin1') }) });
    expect(report.findings.map((finding) => [finding.hosts, finding.note])).toEqual([
      [
        ['caf\u00e9.example'],
        'the file is not UTF-8 (byte 0xe9 at line 3, column 18): read as Windows-1252 (Latin-1); save it as UTF-8 if its names are in another encoding',
      ],
    ]);
  });

  it('whole files of each kind are not named: nginx ${var} and Lua blocks, Caddy placeholders, HCL heredocs and interpolation, Bicep strings, includes found in the tree', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'nginx/nginx.conf':
          'http {\n  server {\n    listen 443 ssl;\n    ssl_certificate /etc/ssl/a.pem;\n    include snippets/mtls.conf;\n' +
          '    include /etc/nginx/snippets/headers.conf;\n    location / {\n      proxy_pass http://${backend};\n' +
          '      content_by_lua_block {\n        -- a comment with a } brace\n        local s = [[ { ]]\n        ngx.say("}")\n      }\n' +
          '    }\n  }\n}\n',
        'nginx/snippets/mtls.conf': 'ssl_verify_client on;\n',
        'deploy/snippets/headers.conf': 'add_header X-Frame-Options DENY;\n',
        Caddyfile:
          'api.example.com {\n    respond "{http.request.host} }" 200\n    header X-Host {host}\n}\n',
        'main.tf':
          'locals {\n  policy = <<EOF\n{ "unclosed": [\nEOF\n  name = "${var.prefix}-{x"\n  map = { for k, v in var.m : k => "${v}}" }\n}\n',
        'main.bicep': "var a = 'x{${b}'\nvar c = '''\n{ unclosed\n'''\nresource s 'x@1' = {\n  name: a\n}\n",
        'httpd.conf':
          '<VirtualHost *:443>\n    SSLEngine on\n    Include conf.d/mime.conf\n    IncludeOptional conf.d/*.conf\n</VirtualHost>\n',
        'conf.d/mime.conf': 'AddType text/plain .txt\n',
        'traefik.toml': '[entryPoints]\n  [entryPoints.web]\n    address = ":80"\n',
        'haproxy.cfg':
          'frontend https\n    bind :443 ssl crt /a.pem\n    http-request deny if !{ ssl_c_used }\n',
      }),
    });
    expect(report.skipped.filter((skip) => skip.unreadable)).toEqual([]);
  });

  it("an mTLS server's include that exists but cannot be read is a 403 not checked (before: passed over)", async () => {
    const utf32 = Buffer.concat([
      Buffer.from([0xff, 0xfe, 0, 0]),
      Buffer.from([...'return 403;\n'].flatMap((char) => [char.charCodeAt(0), 0, 0, 0])),
    ]);
    const report = await detectMtls({
      cwd: tempProject({
        'nginx.conf':
          'server {\n  listen 443 ssl;\n  server_name api.example.com;\n  ssl_verify_client on;\n' +
          '  location / {\n    include deny.conf;\n  }\n}\n',
        'deny.conf': utf32,
      }),
    });
    expect(report.forbiddenNotChecked).toEqual([
      expect.stringMatching(
        /^nginx\.conf:6 nginx \(`include deny\.conf;` in the mTLS server of nginx\.conf:4: deny\.conf could not be read \(UTF-32LE text/,
      ),
    ]);
  });

  it('end to end: --json marks the broken nginx file unreadable and --check exits 2', async () => {
    const cwd = tempProject({ 'nginx.conf': 'server {\n    listen 443 ssl;\n    location / {\n}\n' });
    const run = await runCliAsync(['detect'], { cwd });
    expect(run.stdout.split('\n')[0]).toBe(UNCLEAN(1));
    const json = JSON.parse((await runCliAsync(['detect', '--json'], { cwd })).stdout) as {
      skipped: { file: string; unreadable?: boolean }[];
    };
    expect(json.skipped).toEqual([expect.objectContaining({ file: 'nginx.conf', unreadable: true })]);
    expect((await runCliAsync(['detect', '--check'], { cwd })).code).toBe(2);
  });
});
