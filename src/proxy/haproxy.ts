import { headerComment } from './comment.js';
import type { RenderInput } from './types.js';

/**
 * A `backend mtls_fix` section; the user's frontend (which binds with `ssl crt ... ca-file ... verify optional`)
 * selects it with `use_backend mtls_fix`. Request rules mark the transaction when the path and method are those of
 * an mTLS operation (least specific path first, so the most specific one decides) and the client presented a
 * verified certificate (`ssl_c_used`, `ssl_c_verify 0`); a response rule then rewrites a 403 status line with
 * `http-response set-status`, keeping body and headers.
 */
export function renderHaproxy(input: RenderInput): string {
  const comment = headerComment(input, {
    name: 'HAProxy',
    verifiedBy: 'ssl_c_used and ssl_c_verify 0',
    body: ['Body and headers: kept (only the status line changes).'],
    use: [
      'Use: paste this section into haproxy.cfg and select it from your frontend with use_backend mtls_fix; the',
      'frontend binds with ssl crt ... ca-file ... verify optional (or required).',
    ],
  });
  const out = [comment, 'backend mtls_fix', '    mode http'];
  // HAProxy runs every rule; the last set-var that matches wins, so the most specific route comes last.
  const routes = [...input.routes].reverse();
  routes.forEach((route, index) => {
    // Single quotes: HAProxy expands `$NAME` inside double quotes; a quote in a path becomes a PCRE escape.
    const path = `{ path_reg '${route.pattern.replace(/'/g, '\\x27')}' }`;
    out.push(`    # ${route.template}`);
    // A more specific path decides alone for the requests it matches (OpenAPI path precedence).
    if (index > 0) out.push(`    http-request set-var(txn.mtls_fix) bool(false) if ${path}`);
    if (!route.passThrough) {
      out.push(
        `    http-request set-var(txn.mtls_fix) bool(true) if ${path} { method ${route.remapMethods.join(' ')} }`,
      );
    }
  });
  out.push('    http-request set-var(txn.mtls_fix) bool(false) unless { ssl_c_used } { ssl_c_verify 0 }');
  const remapped = '{ var(txn.mtls_fix) -m bool } { status 403 }';
  if (input.status === 401 && input.wwwAuthenticate) {
    out.push(
      `    http-response set-header WWW-Authenticate "${quoted(input.wwwAuthenticate)}" if ${remapped} !{ res.hdr(www-authenticate) -m found }`,
    );
  }
  out.push(`    http-response set-status ${input.status} if ${remapped}`);
  const address = input.upstream.host.includes(':') ? `[${input.upstream.host}]` : input.upstream.host;
  const tls =
    input.upstream.protocol === 'https'
      ? ` ssl verify required ca-file @system-ca sni str(${input.upstream.host})`
      : '';
  out.push(`    server upstream ${address}:${input.upstream.port}${tls}`, '');
  return out.join('\n');
}

function quoted(value: string): string {
  return value.replace(/["\\]/g, (character) => `\\${character}`);
}
