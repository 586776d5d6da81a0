import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 36: an API Gateway custom domain with mutual TLS answers 403 when its truststore rejects the client
 * certificate, for HTTP APIs as for REST APIs (AWS Knowledge Center, "api-gateway-mutual-tls-403-errors"), and an
 * HTTP API has no gateway responses to change that status. Before, a domain serving HTTP APIs read as answering no
 * 403 of its own, in every format. Each scenario: the files, and per entry `kind@file:line` (`truststore`: the
 * HTTP API entry; a REST gateway response type otherwise).
 */
const CFN_V2_DOMAIN =
  '  Domain:\n    Type: AWS::ApiGatewayV2::DomainName\n    Properties:\n      DomainName: iot.example.com\n' +
  '      DomainNameConfigurations:\n        - CertificateArn: arn:aws:acm:eu-west-1:1:certificate/x\n' +
  '      MutualTlsAuthentication:\n        TruststoreUri: s3://bucket/truststore.pem\n';

const TF_V2_DOMAIN =
  'resource "aws_apigatewayv2_domain_name" "d" {\n  domain_name = "iot.example.com"\n' +
  '  domain_name_configuration {\n    certificate_arn = "arn:x"\n    endpoint_type = "REGIONAL"\n    security_policy = "TLS_1_2"\n  }\n' +
  '  mutual_tls_authentication {\n    truststore_uri = "s3://b/t.pem"\n  }\n}\n';

const SLS_HEAD = 'service: devices\nplugins:\n  - serverless-domain-manager\n';

const SCENARIOS: Record<string, { files: Record<string, string>; expected: string[] }> = {
  'CloudFormation ApiGatewayV2 domain mapping an HTTP API': {
    files: {
      'template.yaml':
        `Resources:\n${CFN_V2_DOMAIN}` +
        '  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties: {Name: a, ProtocolType: HTTP}\n' +
        '  Mapping:\n    Type: AWS::ApiGatewayV2::ApiMapping\n    Properties: {DomainName: !Ref Domain, ApiId: !Ref Api, Stage: $default}\n',
    },
    expected: ['truststore@template.yaml:8'],
  },
  'CloudFormation ApiGatewayV2 domain, no API in the files': {
    files: { 'template.yaml': `Resources:\n${CFN_V2_DOMAIN}` },
    expected: ['truststore@template.yaml:8'],
  },
  'CloudFormation ApiGatewayV2 domain mapping only a REST API: ACCESS_DENIED, no HTTP entry': {
    files: {
      'template.yaml':
        `Resources:\n${CFN_V2_DOMAIN}` +
        '  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties: {Name: a}\n' +
        '  Mapping:\n    Type: AWS::ApiGatewayV2::ApiMapping\n    Properties: {DomainName: !Ref Domain, ApiId: !Ref Api, Stage: prod}\n',
    },
    expected: ['MISSING_AUTHENTICATION_TOKEN@template.yaml:8', 'ACCESS_DENIED@template.yaml:8'],
  },
  'CloudFormation ApiGatewayV2 domain mapping a REST API and an HTTP API: both': {
    files: {
      'template.yaml':
        `Resources:\n${CFN_V2_DOMAIN}` +
        '  Rest:\n    Type: AWS::ApiGateway::RestApi\n    Properties: {Name: a}\n' +
        '  Http:\n    Type: AWS::ApiGatewayV2::Api\n    Properties: {Name: b, ProtocolType: HTTP}\n' +
        '  M1:\n    Type: AWS::ApiGatewayV2::ApiMapping\n    Properties: {DomainName: !Ref Domain, ApiId: !Ref Rest, Stage: prod, ApiMappingKey: v1}\n' +
        '  M2:\n    Type: AWS::ApiGatewayV2::ApiMapping\n    Properties: {DomainName: !Ref Domain, ApiId: !Ref Http, Stage: $default, ApiMappingKey: v2}\n',
    },
    expected: [
      'truststore@template.yaml:8',
      'MISSING_AUTHENTICATION_TOKEN@template.yaml:8',
      'ACCESS_DENIED@template.yaml:8',
    ],
  },
  'SAM AWS::Serverless::HttpApi with a Domain': {
    files: {
      'template.yaml':
        'Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n' +
        '      Domain:\n        DomainName: iot.example.com\n        CertificateArn: arn:x\n' +
        '        MutualTlsAuthentication:\n          TruststoreUri: s3://bucket/truststore.pem\n',
    },
    expected: ['truststore@template.yaml:9'],
  },
  'Terraform aws_apigatewayv2_domain_name mapped to an aws_apigatewayv2_api': {
    files: {
      'main.tf':
        TF_V2_DOMAIN +
        'resource "aws_apigatewayv2_api" "api" {\n  name = "a"\n  protocol_type = "HTTP"\n}\n' +
        'resource "aws_apigatewayv2_api_mapping" "m" {\n  api_id = aws_apigatewayv2_api.api.id\n' +
        '  domain_name = aws_apigatewayv2_domain_name.d.id\n  stage = "$default"\n}\n',
    },
    expected: ['truststore@main.tf:8'],
  },
  'CDK apigatewayv2 DomainName used by an HttpApi': {
    files: {
      'stack.ts':
        "import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';\n" +
        "const domain = new apigwv2.DomainName(scope, 'D', { domainName: 'iot.example.com', certificate, mtls: { bucket, key: 'ca.pem' } });\n" +
        "new apigwv2.HttpApi(scope, 'Api', { defaultDomainMapping: { domainName: domain } });\n",
    },
    expected: ['truststore@stack.ts:2'],
  },
  'serverless-domain-manager apiType: http': {
    files: {
      'serverless.yml':
        SLS_HEAD +
        'provider:\n  name: aws\ncustom:\n  customDomain:\n    domainName: iot.example.com\n    apiType: http\n' +
        '    tlsTruststoreUri: s3://b/t.pem\nfunctions:\n  f:\n    handler: h.f\n    events:\n      - httpApi: {path: /a, method: get}\n',
    },
    expected: ['truststore@serverless.yml:10'],
  },
  'serverless-domain-manager customDomains with an http: entry': {
    files: {
      'serverless.yml':
        SLS_HEAD +
        'provider:\n  name: aws\ncustom:\n  customDomains:\n    - http:\n        domainName: iot.example.com\n' +
        '        tlsTruststoreUri: s3://b/t.pem\n',
    },
    expected: ['truststore@serverless.yml:10'],
  },
  'serverless-domain-manager apiType: websocket (no mTLS on WebSocket APIs): no 403 claimed': {
    files: {
      'serverless.yml':
        SLS_HEAD +
        'provider:\n  name: aws\ncustom:\n  customDomain:\n    domainName: ws.example.com\n    apiType: websocket\n' +
        '    tlsTruststoreUri: s3://b/t.pem\n',
    },
    expected: [],
  },
};

