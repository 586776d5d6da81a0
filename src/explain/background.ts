/**
 * What a developer who just got a finding needs to know, as printed by `mtls-fix explain`.
 * Sources: DESIGN §1; Stack Overflow q/33308194 (2015, iOS 9: a 403 after a client-certificate handshake gives
 * -1206, a 401 does not); the radar mirror lionheart/openradar-mirror#20038 (rdar 41009229, 2018); RFC 9110
 * §15.5.2 (a 401 MUST carry WWW-Authenticate) and §15.5.4 (404 may hide a forbidden resource).
 */
export const BACKGROUND = `Why a 403 on an mTLS endpoint is a bug
  iOS (CFNetwork / URLSession, since iOS 9, unfixed as far as public sources show: rdar 41009229) reports an
  HTTP 403 received on a TLS connection where the client presented a certificate as
  NSURLErrorDomain -1206 ("The server requires a client certificate"). The app never sees the status, the
  headers or the body. It is per connection: any 403 on a client-certificate connection triggers it, whatever
  the operation means, and also when the server only asks for a certificate (optional mTLS) and the client
  sends one.

The agreed status
  401 (the default, the workaround proven in the field): RFC 9110 §15.5.2 says a 401 MUST carry
      WWW-Authenticate. Prefer a non-interactive challenge such as Bearer: URLSession hands Basic, Digest,
      NTLM and Negotiate challenges to the app's authentication delegate.
  404 (RFC 9110 §15.5.4): a server may answer 404 to hide that a forbidden resource exists; clients then
      cannot tell "forbidden" from "not found", so say it in the body (problem+json) where the app needs it.
  Any other 4XX status but 403 may be configured (config status, --status).

The safety nets
  mtls-fix lint     finds 403 (and 4XX ranges) on mTLS-secured operations; in pre-commit and CI.
  mtls-fix fix      renames the 403 responses in the document to the agreed status (and adds WWW-Authenticate).
  mtls-fix migrate  rewrites the code that sends 403 (--spec: only the handlers of mTLS-secured operations);
                    --check gates CI.
  mtls-fix detect   reads your infrastructure for where mTLS is terminated and proposes the config, when the
                    document does not say which operations are mTLS-secured.`;
