import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

// breaker37 (next-forge's CDK): an aws-apigatewayv2 HttpApi mapped to the mTLS domain by `defaultDomainMapping`
// was read as unmapped, and the truststore entry's note said "the files map no API to the domain". The CDK mappings
// of HTTP APIs (`defaultDomainMapping`, `new ApiMapping({ api, domainName })`, `api.addStage(…, { domainMapping })`)
// are now read; a REST API given to ApiMapping stays a REST API (its gateway responses apply).
const HEAD =
  "import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';\nimport * as s3 from 'aws-cdk-lib/aws-s3';\n" +
  "const bucket = new s3.Bucket(this, 'Trust');\n" +
  "const dn = new apigwv2.DomainName(this, 'Domain', {\n  domainName: 'api.bank.example',\n  certificate: cert,\n" +
  "  mtls: { bucket, key: 'truststore.pem' },\n});\n";
const UNMAPPED = 'the files map no API to the domain';

const SCENARIOS: Record<string, { stack: string; mapped: boolean }> = {
  defaultDomainMapping: {
    stack: "const api = new apigwv2.HttpApi(this, 'Api', { defaultDomainMapping: { domainName: dn } });\n",
    mapped: true,
  },
  ApiMapping: {
    stack:
      "const api = new apigwv2.HttpApi(this, 'Api');\nnew apigwv2.ApiMapping(this, 'M', { api, domainName: dn });\n",
    mapped: true,
  },
  'addStage domainMapping': {
    stack:
      "const api = new apigwv2.HttpApi(this, 'Api');\napi.addStage('s', { stageName: 'v1', domainMapping: { domainName: dn } });\n",
    mapped: true,
  },
  'an HttpApi not mapped in the files': {
    stack: "const api = new apigwv2.HttpApi(this, 'Api');\n",
    mapped: false,
  },
};

describe('detect reads CDK mappings of HTTP APIs to an mTLS domain', () => {
  for (const [name, { stack, mapped }] of Object.entries(SCENARIOS))
    it(name, async () => {
      const report = await detectMtls({
        cwd: tempProject({
          'package.json': '{"dependencies":{"aws-cdk-lib":"2.150.0"}}',
          'lib/stack.ts': HEAD + stack,
        }),
      });
      const entries = report.forbidden.filter((e) => /truststore rejects/.test(e.evidence));
      expect(entries).toHaveLength(1);
      expect(entries[0].note?.includes(UNMAPPED)).toBe(!mapped);
    });
});