/** The kind of a forbidden entry's evidence. */
function kind(evidence: string): string | undefined {
  if (evidence.startsWith('API Gateway HTTP API mutual TLS')) return 'truststore';
  return /gateway response (\w+)/.exec(evidence)?.[1];
}

describe('detect: an HTTP API behind an mTLS custom domain answers 403 when the truststore rejects', () => {
  for (const [name, { files, expected }] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      const report = await detectMtls({ cwd: tempProject(files) });
      expect(report.findings).toHaveLength(1);
      expect(report.forbidden.map((entry) => `${kind(entry.evidence)}@${entry.file}:${entry.line}`)).toEqual(
        expected,
      );
      for (const entry of report.forbidden.filter((e) => kind(e.evidence) === 'truststore'))
        expect(entry.fix).toMatch(/^HTTP APIs cannot give this 403 another status/);
    });
  }
});

/**
 * Session 36: a Serverless Framework file is told by its shape, not by `service` and `provider` both being there: a
 * `serverless.yml` whose `provider` sits in an included file, or whose `resources` is a list of entries (each with
 * `Resources`, merged by the framework), read "No mTLS termination found in 1 file". Each scenario: the files and the
 * findings as `file:line`.
 */
const SERVERLESS_SHAPES: Record<string, { files: Record<string, string>; expected: string[] }> = {
  'no provider: functions, custom and resources only': {
    files: {
      'serverless.yml':
        'service: pay\nfunctions:\n  f:\n    handler: h.f\ncustom:\n  customDomain:\n    domainName: api.bank.example\n' +
        '    tlsTruststoreUri: s3://b/t.pem\nresources:\n  Resources:\n    Domain:\n      Type: AWS::ApiGateway::DomainName\n' +
        '      Properties:\n        DomainName: mtls.bank.example\n        MutualTlsAuthentication: {TruststoreUri: s3://b/t.pem}\n',
    },
    expected: ['serverless.yml:8', 'serverless.yml:15'],
  },
  'no service and no provider: resources only': {
    files: {
      'serverless.yml':
        'functions:\n  f:\n    handler: h.f\nresources:\n  Resources:\n    Domain:\n      Type: AWS::ApiGateway::DomainName\n' +
        '      Properties:\n        DomainName: mtls.bank.example\n        MutualTlsAuthentication: {TruststoreUri: s3://b/t.pem}\n',
    },
    expected: ['serverless.yml:10'],
  },
  'resources as a list of entries, the domain in the second': {
    files: {
      'serverless.yml':
        'service: pay\nprovider:\n  name: aws\nresources:\n  - Outputs:\n      X: {Value: x}\n  - Resources:\n      Domain:\n' +
        '        Type: AWS::ApiGatewayV2::DomainName\n        Properties:\n          DomainName: mtls.bank.example\n' +
        '          MutualTlsAuthentication: {TruststoreUri: s3://b/t.pem}\n',
    },
    expected: ['serverless.yml:12'],
  },
};

describe('detect: Serverless Framework files of every shape', () => {
  for (const [name, { files, expected }] of Object.entries(SERVERLESS_SHAPES)) {
    it(name, async () => {
      const report = await detectMtls({ cwd: tempProject(files) });
      expect(report.findings.map((f) => `${f.file}:${f.line}`)).toEqual(expected);
      // Every 403 of the REST domains is placed under resources.Resources in the fix.
      for (const entry of report.forbidden.filter((e) => /gateway response/.test(e.evidence)))
        expect(entry.fix).toMatch(/under resources\.Resources|HTTP APIs cannot/);
    });
  }
});
