import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectSkip } from '../types.js';
import { asList, asObject, asText } from '../yaml-documents.js';
import { parseXml } from '../xml-document.js';

/**
 * Apigee (Edge, OPDK) TLS client authentication, `SSLInfo` `ClientAuthEnabled` (session 46). Apigee docs ("Options for
 * configuring TLS", "About virtual hosts"): in a **virtual host** it is northbound two-way TLS (the router asks
 * every client for a certificate: a finding, `required`, for the virtual host's `HostAliases`); in a
 * **TargetEndpoint** or **TargetServer** it is southbound (Apigee presents its own certificate to the backend: no
 * certificate asked of a client, so read and left out). Before, both were named under "Not read" as "an mTLS server
 * setting", so a repository of proxies calling mTLS backends never read clean. Read in the XML of a proxy bundle or
 * environment (`<VirtualHost>`, `<TargetServer>`, `<TargetEndpoint>` as the file's root element; parsed with
 * @xmldom/xmldom, xml-document.ts) and in the management API's JSON (a virtual host has `hostAliases`, a target server `host`
 * and `port`; the key is spelt `sSLInfo`, `sslInfo` or `SSLInfo`; also apigee-config-maven-plugin's `virtualHosts` /
 * `targetServers` lists). A setting in any other place stays named under "Not read" (src/detect/unread-gateways.ts).
 */
export interface ApigeeRead {
  findings: DetectFinding[];
  /** The virtual host's name of each finding (same order), when written. */
  names: (string | undefined)[];
  /** Southbound settings, read and left out. */
  leftOut: DetectSkip[];
  /** Whether every `ClientAuthEnabled` true of the file was placed (a virtual host or a target). */
  placed: boolean;
}

/**
 * `<ClientAuthEnabled>true</ClientAuthEnabled>` (spaces inside the tags, a CDATA section) or the JSON key with a
 * true value: the cheap question, asked of the text before it is parsed.
 */
export const APIGEE_CLIENT_AUTH =
  /<ClientAuthEnabled\s*>\s*(?:<!\[CDATA\[\s*)?true\b|["']clientAuthEnabled["']\s*:\s*["']?true\b/i;

const SOUTHBOUND =
  'Apigee presents its own certificate to the backend (southbound two-way TLS, SSLInfo in a TargetEndpoint or ' +
  'TargetServer): no certificate is asked of a client, so it is not in the proposal';

/** The Apigee client authentication settings of a file; undefined when it holds none. Never throws. */
export function readApigee(file: ScanFile): ApigeeRead | undefined {
  if (!APIGEE_CLIENT_AUTH.test(file.text)) return undefined;
  return /\.json$/i.test(file.baseName) ? readJson(file) : readXml(file);
}

/** XML (parsed, xml-document.ts): the file's root element decides. Not well-formed XML is not placed. */
function readXml(file: ScanFile): ApigeeRead {
  const out: ApigeeRead = { findings: [], names: [], leftOut: [], placed: true };
  const document = parseXml(file.text);
  if (!document) return { ...out, placed: false };
  const lines = document
    .elements('ClientAuthEnabled')
    .filter((element) => /^true$/i.test(element.text))
    .map((element) => element.line);
  if (lines.length === 0) return out;
  if (document.root === 'TargetEndpoint' || document.root === 'TargetServer') {
    for (const line of lines) out.leftOut.push(southbound(file, line));
    return out;
  }
  if (document.root !== 'VirtualHost') return { ...out, placed: false };
  const name = document.attribute('name');
  const hosts = document
    .elements('HostAlias')
    .map((element) => element.text)
    .filter((alias) => alias !== '')
    .map(bareHost);
  for (const line of lines) {
    out.findings.push(virtualHost(file, line, hosts, '@xmldom/xmldom', name));
    out.names.push(name);
  }
  return out;
}

/** JSON: each object holding an SSLInfo with client authentication on, judged by its own keys. */
function readJson(file: ScanFile): ApigeeRead {
  const out: ApigeeRead = { findings: [], names: [], leftOut: [], placed: true };
  let documents;
  try {
    documents = file.yamlDocuments();
  } catch {
    return { ...out, placed: false };
  }
  let seen = 0;
  for (const document of documents) {
    const visit = (node: unknown, at: (string | number)[]): void => {
      if (Array.isArray(node)) {
        node.forEach((item, index) => visit(item, [...at, index]));
        return;
      }
      const object = asObject(node);
      if (!object) return;
      for (const [key, value] of Object.entries(object)) {
        if (/^s?sslinfo$/i.test(key)) {
          const info = asObject(value);
          const auth = info && Object.keys(info).find((entry) => entry.toLowerCase() === 'clientauthenabled');
          if (auth === undefined || !/^true$/i.test(String(info?.[auth]))) continue;
          seen++;
          const line = document.lineOf([...at, key, auth]);
          const container =
            at.filter((segment): segment is string => typeof segment === 'string').pop() ?? '';
          if (Object.hasOwn(object, 'hostAliases') || /virtualhosts?$/i.test(container)) {
            const hosts = asList(object.hostAliases)
              .map((alias) => asText(alias))
              .filter((alias): alias is string => alias !== undefined)
              .map(bareHost);
            out.findings.push(virtualHost(file, line, hosts, 'yaml', asText(object.name)));
            out.names.push(asText(object.name));
          } else if (
            (Object.hasOwn(object, 'host') && Object.hasOwn(object, 'port')) ||
            /targetservers?$/i.test(container)
          )
            out.leftOut.push(southbound(file, line));
          else out.placed = false;
          continue;
        }
        visit(value, [...at, key]);
      }
    };
    visit(document.data, []);
  }
  // A true the walk did not meet (a string holding the XML, a key in another shape): not placed.
  if (seen < [...file.text.matchAll(new RegExp(APIGEE_CLIENT_AUTH.source, 'gi'))].length) out.placed = false;
  return out;
}

/** `api.bank.test:443` -> `api.bank.test`. */
function bareHost(alias: string): string {
  return alias.replace(/:\d+$/, '');
}

function virtualHost(
  file: ScanFile,
  line: number,
  hosts: string[],
  reader: DetectFinding['reader'],
  name: string | undefined,
): DetectFinding {
  return file.finding(line, 'apigee', 'required', reader, {
    hosts,
    note:
      `Apigee virtual host${name ? ` ${name}` : ''} with two-way TLS: the router asks every client for a ` +
      `certificate; the 403s of the API proxy bundles in this tree served on it are listed (RaiseFault, ` +
      `AssignMessage, AccessControl); proxies deployed from elsewhere are not read`,
  });
}

function southbound(file: ScanFile, line: number): DetectSkip {
  return { file: file.relative, line, leftOut: true, reason: `line ${line}: ${SOUTHBOUND}` };
}
