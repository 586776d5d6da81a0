import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { noGatewayFacts, readGatewayFacts } from '../detect/forbidden/aws-gateway.js';
import { ScanFile } from '../detect/scan-file.js';
import { asObject, asText, dig } from '../detect/yaml-documents.js';
import { cfnLogicalId } from '../detect/sources/aws.js';
import { readAuthorizerTies, type AuthorizerTie } from './remaps-apis.js';
import { samGlobals } from './remaps-sam-globals.js';

/** An API Gateway gateway response that can remap an authorizer Deny's 403. */
export interface GatewayRemap {
  /** `ACCESS_DENIED` or `DEFAULT_4XX`. */
  type: string;
  /** The status it sets; undefined when none can be read. */
  status: number | undefined;
  /** Relative to the working folder, `/`-separated. */
  file: string;
  line: number;
  /** The REST API it is written for (remaps-apis.ts keys); undefined when its reference cannot be read. */
  api: string | undefined;
}

/** The run's gateway responses and the authorizers tied to their APIs. */
export interface GatewayRemaps {
  responses: GatewayRemap[];
  authorizers: AuthorizerTie[];
}

/** Files that may hold a gateway response or an authorizer: templates, Terraform, CDK code. */
const PATTERNS = ['**/*.yml', '**/*.yaml', '**/*.json', '**/*.template', '**/*.tf', '**/*.{ts,js,mjs,cjs}'];
const IGNORE = [
  '**/node_modules/**',
  '**/.git/**',
  '**/.aws-sam/**',
  '**/cdk.out/**',
  '**/.serverless/**',
  '**/*.d.ts',
];
const SIGNAL = /GatewayResponse|gateway_response|gateway-responses|[Aa]uthorizer/;
/** Larger files are no hand-written template (a bundle, a data file). */
const MAX_BYTES = 2_000_000;

/**
 * The ACCESS_DENIED and DEFAULT_4XX gateway responses written under `cwd` (CloudFormation / Serverless
 * `resources.Resources` `AWS::ApiGateway::GatewayResponse`, SAM `GatewayResponses`, Terraform
 * `aws_api_gateway_gateway_response`, CDK `addGatewayResponse`), read by detect's reader (one model for both
 * commands: detect/forbidden/aws-gateway.ts), each with its REST API; and the Lambda authorizers each API runs
 * (remaps-apis.ts). A file the readers cannot parse is passed over: detect names it.
 */
export async function gatewayRemaps(cwd: string): Promise<GatewayRemaps> {
  const facts = noGatewayFacts();
  const authorizers: AuthorizerTie[] = [];
  // SAM `Globals: Api:` gateway responses (remaps-sam-globals.ts), which detect's reader does not read.
  const globalResponses: GatewayRemap[] = [];
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
    const file = new ScanFile(absolute, relative, text);
    const before = facts.overrides.length;
    try {
      await readGatewayFacts(file, facts);
      await readAuthorizerTies(file, authorizers);
      if (/\.(?:ya?ml|json|template)$/.test(relative)) {
        const globals = samGlobals(file);
        globalResponses.push(...globals.responses);
        authorizers.push(...globals.ties);
      }
    } catch {
      continue;
    }
    serverlessApis(file, facts.overrides.slice(before));
  }
  const responses = facts.overrides
    .filter((o) => o.type === 'ACCESS_DENIED' || o.type === 'DEFAULT_4XX')
    .map((o) => ({ type: o.type, status: o.status, file: o.file, line: o.line, api: o.api }));
  return { responses: [...responses, ...globalResponses], authorizers };
}

/**
 * A serverless.yml's `resources.Resources` gateway response with `RestApiId: { Ref: ApiGatewayRestApi }` is for the
 * service's own REST API, which the file does not define (Serverless generates it): detect's reader leaves its API
 * unread; it is `<file>#ApiGatewayRestApi` here. The file's gateway responses come in the order its resources are
 * written (detect's reader walks them so).
 */
function serverlessApis(
  file: ScanFile,
  overrides: { api?: string; sam?: boolean; statusKey?: string }[],
): void {
  const own = overrides.filter((o) => o.api === undefined && !o.sam && o.statusKey === undefined);
  if (!own.length || !/ApiGatewayRestApi/.test(file.text)) return;
  const refs: (string | undefined)[] = [];
  for (const document of file.yamlDocuments()) {
    if (dig(document.data, 'provider') === undefined) continue;
    const resources = asObject(dig(document.data, 'resources', 'Resources')) ?? {};
    for (const resource of Object.values(resources)) {
      if (asText(dig(resource, 'Type')) !== 'AWS::ApiGateway::GatewayResponse') continue;
      if (!asText(dig(resource, 'Properties', 'ResponseType'))) continue;
      const ref = cfnLogicalId(dig(resource, 'Properties', 'RestApiId'));
      // One that names a resource of the file has its API read by detect already.
      if (ref === undefined || !Object.prototype.hasOwnProperty.call(resources, ref)) refs.push(ref);
    }
  }
  if (refs.length !== own.length) return;
  own.forEach((override, i) => {
    if (refs[i] === 'ApiGatewayRestApi') override.api = `${file.relative}#ApiGatewayRestApi`;
  });
}
