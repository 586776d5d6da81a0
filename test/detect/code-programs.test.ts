import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 36 (carried over): Pulumi and cdk8s programs in TypeScript / JavaScript, and Pulumi / CDKTF / CDK L1 API
 * Gateway domains, are read. Before, an Ingress asking for client certificates in such a program was named under
 * "Not read" only (its 403s unread), and a Pulumi `aws.apigateway.DomainName` with `mutualTlsAuthentication` was
 * not even named when the file held an Ingress too. Each scenario: the files, the findings as
 * `source@file:line`, the 403s as `file:line`, and optionally the start of a fix.
 */
const ANNOTATIONS =
  "      'nginx.ingress.kubernetes.io/auth-tls-verify-client': 'on',\n" +
  "      'nginx.ingress.kubernetes.io/auth-tls-secret': 'default/ca',\n" +
  "      'nginx.ingress.kubernetes.io/whitelist-source-range': '10.0.0.0/8',\n";

const SCENARIOS: Record<
  string,
  { files: Record<string, string>; findings: string[]; forbidden: string[]; fix?: string }
> = {
  'Pulumi k8s.networking.v1.Ingress': {
    files: {
      'index.ts':
        "import * as k8s from '@pulumi/kubernetes';\n" +
        "new k8s.networking.v1.Ingress('pay', {\n  metadata: {\n    annotations: {\n" +
        ANNOTATIONS +
        "    },\n  },\n  spec: { rules: [{ host: 'pay.bank.example' }] },\n});\n",
    },
    findings: ['kubernetes@index.ts:5'],
    forbidden: ['index.ts:7'],
    fix: 'ingress-nginx answers 403 to addresses outside the range',
  },
  'Pulumi in JavaScript (index.js)': {
    files: {
      'index.js':
        "const k8s = require('@pulumi/kubernetes');\n" +
        "new k8s.networking.v1.Ingress('pay', {\n  metadata: {\n    annotations: {\n" +
        ANNOTATIONS +
        "    },\n  },\n  spec: { rules: [{ host: 'pay.bank.example' }] },\n});\n",
    },
    findings: ['kubernetes@index.js:5'],
    forbidden: ['index.js:7'],
  },
  'cdk8s KubeIngress': {
    files: {
      'main.ts':
        "import { Chart } from 'cdk8s';\nimport { KubeIngress } from './imports/k8s';\n" +
        "new KubeIngress(chart, 'ing', {\n  metadata: {\n    annotations: {\n" +
        ANNOTATIONS +
        "    },\n  },\n  spec: { rules: [{ host: 'pay.bank.example' }] },\n});\n",
    },
    findings: ['kubernetes@main.ts:6'],
    forbidden: ['main.ts:8'],
  },
  'cdk8s-plus Ingress (rules at the top of the props)': {
    files: {
      'main.ts':
        "import * as kplus from 'cdk8s-plus-27';\n" +
        "new kplus.Ingress(chart, 'ing', {\n  metadata: {\n    annotations: {\n" +
        ANNOTATIONS +
        "    },\n  },\n  rules: [{ host: 'pay.bank.example', backend }],\n});\n",
    },
    findings: ['kubernetes@main.ts:5'],
    forbidden: ['main.ts:7'],
  },
  'an Ingress whose annotation turns verification off: nothing': {
    files: {
      'index.ts':
        "import * as k8s from '@pulumi/kubernetes';\n" +
        "new k8s.networking.v1.Ingress('pay', {\n  metadata: { annotations: { 'nginx.ingress.kubernetes.io/auth-tls-verify-client': 'off', 'nginx.ingress.kubernetes.io/auth-tls-secret': 'default/ca' } },\n" +
        "  spec: { rules: [{ host: 'pay.bank.example' }] },\n});\n",
    },
    findings: [],
    forbidden: [],
  },
  'Pulumi CustomResource: an Istio Gateway with tls.mode MUTUAL': {
    files: {
      'index.ts':
        "import * as k8s from '@pulumi/kubernetes';\n" +
        "new k8s.apiextensions.CustomResource('gw', {\n  apiVersion: 'networking.istio.io/v1beta1',\n  kind: 'Gateway',\n" +
        "  metadata: { name: 'gw' },\n  spec: {\n    servers: [{\n      port: { number: 443, name: 'https', protocol: 'HTTPS' },\n" +
        "      hosts: ['pay.bank.example'],\n      tls: { mode: 'MUTUAL', credentialName: 'c' },\n    }],\n  },\n});\n",
    },
    findings: ['istio@index.ts:10'],
    forbidden: [],
  },
  'cdk8s Gateway imported from ./imports/networking.istio.io': {
    files: {
      'main.ts':
        "import { Gateway } from './imports/networking.istio.io';\n" +
        "new Gateway(chart, 'gw', {\n  metadata: { name: 'gw' },\n  spec: {\n    servers: [{\n" +
        "      hosts: ['pay.bank.example'],\n      tls: { mode: 'OPTIONAL_MUTUAL' },\n    }],\n  },\n});\n",
    },
    findings: ['istio@main.ts:7'],
    forbidden: [],
  },
  'Pulumi aws.apigateway.DomainName (REST API)': {
    files: {
      'index.ts':
        "import * as aws from '@pulumi/aws';\n" +
        "const domain = new aws.apigateway.DomainName('api', {\n  domainName: 'api.bank.example',\n" +
        '  regionalCertificateArn: cert.arn,\n  mutualTlsAuthentication: { truststoreUri: `s3://${bucket}/ca.pem` },\n});\n',
    },
    findings: ['aws@index.ts:5'],
    forbidden: ['index.ts:5', 'index.ts:5'],
    fix: "new aws.apigateway.Response('access-denied', { restApiId: <your aws.apigateway.RestApi>.id, responseType: 'ACCESS_DENIED', statusCode: '401'",
  },
  'Pulumi REST API with an ACCESS_DENIED response of 401: only MISSING_AUTHENTICATION_TOKEN is left': {
    files: {
      'index.ts':
        "import * as aws from '@pulumi/aws';\n" +
        "const api = new aws.apigateway.RestApi('api', { name: 'api' });\n" +
        "const domain = new aws.apigateway.DomainName('api', {\n  domainName: 'api.bank.example',\n" +
        "  mutualTlsAuthentication: { truststoreUri: 's3://b/ca.pem' },\n});\n" +
        "new aws.apigateway.Response('denied', { restApiId: api.id, responseType: 'ACCESS_DENIED', statusCode: '401' });\n",
    },
    findings: ['aws@index.ts:5'],
    forbidden: ['index.ts:5'],
  },
  'Pulumi aws.apigatewayv2.DomainName (HTTP API): the truststore 403': {
    files: {
      'index.ts':
        "import * as aws from '@pulumi/aws';\n" +
        "new aws.apigatewayv2.DomainName('api', {\n  domainName: 'iot.example.com',\n" +
        "  domainNameConfiguration: { certificateArn: cert.arn, endpointType: 'REGIONAL', securityPolicy: 'TLS_1_2' },\n" +
        "  mutualTlsAuthentication: { truststoreUri: 's3://b/ca.pem' },\n});\n",
    },
    findings: ['aws@index.ts:5'],
    forbidden: ['index.ts:5'],
    fix: 'HTTP APIs cannot give this 403 another status',
  },
  'CDKTF ApiGatewayDomainName': {
    files: {
      'main.ts':
        "import { ApiGatewayDomainName } from '@cdktf/provider-aws/lib/api-gateway-domain-name';\n" +
        "new ApiGatewayDomainName(this, 'd', {\n  domainName: 'api.bank.example',\n" +
        "  mutualTlsAuthentication: { truststoreUri: 's3://b/ca.pem' },\n});\n",
    },
    findings: ['aws@main.ts:4'],
    forbidden: ['main.ts:4', 'main.ts:4'],
    fix: "new ApiGatewayGatewayResponse(this, 'access-denied', {",
  },
  'AWS CDK L1 CfnDomainName': {
    files: {
      'stack.ts':
        "import * as apigateway from 'aws-cdk-lib/aws-apigateway';\n" +
        "new apigateway.CfnDomainName(this, 'd', {\n  domainName: 'api.bank.example',\n" +
        "  mutualTlsAuthentication: { truststoreUri: 's3://b/ca.pem' },\n});\n",
    },
    findings: ['aws@stack.ts:4'],
    forbidden: ['stack.ts:4', 'stack.ts:4'],
    fix: "new apigateway.CfnGatewayResponse(this, 'access-denied', {",
  },
};

describe('detect: Pulumi, cdk8s and CDKTF programs in JavaScript / TypeScript', () => {
  for (const [name, { files, findings, forbidden, fix }] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      const report = await detectMtls({ cwd: tempProject(files) });
      expect(report.findings.map((f) => `${f.source}@${f.file}:${f.line}`)).toEqual(findings);
      expect(report.forbidden.map((entry) => `${entry.file}:${entry.line}`)).toEqual(forbidden);
      expect(report.forbiddenNotChecked).toEqual([]);
      // Nothing read is also named as not read.
      expect(report.skipped.filter((skip) => skip.line !== undefined)).toEqual([]);
      if (fix)
        expect(report.forbidden.map((entry) => entry.fix)).toContainEqual(expect.stringContaining(fix));
    });
  }
});
