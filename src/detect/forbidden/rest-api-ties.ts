import type { ScanFile } from '../scan-file.js';
import type { DetectFinding } from '../types.js';
import { asObject, asText, dig } from '../yaml-documents.js';
import { cfnLogicalId, cfnResources } from '../sources/aws.js';
import { closingParen } from '../text.js';

/**
 * Which Amazon API Gateway REST APIs the scanned files define, and which custom domain maps which of them, so a
 * gateway response is counted only for the API it is written for (a project with two REST APIs that changes
 * ACCESS_DENIED on one only still has the 403 on the other).
 *
 * Keys name an API or a domain the way its format scopes names: `<file>#<logical id>` for CloudFormation, SAM and
 * Serverless `resources` (logical ids are per template), `<file>#<variable>` for CDK (variables are per file),
 * `terraform:<name>` for Terraform (resource names are per module, and a module spans files), `host:<name>` for
 * a domain given by its host name.
 */
export interface RestApiTies {
  /** Keys of the REST APIs the files define. */
  apis: Set<string>;
  /** Base path mappings and API mappings: a domain key and the key of the API it maps (REST or not). */
  mappings: { domain: string; api: string }[];
  /** Domains that belong to a REST API (SAM `Domain`): domain key -> API key. */
  own: Map<string, string>;
}

/** Empty ties, filled file by file with {@link readRestApiTies}. */
export function noRestApiTies(): RestApiTies {
  return { apis: new Set(), mappings: [], own: new Map() };
}

