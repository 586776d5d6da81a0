import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 24: each way an API Gateway gateway response can write its status, and the reason detect gives for the
 * 403 it leaves. On 0c33c5f a quoted `'0623'` (a string to every YAML reader: no status) read "it sets no
 * StatusCode", as did `!Ref Code`, Terraform's `"0623"` / `var.code` and the CDK's `'0623'` / a constant; Psych's
 * `4,03` (no YAML 1.1 integer: CloudFormation reads a string) read "it sets 403 itself"; YAML 1.1 spellings of 403
 * did not say how they are written. The 403 is reported in each case, at the line of the status.
 */
const SAM = (status: string | undefined): string =>
  'Transform: AWS::Serverless-2016-10-31\nResources:\n  ClaimsApi:\n    Type: AWS::Serverless::Api\n' +
  '    Properties:\n      StageName: prod\n      GatewayResponses:\n        MISSING_AUTHENTICATION_TOKEN:\n' +
  '          StatusCode: 404\n        ACCESS_DENIED:\n' +
  (status === undefined
    ? '          ResponseParameters: {Headers: {X-A: "\'a\'"}}\n'
    : `          StatusCode: ${status}\n`) +
  '      Domain:\n        DomainName: claims-mtls.insure.example\n' +
  '        CertificateArn: arn:aws:acm:eu-west-1:111111111111:certificate/x\n' +
  '        MutualTlsAuthentication:\n          TruststoreUri: s3://truststore/ca.pem\n';

const YAML11 = '(written X, which YAML 1.1 readers such as CloudFormation read as 403)';
const QUOTED = (written: string, hint: boolean): string =>
  `its status ${written} is a string that is no HTTP status${hint ? ' (without the quotes, YAML 1.1 readers such as CloudFormation read it as 403)' : ''}, so it does not replace the default 403`;

const CASES: [string | undefined, number, string][] = [
  [undefined, 10, 'it sets no StatusCode, so the default 403 stays'],
  ['403', 11, 'it sets 403 itself'],
  ["'403'", 11, 'it sets 403 itself'],
  ['0623', 11, `it sets 403 itself ${YAML11.replace('X', '0623')}`],
  ['4_03', 11, `it sets 403 itself ${YAML11.replace('X', '4_03')}`],
  ['6:43', 11, `it sets 403 itself ${YAML11.replace('X', '6:43')}`],
  ['0x193', 11, `it sets 403 itself ${YAML11.replace('X', '0x193')}`],
  ['0b1_1001_0011', 11, `it sets 403 itself ${YAML11.replace('X', '0b1_1001_0011')}`],
  ["'0623'", 11, QUOTED("'0623'", true)],
  ['"4_03"', 11, QUOTED('"4_03"', true)],
  ["'4030'", 11, QUOTED("'4030'", false)],
  ['!!str 0623', 11, QUOTED('!!str 0623', false)],
  ['4,03', 11, 'its status 4,03 is no HTTP status, so it does not replace the default 403'],
  [
    '!Ref DeniedStatus',
    11,
    'its status !Ref DeniedStatus is not a value detect evaluates, so the default 403 is reported; check what it answers',
  ],
];

async function accessDenied(files: Record<string, string>): Promise<{ line: number; note?: string }[]> {
  const report = await detectMtls({ cwd: tempProject(files) });
  expect(report.findings).toHaveLength(1);
  return report.forbidden
    .filter((entry) => entry.evidence.includes('ACCESS_DENIED'))
    .map((entry) => ({ line: entry.line, note: entry.note }));
}

