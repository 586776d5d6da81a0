import type { ScanFile } from '../scan-file.js';
import type { DetectFinding } from '../types.js';
import { asList, asObject, asText, dig, type YamlDocument } from '../yaml-documents.js';
import { lineAfter } from '../sources/terraform.js';
import { cfnLogicalId, cfnResources } from '../sources/aws.js';
import { forbiddenUnder, type ForbiddenResult } from './result.js';

/*
 * The 403s of AWS WAF web ACLs associated with the load balancer of an ALB listener with mutual authentication
 * (`listeners`, all in `file`), read in the same file: CloudFormation `AWS::WAFv2::WebACLAssociation` (or
 * `AWS::WAFRegional::WebACLAssociation`) whose `ResourceArn` refers to the listener's `LoadBalancerArn`, Terraform
 * `aws_wafv2_web_acl_association` (or `aws_wafregional_web_acl_association`) whose `resource_arn` names the
 * listener's `aws_lb`. In the web ACL (when it is in the file): each Block action (the default action, a rule's
 * action) that sets no custom response with another status, and each rule that runs a managed or referenced rule
 * group (its rules block with 403). A web ACL that is not in the file is one entry at the association. An
 * association whose resource is not a resource of the file (an imported ARN, a variable) is listed as not placed.
 * One function per format, each given the file parsed once by aws-alb.ts (`albForbidden`); each adds to `result`.
 */

/**
 * What AWS WAF answers when a web ACL blocks a request: 403, unless the Block action sets a custom response.
 * Source: AWS WAF Developer Guide, "Block action" / "Sending custom responses for Block actions": "By default,
 * AWS WAF responds with HTTP 403 (Forbidden)"; a managed rule group's rules block with that default unless the
 * web ACL overrides their action (`RuleActionOverrides`).
 */
const BLOCKS = 'AWS WAF answers 403 when a Block action matches that has no custom response (or one of 403)';

/** Evidence text for an entry, and where it is. */
interface WafBlock {
  line: number;
  evidence: string;
  /** What to change there. */
  fix: string;
}

/**
 * CDK: each `new CfnWebACLAssociation(` in a file with one mTLS listener is a 403 of that listener's load balancer
 * (the web ACL's actions are not read: the entry says to check them); with several listeners, not placed.
 */
