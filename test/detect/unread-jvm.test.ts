import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 35 (eclipse-hono/hono `cda9dd30`: `serverOptions.setTrustOptions(trustOptions).setClientAuth(ClientAuth.REQUEST)`
 * in service-base/.../AbstractServiceBase.java read "No mTLS termination found in 1796 files"): JVM servers that
 * ask for a client certificate in their own API or configuration (Vert.x, Netty, Quarkus, Micronaut, Helidon) are
 * named as not read, with their line, like JSSE and Tomcat before them. Spring Boot's `server.ssl.client-auth` is
 * read (a finding, not named); clients and `ClientAuth.NONE` are neither.
 */
const NAMED: Record<string, { text: string; line: number }> = {
  'hono/AbstractServiceBase.java': {
    text:
      'import io.vertx.core.http.ClientAuth;\nclass AbstractServiceBase {\n  void init() {\n' +
      '    serverOptions.setTrustOptions(trustOptions).setClientAuth(ClientAuth.REQUEST);\n  }\n}\n',
    line: 4,
  },
  'vertx/Server.kt': {
    text: 'val options = HttpServerOptions().apply {\n  isSsl = true\n  clientAuth = ClientAuth.REQUIRED\n}\n',
    line: 3,
  },
  'netty/TlsServer.java': {
    text:
      'class TlsServer {\n  SslContext ctx = SslContextBuilder.forServer(cert, key)\n      .trustManager(ca)\n' +
      '      .clientAuth(ClientAuth.REQUIRE)\n      .build();\n}\n',
    line: 4,
  },
  'quarkus/src/main/resources/application.properties': {
    text: 'quarkus.http.ssl-port=8443\nquarkus.http.ssl.client-auth=required\n',
    line: 2,
  },
  'quarkus-yaml/src/main/resources/application.yaml': {
    text: 'quarkus:\n  http:\n    ssl:\n      client-auth: request\n',
    line: 4,
  },
  'micronaut/src/main/resources/application.yml': {
    text: 'micronaut:\n  ssl:\n    enabled: true\n    client-authentication: need\n',
    line: 4,
  },
  'helidon/src/main/resources/application.yaml': {
    text: 'server:\n  port: 8443\n  tls:\n    client-auth: REQUIRE\n',
    line: 4,
  },
  'compose/docker-compose.yml': {
    text: 'services:\n  api:\n    build: .\n    environment:\n      QUARKUS_HTTP_SSL_CLIENT_AUTH: required\n',
    line: 5,
  },
};

const NOT_NAMED: Record<string, string> = {
  'client/Client.java': 'SslContext ctx = SslContextBuilder.forClient().trustManager(ca).build();\n',
  'vertx-plain/Server.java': 'options.setClientAuth(ClientAuth.NONE);\n',
  'commented/application.properties': '# quarkus.http.ssl.client-auth=required\nquarkus.http.port=8080\n',
};

describe('detect names JVM servers that ask for client certificates in a form it does not read', () => {
  for (const [file, { text, line }] of Object.entries(NAMED)) {
    it(file, async () => {
      const report = await detectMtls({ cwd: tempProject({ [file]: text, ...NOT_NAMED }) });
      expect(report.findings).toEqual([]);
      const named = report.skipped.filter((skip) => skip.line !== undefined);
      expect(named.map((skip) => `${skip.file}:${skip.line}`)).toEqual([`${file}:${line}`]);
      expect(named[0].reason).toMatch(/JVM server/);
    });
  }

  it("Spring Boot's server.ssl.client-auth is read as a finding, not named", async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'src/main/resources/application.yml': 'server:\n  ssl:\n    client-auth: need\n',
      }),
    });
    expect(report.findings).toHaveLength(1);
    expect(report.skipped.filter((skip) => skip.line !== undefined)).toEqual([]);
  });
});
