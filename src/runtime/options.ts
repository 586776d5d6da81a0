import { STATUS_CODES } from 'node:http';
import { loadConfigSync } from '../config/load.js';
import { parseStatus } from '../config/status.js';
import { MtlsFixError } from '../errors.js';

/**
 * Options every runtime guard takes.
 * - `status`: the agreed status sent instead of 403 (a 4xx other than 403); default: the config file's `status`
 *   (found from `process.cwd()` upwards, as the CLI finds it), else 401.
 * - `wwwAuthenticate`: the challenge added as `WWW-Authenticate` when the agreed status is 401 and the response
 *   has none (RFC 9110 §15.5.2: a 401 MUST carry one); default: the config file's `migrate.wwwAuthenticate`.
 * - `trustHeader`: only when TLS ends before this process (a proxy or load balancer): the request header that
 *   proxy sets when the client presented a verified certificate, e.g. `{ name: 'X-SSL-Client-Verify', value:
 *   'SUCCESS' }` (nginx `$ssl_client_verify`), `{ name: 'X-Forwarded-Client-Cert' }` (Envoy),
 *   `{ name: 'X-Amzn-Mtls-Clientcert' }` (AWS ALB). Without `value` any non-empty value counts; with it the value
 *   must be equal (exact, case-sensitive). The header is trusted as given: the proxy must overwrite or remove it
 *   on every request, or a client can forge it.
 */
export interface MtlsGuardOptions {
  status?: number;
  wwwAuthenticate?: string;
  trustHeader?: { name: string; value?: string };
}

/** Options after validation, with the config file applied: what the guards read on each request. */
export interface ResolvedGuard {
  status: number;
  /** The reason phrase for `status` (`Unauthorized`), replacing a `Forbidden` one. */
  statusText: string;
  /** Set only when `status` is 401. */
  wwwAuthenticate?: string;
  /** Lower-case header name and the value it must have (undefined: any non-empty value). */
  trustHeader?: { name: string; value?: string };
}

/**
 * Validates `options` and fills the gaps from the config file. Runs once, when the guard is created (at server
 * start), so a bad status or config stops the server with one line, never a request.
 * @throws MtlsFixError (code `EUSAGE` or `ECONFIG`) for a status that is not a 4xx other than 403, a bad
 *   `trustHeader`, or an invalid config file.
 */
export function resolveGuard(options: MtlsGuardOptions = {}, cwd = process.cwd()): ResolvedGuard {
  if (typeof options !== 'object' || options === null) {
    throw new MtlsFixError('EUSAGE', 'mtls-fix/runtime: options must be an object.', 'See the README.');
  }
  const needsConfig = options.status === undefined || options.wwwAuthenticate === undefined;
  const config = needsConfig ? loadConfigSync({ cwd }).config : {};
  const status =
    options.status !== undefined
      ? parseStatus(options.status, 'mtls-fix/runtime option status')
      : (config.status ?? 401);
  const challenge = options.wwwAuthenticate ?? config.migrate?.wwwAuthenticate;
  if (challenge !== undefined && (typeof challenge !== 'string' || challenge.trim() === '')) {
    throw new MtlsFixError(
      'EUSAGE',
      'mtls-fix/runtime option wwwAuthenticate must be a non-empty string.',
      "Use e.g. 'Bearer'.",
    );
  }
  return {
    status,
    statusText: STATUS_CODES[status] ?? 'Unknown',
    wwwAuthenticate: status === 401 ? challenge : undefined,
    trustHeader: resolveTrustHeader(options.trustHeader),
  };
}

function resolveTrustHeader(trust: MtlsGuardOptions['trustHeader']): ResolvedGuard['trustHeader'] {
  if (trust === undefined) return undefined;
  if (
    typeof trust !== 'object' ||
    trust === null ||
    typeof trust.name !== 'string' ||
    !/^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(trust.name)
  ) {
    throw new MtlsFixError(
      'EUSAGE',
      'mtls-fix/runtime option trustHeader.name must be an HTTP header name.',
      "Use e.g. { name: 'X-SSL-Client-Verify', value: 'SUCCESS' }.",
    );
  }
  if (trust.value !== undefined && (typeof trust.value !== 'string' || trust.value === '')) {
    throw new MtlsFixError(
      'EUSAGE',
      'mtls-fix/runtime option trustHeader.value must be a non-empty string when given.',
      'Leave it out to accept any non-empty value.',
    );
  }
  return { name: trust.name.toLowerCase(), value: trust.value };
}