export function albWafCdk(
  file: ScanFile,
  listeners: DetectFinding[],
  status: number,
  result: ForbiddenResult,
): void {
  for (const match of file.text.matchAll(/\bnew\s+(?:[\w$]+\.)?CfnWebACLAssociation\s*\(/g)) {
    const line = file.lines.lineOf(match.index);
    const evidence = file.lines.lineText(line);
    if (listeners.length === 1) {
      push(result, listeners[0], {
        line,
        evidence,
        fix: `give each block action of the web ACL customResponse: { responseCode: ${status} } (CfnWebACL), or ruleActionOverrides for rule groups`,
      });
    } else {
      result.unplaced.push({
        file: file.relative,
        line,
        source: 'aws',
        evidence,
        reason: `the file has ${listeners.length} ALB listeners with mutual authentication and the association's load balancer is not followed: if it is one of theirs, give the web ACL's block actions a custom response of ${status}`,
      });
    }
  }
}

function push(result: ForbiddenResult, finding: DetectFinding, block: WafBlock): void {
  result.forbidden.push(
    forbiddenUnder(finding, {
      line: block.line,
      source: 'aws',
      evidence: block.evidence,
      paths: [],
      fix: block.fix,
      note: `${BLOCKS} on the load balancer of this listener`,
    }),
  );
}

function untied(
  file: ScanFile,
  line: number,
  evidence: string,
  resource: string,
  status: number,
): ForbiddenResult['unplaced'][number] {
  return {
    file: file.relative,
    line,
    source: 'aws',
    evidence,
    reason: `the web ACL association's resource (${resource}) is not a resource of this file, so it cannot be told whether it is a load balancer with mutual authentication: if it is, give the web ACL's Block actions a custom response of ${status}`,
  };
}

/** CloudFormation / Serverless `resources`: `documents` are the file's, parsed by `albForbidden`. */
export function albWafCloudFormation(
  file: ScanFile,
  documents: YamlDocument[],
  listeners: DetectFinding[],
  status: number,
  result: ForbiddenResult,
): void {
  for (const document of documents) {
    const { resources, at: pathOf } = cfnResources(document.data);
    // Load balancer logical id -> its mTLS listener.
    const byBalancer = new Map<string, DetectFinding>();
    for (const finding of listeners) {
      const name = /AWS::ElasticLoadBalancingV2::Listener (\S+):/.exec(finding.evidence)?.[1];
      const balancer =
        name === undefined ? undefined : cfnLogicalId(dig(resources, name, 'Properties', 'LoadBalancerArn'));
      if (balancer !== undefined) byBalancer.set(balancer, finding);
    }
    for (const [name, resource] of Object.entries(resources)) {
      const type = asText(dig(resource, 'Type')) ?? '';
      if (!/^AWS::WAF(?:v2|Regional)::WebACLAssociation$/.test(type)) continue;
      const target = cfnLogicalId(dig(resource, 'Properties', 'ResourceArn'));
      const at = [...pathOf(name), 'Properties', 'ResourceArn'];
      const evidence = `${type} ${name}: ${document.evidence(at)}`;
      const finding = target === undefined ? undefined : byBalancer.get(target);
      if (!finding) {
        if (target === undefined || !Object.prototype.hasOwnProperty.call(resources, target))
          result.unplaced.push(
            untied(file, document.lineOf(at), evidence, target ?? 'an expression', status),
          );
        continue;
      }
      const acl = cfnLogicalId(
        dig(resource, 'Properties', 'WebACLArn') ?? dig(resource, 'Properties', 'WebACLId'),
      );
      const aclResource = acl === undefined ? undefined : asObject(resources[acl]);
      if (!aclResource || acl === undefined) {
        push(result, finding, {
          line: document.lineOf(at),
          evidence,
          fix: `in the web ACL (${acl ?? 'not in this file'}), give each Block action CustomResponse: { ResponseCode: ${status} }`,
        });
        continue;
      }
      const aclPath = [...pathOf(acl), 'Properties'];
      const blockFix = `Block: { CustomResponse: { ResponseCode: ${status} } }`;
      if (
        blocksWith403(
          dig(aclResource, 'Properties', 'DefaultAction', 'Block'),
          'CustomResponse',
          'ResponseCode',
          document.yaml11Number([...aclPath, 'DefaultAction', 'Block', 'CustomResponse', 'ResponseCode']),
        )
      ) {
        const path = [...aclPath, 'DefaultAction', 'Block'];
        push(result, finding, {
          line: document.lineOf(path),
          evidence: `${acl}: ${document.evidence(path)}`,
          fix: blockFix,
        });
      }
      asList(dig(aclResource, 'Properties', 'Rules')).forEach((rule, index) => {
        const statement = asObject(dig(rule, 'Statement')) ?? {};
        // A rule group's rules block with 403, unless the web ACL only counts them (`OverrideAction: { Count }`).
        const group =
          ('ManagedRuleGroupStatement' in statement || 'RuleGroupReferenceStatement' in statement) &&
          dig(rule, 'OverrideAction', 'Count') === undefined;
        const block = dig(rule, 'Action', 'Block');
        const written = document.yaml11Number([
          ...aclPath,
          'Rules',
          index,
          'Action',
          'Block',
          'CustomResponse',
          'ResponseCode',
        ]);
        if (!group && !blocksWith403(block, 'CustomResponse', 'ResponseCode', written)) return;
        const path = [...aclPath, 'Rules', index, ...(group ? ['Statement'] : ['Action', 'Block'])];
        push(result, finding, {
          line: document.lineOf(path),
          evidence: `${acl} rule ${asText(dig(rule, 'Name')) ?? index}: ${document.evidence(path)}`,
          fix: group
            ? `RuleActionOverrides: [{ Name: <each rule of the group>, ActionToUse: { ${blockFix} } }] in the group statement`
            : blockFix,
        });
      });
    }
  }
}

/**
 * Whether a Block action (present: an object, possibly empty) answers 403: no custom response with another code.
 * `yaml11`: the number CloudFormation's YAML 1.1 reads in the response code as written (`ResponseCode: 0623` is
 * 403 there, 623 to this parse), when the file is YAML.
 */
function blocksWith403(block: unknown, customKey: string, codeKey: string, yaml11?: number): boolean {
  if (block === undefined || block === null) return false;
  if (yaml11 === 403) return true;
  const custom = dig(Array.isArray(block) ? block[0] : block, customKey);
  const code = dig(Array.isArray(custom) ? custom[0] : custom, codeKey);
  const text = typeof code === 'number' ? String(code) : asText(code);
  return text === undefined || text.trim() === '403';
}

/** Terraform: `parsed` is the file's hcl2json output, from `albForbidden`. */
export function albWafTerraform(
  file: ScanFile,
  parsed: Record<string, unknown>,
  listeners: DetectFinding[],
  status: number,
  result: ForbiddenResult,
): void {
  const first = (value: unknown): unknown => asList(value)[0];
  // `aws_lb.<name>` -> its mTLS listener.
  const byBalancer = new Map<string, DetectFinding>();
  for (const finding of listeners) {
    const match = /resource "(aws_(?:a)?lb_listener)" "([^"]+)"/.exec(finding.evidence);
    const block = match ? first(dig(parsed, 'resource', match[1], match[2])) : undefined;
    const balancer = /\b(aws_(?:a)?lb\.[\w-]+)\.(?:arn|id)\b/.exec(
      asText(dig(block, 'load_balancer_arn')) ?? '',
    );
    if (balancer) byBalancer.set(balancer[1], finding);
  }
  for (const type of ['aws_wafv2_web_acl_association', 'aws_wafregional_web_acl_association']) {
    for (const [name, list] of Object.entries(asObject(dig(parsed, 'resource', type)) ?? {})) {
      const block = first(list);
      const arn = asText(dig(block, 'resource_arn')) ?? '';
      const target = /\b(aws_(?:a)?lb\.[\w-]+)\.(?:arn|id)\b/.exec(arn)?.[1];
      const line = lineAfter(file, type, name, 'resource_arn');
      const evidence = `resource "${type}" "${name}": ${file.lines.lineText(line)}`;
      const finding = target === undefined ? undefined : byBalancer.get(target);
      if (!finding) {
        const local = /\b(aws_[\w-]+)\.([\w-]+)\./.exec(arn);
        if (!local || dig(parsed, 'resource', local[1], local[2]) === undefined)
          result.unplaced.push(untied(file, line, evidence, arn || 'an expression', status));
        continue;
      }
      const aclRef = /\baws_wafv2_web_acl\.([\w-]+)\./.exec(asText(dig(block, 'web_acl_arn')) ?? '')?.[1];
      const acl =
        aclRef === undefined ? undefined : first(dig(parsed, 'resource', 'aws_wafv2_web_acl', aclRef));
      const blockFix = `block { custom_response { response_code = ${status} } }`;
      if (aclRef === undefined || acl === undefined) {
        push(result, finding, {
          line,
          evidence,
          fix: `in the web ACL (${aclRef ?? 'not in this file'}), give each block action custom_response { response_code = ${status} }`,
        });
        continue;
      }
      const where = (pattern: RegExp): number => lineAfter(file, 'aws_wafv2_web_acl', aclRef, pattern);
      if (
        blocksWith403(dig(first(dig(acl, 'default_action')), 'block'), 'custom_response', 'response_code')
      ) {
        const at = where(/default_action\s*\{\s*block\b/);
        push(result, finding, {
          line: at,
          evidence: `aws_wafv2_web_acl.${aclRef}: ${file.lines.lineText(at)}`,
          fix: blockFix,
        });
      }
      for (const rule of asList(dig(acl, 'rule'))) {
        const ruleName = asText(dig(rule, 'name')) ?? '?';
        const statement = first(dig(rule, 'statement'));
        const group =
          (dig(statement, 'managed_rule_group_statement') !== undefined ||
            dig(statement, 'rule_group_reference_statement') !== undefined) &&
          dig(first(dig(rule, 'override_action')), 'count') === undefined;
        const blocks = blocksWith403(
          dig(first(dig(rule, 'action')), 'block'),
          'custom_response',
          'response_code',
        );
        if (!group && !blocks) continue;
        const at = where(new RegExp(`name\\s*=\\s*"${ruleName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
        push(result, finding, {
          line: at,
          evidence: `aws_wafv2_web_acl.${aclRef} rule ${ruleName}: ${file.lines.lineText(at)}`,
          fix: group
            ? `rule_action_override { name = <each rule of the group>, action_to_use { ${blockFix} } } in the group statement`
            : blockFix,
        });
      }
    }
  }
}
