import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

/**
 * Session 16: an mTLS setting written as a variable or template parameter (`mode = var.alb_mtls_mode`,
 * `client_certificate_enabled = local.x`, `Mode: !Ref MtlsMode`) was read as no setting at all, so a repository
 * that parameterises its mTLS read as clean. Such a setting can still turn mTLS off (`off`, `false`), so it is
 * named with its line (the report then says it is not a clean result), beside the literal settings read as usual.
 */
describe('detect: mTLS settings whose value is an expression', () => {
  it('Terraform variables / locals and a CloudFormation parameter are named with their lines', async () => {
    const report = await detectMtls({ cwd: path.join(REPO_ROOT, 'test/fixtures/detect/unresolved') });
    // The literal passthrough listener is read as usual.
    expect(report.findings.map((f) => [f.file, f.line, f.mode])).toEqual([['alb.tf', 22, 'optional']]);
    expect(report.skipped.map((s) => [s.file, s.line])).toEqual([
      ['alb.tf', 12],
      ['app.tf', 6],
      ['listener.yaml', 15],
    ]);
    expect(report.skipped[0].reason).toBe(
      'sets aws_lb_listener.open_banking mode at line 12 from `${var.alb_mtls_mode}`, which detect cannot ' +
        'evaluate: mTLS unless it is "off"; nothing of it is in the proposal: set mtls.servers or mtls.everywhere ' +
        'by hand if it is on',
    );
    expect(report.skipped[1].reason).toContain('`${local.require_client_certificates}`');
    expect(report.skipped[2].reason).toContain('ALB listener HttpsListener MutualAuthentication.Mode');
  });

  it('Spring placeholders: a default (`${CLIENT_AUTH:need}`) is read with a note, none (`${MTLS_MODE}`) is named', async () => {
    const report = await detectMtls({ cwd: path.join(REPO_ROOT, 'test/fixtures/detect/unresolved-spring') });
    expect(report.findings.map((f) => [f.file, f.line, f.mode, f.note])).toEqual([
      [
        'src/main/resources/application.properties',
        2,
        'required',
        'placeholder `${CLIENT_AUTH:need}`: its default, unless the property or environment variable is set',
      ],
    ]);
    expect(report.skipped.map((s) => [s.file, s.line])).toEqual([['config/application-prod.yml', 4]]);
    expect(report.skipped[0].reason).toContain('from `${MTLS_MODE}`');
  });

  it('Node / Fastify requestCert and a CDK listener mode from a variable are named with their lines', async () => {
    const report = await detectMtls({ cwd: path.join(REPO_ROOT, 'test/fixtures/detect/unresolved-node') });
    expect(report.findings).toEqual([]);
    expect(report.skipped.map((s) => [s.file, s.line, /from `([^`]*)`/.exec(s.reason)?.[1]])).toEqual([
      ['src/fastify.ts', 4, 'requestCert'],
      ['src/server.ts', 5, 'mtls'],
      ['src/stack.ts', 7, 'props.mode'],
    ]);
  });

  it('ARM expressions and Bicep parameters for client certificates are named with their lines', async () => {
    const report = await detectMtls({ cwd: path.join(REPO_ROOT, 'test/fixtures/detect/unresolved-azure') });
    expect(report.findings).toEqual([]);
    expect(report.skipped.map((s) => [s.file, s.line, /from `([^`]*)`/.exec(s.reason)?.[1]])).toEqual([
      ['azuredeploy.json', 14, "[parameters('clientCertEnabled')]"],
      ['main.bicep', 7, 'enableMtls'],
    ]);
  });

  it('Terraform module arguments (terraform-aws-modules alb listeners, apigateway-v2 domains) and dynamic blocks', async () => {
    // Session 16, terraform-aws-modules/terraform-aws-alb 87f1c9c: "No mTLS termination found in 53 files" beside
    // its mutual-auth example (a module argument) and the module's own dynamic block.
    const report = await detectMtls({ cwd: path.join(REPO_ROOT, 'test/fixtures/detect/terraform-modules') });
    expect(report.findings.map((f) => [f.file, f.line, f.mode, f.hosts])).toEqual([
      ['alb.tf', 14, 'required', []],
      ['api.tf', 9, 'required', ['mtls.bank.example']],
    ]);
    expect(report.findings[0].evidence).toBe(
      'module "alb" (terraform-aws-modules/alb/aws): mutual_authentication = {',
    );
    expect(report.skipped.map((s) => [s.file, s.line, /from `([^`]*)`/.exec(s.reason)?.[1]])).toEqual([
      ['alb.tf', 26, 'var.partner_mtls_mode'],
      ['listener.tf', 9, '${mutual_authentication.value.mode}'],
    ]);
    // The module decides its 403s: not checked, never clean.
    expect(report.forbiddenNotChecked).toEqual(['alb.tf:14 aws', 'api.tf:9 aws']);
  });
});
