import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectMode } from '../types.js';
import { words } from '../text.js';

export function isApacheCandidate(file: ScanFile): boolean {
  return (
    /^\s*SSLVerifyClient\s/im.test(file.text) && !/\.(ya?ml|json|[cm]?[jt]sx?|tf|md)$/i.test(file.baseName)
  );
}

interface Section {
  kind: string;
  argument: string;
  start: number;
  end: number;
  hosts: string[];
}

const PATH_SECTIONS = new Set(['location', 'locationmatch', 'directory', 'directorymatch', 'files']);

/**
 * Apache httpd `SSLVerifyClient require|optional|optional_no_ca` (mod_ssl), read by a line scan (no
 * maintained httpd config parser exists on npm): inside `<VirtualHost>` with its `ServerName`/`ServerAlias`,
 * and inside `<Location>`/`<Directory>` sections as per-path renegotiation.
 */
export function readApache(file: ScanFile): DetectFinding[] {
  const sections: Section[] = [];
  const open: Section[] = [];
  const directives: { line: number; mode: DetectMode }[] = [];
  file.text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    const number = index + 1;
    if (line.startsWith('#') || line === '') return;
    const opening = /^<\s*([A-Za-z]+)\s*([^>]*)>/.exec(line);
    if (opening) {
      const section = {
        kind: opening[1].toLowerCase(),
        argument: words(opening[2].trim())[0] ?? '',
        start: number,
        end: Number.MAX_SAFE_INTEGER,
        hosts: [],
      };
      sections.push(section);
      open.push(section);
      return;
    }
    if (/^<\/\s*[A-Za-z]+\s*>/.test(line)) {
      const section = open.pop();
      if (section) section.end = number;
      return;
    }
    const directive = /^(\S+)\s+(.*)$/.exec(line);
    if (!directive) return;
    const name = directive[1].toLowerCase();
    if (name === 'servername' || name === 'serveralias') {
      const vhost = [...open].reverse().find((section) => section.kind === 'virtualhost');
      vhost?.hosts.push(
        ...words(directive[2]).map((host) => host.replace(/^https?:\/\//, '').replace(/:\d+$/, '')),
      );
    } else if (name === 'sslverifyclient') {
      const value = directive[2].trim().toLowerCase();
      const mode: DetectMode | undefined =
        value === 'require'
          ? 'required'
          : value === 'optional' || value === 'optional_no_ca'
            ? 'optional'
            : undefined;
      if (mode) directives.push({ line: number, mode });
    }
  });
  return directives.map(({ line, mode }) => {
    const around = sections.filter((section) => section.start < line && line < section.end);
    const vhost = around.filter((section) => section.kind === 'virtualhost').pop();
    const scoped = around.filter((section) => PATH_SECTIONS.has(section.kind)).pop();
    return file.finding(line, 'apache', mode, 'pattern', {
      hosts: vhost?.hosts ?? [],
      paths: scoped ? [scoped.argument] : [],
      note: scoped
        ? `per-path renegotiation inside <${scoped.kind} ${scoped.argument}>: the certificate is asked for there only`
        : undefined,
    });
  });
}
