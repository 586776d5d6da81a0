import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectForbidden } from '../types.js';
import { asObject, asText, dig, type YamlDocument } from '../yaml-documents.js';
import { lineAfter } from '../sources/terraform.js';
import { cfnResources } from '../sources/aws.js';
import { forbiddenUnder } from './result.js';
import { closingParen } from '../text.js';
import { GATEWAY_403_RESPONSES } from '../../openapi/aws-gateway-defaults.js';
import { gatewayResponseType } from './gateway-response-types.js';
import { yaml11Number } from '../../openapi/yaml11.js';
import {
  apisBehind,
  cdkApiKey,
  cloudFormationApiKey,
  noRestApiTies,
  readRestApiTies,
  terraformApiKey,
  tiedElsewhere,
  type RestApiTies,
} from './rest-api-ties.js';

/** What the scanned files can show about the APIs behind the domains. */
type Use = 'apiKey' | 'iam' | 'waf' | 'restApi' | 'httpApi' | 'httpAuthorizer' | 'authorizer' | 'policy';

/**
 * Text that shows API keys, IAM authorization or AWS WAF on a REST API; a REST API at all (an `ApiGatewayV2`
 * domain can map one); an authorizer on an HTTP API; a Lambda or Cognito authorizer on a REST API, or a REST API
 * resource policy, which deny with ACCESS_DENIED (CloudFormation, SAM, Terraform, CDK, Serverless, an OpenAPI
 * body's extensions).
 */
