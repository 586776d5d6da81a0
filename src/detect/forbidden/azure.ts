import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectForbidden } from '../types.js';
import { asList, asText, dig } from '../yaml-documents.js';
import { lineAfter } from '../sources/terraform.js';
import { forbiddenUnder, noForbidden, type ForbiddenResult } from './result.js';

/**
 * What App Service answers to an address its access restrictions deny: 403 Forbidden, with no setting for the
 * status. Source: Microsoft Learn, "Set up Azure App Service access restrictions" (rules, the implicit "Deny all"
 * once a rule exists, `ipSecurityRestrictionsDefaultAction`).
 */
const EVIDENCE = 'App Service access restrictions: 403 Forbidden to a client address they deny';

/** An App Service site's access restrictions, as far as they refuse anything. */
interface Restrictions {
  rules: unknown[];
  defaultAction?: string;
}

/** Whether restrictions refuse some address: a Deny rule, a default action of Deny, or any Allow rule without a default of Allow. */
function refuses({ rules, defaultAction }: Restrictions): boolean {
  if (defaultAction?.toLowerCase() === 'deny') return true;
  const actions = rules.map((rule) => (asText(dig(rule, 'action')) ?? 'Allow').toLowerCase());
  if (actions.includes('deny')) return true;
  return actions.length > 0 && defaultAction?.toLowerCase() !== 'allow';
}

function fix(status: number): string {
  return `App Service has no setting for this status: check the client address in the app and answer ${status} there, or in front of it (Front Door / Application Gateway WAF custom block response status ${status}); leave App Service's restrictions to addresses no mTLS client uses`;
}

/**
 * The 403s Azure App Service answers itself on a site that requires client certificates (`findings`, all from
 * `file`): its access restrictions, when they refuse some address. ARM templates (`siteConfig`
 * `ipSecurityRestrictions` / `ipSecurityRestrictionsDefaultAction`, a `config` child resource `web`, a top-level
 * `Microsoft.Web/sites/config` in a file with one such site), Terraform
 * (`site_config` `ip_restriction` blocks / `ip_restriction_default_action`) and Bicep (a line scan: in a file with
 * one such site, else listed as not placed). API Management policies are not read. Throws the parser's error.
 */
export async function azureForbidden(
  file: ScanFile,
  findings: DetectFinding[],
  status: number,
): Promise<ForbiddenResult> {
  const result = noForbidden();
  const sites = findings.filter(isAppServiceSite);
  if (!sites.length) return result;
  if (sites[0].reader === 'yaml') arm(file, sites, status, result);
  else if (sites[0].reader === '@cdktf/hcl2json') await terraform(file, sites, status, result);
  else bicep(file, sites, status, result);
  return result;
}

/** Whether a finding is an App Service site with client certificates (not API Management, which only negotiates). */
export function isAppServiceSite(finding: DetectFinding): boolean {
  return (
    finding.source === 'azure' &&
    (finding.note?.startsWith('clientCertMode') === true ||
      /^resource "azurerm_(?:linux_|windows_)?(?:web_app|app_service|function_app)(?:_slot)?"/.test(
        finding.evidence,
      ))
  );
}

function arm(file: ScanFile, sites: DetectFinding[], status: number, result: ForbiddenResult): void {
  for (const document of file.yamlDocuments()) {
    const visit = (resources: unknown, path: (string | number)[]): void => {
      asList(resources).forEach((resource, index) => {
        const at = [...path, index];
        const type = asText(dig(resource, 'type')) ?? '';
        if (/^Microsoft\.Web\/sites(\/slots)?$/i.test(type)) {
          const finding = sites.find(
            (site) => site.line === document.lineOf([...at, 'properties', 'clientCertEnabled']),
          );
          if (finding) {
            const places: { restrictions: Restrictions; path: (string | number)[] }[] = [];
            const siteConfig = dig(resource, 'properties', 'siteConfig');
            places.push({
              restrictions: restrictionsOf(siteConfig),
              path: [...at, 'properties', 'siteConfig'],
            });
            // A `config` child named `web` (nested) or `<site>/web` (top level, by name).
            asList(dig(resource, 'resources')).forEach((child, position) => {
              if (
                /config$/i.test(asText(dig(child, 'type')) ?? '') &&
                /web$/i.test(asText(dig(child, 'name')) ?? '')
              )
                places.push({
                  restrictions: restrictionsOf(dig(child, 'properties')),
                  path: [...at, 'resources', position, 'properties'],
                });
            });
            // A top-level `Microsoft.Web/sites/config` is this site's when the file has one such site.
            if (sites.length === 1)
              asList(dig(document.data, 'resources')).forEach((other, position) => {
                if (/^Microsoft\.Web\/sites\/config$/i.test(asText(dig(other, 'type')) ?? ''))
                  places.push({
                    restrictions: restrictionsOf(dig(other, 'properties')),
                    path: ['resources', position, 'properties'],
                  });
              });
            for (const place of places) {
              if (!refuses(place.restrictions)) continue;
              const key = place.restrictions.rules.length
                ? 'ipSecurityRestrictions'
                : 'ipSecurityRestrictionsDefaultAction';
              const line = document.lineOf([...place.path, key]);
              result.forbidden.push(restrictionEntry(finding, line, file.lines.lineText(line), status));
            }
          }
        }
        visit(dig(resource, 'resources'), [...at, 'resources']);
      });
    };
    visit(dig(document.data, 'resources'), ['resources']);
  }
}

