import { headerComment } from './comment.js';
import type { RenderInput } from './types.js';

/**
 * A snippet to `include` inside the user's `server { }` block, which keeps `listen ... ssl`, the certificates
 * and `ssl_verify_client` (`optional` or `on`) with `ssl_client_certificate`. Every request is proxied to the
 * upstream; on an mTLS operation (path location, method) whose client presented a verified certificate
 * (`$ssl_client_verify = SUCCESS`) the request is handed, before anything is sent upstream, to a named location
 * that proxies it with `proxy_intercept_errors` and `error_page 403 =<status>`. nginx core cannot change a
 * proxied status and keep the body, so a remapped response carries nginx's own page for the status.
 */
export function renderNginx(input: RenderInput): string {
  const upstream = `${input.upstream.protocol}://${hostPort(input.upstream)}`;
  const comment = headerComment(input, {
    name: 'nginx',
    verifiedBy: '$ssl_client_verify = SUCCESS',
    body: [
      "Body: nginx cannot change a proxied response's status and keep its body: a remapped response carries",
      "nginx's own page for the new status instead of the upstream body and headers. Keeping them would mean",
      'sending the request upstream a second time, which this config never does. Unremapped responses pass as they are.',
    ],
    use: [
      'Use: include this file inside your server { } block, which keeps listen ... ssl, ssl_certificate(_key),',
      'ssl_client_certificate and ssl_verify_client optional (or on). The block must not have its own location /;',
      'proxy_* settings of the server block (proxy_set_header, timeouts) apply to these locations too.',
    ],
  });
  const out = [comment, '', 'location / {', `    proxy_pass ${upstream};`, '}'];
  for (const route of input.routes) {
    out.push('', `# ${route.template}`, `location ~ "${route.pattern}" {`);
    if (!route.passThrough) {
      out.push(
        `    set $mtls_fix "$ssl_client_verify $request_method";`,
        `    if ($mtls_fix ~ "^SUCCESS (${route.remapMethods.join('|')})$") {`,
        '        return 418;',
        '    }',
        '    error_page 418 = @mtls_fix_remap;',
        '    recursive_error_pages on;',
      );
    }
    out.push(`    proxy_pass ${upstream};`, '}');
  }
  out.push(
    '',
    '# Reached before the request is sent upstream (return 418 above): it is proxied once, from here. The 403 page',
    '# is a second error page for this request, hence recursive_error_pages.',
    'location @mtls_fix_remap {',
    `    proxy_pass ${upstream};`,
    '    proxy_intercept_errors on;',
    '    recursive_error_pages on;',
    `    error_page 403 =${input.status} @mtls_fix_status;`,
    '}',
    '',
    'location @mtls_fix_status {',
  );
  if (input.status === 401 && input.wwwAuthenticate) {
    out.push(`    add_header WWW-Authenticate "${quoted(input.wwwAuthenticate)}" always;`);
  }
  out.push(`    return ${input.status};`, '}', '');
  return out.join('\n');
}

function hostPort(upstream: RenderInput['upstream']): string {
  const host = upstream.host.includes(':') ? `[${upstream.host}]` : upstream.host;
  return `${host}:${upstream.port}`;
}

function quoted(value: string): string {
  return value.replace(/["\\]/g, (character) => `\\${character}`);
}
