import type { ScanFile } from '../scan-file.js';
import { words } from '../text.js';
import {
  APACHE_PATH_SECTIONS,
  parseApacheConfig,
  virtualHostOf,
  type ApacheDirective,
} from '../apache-config.js';
import type { DetectFinding } from '../types.js';
import { forbiddenUnder, noForbidden, type ForbiddenResult } from './result.js';

/** Require providers that authenticate a user: a failure is a 401 challenge, not a 403. */
const AUTHN_PROVIDERS =
  /^(valid-user|user|group|file-group|file-owner|dbm-group|dbd-group|ldap-user|ldap-group|ldap-dn|ldap-attribute|ldap-filter|ldap-search|owner)$/i;

/**
 * 403s Apache httpd answers itself where `SSLVerifyClient` asks for a client certificate (the findings):
 * `Require` with a provider that does not authenticate a user (`all denied`, `ip`, `host`, `expr`, `env`,
 * `ssl-verify-client`, `not ...`: mod_authz_core answers 403), `SSLRequire` (mod_ssl), `Deny from`
 * (mod_access_compat), `RewriteRule ... [F]` / `[R=403]` (mod_rewrite), `Redirect 403` (mod_alias). Tied
 * to the `SSLVerifyClient` of the same `<VirtualHost>` (or the per-path one whose section encloses it);
 * a 403 outside any `<VirtualHost>` applies to every virtual host and is tied to the first mTLS one.
 * Line scan (`parseApacheConfig`), as the termination reader. Folders served without an index
 * (`DocumentRoot`, `Alias`) are read over every file of the server (apache-served.ts).
 */
export function apacheForbidden(file: ScanFile, findings: DetectFinding[], status: number): ForbiddenResult {
  const result = noForbidden();
  const { directives } = parseApacheConfig(file.text);
  const verifies = directives
    .filter((directive) => directive.name === 'sslverifyclient')
    .map((directive) => ({ directive, finding: findings.find((finding) => finding.line === directive.line) }))
    .filter(
      (entry): entry is { directive: ApacheDirective; finding: DetectFinding } => entry.finding !== undefined,
    );
  const ownLevel = (entry: { directive: ApacheDirective }): boolean =>
    !entry.directive.within.some((section) => APACHE_PATH_SECTIONS.has(section.kind));
  for (const directive of directives) {
    const fix = forbiddenFix(directive, status, directives);
    if (!fix) continue;
    const vhost = virtualHostOf(directive);
    const inVhost = verifies.filter((entry) => virtualHostOf(entry.directive) === vhost);
    const target =
      inVhost.find(ownLevel) ??
      inVhost.find((entry) =>
        entry.directive.within.every((section) => directive.within.includes(section)),
      ) ??
      (vhost === undefined ? verifies.find(ownLevel) : undefined) ??
      (vhost !== undefined &&
      !directives.some((d) => d.name === 'sslverifyclient' && virtualHostOf(d) === vhost)
        ? verifies.find((entry) => virtualHostOf(entry.directive) === undefined)
        : undefined);
    if (!target) continue;
    const paths = directive.within
      .filter((section) => APACHE_PATH_SECTIONS.has(section.kind))
      .map((section) => section.argument);
    result.forbidden.push(
      forbiddenUnder(target.finding, {
        line: directive.line,
        source: 'apache',
        evidence: directive.text,
        paths: paths.length
          ? [paths[paths.length - 1]]
          : directive.name === 'alias'
            ? words(directive.value).slice(0, 1)
            : [],
        fix,
        note:
          vhost === undefined && virtualHostOf(target.directive) !== undefined
            ? 'server-wide (outside any <VirtualHost>): applies to every virtual host, the mTLS one included'
            : undefined,
      }),
    );
  }
  return result;
}

const BY_HAND = 'change to the agreed status by hand';

/**
 * The change that makes one directive answer the agreed status, or undefined when it answers no 403.
 * `directives`: the file's directives (an `Allow from` depends on the `Order` of its section).
 */