describe('detect: a gateway response status as written, and the reason its 403 stays', () => {
  for (const [status, line, reason] of CASES) {
    it(`SAM StatusCode: ${status ?? '(none)'}`, async () => {
      expect(await accessDenied({ 'template.yaml': SAM(status) })).toEqual([
        { line, note: `a gateway response for ACCESS_DENIED is written here, but ${reason}` },
      ]);
    });
  }

  it("DEFAULT_4XX written '0623' or 4_03 is named as the gateway response that keeps the 403", async () => {
    const template = (status: string): string =>
      SAM(undefined)
        .replace('        ACCESS_DENIED:\n', '        DEFAULT_4XX:\n')
        .replace(/ {10}ResponseParameters.*\n/, `          StatusCode: ${status}\n`);
    expect(await accessDenied({ 'template.yaml': template("'0623'") })).toEqual([
      { line: 11, note: `a gateway response for DEFAULT_4XX is written here, but ${QUOTED("'0623'", true)}` },
    ]);
    expect(await accessDenied({ 'template.yaml': template('4_03') })).toEqual([
      {
        line: 11,
        note: `a gateway response for DEFAULT_4XX is written here, but it sets 403 itself ${YAML11.replace('X', '4_03')}`,
      },
    ]);
  });

  it('a 404 written plain or quoted changes the type: no 403 reported', async () => {
    expect(await accessDenied({ 'template.yaml': SAM("'404'") })).toEqual([]);
    expect(await accessDenied({ 'template.yaml': SAM('404') })).toEqual([]);
  });

  const TF = (status: string): string =>
    'resource "aws_api_gateway_rest_api" "pay" {\n  name = "pay"\n}\n' +
    'resource "aws_api_gateway_domain_name" "mtls" {\n  domain_name = "pay-mtls.psp.example"\n' +
    '  mutual_tls_authentication {\n    truststore_uri = "s3://truststore/ca.pem"\n  }\n}\n' +
    'resource "aws_api_gateway_gateway_response" "denied" {\n  rest_api_id   = aws_api_gateway_rest_api.pay.id\n' +
    `  response_type = "ACCESS_DENIED"\n  status_code   = ${status}\n}\n`;

  it('Terraform status_code = "0623" and = var.code', async () => {
    expect(await accessDenied({ 'main.tf': TF('"0623"') })).toEqual([
      {
        line: 13,
        note: `a gateway response for ACCESS_DENIED is written here, but ${QUOTED('"0623"', true)}`,
      },
    ]);
    expect(await accessDenied({ 'main.tf': TF('var.denied_status') })).toEqual([
      {
        line: 13,
        note: 'a gateway response for ACCESS_DENIED is written here, but its status "${var.denied_status}" is not a value detect evaluates, so the default 403 is reported; check what it answers',
      },
    ]);
  });

  // Session 35 (newuser35's note): the reason named CloudFormation's key for a Terraform or CDK gateway response.
  it('a gateway response without a status names the key of its own format', async () => {
    const tf = TF('401').replace(/ {2}status_code {3}= 401\n/, '');
    const [terraform] = await accessDenied({ 'main.tf': tf });
    expect(terraform.note).toContain('but it sets no status_code, so the default 403 stays');
    const cdk = CDK('401').replace(/ {2}statusCode: 401,\n/, '');
    const [construct] = await accessDenied({ 'stack.ts': cdk });
    expect(construct.note).toContain('but it sets no statusCode, so the default 403 stays');
  });

  const CDK = (status: string): string =>
    "import * as apigw from 'aws-cdk-lib/aws-apigateway';\nconst api = new apigw.RestApi(this, 'Energy');\n" +
    "new apigw.DomainName(this, 'MtlsDomain', {\n  domainName: 'mtls.energy.example',\n" +
    "  mtls: { bucket: truststore, key: 'truststore.pem' },\n  mapping: api,\n});\n" +
    `api.addGatewayResponse('Denied', {\n  type: apigw.ResponseType.ACCESS_DENIED,\n  statusCode: ${status},\n});\n`;

  it("CDK statusCode: '0623' and a constant", async () => {
    expect(await accessDenied({ 'stack.ts': CDK("'0623'") })).toEqual([
      {
        line: 10,
        note: `a gateway response for ACCESS_DENIED is written here, but ${QUOTED("'0623'", true)}`,
      },
    ]);
    expect(await accessDenied({ 'stack.ts': CDK('DENIED_STATUS') })).toEqual([
      {
        line: 10,
        note: 'a gateway response for ACCESS_DENIED is written here, but its status DENIED_STATUS is not a value detect evaluates, so the default 403 is reported; check what it answers',
      },
    ]);
    expect(await accessDenied({ 'stack.ts': CDK("'401'") })).toEqual([]);
  });
});
