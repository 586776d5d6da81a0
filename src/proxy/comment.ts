import type { RenderInput } from './types.js';

/**
 * The header comment every target starts with: what the config does and why, the trust rule, what happens to
 * the body, how to use it and regenerate it, and the operations it covers. `#` is the comment marker of all
 * three targets. No timestamp: the same document gives the same bytes, so CI can diff a regenerated copy.
 */
export function headerComment(
  input: RenderInput,
  target: { name: string; verifiedBy: string; body: string[]; use: string[] },
): string {
  const lines = [
    `mtls-fix proxy (${target.name}): answer ${input.status} instead of 403 on the mTLS-secured operations of ${input.specDisplay}.`,
    'Why: iOS (CFNetwork/URLSession) reports a 403 sent on a connection where the client presented a TLS client',
    'certificate as NSURLErrorDomain -1206, so the app never sees the response.',
    `Only requests with a verified client certificate (${target.verifiedBy}) are remapped; without one`,
    "the upstream's 403 passes unchanged. Every request reaches the upstream exactly once: none is replayed.",
    ...target.body,
    ...target.use,
    `Regenerate whenever the document changes: ${input.command}`,
    `Upstream: ${input.upstream.url}`,
    input.status === 401
      ? input.wwwAuthenticate
        ? `WWW-Authenticate added to remapped responses: ${input.wwwAuthenticate}`
        : 'No WWW-Authenticate challenge is added (RFC 9110 says a 401 carries one): pass --www-authenticate Bearer.'
      : `Status ${input.status} carries no WWW-Authenticate challenge.`,
    `${input.mtlsOperationCount} of ${input.operationCount} operations are mTLS-secured:`,
    ...(input.mtlsOperationCount === 0
      ? ['  (none: this config proxies every request and remaps nothing)']
      : []),
    ...input.routes.flatMap((route) =>
      route.passThrough
        ? [`  ${route.template}: never remapped (more specific than a remapped path)`]
        : route.operations.map((operation) => `  ${operation}`),
    ),
  ];
  return lines.map((line) => `# ${sanitize(line)}`.trimEnd()).join('\n');
}

/** A comment is one line: no control characters from a document can end it. */
function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ');
}
