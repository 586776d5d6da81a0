import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectMode } from '../types.js';
import { asList, asObject, asText, dig, type YamlDocument } from '../yaml-documents.js';
import { hclBlocks } from './hcl-blocks.js';

/**
 * Azure Application Gateway mutual authentication (Microsoft Learn, "Overview of mutual authentication with
 * Application Gateway"): an SSL profile with trusted client CA certificates (`Strict`, the default: the gateway
 * verifies the certificate; required) or `verifyClientAuthMode: Passthrough` (the gateway asks for a certificate
 * and passes it on unverified; optional, but a client that has one presents it), used by the HTTPS listeners that
 * name it. One finding per such profile that a listener uses, with the listeners' host names (none written: every
 * host the listener takes).
 */
interface AppGatewayProfile {
  name: string;
  line: number;
  mode: DetectMode;
}

interface AppGatewayListener {
  name: string;
  /** The SSL profile it names; undefined when it names none, `null` when the reference cannot be read. */
  profile: string | undefined | null;
  hosts: string[];
}

const NOTE =
  'Application Gateway SSL profile with client authentication; its 403s (WAF in Prevention mode, custom block rules) are not read';

/** Is this an Application Gateway finding (an SSL profile with client authentication)? */
export function isAppGatewayFinding(finding: DetectFinding): boolean {
  return finding.source === 'azure' && (finding.note ?? '').startsWith(NOTE);
}

/**
 * Why an Application Gateway finding's 403s are not checked: its WAF (Prevention mode) and custom rules with a
 * Block action answer 403 unless the WAF policy's `customBlockResponseStatusCode` says otherwise (Microsoft Learn,
 * "Custom response status code" for Web Application Firewall on Application Gateway).
 */
export const APP_GATEWAY_NOT_CHECKED =
  'Application Gateway: a WAF in Prevention mode and custom rules with a Block action answer 403 unless the WAF policy sets customBlockResponseStatusCode; not read, check by hand';

