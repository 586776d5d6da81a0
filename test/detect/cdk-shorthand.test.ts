import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

// Session 29: CDK's own examples write `mtls: { bucket, key }`; the shorthand `bucket` read as no property, so a
// REST API or HTTP API domain with a truststore read "No mTLS termination found" and its authorizer 403s were
// never listed. An `mtls` set from a variable was passed over too.
const REST = `import * as apigw from 'aws-cdk-lib/aws-apigateway';
export function build(scope: any, bucket: any, certificate: any, fn: any) {
  const authorizer = new apigw.TokenAuthorizer(scope, 'Auth', { handler: fn });
  new apigw.RestApi(scope, 'Api', {
    domainName: { domainName: 'api.bank.example', certificate, mtls: { bucket, key: 'truststore.pem' } },
    defaultMethodOptions: { authorizer },
  });
}
`;
const HTTP = `import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
export function build(scope: any, bucket: any, certificate: any, fn: any) {
  const domain = new apigwv2.DomainName(scope, 'Domain', {
    domainName: 'api.bank.example',
    certificate,
    mtls: { bucket, key: 'truststore.pem' },
  });
  new apigwv2.HttpApi(scope, 'Api', {
    defaultDomainMapping: { domainName: domain },
    defaultAuthorizer: new HttpLambdaAuthorizer('Auth', fn),
  });
}
`;
const VARIABLE = `import * as apigw from 'aws-cdk-lib/aws-apigateway';
export function build(scope: any, props: { mtls?: apigw.MTLSConfig }, certificate: any) {
  new apigw.DomainName(scope, 'Domain', { domainName: 'api.bank.example', certificate, mtls: props.mtls });
}
`;

describe('detect: AWS CDK API Gateway domains written with shorthand properties', () => {
  it('REST API: the domain is a finding, its ACCESS_DENIED (authorizer) and MISSING_AUTHENTICATION_TOKEN 403s are listed', async () => {
    const cwd = tempProject({ 'infra/stack.ts': REST });
    const report = await detectMtls({ cwd, paths: [] });
    expect(report.findings.map((f) => [f.file, f.line, f.hosts])).toEqual([
      ['infra/stack.ts', 5, ['api.bank.example']],
    ]);
    expect(report.forbidden.map((entry) => /gateway response (\w+)/.exec(entry.evidence)?.[1])).toEqual([
      'MISSING_AUTHENTICATION_TOKEN',
      'ACCESS_DENIED',
    ]);
  });

  it('HTTP API: the domain is a finding, its truststore 403 (session 36) and its authorizer 403 are listed', async () => {
    const cwd = tempProject({ 'infra/stack.ts': HTTP });
    const report = await detectMtls({ cwd, paths: [] });
    expect(report.findings.map((f) => [f.line, f.hosts])).toEqual([[7, ['api.bank.example']]]);
    expect(report.forbidden.map((entry) => entry.evidence)).toEqual([
      expect.stringContaining('HTTP API mutual TLS') as string,
      expect.stringContaining('HTTP API authorizer') as string,
    ]);
  });

  it('mtls from a variable is named under "Not read" with its line', async () => {
    const cwd = tempProject({ 'infra/stack.ts': VARIABLE });
    const report = await detectMtls({ cwd, paths: [] });
    expect(report.findings).toEqual([]);
    expect(report.skipped).toEqual([
      expect.objectContaining({
        file: 'infra/stack.ts',
        line: 3,
        reason: expect.stringContaining('`props.mtls`') as string,
      }),
    ]);
  });
});

describe('detect: API Gateway domain mTLS in code it does not parse is named', () => {
  const CASES: Record<string, string> = {
    'infra/app.py':
      'from aws_cdk import aws_apigateway as apigw\n\ndef build(scope, bucket, cert):\n    apigw.DomainName(scope, "D", domain_name="api.bank.example", certificate=cert,\n        mtls=apigw.MTLSConfig(bucket=bucket, key="truststore.pem"))\n',
    'infra/Stack.java':
      'class Stack {\n  void build() {\n    DomainName.Builder.create(this, "D")\n      .mtls(MTLSConfig.builder().bucket(bucket).key("t.pem").build()).build();\n  }\n}\n',
    'infra/__main__.py':
      'import pulumi_aws as aws\n\naws.apigateway.DomainName("d", domain_name="api.bank.example",\n    mutual_tls_authentication=aws.apigateway.DomainNameMutualTlsAuthenticationArgs(truststore_uri="s3://b/t.pem"))\n',
  };
  for (const [file, text] of Object.entries(CASES))
    it(file, async () => {
      const cwd = tempProject({ [file]: text });
      const report = await detectMtls({ cwd, paths: [] });
      expect(report.findings).toEqual([]);
      expect(report.skipped).toEqual([
        expect.objectContaining({
          file,
          line: text.split('\n').findIndex((line) => /MTLSConfig|MutualTlsAuthenticationArgs/.test(line)) + 1,
        }),
      ]);
    });
});