function restrictionsOf(config: unknown): Restrictions {
  return {
    rules: asList(dig(config, 'ipSecurityRestrictions')),
    defaultAction: asText(dig(config, 'ipSecurityRestrictionsDefaultAction')),
  };
}

async function terraform(
  file: ScanFile,
  sites: DetectFinding[],
  status: number,
  result: ForbiddenResult,
): Promise<void> {
  const { parse } = await import('@cdktf/hcl2json');
  const parsed = (await parse(file.relative, file.text)) as Record<string, unknown>;
  for (const finding of sites) {
    const match = /^resource "([\w-]+)" "([\w-]+)"/.exec(finding.evidence);
    if (!match) continue;
    const block = asList(dig(parsed, 'resource', match[1], match[2]))[0];
    const siteConfig = asList(dig(block, 'site_config'))[0];
    const restrictions: Restrictions = {
      rules: asList(dig(siteConfig, 'ip_restriction')),
      defaultAction: asText(dig(siteConfig, 'ip_restriction_default_action')),
    };
    if (!refuses(restrictions)) continue;
    const line = lineAfter(
      file,
      match[1],
      match[2],
      restrictions.rules.length ? /\bip_restriction\s*\{/ : 'ip_restriction_default_action',
    );
    result.forbidden.push(restrictionEntry(finding, line, file.lines.lineText(line), status));
  }
}

/** The entry of an access-restriction list or default action that refuses some address, at `line` (`text`). */
function restrictionEntry(
  finding: DetectFinding,
  line: number,
  text: string,
  status: number,
): DetectForbidden {
  return forbiddenUnder(finding, {
    line,
    source: 'azure',
    evidence: `${EVIDENCE}: ${text.trim()}`,
    paths: [],
    fix: fix(status),
  });
}

function bicep(file: ScanFile, sites: DetectFinding[], status: number, result: ForbiddenResult): void {
  const lines = file.text.split('\n');
  const allowDefault = /ipSecurityRestrictionsDefaultAction\s*:\s*'Allow'/i.test(file.text);
  lines.forEach((raw, index) => {
    const rules = /^\s*ipSecurityRestrictions\s*:\s*\[/.test(raw);
    const denyDefault = /^\s*ipSecurityRestrictionsDefaultAction\s*:\s*'Deny'/i.test(raw);
    if (!rules && !denyDefault) return;
    if (rules) {
      if (/\[\s*\]/.test(raw)) return; // no rule: nothing refused
      // The rule list: its lines up to the `]` indented as the key. With a default of Allow, only Deny rules refuse.
      const indent = /^\s*/.exec(raw)?.[0].length ?? 0;
      const end = lines.findIndex(
        (line, at) => at > index && /^\s*\]/.test(line) && line.indexOf(']') <= indent,
      );
      const list = lines.slice(index, end === -1 ? undefined : end).join('\n');
      if (allowDefault && !/action\s*:\s*'Deny'/i.test(list)) return;
    }
    const line = index + 1;
    if (sites.length === 1) {
      result.forbidden.push(restrictionEntry(sites[0], line, raw, status));
    } else {
      result.unplaced.push({
        file: file.relative,
        line,
        source: 'azure',
        evidence: `${EVIDENCE}: ${raw.trim()}`,
        reason: `the file has ${sites.length} sites with client certificates and Bicep is read by a line scan: if this is one of theirs, ${fix(status)}`,
      });
    }
  });
}
