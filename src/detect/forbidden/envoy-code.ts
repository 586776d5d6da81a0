import path from 'node:path';
import type { ScanFile } from '../scan-file.js';
import type { DetectFinding } from '../types.js';
import { asObject, asText, type YamlDocument } from '../yaml-documents.js';
import { forbiddenCodeLines, lineAtOrAfter, type ProxyCodeFiles } from './proxy-code.js';
import { forbiddenUnder, type ForbiddenResult } from './result.js';

/** One HTTP filter of an mTLS filter chain's HttpConnectionManager, for `envoyFilterForbidden`. */
export interface EnvoyFilterContext {
  file: ScanFile;
  document: YamlDocument;
  /** The filter's path in the document. */
  at: (string | number)[];
  finding: DetectFinding;
  /** The manager's `local_reply_config` maps 403 to another status (it applies to Envoy's local replies). */
  remapped: boolean;
  status: number;
  files: ProxyCodeFiles;
  result: ForbiddenResult;
}

/**
 * The 403s of an external-authorization or Lua HTTP filter in an mTLS filter chain, into `context.result`:
 * - `envoy.filters.http.ext_authz`: Envoy answers `status_on_error` (403 Forbidden when unset; Envoy API
 *   `extensions.filters.http.ext_authz.v3.ExtAuthz.status_on_error`) when the authorization service fails,
 *   unless `failure_mode_allow: true` lets the request through: a `forbidden` entry; the service's own denials
 *   (a gRPC service's default denied status is 403) are passed on: `notChecked`.
 * - `envoy.filters.http.lua`: 403s in its code (`request_handle:respond({[":status"] = "403"}, ...)`) from
 *   `inline_code`, `default_source_code.inline_string` / `source_codes` or a `filename` the repository holds:
 *   `forbidden` entries; code the repository does not hold: `notChecked`.
 * - `envoy.filters.http.jwt_authn`: a provider with `audiences` (a JWT for another audience gets 403, Envoy
 *   jwt_authn `filter.cc`); `envoy.filters.http.csrf` with `filter_enabled` ("Invalid origin" is 403, csrf
 *   `filter.cc`); `envoy.filters.http.local_ratelimit` with `status: { code: Forbidden }`: `forbidden` entries.
 * - `envoy.filters.http.wasm` and `ext_proc`: what the module or processor answers is not seen: `notChecked`.
 * A `local_reply_config` that maps 403 to another status covers all of these.
 */
