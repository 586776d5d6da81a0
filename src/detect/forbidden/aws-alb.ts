import type { ScanFile } from '../scan-file.js';
import type { DetectFinding } from '../types.js';
import { asList, asObject, asText, dig, type YamlDocument } from '../yaml-documents.js';
import { cfnResources, cfnText } from '../sources/aws.js';
import { lineAfter } from '../sources/terraform.js';
import { forbiddenUnder, noForbidden, type ForbiddenResult } from './result.js';
import { albWafCdk, albWafCloudFormation, albWafTerraform } from './aws-alb-waf.js';

/** Whether `finding` is an Application Load Balancer listener with mutual authentication (sources/aws.ts, terraform.ts, node.ts). */
export function isAlbListener(finding: DetectFinding): boolean {
  return (
    finding.source === 'aws' &&
    (/AWS::ElasticLoadBalancingV2::Listener\b|resource "aws_(?:a)?lb_listener"/.test(finding.evidence) ||
      (finding.note?.startsWith('AWS CDK ALB listener') ?? false))
  );
}

/**
 * 403s an Application Load Balancer answers itself on a listener with mutual authentication (the findings of
 * `file` that {@link isAlbListener} accepts): a `fixed-response` action with status code 403, as the listener's
 * default action or in a listener rule of that listener, in the same file. CloudFormation
 * (`AWS::ElasticLoadBalancingV2::Listener` `DefaultActions`, `AWS::ElasticLoadBalancingV2::ListenerRule` whose
 * `ListenerArn` is a `Ref` to it), Terraform (`aws_lb_listener` `default_action`, `aws_lb_listener_rule` whose
 * `listener_arn` names it; a rule whose listener is not a listener of the file is listed as not placed) and CDK (`ListenerAction.fixedResponse(403, …)` in a file with one mTLS listener; with
 * several, listed as not placed). The fix is the same action with the agreed status. Also the Block actions of an
 * AWS WAF web ACL on the listener's load balancer (aws-alb-waf.ts). Throws the parser's error.
 */
export async function albForbidden(
  file: ScanFile,
  findings: DetectFinding[],
  status: number,
): Promise<ForbiddenResult> {
  const result = noForbidden();
  const listeners = findings.filter(isAlbListener);
  if (!listeners.length) return result;
  // One parse of the file for the listener actions and the WAF associations.
  const reader = listeners[0].reader;
  if (reader === 'yaml') {
    const documents = file.yamlDocuments();
    cloudFormation(file, documents, listeners, status, result);
    albWafCloudFormation(file, documents, listeners, status, result);
  } else if (reader === '@cdktf/hcl2json') {
    const { parse } = await import('@cdktf/hcl2json');
    const parsed = (await parse(file.relative, file.text)) as Record<string, unknown>;
    terraform(file, parsed, listeners, status, result);
    albWafTerraform(file, parsed, listeners, status, result);
  } else if (reader === 'typescript') {
    cdk(file, listeners, status, result);
    albWafCdk(file, listeners, status, result);
  }
  return result;
}

const ANSWERS = 'the load balancer answers 403 itself (a fixed-response action)';

function cloudFormation(
  file: ScanFile,
  documents: YamlDocument[],
  listeners: DetectFinding[],
  status: number,
  result: ForbiddenResult,
): void {
  for (const document of documents) {
    const { resources, at } = cfnResources(document.data);
    const byName = new Map<string, DetectFinding>();
    for (const finding of listeners) {
      const name = /AWS::ElasticLoadBalancingV2::Listener (\S+):/.exec(finding.evidence)?.[1];
      if (name && asText(dig(resources, name, 'Type')) === 'AWS::ElasticLoadBalancingV2::Listener')
        byName.set(name, finding);
    }
    for (const [name, resource] of Object.entries(resources)) {
      const type = asText(dig(resource, 'Type'));
      let finding: DetectFinding | undefined;
      let key: string;
      // A rule whose listener is neither an mTLS listener nor another listener of this file (an imported ARN, a
      // parameter) cannot be tied: its 403s are listed as not placed, never dropped.
      let untied: string | undefined;
      if (type === 'AWS::ElasticLoadBalancingV2::Listener') {
        finding = byName.get(name);
        key = 'DefaultActions';
      } else if (type === 'AWS::ElasticLoadBalancingV2::ListenerRule') {
        const arn = dig(resource, 'Properties', 'ListenerArn');
        const target = cfnText(arn)?.replace(/^\$\{(.*)\}$/, '$1');
        finding = target === undefined ? undefined : byName.get(target);
        const local =
          asText(dig(resources, target ?? '', 'Type')) === 'AWS::ElasticLoadBalancingV2::Listener';
        if (!finding && !local) untied = target ?? JSON.stringify(arn);
        key = 'Actions';
      } else continue;
      if (!finding && untied === undefined) continue;
      asList(dig(resource, 'Properties', key)).forEach((action, index) => {
        if (asText(dig(action, 'Type'))?.toLowerCase() !== 'fixed-response') return;
        const code = dig(action, 'FixedResponseConfig', 'StatusCode');
        const path = [...at(name), 'Properties', key, index, 'FixedResponseConfig', 'StatusCode'];
        // CloudFormation reads YAML 1.1: `StatusCode: 4_03` or `0623` is 403 there.
        const yaml11 = document.yaml11Number(path) === 403;
        if (!yaml11 && String(typeof code === 'number' ? code : cfnText(code)) !== '403') return;
        const line = document.lineOf(path);
        const evidence = `${type} ${name}: ${document.evidence(path)}`;
        if (!finding) {
          result.unplaced.push(untiedRule(file, line, evidence, untied ?? '?', status));
          return;
        }
        result.forbidden.push(
          forbiddenUnder(finding, {
            line,
            source: 'aws',
            evidence,
            paths: [],
            fix: `StatusCode: '${status}'`,
            note: ANSWERS,
          }),
        );
      });
    }
  }
}

