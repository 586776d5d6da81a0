import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 27, wso2/reference-implementation-nextgenpsd2 (e67a5d7): the Berlin Group toolkit's API Manager
 * deployment.toml asks for client certificates on the gateway's HTTPS passthrough listener (`"SSLVerifyClient" =
 * "optional"`, line 334, read by its MTLSEnforcementExecutor); on 87e166c detect said "No mTLS termination found in 69
 * files" (the Apache marker wants `SSLVerifyClient require`).
 */
describe('detect: WSO2 API Manager / Synapse HTTPS listener', () => {
  it('deployment.toml and axis2.xml forms are named under "Not read" with their line; none and off are not', async () => {
    const cwd = tempProject({
      'apim/deployment.toml':
        '[server]\nhostname = "apim.bank.example"\n\n[transport.passthru_https.listener.parameters]\n"SSLVerifyClient" = "optional"\n',
      'mi/axis2.xml':
        '<axisconfig>\n  <transportReceiver name="https">\n    <parameter name="SSLVerifyClient">require</parameter>\n  </transportReceiver>\n</axisconfig>\n',
      'off/deployment.toml': '[transport.passthru_https.listener.parameters]\n"SSLVerifyClient" = "none"\n',
    });
    const report = await detectMtls({ cwd });
    expect(report.skipped.map((skip) => [skip.file, skip.line, skip.reason.split(' in a form')[0]])).toEqual([
      [
        'apim/deployment.toml',
        5,
        'holds an mTLS server setting at line 5 (`"SSLVerifyClient" = "optional"`, WSO2 API Manager / Synapse HTTPS listener)',
      ],
      [
        'mi/axis2.xml',
        3,
        'holds an mTLS server setting at line 3 (`<parameter name="SSLVerifyClient">require<`, WSO2 API Manager / Synapse HTTPS listener)',
      ],
    ]);
  });

  // Session 31, wso2/docker-open-banking 2.0.0 (d1107036): each API Manager's resources/security/listenerprofiles.xml
  // asks for client certificates in a dynamic SSL profile (`<SSLVerifyClient>optional</SSLVerifyClient>`, line 34,
  // five files); detect named the deployment.toml beside it but passed the profiles over.
  it('a dynamic SSL profile (listenerprofiles.xml) is named with its line; none is not', async () => {
    const cwd = tempProject({
      'am/repository/resources/security/listenerprofiles.xml':
        '<parameter name="customSSLProfiles">\n  <profile>\n    <servers>*:8243</servers>\n' +
        '    <SSLVerifyClient>optional</SSLVerifyClient>\n  </profile>\n</parameter>\n',
      'off/listenerprofiles.xml':
        '<parameter name="customSSLProfiles">\n  <profile>\n    <SSLVerifyClient>none</SSLVerifyClient>\n  </profile>\n</parameter>\n',
    });
    const report = await detectMtls({ cwd });
    expect(report.skipped.map((skip) => [skip.file, skip.line, skip.reason.split(' in a form')[0]])).toEqual([
      [
        'am/repository/resources/security/listenerprofiles.xml',
        4,
        'holds an mTLS server setting at line 4 (`<SSLVerifyClient>optional<`, WSO2 API Manager / Synapse HTTPS listener)',
      ],
    ]);
  });
});
