import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { noGatewayFacts, readGatewayFacts } from '../detect/forbidden/aws-gateway.js';
import { ScanFile } from '../detect/scan-file.js';

/** An API Gateway gateway response that can remap an authorizer Deny's 403. */
export interface GatewayRemap {
  /** `ACCESS_DENIED` or `DEFAULT_4XX`. */
  type: string;
  /** The status it sets; undefined when none can be read. */
  status: number | undefined;
  /** Relative to the working folder, `/`-separated. */
  file: string;
  line: number;
}

/** Files that may hold a gateway response: infrastructure templates, Terraform, CDK code. */
const PATTERNS = ['**/*.yml', '**/*.yaml', '**/*.json', '**/*.template', '**/*.tf', '**/*.{ts,js,mjs,cjs}'];
const IGNORE = [
  '**/node_modules/**',
  '**/.git/**',
  '**/.aws-sam/**',
  '**/cdk.out/**',
  '**/.serverless/**',
  '**/*.d.ts',
];
const SIGNAL = /GatewayResponse|gateway_response|gateway-responses/;
/** Larger files are no hand-written template (a bundle, a data file). */
const MAX_BYTES = 2_000_000;

/**
 * The ACCESS_DENIED and DEFAULT_4XX gateway responses written under `cwd` (CloudFormation / Serverless
 * `resources.Resources` `AWS::ApiGateway::GatewayResponse`, SAM `GatewayResponses`, Terraform
 * `aws_api_gateway_gateway_response`, CDK `addGatewayResponse`), read by detect's reader (one model for both
 * commands: detect/forbidden/aws-gateway.ts). A file the reader cannot parse is passed over: detect names it.
 */
export async function gatewayRemaps(cwd: string): Promise<GatewayRemap[]> {
  const facts = noGatewayFacts();
  const files = globSync(PATTERNS, { cwd, deep: 8, ignore: IGNORE }).sort();
  for (const relative of files) {
    const absolute = path.join(cwd, relative);
    let text: string;
    try {
      if (statSync(absolute).size > MAX_BYTES) continue;
      text = readFileSync(absolute, 'utf8');
    } catch {
      continue;
    }
    if (!SIGNAL.test(text)) continue;
    try {
      await readGatewayFacts(new ScanFile(absolute, relative, text), facts);
    } catch {
      continue;
    }
  }
  return facts.overrides
    .filter((o) => o.type === 'ACCESS_DENIED' || o.type === 'DEFAULT_4XX')
    .map((o) => ({ type: o.type, status: o.status, file: o.file, line: o.line }));
}
