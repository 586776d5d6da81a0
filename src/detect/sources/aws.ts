import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectMode, DetectSkip } from '../types.js';
import { unresolvedSetting } from '../unresolved.js';
import { asList, asObject, asText, dig, type YamlDocument } from '../yaml-documents.js';

/**
 * A CloudFormation value as text: plain strings, `Fn::Sub` (short `!Sub` arrives as its string), `Ref`
 * as `${Name}`, `Fn::Join`; anything else undefined.
 */
export function cfnText(value: unknown): string | undefined {
  const text = asText(value);
  if (text !== undefined) return text;
  if (Array.isArray(value)) return cfnText(value[0]);
  const object = asObject(value);
  if (!object) return undefined;
  if ('Fn::Sub' in object) return cfnText(object['Fn::Sub']);
  if ('Ref' in object) return `\${${asText(object.Ref) ?? '?'}}`;
  const join = object['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) {
    return join[1].map((part) => cfnText(part) ?? '${?}').join(asText(join[0]) ?? '');
  }
  return undefined;
}

/**
 * The logical id a CloudFormation value refers to: `!Ref X` and `!GetAtt X.Attr` (short tags arrive as their
 * plain text), `{ Ref: X }`, `{ 'Fn::GetAtt': [X, attr] }` or `'X.Attr'`; undefined for anything else.
 */
export function cfnLogicalId(value: unknown): string | undefined {
  const text = asText(value);
  if (text !== undefined) return /^[A-Za-z0-9]+/.exec(text.trim())?.[0];
  const ref = asText(dig(value, 'Ref'));
  if (ref !== undefined) return ref;
  const attribute = dig(value, 'Fn::GetAtt');
  if (Array.isArray(attribute)) return asText(attribute[0]);
  const attributeText = asText(attribute);
  return attributeText === undefined ? undefined : /^[A-Za-z0-9]+/.exec(attributeText)?.[0];
}

/** ALB `MutualAuthentication.Mode` / `mutual_authentication.mode`: verify (required), passthrough (optional). */
export function albMode(value: string | undefined): DetectMode | undefined {
  const mode = value?.toLowerCase();
  if (mode === 'verify') return 'required';
  if (mode === 'passthrough') return 'optional';
  return undefined;
}

const ALB_NOTE = 'ALB listener: the hosts are those routed to it (listener rules, DNS), not written here';

/** The resources of a template: logical id to resource, and the YAML path of each resource by its logical id. */
export interface CfnResources {
  /** Logical id to resource, merged across a Serverless Framework `resources` list. */
  resources: Record<string, unknown>;
  /** The path to the resource named `name` (for `lineOf`): `['Resources', name]`, `['resources', 'Resources', name]`, ... */
  at: (name: string) => (string | number)[];
}

/**
 * The resources of a CloudFormation template (`Resources`), or of a Serverless Framework file: `resources.Resources`,
 * or a `resources` list whose entries each hold `Resources` (the framework merges them). A file with no top-level
 * `Resources` is read as the framework's whatever else it holds: before session 36 only a file with both `service`
 * and `provider` was, so a `serverless.yml` whose `provider` sits in an included file (only `functions:` and
 * `resources:`) read "No mTLS termination found".
 */
export function cfnResources(data: unknown): CfnResources {
  const top = asObject(dig(data, 'Resources'));
  if (top) return { resources: top, at: (name) => ['Resources', name] };
  const declared = dig(data, 'resources');
  const bases: (string | number)[][] = Array.isArray(declared)
    ? declared.map((_, index) => ['resources', index, 'Resources'])
    : [['resources', 'Resources']];
  const resources: Record<string, unknown> = {};
  const where = new Map<string, (string | number)[]>();
  for (const base of bases) {
    for (const [name, resource] of Object.entries(asObject(dig(data, ...base)) ?? {})) {
      resources[name] = resource;
      where.set(name, base);
    }
  }
  return { resources, at: (name) => [...(where.get(name) ?? bases[0]), name] };
}

/** Whether a parsed document is a Serverless Framework file rather than a CloudFormation template. */
export function isServerlessFile(data: unknown): boolean {
  return (
    dig(data, 'Resources') === undefined &&
    dig(data, 'AWSTemplateFormatVersion') === undefined &&
    ['service', 'provider', 'functions', 'custom', 'resources'].some((key) => dig(data, key) !== undefined)
  );
}

/**
 * ALB listeners whose `MutualAuthentication.Mode` is a parameter or an expression (`!Ref MtlsMode`, `{ Ref: ... }`,
 * `!If`): `off` is one of its values, so it is named instead of read as mTLS or as nothing.
 */
