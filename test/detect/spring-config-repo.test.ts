import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

// Session 32 (OpenBankingToolkit/openbanking-reference-implementation): a Spring Cloud Config repository names
// each file for the application it configures (`rs-api.yml`, `scgw.yml`, `x.properties`); their
// `server.ssl.client-auth: WANT` was never read (only application* / bootstrap* files were), and the run read
// "No mTLS termination" for 18 such files. Any file setting Spring Boot's `server.ssl.client-auth` is read now.
describe('detect: Spring server.ssl.client-auth outside application*.yml', () => {
  it('reads a config repository file (YAML, any relaxed spelling, and properties), with a note', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'config-repo/rs-api.yml':
          'server:\n  hostname: rs.bank\n  ssl:\n    client-auth: WANT\n    enabled: true\n',
        'config-repo/scgw.yml': 'server:\n  ssl:\n    enabled: true\n    clientAuth: NEED\n',
        'config-repo/tpp.properties': 'server.port=8443\nserver.ssl.client-auth=need\n',
        'config-repo/ui.yml': 'server:\n  ssl:\n    enabled: true\n',
        'k8s/other.yml': 'client-auth: want\n',
      }),
    });
    expect(
      report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.source} ${finding.mode}`),
    ).toEqual([
      'config-repo/rs-api.yml:4 spring optional',
      'config-repo/scgw.yml:4 spring required',
      'config-repo/tpp.properties:2 spring required',
    ]);
    for (const finding of report.findings)
      expect(finding.note).toContain('Spring Cloud Config repository file');
  });
});