export function forbiddenFix(
  directive: ApacheDirective,
  status: number,
  directives: readonly ApacheDirective[] = [],
): string | undefined {
  const rewrite = `RewriteRule ^ - [R=${status},L]`;
  switch (directive.name) {
    case 'require': {
      const parts = words(directive.value);
      // Inside <RequireNone> a Require that succeeds denies: even `all granted` and a user's is a 403 there.
      if (directive.within.some((section) => section.kind === 'requirenone'))
        return `mod_authz_core answers 403 when a Require inside <RequireNone> succeeds: ${BY_HAND} (a RewriteCond on the same condition + \`${rewrite}\`)`;
      const negated = parts[0]?.toLowerCase() === 'not';
      const provider = (negated ? parts[1] : parts[0])?.toLowerCase() ?? '';
      if (
        !negated &&
        (AUTHN_PROVIDERS.test(provider) || (provider === 'all' && parts[1]?.toLowerCase() === 'granted'))
      )
        return undefined;
      if (provider === 'all') {
        const fileSection = directive.within.find((section) => /^(directory|files)/.test(section.kind));
        return fileSection
          ? `mod_authz_core answers 403 for every file this <${fileSection.kind}> section covers: ${BY_HAND} (\`${rewrite}\` in a <Location> for the same URL paths)`
          : `mod_authz_core answers 403: replace it with \`${rewrite}\` (RewriteEngine On)`;
      }
      if (provider === 'ssl-verify-client' && !negated)
        return `mod_authz_core answers 403: replace it with \`RewriteCond %{SSL:SSL_CLIENT_VERIFY} !=SUCCESS\` + \`${rewrite}\` (RewriteEngine On)`;
      if (provider === 'expr' && !negated)
        return `mod_authz_core answers 403: replace it with \`RewriteCond expr "!(${singleQuoted(parts.slice(1).join(' '))})"\` + \`${rewrite}\` (RewriteEngine On)`;
      return `mod_authz_core answers 403 when it fails and its status cannot be configured: ${BY_HAND} (a RewriteCond on the same condition + \`${rewrite}\`)`;
    }
    case 'sslrequire':
      return `mod_ssl answers 403 when the expression is false: replace it with \`RewriteCond expr "!(${singleQuoted(directive.value)})"\` + \`${rewrite}\` (RewriteEngine On)`;
    case 'deny':
      return /^from\b/i.test(directive.value)
        ? `mod_access_compat answers 403: ${BY_HAND} (a RewriteCond on the same addresses + \`${rewrite}\`)`
        : undefined;
    case 'allow': {
      // mod_access_compat: under `Order Allow,Deny` (or Mutual-failure) whoever no `Allow from` names is denied
      // with 403; `Allow from all` names everyone. The default order (Deny,Allow) allows whoever is not denied.
      if (!/^from\b/i.test(directive.value) || /^from\s+all\s*$/i.test(directive.value)) return undefined;
      return orderOf(directive, directives) === 'allow'
        ? `mod_access_compat answers 403 to every client no \`Allow from\` names (Order Allow,Deny): ${BY_HAND} (a RewriteCond on the addresses it does not name + \`${rewrite}\`)`
        : undefined;
    }
    case 'rewriterule': {
      const parts = words(directive.value);
      const last = parts[parts.length - 1] ?? '';
      if (parts.length < 3 || !/^\[.*\]$/.test(last)) return undefined;
      const flags = last
        .slice(1, -1)
        .split(',')
        .map((flag) => flag.trim());
      const forbids = flags.some((flag) => /^(F|forbidden)$/i.test(flag) || /^(R|redirect)=403$/i.test(flag));
      if (!forbids) return undefined;
      const kept = flags.filter((flag) => !/^(F|forbidden|L|last|(R|redirect)(=\d+)?)$/i.test(flag));
      return `RewriteRule ${parts[0]} - [${[`R=${status}`, 'L', ...kept].join(',')}]`;
    }
    case 'redirect':
    case 'redirectmatch':
      return /^403\b/.test(directive.value) ? directive.text.replace(/\b403\b/, String(status)) : undefined;
    default:
      return undefined;
  }
}

/** An ap_expr with its double-quoted strings single-quoted, to sit inside `RewriteCond expr "..."`. */
function singleQuoted(expression: string): string {
  return expression.replace(/"([^"']*)"/g, "'$1'");
}

/**
 * The `Order` (mod_access_compat) in force where a directive sits: the last `Order` of its innermost section that
 * has one, else of the file's top level; `allow` for Allow,Deny and Mutual-failure, `deny` otherwise (httpd's
 * default is Deny,Allow).
 */
function orderOf(directive: ApacheDirective, directives: readonly ApacheDirective[]): 'allow' | 'deny' {
  const sections = [undefined, ...directive.within];
  for (let depth = sections.length - 1; depth >= 0; depth--) {
    const section = sections[depth];
    const order = directives
      .filter(
        (other) =>
          other.name === 'order' &&
          (section === undefined
            ? other.within.length === 0
            : other.within[other.within.length - 1] === section),
      )
      .pop();
    if (order) return /^(allow\s*,\s*deny|mutual-failure)\b/i.test(order.value) ? 'allow' : 'deny';
  }
  return 'deny';
}