export function envoyFilterForbidden(filter: Record<string, unknown>, context: EnvoyFilterContext): void {
  if (context.remapped) return;
  const typed = asObject(filter.typed_config);
  const name = asText(filter.name) ?? '';
  const type = asText(typed?.['@type']) ?? '';
  const line = context.document.lineOf([...context.at, 'name']);
  const at = `${context.file.relative}:${line} envoy`;
  if (name.includes('ext_authz') || type.includes('ext_authz.v3.ExtAuthz')) {
    const code = asObject(typed?.status_on_error)?.code;
    const onError = typeof code === 'number' ? String(code) : asText(code);
    const errorIs403 = onError === undefined || onError === 'Forbidden' || onError === '403';
    if (typed?.failure_mode_allow !== true && errorIs403)
      add(
        context,
        context.file.relative,
        line,
        `${name || 'ext_authz'} (status_on_error ${onError ?? 'unset: 403'})`,
        {
          fix: `set \`status_on_error: { code: ${context.status === 401 ? 'Unauthorized' : context.status} }\` on the ext_authz filter (Envoy answers 403 when the authorization service fails)`,
        },
      );
    context.result.notChecked.push(
      `${at} (${name || 'ext_authz'} in the mTLS chain: Envoy passes on the authorization service's denials, 403 by default for a gRPC service; check that service, or map 403 to ${context.status} with this HttpConnectionManager's local_reply_config)`,
    );
    return;
  }
  const kind = (suffix: string, typeName: string): boolean =>
    name === `envoy.filters.http.${suffix}` || name === suffix || type.includes(typeName);
  if (kind('jwt_authn', 'jwt_authn.v3.JwtAuthentication')) {
    // Envoy answers 403 for a JWT whose audience is not allowed, 401 for any other failure (jwt_authn filter.cc).
    for (const [provider, config] of Object.entries(asObject(typed?.providers) ?? {})) {
      const audiences = asObject(config)?.audiences;
      if (!Array.isArray(audiences) || audiences.length === 0) continue;
      add(
        context,
        context.file.relative,
        context.document.lineOf([...context.at, 'typed_config', 'providers', provider, 'audiences']),
        `${name || 'jwt_authn'} provider ${provider} audiences (a JWT for another audience: 403)`,
        {
          fix: localReplyFix(
            context.status,
            'the JWT filter has no status setting for an audience it does not allow',
          ),
        },
      );
    }
    return;
  }
  if (kind('csrf', 'csrf.v3.CsrfPolicy')) {
    const enabled = asObject(asObject(typed?.filter_enabled)?.default_value);
    if (enabled && Number(enabled.numerator ?? 0) > 0)
      add(
        context,
        context.file.relative,
        line,
        `${name || 'csrf'} (filter_enabled: "Invalid origin" is 403)`,
        {
          fix: localReplyFix(context.status, 'the CSRF filter answers 403 and has no status setting'),
        },
      );
    return;
  }
  if (kind('local_ratelimit', 'local_ratelimit.v3.LocalRateLimit')) {
    const code = asObject(typed?.status)?.code;
    if (code === 'Forbidden' || code === 403)
      add(
        context,
        context.file.relative,
        context.document.lineOf([...context.at, 'typed_config', 'status']),
        `${name || 'local_ratelimit'} (status: Forbidden)`,
        {
          fix: 'set `status: { code: TooManyRequests }` (429, the rate-limit status)',
        },
      );
    return;
  }
  if (kind('wasm', 'wasm.v3.Wasm') || kind('ext_proc', 'ext_proc.v3.ExternalProcessor')) {
    context.result.notChecked.push(
      `${at} (${name || type} in the mTLS chain answers what its ${kind('wasm', 'wasm.v3.Wasm') ? 'Wasm module' : 'external processor'} decides; check it for 403s, or map 403 to ${context.status} with this HttpConnectionManager's local_reply_config)`,
    );
    return;
  }
  if (!(name.includes('.lua') || name === 'lua' || type.includes('lua.v3.Lua'))) return;
  const inline = [
    { key: ['inline_code'], code: asText(typed?.inline_code) },
    {
      key: ['default_source_code', 'inline_string'],
      code: asText(asObject(typed?.default_source_code)?.inline_string),
    },
    ...Object.entries(asObject(typed?.source_codes) ?? {}).map(([key, value]) => ({
      key: ['source_codes', key, 'inline_string'],
      code: asText(asObject(value)?.inline_string),
    })),
  ];
  for (const source of inline) {
    if (source.code) {
      const keyLine = context.document.lineOf([...context.at, 'typed_config', ...source.key]);
      for (const hit of forbiddenCodeLines(source.code, 'lua'))
        add(
          context,
          context.file.relative,
          lineAtOrAfter(context.file.text, keyLine, hit.evidence),
          hit.evidence,
          {
            fix: `answer ${context.status} instead (\`respond({[":status"] = "${context.status}"}, ...)\`)`,
          },
        );
    }
  }
  const fileNames = [
    asText(asObject(typed?.default_source_code)?.filename),
    ...Object.values(asObject(typed?.source_codes) ?? {}).map((value) => asText(asObject(value)?.filename)),
  ].filter((value): value is string => Boolean(value));
  for (const target of fileNames) {
    const found = context.files.resolve(target, path.dirname(context.file.path));
    if (!found) {
      context.result.notChecked.push(
        `${at} (Lua filter code \`${target}\` in the mTLS chain is not in the scanned tree; what it answers is not checked)`,
      );
      continue;
    }
    for (const hit of forbiddenCodeLines(found.text, 'lua'))
      add(context, context.files.relative(found.absolute), hit.line, hit.evidence, {
        fix: `answer ${context.status} instead (\`respond({[":status"] = "${context.status}"}, ...)\`)`,
      });
  }
}

/** The fix for a filter with no status setting: a local reply mapper on its HttpConnectionManager. */
function localReplyFix(status: number, why: string): string {
  return `${why}: add to this HttpConnectionManager \`local_reply_config: { mappers: [{ filter: { status_code_filter: { comparison: { op: EQ, value: { default_value: 403, runtime_key: mtls_fix.status } } } }, status_code: ${status} }] }\``;
}

function add(
  context: EnvoyFilterContext,
  file: string,
  line: number,
  evidence: string,
  entry: { fix: string },
): void {
  const forbidden = forbiddenUnder(context.finding, {
    line,
    source: 'envoy',
    evidence,
    paths: [],
    fix: entry.fix,
    note: `HTTP filter of the mTLS chain (${context.file.relative}:${context.document.lineOf([...context.at, 'name'])})`,
  });
  context.result.forbidden.push({ ...forbidden, file });
}
