import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

// Session 32 (adorsys/xs2a): XS2A reads the TPP's eIDAS QWAC from the `tpp-qwac-certificate` header the TLS
// terminator in front of it forwards; the repository read "No mTLS termination found in 4088 files".
describe('detect: code reading the tpp-qwac-certificate header', () => {
  it('names Java code under Not read and reads Node code as a finding', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'src/main/java/RequestProviderService.java':
          'class RequestProviderService {\n  static final String TPP_QWAC_CERTIFICATE_HEADER = "tpp-qwac-certificate";\n}\n',
        'src/app.js':
          "const express = require('express');\nconst app = express();\napp.get('/v1/accounts', (req, res) => {\n  const qwac = req.get('tpp-qwac-certificate');\n  if (!qwac) return res.status(403).end();\n  res.json([]);\n});\n",
      }),
    });
    expect(report.skipped.map((skip) => `${skip.file}:${skip.line}`)).toEqual([
      'src/main/java/RequestProviderService.java:2',
    ]);
    expect(report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.source}`)).toEqual([
      'src/app.js:4 node',
    ]);
  });
});
