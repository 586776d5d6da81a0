import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 20: Terraform writes optional settings as `dynamic "<block>" { for_each = ...; content { ... } }` (public
 * modules do it for API Gateway truststores: `for_each = var.enable_mtls ? [1] : []`). Only the ALB listener's
 * dynamic block was read: an API Gateway custom domain, a Google Cloud server TLS policy, an API Management host
 * name and an Application Gateway SSL profile written that way read "No mTLS termination found".
 */
const DYNAMIC = (block: string, body: string) => `  dynamic "${block}" {
    for_each = var.enable_mtls ? [1] : []
    content {
${body
  .split('\n')
  .map((line) => `      ${line}`)
  .join('\n')}
    }
  }`;

const CASES: [string, string, { source: string; mode: string; hosts: string[]; line: number }[]][] = [
  [
    'API Gateway REST custom domain (aws_api_gateway_domain_name)',
    `resource "aws_api_gateway_domain_name" "api" {
  domain_name              = "mtls.bank.example"
  regional_certificate_arn = var.certificate_arn
${DYNAMIC('mutual_tls_authentication', 'truststore_uri = "s3://bank-truststore/truststore.pem"')}
}
`,
    [{ source: 'aws', mode: 'required', hosts: ['mtls.bank.example'], line: 4 }],
  ],
  [
    'API Gateway HTTP custom domain (aws_apigatewayv2_domain_name)',
    `resource "aws_apigatewayv2_domain_name" "api" {
  domain_name = "tpp.bank.example"
  domain_name_configuration {
    certificate_arn = var.certificate_arn
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }
${DYNAMIC('mutual_tls_authentication', 'truststore_uri = "s3://bank-truststore/truststore.pem"')}
}
`,
    [{ source: 'aws', mode: 'required', hosts: ['tpp.bank.example'], line: 8 }],
  ],
  [
    'Google Cloud server TLS policy',
    `resource "google_network_security_server_tls_policy" "tpp" {
  name       = "tpp-mtls"
  allow_open = false
${DYNAMIC('mtls_policy', 'client_validation_mode = "REJECT_INVALID"\nclient_validation_trust_config = var.trust_config')}
}
`,
    [{ source: 'gcp', mode: 'required', hosts: [], line: 7 }],
  ],
  [
    'Azure API Management host name (dynamic proxy in hostname_configuration)',
    `resource "azurerm_api_management" "apim" {
  name            = "bank-apim"
  sku_name        = "Premium_1"
  publisher_name  = "Bank"
  publisher_email = "api@bank.example"
  hostname_configuration {
${DYNAMIC('proxy', 'host_name = "tpp.bank.example"\nnegotiate_client_certificate = true')
  .split('\n')
  .map((line) => `  ${line}`)
  .join('\n')}
  }
}
`,
    [{ source: 'azure', mode: 'optional', hosts: ['tpp.bank.example'], line: 11 }],
  ],
  [
    'Azure Application Gateway SSL profile and listener written as dynamic blocks',
    `resource "azurerm_application_gateway" "edge" {
  name = "agw-edge"
${DYNAMIC('ssl_profile', 'name = "partner-mtls"\ntrusted_client_certificate_names = ["partner-ca"]')}
${DYNAMIC('http_listener', 'name = "partners"\nprotocol = "Https"\nhost_names = ["partners.bank.example"]\nssl_profile_name = "partner-mtls"')}
}
`,
    [{ source: 'azure', mode: 'required', hosts: ['partners.bank.example'], line: 3 }],
  ],
];

describe('Terraform mTLS settings written as dynamic blocks', () => {
  it.each(CASES)('%s is a finding', async (_, text, expected) => {
    const cwd = tempProject({ 'infra/main.tf': text });
    const report = await detectMtls({ paths: ['.'], cwd });
    expect(report.findings.map(({ source, mode, hosts, line }) => ({ source, mode, hosts, line }))).toEqual(
      expected,
    );
    // Application Gateway findings carry the listener's own note.
    if (!text.includes('azurerm_application_gateway'))
      for (const finding of report.findings) expect(finding.note).toContain('dynamic block (for_each = ');
  });

  it('a block commented out (//, #, /* */) is none, dynamic or not', async () => {
    const body = DYNAMIC('mutual_tls_authentication', 'truststore_uri = "s3://b/t.pem"');
    const cwd = tempProject({
      'slashes/main.tf': `resource "aws_api_gateway_domain_name" "api" {\n  domain_name = "a.example"\n${body.replace(/^/gm, '//')}\n}\n`,
      'hashes/main.tf': `resource "aws_api_gateway_domain_name" "api" {\n  domain_name = "a.example"\n${body.replace(/^/gm, '# ')}\n}\n`,
      'block/main.tf': `resource "aws_api_gateway_domain_name" "api" {\n  domain_name = "a.example"\n  /*\n${body}\n  */\n}\n`,
    });
    const report = await detectMtls({ paths: ['.'], cwd });
    expect(report.findings).toEqual([]);
  });
});