function terraform(
  file: ScanFile,
  parsed: Record<string, unknown>,
  listeners: DetectFinding[],
  status: number,
  result: ForbiddenResult,
): void {
  const byName = new Map<string, DetectFinding>();
  for (const finding of listeners) {
    const match = /resource "(aws_(?:a)?lb_listener)" "([^"]+)"/.exec(finding.evidence);
    if (match) byName.set(`${match[1]}.${match[2]}`, finding);
  }
  const blocks = (type: string): [string, unknown][] =>
    Object.entries(asObject(dig(parsed, 'resource', type)) ?? {}).flatMap(([name, list]) =>
      asList(list).map((block) => [name, block] as [string, unknown]),
    );
  const report = (
    type: string,
    name: string,
    finding: DetectFinding | string,
    key: string,
    block: unknown,
  ): void => {
    for (const action of asList(dig(block, key))) {
      if (asText(dig(action, 'type')) !== 'fixed-response') continue;
      if (String(asText(dig(asList(dig(action, 'fixed_response'))[0], 'status_code'))) !== '403') continue;
      const line = lineAfter(file, type, name, /status_code\s*=\s*"?403\b/);
      if (typeof finding === 'string') {
        const evidence = `resource "${type}" "${name}": ${file.lines.lineText(line)}`;
        result.unplaced.push(untiedRule(file, line, evidence, finding, status));
        continue;
      }
      result.forbidden.push(
        forbiddenUnder(finding, {
          line,
          source: 'aws',
          evidence: `resource "${type}" "${name}": ${file.lines.lineText(line)}`,
          paths: [],
          fix: `status_code = "${status}"`,
          note: ANSWERS,
        }),
      );
    }
  };
  for (const type of ['aws_lb_listener', 'aws_alb_listener']) {
    for (const [name, block] of blocks(type)) {
      const finding = byName.get(`${type}.${name}`);
      if (finding) report(type, name, finding, 'default_action', block);
    }
  }
  for (const type of ['aws_lb_listener_rule', 'aws_alb_listener_rule']) {
    for (const [name, block] of blocks(type)) {
      const arn = asText(dig(block, 'listener_arn')) ?? '';
      const target = /(aws_(?:a)?lb_listener)\.([\w-]+)\.arn/.exec(arn);
      const finding = target ? byName.get(`${target[1]}.${target[2]}`) : undefined;
      // Another listener of this file (no mTLS) is not ours; a listener from a variable or data source is unknown.
      const local = target !== null && dig(parsed, 'resource', target[1], target[2]) !== undefined;
      if (finding) report(type, name, finding, 'action', block);
      else if (!local) report(type, name, arn || '?', 'action', block);
    }
  }
}

/** A fixed 403 in a listener rule whose listener cannot be tied to an mTLS one (or to another listener here). */
function untiedRule(
  file: ScanFile,
  line: number,
  evidence: string,
  listener: string,
  status: number,
): ForbiddenResult['unplaced'][number] {
  return {
    file: file.relative,
    line,
    source: 'aws',
    evidence,
    reason: `the rule's listener (${listener}) is not a listener of this file, so it cannot be told whether it has mutual authentication: if it does, change the fixed response to ${status}`,
  };
}

function cdk(file: ScanFile, listeners: DetectFinding[], status: number, result: ForbiddenResult): void {
  const pattern = /\bListenerAction\s*\.\s*fixedResponse\s*\(\s*403\b/g;
  for (let match = pattern.exec(file.text); match; match = pattern.exec(file.text)) {
    const line = file.lines.lineOf(match.index);
    const evidence = file.lines.lineText(line);
    if (listeners.length === 1) {
      result.forbidden.push(
        forbiddenUnder(listeners[0], {
          line,
          source: 'aws',
          evidence,
          paths: [],
          fix: evidence.replace(/fixedResponse\s*\(\s*403\b/, `fixedResponse(${status}`),
          note: ANSWERS,
        }),
      );
    } else {
      result.unplaced.push({
        file: file.relative,
        line,
        source: 'aws',
        evidence,
        reason: `the file has ${listeners.length} ALB listeners with mutual authentication and the action's listener is not followed: if it is one of them, change it to fixedResponse(${status}, ...)`,
      });
    }
  }
}