export function cfnUnresolved(file: ScanFile, documents: YamlDocument[]): DetectSkip[] {
  const skipped: DetectSkip[] = [];
  for (const document of documents) {
    const { resources, at } = cfnResources(document.data);
    for (const [name, resource] of Object.entries(resources)) {
      if (asText(dig(resource, 'Type')) !== 'AWS::ElasticLoadBalancingV2::Listener') continue;
      const value = dig(resource, 'Properties', 'MutualAuthentication', 'Mode');
      if (value === undefined || value === null) continue;
      const written = cfnText(value) ?? JSON.stringify(value);
      if (albMode(written) || written.toLowerCase() === 'off') continue;
      const path = [...at(name), 'Properties', 'MutualAuthentication', 'Mode'];
      skipped.push(
        unresolvedSetting(
          file,
          document.lineOf(path),
          `ALB listener ${name} MutualAuthentication.Mode`,
          written,
          'off',
        ),
      );
    }
  }
  return skipped;
}

/**
 * CloudFormation / SAM templates (YAML with short-form tags, or JSON): API Gateway custom domains with
 * `MutualTlsAuthentication` (`AWS::ApiGateway::DomainName`, `AWS::ApiGatewayV2::DomainName`, SAM
 * `Domain` of `AWS::Serverless::Api`/`HttpApi`), ALB listeners with `MutualAuthentication`; and the
 * Serverless Framework (`resources.Resources`, serverless-domain-manager `customDomain.tlsTruststoreUri`).
 */
export function readCloudFormation(file: ScanFile, documents: YamlDocument[]): DetectFinding[] {
  const findings: DetectFinding[] = [];
  for (const document of documents) {
    const cfn = cfnResources(document.data);
    for (const [name, resource] of Object.entries(cfn.resources)) {
      const type = asText(dig(resource, 'Type'));
      const properties = dig(resource, 'Properties');
      const at = [...cfn.at(name), 'Properties'];
      if (
        (type === 'AWS::ApiGateway::DomainName' || type === 'AWS::ApiGatewayV2::DomainName') &&
        asObject(dig(properties, 'MutualTlsAuthentication'))
      ) {
        const host = cfnText(dig(properties, 'DomainName'));
        findings.push(
          file.finding(document.lineOf([...at, 'MutualTlsAuthentication']), 'aws', 'required', 'yaml', {
            hosts: host ? [host] : [],
            evidence: `${type} ${name}: ${document.evidence([...at, 'MutualTlsAuthentication'])}`,
          }),
        );
      }
      if (
        (type === 'AWS::Serverless::Api' || type === 'AWS::Serverless::HttpApi') &&
        asObject(dig(properties, 'Domain', 'MutualTlsAuthentication'))
      ) {
        const host = cfnText(dig(properties, 'Domain', 'DomainName'));
        findings.push(
          file.finding(
            document.lineOf([...at, 'Domain', 'MutualTlsAuthentication']),
            'aws',
            'required',
            'yaml',
            {
              hosts: host ? [host] : [],
              evidence: `${type} ${name}: ${document.evidence([...at, 'Domain', 'MutualTlsAuthentication'])}`,
            },
          ),
        );
      }
      if (type === 'AWS::ElasticLoadBalancingV2::Listener') {
        const mode = albMode(cfnText(dig(properties, 'MutualAuthentication', 'Mode')));
        if (mode) {
          const path = [...at, 'MutualAuthentication', 'Mode'];
          findings.push(
            file.finding(document.lineOf(path), 'aws', mode, 'yaml', {
              evidence: `${type} ${name}: ${document.evidence(path)}`,
              note: ALB_NOTE,
            }),
          );
        }
      }
    }
    if (isServerlessFile(document.data)) {
      // A Serverless Framework file: serverless-domain-manager settings. The API type is the domain's `apiType`, or
      // the key of a `customDomains` entry (`rest:`, `http:`, `websocket:`); `rest` by default.
      const custom = dig(document.data, 'custom');
      const domains: { domain: unknown; path: (string | number)[]; kind?: string }[] = [
        ...asList(dig(custom, 'customDomain')).map((domain) => ({
          domain,
          path: ['custom', 'customDomain'],
        })),
        ...asList(dig(custom, 'customDomains')).flatMap((entry, index) =>
          Object.entries(asObject(entry) ?? {}).map(([kind, domain]) => ({
            domain,
            path: ['custom', 'customDomains', index, kind],
            kind: kind.toLowerCase(),
          })),
        ),
      ];
      for (const { domain, path, kind } of domains) {
        if (asText(dig(domain, 'tlsTruststoreUri')) === undefined) continue;
        const host = asText(dig(domain, 'domainName'));
        const apiType = (
          asText(dig(domain, 'apiType')) ?? (kind === 'http' || kind === 'websocket' ? kind : 'rest')
        ).toLowerCase();
        findings.push(
          file.finding(document.lineOf([...path, 'tlsTruststoreUri']), 'aws', 'required', 'yaml', {
            hosts: host ? [host] : [],
            note: `Serverless Framework, serverless-domain-manager custom domain with a truststore (apiType ${apiType})`,
          }),
        );
      }
    }
  }
  return findings;
}
