import { headerComment } from './comment.js';
import type { RenderInput } from './types.js';

/**
 * A snippet `(mtls_fix) { ... }` used with `import mtls_fix` in the site block, whose `tls` directive has
 * `client_auth { mode verify_if_given (or require_and_verify); trusted_ca_cert_file ... }`. One `reverse_proxy`
 * to the upstream; its `handle_response` for status 403 copies the upstream response (`copy_response`; the
 * upstream headers are already on the response there) with the agreed status when the request matches an mTLS operation (path, method) and carried a
 * client certificate, and unchanged otherwise. Routes are `handle` blocks, which Caddy tries in the order written.
 */
export function renderCaddy(input: RenderInput): string {
  const comment = headerComment(input, {
    name: 'Caddy',
    verifiedBy: 'a client certificate on a connection whose client_auth mode verifies it',
    body: ['Body and headers: kept (copy_response; Caddy has already copied the upstream headers).'],
    use: [
      'Use: paste this snippet at the top of your Caddyfile and write import mtls_fix in the site block, whose tls',
      'directive has client_auth with mode verify_if_given (or require_and_verify) and trusted_ca_cert_file. With',
      'mode request or require Caddy does not verify the certificate, and this config would trust it anyway.',
    ],
  });
  const upstream = `${input.upstream.protocol}://${
    input.upstream.host.includes(':') ? `[${input.upstream.host}]` : input.upstream.host
  }:${input.upstream.port}`;
  const out = [
    comment,
    '(mtls_fix) {',
    `\treverse_proxy ${upstream} {`,
    '\t\t@mtls_fix_forbidden status 403',
    '\t\thandle_response @mtls_fix_forbidden {',
  ];
  input.routes.forEach((route, index) => {
    out.push(`\t\t\t# ${route.template}`);
    if (!route.passThrough) {
      out.push(
        `\t\t\t@mtls_fix_remap_${index} {`,
        `\t\t\t\tpath_regexp "${route.pattern}"`,
        `\t\t\t\tmethod ${route.remapMethods.join(' ')}`,
        '\t\t\t\tvars_regexp {http.request.tls.client.fingerprint} ^[0-9a-f]+$',
        '\t\t\t}',
        `\t\t\thandle @mtls_fix_remap_${index} {`,
      );
      if (input.status === 401 && input.wwwAuthenticate) {
        out.push(`\t\t\t\theader ?WWW-Authenticate "${quoted(input.wwwAuthenticate)}"`);
      }
      out.push(`\t\t\t\tcopy_response ${input.status}`, '\t\t\t}');
    }
    // Other methods, and requests without a certificate, on this path: the 403 as it came.
    out.push(
      `\t\t\t@mtls_fix_path_${index} path_regexp "${route.pattern}"`,
      `\t\t\thandle @mtls_fix_path_${index} {`,
      '\t\t\t\tcopy_response',
      '\t\t\t}',
    );
  });
  out.push('\t\t\thandle {', '\t\t\t\tcopy_response', '\t\t\t}', '\t\t}', '\t}', '}', '');
  return out.join('\n');
}

function quoted(value: string): string {
  return value.replace(/"/g, '\\"');
}