/** The profile name an ARM / Bicep listener's `sslProfile.id` names, `null` when it is not written out. */
export function profileNameOf(reference: string): string | null {
  const call = /sslProfiles['"]?\s*,(?:[^,)]*,)*\s*'([^']+)'\s*\)/.exec(reference);
  if (call) return call[1];
  const path = /\/sslProfiles\/([A-Za-z0-9_.-]+)/.exec(reference);
  return path ? path[1] : null;
}

/** Findings for the profiles some listener uses (a listener whose reference cannot be read: `probably`, no hosts). */
function gatewayFindings(
  file: ScanFile,
  profiles: AppGatewayProfile[],
  listeners: AppGatewayListener[],
  reader: 'yaml' | 'pattern' | '@cdktf/hcl2json',
): DetectFinding[] {
  const findings: DetectFinding[] = [];
  const unreadable = listeners.filter((listener) => listener.profile === null);
  for (const profile of profiles) {
    const using = listeners.filter((listener) => listener.profile === profile.name);
    if (using.length === 0 && unreadable.length === 0) continue;
    const everyHost = using.some((listener) => listener.hosts.length === 0) || using.length === 0;
    findings.push(
      file.finding(profile.line, 'azure', profile.mode, reader, {
        hosts: everyHost ? [] : [...new Set(using.flatMap((listener) => listener.hosts))],
        confidence: using.length === 0 ? 'probably' : 'certain',
        note:
          using.length === 0
            ? `${NOTE}; listener(s) ${unreadable.map((listener) => listener.name).join(', ')} name their SSL profile in a form not read`
            : `${NOTE}; used by listener(s) ${using.map((listener) => listener.name).join(', ')}${profile.mode === 'optional' ? ' (Passthrough: the gateway asks for the certificate, the backend decides)' : ''}`,
      }),
    );
  }
  return findings;
}

function armMode(profileProperties: Record<string, unknown>): DetectMode | undefined {
  const trusted = asList(profileProperties.trustedClientCertificates).length > 0;
  const mode = asText(dig(profileProperties, 'clientAuthConfiguration', 'verifyClientAuthMode'));
  if (mode && /^passthrough$/i.test(mode)) return 'optional';
  if (trusted || (mode && /^strict$/i.test(mode))) return 'required';
  return undefined;
}

/**
 * ARM (`Microsoft.Network/applicationGateways` `properties.sslProfiles` / `httpListeners`), one resource at
 * `at` in `document`.
 */
export function readAppGatewayArm(
  file: ScanFile,
  document: YamlDocument,
  at: (string | number)[],
  properties: Record<string, unknown>,
): DetectFinding[] {
  const profiles: AppGatewayProfile[] = [];
  asList(properties.sslProfiles).forEach((profile, index) => {
    const own = asObject(dig(profile, 'properties')) ?? {};
    const mode = armMode(own);
    const name = asText(dig(profile, 'name'));
    if (!mode || !name) return;
    const key =
      own.clientAuthConfiguration !== undefined ? 'clientAuthConfiguration' : 'trustedClientCertificates';
    profiles.push({
      name,
      line: document.lineOf([...at, 'properties', 'sslProfiles', index, 'properties', key]),
      mode,
    });
  });
  const listeners = asList(properties.httpListeners).map((listener): AppGatewayListener => {
    const reference = asText(dig(listener, 'properties', 'sslProfile', 'id'));
    return {
      name: asText(dig(listener, 'name')) ?? '?',
      profile: reference === undefined ? undefined : profileNameOf(reference),
      hosts: [
        asText(dig(listener, 'properties', 'hostName')),
        ...asList(dig(listener, 'properties', 'hostNames')).map(asText),
      ].filter((host): host is string => Boolean(host) && !/^\[/.test(host ?? '')),
    };
  });
  return gatewayFindings(file, profiles, listeners, 'yaml');
}

/** Bicep text without strings and `//` comments (for counting brackets), same length. */
function structural(line: string): string {
  return line.replace(/'(?:[^'\\]|\\.)*'/g, (text) => ' '.repeat(text.length)).replace(/\/\/.*$/, '');
}

/** The objects of the Bicep array property `name: [` (their text and first line), by bracket depth. */
function bicepArray(lines: string[], name: string): { text: string; line: number }[] {
  const objects: { text: string; line: number }[] = [];
  lines.forEach((raw, index) => {
    if (!new RegExp(`^\\s*${name}\\s*:\\s*\\[`).test(raw)) return;
    let depth = 0;
    let current: { text: string; line: number } | undefined;
    for (let at = index; at < lines.length; at++) {
      const shape = structural(lines[at]);
      for (const char of shape) {
        if (char === '[' || char === '{') {
          depth++;
          if (depth === 2 && char === '{') current = { text: '', line: at + 1 };
        } else if (char === ']' || char === '}') {
          if (depth === 2 && current) {
            current.text += `${lines[at]}\n`;
            objects.push(current);
            current = undefined;
          }
          depth--;
        }
      }
      if (current && !objects.includes(current)) current.text += `${lines[at]}\n`;
      if (depth <= 0 && at > index) break;
      if (depth <= 0 && at === index && !shape.includes('[')) break;
    }
  });
  return objects;
}

/**
 * Bicep, by a line scan (no Bicep parser on npm): the `sslProfiles` and `httpListeners` arrays of an Application
 * Gateway, each object read by bracket depth.
 */
export function scanAppGatewayBicep(file: ScanFile): DetectFinding[] {
  const lines = file.text.split('\n');
  const profiles: AppGatewayProfile[] = [];
  for (const profile of bicepArray(lines, 'sslProfiles')) {
    const name = /\bname\s*:\s*'([^']+)'/.exec(profile.text)?.[1];
    const mode = /verifyClientAuthMode\s*:\s*'Passthrough'/i.test(profile.text)
      ? 'optional'
      : /trustedClientCertificates\s*:\s*\[\s*\S/.test(profile.text) ||
          /verifyClientAuthMode\s*:\s*'Strict'/i.test(profile.text)
        ? 'required'
        : undefined;
    if (!name || !mode) continue;
    const offset = profile.text
      .split('\n')
      .findIndex((line) => /clientAuthConfiguration|trustedClientCertificates/.test(line));
    profiles.push({ name, line: profile.line + Math.max(offset, 0), mode });
  }
  if (profiles.length === 0) return [];
  const listeners = bicepArray(lines, 'httpListeners').map((listener): AppGatewayListener => {
    const reference = /sslProfile\s*:\s*\{[^}]*?\bid\s*:\s*([^\n]+)/.exec(listener.text)?.[1];
    const hosts = [
      /\bhostName\s*:\s*'([^']+)'/.exec(listener.text)?.[1],
      ...[...(/\bhostNames\s*:\s*\[([^\]]*)\]/.exec(listener.text)?.[1] ?? '').matchAll(/'([^']+)'/g)].map(
        (match) => match[1],
      ),
    ].filter((host): host is string => Boolean(host));
    return {
      name: /\bname\s*:\s*'([^']+)'/.exec(listener.text)?.[1] ?? '?',
      profile: reference === undefined ? undefined : profileNameOf(reference),
      hosts,
    };
  });
  return gatewayFindings(file, profiles, listeners, 'pattern');
}

/**
 * Terraform `azurerm_application_gateway`: `ssl_profile` blocks with `trusted_client_certificate_names` (the azurerm
 * provider verifies against them: required), used by `http_listener` blocks' `ssl_profile_name`. `lineOf` gives the
 * line of a profile by its name.
 */
export function readAppGatewayTerraform(
  file: ScanFile,
  block: unknown,
  lineOf: (profile: string) => number,
): DetectFinding[] {
  const profiles: AppGatewayProfile[] = [];
  for (const profile of hclBlocks(block, 'ssl_profile').map((entry) => entry.body)) {
    const name = asText(dig(profile, 'name'));
    const trusted = dig(profile, 'trusted_client_certificate_names');
    if (!name || trusted === undefined || (Array.isArray(trusted) && trusted.length === 0)) continue;
    profiles.push({ name, line: lineOf(name), mode: 'required' });
  }
  const listeners = hclBlocks(block, 'http_listener').map(({ body: listener }): AppGatewayListener => {
    const profile = asText(dig(listener, 'ssl_profile_name'));
    return {
      name: asText(dig(listener, 'name')) ?? '?',
      profile: profile === undefined ? undefined : /^\$\{/.test(profile) ? null : profile,
      hosts: [asText(dig(listener, 'host_name')), ...asList(dig(listener, 'host_names')).map(asText)].filter(
        (host): host is string => Boolean(host),
      ),
    };
  });
  return gatewayFindings(file, profiles, listeners, '@cdktf/hcl2json');
}
