import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 31 (breaker31 #01): a gateway response that *sets* 403 on a REST API behind an mTLS custom domain, whatever
 * its type, is a 403 API Gateway answers itself. Before, only the types that default to 403 were counted: an
 * AUTHORIZER_FAILURE, UNAUTHORIZED or DEFAULT_4XX mapped to 403 read "(0)" and `--check` passed. Each scenario
 * changes MISSING_AUTHENTICATION_TOKEN and ACCESS_DENIED to 404 / 401 (so no default 403 is left) and lists the
 * entries expected as `TYPE@file:line`, counted by reading the scenario's text.
 */
const SAM_HEAD =
  'Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n' +
  '      StageName: prod\n      Domain:\n        DomainName: api.example.com\n' +
  '        CertificateArn: arn:aws:acm:eu-west-1:1:certificate/x\n' +
  '        MutualTlsAuthentication:\n          TruststoreUri: s3://bucket/truststore.pem\n' +
  '      GatewayResponses:\n        MISSING_AUTHENTICATION_TOKEN: {StatusCode: 404}\n        ACCESS_DENIED: {StatusCode: 401}\n';
const standalone = (name: string, type: string, status: string, api = 'Api'): string =>
  `  ${name}:\n    Type: AWS::ApiGateway::GatewayResponse\n    Properties:\n      ResponseType: ${type}\n` +
  `      StatusCode: ${status}\n      RestApiId: !Ref ${api}\n`;

const TF_HEAD =
  'resource "aws_api_gateway_rest_api" "api" { name = "a" }\n' +
  'resource "aws_api_gateway_domain_name" "d" {\n  domain_name = "tf.example.com"\n' +
  '  regional_certificate_arn = "arn:x"\n  mutual_tls_authentication { truststore_uri = "s3://b/t.pem" }\n}\n' +
  'resource "aws_api_gateway_gateway_response" "m" {\n  rest_api_id = aws_api_gateway_rest_api.api.id\n' +
  '  response_type = "MISSING_AUTHENTICATION_TOKEN"\n  status_code = "404"\n}\n' +
  'resource "aws_api_gateway_gateway_response" "a" {\n  rest_api_id = aws_api_gateway_rest_api.api.id\n' +
  '  response_type = "ACCESS_DENIED"\n  status_code = "401"\n}\n';
const tfResponse = (name: string, type: string, status: string): string =>
  `resource "aws_api_gateway_gateway_response" "${name}" {\n  rest_api_id = aws_api_gateway_rest_api.api.id\n` +
  `  response_type = "${type}"\n  status_code = ${status}\n}\n`;

const CDK_HEAD =
  "import * as apigw from 'aws-cdk-lib/aws-apigateway';\n" +
  "const api = new apigw.RestApi(scope, 'api', { domainName: { domainName: 'cdk.example.com', certificate, mtls: { bucket, key: 'ca.pem' } } });\n" +
  "api.addGatewayResponse('m', { type: apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN, statusCode: '404' });\n" +
  "api.addGatewayResponse('a', { type: apigw.ResponseType.ACCESS_DENIED, statusCode: '401' });\n";

const SCENARIOS: Record<string, { files: Record<string, string>; expected: string[] }> = {
  'CloudFormation AUTHORIZER_FAILURE and DEFAULT_4XX set to 403': {
    files: {
      'template.yaml':
        SAM_HEAD +
        standalone('AuthFailure', 'AUTHORIZER_FAILURE', "'403'") +
        standalone('Default4xx', 'DEFAULT_4XX', '403'),
    },
    expected: ['AUTHORIZER_FAILURE@template.yaml:19', 'DEFAULT_4XX@template.yaml:25'],
  },
  'SAM GatewayResponses DEFAULT_4XX and UNAUTHORIZED set to 403': {
    files: {
      'template.yaml': `${SAM_HEAD}        DEFAULT_4XX: {StatusCode: 403}\n        UNAUTHORIZED:\n          StatusCode: '403'\n`,
    },
    expected: ['DEFAULT_4XX@template.yaml:15', 'UNAUTHORIZED@template.yaml:17'],
  },
  'SAM EXPIRED_TOKEN set to 403 without IAM in the files, and a YAML 1.1 403 (4_03) on THROTTLED': {
    files: {
      'template.yaml': `${SAM_HEAD}        EXPIRED_TOKEN: {StatusCode: 403}\n        THROTTLED:\n          StatusCode: 4_03\n`,
    },
    expected: ['EXPIRED_TOKEN@template.yaml:15', 'THROTTLED@template.yaml:17'],
  },
  'CloudFormation UNAUTHORIZED from a parameter is named; AUTHORIZER_FAILURE 500 is not a 403': {
    files: {
      'template.yaml':
        SAM_HEAD +
        standalone('Unauth', 'UNAUTHORIZED', '!Ref DeniedCode') +
        standalone('AuthFailure', 'AUTHORIZER_FAILURE', "'500'"),
    },
    expected: ['UNAUTHORIZED@template.yaml:19'],
  },
  'a 403 on a REST API that is not behind the mTLS domain': {
    files: {
      'template.yaml':
        SAM_HEAD +
        '  Other:\n    Type: AWS::ApiGateway::RestApi\n    Properties: {Name: other}\n' +
        standalone('OtherAuth', 'AUTHORIZER_FAILURE', "'403'", 'Other'),
    },
    expected: [],
  },
  'Terraform AUTHORIZER_FAILURE "403" and DEFAULT_4XX 403': {
    files: {
      'main.tf':
        TF_HEAD + tfResponse('af', 'AUTHORIZER_FAILURE', '"403"') + tfResponse('d', 'DEFAULT_4XX', '403'),
    },
    expected: ['AUTHORIZER_FAILURE@main.tf:20', 'DEFAULT_4XX@main.tf:25'],
  },
  'CDK addGatewayResponse and new GatewayResponse set to 403': {
    files: {
      'stack.ts':
        CDK_HEAD +
        "api.addGatewayResponse('af', { type: apigw.ResponseType.AUTHORIZER_FAILURE, statusCode: '403' });\n" +
        "new apigw.GatewayResponse(scope, 'gr', {\n  restApi: api,\n  type: apigw.ResponseType.UNAUTHORIZED,\n  statusCode: '403',\n});\n",
    },
    expected: ['AUTHORIZER_FAILURE@stack.ts:5', 'UNAUTHORIZED@stack.ts:9'],
  },
  // The breaker's side note: the SAM API has its own domain; the Terraform domain maps nothing in the files, and
  // the CloudFormation responses are not its own.
  'a CloudFormation template and an unmapped Terraform domain in one tree': {
    files: {
      'template.yaml': SAM_HEAD + standalone('AuthFailure', 'AUTHORIZER_FAILURE', "'403'"),
      'main.tf': TF_HEAD,
    },
    expected: ['AUTHORIZER_FAILURE@template.yaml:19'],
  },
  // The same with the default 403s left on the SAM API: before session 31 they were listed under the Terraform
  // domain too, since an unmapped domain counted every REST API in the files.
  'an unmapped Terraform domain does not take the default 403s of a SAM API with its own domain': {
    files: {
      'template.yaml': SAM_HEAD.replace(/ {6}GatewayResponses:\n.*\n.*\n$/, ''),
      'main.tf': TF_HEAD,
    },
    expected: ['MISSING_AUTHENTICATION_TOKEN@template.yaml:10', 'ACCESS_DENIED@template.yaml:10'],
  },
};

describe('detect: a gateway response that sets 403 on an mTLS REST API, whatever its type', () => {
  for (const [name, { files, expected }] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      const report = await detectMtls({ cwd: tempProject(files) });
      expect(report.findings.length).toBeGreaterThan(0);
      expect(
        report.forbidden.map(
          (entry) => `${/gateway response (\w+)/.exec(entry.evidence)?.[1]}@${entry.file}:${entry.line}`,
        ),
      ).toEqual(expected);
      for (const entry of report.forbidden) {
        // Listed under the domain of its own API.
        const domain = report.findings.find((finding) => finding.file === entry.finding.file);
        expect(domain?.file).toBe(entry.file);
      }
    });
  }

  it('says why: the status it sets, the type default, and a fix in the domain format', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'template.yaml': SAM_HEAD + standalone('AuthFailure', 'AUTHORIZER_FAILURE', "'403'"),
      }),
    });
    expect(report.forbidden).toHaveLength(1);
    const [entry] = report.forbidden;
    expect(entry.evidence).toBe(
      'API Gateway REST API gateway response AUTHORIZER_FAILURE: 403 when a Lambda or Cognito authorizer fails to authenticate the caller',
    );
    expect(entry.note).toBe('it sets 403 itself (the default for AUTHORIZER_FAILURE is 500)');
    expect(entry.fix).toMatch(
      /^GatewayResponses: \{ AUTHORIZER_FAILURE: \{ StatusCode: 401.*its default is 500\)$/,
    );
  });
});
