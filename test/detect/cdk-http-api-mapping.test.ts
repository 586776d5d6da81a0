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

const SCENARIOS: Record<string, { stack: string; mapped: boolean; head?: string }> = {
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
  // Review of session 37: the rest of the kind. Options over several lines, `this.` fields, the shorthand
  // `{ domainName }`, and the stage constructs (HttpStage, WebSocketStage) that take a domainMapping.
  'defaultDomainMapping over several lines, shorthand domainName': {
    head: HEAD.replace('const dn =', 'const domainName ='),
    stack:
      "const api = new apigwv2.HttpApi(this, 'Api', {\n  defaultDomainMapping: {\n    domainName,\n  },\n});\n",
    mapped: true,
  },
  'new HttpStage with this. fields over several lines': {
    head: HEAD.replace('const dn =', 'this.dn ='),
    stack:
      "this.api = new apigwv2.HttpApi(this, 'Api');\nnew apigwv2.HttpStage(this, 'S', {\n  httpApi: this.api,\n  stageName: 'v1',\n  domainMapping: {\n    domainName: this.dn,\n  },\n});\n",
    mapped: true,
  },
  'new WebSocketStage with domainMapping': {
    stack:
      "const ws = new apigwv2.WebSocketApi(this, 'Ws');\nnew apigwv2.WebSocketStage(this, 'S', { webSocketApi: ws, stageName: 'dev', domainMapping: { domainName: dn } });\n",
    mapped: true,
  },
  'an HttpApi not mapped in the files': {
    stack: "const api = new apigwv2.HttpApi(this, 'Api');\n",
    mapped: false,
  },
};

describe('detect reads CDK mappings of HTTP APIs to an mTLS domain', () => {
  for (const [name, { stack, mapped, head }] of Object.entries(SCENARIOS))
    it(name, async () => {
      const report = await detectMtls({
        cwd: tempProject({
          'package.json': '{"dependencies":{"aws-cdk-lib":"2.150.0"}}',
          'lib/stack.ts': (head ?? HEAD) + stack,
        }),
      });
      const entries = report.forbidden.filter((e) => /truststore rejects/.test(e.evidence));
      expect(entries).toHaveLength(1);
      expect(entries[0].note?.includes(UNMAPPED)).toBe(!mapped);
    });
});

// Review of session 37: an API Gateway v2 ApiMapping may map a REST API. Pulumi's and CDKTF's name it `apiId: a.id`;
// read as an unknown API, the mapping hid the REST API's own 403s (ACCESS_DENIED, MISSING_AUTHENTICATION_TOKEN)
// under the mTLS domain, which were named before ApiMapping was read.
describe('detect: a REST API mapped by an API Gateway v2 ApiMapping keeps its gateway responses', () => {
  const DOMAIN =
    "const dn = new aws.apigatewayv2.DomainName('d', { domainName: 'api.example.com', mutualTlsAuthentication: { truststoreUri: 's3://b/t.pem' } });\n";
  for (const [name, mapping] of Object.entries({
    'Pulumi apiId: api.id':
      "new aws.apigatewayv2.ApiMapping('m', { apiId: api.id, domainName: dn.domainName, stage: 'prod' });\n",
    'Pulumi over several lines':
      "new aws.apigatewayv2.ApiMapping('m', {\n  apiId: api.id,\n  domainName: dn.id,\n  stage: 'prod',\n});\n",
  }))
    it(name, async () => {
      const report = await detectMtls({
        cwd: tempProject({
          'package.json': '{"dependencies":{"@pulumi/aws":"6.0.0"}}',
          'index.ts': `import * as aws from '@pulumi/aws';\nconst api = new aws.apigateway.RestApi('api', {});\n${DOMAIN}${mapping}`,
        }),
      });
      const types = report.forbidden
        .map((entry) => /gateway response (\w+)/.exec(entry.evidence)?.[1])
        .filter(Boolean);
      expect(types.sort()).toEqual(['ACCESS_DENIED', 'MISSING_AUTHENTICATION_TOKEN']);
    });
});
