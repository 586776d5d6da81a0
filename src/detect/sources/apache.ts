import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectMode } from '../types.js';
import { words } from '../text.js';
import {
  APACHE_PATH_SECTIONS,
  parseApacheConfig,
  virtualHostOf,
  type ApacheSection,
} from '../apache-config.js';

export function isApacheCandidate(file: ScanFile): boolean {
  return (
    /^\s*SSLVerifyClient\s/im.test(file.text) && !/\.(ya?ml|json|[cm]?[jt]sx?|tf|md)$/i.test(file.baseName)
  );
}

/**
 * Apache httpd `SSLVerifyClient require|optional|optional_no_ca` (mod_ssl), read by a line scan
 * (`parseApacheConfig`): inside `<VirtualHost>` with its `ServerName`/`ServerAlias`, and inside
 * `<Location>`/`<Directory>` sections as per-path renegotiation.
 */
export function readApache(file: ScanFile): DetectFinding[] {
  const { directives: all } = parseApacheConfig(file.text);
  const hosts = new Map<ApacheSection, string[]>();
  const directives: { line: number; mode: DetectMode; within: ApacheSection[] }[] = [];
  for (const directive of all) {
    if (directive.name === 'servername' || directive.name === 'serveralias') {
      const vhost = virtualHostOf(directive);
      if (!vhost) continue;
      const names = hosts.get(vhost) ?? [];
      names.push(
        ...words(directive.value).map((host) => host.replace(/^https?:\/\//, '').replace(/:\d+$/, '')),
      );
      hosts.set(vhost, names);
    } else if (directive.name === 'sslverifyclient') {
      const value = directive.value.toLowerCase();
      const mode: DetectMode | undefined =
        value === 'require'
          ? 'required'
          : value === 'optional' || value === 'optional_no_ca'
            ? 'optional'
            : undefined;
      if (mode) directives.push({ line: directive.line, mode, within: directive.within });
    }
  }
  return directives.map(({ line, mode, within }) => {
    const vhost = within.filter((section) => section.kind === 'virtualhost').pop();
    const scoped = within.filter((section) => APACHE_PATH_SECTIONS.has(section.kind)).pop();
    return file.finding(line, 'apache', mode, 'pattern', {
      hosts: (vhost && hosts.get(vhost)) ?? [],
      paths: scoped ? [scoped.argument] : [],
      note: scoped
        ? `per-path renegotiation inside <${scoped.kind} ${scoped.argument}>: the certificate is asked for there only`
        : undefined,
    });
  });
}