/** A file that may define a REST API or map one to a domain (cheap test before parsing). */
const TIE_SIGNAL =
  /AWS::ApiGateway::RestApi\b|AWS::Serverless::Api\b|BasePathMapping|ApiMapping|[dD]omainMapping\b|aws_api_gateway_rest_api\b|aws_api_gateway_base_path_mapping\b|aws_apigatewayv2_api_mapping\b|\b(?:RestApi|LambdaRestApi|SpecRestApi)\s*\(/;

/** CloudFormation resource types that are REST APIs. */
const CFN_REST_APIS = new Set(['AWS::ApiGateway::RestApi', 'AWS::Serverless::Api']);
/** CloudFormation mappings: type -> [domain property, API property]. */
const CFN_MAPPINGS: Record<string, [string, string]> = {
  'AWS::ApiGateway::BasePathMapping': ['DomainName', 'RestApiId'],
  'AWS::ApiGateway::BasePathMappingV2': ['DomainNameArn', 'RestApiId'],
  'AWS::ApiGatewayV2::ApiMapping': ['DomainName', 'ApiId'],
};

/**
 * Adds what `file` defines and maps to `ties`: CloudFormation / SAM / Serverless `Resources` (REST APIs,
 * `BasePathMapping`, `BasePathMappingV2`, `ApiGatewayV2::ApiMapping`, a SAM API's own `Domain`), Terraform
 * (`aws_api_gateway_rest_api`, `aws_api_gateway_base_path_mapping`, `aws_apigatewayv2_api_mapping`) and CDK
 * (`new RestApi` / `LambdaRestApi` / `SpecRestApi` assigned to a variable, `mapping:`, `addBasePathMapping`,
 * `new BasePathMapping`, `addDomainName`, a `domainName` option of the API). Throws the YAML or HCL parser's error
 * for a file it cannot parse.
 */
export async function readRestApiTies(file: ScanFile, ties: RestApiTies): Promise<void> {
  if (!TIE_SIGNAL.test(file.text)) return;
  const name = file.baseName;
  if (/\.(ya?ml|json)$/.test(name)) readCloudFormation(file, ties);
  else if (name.endsWith('.tf')) await readTerraformTies(file, ties);
  else if (/\.[cm]?[jt]s$/.test(name) && !name.endsWith('.d.ts')) readCdk(file, ties);
}

/**
 * The REST APIs behind the mTLS domain `finding`: `known` when the files map APIs to it (its mappings, or the
 * API it belongs to), and then `apis` holds only the REST APIs among them (an `ApiGatewayV2` domain may map HTTP
 * APIs only: then none) and `others` counts the mapped APIs that are not REST APIs the files define (HTTP APIs);
 * otherwise every REST API the files define and tie to no domain (empty: none such), and `others` is 0.
 */
export function apisBehind(
  finding: DetectFinding,
  file: ScanFile,
  ties: RestApiTies,
): { known: boolean; apis: string[]; others: number } {
  const keys = domainKeys(finding);
  if (finding.reader === 'typescript') {
    const cdk = cdkDomain(finding, file);
    const api = cdkApiKey(file, cdk.api);
    if (api) return { known: true, apis: [api], others: 0 };
    if (cdk.key) keys.push(cdk.key);
  }
  const own = keys.map((key) => ties.own.get(key)).find((api) => api !== undefined);
  if (own) return { known: true, apis: [own], others: 0 };
  const mapped = ties.mappings
    .filter((mapping) => keys.includes(mapping.domain))
    .map((mapping) => mapping.api);
  // A mapped API the files define as something else (an HTTP API) is dropped; a Terraform REST API reference is
  // kept even when its resource is in a file not scanned.
  const all = [...new Set(mapped)];
  const rest = all.filter((api) => ties.apis.has(api) || api.startsWith('terraform:'));
  if (mapped.length) return { known: true, apis: rest, others: all.length - rest.length };
  // Not mapped in the files: every REST API they define, except those they tie to another domain (a SAM API's own
  // `Domain`, a mapping to another domain). Before session 31 those counted too: a CloudFormation API's gateway
  // responses were listed under an unmapped Terraform domain (breaker31 #01).
  const elsewhere = tiedElsewhere(ties);
  return { known: false, apis: [...ties.apis].filter((api) => !elsewhere.has(api)), others: 0 };
}

/** The APIs the files tie to a domain: a SAM API's own `Domain`, or a base path / API mapping. */
export function tiedElsewhere(ties: RestApiTies): Set<string> {
  return new Set([
    ...ties.own.values(),
    ...ties.mappings.filter((mapping) => !unresolvedDomain(mapping.domain)).map((mapping) => mapping.api),
  ]);
}

/**
 * Whether a mapping's domain key names no domain detect can tell apart: a `host:` key that is no host name (a
 * Terraform module input `var.domain` or `${var.domain}`, a CloudFormation parameter `!Ref DomainParam`). Such a
 * mapping may be to the mTLS domain itself, so its API is not tied elsewhere. Before session 35 it was, and NHS
 * NRLF's REST API (mapped in its module with `domain_name = var.domain`) had its gateway responses left out under
 * the mTLS domain: an ACCESS_DENIED written there without a status was not named, and its fix proposed a second one.
 */
function unresolvedDomain(key: string): boolean {
  return key.startsWith('host:') && !/^host:(?:\*\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/.test(key);
}

/**
 * The key of the REST API a gateway response is written for, when its reference can be read: a CloudFormation
 * `RestApiId` naming a resource of the same template, a Terraform `aws_api_gateway_rest_api.<name>` reference,
 * a CDK variable the file assigns a REST API to. Undefined otherwise (an imported id, a variable input).
 */
export function cloudFormationApiKey(
  file: ScanFile,
  value: unknown,
  resources: Record<string, unknown>,
): string | undefined {
  const name = cfnLogicalId(value);
  return name !== undefined && Object.prototype.hasOwnProperty.call(resources, name)
    ? `${file.relative}#${name}`
    : undefined;
}

/** `terraform:<name>` for an expression that reads `aws_api_gateway_rest_api.<name>` (any attribute), else undefined. */
export function terraformApiKey(value: unknown): string | undefined {
  const text = asText(value);
  const match = text === undefined ? null : /\baws_api_gateway_rest_api\.([\w-]+)/.exec(text);
  return match ? `terraform:${match[1]}` : undefined;
}

/** `<file>#<variable>` for a CDK variable (or `this.` field) the file assigns a REST API to, else undefined. */
export function cdkApiKey(file: ScanFile, variable: string | undefined): string | undefined {
  if (!variable) return undefined;
  return cdkRestApis(file.text).has(variable) ? `${file.relative}#${variable}` : undefined;
}

/** The keys a domain finding answers to: its resource (from the evidence `<type> <name>:`) and its host names. */
function domainKeys(finding: DetectFinding): string[] {
  const keys = finding.hosts.map((host) => `host:${host}`);
  const cloudFormation = /^AWS::[\w:]+ ([A-Za-z0-9]+):/.exec(finding.evidence);
  if (cloudFormation) keys.push(`${finding.file}#${cloudFormation[1]}`);
  const terraform = /^resource "[\w-]+" "([\w-]+)"/.exec(finding.evidence);
  if (terraform) keys.push(`terraform:${terraform[1]}`);
  return keys;
}

function readCloudFormation(file: ScanFile, ties: RestApiTies): void {
  for (const document of file.yamlDocuments()) {
    const { resources } = cfnResources(document.data);
    for (const [name, resource] of Object.entries(resources)) {
      const type = asText(dig(resource, 'Type')) ?? '';
      const key = `${file.relative}#${name}`;
      if (CFN_REST_APIS.has(type)) ties.apis.add(key);
      if (type === 'AWS::Serverless::Api' && dig(resource, 'Properties', 'Domain') !== undefined)
        ties.own.set(key, key);
      const mapping = CFN_MAPPINGS[type];
      if (!mapping) continue;
      const domain = dig(resource, 'Properties', mapping[0]);
      const api = cloudFormationApiKey(file, dig(resource, 'Properties', mapping[1]), resources);
      const domainName = cfnLogicalId(domain);
      if (!api || domainName === undefined) continue;
      ties.mappings.push({
        domain: Object.prototype.hasOwnProperty.call(resources, domainName)
          ? `${file.relative}#${domainName}`
          : `host:${asText(domain) ?? domainName}`,
        api,
      });
    }
  }
}

async function readTerraformTies(file: ScanFile, ties: RestApiTies): Promise<void> {
  for (const match of file.text.matchAll(/resource\s+"aws_api_gateway_rest_api"\s+"([\w-]+)"/g))
    ties.apis.add(`terraform:${match[1]}`);
  if (!/aws_api_gateway_base_path_mapping|aws_apigatewayv2_api_mapping/.test(file.text)) return;
  const { parse } = await import('@cdktf/hcl2json');
  const parsed = (await parse(file.relative, file.text)) as Record<string, unknown>;
  for (const type of ['aws_api_gateway_base_path_mapping', 'aws_apigatewayv2_api_mapping']) {
    const byName = asObject(dig(parsed, 'resource', type)) ?? {};
    for (const blocks of Object.values(byName)) {
      for (const block of Array.isArray(blocks) ? blocks : [blocks]) {
        const api = terraformApiKey(dig(block, 'api_id')) ?? terraformApiOther(dig(block, 'api_id'));
        const domain = asText(dig(block, 'domain_name'));
        if (!api || domain === undefined) continue;
        const resource = /\baws_(?:api_gateway|apigatewayv2)_domain_name\.([\w-]+)/.exec(domain);
        ties.mappings.push({ domain: resource ? `terraform:${resource[1]}` : `host:${domain}`, api });
      }
    }
  }
}

/** A Terraform API reference that is not a REST API (`aws_apigatewayv2_api.<name>`): mapped, but no REST API. */
function terraformApiOther(value: unknown): string | undefined {
  const match = /\baws_apigatewayv2_api\.([\w-]+)/.exec(asText(value) ?? '');
  return match ? `terraform-http:${match[1]}` : undefined;
}

/**
 * REST API constructs in code: CDK `new apigateway.RestApi(`, `new LambdaRestApi(`, `new SpecRestApi(`; Pulumi
 * `new aws.apigateway.RestApi(`; CDKTF `new ApiGatewayRestApi(`.
 */
const CDK_REST_API = String.raw`new\s+(?:[\w$]+\.)*(?:RestApi|LambdaRestApi|SpecRestApi|ApiGatewayRestApi)\s*\(`;

/** The variables (and `this.` fields) a file assigns a CDK REST API to. */
function cdkRestApis(text: string): Set<string> {
  const out = new Set<string>();
  const assigned = new RegExp(
    String.raw`(?:\b(?:const|let|var)\s+|\bthis\.)([\w$]+)\s*(?::[^=]+)?=\s*${CDK_REST_API}`,
    'g',
  );
  for (const match of text.matchAll(assigned)) out.add(match[1]);
  return out;
}

function readCdk(file: ScanFile, ties: RestApiTies): void {
  const apis = cdkRestApis(file.text);
  for (const variable of apis) ties.apis.add(`${file.relative}#${variable}`);
  const key = (variable: string | undefined): string | undefined =>
    variable !== undefined && apis.has(variable) ? `${file.relative}#${variable}` : undefined;
  // domain.addBasePathMapping(api, …)
  for (const match of file.text.matchAll(
    /\b(?:this\.)?([\w$]+)\s*\.\s*addBasePathMapping\s*\(\s*(?:this\.)?([\w$]+)/g,
  )) {
    const api = key(match[2]);
    if (api) ties.mappings.push({ domain: `${file.relative}#${match[1]}`, api });
  }
  // new DomainName(…, { mapping: api }) and new BasePathMapping(…, { domainName: d, restApi: api })
  // Pulumi `new aws.apigateway.BasePathMapping(name, { restApi: api.id, domainName: domain.domainName })`, CDKTF
  // `new ApiGatewayBasePathMapping(this, id, { apiId: api.id, domainName: domain.domainName })`.
  for (const call of cdkCalls(
    file.text,
    /new\s+(?:[\w$]+\.)*((?:ApiGateway)?(?:DomainName|BasePathMapping))\s*\(/g,
  )) {
    const api = key(/\b(?:mapping|restApi|apiId)\s*:\s*(?:this\.)?([\w$]+)/.exec(call.text)?.[1]);
    if (!api) continue;
    const domain = call.kind.endsWith('DomainName') ? call.assignedTo : cdkDomainOption(call.text);
    if (domain) ties.mappings.push({ domain: `${file.relative}#${domain}`, api });
  }
  // HTTP and WebSocket APIs (aws-apigatewayv2) mapped to a domain: `new HttpApi(…, { defaultDomainMapping: {
  // domainName: d } })`, `new ApiMapping(…, { api, domainName: d })` (also Pulumi's and CDKTF's `{ apiId: a.id }`,
  // the L1 `CfnApiMapping`; a REST API variable there is that REST API), a stage's `domainMapping` (`new HttpStage(…,
  // { httpApi: a, domainMapping })`, `new WebSocketStage(…, { webSocketApi: a, domainMapping })`,
  // `api.addStage(…, { domainMapping })`). The mapped API is known, so the domain's entry no longer says the files
  // map none (breaker37, next-forge's CDK: "the files map no API to the domain" beside an HttpApi's
  // defaultDomainMapping). Options may span lines, and name `this.` fields or shorthand properties.
  for (const call of cdkCalls(
    file.text,
    /new\s+(?:[\w$]+\.)*(?:Cfn|Apigatewayv2)?(HttpApi|ApiMapping|HttpStage|WebSocketStage)\s*\(/g,
  )) {
    const domain = cdkDomainOption(call.text);
    const api = call.kind === 'HttpApi' ? call.assignedTo : cdkApiOption(call.text);
    if (domain)
      ties.mappings.push({
        domain: `${file.relative}#${domain}`,
        api: `${file.relative}#${api ?? `${call.kind}@${call.start}`}`,
      });
  }
  for (const match of file.text.matchAll(/\b(?:this\.)?([\w$]+)\s*\.\s*addStage\s*\(/g)) {
    const open = match.index + match[0].length;
    const domain = cdkDomainOption(file.text.slice(open, closingParen(file.text, open)));
    if (domain)
      ties.mappings.push({ domain: `${file.relative}#${domain}`, api: `${file.relative}#${match[1]}` });
  }
}

/**
 * The domain variable a CDK option names: `domainName: d`, `domainName: this.d`, `domainName: d.name` (or
 * `.domainName`, `.id`, `.ref`: Pulumi, CDKTF, L1), or the shorthand `{ domainName }`; undefined for a literal or
 * an expression (`DomainName.fromDomainNameAttributes(…)`).
 */
function cdkDomainOption(text: string): string | undefined {
  const match =
    /\bdomainName\s*(?::\s*(?:this\.)?([\w$]+)(?:\.(?:name|domainName|id|ref))?\s*(?=[,}])|(?=[,}]))/.exec(
      text,
    );
  return match ? (match[1] ?? 'domainName') : undefined;
}

/**
 * The API variable a CDK option names: `api: a` (ApiMapping), `apiId: a.id` (Pulumi, CDKTF, L1), `httpApi: a`
 * (HttpStage), `webSocketApi: a` (WebSocketStage), `this.` fields, or the shorthand (`{ api }`, `{ httpApi }`).
 */
function cdkApiOption(text: string): string | undefined {
  const match = /\b(api|apiId|httpApi|webSocketApi)\s*(?::\s*(?:this\.)?([\w$]+)|(?=[,}]))/.exec(text);
  return match ? (match[2] ?? match[1]) : undefined;
}

/**
 * The CDK domain a finding sits in: the `new DomainName(` call around its line (its variable is the domain key),
 * or the REST API it belongs to (`new RestApi(…, { domainName })`, `api.addDomainName(…)`).
 */
function cdkDomain(finding: DetectFinding, file: ScanFile): { key?: string; api?: string } {
  let around: CdkCall | undefined;
  const calls = cdkCalls(
    file.text,
    /(?:new\s+(?:[\w$]+\.)*((?:Cfn|ApiGateway|Apigatewayv2)?DomainName|RestApi|LambdaRestApi|SpecRestApi|ApiGatewayRestApi)|(?:this\.)?([\w$]+)\s*\.\s*(addDomainName))\s*\(/g,
  );
  for (const call of calls) {
    if (file.lines.lineOf(call.start) <= finding.line && finding.line <= file.lines.lineOf(call.end))
      around = call;
  }
  if (!around) return {};
  if (around.kind === 'addDomainName') return { api: around.receiver };
  if (!around.kind.endsWith('DomainName')) return { api: around.assignedTo };
  return {
    // new DomainName(…, { mapping: api }) maps the API itself; else the domain's variable, mapped elsewhere.
    api: /\bmapping\s*:\s*(?:this\.)?([\w$]+)/.exec(around.text)?.[1],
    key: around.assignedTo === undefined ? undefined : `${file.relative}#${around.assignedTo}`,
  };
}

interface CdkCall {
  /** The construct (`DomainName`, `RestApi`...) or method (`addDomainName`) called. */
  kind: string;
  /** The variable or `this.` field the call's result is assigned to. */
  assignedTo?: string;
  /** For a method call, its receiver. */
  receiver?: string;
  /** The arguments' text. */
  text: string;
  start: number;
  end: number;
}

/** Each call `pattern` finds (group 1: a construct name, or group 2 and 3: receiver and method), with its arguments. */
function cdkCalls(text: string, pattern: RegExp): CdkCall[] {
  const out: CdkCall[] = [];
  for (const match of text.matchAll(pattern)) {
    const open = match.index + match[0].length;
    const close = closingParen(text, open);
    const before = text.slice(Math.max(0, match.index - 200), match.index);
    out.push({
      kind: match[1] ?? match[3],
      receiver: match[2],
      assignedTo: /(?:\b(?:const|let|var)\s+|\bthis\.)([\w$]+)\s*(?::[^=]+)?=\s*$/.exec(before)?.[1],
      text: text.slice(open, close),
      start: match.index,
      end: close,
    });
  }
  return out;
}