const USES: Record<Use, RegExp> = {
  apiKey:
    /\bApiKeyRequired["']?\s*:\s*["']?true|\bapi_key_required\s*=\s*true|\bapiKeyRequired\s*:\s*true|\bapiKeys\s*:|AWS::ApiGateway::ApiKey\b|\baws_api_gateway_api_key\b|\baddApiKey\s*\(|\bapigateway\s*\.\s*ApiKey\b|\bApiGatewayApiKey\b/,
  iam: /\bAWS_IAM\b|\bAuthorizationType\.IAM\b|\bauthorizer\s*:\s*["']?aws_iam\b|\bawsSigv4\b/i,
  waf: /AWS::WAFv2::WebACLAssociation|AWS::WAFRegional::WebACLAssociation|\baws_wafv2_web_acl_association\b|\baws_wafregional_web_acl_association\b|\bCfnWebACLAssociation\b/,
  restApi:
    /AWS::ApiGateway::RestApi\b|AWS::Serverless::Api\b|\baws_api_gateway_rest_api\b|\bnew\s+(?:[\w$]+\.)*(?:RestApi|LambdaRestApi|SpecRestApi|ApiGatewayRestApi)\s*\(/,
  // An HTTP API: CloudFormation, SAM, Terraform, CDK (`HttpApi`, `CfnApi` with `protocolType`), Pulumi
  // (`aws.apigatewayv2.Api`), CDKTF (`Apigatewayv2Api`), a Serverless `httpApi` event or provider section.
  httpApi:
    /AWS::ApiGatewayV2::Api\b|AWS::Serverless::HttpApi\b|\baws_apigatewayv2_api"|resource\s+"aws_apigatewayv2_api"|\bnew\s+(?:[\w$]+\.)?HttpApi\s*\(|\bapigatewayv2\s*\.\s*Api\s*\(|\bApigatewayv2Api\s*\(|\bprotocolType\s*:\s*['"]HTTP['"]|^\s*-?\s*httpApi\s*:/m,
  httpAuthorizer:
    /AWS::ApiGatewayV2::Authorizer\b|\baws_apigatewayv2_authorizer\b|\bHttp(?:Jwt|Lambda|Iam|UserPool)Authorizer\b|\bDefaultAuthorizer\s*:|\bAuthorizationScopes\s*:|\bauthorization_scopes\s*=|\bapigatewayv2\s*\.\s*Authorizer\b|\bApigatewayv2Authorizer\b/,
  // CloudFormation / Terraform / CDK REST authorizers, SAM `Authorizers:`, Serverless `authorizer:` on an `http`
  // event, an OpenAPI body's `x-amazon-apigateway-authorizer`.
  authorizer:
    /AWS::ApiGateway::Authorizer\b|\baws_api_gateway_authorizer\b|\bx-amazon-apigateway-authorizer\b|\b(?:Token|Request|CognitoUserPools)Authorizer\b|\bAuthorizers\s*:|^\s*authorizer\s*:|\bapigateway\s*\.\s*Authorizer\b|\bApiGatewayAuthorizer\b/m,
  // A resource policy: SAM `ResourcePolicy:`, Serverless `resourcePolicy:`, Terraform's own resource or a `policy`
  // argument of the REST API, CloudFormation `Policy:` of an `AWS::ApiGateway::RestApi`, CDK `policy:` of a RestApi
  // (a PolicyDocument), an OpenAPI body's `x-amazon-apigateway-policy`.
  policy:
    /\bResourcePolicy\s*:|\bresourcePolicy\s*:|\baws_api_gateway_rest_api_policy\b|\bx-amazon-apigateway-policy\b|resource\s+"aws_api_gateway_rest_api"\s+"[^"]*"\s*\{[^}]*?\bpolicy\s*=|AWS::ApiGateway::RestApi["']?\s*,?\s*["']?Properties["']?\s*:\s*\{?[^}]*?\bPolicy["']?\s*:|\bpolicy\s*:\s*new\s+(?:\w+\.)?PolicyDocument\b|\bRestApiPolicy\b/,
};

/**
 * Why API Gateway answers ACCESS_DENIED on an mTLS custom domain, as a phrase after "403 when": always the
 * domain's truststore (AWS Knowledge Center, "How do I troubleshoot HTTP 403 Forbidden errors from an API Gateway
 * custom domain name that requires mutual TLS?": a client certificate whose issuer is not in the truststore, that
 * is self-signed or uses an insecure signature algorithm gets a 403, logged "Access denied. Reason: ..."); then a
 * Lambda or Cognito authorizer, a resource policy or IAM, only when the files show one. Before session 35 every
 * domain's entry read "a Lambda or Cognito authorizer, or a resource policy, denies the request", also where the
 * files set neither (NHS NRLF).
 */
export function accessDeniedWhen(uses: ReadonlySet<string>): string {
  const causes = [
    "the domain's mutual TLS truststore rejects the client certificate (issuer not in the truststore, self-signed, or an insecure signature algorithm)",
    ...(uses.has('authorizer') ? ['a Lambda or Cognito authorizer denies the request'] : []),
    ...(uses.has('policy') ? ['the resource policy denies the request'] : []),
    ...(uses.has('iam') ? ['IAM denies a signed request'] : []),
  ];
  return causes.length === 1
    ? causes[0]
    : `${causes.slice(0, -1).join(', ')} or ${causes[causes.length - 1]}`;
}

/** A file that may hold a gateway response (cheap test before parsing). */
const OVERRIDE_SIGNAL = /GatewayResponse|gateway_response|gateway-responses|\bapigateway\s*\.\s*Response\b/;

/** A gateway response set in the scanned files: its type and the status it sends (undefined: none set). */
export interface GatewayOverride {
  /** `ACCESS_DENIED`, `DEFAULT_4XX`, ... as written. */
  type: string;
  /** The status it sets; undefined when it sets none or none that can be read (the type keeps its default). */
  status: number | undefined;
  /**
   * The key that holds its status in its format: `statusCode` (an OpenAPI body's extension, CDK), `StatusCode`
   * (CloudFormation, SAM), `status_code` (Terraform); undefined: `StatusCode`.
   */
  statusKey?: 'statusCode' | 'StatusCode' | 'status_code';
  /** Written as a SAM `GatewayResponses` entry (its headers sit under `ResponseParameters.Headers`). */
  sam?: boolean;
  /**
   * The status as written, when that is not three plain digits: a YAML 1.1 spelling of 403 (`0623`), a quoted
   * string that is no status (`'0623'`), an expression detect does not evaluate (`!Ref Code`, `var.code`).
   */
  written?: string;
  /** The status is an expression (`!Ref Code`, `var.code`, `"${var.code}"`, a constant) detect does not evaluate. */
  expression?: boolean;
  /** Relative to the working folder, `/`-separated. */
  file: string;
  /** 1-based line of its status (or of its type when it sets none). */
  line: number;
  /**
   * The REST API it is written for, as a rest-api-ties.ts key, when its reference can be read; undefined for
   * one that cannot be tied (an imported id, a variable input, an OpenAPI body's extension).
   */
  api?: string;
}

/** An mTLS custom domain and the file it is configured in. */
export interface GatewayDomain {
  finding: DetectFinding;
  file: ScanFile;
}

/** What the scanned files tell about REST APIs: the gateway responses set, what the APIs use, which API is where. */
export interface GatewayFacts {
  overrides: GatewayOverride[];
  uses: Set<Use>;
  ties: RestApiTies;
}

/** Empty facts, to fill file by file with {@link readGatewayFacts}. */
export function noGatewayFacts(): GatewayFacts {
  return { overrides: [], uses: new Set(), ties: noRestApiTies() };
}

/**
 * Adds what `file` says about REST API gateway responses to `facts`: CloudFormation and Serverless
 * `AWS::ApiGateway::GatewayResponse` resources, SAM `GatewayResponses` of `AWS::Serverless::Api`, Terraform
 * `aws_api_gateway_gateway_response`, CDK `addGatewayResponse` / `new GatewayResponse` / `new
 * CfnGatewayResponse`, `x-amazon-apigateway-gateway-responses` of an OpenAPI document imported as the API;
 * and whether the file shows API keys, IAM authorization (`AWS_IAM`, `awsSigv4`) or a WAF association.
 * Throws the YAML or HCL parser's error for a file it cannot parse (the caller names the file as not read).
 */
export async function readGatewayFacts(file: ScanFile, facts: GatewayFacts): Promise<void> {
  const name = file.baseName;
  const kind = /\.(ya?ml|json)$/.test(name)
    ? 'yaml'
    : name.endsWith('.tf')
      ? 'terraform'
      : /\.[cm]?[jt]s$/.test(name) && !name.endsWith('.d.ts')
        ? 'code'
        : undefined;
  if (!kind) return;
  for (const [use, pattern] of Object.entries(USES) as [Use, RegExp][])
    if (!facts.uses.has(use) && pattern.test(file.text)) facts.uses.add(use);
  await readRestApiTies(file, facts.ties);
  if (!OVERRIDE_SIGNAL.test(file.text)) return;
  if (kind === 'yaml') facts.overrides.push(...yamlOverrides(file));
  else if (kind === 'terraform') facts.overrides.push(...(await terraformOverrides(file)));
  else facts.overrides.push(...codeOverrides(file));
}

/**
 * Whether `finding` is an API Gateway custom domain with mutual TLS that serves REST APIs, whose own 403s
 * {@link gatewayForbidden} reads: CloudFormation `AWS::ApiGateway::DomainName`, SAM `AWS::Serverless::Api`,
 * Terraform `aws_api_gateway_domain_name`, CDK `apigateway.DomainName` (a file that imports only
 * `aws-apigatewayv2` is an HTTP API), serverless-domain-manager unless `apiType: http|websocket`.
 * HTTP API domains ({@link isHttpApiDomain}) and ALB listeners (aws-alb.ts) are read on their own terms.
 */
export function isRestApiDomain(finding: DetectFinding, file: ScanFile): boolean {
  if (finding.source !== 'aws') return false;
  const evidence = finding.evidence;
  if (
    /AWS::ApiGateway::DomainName|AWS::Serverless::Api\b|resource "aws_api_gateway_domain_name"/.test(evidence)
  )
    return true;
  const typed = /API Gateway domain name with a truststore \((REST|HTTP) API/.exec(finding.note ?? '');
  if (typed) return typed[1] === 'REST';
  if (finding.note?.startsWith('AWS CDK API Gateway domain name'))
    return !(/aws-apigatewayv2\b/.test(file.text) && !/aws-apigateway['"/]/.test(file.text));
  if (finding.note?.startsWith('Serverless Framework')) return /\(apiType rest\)/.test(finding.note);
  return false;
}

/**
 * Whether `finding` is an API Gateway custom domain with mutual TLS for HTTP APIs: CloudFormation
 * `AWS::ApiGatewayV2::DomainName`, SAM `AWS::Serverless::HttpApi`, Terraform `aws_apigatewayv2_domain_name`, a CDK
 * domain in a file that imports only `aws-apigatewayv2`, serverless-domain-manager with `apiType: http`. Such a domain can also map REST APIs: see
 * {@link httpApiForbidden}.
 */
export function isHttpApiDomain(finding: DetectFinding, file: ScanFile): boolean {
  if (finding.source !== 'aws') return false;
  if (
    /AWS::ApiGatewayV2::DomainName|AWS::Serverless::HttpApi\b|resource "aws_apigatewayv2_domain_name"/.test(
      finding.evidence,
    )
  )
    return true;
  if (finding.note?.startsWith('Serverless Framework')) return /\(apiType http\)/.test(finding.note);
  const typed = /API Gateway domain name with a truststore \((REST|HTTP) API/.exec(finding.note ?? '');
  if (typed) return typed[1] === 'HTTP';
  return (
    (finding.note?.startsWith('AWS CDK API Gateway domain name') ?? false) && !isRestApiDomain(finding, file)
  );
}

/**
 * The 403s on `ApiGatewayV2` domains with mutual TLS (`domains`, accepted by {@link isHttpApiDomain}). The domain's
 * truststore answers 403 when it rejects the client certificate (issuer not in the truststore, self-signed, an
 * insecure signature algorithm; AWS Knowledge Center, "api-gateway-mutual-tls-403-errors", which covers HTTP APIs
 * too), and an HTTP API has no gateway responses to give that 403 another status: one entry per domain unless the
 * files map only REST APIs to it (those answer it as ACCESS_DENIED, below). Before session 36 a domain serving HTTP
 * APIs read as answering no 403 of its own. When the scanned files define a REST API too (such a domain can map
 * one), the REST API gateway responses of {@link gatewayForbidden} apply. When they define an authorizer for an
 * HTTP API (JWT with scopes, Lambda, IAM), its denials answer 403 (AWS, "Working with AWS Lambda authorizers for
 * HTTP APIs", "Controlling access to HTTP APIs with JWT authorizers"): one entry per domain, whose fix is to
 * authorize in the integration.
 */
export function httpApiForbidden(
  domains: readonly GatewayDomain[],
  facts: GatewayFacts,
  status: number,
): DetectForbidden[] {
  const out: DetectForbidden[] = [];
  for (const { finding, file } of domains) {
    const behind = apisBehind(finding, file, facts.ties);
    // HTTP APIs behind the domain: mapped there, or (unmapped in the files) defined, or no REST API defined at all.
    const http = behind.known ? behind.others > 0 : facts.uses.has('httpApi') || !facts.uses.has('restApi');
    if (!http) continue;
    out.push(
      forbiddenUnder(finding, {
        line: finding.line,
        source: 'aws',
        evidence:
          "API Gateway HTTP API mutual TLS: 403 when the domain's truststore rejects the client certificate (issuer not in the truststore, self-signed, or an insecure signature algorithm)",
        paths: [],
        fix: `HTTP APIs cannot give this 403 another status (they have no gateway responses): serve the routes from a REST API on the domain with an ACCESS_DENIED gateway response of ${status}, or have clients read a 403 from this host as a rejected certificate`,
        note: `answered by API Gateway before your integration runs${behind.known ? '' : ' (the files map no API to the domain; counted because they define an HTTP API or no REST API)'}`,
      }),
    );
  }
  if (facts.uses.has('restApi')) out.push(...gatewayForbidden(domains, facts, status));
  if (!facts.uses.has('httpAuthorizer')) return out;
  for (const { finding } of domains) {
    out.push(
      forbiddenUnder(finding, {
        line: finding.line,
        source: 'aws',
        evidence:
          'API Gateway HTTP API authorizer: 403 when a JWT lacks a required scope, a Lambda authorizer denies, or IAM authorization fails',
        paths: [],
        fix: `HTTP APIs cannot give these 403s another status: authorize in the integration and answer ${status} there, or serve the routes from a REST API with an ACCESS_DENIED gateway response of ${status}`,
        note: 'answered by API Gateway before your integration runs',
      }),
    );
  }
  return out;
}

/**
 * The 403s API Gateway answers itself on each REST API custom domain with mutual TLS (`domains`: findings that
 * {@link isRestApiDomain} accepted): MISSING_AUTHENTICATION_TOKEN and ACCESS_DENIED always; INVALID_API_KEY,
 * EXPIRED_TOKEN / INVALID_SIGNATURE and WAF_FILTERED when the scanned files show API keys, IAM authorization or a
 * WAF association.
 * A type is not reported when a gateway response in the scanned files gives it (or `DEFAULT_4XX`) another
 * status; one that sets 403 itself is reported at its own line. The fix is written for the domain's own format.
 */
export function gatewayForbidden(
  domains: readonly GatewayDomain[],
  facts: GatewayFacts,
  status: number,
): DetectForbidden[] {
  const out: DetectForbidden[] = [];
  for (const { finding, file } of domains) {
    const behind = apisBehind(finding, file, facts.ties);
    // Mapped, but to HTTP APIs only: API Gateway's REST gateway responses do not apply there.
    if (behind.known && behind.apis.length === 0) continue;
    const forDomain = overridesFor(behind.apis, facts);
    const changes = (o: GatewayOverride, type: string): boolean =>
      (o.type === type || o.type === 'DEFAULT_4XX') && o.status !== undefined && o.status !== 403;
    // Per API behind the domain (or one list for all), whether its gateway responses change `type`.
    const lacking = (type: string): number[] =>
      forDomain.flatMap((overrides, index) => (overrides.some((o) => changes(o, type)) ? [] : [index]));
    // Gateway responses already reported as the one that keeps a default 403.
    const reported = new Set<GatewayOverride>();
    for (const response of GATEWAY_403_RESPONSES) {
      // ACCESS_DENIED is always counted: the domain's truststore denies with it, whatever else the files set.
      if (response.uses && response.uses !== 'authorizer' && !facts.uses.has(response.uses)) continue;
      const when = response.type === 'ACCESS_DENIED' ? accessDeniedWhen(facts.uses) : response.when;
      const without = lacking(response.type);
      if (without.length === 0) continue;
      // A gateway response of this type that sets no status, or 403, keeps the 403: reported where it is written.
      // So does a DEFAULT_4XX that sets 403, or a status that is none (`'0623'`): named with its reason.
      const keeps = (o: GatewayOverride): boolean =>
        o.status === 403 || (o.status === undefined && (o.type === response.type || o.written !== undefined));
      const flat = forDomain.flat();
      const kept =
        flat.find((o) => o.type === response.type && keeps(o)) ??
        flat.find((o) => o.type === 'DEFAULT_4XX' && keeps(o));
      // A response that changes the type but is not counted here: another API's, or one that cannot be tied.
      const elsewhere = kept
        ? undefined
        : facts.overrides.find(
            (o) => changes(o, response.type) && without.every((i) => !forDomain[i].includes(o)),
          );
      if (kept) reported.add(kept);
      const missing = without.map((i) => behind.apis[i]).filter((api) => api !== undefined);
      out.push({
        ...forbiddenUnder(finding, {
          line: kept?.line ?? finding.line,
          source: 'aws',
          evidence: `API Gateway REST API gateway response ${response.type}: 403 when ${when}`,
          paths: [],
          fix:
            kept && kept.status === undefined && kept.written === undefined
              ? keptFix(kept, status)
              : gatewayFix(finding, response.type, status),
          note: kept
            ? `a gateway response for ${kept.type} is written here, but ${keptReason(kept)}`
            : elsewhere
              ? `the gateway response ${elsewhere.type} (status ${elsewhere.status}) at ${elsewhere.file}:${elsewhere.line} ${elsewhere.api ? `is for ${apiName(elsewhere.api)}` : 'cannot be tied to a REST API'}, not for ${missing.map(apiName).join(', ')} behind this domain${behind.known ? '' : ' (the files map no REST API to the domain, so every REST API they define and tie to no other domain is counted)'}`
              : 'answered by API Gateway before your integration runs; no gateway response for it with another status was found in the scanned files',
        }),
        file: kept?.file ?? finding.file,
      });
    }
    out.push(...setForbidden(finding, forDomain, reported, status));
  }
  return out;
}

/**
 * The gateway responses of the APIs behind the domain `finding` that set 403 themselves, whatever their type
 * (AUTHORIZER_FAILURE, UNAUTHORIZED, DEFAULT_4XX... mapped to 403; an ACCESS_DENIED or INVALID_API_KEY that sets
 * 403), or set a status detect does not evaluate (`!Ref Code`, `var.code`), each at its own line, except those
 * `reported` as keeping a default 403. Before session 31 only the types that default to 403 were counted, so an
 * AUTHORIZER_FAILURE with `StatusCode: '403'` read clean (breaker31 #01).
 */
function setForbidden(
  finding: DetectFinding,
  forDomain: readonly GatewayOverride[][],
  reported: ReadonlySet<GatewayOverride>,
  status: number,
): DetectForbidden[] {
  const out: DetectForbidden[] = [];
  for (const o of new Set(forDomain.flat())) {
    if (reported.has(o) || !(o.status === 403 || (o.status === undefined && o.expression))) continue;
    const known = gatewayResponseType(o.type);
    const fixed = gatewayFix(finding, o.type, status);
    out.push({
      ...forbiddenUnder(finding, {
        line: o.line,
        source: 'aws',
        evidence: `API Gateway REST API gateway response ${o.type}: 403 when ${known?.when ?? `API Gateway answers ${o.type}`}`,
        paths: [],
        fix:
          known && known.status !== 403
            ? `${fixed} (or remove the status: its default is ${known.status})`
            : fixed,
        note:
          o.status === 403
            ? `${keptReason(o)}${known && known.status !== 403 ? ` (the default for ${o.type} is ${known.status})` : ''}`
            : `its status ${o.written ?? ''} is not a value detect evaluates; check whether it answers 403`,
      }),
      file: o.file,
    });
  }
  return out;
}

/**
 * Why a gateway response of a 403 type keeps the 403: it sets none, it sets 403 (also as YAML 1.1 spells it for
 * CloudFormation: `0623`, `4_03`), its status is a string that is no status (`'0623'`: quoted, a string to every
 * YAML reader), or an expression detect does not evaluate. Before session 24 the last two read "it sets no
 * StatusCode".
 */
function keptReason(kept: GatewayOverride): string {
  const { written } = kept;
  if (kept.status === 403)
    return written === undefined
      ? 'it sets 403 itself'
      : `it sets 403 itself (written ${written}, which YAML 1.1 readers such as CloudFormation read as 403)`;
  if (written === undefined) return `it sets no ${kept.statusKey ?? 'StatusCode'}, so the default 403 stays`;
  if (kept.expression)
    return `its status ${written} is not a value detect evaluates, so the default 403 is reported; check what it answers`;
  const inner = /^(?:!!str\s+)?(['"`])(.*)\1$/.exec(written)?.[2];
  const yaml11 =
    inner !== undefined && yaml11Number(inner) === 403
      ? ' (without the quotes, YAML 1.1 readers such as CloudFormation read it as 403)'
      : '';
  const what =
    inner === undefined && !written.startsWith('!!str')
      ? 'no HTTP status'
      : 'a string that is no HTTP status';
  return `its status ${written} is ${what}${yaml11}, so it does not replace the default 403`;
}

/**
 * The gateway responses that count for a domain, one list per REST API behind it (every list must change a
 * type for it to be changed). With no REST API named in the files (or every one tied to another domain), one list
 * of all of them but those of an API tied to another domain. A response that cannot be tied counts for an API only when the files define at most one.
 */
function overridesFor(apis: readonly string[], facts: GatewayFacts): GatewayOverride[][] {
  if (apis.length === 0) {
    // The responses of an API the files tie to another domain are that domain's (breaker31 #01).
    const elsewhere = tiedElsewhere(facts.ties);
    return [facts.overrides.filter((o) => o.api === undefined || !elsewhere.has(o.api))];
  }
  const loose = facts.ties.apis.size <= 1;
  return apis.map((api) => facts.overrides.filter((o) => o.api === api || (o.api === undefined && loose)));
}

/**
 * The change for a gateway response that is written but sets no status (`kept`): give it the agreed status where
 * it is, in its own format, instead of a new resource beside it (before session 35 detect proposed a second
 * `aws_api_gateway_gateway_response` for NHS NRLF's ACCESS_DENIED, which already had one without `status_code`).
 */
function keptFix(kept: GatewayOverride, status: number): string {
  const challenge = status === 401;
  const at = `the gateway response for ${kept.type} at ${kept.file}:${kept.line}`;
  if (kept.statusKey === 'status_code')
    return `status_code = "${status}"${challenge ? ` and response_parameters = { "gatewayresponse.header.WWW-Authenticate" = "'Bearer'" }` : ''} in ${at}`;
  if (/\.[cm]?[jt]s$/.test(kept.file))
    return `statusCode: '${status}'${challenge ? `, responseHeaders: { 'WWW-Authenticate': "'Bearer'" }` : ''} in ${at}`;
  const header = challenge
    ? kept.statusKey === 'statusCode'
      ? `, responseParameters: { gatewayresponse.header.WWW-Authenticate: "'Bearer'" }`
      : `, ResponseParameters: { ${kept.statusKey === 'StatusCode' && kept.sam ? 'Headers: { WWW-Authenticate' : 'gatewayresponse.header.WWW-Authenticate'}: "'Bearer'"${kept.sam ? ' }' : ''} }`
    : '';
  return `${kept.statusKey ?? 'StatusCode'}: '${status}'${header} in ${at}`;
}

/** `Name (file)` for a rest-api-ties.ts key. */
function apiName(key: string): string {
  const at = key.lastIndexOf('#');
  if (at !== -1) return `${key.slice(at + 1)} (${key.slice(0, at)})`;
  return key.replace(/^terraform:/, 'aws_api_gateway_rest_api.');
}

/** The change that gives `type` the agreed status, in the format the domain is written in. */
function gatewayFix(finding: DetectFinding, type: string, status: number): string {
  const challenge = status === 401;
  if (finding.reader === '@cdktf/hcl2json') {
    return `resource "aws_api_gateway_gateway_response" "${type.toLowerCase()}" { rest_api_id = <your aws_api_gateway_rest_api>.id, response_type = "${type}", status_code = "${status}"${challenge ? `, response_parameters = { "gatewayresponse.header.WWW-Authenticate" = "'Bearer'" }` : ''} }`;
  }
  const header = challenge
    ? `, responseParameters: { 'gatewayresponse.header.WWW-Authenticate': "'Bearer'" }`
    : '';
  const id = type.toLowerCase().replace(/_/g, '-');
  if (finding.reader === 'typescript' && finding.note?.startsWith('Pulumi'))
    return `new aws.apigateway.Response('${id}', { restApiId: <your aws.apigateway.RestApi>.id, responseType: '${type}', statusCode: '${status}'${header} })`;
  if (finding.reader === 'typescript' && finding.note?.startsWith('CDKTF'))
    return `new ApiGatewayGatewayResponse(this, '${id}', { restApiId: <your ApiGatewayRestApi>.id, responseType: '${type}', statusCode: '${status}'${header} })`;
  if (finding.reader === 'typescript' && /\bCfnDomainName\b/.test(finding.note ?? ''))
    return `new apigateway.CfnGatewayResponse(this, '${id}', { restApiId: <your RestApi>.ref, responseType: '${type}', statusCode: '${status}'${header} })`;
  if (finding.reader === 'typescript') {
    return `api.addGatewayResponse('${type.toLowerCase()}', { type: apigateway.ResponseType.${type}, statusCode: '${status}'${challenge ? `, responseHeaders: { 'WWW-Authenticate': "'Bearer'" }` : ''} }) on each RestApi behind the domain`;
  }
  if (/AWS::Serverless::Api\b/.test(finding.evidence)) {
    return `GatewayResponses: { ${type}: { StatusCode: ${status}${challenge ? `, ResponseParameters: { Headers: { WWW-Authenticate: "'Bearer'" } }` : ''} } } in the AWS::Serverless::Api's Properties`;
  }
  // A Serverless Framework file's own CloudFormation resources sit under `resources.Resources`.
  const serverless =
    finding.note?.startsWith('Serverless Framework') === true ||
    /(?:^|\/)serverless[\w.-]*\.(?:ya?ml|json)$/.test(finding.file);
  const where = serverless ? ' under resources.Resources' : '';
  return `a resource${where} { Type: AWS::ApiGateway::GatewayResponse, Properties: { RestApiId: <your RestApi>, ResponseType: ${type}, StatusCode: '${status}'${challenge ? `, ResponseParameters: { gatewayresponse.header.WWW-Authenticate: "'Bearer'" }` : ''} } }`;
}

function statusOf(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : asText(value);
  return text !== undefined && /^\s*\d{3}\s*$/.test(text) ? Number(text) : undefined;
}

/**
 * The status at `path` of a YAML (or JSON) document: 403 when a YAML 1.1 reader reads it so (`StatusCode: 4_03`,
 * `0623`: CloudFormation and API Gateway's OpenAPI import read YAML 1.1), else {@link statusOf} of the value.
 */
function yamlStatusOf(
  document: YamlDocument,
  path: readonly (string | number)[],
): Pick<GatewayOverride, 'status' | 'written' | 'expression'> {
  const written = document.written(path);
  const plain = written !== undefined && /^\d{3}$/.test(written) ? undefined : written;
  // Ruby Psych's `4,03` is no YAML 1.1 integer: CloudFormation and API Gateway read a string there.
  if (!plain?.includes(',') && document.yaml11Number(path) === 403) return { status: 403, written: plain };
  const value = dig(document.data, ...path);
  const status = statusOf(value);
  if (status !== undefined || value === undefined || value === null) return { status, written: undefined };
  // A string as written (`'0623'`, `!!str 403`, `6:43x`) is no status; a tag such as `!Ref` or `!Sub`, or a map
  // (`{Ref: Code}`, `Fn::...`), is an expression.
  const expression =
    typeof value === 'object' || (written?.startsWith('!') === true && !written.startsWith('!!'));
  return { status, written: written ?? compact(value), expression };
}

/** A short one-line form of a value that is no scalar (`{"Ref":"Code"}` in a JSON template). */
function compact(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function yamlOverrides(file: ScanFile): GatewayOverride[] {
  const out: GatewayOverride[] = [];
  for (const document of file.yamlDocuments()) {
    // An OpenAPI document imported as the REST API's body (AWS, "x-amazon-apigateway-gateway-responses object").
    const extension = asObject(dig(document.data, 'x-amazon-apigateway-gateway-responses')) ?? {};
    for (const responseType of Object.keys(extension)) {
      const { status, written, expression } = yamlStatusOf(document, [
        'x-amazon-apigateway-gateway-responses',
        responseType,
        'statusCode',
      ]);
      out.push({
        type: responseType,
        status,
        statusKey: 'statusCode',
        written,
        expression,
        file: file.relative,
        line: document.lineOf([
          'x-amazon-apigateway-gateway-responses',
          responseType,
          ...(status === undefined && written === undefined ? [] : ['statusCode']),
        ]),
      });
    }
    const { resources, at: pathOf } = cfnResources(document.data);
    for (const [name, resource] of Object.entries(resources)) {
      const type = asText(dig(resource, 'Type'));
      const at = [...pathOf(name), 'Properties'];
      if (type === 'AWS::ApiGateway::GatewayResponse') {
        const responseType = asText(dig(resource, 'Properties', 'ResponseType'));
        if (!responseType) continue;
        const { status, written, expression } = yamlStatusOf(document, [...at, 'StatusCode']);
        out.push({
          type: responseType,
          status,
          written,
          expression,
          file: file.relative,
          api: cloudFormationApiKey(file, dig(resource, 'Properties', 'RestApiId'), resources),
          line: document.lineOf([
            ...at,
            status === undefined && written === undefined ? 'ResponseType' : 'StatusCode',
          ]),
        });
      }
      if (type === 'AWS::Serverless::Api') {
        const responses = asObject(dig(resource, 'Properties', 'GatewayResponses')) ?? {};
        for (const responseType of Object.keys(responses)) {
          const { status, written, expression } = yamlStatusOf(document, [
            ...at,
            'GatewayResponses',
            responseType,
            'StatusCode',
          ]);
          out.push({
            type: responseType,
            status,
            statusKey: 'StatusCode',
            sam: true,
            written,
            expression,
            file: file.relative,
            api: `${file.relative}#${name}`,
            line: document.lineOf([
              ...at,
              'GatewayResponses',
              responseType,
              ...(status === undefined && written === undefined ? [] : ['StatusCode']),
            ]),
          });
        }
      }
    }
  }
  return out;
}

async function terraformOverrides(file: ScanFile): Promise<GatewayOverride[]> {
  if (!file.text.includes('aws_api_gateway_gateway_response')) return [];
  const { parse } = await import('@cdktf/hcl2json');
  const parsed = (await parse(file.relative, file.text)) as Record<string, unknown>;
  const out: GatewayOverride[] = [];
  const byName = asObject(dig(parsed, 'resource', 'aws_api_gateway_gateway_response')) ?? {};
  for (const [name, blocks] of Object.entries(byName)) {
    for (const block of Array.isArray(blocks) ? blocks : [blocks]) {
      const responseType = asText(dig(block, 'response_type'));
      if (!responseType) continue;
      const code = dig(block, 'status_code');
      const status = statusOf(code);
      const written = status === undefined && code !== undefined && code !== null ? compact(code) : undefined;
      out.push({
        type: responseType,
        status,
        statusKey: 'status_code',
        written,
        expression:
          written !== undefined &&
          (typeof code === 'object' || (typeof code === 'string' && code.includes('${'))),
        file: file.relative,
        api: terraformApiKey(dig(block, 'rest_api_id')),
        line: lineAfter(
          file,
          'aws_api_gateway_gateway_response',
          name,
          status === undefined && written === undefined ? 'response_type' : 'status_code',
        ),
      });
    }
  }
  return out;
}

/**
 * CDK: `addGatewayResponse(id, { type, statusCode })`, `new GatewayResponse(scope, id, {...})`, `new
 * CfnGatewayResponse(...)`; Pulumi `new aws.apigateway.Response(name, { restApiId, responseType, statusCode })`;
 * CDKTF `new ApiGatewayGatewayResponse(scope, id, {...})`.
 */
function codeOverrides(file: ScanFile): GatewayOverride[] {
  const out: GatewayOverride[] = [];
  const call =
    /(?:\b(?:this\.)?([\w$]+)\s*\.\s*addGatewayResponse|\b(?:GatewayResponse|CfnGatewayResponse|ApiGatewayGatewayResponse)|\bapigateway\s*\.\s*Response)\s*\(/g;
  for (let match = call.exec(file.text); match; match = call.exec(file.text)) {
    const open = match.index + match[0].length;
    const segment = file.text.slice(open, closingParen(file.text, open));
    // The API: the receiver of addGatewayResponse, or the `restApi: api` / `restApiId: api.restApiId` option.
    const api = cdkApiKey(file, match[1] ?? /\brestApi(?:Id)?\s*:\s*(?:this\.)?([\w$]+)/.exec(segment)?.[1]);
    const typed =
      /\bResponseType\s*\.\s*(?:of\s*\(\s*['"`])?([A-Z][A-Z0-9_]*)/.exec(segment) ??
      /\bresponseType\s*:\s*['"`]([A-Z][A-Z0-9_]*)['"`]/.exec(segment);
    if (!typed) continue;
    const statusMatch = /\bstatusCode\s*:\s*(?:(['"`])(\d{3})\1|(\d{3})\b(?!\.))/.exec(segment);
    // Anything else written as the status: a string that is no status, a constant, an expression.
    const other = statusMatch ? undefined : /\bstatusCode\s*:\s*([^,}\n]*[^,}\s])/.exec(segment);
    const offset = match.index + match[0].length + (statusMatch?.index ?? other?.index ?? typed.index);
    out.push({
      type: typed[1],
      status: statusMatch ? Number(statusMatch[2] ?? statusMatch[3]) : undefined,
      statusKey: 'statusCode',
      written: other?.[1],
      expression: other !== null && other !== undefined && !/^(['"`])(?:(?!\$\{).)*\1$/.test(other[1]),
      file: file.relative,
      api,
      line: file.lines.lineOf(offset),
    });
  }
  return out;
}
