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
